/**
 * The webgpu backend's half of the op registry: what an op kind implements on webgpu
 * ({@link WebGpuOp}: `{ op, backend: 'webgpu', create }`, its WGSL and host glue in the op's
 * `webgpu.ts`), what `create` may use ({@link WebGpuContext}), and the small helpers every op shares
 * (bind group entries, workgroup counts).
 *
 * Every dispatch of a step binds the per-step control block at binding 0 (`struct Ctrl { step, slot }`,
 * a dynamic offset selects the step) and the op's argument block at binding 1.
 *
 * **Event lists.** A float32 buffer can carry an event list (`u32`, ⌈n/64⌉ + n words): the indices of
 * its non-zero elements in blocks of 64 — word `b` counts the non-zero elements of block `b`, words
 * `nb + 64·b …` list them ascending (the layout of `generateWgslGroup`'s lists). The program keeps a
 * list for a buffer when every op that writes it keeps one (`provides`) and some op reads it
 * (`reads`); host writes, streams and resets rebuild it. An op finds the lists in its context
 * (`events`, `provideEvents`).
 *
 * @module
 */

import { BackendError, type DType, type TypedArray } from '@spark-snn/core';
import type { OpKind, ResolvedOpOf } from '../../ops/index.ts';
import type { ResolvedBuffer } from '../../ops/registry.ts';
import type { WebGpuSparseInfo } from '../../ops/sparse/webgpu.ts';
import type { WebGpuBackendOptions } from './index.ts';

/** The kind of a bind group layout entry. */
export type EntryKind = 'uniform' | 'read-only-storage' | 'storage';

/** A compute pipeline with its explicit bind group layout. */
export interface Pipe {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

/**
 * Estimated device-memory traffic of one dispatch in one step, in bytes (the byte model of
 * benchmarks.md §4.1): every element the invocations load or store, a buffer that every invocation
 * reads (a spike vector, a parameter block) counted once, event-driven work at the op's expected
 * activity. Summed into `ProgramStats.bytesRead` / `bytesWritten`.
 */
export interface DispatchBytes {
  readonly read: number;
  readonly write: number;
}

/**
 * The bind group of a dispatch for each parity of the program's double-buffered pairs (element 0:
 * parity 0; the same group twice when the dispatch binds no double-buffered buffer). Made by
 * {@link WebGpuContext.bindGroup}.
 */
export type BindGroups = readonly [GPUBindGroup, GPUBindGroup];

/** One dispatch of a step; binding 0 of its bind groups is the control block (dynamic offset). */
export interface Cmd {
  readonly pipeline: GPUComputePipeline;
  readonly bindGroups: BindGroups;
  readonly x: number;
  readonly y: number;
  /** Estimated bytes it reads and writes per step. */
  readonly bytes: DispatchBytes;
}

/** A plan buffer on the device. */
export interface DeviceBuffer {
  readonly res: ResolvedBuffer;
  readonly gpu: GPUBuffer;
  readonly bytes: number;
}

/** Arguments of the copy kernel (elements, not bytes). */
export interface CopyArgs {
  readonly n: number;
  readonly srcOffset?: number;
  readonly srcStride?: number;
  readonly dstOffset?: number;
  readonly dstStride?: number;
}

/**
 * Fraction of units expected to spike in a step, for the byte estimates of event-driven dispatches
 * of ops without an `activity` attribute (the default of `sparse.csr`'s).
 */
export const EXPECTED_ACTIVITY = 0.01;

/** The `GPUBufferUsage` flags (a clear error where WebGPU's globals are missing). */
export function bufferUsage(): {
  STORAGE: number;
  COPY_SRC: number;
  COPY_DST: number;
  UNIFORM: number;
  MAP_READ: number;
} {
  const g = (globalThis as unknown as { GPUBufferUsage?: Record<string, number> }).GPUBufferUsage;
  if (g === undefined)
    throw new BackendError('unavailable', '', 'GPUBufferUsage is not defined (no WebGPU globals)');
  return g as unknown as ReturnType<typeof bufferUsage>;
}

/** Bind group entries of `buffers` in binding order; binding 0 (the control block) is 16 bytes at a dynamic offset. */
export function bindEntries(buffers: readonly GPUBuffer[]): GPUBindGroupEntry[] {
  return buffers.map((buffer, binding) => ({
    binding,
    resource: binding === 0 ? { buffer, offset: 0, size: 16 } : { buffer },
  }));
}

/** Workgroups (x, y) covering `n` invocations of `wg` each (y > 1 beyond 65,535 workgroups). */
export function workgroups(n: number, wg: number): [number, number] {
  const total = Math.max(1, Math.ceil(n / wg));
  if (total <= 65535) return [total, 1];
  return [65535, Math.ceil(total / 65535)];
}

/** What a webgpu op's `prepare` sees (before any device allocation). */
export interface WebGpuPrepareContext {
  readonly path: string;
  readonly limits: GPUSupportedLimits;
  /** float16 buffers are `array<f16>` (the device has `shader-f16`). */
  readonly native16: boolean;
  /** The backend's options. */
  readonly options: WebGpuBackendOptions;
  /** The plan's initial contents of the buffer bound to `slot` (a number: every element; undefined: zeros). */
  initial(slot: string): TypedArray | number | undefined;
}

/** What a webgpu op's `create` works with. */
export interface WebGpuContext extends WebGpuPrepareContext {
  readonly device: GPUDevice;
  /** The plan's Philox key. */
  readonly key: readonly [number, number];
  /** The per-step control block buffer (binding 0 of every dispatch). */
  readonly ctrl: GPUBuffer;
  /** Bytes one binding (and one buffer) may hold on this device. */
  readonly maxBytes: number;
  /** A `limit-exceeded` error for `what` needing `bytes` bytes. */
  tooBig(path: string, what: string, bytes: number): BackendError;
  /**
   * A cached compute pipeline of `code` with bind group layout `entries` (binding 0: the control
   * block; by default the bindings `code` declares, see `wgslEntries` in `kernel.ts`).
   */
  pipeline(code: string, entries?: readonly EntryKind[]): Promise<Pipe>;
  /** A uniform buffer holding `data` (owned by the program). */
  uniform(data: ArrayBuffer, label: string): GPUBuffer;
  /** A storage buffer holding `data`, or `bytes` zero bytes (owned by the program). */
  storage(data: ArrayBufferView | number, label: string): GPUBuffer;
  /**
   * The bind groups of a dispatch binding `buffers` in binding order (binding 0 must be
   * {@link WebGpuContext.ctrl}), one per parity of the program's double buffers.
   */
  bindGroup(layout: GPUBindGroupLayout, buffers: readonly GPUBuffer[]): BindGroups;
  /** The device buffer bound to `slot` of the op. */
  g(slot: string): GPUBuffer;
  /** The plan buffer bound to `slot` of the op, on the device. */
  buffer(slot: string): DeviceBuffer;
  /** The plan dtype of the buffer bound to `slot`. */
  dtypeOf(slot: string): DType;
  /** A dispatch of the copy kernel from `src` to `dst` (elements of `src`'s dtype). */
  copy(src: DeviceBuffer, dst: GPUBuffer, args: CopyArgs, label: string): Cmd;
  /** The event list of the buffer bound to `slot` (a slot the op `reads`), when it has one. */
  events(slot: string): GPUBuffer | undefined;
  /** The event list the op must keep for the buffer bound to `slot` (a slot it `provides`), when one is kept. */
  provideEvents(slot: string): GPUBuffer | undefined;
  /**
   * Calls `onWrite` with the new contents when the host writes one of the buffers bound to `slots`
   * (`Program.write`, a constant run input, `reset`), e.g. to keep data derived from them in step or
   * drop a fast path that depended on their contents at load.
   */
  watch(slots: readonly string[], onWrite: (name: string, data: TypedArray) => void): void;
}

/**
 * What an op's `create` returns: its dispatches of one step (and, for `sparse.csr`, its layout). The
 * program reads `cmds` at the start of every run, so an op may replace them (from a `watch`).
 */
export interface WebGpuOpCommands {
  readonly cmds: readonly Cmd[];
  readonly sparse?: WebGpuSparseInfo;
}

/** The webgpu implementation of op kind `K`; `P` is what `prepare` passes on to `create`. */
export interface WebGpuOp<K extends OpKind = OpKind, P = unknown> {
  readonly op: K;
  readonly backend: 'webgpu';
  /**
   * Bindings whose buffers the op lays out on the device itself (static data kept on the host, e.g.
   * sparse connectivity): not allocated as plan buffers unless another op binds them too.
   */
  readonly hostSlots?: readonly string[];
  /** Checks device limits before any allocation and precomputes what `create` needs. */
  prepare?(r: ResolvedOpOf<K>, ctx: WebGpuPrepareContext): P;
  /** Builds the op's pipelines, buffers and bind groups. */
  create(r: ResolvedOpOf<K>, ctx: WebGpuContext, prepared: P): Promise<WebGpuOpCommands>;
  /**
   * Builds the dispatches of a group of ops the step schedule fused (`ops/schedule.ts`); `ctxs[k]` is
   * member k's context. Kinds without it never fuse on webgpu.
   */
  createGroup?(rs: readonly ResolvedOpOf<K>[], ctxs: readonly WebGpuContext[]): Promise<WebGpuOpCommands>;
  /**
   * Output slots whose event list the op can keep (see the module comment); `listed` says which of
   * its other bindings carry a list (a copy keeps its destination's list from its source's).
   */
  provides?(r: ResolvedOpOf<K>, listed: (slot: string) => boolean): readonly string[];
  /**
   * Input slots whose event list the op uses when there is one; `listed` as for `provides`, `prepared`
   * what `prepare` returned.
   */
  reads?(r: ResolvedOpOf<K>, listed: (slot: string) => boolean, prepared: P): readonly string[];
}

/** Declares the webgpu implementation of op kind `op`. */
export function webgpuOp<K extends OpKind, P = undefined>(
  op: K,
  impl: Omit<WebGpuOp<K, P>, 'op' | 'backend'>,
): WebGpuOp<K, P> {
  return { op, backend: 'webgpu', ...impl };
}
