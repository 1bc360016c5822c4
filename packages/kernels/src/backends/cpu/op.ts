/**
 * The cpu backend's half of the op registry: what an op kind implements on cpu
 * ({@link CpuOp}: `{ op, backend: 'cpu', create }`) and what `create` may use ({@link CpuContext}).
 *
 * @module
 */

import type { HostMemory } from '../../codegen/wasm-memory.ts';
import type { OpImpl, OpKind } from '../../ops/index.ts';
import type { Exec, HostOpContext } from '../host.ts';

/** What a cpu op's `create` works with. */
export interface CpuContext extends HostOpContext {
  /** The WebAssembly memory holding every buffer, when module loops may run as SIMD. */
  readonly memory: HostMemory | undefined;
}

/** The cpu implementation of op kind `K`: `create` returns the op's per-step function. */
export type CpuOp<K extends OpKind = OpKind> = OpImpl<'cpu', K, CpuContext, Exec>;

/** Declares the cpu implementation of op kind `op`. */
export function cpuOp<K extends OpKind>(op: K, create: CpuOp<K>['create']): CpuOp<K> {
  return { op, backend: 'cpu', create };
}
