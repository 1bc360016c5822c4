/**
 * The whole editor: menu bar, node list, canvas, inspector, console and simulation panel, with
 * keyboard shortcuts for every action, file handling, autosave prompts and dialogs.
 *
 * @module
 */
import { useReactFlow } from '@xyflow/react';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { tinykeys } from 'tinykeys';
import { readSparkFile, writeSparkFile } from '../config-bridge.ts';
import { addRecent, openFile, type RecentFile, readRecent, saveFile } from '../io.ts';
import { neuronRegistryName } from '../model/neuron.ts';
import type { EditorRegistry } from '../model/registry.ts';
import type { EditorStore } from '../model/store.ts';
import type { Diagnostic, Position } from '../model/types.ts';
import type { Simulator } from '../sim/simulator.ts';
import { unavailableSimulator } from '../sim/simulator.ts';
import { GraphCanvas } from './Canvas.tsx';
import { ConsolePanel } from './ConsolePanel.tsx';
import { EditorContextProvider, EditorProvider, useEditor, useEditorContext } from './context.tsx';
import { Inspector } from './Inspector.tsx';
import { NodeList } from './NodeList.tsx';
import { Palette } from './Palette.tsx';
import { SimulationPanel } from './SimulationPanel.tsx';

/** A bundled example model. */
export interface ExampleModel {
  name: string;
  fileName: string;
  load(): Promise<Uint8Array>;
}

/** User settings. */
export interface EditorSettings {
  nativeDialogs: boolean;
  compressFiles: boolean;
  showMinimap: boolean;
  /** Visible panels (Spark's Windows menu). */
  panels: { nodes: boolean; inspector: boolean; console: boolean; simulation: boolean };
}

const DEFAULT_SETTINGS: EditorSettings = {
  nativeDialogs: true,
  compressFiles: true,
  showMinimap: true,
  panels: { nodes: true, inspector: true, console: true, simulation: true },
};

/** Props of {@link SparkEditor}. */
export interface SparkEditorProps {
  store: EditorStore;
  registry: EditorRegistry;
  examples?: ExampleModel[];
  simulator?: Simulator;
  /** Start the simulation when the page opens (when the engine is available). */
  autoRun?: boolean;
  /** Which spike raster the simulation panel may use (`SimulationPanelProps.raster`). */
  raster?: 'auto' | 'canvas2d';
}

interface MenuItem {
  label: string;
  shortcut?: string;
  action?: () => void;
  disabled?: boolean;
  separator?: boolean;
  submenu?: MenuItem[];
}

function Menu(props: {
  label: string;
  items: MenuItem[];
  open: boolean;
  onOpen(open: boolean): void;
}): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!props.open) return;
    const first = ref.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])');
    first?.focus();
    const close = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) props.onOpen(false);
    };
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, [props.open, props.onOpen]);
  const render = (items: MenuItem[], depth: number): ReactNode =>
    items.map((it, i) =>
      it.separator ? (
        // biome-ignore lint/suspicious/noArrayIndexKey: static menu
        <div key={`sep${i}`} role="none" className="spark-menu-sep" />
      ) : it.submenu ? (
        <div key={it.label} role="none" className="spark-submenu">
          <span className="spark-submenu-label">{it.label} ▸</span>
          <div role="menu" aria-label={it.label}>
            {it.submenu.length === 0 ? (
              <div role="none" className="spark-muted">
                (none)
              </div>
            ) : (
              render(it.submenu, depth + 1)
            )}
          </div>
        </div>
      ) : (
        <div key={it.label} role="none">
          <button
            type="button"
            role="menuitem"
            aria-disabled={it.disabled === true}
            disabled={it.disabled}
            onClick={() => {
              props.onOpen(false);
              it.action?.();
            }}
          >
            <span>{it.label}</span>
            {it.shortcut ? <kbd>{it.shortcut}</kbd> : null}
          </button>
        </div>
      ),
    );
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: arrow-key navigation between the menu items it contains
    <div
      className="spark-menu"
      ref={ref}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onOpen(false);
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          const items = [
            ...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? []),
          ];
          const i = items.indexOf(document.activeElement as HTMLElement);
          items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
          e.preventDefault();
        }
      }}
    >
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={props.open}
        onClick={() => props.onOpen(!props.open)}
      >
        {props.label}
      </button>
      {props.open ? (
        <div role="menu" aria-label={props.label}>
          {render(props.items, 0)}
        </div>
      ) : null}
    </div>
  );
}

type DialogState =
  | { kind: 'discard'; resolve(choice: 'save' | 'discard' | 'cancel'): void }
  | { kind: 'errors'; title: string; diagnostics: Diagnostic[] }
  | { kind: 'settings' }
  | { kind: 'neuron-name'; resolve(name: string | undefined): void };

function Dialog(props: { title: string; children: ReactNode; onClose(): void }): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="spark-dialog"
      aria-label={props.title}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <h2>{props.title}</h2>
      {props.children}
    </dialog>
  );
}

function useSettings(): [EditorSettings, (s: EditorSettings) => void] {
  const [s, setS] = useState<EditorSettings>(() => {
    try {
      const saved = JSON.parse(localStorage.getItem('spark-snn-settings') ?? '{}') as Partial<EditorSettings>;
      return {
        ...DEFAULT_SETTINGS,
        ...saved,
        panels: { ...DEFAULT_SETTINGS.panels, ...(saved.panels ?? {}) },
      };
    } catch {
      return DEFAULT_SETTINGS;
    }
  });
  return [
    s,
    (next) => {
      setS(next);
      try {
        localStorage.setItem('spark-snn-settings', JSON.stringify(next));
      } catch {
        /* private mode */
      }
    },
  ];
}

/** A key handler that stops the browser's default action. */
function prevent(fn: () => void): (e: KeyboardEvent) => void {
  return (e) => {
    e.preventDefault();
    fn();
  };
}

/** A key handler. */
function run(fn: () => void): (e: KeyboardEvent) => void {
  return () => fn();
}

function stem(name: string | null): string {
  if (!name) return 'untitled';
  return name.replace(/\.(sge|scfg)$/i, '');
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
  const [recent, setRecent] = useState<RecentFile[]>([]);
  const [settings, setSettings] = useSettings();
  const clip = useRef<string>('');
  const saveRef = useRef<(as: boolean) => Promise<string | undefined>>(async () => undefined);
  const simulator = useMemo(
    () =>
      props.simulator ?? unavailableSimulator('the @spark-snn/nn simulator is not part of this build yet.'),
    [props.simulator],
  );

  useEffect(() => {
    void readRecent().then(setRecent);
  }, []);
  useEffect(() => {
    document.title = `${mode === 'brain' ? 'Brain' : 'Neuron'} - ${stem(fileName) === 'untitled' ? 'Untitled' : stem(fileName)}${dirty ? ' *' : ''} · spark-snn studio`;
  }, [mode, fileName, dirty]);

  const confirmDiscard = useCallback(async (): Promise<boolean> => {
    if (!store.getState().dirty) return true;
    const choice = await new Promise<'save' | 'discard' | 'cancel'>((resolve) =>
      setDialog({ kind: 'discard', resolve }),
    );
    setDialog(null);
    if (choice === 'cancel') return false;
    if (choice === 'save') return (await saveRef.current(false)) !== undefined;
    return true;
  }, [store]);

  const saveSession = useCallback(
    async (as: boolean): Promise<string | undefined> => {
      const s = store.getState();
      const bytes = writeSparkFile(s.sessionJson(), settings.compressFiles);
      const name = as || !s.fileName?.endsWith('.sge') ? `${stem(s.fileName)}.sge` : s.fileName;
      try {
        const used = await saveFile(name, bytes, settings.nativeDialogs);
        if (!used) return undefined;
        s.markSaved(used);
        s.report('success', `Session sucessfully saved to "${used}".`);
        await addRecent({ name: used, kind: 'session', time: Date.now(), bytes });
        setRecent(await readRecent());
        return used;
      } catch (e) {
        s.report('error', `Failed to save session: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
    },
    [store, settings],
  );

  saveRef.current = saveSession;

  const loadBytes = useCallback(
    async (name: string, bytes: Uint8Array, kind: 'session' | 'model', remember = true) => {
      const s = store.getState();
      const r = readSparkFile(bytes);
      if (!r.ok) {
        s.report('error', `Failed to load ${kind} from "${name}": ${r.message}`);
        setDialog({
          kind: 'errors',
          title: `Could not open ${name}`,
          diagnostics: [{ level: 'error', message: r.message }],
        });
        return;
      }
      s.load(r.json, { fileName: name, kind });
      if (remember) {
        await addRecent({ name, kind, time: Date.now(), bytes });
        setRecent(await readRecent());
      }
      setTimeout(() => flow.fitView({ padding: 0.1 }), 50);
    },
    [store, flow],
  );

  const open = useCallback(
    async (kind: 'session' | 'model') => {
      if (!(await confirmDiscard())) return;
      const f = await openFile(kind === 'session' ? ['.sge', '.scfg'] : ['.scfg'], settings.nativeDialogs);
      if (f) await loadBytes(f.name, f.bytes, kind);
    },
    [confirmDiscard, loadBytes, settings],
  );

  const exportModel = useCallback(async () => {
    const s = store.getState();
    const r = s.exportModel();
    if (!r.json) {
      setDialog({
        kind: 'errors',
        title: 'Invalid Model — The following errors were detected:',
        diagnostics: r.diagnostics.filter((d) => d.level === 'error'),
      });
      return;
    }
    const name = `${stem(s.fileName)}.scfg`;
    const bytes = writeSparkFile(r.json, settings.compressFiles);
    try {
      const used = await saveFile(name, bytes, settings.nativeDialogs);
      if (used) {
        s.report('success', `Model exported sucessfully to "${used}".`);
        if (!s.fileName) s.markSaved(used);
      }
    } catch (e) {
      s.report('error', `Failed to export model to "${name}": ${e instanceof Error ? e.message : String(e)}`);
    }
  }, [store, settings]);

  const newDoc = useCallback(async () => {
    if (await confirmDiscard()) store.getState().newDocument('brain');
  }, [confirmDiscard, store]);

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
    setTimeout(() => flow.fitView({ padding: 0.1 }), 50);
  }, [store, flow]);
  const fit = useCallback(() => void flow.fitView({ padding: 0.1 }), [flow]);
  const openPalette = useCallback(
    (at?: Position) => {
      const p = at ?? flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 });
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

  const actions = useMemo(
    () => ({
      '$mod+KeyN': prevent(() => void newDoc()),
      '$mod+KeyO': prevent(() => void open('session')),
      '$mod+Shift+KeyO': prevent(() => void open('model')),
      '$mod+KeyS': prevent(() => void saveSession(false)),
      '$mod+Shift+KeyS': prevent(() => void saveSession(true)),
      '$mod+KeyE': prevent(() => void exportModel()),
      '$mod+KeyZ': prevent(() => store.getState().undo()),
      '$mod+Shift+KeyZ': prevent(() => store.getState().redo()),
      '$mod+KeyY': prevent(() => store.getState().redo()),
      '$mod+KeyC': () => copy(),
      '$mod+KeyX': () => {
        copy();
        store.getState().removeSelected();
      },
      '$mod+KeyV': () => paste(),
      '$mod+KeyD': prevent(() => store.getState().duplicate()),
      '$mod+KeyA': prevent(() => store.getState().selectAll()),
      Delete: run(() => store.getState().removeSelected()),
      Backspace: run(() => store.getState().removeSelected()),
      '$mod+KeyK': prevent(() => openPalette()),
      'Shift+KeyA': prevent(() => openPalette()),
      '$mod+KeyL': prevent(() => layout()),
      'Shift+Digit1': () => fit(),
      Escape: run(() => store.getState().select([])),
    }),
    [newDoc, open, saveSession, exportModel, store, copy, paste, openPalette, layout, fit],
  );
  useEffect(() => tinykeys(window, actions), [actions]);

  const toggle = (k: keyof EditorSettings['panels']) => () =>
    setSettings({ ...settings, panels: { ...settings.panels, [k]: !settings.panels[k] } });
  const tick = (on: boolean, label: string) => `${on ? '✓ ' : ''}${label}`;
  const menus: Record<string, MenuItem[]> = {
    File: [
      { label: 'New', shortcut: 'Ctrl+N', action: () => void newDoc() },
      { label: 'Open Session…', shortcut: 'Ctrl+O', action: () => void open('session') },
      { label: 'Import Model…', shortcut: 'Ctrl+Shift+O', action: () => void open('model') },
      {
        label: 'Open Recent',
        submenu: recent.map((r) => ({
          label: r.name,
          action: () =>
            void confirmDiscard().then(async (ok) => {
              if (ok) await loadBytes(r.name, r.bytes, r.kind, false);
            }),
        })),
      },
      {
        label: 'Examples',
        submenu: (props.examples ?? []).map((ex) => ({
          label: ex.name,
          action: () =>
            void confirmDiscard().then(async (ok) => {
              if (ok) await loadBytes(ex.fileName, await ex.load(), 'model', false);
            }),
        })),
      },
      { separator: true, label: '' },
      { label: 'Save Session', shortcut: 'Ctrl+S', action: () => void saveSession(false) },
      { label: 'Save Session as…', shortcut: 'Ctrl+Shift+S', action: () => void saveSession(true) },
      {
        label: fileName ? `Export to ${stem(fileName)}.scfg` : 'Export Model',
        shortcut: 'Ctrl+E',
        action: () => void exportModel(),
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
      { label: 'Add Node…', shortcut: 'Ctrl+K', action: () => openPalette() },
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
      { label: tick(settings.panels.nodes, 'Node List'), action: toggle('nodes') },
      { label: tick(settings.panels.inspector, 'Inspector'), action: toggle('inspector') },
      { label: tick(settings.panels.console, 'Console'), action: toggle('console') },
      { label: tick(settings.panels.simulation, 'Simulation'), action: toggle('simulation') },
      {
        label: tick(settings.showMinimap, 'Minimap'),
        action: () => setSettings({ ...settings, showMinimap: !settings.showMinimap }),
      },
    ],
  };

  return (
    <EditorContextProvider store={store} registry={props.registry} openPalette={openPalette} fitView={fit}>
      <div
        className="spark-editor"
        data-mode={mode}
        style={{
          gridTemplateColumns: `${settings.panels.nodes ? '190px' : '0'} 1fr ${settings.panels.inspector ? '370px' : '0'}`,
          gridTemplateRows: `36px 1fr ${settings.panels.console ? '170px' : '0'}`,
        }}
      >
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
            {mode === 'brain' ? 'Brain' : 'Neuron'} -{' '}
            {stem(fileName) === 'untitled' ? 'Untitled' : stem(fileName)}
            {dirty ? ' *' : ''}
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
            aria-label="Add node (Ctrl+K)"
          >
            + Add node
          </button>
        </header>
        {settings.panels.nodes ? <NodeList /> : null}
        <main className="spark-main">
          <GraphCanvas minimap={settings.showMinimap} />
          <div hidden={!settings.panels.simulation} className="spark-sim-host">
            <SimulationPanel
              simulator={simulator}
              {...(props.autoRun ? { autoRun: true } : {})}
              {...(props.raster ? { raster: props.raster } : {})}
            />
          </div>
        </main>
        {settings.panels.inspector ? <Inspector /> : null}
        {settings.panels.console ? <ConsolePanel /> : null}
        <Palette
          open={palette.open}
          at={palette.at}
          onOpenChange={(o) => setPalette((p) => ({ ...p, open: o }))}
        />
        {dialog?.kind === 'discard' ? (
          <Dialog title="Unsaved changes" onClose={() => dialog.resolve('cancel')}>
            <p>The document has been modified. Do you want to save your changes?</p>
            <div className="spark-dialog-buttons">
              <button type="button" onClick={() => dialog.resolve('save')}>
                Save
              </button>
              <button type="button" onClick={() => dialog.resolve('discard')}>
                Discard
              </button>
              <button type="button" onClick={() => dialog.resolve('cancel')}>
                Cancel
              </button>
            </div>
          </Dialog>
        ) : null}
        {dialog?.kind === 'errors' ? (
          <Dialog title={dialog.title} onClose={() => setDialog(null)}>
            <ul className="spark-error-list">
              {dialog.diagnostics.map((d, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: static list
                <li key={i}>• {d.message}</li>
              ))}
            </ul>
            <div className="spark-dialog-buttons">
              <button type="button" onClick={() => setDialog(null)}>
                OK
              </button>
            </div>
          </Dialog>
        ) : null}
        {dialog?.kind === 'settings' ? (
          <Dialog title="Settings" onClose={() => setDialog(null)}>
            <label>
              <input
                type="checkbox"
                checked={settings.nativeDialogs}
                onChange={(e) => setSettings({ ...settings, nativeDialogs: e.target.checked })}
              />{' '}
              Use the browser's native file dialogs
            </label>
            <label>
              <input
                type="checkbox"
                checked={settings.compressFiles}
                onChange={(e) => setSettings({ ...settings, compressFiles: e.target.checked })}
              />{' '}
              Write XZ-compressed files (as Spark does)
            </label>
            <label>
              <input
                type="checkbox"
                checked={settings.showMinimap}
                onChange={(e) => setSettings({ ...settings, showMinimap: e.target.checked })}
              />{' '}
              Show the minimap
            </label>
            <div className="spark-dialog-buttons">
              <button type="button" onClick={() => setDialog(null)}>
                Close
              </button>
            </div>
          </Dialog>
        ) : null}
        {dialog?.kind === 'neuron-name' ? (
          <Dialog title="Save as custom neuron" onClose={() => dialog.resolve(undefined)}>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                const v = new FormData(e.currentTarget).get('name');
                dialog.resolve(typeof v === 'string' && v.trim() ? v.trim() : undefined);
              }}
            >
              <label>
                Neuron class name <input name="name" defaultValue="MyNeuron" />
              </label>
              <div className="spark-dialog-buttons">
                <button type="submit">Save</button>
                <button type="button" onClick={() => dialog.resolve(undefined)}>
                  Cancel
                </button>
              </div>
            </form>
          </Dialog>
        ) : null}
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
