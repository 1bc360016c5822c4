/**
 * The editor's commands (menus and shortcuts from one table), and the actions the shell's parts
 * share (the palette, fit to view, the Problems tab).
 *
 * @module
 */
import { useReactFlow } from '@xyflow/react';
import { useCallback, useMemo, useRef } from 'react';
import { neuronRegistryName } from '../../model/neuron.ts';
import type { Problem } from '../../model/problems.ts';
import type { EditorStore } from '../../model/store.ts';
import type { Position } from '../../model/types.ts';
import { useEditor } from '../context.tsx';
import { bindingsOf, type EditorCommand, menusOf } from './commands.ts';
import type { DialogState } from './Dialogs.tsx';
import type { MenuItem } from './Menu.tsx';
import type { DockName, EditorSettings } from './settings.ts';
import { useShortcuts } from './shortcuts.ts';
import { type DocumentFiles, stem } from './useDocumentFiles.ts';

/** What {@link useEditorCommands} needs from the shell. */
export interface ShellState {
  store: EditorStore;
  files: DocumentFiles;
  settings: EditorSettings;
  setSettings(s: EditorSettings): void;
  setDialog(d: DialogState | null): void;
  setPalette(p: { open: boolean; at?: Position | undefined }): void;
  setBottomTab(t: 'console' | 'problems'): void;
  examples: readonly { name: string; fileName: string; load(): Promise<Uint8Array> }[];
}

/** The menus, the shortcuts (bound while mounted) and the shared actions. */
export function useEditorCommands(shell: ShellState) {
  const { store, files, settings, setSettings, setDialog, setPalette, setBottomTab } = shell;
  const flow = useReactFlow();
  const fileName = useEditor((s) => s.fileName);
  const mode = useEditor((s) => s.doc.mode);
  const inNeuron = useEditor((s) => s.neuronStack.length > 0);
  const selection = useEditor((s) => s.selection);
  const clip = useRef<string>('');
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
  }, [settings, setSettings, setBottomTab]);
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
    [flow, setPalette],
  );
  const saveNeuron = useCallback(async () => {
    const name = await new Promise<string | undefined>((resolve) =>
      setDialog({ kind: 'neuron-name', resolve }),
    );
    setDialog(null);
    if (name) store.getState().saveCustomNeuron(neuronRegistryName(name));
  }, [store, setDialog]);

  const tick = (on: boolean, label: string) => `${on ? '✓ ' : ''}${label}`;
  const nothingSelected = selection.length === 0;
  const commands: Record<string, EditorCommand> = {
    new: {
      label: 'New',
      shortcut: 'Ctrl+N',
      keys: ['$mod+KeyN'],
      always: true,
      run: () => void files.newDocument(),
    },
    openSession: {
      label: 'Open Session…',
      shortcut: 'Ctrl+O',
      keys: ['$mod+KeyO'],
      always: true,
      run: () => void files.open('session'),
    },
    importModel: {
      label: 'Import Model…',
      shortcut: 'Ctrl+Shift+O',
      keys: ['$mod+Shift+KeyO'],
      always: true,
      run: () => void files.open('model'),
    },
    save: {
      label: 'Save Session',
      shortcut: 'Ctrl+S',
      keys: ['$mod+KeyS'],
      always: true,
      run: () => void files.saveSession(false),
    },
    saveAs: {
      label: 'Save Session as…',
      shortcut: 'Ctrl+Shift+S',
      keys: ['$mod+Shift+KeyS'],
      always: true,
      run: () => void files.saveSession(true),
    },
    export: {
      label: fileName ? `Export to ${stem(fileName)}.scfg` : 'Export Model',
      shortcut: 'Ctrl+E',
      keys: ['$mod+KeyE'],
      always: true,
      run: () => void files.exportModel(),
    },
    settings: { label: 'Settings…', run: () => setDialog({ kind: 'settings' }) },
    undo: { label: 'Undo', shortcut: 'Ctrl+Z', keys: ['$mod+KeyZ'], run: () => store.getState().undo() },
    redo: {
      label: 'Redo',
      shortcut: 'Ctrl+Shift+Z',
      keys: ['$mod+Shift+KeyZ', '$mod+KeyY'],
      run: () => store.getState().redo(),
    },
    cut: {
      label: 'Cut',
      shortcut: 'Ctrl+X',
      keys: ['$mod+KeyX'],
      disabled: nothingSelected,
      run: () => {
        copy();
        store.getState().removeSelected();
      },
    },
    copy: { label: 'Copy', shortcut: 'Ctrl+C', keys: ['$mod+KeyC'], disabled: nothingSelected, run: copy },
    paste: { label: 'Paste', shortcut: 'Ctrl+V', keys: ['$mod+KeyV'], run: paste },
    duplicate: {
      label: 'Duplicate',
      shortcut: 'Ctrl+D',
      keys: ['$mod+KeyD'],
      always: true,
      disabled: nothingSelected,
      run: () => store.getState().duplicate(),
    },
    delete: {
      label: 'Delete Selected',
      shortcut: 'Del',
      keys: ['Delete', 'Backspace'],
      run: () => store.getState().removeSelected(),
    },
    selectAll: {
      label: 'Select All',
      shortcut: 'Ctrl+A',
      keys: ['$mod+KeyA'],
      run: () => store.getState().selectAll(),
    },
    deselect: { label: 'Select None', keys: ['Escape'], run: () => store.getState().select([]) },
    addNode: { label: 'Add Node…', shortcut: 'A', keys: ['KeyA', 'Shift+KeyA'], run: () => openPalette() },
    palette: { label: 'Add Node…', keys: ['$mod+KeyK'], always: true, run: () => openPalette() },
    validate: {
      label: 'Validate',
      shortcut: 'Ctrl+Shift+V',
      keys: ['$mod+Shift+KeyV'],
      always: true,
      run: validate,
    },
    layout: { label: 'Auto-layout', shortcut: 'Ctrl+L', keys: ['$mod+KeyL'], always: true, run: layout },
    fit: { label: 'Zoom to Fit', shortcut: 'Shift+1', keys: ['Shift+Digit1'], run: fit },
    enterNeuron: {
      label: 'Edit Neuron Inside',
      disabled: selection.length !== 1,
      run: () => {
        if (selection[0]) store.getState().enterNeuron(selection[0]);
      },
    },
    saveNeuron: {
      label: 'Save as Custom Neuron…',
      disabled: mode !== 'neuron',
      run: () => void saveNeuron(),
    },
    applyNeuron: {
      label: 'Apply and Return to Brain',
      disabled: !inNeuron,
      run: () => store.getState().exitNeuron(true),
    },
    discardNeuron: {
      label: 'Discard and Return to Brain',
      disabled: !inNeuron,
      run: () => store.getState().exitNeuron(false),
    },
    nodesDock: {
      label: tick(settings.panels.nodes, 'Node List'),
      run: () => dockOpen('nodes', !settings.panels.nodes),
    },
    inspectorDock: {
      label: tick(settings.panels.inspector, 'Inspector'),
      run: () => dockOpen('inspector', !settings.panels.inspector),
    },
    simulationDock: {
      label: tick(settings.panels.simulation, 'Simulation'),
      run: () => dockOpen('simulation', !settings.panels.simulation),
    },
    bottomDock: {
      label: tick(settings.panels.bottom, 'Console and Problems'),
      run: () => dockOpen('bottom', !settings.panels.bottom),
    },
    minimap: {
      label: tick(settings.showMinimap, 'Minimap'),
      run: () => setSettings({ ...settings, showMinimap: !settings.showMinimap }),
    },
  };
  const live = useRef(commands);
  live.current = commands;
  // The key bindings call the current command table (bound once; the table changes with the state).
  const bindings = useMemo(
    () =>
      bindingsOf(
        Object.fromEntries(
          Object.entries(live.current).map(([k, c]) => [k, { ...c, run: () => live.current[k]?.run() }]),
        ),
      ),
    [],
  );
  useShortcuts(bindings);
  const menus: Record<string, MenuItem[]> = menusOf(commands, {
    File: [
      'new',
      'openSession',
      'importModel',
      {
        label: 'Open Recent',
        submenu: files.recent.map((r) => ({
          label: r.name,
          action: () => void files.openBytes(r.name, r.bytes, r.kind, false),
        })),
      },
      {
        label: 'Examples',
        submenu: shell.examples.map((ex) => ({
          label: ex.name,
          action: () => void ex.load().then((bytes) => files.openBytes(ex.fileName, bytes, 'model', false)),
        })),
      },
      '-',
      'save',
      'saveAs',
      'export',
      '-',
      'settings',
    ],
    Edit: ['undo', 'redo', '-', 'cut', 'copy', 'paste', 'duplicate', 'delete', 'selectAll'],
    Graph: [
      'addNode',
      'validate',
      'layout',
      'fit',
      '-',
      'enterNeuron',
      'saveNeuron',
      'applyNeuron',
      'discardNeuron',
    ],
    Windows: ['nodesDock', 'inspectorDock', 'simulationDock', 'bottomDock', 'minimap'],
  });

  return { menus, openPalette, fit, showProblems, focusProblem, validate, dockState };
}
