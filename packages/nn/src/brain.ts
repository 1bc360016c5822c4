/**
 * The Brain: compile a BrainConfig once, run it for many steps on any backend.
 *
 * ```ts
 * const brain = await Brain.fromConfig(doc, { backend: 'cpu', inputShapes: { signal: [4] } });
 * const out = await brain.step({ signal: [0.1, 0.2, 0.3, 0.4] });     // one step, same-step input
 * const rec = await brain.run({ steps: 1000, inputs: { signal }, record: ['pool.out_spikes'] });
 * ```
 *
 * Step semantics are Spark's (spark-reference §1.4.3): one step of latency on every module→module
 * edge, same-step caller inputs, multi-source inputs concatenated in PortMap order. Unlike Spark
 * there is no hidden "mock" step at build time, so a run starts from the pristine initial state
 * and the RNG is not advanced before the first real step (docs/spark-compatibility.md).
 *
 * @module
 */
import {
  type Behaviour,
  type ConfigBody,
  type ConfigDocument,
  type ConfigIssue,
  checkResources,
  defaultRegistry,
  derivePorts,
  type ModuleSpecs,
  type PayloadType,
  type Registry,
  validateDocument,
} from '@spark-snn/config';
import {
  type Backend,
  type BackendChoice,
  BackendError,
  type BackendKind,
  createStateTree,
  decodeSafetensors,
  encodeSafetensors,
  fromFloat16Array,
  type Plan,
  type Program,
  type ProgramStats,
  type StateTree,
  setPath,
  shapeSize,
  Tensor,
  type TypedArray,
} from '@spark-snn/core';
import { type DeviceBufferView, webgpuProgramDevice } from '@spark-snn/kernels';
import {
  clipEventInput,
  EVENT_OP_KINDS,
  type EventPlan,
  type EventView,
  eventPlan,
  readView,
  writeView,
} from '@spark-snn/kernels/internal';
import { selectBackend } from './backends.ts';
import { type CompiledBrain, compileBrain } from './compile/brain.ts';
import { type PortValue, portSize } from './compile/builder.ts';
import type { LoweringRegistry } from './compile/registry.ts';
import { defaultLowerings } from './lowerings/index.ts';

/** Options of {@link Brain.fromConfig}. */
export interface BrainOptions {
  /** `'auto'` (webgpu, then gpujs, then cpu), a backend kind, or a backend instance. Default `'auto'`. */
  readonly backend?: BackendChoice | Backend;
  /** Shapes of the caller inputs. Without them the brain compiles on the first `step`/`run`. */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
  /** Override the quirk behaviour implied by the document's provenance. */
  readonly behaviour?: Behaviour;
  /** Module registry (config package). Default: the default registry. */
  readonly registry?: Registry;
  /** Lowerings (module implementations). Default: the built-in set. */
  readonly lowerings?: LoweringRegistry;
  /** Skip whole-config validation (already validated). Default false. */
  readonly skipValidation?: boolean;
  /**
   * Memory budget of the brain's buffers in bytes, checked against the config package's estimate
   * when the input shapes are known, before anything is allocated (even with `skipValidation`).
   * Default: half of the machine's memory (`defaultMemoryBudget`); `Infinity` turns it off.
   */
  readonly memoryBudget?: number;
  /**
   * Progress of {@link Brain.build}: `compile` after each module of the brain is lowered (`done` of
   * `total` modules, `module` its name), then `load` before (0 of 1) and after (1 of 1) the backend
   * loads the plan. Synchronous calls, for progress bars (a worker can post them as they come).
   */
  readonly onProgress?: (progress: BuildProgress) => void;
  /**
   * Run synapse-domain modules event-driven where the backend can (cpu, webgpu): traces shared per
   * presynaptic source or postsynaptic unit, synaptic traces summed per postsynaptic unit, weights
   * updated only at the synapses of spiking units — the same spikes and weights as the dense form
   * (docs/decisions.md, "Event-driven synapse domain"). Per-synapse traces that the event form does
   * not keep (`readState`/recording says which) need `false`. Default true.
   */
  readonly eventDriven?: boolean;
}

/** One report of {@link BrainOptions.onProgress}. */
export interface BuildProgress {
  readonly stage: 'compile' | 'load';
  readonly done: number;
  readonly total: number;
  /** The module just compiled (stage `compile`). */
  readonly module?: string;
}

/** Error raised by the Brain for bad input; `issues` holds config problems when there are any. */
export class BrainError extends Error {
  readonly path: string;
  readonly issues: readonly ConfigIssue[];
  constructor(path: string, message: string, issues: readonly ConfigIssue[] = []) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'BrainError';
    this.path = path;
    this.issues = issues;
  }
}

/** Per-step inputs: one array per caller input (same-step values). */
export type StepInputs = Readonly<Record<string, ArrayLike<number>>>;

/** Options of {@link Brain.run}. */
export interface BrainRunOptions {
  readonly steps: number;
  /**
   * Input streams: per input, either `steps × size` values (row t feeds step t) or `size` values held
   * constant; or a function giving the streams of each chunk (`(start, count) → streams`).
   */
  readonly inputs?: StepInputs | ((start: number, count: number) => StepInputs | Promise<StepInputs>);
  /** Ports (`module.port`, e.g. `pool.out_spikes`) or state paths (`pool/soma/potential`) to record. */
  readonly record?: readonly string[];
  /** Steps per chunk (one submission on webgpu; one progress callback). Default 1000. */
  readonly chunk?: number;
  /** Called after each chunk. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Receives each chunk's recordings (`count × size` values per port, starting at step `start` of
   * the run) instead of the run accumulating them: the returned {@link Recording} then has empty
   * series, so a run of any length holds one chunk in memory.
   */
  readonly onRecord?: (chunk: RecordedChunk) => void | Promise<void>;
  /**
   * Called after every step with the brain's global step counter after it. With it the run makes
   * one backend chunk (one submission on webgpu) per step: the step's commands are submitted and the
   * next step's are not yet, so work queued on the brain's device here (see
   * {@link Brain.deviceSpikeBuffers}) runs in queue order between the two steps and sees exactly
   * this step's state, with no readback. Costs one submission per step; leave it out otherwise.
   */
  readonly onStep?: (step: number) => void | Promise<void>;
}

/** Where a spiking module's spikes live: the port {@link Brain.spikes} reads and its plan buffer. */
export interface SpikeBuffer {
  /** Module name (the population). */
  readonly module: string;
  /** Spike port: `spikes`, else `out_spikes` (Spark's `get_spikes_from_cache`). */
  readonly port: 'spikes' | 'out_spikes';
  /** Plan buffer holding the spikes of the most recent step (signed: −1/0/+1). */
  readonly buffer: string;
  /** Logical shape of the port. */
  readonly shape: readonly number[];
  /** Number of spike flags. */
  readonly size: number;
}

/** The spike buffers of a brain running on webgpu, on its own device. */
export interface DeviceSpikeBuffers {
  /** The brain's `GPUDevice`. */
  readonly device: GPUDevice;
  /** Per population (module name, in {@link Brain.spikeBuffers} order): the device view of its spike buffer. */
  readonly buffers: Readonly<Record<string, DeviceBufferView>>;
}

/** One chunk of a streamed recording (see {@link BrainRunOptions.onRecord}). */
export interface RecordedChunk {
  /** First step of the chunk (0 = the run's first step). */
  readonly start: number;
  /** Steps in the chunk. */
  readonly count: number;
  /** Port → `count × size` values (views valid during the callback only). */
  readonly series: Readonly<
    Record<string, { readonly shape: readonly number[]; readonly data: Float32Array }>
  >;
}

/** A recording: every recorded port as `steps × size` values. */
export interface Recording {
  readonly steps: number;
  readonly series: Readonly<
    Record<string, { readonly shape: readonly number[]; readonly data: Float32Array }>
  >;
}

/** Largest recording array {@link Brain.run} accumulates (the typed-array limit, 2^32 − 1 values). */
const MAX_RECORDING_ELEMENTS = 2 ** 32 - 1;

/** State path of the global step counter in {@link Brain.split} trees and checkpoints. */
const STEP_PATH = '_meta/step';

/**
 * Suffix of the state path of a per-synapse trace kept as its sum per postsynaptic unit by the
 * event-driven form (`pool/synapses/current_trace@rows`).
 */
const ROWS = '@rows';

/** Sources of spikes on a module: Spark's `get_spikes_from_cache` picks `spikes`, else `out_spikes`. */
const SPIKE_PORTS = ['spikes', 'out_spikes'] as const;

/** A compiled, loaded brain. */
export class Brain {
  /** The (validated) config document. */
  readonly document: ConfigDocument;
  /** Quirk behaviour in force. */
  readonly behaviour: Behaviour;
  /** Caller input ports and payload types. */
  readonly inputPayloads: Readonly<Record<string, PayloadType>>;
  private readonly backendChoice: BackendChoice | Backend;
  private readonly lowerings: LoweringRegistry;
  /** The module registry the brain was built with (custom modules included). */
  readonly registry: Registry;
  private compiled: CompiledBrain | undefined;
  private program: Program | undefined;
  private backendInstance: Backend | undefined;
  private backendNote = '';
  private readonly frozenModules = new Set<string>();
  private readonly memoryBudget: number | undefined;
  private readonly onProgress: ((progress: BuildProgress) => void) | undefined;
  private readonly eventDriven: boolean;
  /** The event-driven form of the plan, when the brain runs it. */
  private events: EventPlan | undefined;

  private constructor(doc: ConfigDocument, options: BrainOptions, payloads: Record<string, PayloadType>) {
    this.document = doc;
    this.behaviour = options.behaviour ?? doc.behaviour;
    this.backendChoice = options.backend ?? 'auto';
    this.lowerings = options.lowerings ?? defaultLowerings();
    this.registry = options.registry ?? defaultRegistry;
    this.inputPayloads = payloads;
    this.memoryBudget = options.memoryBudget;
    this.onProgress = options.onProgress;
    this.eventDriven = options.eventDriven ?? true;
  }

  /**
   * Validates a BrainConfig (all problems at once, with paths), and — when `inputShapes` is given —
   * compiles it into a plan and loads it on the chosen backend.
   */
  static async fromConfig(config: ConfigDocument | ConfigBody, options: BrainOptions = {}): Promise<Brain> {
    const registry = options.registry ?? defaultRegistry;
    const doc: ConfigDocument = isDocument(config)
      ? config
      : { type: 'brain_config', config, provenance: 'spark-snn', behaviour: 'corrected', compressed: true };
    if (doc.type !== 'brain_config')
      throw new BrainError('__type__', `expected a brain_config, got ${doc.type}`);
    if (!options.skipValidation) {
      const issues = validateDocument(doc, registry).filter((i) => i.severity === 'error');
      if (issues.length > 0) {
        const list = issues
          .slice(0, 20)
          .map((i) => `  - ${i.path}: ${i.message}`)
          .join('\n');
        throw new BrainError('', `the brain config has ${issues.length} error(s):\n${list}`, issues);
      }
    }
    const modules = doc.config.modules_specs as ModuleSpecs[];
    const sig = derivePorts(modules, registry);
    const payloads: Record<string, PayloadType> = {};
    for (const i of sig.inputs) payloads[i.name] = i.payload as PayloadType;
    const brain = new Brain(doc, options, payloads);
    if (options.inputShapes) await brain.build(options.inputShapes);
    return brain;
  }

  /** Which backend runs the brain (after build), and why it was picked. */
  get backend(): { kind: BackendKind; description: string; reason: string } | undefined {
    if (!this.backendInstance) return undefined;
    return {
      kind: this.backendInstance.kind,
      description: this.backendInstance.description,
      reason: this.backendNote,
    };
  }

  /** True once compiled and loaded. */
  get built(): boolean {
    return this.program !== undefined;
  }

  /** Steps executed since build or the last reset. */
  get stepCount(): number {
    return this.program?.step ?? 0;
  }

  /** Host↔device traffic counters. */
  get stats(): Readonly<ProgramStats> | undefined {
    return this.program?.stats;
  }

  /** The compiled plan (after build). */
  get compiledBrain(): CompiledBrain | undefined {
    return this.compiled;
  }

  /** Compiles and loads with explicit input shapes (called lazily by the first step/run otherwise). */
  async build(inputShapes: Readonly<Record<string, readonly number[]>>): Promise<void> {
    if (this.program) throw new BrainError('', 'the brain is already built');
    for (const name of Object.keys(this.inputPayloads)) {
      if (!inputShapes[name])
        throw new BrainError(`inputs.${name}`, `missing shape for brain input "${name}"`);
    }
    // The estimate with the real input shapes, before anything is allocated.
    const issues: ConfigIssue[] = [];
    checkResources(
      this.document.config,
      this.registry,
      {
        inputShapes,
        ...(this.memoryBudget !== undefined ? { memoryBudget: this.memoryBudget } : {}),
      },
      issues,
    );
    if (issues.length > 0) throw new BrainError(issues[0]!.path, issues[0]!.message, issues);
    this.compiled = compileBrain(this.document.config, this.inputPayloads, {
      inputShapes,
      lowerings: this.lowerings,
      behaviour: this.behaviour,
      registry: this.registry,
      ...(this.onProgress
        ? {
            onModule: (module: string, done: number, total: number) =>
              this.onProgress?.({ stage: 'compile', done, total, module }),
          }
        : {}),
    });
    this.onProgress?.({ stage: 'load', done: 0, total: 1 });
    const { backend, reason } = await selectBackend(this.backendChoice, this.compiled.plan);
    this.backendInstance = backend;
    this.backendNote = reason;
    if (this.eventDriven && EVENT_OP_KINDS.every((k) => backend.supports(k)))
      this.events = eventPlan(this.compiled.plan, { keep: this.observedBuffers() });
    this.program = await backend.load(this.plan);
    this.onProgress?.({ stage: 'load', done: 1, total: 1 });
  }

  /** The plan the backend runs: the event-driven form where the brain uses it, else the compiled plan. */
  get plan(): Plan {
    if (!this.compiled) throw new BrainError('plan', 'the brain is not built yet');
    return this.events?.plan ?? this.compiled.plan;
  }

  /**
   * Which synapse-domain modules run event-driven and which stay dense (with the reason), after
   * build; undefined when the brain runs the dense plan (`eventDriven: false`, or a backend without
   * the event ops).
   */
  get eventForm():
    | { readonly modules: EventPlan['modules']; readonly dense: EventPlan['dense'] }
    | undefined {
    return this.events ? { modules: this.events.modules, dense: this.events.dense } : undefined;
  }

  /** Buffers the brain reads besides states: inputs, outputs, properties, cache and spike ports. */
  private observedBuffers(): Set<string> {
    const c = this.compiled!;
    const out = new Set<string>();
    for (const v of c.inputs.values()) out.add(v.buffer);
    for (const v of Object.values(c.outputs)) out.add(v.buffer);
    for (const v of c.cache.values()) out.add(v.buffer);
    for (const m of c.modules.values())
      for (const v of [...Object.values(m.outputs), ...Object.values(m.properties)]) out.add(v.buffer);
    return out;
  }

  /** How the event form keeps a buffer of the compiled plan (undefined: kept as it is). */
  private viewOf(buffer: string): EventView | undefined {
    return this.events?.views.get(buffer);
  }

  /** Reads a buffer of the compiled plan, through its event-form view where it has one. */
  private async readBuffer(buffer: string, path: string): Promise<TypedArray> {
    const view = this.viewOf(buffer);
    if (!view) return this.program!.read(buffer);
    if (view.kind === 'unavailable')
      throw new BrainError(
        path,
        `is not kept by the event-driven form (${view.reason}); build the brain with { eventDriven: false } to read or record it`,
      );
    const contents = new Map<string, TypedArray>();
    for (const b of [view.buffer, view.delays, view.classOf])
      if (b !== undefined) contents.set(b, await this.program!.read(b));
    return readView(view, (b) => contents.get(b) as TypedArray);
  }

  /**
   * Advances the brain by one step (or `repeat` steps with the same inputs) and returns the brain
   * outputs of the last step. Inputs are same-step, as in Spark.
   */
  async step(
    inputs: StepInputs = {},
    options: { repeat?: number } = {},
  ): Promise<Record<string, Float32Array>> {
    const repeat = options.repeat ?? 1;
    if (!Number.isInteger(repeat) || repeat < 1)
      throw new BrainError('repeat', `must be a positive integer, got ${repeat}`);
    await this.ensureBuilt(inputs);
    const compiled = this.compiled!;
    const streams = this.inputStreams(inputs, 1);
    const outNames = Object.keys(compiled.outputs);
    const record = outNames.map((n) => compiled.outputs[n]!.buffer);
    const result = await this.program!.run({ steps: repeat, inputs: streams, record: [...new Set(record)] });
    const out: Record<string, Float32Array> = {};
    for (const name of outNames) {
      const v = compiled.outputs[name]!;
      const series = this.values(v.buffer, result.records[v.buffer]!);
      const n = portSize(v);
      out[name] = series.slice((repeat - 1) * n, repeat * n);
    }
    return out;
  }

  /** Runs many steps (open loop), streaming inputs in and recordings out in bulk. */
  async run(options: BrainRunOptions): Promise<Recording> {
    const { steps } = options;
    if (!Number.isInteger(steps) || steps < 0)
      throw new BrainError('steps', `must be a non-negative integer, got ${steps}`);
    const chunk = options.chunk ?? 1000;
    if (!Number.isInteger(chunk) || chunk < 1)
      throw new BrainError('chunk', `must be a positive integer, got ${chunk}`);
    const first =
      typeof options.inputs === 'function'
        ? await options.inputs(0, Math.min(chunk, steps))
        : (options.inputs ?? {});
    await this.ensureBuilt(first, steps);
    const targets = (options.record ?? []).map((r) => ({ name: r, value: this.resolvePort(r) }));
    const stream = options.onRecord;
    for (const t of targets) {
      if (this.viewOf(t.value.buffer))
        throw new BrainError(
          t.name,
          'is not kept per synapse by the event-driven form, so it cannot be recorded; build the brain with { eventDriven: false } to record it (readState reads it at any time)',
        );
    }
    const series: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
    for (const t of targets) {
      const n = stream ? 0 : steps * portSize(t.value);
      if (n > MAX_RECORDING_ELEMENTS)
        throw new BrainError(
          'steps',
          `recording ${t.name} for ${steps} steps needs ${n} values in one array (the limit is ${MAX_RECORDING_ELEMENTS}); record fewer steps per run or stream the chunks with onRecord`,
        );
      series[t.name] = { shape: t.value.shape, data: new Float32Array(n) };
    }
    const recordBuffers = [...new Set(targets.map((t) => t.value.buffer))];
    let done = 0;
    while (done < steps) {
      const count = Math.min(chunk, steps - done);
      let streams: Record<string, TypedArray>;
      if (typeof options.inputs === 'function') {
        const given = done === 0 ? first : await options.inputs(done, count);
        streams = this.inputStreams(given, count);
      } else {
        streams = this.inputStreams(
          sliceStreams(options.inputs ?? {}, this.compiled!, done, count, steps),
          count,
        );
      }
      const onStep = options.onStep;
      const base = this.program!.step;
      const res = await this.program!.run({
        steps: count,
        inputs: streams,
        record: recordBuffers,
        chunk: onStep ? 1 : count,
        ...(onStep ? { onChunk: (n: number) => onStep(base + n) } : {}),
      });
      if (stream) {
        const chunkSeries: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
        for (const t of targets) {
          const n = portSize(t.value);
          chunkSeries[t.name] = {
            shape: t.value.shape,
            data: this.values(t.value.buffer, res.records[t.value.buffer]!).subarray(0, count * n),
          };
        }
        await stream({ start: done, count, series: chunkSeries });
      } else {
        for (const t of targets) {
          const n = portSize(t.value);
          series[t.name]!.data.set(
            this.values(t.value.buffer, res.records[t.value.buffer]!).subarray(0, count * n),
            done * n,
          );
        }
      }
      done += count;
      options.onProgress?.(done, steps);
      if (done < steps) await yieldToEventLoop();
    }
    return { steps, series };
  }

  /**
   * Reads ports or state: `module.port` (outputs of the most recent step, or live properties) and
   * state paths `module/component/state`.
   */
  async readState(ports: readonly string[]): Promise<Record<string, Tensor<'float32'>>> {
    this.assertBuilt('readState');
    const out: Record<string, Tensor<'float32'>> = {};
    for (const p of ports) {
      const v = this.resolvePort(p);
      const data = this.values(v.buffer, await this.readBuffer(v.buffer, p));
      out[p] = Tensor.fromArray('float32', Float32Array.from(data), [...v.shape]);
    }
    return out;
  }

  /** The spikes every spiking module emitted on the most recent step (Spark's `get_spikes_from_cache`). */
  async spikes(): Promise<Record<string, Float32Array>> {
    this.assertBuilt('spikes');
    const out: Record<string, Float32Array> = {};
    for (const s of this.spikeBuffers())
      out[s.module] = Float32Array.from(this.values(s.buffer, await this.program!.read(s.buffer)));
    return out;
  }

  /**
   * Which plan buffer holds each spiking module's spikes (the buffers {@link Brain.spikes} reads), in
   * module order. Available after build.
   */
  spikeBuffers(): SpikeBuffer[] {
    this.assertBuilt('spikeBuffers');
    const out: SpikeBuffer[] = [];
    for (const [name, m] of this.compiled!.modules) {
      const port = SPIKE_PORTS.find((p) => m.outputs[p] !== undefined);
      const v = port ? m.outputs[port] : undefined;
      if (!port || !v) continue;
      out.push({ module: name, port, buffer: v.buffer, shape: v.shape, size: portSize(v) });
    }
    return out;
  }

  /**
   * On webgpu: the brain's device and a read-only device view of every spike buffer, for drawing or
   * analysing spikes on the GPU without reading them back; `undefined` on other backends. The views
   * belong to the current program: fetch them again after {@link Brain.setLearning} (which reloads
   * it); after {@link Brain.destroy} or a device loss their `buffer` throws a `BackendError`.
   */
  deviceSpikeBuffers(): DeviceSpikeBuffers | undefined {
    this.assertBuilt('deviceSpikeBuffers');
    const access = webgpuProgramDevice(this.program!);
    if (!access) return undefined;
    const buffers: Record<string, DeviceBufferView> = {};
    for (const s of this.spikeBuffers()) buffers[s.module] = access.deviceBuffer(s.buffer);
    return { device: access.device, buffers };
  }

  /** Restores the initial state (step counter 0). */
  async reset(): Promise<void> {
    this.assertBuilt('reset');
    await this.program!.reset();
  }

  /**
   * Turns plasticity of a module on or off. Off freezes its learnable state (the kernel keeps its
   * current values; traces go on). The plan is reloaded without the module's learning ops and the
   * whole state carries over, step counter included.
   */
  async setLearning(module: string, on: boolean): Promise<void> {
    this.assertBuilt('setLearning');
    const compiled = this.compiled!;
    const m = compiled.modules.get(module);
    if (!m)
      throw new BrainError(module, `unknown module (modules: ${[...compiled.modules.keys()].join(', ')})`);
    if (!m.learningOps || m.learningOps.length === 0)
      throw new BrainError(module, 'this module has nothing to learn');
    if (on === !this.frozenModules.has(module)) return;
    if (on) this.frozenModules.delete(module);
    else this.frozenModules.add(module);
    const skip = new Set(
      [...this.frozenModules].flatMap((name) => compiled.modules.get(name)?.learningOps ?? []),
    );
    const full = this.plan;
    const plan = { ...full, ops: full.ops.filter((o) => !skip.has(o.name)) };
    const old = this.program!;
    const contents = new Map<string, TypedArray>();
    for (const b of full.buffers) contents.set(b.name, await old.read(b.name));
    const next = await this.backendInstance!.load(plan);
    for (const [name, data] of contents) await next.write(name, data);
    next.setStep(old.step);
    old.destroy();
    this.program = next;
  }

  /** Whether a module's plasticity is on. */
  learning(module: string): boolean {
    return !this.frozenModules.has(module);
  }

  /** The state tree of every module (Spark's `split` state half), each tensor in its buffer's dtype. */
  async split(): Promise<{ graph: ConfigBody; state: StateTree }> {
    this.assertBuilt('split');
    const state = createStateTree();
    const put = async (path: string, buffer: string) => {
      const view = this.viewOf(buffer);
      if (view?.kind === 'unavailable') {
        // An integrator keeps its sum per postsynaptic unit: that is its state in this form.
        if (view.summedIn === undefined) return;
        const rows = (await this.program!.read(view.summedIn)).slice();
        setPath(state, `${path}${ROWS}`, Tensor.fromArray('float32', rows, [rows.length]));
        return;
      }
      const spec = this.bufferSpec(buffer);
      const data = (await this.readBuffer(buffer, path)).slice();
      // the buffer's storage as it is (float16: half bits), not re-encoded as numbers
      setPath(state, path, new Tensor(spec.dtype, [data.length], data as never));
    };
    for (const [name, m] of this.compiled!.modules) {
      for (const [path, buffer] of Object.entries(m.state)) await put(`${name}/${path}`, buffer);
    }
    for (const [key, v] of this.compiled!.cache) await put(`_cache/${key}`, v.buffer);
    setPath(state, STEP_PATH, Tensor.fromArray('uint32', Uint32Array.of(this.program!.step), [1]));
    return { graph: this.document.config, state };
  }

  /** Loads a state tree produced by {@link Brain.split} (same config); checks every path and size first. */
  async merge(state: StateTree): Promise<void> {
    this.assertBuilt('merge');
    const writes: Array<[string, TypedArray]> = [];
    let step: number | undefined;
    for (const [path, tensor] of Object.entries(flatten(state))) {
      if (path === STEP_PATH) {
        step = Number(tensor.data[0]);
        continue;
      }
      const rows = path.endsWith(ROWS);
      const buffer = this.stateBuffer(rows ? path.slice(0, -ROWS.length) : path);
      const spec = this.bufferSpec(buffer);
      const view = this.viewOf(buffer);
      if (rows) {
        if (view?.kind !== 'unavailable' || view.summedIn === undefined)
          throw new BrainError(
            path,
            'row sums of a trace belong to an event-driven brain; this brain keeps the trace per synapse',
          );
        const post = this.bufferSpec(view.summedIn).shape.reduce((a, b) => a * b, 1);
        if (tensor.size !== post)
          throw new BrainError(path, `has ${tensor.size} values, the brain expects ${post}`);
        writes.push([view.summedIn, tensor.astype('float32').data]);
        continue;
      }
      const expected = shapeSize(spec.shape);
      if (tensor.size !== expected)
        throw new BrainError(path, `has ${tensor.size} values, the brain expects ${expected}`);
      const data = (tensor.dtype === spec.dtype ? tensor : tensor.astype(spec.dtype)).data;
      if (view?.kind === 'unavailable' && view.summedIn !== undefined) {
        // A per-synapse trace into its sums per postsynaptic unit.
        const post = this.bufferSpec(view.summedIn).shape.reduce((a, b) => a * b, 1);
        const pre = expected / post;
        const sums = new Float32Array(post);
        for (let i = 0; i < post; i++) {
          let sum = 0;
          for (let j = 0; j < pre; j++) sum = Math.fround(sum + (data[i * pre + j] as number));
          sums[i] = sum;
        }
        writes.push([view.summedIn, sums]);
      } else if (view?.kind === 'unavailable')
        throw new BrainError(path, `cannot be written: ${view.reason}`);
      else if (view) {
        const contents = new Map<string, TypedArray>();
        for (const b of [view.delays, view.classOf])
          if (b !== undefined) contents.set(b, await this.program!.read(b));
        const compact = writeView(
          view,
          data,
          (b) => contents.get(b) as TypedArray,
          shapeSize(this.planBufferSpec(view.buffer).shape),
        );
        if (!compact)
          throw new BrainError(
            path,
            'differs between synapses that the event-driven form gives one shared value (same presynaptic source and delay, or same postsynaptic unit); build the brain with { eventDriven: false } to load it',
          );
        writes.push([view.buffer, compact]);
      } else writes.push([buffer, data]);
    }
    // The event form's fixed structure (delays) must not change; weights it updates in place are
    // kept inside their clip range, as at load.
    for (const [buffer, data] of writes) {
      for (const op of this.events?.plan.ops ?? []) {
        if (op.op !== 'module.events') continue;
        for (const [slot, b] of Object.entries(op.bindings)) {
          if (b !== buffer) continue;
          if (slot.endsWith('@delays')) {
            const now = await this.program!.read(buffer);
            if (data.some((x, k) => x !== now[k]))
              throw new BrainError(
                buffer,
                'the event-driven form sorts synapses by their delay at load; build the brain with { eventDriven: false } to change delays',
              );
          } else if (data instanceof Float32Array) clipEventInput(op, slot, data, this.plan.dt);
        }
      }
    }
    for (const [buffer, data] of writes) await this.program!.write(buffer, data);
    if (step !== undefined) this.program!.setStep(step);
  }

  /** A checkpoint of the whole state in the safetensors layout. */
  async saveCheckpoint(): Promise<Uint8Array> {
    const { state } = await this.split();
    return encodeSafetensors(flatten(state), {
      metadata: { format: 'spark-snn-checkpoint', version: '1', step: String(this.stepCount) },
    });
  }

  /** Restores a checkpoint written by {@link Brain.saveCheckpoint}. */
  async loadCheckpoint(bytes: Uint8Array): Promise<void> {
    const { tensors } = decodeSafetensors(bytes);
    const tree = createStateTree();
    for (const [name, t] of tensors) setPath(tree, name, t);
    await this.merge(tree);
  }

  /** Frees the device resources. */
  destroy(): void {
    this.program?.destroy();
    this.program = undefined;
    if (typeof this.backendChoice !== 'object') this.backendInstance?.destroy();
    this.backendInstance = undefined;
  }

  private async ensureBuilt(inputs: StepInputs, steps = 1): Promise<void> {
    if (this.program) return;
    const shapes: Record<string, number[]> = {};
    for (const name of Object.keys(this.inputPayloads)) {
      const v = inputs[name];
      if (!v)
        throw new BrainError(
          `inputs.${name}`,
          `missing input "${name}" (the first call builds the brain and needs every input)`,
        );
      shapes[name] = [v.length % steps === 0 && v.length >= steps && steps > 1 ? v.length / steps : v.length];
    }
    await this.build(shapes);
  }

  private assertBuilt(what: string): void {
    if (!this.program || !this.compiled)
      throw new BrainError(what, 'the brain is not built yet: call step(), run() or build() first');
  }

  private inputStreams(inputs: StepInputs, steps: number): Record<string, TypedArray> {
    const compiled = this.compiled!;
    const out: Record<string, TypedArray> = {};
    for (const name of Object.keys(inputs)) {
      if (!compiled.inputs.has(name)) {
        throw new BrainError(
          `inputs.${name}`,
          `the brain has no input "${name}" (inputs: ${[...compiled.inputs.keys()].join(', ')})`,
        );
      }
    }
    for (const [name, spec] of compiled.inputs) {
      const v = inputs[name];
      if (!v) throw new BrainError(`inputs.${name}`, `missing input "${name}"`);
      const size = shapeSize(spec.shape);
      if (v.length !== size && v.length !== size * steps) {
        throw new BrainError(
          `inputs.${name}`,
          `has ${v.length} values; expected ${size} (shape [${spec.shape.join(', ')}])${steps > 1 ? ` or ${steps}×${size}` : ''}`,
        );
      }
      const data = v instanceof Float32Array ? v : Float32Array.from(v);
      for (let i = 0; i < data.length; i++) {
        if (!Number.isFinite(data[i]!))
          throw new BrainError(`inputs.${name}[${i}]`, `is ${data[i]}; inputs must be finite numbers`);
      }
      out[spec.buffer] = data;
    }
    return out;
  }

  private resolvePort(ref: string): PortValue {
    const compiled = this.compiled;
    if (!compiled) throw new BrainError(ref, 'the brain is not built yet');
    if (ref.includes('/')) {
      const buffer = this.stateBuffer(ref);
      const b = compiled.plan.buffers.find((x) => x.name === buffer)!;
      return { buffer, shape: b.shape, payload: 'FloatArray' };
    }
    const dot = ref.indexOf('.');
    if (dot < 0) {
      const out = Object.hasOwn(compiled.outputs, ref) ? compiled.outputs[ref] : undefined;
      if (out) return out;
      throw new BrainError(
        ref,
        `expected "module.port", a brain output or a state path "module/component/state"`,
      );
    }
    const module = ref.slice(0, dot);
    const port = ref.slice(dot + 1);
    const m = compiled.modules.get(module);
    if (!m)
      throw new BrainError(
        ref,
        `unknown module "${module}" (modules: ${[...compiled.modules.keys()].join(', ')})`,
      );
    const v = Object.hasOwn(m.outputs, port)
      ? m.outputs[port]
      : Object.hasOwn(m.properties, port)
        ? m.properties[port]
        : undefined;
    if (!v)
      throw new BrainError(
        ref,
        `${module} has no port "${port}" (ports: ${[...Object.keys(m.outputs), ...Object.keys(m.properties)].join(', ')})`,
      );
    return v;
  }

  /** A buffer's values as float32 (float16 buffers come back from the backends as half bits). */
  private values(buffer: string, data: TypedArray): Float32Array {
    return this.bufferSpec(buffer).dtype === 'float16' ? fromFloat16Array(data) : (data as Float32Array);
  }

  private bufferSpec(name: string) {
    const spec =
      this.compiled!.plan.buffers.find((b) => b.name === name) ??
      this.events?.plan.buffers.find((b) => b.name === name);
    if (!spec) throw new BrainError(name, 'unknown plan buffer');
    return spec;
  }

  private planBufferSpec(name: string) {
    const spec = this.plan.buffers.find((b) => b.name === name);
    if (!spec) throw new BrainError(name, 'unknown plan buffer');
    return spec;
  }

  private stateBuffer(path: string): string {
    const compiled = this.compiled!;
    if (path.startsWith('_cache/')) {
      const v = compiled.cache.get(path.slice('_cache/'.length));
      if (!v) throw new BrainError(path, 'unknown cache entry');
      return v.buffer;
    }
    const slash = path.indexOf('/');
    const module = path.slice(0, slash);
    const rest = path.slice(slash + 1);
    const m = compiled.modules.get(module);
    const buffer = m?.state[rest];
    if (!buffer) {
      const known = m ? Object.keys(m.state).map((s) => `${module}/${s}`) : [...compiled.modules.keys()];
      throw new BrainError(
        path,
        `unknown state path (known: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''})`,
      );
    }
    return buffer;
  }
}

function isDocument(x: ConfigDocument | ConfigBody): x is ConfigDocument {
  return typeof (x as ConfigDocument).type === 'string' && typeof (x as ConfigDocument).config === 'object';
}

function sliceStreams(
  inputs: StepInputs,
  compiled: CompiledBrain,
  start: number,
  count: number,
  total: number,
): StepInputs {
  const out: Record<string, ArrayLike<number>> = {};
  for (const [name, v] of Object.entries(inputs)) {
    const spec = compiled.inputs.get(name);
    if (!spec) {
      out[name] = v;
      continue;
    }
    const size = shapeSize(spec.shape);
    if (v.length === size) out[name] = v;
    else if (v.length === size * total)
      out[name] = (v instanceof Float32Array ? v : Float32Array.from(v)).subarray(
        start * size,
        (start + count) * size,
      );
    else
      throw new BrainError(`inputs.${name}`, `has ${v.length} values; expected ${size} or ${total}×${size}`);
  }
  return out;
}

function flatten(tree: StateTree, prefix = '', out: Record<string, Tensor> = {}): Record<string, Tensor> {
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}/${k}` : k;
    if (v instanceof Tensor) out[path] = v;
    else flatten(v as StateTree, path, out);
  }
  return out;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export { BackendError };
