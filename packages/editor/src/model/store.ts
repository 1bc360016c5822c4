/**
 * The editor store: the document, the selection, the console and undo/redo history (zustand +
 * zundo). Framework-free: React binds to it with `useStore`, tests drive it directly.
 *
 * @module
 */
import { type TemporalState, temporal } from 'zundo';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Clipboard, CommandResult } from './commands.ts';
import * as cmd from './commands.ts';
import { autoLayout } from './layout.ts';
import { isNeuronNode, neuronConfigBody, neuronDocument } from './neuron.ts';
import type { Connection } from './ports.ts';
import { listProblems, mapPathsToNodes, type Problem, problemText } from './problems.ts';
import type { EditorRegistry } from './registry.ts';
import { documentFromSpark, documentToSpark } from './spark-json.ts';
import type {
  Diagnostic,
  DocNode,
  EditorDocument,
  EditorMode,
  FieldPath,
  IoSpec,
  Json,
  JsonObject,
  LogLevel,
  NodeKind,
  Position,
} from './types.ts';
import { emptyDocument } from './types.ts';
import { checkGraph } from './validate.ts';

/** One console line. */
export interface LogEntry extends Diagnostic {
  id: number;
  /** Milliseconds since the epoch. */
  time: number;
}

/** A Neuron-mode frame: the brain document we came from and the neuron node being edited. */
export interface NeuronFrame {
  parent: EditorDocument;
  nodeId: string;
}

/** Validates a Spark JSON document with the full BrainConfig/NeuronConfig validation. */
export type ConfigValidator = (json: JsonObject) => Diagnostic[];

/** State and actions of the editor store. */
export interface EditorState {
  doc: EditorDocument;
  selection: string[];
  selectedEdges: string[];
  log: LogEntry[];
  /** Unsaved changes since the last save/export/load. */
  dirty: boolean;
  /** Name of the current session file (for the title and Save). */
  fileName: string | null;
  /** Non-empty while editing a neuron's inside. */
  neuronStack: NeuronFrame[];
  /**
   * Problems the full config validation finds in the current document (kept up to date shortly
   * after every change when a validator is given); shown inline by the inspector.
   */
  issues: Diagnostic[];
  /** The document {@link EditorState.issues} were found in (they are current when it is `doc`). */
  issuesFor: EditorDocument | null;
  /** Re-runs the full validation now (nothing to do when the issues are current). */
  revalidate(): void;
  /**
   * Counts the documents this store has held: New, Open, Import, entering and leaving a neuron's
   * inside each start a new one (edits do not). Views reset what belongs to the old document.
   */
  docVersion: number;
  /** Validates now (the Validate command): the problems in words, also summed up in the console. */
  validate(): Problem[];
  /**
   * A request to show one field: the inspector selects `nodeId` (null: the controller), opens its
   * section and focuses the field at `path` (formatted wire path). `seq` changes with every request.
   */
  focus: { nodeId: string | null; path: string; seq: number } | null;
  /** Selects a node and asks the inspector to focus one of its fields (Problems panel, console). */
  focusField(nodeId: string | null, path: string): void;

  addModule(type: string, position?: Position, name?: string): DocNode | undefined;
  addIoNode(kind: Exclude<NodeKind, 'module'>, position?: Position, name?: string): DocNode | undefined;
  removeNodes(ids: readonly string[]): void;
  removeSelected(): void;
  connect(c: Connection): boolean;
  removeEdges(ids: readonly string[]): void;
  /** Moves nodes; while `dragging` the history is not written (the whole drag is one step). */
  moveNodes(positions: Readonly<Record<string, Position>>, dragging?: boolean): void;
  renameNode(from: string, to: string): boolean;
  setField(nodeId: string | null, path: FieldPath, value: Json): boolean;
  setLink(nodeId: string, path: FieldPath, on: boolean): boolean;
  setIoSpec(nodeId: string, spec: Partial<IoSpec>): boolean;
  select(ids: readonly string[], edges?: readonly string[]): void;
  selectAll(): void;
  copy(): string;
  paste(text: string, offset?: Position): string[];
  cut(): string;
  duplicate(): string[];
  layout(sizes?: Readonly<Record<string, { width: number; height: number }>>): void;
  undo(): void;
  redo(): void;
  canUndo(): boolean;
  canRedo(): boolean;
  report(level: LogLevel, message: string, where?: { nodeId?: string; path?: string }): void;
  clearLog(): void;
  newDocument(mode?: EditorMode): void;
  /** Loads a Spark JSON document (session or model). Problems are logged; the document still loads. */
  load(json: unknown, options?: { fileName?: string; kind?: 'session' | 'model' }): Diagnostic[];
  /** The session JSON (`.sge`): partial, never validated. */
  sessionJson(): JsonObject;
  /**
   * Validates and returns the model JSON (`.scfg`); `json` is undefined when it has errors.
   * `problems` lists them in words, each once; `diagnostics` are the raw checks.
   */
  exportModel(): { json?: JsonObject; diagnostics: Diagnostic[]; problems: Problem[] };
  markSaved(fileName?: string): void;
  enterNeuron(nodeId: string): boolean;
  /** Leaves Neuron mode; `apply` writes the edited inside back into the neuron node. */
  exitNeuron(apply: boolean): void;
  /** Saves the current Neuron-mode document as a custom neuron type. */
  saveCustomNeuron(registryName: string): boolean;
}

/** Options of {@link createEditorStore}. */
export interface EditorStoreOptions {
  registry: EditorRegistry;
  /** Full config validation (from `@spark-snn/config`), used by {@link EditorState.exportModel}. */
  validate?: ConfigValidator;
  initial?: EditorDocument;
  /** Mirror console lines to `console.*` (default true). */
  mirrorToConsole?: boolean;
  /** Maximum undo steps (default 200). */
  historyLimit?: number;
  /** Re-validate this long (ms) after the last change; `false` turns live validation off. Default 300. */
  liveValidation?: number | false;
}

/** The store type (with zundo's `temporal` API). */
export type EditorStore = StoreApi<EditorState> & {
  temporal: StoreApi<TemporalState<{ doc: EditorDocument }>>;
};

let logId = 0;

/** Creates an editor store. */
export function createEditorStore(options: EditorStoreOptions): EditorStore {
  const { registry } = options;
  const mirror = options.mirrorToConsole ?? true;
  let dragBase: EditorDocument | null = null;

  const store: EditorStore = createStore<EditorState>()(
    temporal(
      (set, get): EditorState => {
        const log = (
          level: LogLevel,
          message: string,
          where: { nodeId?: string; path?: string } = {},
        ): void => {
          const entry: LogEntry = { id: ++logId, time: Date.now(), level, message };
          if (where.nodeId !== undefined) entry.nodeId = where.nodeId;
          if (where.path !== undefined) entry.path = where.path;
          set((s) => ({ log: [...s.log.slice(-999), entry] }));
          if (mirror) {
            const fn = level === 'error' ? console.error : level === 'warning' ? console.warn : console.info;
            fn(`[spark-snn editor] ${level.toUpperCase()}: ${message}`);
          }
        };
        const apply = <T>(
          r: CommandResult<T>,
          quiet = false,
        ): r is Extract<CommandResult<T>, { ok: true }> => {
          if (!r.ok) {
            log('warning', r.message);
            return false;
          }
          if (r.doc !== get().doc) set({ doc: r.doc, dirty: true });
          if (r.message && !quiet) log('info', r.message);
          return true;
        };
        const centre = (): Position => {
          const n = get().doc.nodes.length;
          return { x: 40 + (n % 5) * 60, y: 40 + (n % 7) * 50 };
        };
        const temporalApi = (): TemporalState<{ doc: EditorDocument }> => store.temporal.getState();
        return {
          doc: options.initial ?? emptyDocument(),
          selection: [],
          selectedEdges: [],
          log: [],
          dirty: false,
          fileName: null,
          neuronStack: [],
          issues: [],
          issuesFor: null,
          focus: null,
          docVersion: 0,

          focusField(nodeId, path) {
            set((s) => ({
              selection: nodeId === null ? [] : [nodeId],
              selectedEdges: [],
              focus: { nodeId, path, seq: (s.focus?.seq ?? 0) + 1 },
            }));
          },

          revalidate() {
            const doc = get().doc;
            if (get().issuesFor === doc) return;
            if (!options.validate || doc.mode !== 'brain') {
              set({ issues: [], issuesFor: doc });
              return;
            }
            try {
              set({
                issues: mapPathsToNodes(options.validate(documentToSpark(doc, registry)), doc),
                issuesFor: doc,
              });
            } catch (e) {
              set({
                issues: [
                  {
                    level: 'error',
                    message: `validation failed: ${e instanceof Error ? e.message : String(e)}`,
                  },
                ],
                issuesFor: doc,
              });
            }
          },
          validate() {
            get().revalidate();
            const s = get();
            const problems = listProblems(s.doc, registry, s.issues);
            const errors = problems.filter((p) => p.level === 'error').length;
            if (problems.length === 0) log('success', 'Validation: the model is valid.');
            else
              log(
                errors > 0 ? 'error' : 'warning',
                `Validation: ${errors} error(s), ${problems.length - errors} warning(s); see Problems.`,
              );
            return problems;
          },

          addModule(type, position, name) {
            const doc0 = get().doc;
            const neuronType =
              registry.get(type)?.subregistry === 'NEURONS' || doc0.customNeurons[type] !== undefined;
            if (doc0.mode === 'neuron' && neuronType) {
              // As in Spark's editor: in Neuron mode a neuron expands its template into the canvas.
              const body = registry.get(type)?.defaults() ?? doc0.customNeurons[type] ?? {};
              const inner = documentFromSpark({ __type__: 'neuron_config', __cfg__: body }, registry).doc;
              const at = position ?? centre();
              const x0 = Math.min(...inner.nodes.map((n) => n.position.x));
              const y0 = Math.min(...inner.nodes.map((n) => n.position.y));
              const clip: Clipboard = {
                format: 'spark-snn/editor-selection',
                version: 1,
                nodes: inner.nodes,
                edges: inner.edges,
              };
              const r = cmd.paste(doc0, clip, { x: at.x - x0, y: at.y - y0 });
              if (!apply(r, true)) return undefined;
              set({ selection: r.value, selectedEdges: [] });
              log('info', `Expanded the ${type} template (${r.value.length} nodes).`);
              return get().doc.nodes.find((n) => n.id === r.value[0]);
            }
            const r = cmd.addModule(get().doc, registry, type, position ?? centre(), name);
            if (!apply(r)) return undefined;
            set({ selection: [r.value.id], selectedEdges: [] });
            return r.value;
          },
          addIoNode(kind, position, name) {
            const r = cmd.addIoNode(get().doc, kind, position ?? centre(), name);
            if (!apply(r)) return undefined;
            set({ selection: [r.value.id], selectedEdges: [] });
            return r.value;
          },
          removeNodes(ids) {
            if (ids.length === 0) return;
            const doc = cmd.removeNodes(get().doc, ids);
            set((s) => ({
              doc,
              dirty: true,
              selection: s.selection.filter((x) => !ids.includes(x)),
              selectedEdges: [],
            }));
            for (const id of ids) log('info', `Node ${id} deleted sucessfully.`);
          },
          removeSelected() {
            const { selection, selectedEdges } = get();
            if (selectedEdges.length > 0) get().removeEdges(selectedEdges);
            if (selection.length > 0) get().removeNodes(selection);
          },
          connect(c) {
            const r = cmd.connect(get().doc, registry, c);
            if (!r.ok) {
              log('error', r.message, { nodeId: c.target });
              return false;
            }
            set({ doc: r.doc, dirty: true });
            return true;
          },
          removeEdges(ids) {
            if (ids.length === 0) return;
            set((s) => ({
              doc: cmd.removeEdges(s.doc, ids),
              dirty: true,
              selectedEdges: s.selectedEdges.filter((x) => !ids.includes(x)),
            }));
          },
          moveNodes(positions, dragging = false) {
            const t = temporalApi();
            if (dragging) {
              if (dragBase === null) dragBase = get().doc;
              t.pause();
              set((s) => ({ doc: cmd.moveNodes(s.doc, positions) }));
              t.resume();
              return;
            }
            const final = cmd.moveNodes(get().doc, positions);
            if (dragBase !== null) {
              // Record the drag as one step: restore the pre-drag document without history, then set the final one.
              const base = dragBase;
              dragBase = null;
              t.pause();
              set({ doc: base });
              t.resume();
            }
            set({ doc: final, dirty: true });
          },
          renameNode(from, to) {
            const r = cmd.renameNode(get().doc, from, to);
            if (!apply(r)) return false;
            set((s) => ({ selection: s.selection.map((x) => (x === from ? to : x)) }));
            return true;
          },
          setField(nodeId, path, value) {
            return apply(cmd.setField(get().doc, nodeId, path, value));
          },
          setLink(nodeId, path, on) {
            return apply(cmd.setLink(get().doc, nodeId, path, on));
          },
          setIoSpec(nodeId, spec) {
            return apply(cmd.setIoSpec(get().doc, nodeId, spec));
          },
          select(ids, edges = []) {
            const s = get();
            if (sameList(s.selection, ids) && sameList(s.selectedEdges, edges)) return;
            set({ selection: [...ids], selectedEdges: [...edges] });
          },
          selectAll() {
            set((s) => ({ selection: s.doc.nodes.map((n) => n.id), selectedEdges: [] }));
          },
          copy() {
            const clip: Clipboard = cmd.copySelection(get().doc, get().selection);
            return JSON.stringify(clip);
          },
          paste(text, offset) {
            const clip = cmd.parseClipboard(text);
            if (!clip) {
              log('warning', 'The clipboard does not hold editor nodes.');
              return [];
            }
            const r = cmd.paste(get().doc, clip, offset);
            if (!apply(r)) return [];
            set({ selection: r.value, selectedEdges: [] });
            return r.value;
          },
          cut() {
            const text = get().copy();
            get().removeSelected();
            return text;
          },
          duplicate() {
            return get().paste(get().copy());
          },
          layout(sizes) {
            const positions = autoLayout(get().doc, sizes);
            set((s) => ({ doc: cmd.moveNodes(s.doc, positions), dirty: true }));
            log('info', 'Auto-layout applied.');
          },
          undo() {
            temporalApi().undo();
            set({ dirty: true });
          },
          redo() {
            temporalApi().redo();
            set({ dirty: true });
          },
          canUndo: () => temporalApi().pastStates.length > 0,
          canRedo: () => temporalApi().futureStates.length > 0,
          report: log,
          clearLog() {
            set({ log: [] });
          },
          newDocument(mode = 'brain') {
            set((s) => ({
              docVersion: s.docVersion + 1,
              issues: [],
              doc: emptyDocument(mode),
              selection: [],
              selectedEdges: [],
              dirty: false,
              fileName: null,
              neuronStack: [],
            }));
            temporalApi().clear();
            log('info', `New ${mode === 'brain' ? 'Brain' : 'Neuron'} document.`);
          },
          load(json, opts = {}) {
            const r = documentFromSpark(json, registry);
            set((s) => ({
              docVersion: s.docVersion + 1,
              issues: [],
              doc: r.doc,
              selection: [],
              selectedEdges: [],
              dirty: false,
              fileName: opts.fileName ?? null,
              neuronStack: [],
            }));
            temporalApi().clear();
            // Full validation too: the document loads whatever it finds, and every problem is listed.
            if (
              options.validate &&
              r.doc.mode === 'brain' &&
              !r.diagnostics.some((d) => d.level === 'error')
            ) {
              try {
                const issues = mapPathsToNodes(options.validate(documentToSpark(r.doc, registry)), r.doc);
                set({ issues, issuesFor: r.doc });
                for (const d of issues)
                  if (!r.diagnostics.some((x) => x.message === d.message)) r.diagnostics.push(d);
              } catch {
                /* reported at export */
              }
            }
            for (const d of r.diagnostics) log(d.level, d.message, d);
            const what = opts.kind === 'model' ? 'Model' : 'Session';
            const errors = r.diagnostics.filter((d) => d.level === 'error').length;
            if (errors === 0)
              log('success', `${what} loaded sucessfully${opts.fileName ? ` from "${opts.fileName}"` : ''}.`);
            else
              log(
                'warning',
                `${what} loaded with ${errors} problem(s)${opts.fileName ? ` from "${opts.fileName}"` : ''}; see above.`,
              );
            return r.diagnostics;
          },
          sessionJson() {
            return documentToSpark(rootDocument(get()), registry, { session: true });
          },
          exportModel() {
            const doc = get().doc;
            const diagnostics = checkGraph(doc, registry);
            const json = documentToSpark(doc, registry);
            let issues: Diagnostic[] = [];
            if (options.validate) {
              try {
                issues = mapPathsToNodes(options.validate(json), doc);
              } catch (e) {
                issues = [
                  {
                    level: 'error',
                    message: `validation failed: ${e instanceof Error ? e.message : String(e)}`,
                  },
                ];
              }
              set({ issues, issuesFor: doc });
            }
            diagnostics.push(...issues);
            const problems = listProblems(doc, registry, issues);
            const errors = problems.filter((p) => p.level === 'error');
            for (const p of errors)
              log('error', `Failed to export model: ${problemText(p)}`, {
                ...(p.nodeId !== undefined ? { nodeId: p.nodeId } : {}),
              });
            if (errors.length > 0) return { diagnostics, problems };
            return { json, diagnostics, problems };
          },
          markSaved(fileName) {
            set((s) => ({ dirty: false, fileName: fileName ?? s.fileName }));
          },
          enterNeuron(nodeId) {
            const s = get();
            const node = s.doc.nodes.find((n) => n.id === nodeId);
            if (!node || !isNeuronNode(node)) {
              log('warning', `${nodeId} is not a neuron whose inside can be edited.`);
              return false;
            }
            const r = neuronDocument(node, registry, s.doc.customNeurons);
            for (const d of r.diagnostics) log(d.level, `${nodeId}: ${d.message}`);
            set({
              docVersion: s.docVersion + 1,
              doc: r.doc,
              selection: [],
              selectedEdges: [],
              neuronStack: [...s.neuronStack, { parent: s.doc, nodeId }],
            });
            temporalApi().clear();
            log('info', `Controller type updated to: "Neuron" (editing ${nodeId}).`);
            return true;
          },
          exitNeuron(applyChanges) {
            const s = get();
            const frame = s.neuronStack[s.neuronStack.length - 1];
            if (!frame) return;
            let parent = frame.parent;
            if (applyChanges) {
              const body = neuronConfigBody(s.doc, registry);
              parent = {
                ...parent,
                customNeurons: { ...parent.customNeurons, ...s.doc.customNeurons },
                nodes: parent.nodes.map((n) => (n.id === frame.nodeId ? { ...n, config: body } : n)),
              };
            }
            set({
              docVersion: s.docVersion + 1,
              doc: parent,
              selection: [frame.nodeId],
              selectedEdges: [],
              neuronStack: s.neuronStack.slice(0, -1),
              dirty: s.dirty || applyChanges,
            });
            temporalApi().clear();
            log(
              'info',
              `Controller type updated to: "Brain"${applyChanges ? ` (${frame.nodeId} updated)` : ''}.`,
            );
          },
          saveCustomNeuron(name) {
            const s = get();
            if (s.doc.mode !== 'neuron') {
              log('warning', 'Save as custom neuron is available in Neuron mode.');
              return false;
            }
            if (!/^[a-z][a-z0-9_]*_neuron$/.test(name) || registry.get(name)) {
              log(
                'error',
                `"${name}" cannot be used as a neuron name (snake_case ending in _neuron, not a built-in).`,
              );
              return false;
            }
            const body = neuronConfigBody(s.doc, registry);
            set({ doc: { ...s.doc, customNeurons: { ...s.doc.customNeurons, [name]: body } }, dirty: true });
            log('success', `Custom neuron "${name}" saved; it is in the palette under Neurons.`);
            return true;
          },
        };
      },
      {
        partialize: (s) => ({ doc: s.doc }),
        equality: (a, b) => a.doc === b.doc,
        limit: options.historyLimit ?? 200,
      },
    ),
  );
  const delay = options.liveValidation ?? 300;
  if (options.validate && delay !== false) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    store.subscribe((s, prev) => {
      if (s.doc === prev.doc) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => store.getState().revalidate(), delay);
    });
  }
  return store;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The outermost document (the brain, when editing a neuron's inside). */
function rootDocument(s: EditorState): EditorDocument {
  return s.neuronStack[0]?.parent ?? s.doc;
}
