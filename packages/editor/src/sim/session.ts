/**
 * One simulation per document: a framework-free session that keeps a {@link Simulator} loaded with
 * the document on the canvas. New, Open and Import load the new document at once (the old run
 * stops and its raster, traces, inputs and messages are cleared); edits that change the compiled
 * model reload it after a short pause in typing, carrying the running state over when the structure
 * is unchanged (a parameter edit); an invalid or empty document unloads the model and says why.
 * The panel draws what the session says and calls its commands.
 *
 * @module
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { listProblems, type Problem } from '../model/problems.ts';
import type { EditorRegistry } from '../model/registry.ts';
import { documentToSpark } from '../model/spark-json.ts';
import type { EditorStore } from '../model/store.ts';
import type { EditorDocument, Json, JsonObject } from '../model/types.ts';
import { isObject } from '../model/types.ts';
import {
  type BackendChoice,
  CartPole,
  defaultInput,
  type InputSource,
  inputValues,
  type LoadedModel,
  type LoadProgress,
  type RasterKind,
  type Simulator,
  type StepResult,
} from './simulator.ts';

/** Where the session stands. */
export type SessionStatus =
  | 'unavailable'
  | 'neuron-mode'
  | 'empty'
  | 'invalid'
  | 'loading'
  | 'ready'
  | 'failed';

/** What the panel shows. */
export interface SessionState {
  status: SessionStatus;
  /** The backend the user chose (`auto` follows the engine's rule). */
  backend: BackendChoice;
  /** The loaded model (status `ready`, or `loading` while a reload keeps the old one visible). */
  model: LoadedModel | null;
  /** Build progress while `loading`. */
  progress: LoadProgress | null;
  /** The problems that keep an invalid document from running. */
  problems: Problem[];
  /** What went wrong (status `failed`), in words. */
  error: string | null;
  /** The user wants it running (Run pressed, not paused since). */
  running: boolean;
  /** Index of the next step. */
  step: number;
  /** Simulated steps per second of wall time, over the last second. */
  stepsPerSecond: number;
  /** Frames drawn per second while running. */
  framesPerSecond: number;
  /** Which raster draws the spikes. */
  raster: RasterKind;
  /** Changes whenever what is drawn must be cleared (a new model that starts over, a reset). */
  generation: number;
  /** Sources feeding the model's inputs. */
  inputs: Record<string, InputSource>;
}

/** Sets up the raster after a load (the panel's WebGPU canvas); `lost` means load again. */
export type RasterHook = (model: LoadedModel) => Promise<{ kind: RasterKind; lost?: boolean }>;

/** Options of {@link createSimulationSession}. */
export interface SessionOptions {
  simulator: Simulator;
  store: EditorStore;
  registry: EditorRegistry;
  /** Start running as soon as a valid model is loaded. */
  autoRun?: boolean;
  /** The backend to start with (default `auto`). */
  backend?: BackendChoice;
  /** Pause after the last edit before the model is reloaded (ms, default 400). */
  debounceMs?: number;
  /** Steps per engine call; default adaptive (about 50 ms of engine time per call). */
  stepsPerCall?: number;
  /** Schedules the next frame (default `requestAnimationFrame`, or a timer outside browsers). */
  frame?: (fn: (now: number) => void) => unknown;
  cancelFrame?: (id: unknown) => void;
}

/** The session: state to draw, and commands. */
export interface SimulationSession {
  readonly state: StoreApi<SessionState>;
  /** Reloads now if the document changed since the last load (otherwise nothing). */
  sync(): Promise<void>;
  setBackend(b: BackendChoice): void;
  run(): void;
  pause(): void;
  /** One step (when paused). */
  stepOnce(): Promise<void>;
  reset(): Promise<void>;
  setInput(name: string, patch: Partial<InputSource>): void;
  /** Called with every step result (raster, traces, CartPole). */
  onStep(fn: (r: StepResult) => void): () => void;
  /** Sets how the raster is prepared after each load. */
  setRasterHook(hook: RasterHook | undefined): void;
  dispose(): void;
}

/** The model JSON without what does not reach the simulator (node positions, link metadata). */
function modelKey(json: JsonObject): string {
  const strip = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(strip);
    if (!isObject(v)) return v;
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (k !== '__graph_editor_metadata__') out[k] = strip(x);
    return out;
  };
  return JSON.stringify(strip(json));
}

/** The structure of a model: modules, types, wiring and shapes, without numeric parameter values. */
function structureKey(doc: EditorDocument): string {
  return JSON.stringify({
    nodes: doc.nodes.map((n) => [n.id, n.kind, n.type, n.spec?.shape ?? null, shapes(n.config)]),
    edges: doc.edges.map((e) => e.id),
  });
}

/**
 * `units` and `shape` values anywhere in a config body (what sizes most buffers). Other sizes (a
 * delay ring's length) need no listing: `Brain.merge` checks every size and starts over on a mismatch.
 */
function shapes(v: Json): Json {
  if (Array.isArray(v)) return v.map(shapes);
  if (!isObject(v)) return null;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'units' || k === 'shape' || k === '__type__') out[k] = x;
    else if (isObject(x) || Array.isArray(x)) out[k] = shapes(x);
  }
  return out;
}

const initial = (backend: BackendChoice): SessionState => ({
  status: 'empty',
  backend,
  model: null,
  progress: null,
  problems: [],
  error: null,
  running: false,
  step: 0,
  stepsPerSecond: 0,
  framesPerSecond: 0,
  raster: 'canvas2d',
  generation: 0,
  inputs: {},
});

/** Creates a session following `store`'s document. */
export function createSimulationSession(options: SessionOptions): SimulationSession {
  const { simulator: sim, store, registry } = options;
  const state = createStore<SessionState>()(() => initial(options.backend ?? 'auto'));
  const set = (patch: Partial<SessionState>) => state.setState(patch);
  const listeners = new Set<(r: StepResult) => void>();
  const frame =
    options.frame ??
    (typeof requestAnimationFrame === 'function'
      ? (fn: (now: number) => void) => requestAnimationFrame(fn)
      : (fn: (now: number) => void) => setTimeout(() => fn(performance.now()), 16));
  const cancelFrame =
    options.cancelFrame ??
    (typeof cancelAnimationFrame === 'function'
      ? (id: unknown) => cancelAnimationFrame(id as number)
      : (id: unknown) => clearTimeout(id as ReturnType<typeof setTimeout>));
  const env = new CartPole(1);
  let rasterHook: RasterHook | undefined;
  let loadedKey: string | null = null;
  let loadedStructure: string | null = null;
  let loadedBackend: BackendChoice | null = null;
  let loadedVersion = -1;
  let wantRun = options.autoRun === true;
  let busy = false;
  /** The step being taken, if any (reset waits for it). */
  let inFlight: Promise<boolean> | undefined;
  let loading: Promise<void> | null = null;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let loopId: unknown;
  let disposed = false;

  if (!sim.available) set({ status: 'unavailable' });

  const stopLoop = () => {
    if (loopId !== undefined) cancelFrame(loopId);
    loopId = undefined;
  };

  /** Inputs of a newly loaded model: kept by name, CartPole for ab_brain's `signal`, else constant. */
  const inputsFor = (m: LoadedModel, keep: boolean): Record<string, InputSource> => {
    const old = state.getState().inputs;
    return Object.fromEntries(
      m.inputs.map((i) => [
        i.name,
        keep && old[i.name]
          ? old[i.name]!
          : i.name === 'signal'
            ? { ...defaultInput(), kind: 'cartpole' }
            : defaultInput(),
      ]),
    );
  };

  const unload = async (patch: Partial<SessionState>) => {
    stopLoop();
    const had = state.getState().model !== null;
    loadedKey = null;
    loadedStructure = null;
    // Nothing runs now; a run the user asked for resumes once the document loads again.
    set({
      ...patch,
      running: false,
      model: null,
      progress: null,
      error: patch.error ?? null,
      step: 0,
      stepsPerSecond: 0,
      framesPerSecond: 0,
      inputs: {},
      ...(had ? { generation: state.getState().generation + 1 } : {}),
    });
    if (had) await sim.unload?.().catch(() => undefined);
  };

  const load = async (): Promise<void> => {
    const s = store.getState();
    const doc = s.doc;
    const newDocument = s.docVersion !== loadedVersion;
    if (!sim.available) return;
    if (doc.mode !== 'brain') {
      loadedVersion = s.docVersion;
      return unload({ status: 'neuron-mode', problems: [] });
    }
    if (!doc.nodes.some((n) => n.kind === 'module')) {
      loadedVersion = s.docVersion;
      return unload({ status: 'empty', problems: [] });
    }
    const json = documentToSpark(doc, registry);
    const key = modelKey(json);
    const backend = state.getState().backend;
    if (!newDocument && key === loadedKey && backend === loadedBackend && state.getState().model) return;
    // Invalid documents do not run: their problems are shown instead.
    s.revalidate();
    const errors = listProblems(doc, registry, store.getState().issues).filter((p) => p.level === 'error');
    if (errors.length > 0) {
      loadedVersion = s.docVersion;
      return unload({ status: 'invalid', problems: errors });
    }
    const structure = structureKey(doc);
    const keepState = !newDocument && backend === loadedBackend && structure === loadedStructure;
    const wasRunning = wantRun;
    stopLoop();
    set({
      status: 'loading',
      progress: null,
      error: null,
      problems: [],
      ...(keepState ? {} : { model: null, step: 0, stepsPerSecond: 0, framesPerSecond: 0 }),
      ...(newDocument ? { inputs: {} } : {}),
    });
    loadedVersion = s.docVersion;
    try {
      const onProgress = (p: LoadProgress) => set({ progress: p });
      // Validated above (the Problems list): the engine need not check it again.
      let m = await sim.load(json, { backend, keepState, onProgress, validated: true });
      let raster: RasterKind = 'canvas2d';
      if (rasterHook) {
        const r = await rasterHook(m);
        // Presenting the WebGPU canvas lost the device: load again, drawn with Canvas 2D.
        if (r.lost) m = await sim.load(json, { backend, onProgress, validated: true });
        raster = r.kind;
      }
      if (disposed) return;
      loadedKey = key;
      loadedStructure = structure;
      loadedBackend = backend;
      if (!m.continued) env.reset();
      set({
        status: 'ready',
        model: m,
        progress: null,
        raster,
        step: m.firstStep,
        inputs: inputsFor(m, !newDocument),
        ...(m.continued ? {} : { generation: state.getState().generation + 1 }),
      });
      if (wasRunning) startLoop();
    } catch (e) {
      loadedKey = null;
      loadedStructure = null;
      await unload({ status: 'failed', error: e instanceof Error ? e.message : String(e) });
    }
  };

  /** Loads now, or once more after the load in flight (never two at once). */
  const sync = (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (loading) {
      again = true;
      return loading;
    }
    loading = (async () => {
      do {
        again = false;
        await load();
      } while (again && !disposed);
      loading = null;
    })();
    return loading;
  };

  let lastVersion = store.getState().docVersion;
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.doc === prev.doc && s.docVersion === prev.docVersion) return;
    if (s.docVersion !== lastVersion) {
      // A new document: the old run stops and its drawings go at once; it runs when asked to.
      lastVersion = s.docVersion;
      stopLoop();
      wantRun = false;
      state.setState({ running: false });
      void sync();
      return;
    }
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void sync(), options.debounceMs ?? 400);
  });

  const advance = (k: number): Promise<boolean> => {
    const st = state.getState();
    if (!st.model || st.status !== 'ready' || busy) return Promise.resolve(false);
    inFlight = advanceNow(k);
    return inFlight;
  };
  const advanceNow = async (k: number): Promise<boolean> => {
    const st = state.getState();
    const m = st.model;
    if (!m) return false;
    busy = true;
    try {
      const dt = Number(store.getState().doc.controller.dt ?? 1) || 1;
      const feed: Record<string, Float32Array> = {};
      for (const i of m.inputs) {
        const src = st.inputs[i.name] ?? defaultInput();
        if (src.kind === 'cartpole') {
          const obs = env.observation();
          const v = new Float32Array(k * i.size);
          for (let s = 0; s < k; s++)
            for (let j = 0; j < i.size; j++) v[s * i.size + j] = obs[j % obs.length] ?? 0;
          feed[i.name] = v;
        } else feed[i.name] = inputValues(src, i.size, st.step, k, dt);
      }
      const r = await sim.step(k, feed);
      if (state.getState().model !== m) return false;
      // Closed loop: the CartPole environment reads the brain's action (two integrator outputs,
      // push right when the second is larger; or one output around 0.5).
      const a0 = r.traces['action[0]'];
      const a1 = r.traces['action[1]'];
      const a = r.traces.action;
      if (a0 && a1 && a0.length > 0) env.act((a1[a1.length - 1] ?? 0) - (a0[a0.length - 1] ?? 0));
      else if (a && a.length > 0) env.act((a[a.length - 1] ?? 0) - 0.5);
      for (const fn of listeners) fn(r);
      set({ step: r.firstStep + r.steps });
      return true;
    } catch (e) {
      if (state.getState().model === m) {
        wantRun = false;
        stopLoop();
        loadedKey = null;
        set({ status: 'failed', running: false, error: e instanceof Error ? e.message : String(e) });
      }
      return false;
    } finally {
      busy = false;
    }
  };

  const startLoop = () => {
    stopLoop();
    if (state.getState().status !== 'ready') return;
    set({ running: true });
    let k = options.stepsPerCall ?? 1;
    let last = performance.now();
    let skipped = 0;
    const window: { t: number; steps: number }[] = [];
    let frames: number[] = [];
    const tick = (now: number): void => {
      frames.push(now);
      frames = frames.filter((t) => now - t <= 1000);
      // When frames come late (the machine is busy) the engine waits a little, so drawing and
      // panning keep priority over simulation throughput.
      const late = now - last > 45;
      last = now;
      if (late && skipped < 2) skipped++;
      else if (!busy) {
        skipped = 0;
        const t0 = performance.now();
        const steps = k;
        void advance(steps).then((ok) => {
          const t1 = performance.now();
          if (!ok) return;
          if (options.stepsPerCall === undefined)
            k = Math.max(1, Math.min(200, Math.round((k * 50) / Math.max(t1 - t0, 1))));
          window.push({ t: t1, steps });
          while (window.length > 0 && t1 - (window[0]?.t ?? t1) > 1000) window.shift();
          const span = window.length > 1 ? t1 - (window[0]?.t ?? t1) : 0;
          const total = window.slice(1).reduce((x, w) => x + w.steps, 0);
          set({
            stepsPerSecond: span > 0 ? Math.round((total * 1000) / span) : 0,
            framesPerSecond: frames.length,
          });
        });
      }
      if (loopId !== undefined) loopId = frame(tick);
    };
    loopId = frame(tick);
  };

  return {
    state,
    sync,
    setBackend(b) {
      if (b === state.getState().backend) return;
      set({ backend: b, error: null });
      void sync();
    },
    run() {
      wantRun = true;
      if (state.getState().status === 'ready') startLoop();
      else set({ running: true });
    },
    pause() {
      wantRun = false;
      stopLoop();
      set({ running: false });
    },
    async stepOnce() {
      if (loopId !== undefined) return;
      await advance(1);
    },
    async reset() {
      const wasRunning = loopId !== undefined;
      stopLoop();
      if (!state.getState().model) return;
      // A step still in flight (Pause does not wait for it) lands before the reset, not after it.
      await inFlight?.catch(() => undefined);
      await sim.reset().catch(() => undefined);
      env.reset();
      set({ step: 0, generation: state.getState().generation + 1, stepsPerSecond: 0 });
      if (wasRunning) startLoop();
    },
    setInput(name, patch) {
      const inputs = state.getState().inputs;
      set({ inputs: { ...inputs, [name]: { ...(inputs[name] ?? defaultInput()), ...patch } } });
    },
    onStep(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    setRasterHook(hook) {
      rasterHook = hook;
    },
    dispose() {
      disposed = true;
      stopLoop();
      if (timer !== undefined) clearTimeout(timer);
      unsubscribe();
      listeners.clear();
    },
  };
}
