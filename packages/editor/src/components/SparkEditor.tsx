/**
 * The whole editor: menu bar, and a layout for work — the node list (with the minimap) on the
 * left, the canvas in the middle over the simulation panel and the console / Problems tabs, the
 * inspector on the right. Every dock collapses and every splitter resizes; the sizes are kept.
 * Files dropped on the canvas open; shortcuts cover every menu action.
 *
 * @module
 */
import { useReactFlow } from '@xyflow/react';
import { type CSSProperties, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import type { EditorRegistry } from '../model/registry.ts';
import type { EditorStore } from '../model/store.ts';
import type { Position } from '../model/types.ts';
import type { BackendChoice, Simulator } from '../sim/simulator.ts';
import { unavailableSimulator } from '../sim/simulator.ts';
import { CanvasMinimap, GraphCanvas } from './Canvas.tsx';
import { ConsolePanel } from './ConsolePanel.tsx';
import { EditorContextProvider, EditorProvider, useEditor, useEditorContext } from './context.tsx';
import { Inspector } from './Inspector.tsx';
import { NodeList } from './NodeList.tsx';
import { Palette } from './Palette.tsx';
import { ProblemsPanel, useProblems } from './ProblemsPanel.tsx';
import { SimulationPanel } from './SimulationPanel.tsx';
import { type DialogState, Dialogs } from './shell/Dialogs.tsx';
import { Dock } from './shell/Dock.tsx';
import { Menu } from './shell/Menu.tsx';
import { Splitter } from './shell/Splitter.tsx';
import { type DockName, type EditorSettings, SIZE_LIMITS, useSettings } from './shell/settings.ts';
import { stem, useDocumentFiles } from './shell/useDocumentFiles.ts';
import { useEditorCommands } from './shell/useEditorCommands.ts';

export type { EditorSettings } from './shell/settings.ts';

/** A bundled example model. */
export interface ExampleModel {
  name: string;
  fileName: string;
  load(): Promise<Uint8Array>;
}

/** Props of {@link SparkEditor}. */
export interface SparkEditorProps {
  store: EditorStore;
  registry: EditorRegistry;
  examples?: ExampleModel[];
  simulator?: Simulator;
  /** Start the simulation when a valid model is loaded (when the engine is available). */
  autoRun?: boolean;
  /** Which spike raster the simulation panel may use (`SimulationPanelProps.raster`). */
  raster?: 'auto' | 'canvas2d';
  /** The backend the simulation starts with (default `auto`: the engine's rule). */
  backend?: BackendChoice;
}

function Shell(props: SparkEditorProps): ReactNode {
  const { store } = useEditorContext();
  const _flow = useReactFlow();
  const dirty = useEditor((s) => s.dirty);
  const fileName = useEditor((s) => s.fileName);
  const mode = useEditor((s) => s.doc.mode);
  const inNeuron = useEditor((s) => s.neuronStack.length > 0);
  const _selection = useEditor((s) => s.selection);
  const [palette, setPalette] = useState<{ open: boolean; at?: Position | undefined }>({ open: false });
  const [menu, setMenu] = useState<string | null>(null);
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [settings, setSettings] = useSettings();
  /** Sizes while a splitter is dragged (stored on release). */
  const [dragSizes, setDragSizes] = useState<Partial<EditorSettings['sizes']>>({});
  const [bottomTab, setBottomTab] = useState<'console' | 'problems'>('console');
  const _clip = useRef<string>('');
  const files = useDocumentFiles(store, props.registry, settings, setDialog);
  const problems = useProblems();
  const errors = problems.filter((p) => p.level === 'error').length;
  const simulator = useMemo(
    () => props.simulator ?? unavailableSimulator('the @spark-snn/nn simulator is not part of this build.'),
    [props.simulator],
  );

  const title = `${mode === 'brain' ? 'Brain' : 'Neuron'} - ${stem(fileName) === 'untitled' ? 'Untitled' : stem(fileName)}${dirty ? ' *' : ''}`;
  useEffect(() => {
    document.title = `${title} · spark-snn studio`;
  }, [title]);

  const { menus, openPalette, fit, showProblems, focusProblem, validate, dockState } = useEditorCommands({
    store,
    files,
    settings,
    setSettings,
    setDialog,
    setPalette,
    setBottomTab,
    examples: props.examples ?? [],
  });

  const size = (d: DockName) => dragSizes[d] ?? settings.sizes[d];
  const splitter = (
    d: DockName,
    orientation: 'vertical' | 'horizontal',
    direction: 1 | -1,
    label: string,
  ) => {
    const [min, max] = SIZE_LIMITS[d];
    return (
      <Splitter
        orientation={orientation}
        label={label}
        value={size(d)}
        min={min}
        max={max}
        direction={direction}
        onResize={(v, done) => {
          if (done) {
            setDragSizes({});
            setSettings({ ...settings, sizes: { ...settings.sizes, [d]: v } });
          } else setDragSizes({ [d]: v });
        }}
      />
    );
  };
  const vars = {
    '--nodes-w': `${size('nodes')}px`,
    '--inspector-w': `${size('inspector')}px`,
    '--sim-h': `${size('simulation')}px`,
    '--bottom-h': `${size('bottom')}px`,
  } as CSSProperties;

  return (
    <EditorContextProvider
      store={store}
      registry={props.registry}
      openPalette={openPalette}
      fitView={fit}
      showProblems={showProblems}
    >
      <div className="spark-editor" data-mode={mode} style={vars}>
        <header className="spark-menubar" role="menubar" aria-label="Menu bar">
          {Object.entries(menus).map(([label, items]) => (
            <Menu
              key={label}
              label={label}
              items={items}
              open={menu === label}
              onOpen={(o) => setMenu(o ? label : null)}
            />
          ))}
          <span className="spark-title" data-testid="title">
            {title}
          </span>
          {inNeuron ? (
            <span className="spark-neuron-banner">
              Editing a neuron inside ·{' '}
              <button type="button" onClick={() => store.getState().exitNeuron(true)}>
                Apply and return
              </button>{' '}
              <button type="button" onClick={() => store.getState().exitNeuron(false)}>
                Discard
              </button>
            </span>
          ) : null}
          <button
            type="button"
            className="spark-add-button"
            onClick={() => openPalette()}
            aria-label="Add node (A)"
          >
            + Add node
          </button>
        </header>
        <div className="spark-workspace">
          <Dock
            name="Node List"
            title="Nodes"
            side="left"
            {...dockState('nodes')}
            className="spark-nodes-dock"
          >
            <NodeList />
            {settings.showMinimap ? <CanvasMinimap /> : null}
          </Dock>
          {settings.panels.nodes ? splitter('nodes', 'vertical', 1, 'Resize the node list') : null}
          <div className="spark-center">
            <GraphCanvas onDropFile={(f) => void files.openDropped(f)} />
            {settings.panels.simulation
              ? splitter('simulation', 'horizontal', -1, 'Resize the simulation panel')
              : null}
            <Dock
              name="Simulation"
              title="Simulation"
              {...dockState('simulation')}
              className="spark-sim-dock"
            >
              <SimulationPanel
                simulator={simulator}
                {...(props.autoRun ? { autoRun: true } : {})}
                {...(props.raster ? { raster: props.raster } : {})}
                {...(props.backend ? { backend: props.backend } : {})}
              />
            </Dock>
            {settings.panels.bottom ? splitter('bottom', 'horizontal', -1, 'Resize the console') : null}
            <Dock
              name="Console and Problems"
              title={bottomTab === 'console' ? 'Console' : 'Problems'}
              {...dockState('bottom')}
              className="spark-bottom-dock"
              tools={
                <div role="tablist" className="spark-tabs" aria-label="Console and Problems">
                  <button
                    type="button"
                    role="tab"
                    aria-selected={bottomTab === 'console'}
                    onClick={() => setBottomTab('console')}
                  >
                    Console
                  </button>
                  <button
                    type="button"
                    role="tab"
                    aria-selected={bottomTab === 'problems'}
                    onClick={() => setBottomTab('problems')}
                    data-testid="problems-tab"
                  >
                    Problems{problems.length > 0 ? ` (${errors > 0 ? errors : problems.length})` : ''}
                  </button>
                  <button
                    type="button"
                    className="spark-validate"
                    onClick={validate}
                    title="Validate now (Ctrl+Shift+V)"
                  >
                    Validate
                  </button>
                </div>
              }
            >
              {bottomTab === 'console' ? <ConsolePanel /> : <ProblemsPanel />}
            </Dock>
          </div>
          {settings.panels.inspector ? splitter('inspector', 'vertical', -1, 'Resize the inspector') : null}
          <Dock
            name="Inspector"
            title="Inspector"
            side="right"
            {...dockState('inspector')}
            className="spark-inspector-dock"
          >
            <Inspector />
          </Dock>
        </div>
        <Palette
          open={palette.open}
          at={palette.at}
          onOpenChange={(o) => setPalette((p) => ({ ...p, open: o }))}
        />
        <Dialogs
          dialog={dialog}
          close={() => setDialog(null)}
          settings={settings}
          setSettings={setSettings}
          focus={focusProblem}
        />
      </div>
    </EditorContextProvider>
  );
}

/** The complete editor. */
export function SparkEditor(props: SparkEditorProps): ReactNode {
  return (
    <EditorProvider store={props.store} registry={props.registry}>
      <Shell {...props} />
    </EditorProvider>
  );
}
