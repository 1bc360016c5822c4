/**
 * The Backend contract: what every compute backend (`webgpu`, `gpujs`, `cpu`, implemented in
 * `@spark-snn/kernels`) accepts and returns.
 *
 * The data flow is `Plan → backend.load(plan) → Program → program.run(...)`:
 *
 * - A {@link Plan} is plain data: named device buffers (dtype, shape, initial contents) and the
 *   ordered list of ops executed once per simulation step. The op payloads are opaque here; the
 *   package that defines an op kind (kernels) gives `attrs` its meaning. Core knows no op kind.
 * - A {@link Program} is a plan loaded on a device: buffers allocated and initialised, pipelines
 *   built. {@link Program.run} executes many steps per call, streams per-step inputs in and
 *   recorded buffers out in bulk.
 *
 * Everything in this file is types plus tiny helpers, so that it stays small and stable (element
 * counts of shapes: `shapeSize` of `tensor.ts`).
 *
 * @module
 */

import type { DType, TypedArray } from './dtype.ts';

/** Names of the backends of spark-snn. */
export const BACKEND_KINDS = ['webgpu', 'gpujs', 'cpu'] as const;

/** A backend name. */
export type BackendKind = (typeof BACKEND_KINDS)[number];

/**
 * What a caller asks for: a concrete backend or `'auto'` (webgpu on a hardware GPU, otherwise cpu;
 * the rule is {@link describeBackendChoice}).
 */
export type BackendChoice = BackendKind | 'auto';

/** A device buffer of a plan. Buffers are addressed by `name` in ops and in {@link RunOptions}. */
export interface PlanBuffer {
  /** Unique name, e.g. `"pool_a.soma.v"`. */
  readonly name: string;
  /** Element type of the host view (`float16` is exchanged as raw half bits in a `Uint16Array`). */
  readonly dtype: DType;
  /** Shape; the element count is the product (an empty shape is a scalar). */
  readonly shape: readonly number[];
  /**
   * Initial contents: a typed array of the buffer's dtype and element count, a number broadcast to
   * every element, or absent (zeros). {@link Program.reset} restores it.
   */
  readonly init?: TypedArray | number;
}

/**
 * One op executed every step. `op` names the op kind (e.g. `"elementwise"`, `"dense.sync"`,
 * `"delay.per_synapse"`); `bindings` maps the op's slot names to plan buffer names; `attrs` is the
 * op-kind-specific payload (plain data, never executable code).
 */
export interface PlanOp {
  /** Op kind, interpreted by the backend. */
  readonly op: string;
  /** Name of this op instance, used in error messages (e.g. `"pool_a.soma"`). */
  readonly name: string;
  /** Slot name → plan buffer name. */
  readonly bindings: Readonly<Record<string, string>>;
  /** Op-kind-specific attributes (plain JSON-like data). */
  readonly attrs?: Readonly<Record<string, unknown>>;
}

/** A complete, device-independent description of one simulation step and its state. */
export interface Plan {
  /** Every buffer the ops use. */
  readonly buffers: readonly PlanBuffer[];
  /** Ops executed in this order once per step. */
  readonly ops: readonly PlanOp[];
  /** Integration step in ms (used to precompute decay factors). */
  readonly dt: number;
  /** Seed of the counter-based RNG (Philox4x32-10 key = [lo32(seed), hi32(seed)]). */
  readonly seed: number | bigint;
}

/** Options of {@link Program.run}. */
export interface RunOptions {
  /** Number of steps to execute (a non-negative integer). */
  readonly steps: number;
  /**
   * Per-step input streams: buffer name → `steps × size` values (row t is written into the buffer
   * before the ops of step t run). A stream of length `size` is held constant for the whole run.
   */
  readonly inputs?: Readonly<Record<string, TypedArray>>;
  /** Buffers to record after every step; returned as `steps × size` arrays. */
  readonly record?: readonly string[];
  /** Steps per device submission; a backend may pick its own default. */
  readonly chunk?: number;
  /**
   * Called after every chunk with the number of steps executed or submitted so far (progress). A
   * backend may already be running the next chunk, and `records` are complete only when `run`
   * resolves; for closed loops call `run` once per control period instead.
   */
  readonly onChunk?: (stepsDone: number) => void | Promise<void>;
}

/** What {@link Program.run} returns. */
export interface RunResult {
  /** Steps executed by this call. */
  readonly steps: number;
  /** Global step counter after the run. */
  readonly step: number;
  /** Recorded buffer name → `steps × size` values, in the buffer's host dtype. */
  readonly records: Readonly<Record<string, TypedArray>>;
}

/**
 * Counters of host↔device traffic and device work, for tests and benchmarks. Every counter is a
 * total since load; divide by the steps run to get per-step figures. The byte counters are optional
 * (a backend without a device memory of its own, such as cpu, leaves them out).
 */
export interface ProgramStats {
  /** Queue submissions (or equivalent batches) since load. */
  submissions: number;
  /** Bulk readbacks (device → host transfers) since load. */
  readbacks: number;
  /** Uploads (host → device writes) since load. */
  uploads: number;
  /** Kernel dispatches (or loop invocations) since load. */
  dispatches: number;
  /**
   * Bytes of device memory the dispatches read since load: an estimate made at load from each
   * dispatch's bindings and sizes (a buffer every invocation reads counts once; event-driven work at
   * the op's expected activity). Comparable with a roofline byte model, not a measurement.
   */
  bytesRead?: number;
  /** Bytes of device memory the dispatches wrote since load (estimated like {@link ProgramStats.bytesRead}). */
  bytesWritten?: number;
  /** Bytes written from the host into device buffers since load (input streams, writes, control blocks). */
  bytesUploaded?: number;
  /** Bytes read back from the device to the host since load (records, reads). */
  bytesReadBack?: number;
}

/** A plan loaded on a backend. */
export interface Program {
  /** The backend that runs it. */
  readonly backend: BackendKind;
  /** Global step counter (steps executed since load or the last {@link Program.reset}). */
  readonly step: number;
  /** Traffic counters. */
  readonly stats: Readonly<ProgramStats>;
  /** Executes `options.steps` steps. Rejects with a {@link BackendError} before any work on bad input. */
  run(options: RunOptions): Promise<RunResult>;
  /** Reads a buffer's current contents (one readback). */
  read(name: string): Promise<TypedArray>;
  /** Overwrites a buffer's contents (one upload). */
  write(name: string, data: TypedArray): Promise<void>;
  /** Restores every buffer's initial contents and sets the step counter to 0. */
  reset(): Promise<void>;
  /**
   * Sets the global step counter (the RNG counter and the delay rings' write position derive from
   * it), so a restored state continues exactly where it was saved. A non-negative integer below 2^32.
   */
  setStep(step: number): void;
  /** Frees device resources. The program is unusable afterwards. */
  destroy(): void;
}

/** A compute backend. */
export interface Backend {
  /** Which backend this is. */
  readonly kind: BackendKind;
  /** One line saying what it runs on (adapter description, `gpu.js mode webasm`, `JavaScript`). */
  readonly description: string;
  /** Op kinds this backend can execute. */
  supports(op: string): boolean;
  /** Validates a plan and loads it. Rejects with a {@link BackendError} on an invalid plan. */
  load(plan: Plan): Promise<Program>;
  /** Frees the backend's device (programs loaded on it become unusable). */
  destroy(): void;
}

/** Machine-readable category of a {@link BackendError}. */
export type BackendErrorCode =
  | 'invalid-plan'
  | 'invalid-input'
  | 'unsupported-op'
  | 'limit-exceeded'
  | 'device-lost'
  | 'unavailable'
  | 'not-implemented';

/** Error raised by backends and programs; `path` says where (e.g. `ops[2].bindings.weights`). */
export class BackendError extends Error {
  /** Category. */
  readonly code: BackendErrorCode;
  /** Location of the offending item, or `''`. */
  readonly path: string;
  constructor(code: BackendErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(path ? `${path}: ${message}` : message, options);
    this.name = 'BackendError';
    this.code = code;
    this.path = path;
  }
}

/** Looks up a plan buffer by name, throwing a {@link BackendError} with `path` when absent. */
export function findPlanBuffer(plan: Plan, name: string, path = ''): PlanBuffer {
  const b = plan.buffers.find((x) => x.name === name);
  if (b === undefined) throw new BackendError('invalid-plan', path, `unknown buffer "${name}"`);
  return b;
}
