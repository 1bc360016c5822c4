/**
 * The `cpu` backend: generated JavaScript loops for `module` ops plus the hand-written structural
 * ops, over host typed arrays with the same layout as the GPU buffers. Every per-step path is
 * allocation-free. It is the reference every other backend is compared with, and the default in
 * Node when no WebGPU adapter exists. Ops are dispatched through the op registry (`ops.ts`).
 *
 * @module
 */

import type { Backend, Plan, TypedArray } from '@spark-snn/core';
import { type ResolvedPlan, resolvePlan } from '../../plan.ts';
import { HostProgram } from '../host.ts';
import type { CpuContext } from './op.ts';
import { CPU_OPS } from './ops.ts';

/** Options of {@link cpuBackend}. */
export interface CpuBackendOptions {
  /** Default steps per chunk (between `onChunk` callbacks). Default 1000. */
  readonly chunk?: number;
}

/** Creates the cpu backend. */
export function cpuBackend(options: CpuBackendOptions = {}): Backend {
  const supports = (op: string): boolean => CPU_OPS.has(op);
  return {
    kind: 'cpu',
    description: 'JavaScript (generated loops over typed arrays)',
    supports,
    load: async (plan: Plan) => new CpuProgram(resolvePlan(plan, supports), options.chunk ?? 1000),
    destroy: () => {},
  };
}

class CpuProgram extends HostProgram {
  readonly backend = 'cpu' as const;

  constructor(r: ResolvedPlan, defaultChunk: number) {
    super(r, defaultChunk);
    this.execs = r.ops.map((op, i) => {
      const path = `ops[${i}]`;
      const ctx: CpuContext = {
        get: <T extends TypedArray>(slot: string): T => this.buffer<T>(op.op.bindings[slot]),
        key: r.key,
        path,
      };
      return CPU_OPS.get(op.kind, path).create(op as never, ctx);
    });
  }
}
