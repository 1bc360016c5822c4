/**
 * The whole editor: menu bar, and a layout for work — the node list (with the minimap) on the
 * left, the canvas in the middle over the simulation panel and the console / Problems tabs, the
 * inspector on the right. Every dock collapses and every splitter resizes; the sizes are kept.
 * Files dropped on the canvas open; shortcuts cover every menu action.
 *
 * @module
 */
import { useReactFlow } from '@xyflow/react';
import { type CSSProperties, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { neuronRegistryName } from '../model/neuron.ts';
import type { Problem } from '../model/problems.ts';
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
import { Menu, type MenuItem } from './shell/Menu.tsx';
import { Splitter } from './shell/Splitter.tsx';
import { type DockName, type EditorSettings, SIZE_LIMITS, useSettings } from './shell/settings.ts';
import { outsideFields, prevent, useShortcuts } from './shell/shortcuts.ts';
import { stem, useDocumentFiles } from './shell/useDocumentFiles.ts';

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
  const flow = useReactFlow();
  const dirty = useEditor((s) => s.dirty);
  const fileName = useEditor((s) => s.fileName);
  const mode = useEditor((s) => s.doc.mode);
  const inNeuron = useEditor((s) => s.neuronStack.length > 0);
  const selection = useEditor((s) => s.selection);
  const [palette, setPalette] = useState<{ open: boolean; at?: Position | undefined }>({ open: false });
  const [menu, setMenu] = useState<string | null>(null);
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [settings, setSettings] = useSettings();
  /** Sizes while a splitter is dragged (stored on release). */
  const [dragSizes, setDragSizes] = useState<Partial<EditorSettings['sizes']>>({});
  const [bottomTab, setBottomTab] = useState<'console' | 'problems'>('console');
  const clip = useRef<string>('');
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

  const dockOpen = (d: DockName, open: boolean) =>
    setSettings({ ...settings, panels: { ...settings.panels, [d]: open } });
  /** A dock's open state and its toggle. */
  const dockState = (d: DockName) => ({
    open: settings.panels[d],
    onToggle: () => dockOpen(d, !settings.panels[d]),
  });
  const showProblems = useCallback(() => {
    setBottomTab('problems');
    if (!settings.panels.bottom) setSettings({ ...settings, panels: { ...settings.panels, bottom: true } });
  }, [settings, setSettings]);
  const focusProblem = useCallback(
    (p: Problem) => store.getState().focusField(p.nodeId ?? null, p.field ?? ''),
    [store],
  );
  const validate = useCallback(() => {
    store.getState().validate();
    showProblems();
  }, [store, showProblems]);

  const copy = useCallback(() => {
    clip.current = store.getState().copy();
    void navigator.clipboard?.writeText(clip.current).catch(() => undefined);
    store.getState().report('info', `Copied ${store.getState().selection.length} node(s).`);
  }, [store]);
  const paste = useCallback(() => {
    if (clip.current) store.getState().paste(clip.current);
  }, [store]);
  const layout = useCallback(() => {
    const sizes: Record<string, { width: number; height: number }> = {};
    for (const n of flow.getNodes())
      if (n.measured?.width && n.measured.height)
        sizes[n.id] = { width: n.measured.width, height: n.measured.height };
    store.getState().layout(sizes);
    setTimeout(() => flow.fitView({ padding: 0.08 }), 50);
  }, [store, flow]);
  const fit = useCallback(() => void flow.fitView({ padding: 0.08 }), [flow]);
  const openPalette = useCallback(
    (at?: Position) => {
      // Without a place (keyboard, menu): the middle of the canvas's visible area.
      const box = document.querySelector('.spark-canvas')?.getBoundingClientRect();
      const p =
        at ??
        flow.screenToFlowPosition(
          box
            ? { x: box.left + box.width / 2 - 80, y: box.top + box.height / 2 - 40 }
            : { x: window.innerWidth / 2, y: window.innerHeight / 2 },
        );
      setPalette({ open: true, at: p });
    },
    [flow],
  );
  const saveNeuron = useCallback(async () => {
    const name = await new Promise<string | undefined>((resolve) =>
      setDialog({ kind: 'neuron-name', resolve }),
    );
    setDialog(null);
    if (name) store.getState().saveCustomNeuron(neuronRegistryName(name));
  }, [store]);

  const bindings = useMemo(
    () => ({
      '$mod+KeyN': prevent(() => void files.newDocument()),
      '$mod+KeyO': prevent(() => void files.open('session')),
      '$mod+Shift+KeyO': prevent(() => void files.open('model')),
      '$mod+KeyS': prevent(() => void files.saveSession(false)),
      '$mod+Shift+KeyS': prevent(() => void files.saveSession(true)),
      '$mod+KeyE': prevent(() => void files.exportModel()),
      '$mod+Shift+KeyV': prevent(validate),
      '$mod+KeyZ': outsideFields(() => store.getState().undo()),
      '$mod+Shift+KeyZ': outsideFields(() => store.getState().redo()),
      '$mod+KeyY': outsideFields(() => store.getState().redo()),
      '$mod+KeyC': outsideFields(copy),
      '$mod+KeyX': outsideFields(() => {
        copy();
        store.getState().removeSelected();
      }),
      '$mod+KeyV': outsideFields(paste),
      '$mod+KeyD': prevent(() => store.getState().duplicate()),
      '$mod+KeyA': outsideFields(() => store.getState().selectAll()),
      Delete: outsideFields(() => store.getState().removeSelected()),
      Backspace: outsideFields(() => store.getState().removeSelected()),
      '$mod+KeyK': prevent(() => openPalette()),
      'Shift+KeyA': outsideFields(() => openPalette()),
      KeyA: outsideFields(() => openPalette()),
      '$mod+KeyL': prevent(layout),
      'Shift+Digit1': outsideFields(fit),
      Escape: outsideFields(() => store.getState().select([])),
    }),
    [files, store, copy, paste, openPalette, layout, fit, validate],
  );
  useShortcuts(bindings);

  const tick = (on: boolean, label: string) => `${on ? '✓ ' : ''}${label}`;
  const menus: Record<string, MenuItem[]> = {
    File: [
      { label: 'New', shortcut: 'Ctrl+N', action: () => void files.newDocument() },
      { label: 'Open Session…', shortcut: 'Ctrl+O', action: () => void files.open('session') },
      { label: 'Import Model…', shortcut: 'Ctrl+Shift+O', action: () => void files.open('model') },
      {
        label: 'Open Recent',
        submenu: files.recent.map((r) => ({
          label: r.name,
          action: () => void files.openBytes(r.name, r.bytes, r.kind, false),
        })),
      },
      {
        label: 'Examples',
        submenu: (props.examples ?? []).map((ex) => ({
          label: ex.name,
          action: () => void ex.load().then((bytes) => files.openBytes(ex.fileName, bytes, 'model', false)),
        })),
      },
      { separator: true, label: '' },
      { label: 'Save Session', shortcut: 'Ctrl+S', action: () => void files.saveSession(false) },
      { label: 'Save Session as…', shortcut: 'Ctrl+Shift+S', action: () => void files.saveSession(true) },
      {
        label: fileName ? `Export to ${stem(fileName)}.scfg` : 'Export Model',
        shortcut: 'Ctrl+E',
        action: () => void files.exportModel(),
      },
      { separator: true, label: '' },
      { label: 'Settings…', action: () => setDialog({ kind: 'settings' }) },
    ],
    Edit: [
      { label: 'Undo', shortcut: 'Ctrl+Z', action: () => store.getState().undo() },
      { label: 'Redo', shortcut: 'Ctrl+Shift+Z', action: () => store.getState().redo() },
      { separator: true, label: '' },
      {
        label: 'Cut',
        shortcut: 'Ctrl+X',
        action: () => {
          copy();
          store.getState().removeSelected();
        },
        disabled: selection.length === 0,
      },
      { label: 'Copy', shortcut: 'Ctrl+C', action: copy, disabled: selection.length === 0 },
      { label: 'Paste', shortcut: 'Ctrl+V', action: paste },
      {
        label: 'Duplicate',
        shortcut: 'Ctrl+D',
        action: () => store.getState().duplicate(),
        disabled: selection.length === 0,
      },
      { label: 'Delete Selected', shortcut: 'Del', action: () => store.getState().removeSelected() },
      { label: 'Select All', shortcut: 'Ctrl+A', action: () => store.getState().selectAll() },
    ],
    Graph: [
      { label: 'Add Node…', shortcut: 'A', action: () => openPalette() },
      { label: 'Validate', shortcut: 'Ctrl+Shift+V', action: validate },
      { label: 'Auto-layout', shortcut: 'Ctrl+L', action: layout },
      { label: 'Zoom to Fit', shortcut: 'Shift+1', action: fit },
      { separator: true, label: '' },
      {
        label: 'Edit Neuron Inside',
        action: () => selection[0] && store.getState().enterNeuron(selection[0]),
        disabled: selection.length !== 1,
      },
      { label: 'Save as Custom Neuron…', action: () => void saveNeuron(), disabled: mode !== 'neuron' },
      {
        label: 'Apply and Return to Brain',
        action: () => store.getState().exitNeuron(true),
        disabled: !inNeuron,
      },
      {
        label: 'Discard and Return to Brain',
        action: () => store.getState().exitNeuron(false),
        disabled: !inNeuron,
      },
    ],
    Windows: [
      ...(
        [
          ['nodes', 'Node List'],
          ['inspector', 'Inspector'],
          ['simulation', 'Simulation'],
          ['bottom', 'Console and Problems'],
        ] as const
      ).map(([d, label]) => ({
        label: tick(settings.panels[d], label),
        action: () => dockOpen(d, !settings.panels[d]),
      })),
      {
        label: tick(settings.showMinimap, 'Minimap'),
        action: () => setSettings({ ...settings, showMinimap: !settings.showMinimap }),
      },
    ],
  };

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
