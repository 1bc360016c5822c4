/**
 * The gpujs backend's half of the op registry: what an op kind implements on gpujs
 * ({@link GpujsOp}: `{ op, backend: 'gpujs', create }`) and what `create` may use
 * ({@link GpujsContext}), plus the minimal view of the gpu.js API the ops use.
 *
 * @module
 */

import type { DType, ProgramStats, TypedArray } from '@spark-snn/core';
import type { OpImpl, OpKind } from '../../ops/index.ts';
import type { Exec, HostOpContext } from '../host.ts';

/** Minimal view of a gpu.js kernel. */
export interface GpuJsKernel {
  (...args: unknown[]): Float32Array | number[];
  setOutput(output: number[]): GpuJsKernel;
  destroy?(): void;
}

/** Minimal view of the gpu.js instance. */
export interface GpuJs {
  readonly mode: string;
  createKernel(source: string, settings?: Record<string, unknown>): GpuJsKernel;
  addFunction(source: string, settings?: Record<string, unknown>): unknown;
  destroy(): void | Promise<void>;
}

/** What a gpujs op's `create` works with. */
export interface GpujsContext extends HostOpContext {
  /** Host storage of a plan buffer by name. */
  buffer(name: string): TypedArray;
  /** The plan dtype of a buffer by name. */
  dtypeOf(name: string): DType;
  /**
   * A gpu.js kernel over `n` outputs in single precision (`loopMaxIterations`: the bound of its
   * longest loop, when the loop's length is a kernel argument).
   */
  kernel(source: string, n: number, loopMaxIterations?: number): GpuJsKernel;
  /** The program's counters (ops count their dispatches). */
  readonly stats: ProgramStats;
}

/** The gpujs implementation of op kind `K`. */
export type GpujsOp<K extends OpKind = OpKind> = OpImpl<'gpujs', K, GpujsContext, Exec>;

/** Declares the gpujs implementation of op kind `op`. */
export function gpujsOp<K extends OpKind>(op: K, create: GpujsOp<K>['create']): GpujsOp<K> {
  return { op, backend: 'gpujs', create };
}
