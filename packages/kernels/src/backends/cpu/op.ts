/**
 * The cpu backend's half of the op registry: what an op kind implements on cpu
 * ({@link CpuOp}: `{ op, backend: 'cpu', create }`) and what `create` may use ({@link CpuContext}).
 *
 * @module
 */

import type { TypedArray } from '@spark-snn/core';
import type { OpKind, ResolvedOpOf } from '../../ops/index.ts';
import type { Exec } from '../host.ts';

/** What a cpu op's `create` works with. */
export interface CpuContext {
  /** Host storage of the buffer bound to `slot` of the op. */
  get<T extends TypedArray = TypedArray>(slot: string): T;
  /** The plan's Philox key. */
  readonly key: readonly [number, number];
  /** The op's path in the plan (`ops[i]`), for errors. */
  readonly path: string;
}

/** The cpu implementation of op kind `K`: `create` returns the op's per-step function. */
export interface CpuOp<K extends OpKind = OpKind> {
  readonly op: K;
  readonly backend: 'cpu';
  create(r: ResolvedOpOf<K>, ctx: CpuContext): Exec;
}

/** Declares the cpu implementation of op kind `op`. */
export function cpuOp<K extends OpKind>(op: K, create: CpuOp<K>['create']): CpuOp<K> {
  return { op, backend: 'cpu', create };
}
