/**
 * The `cpu` backend: generated JavaScript loops for `module` ops plus the hand-written structural
 * ops, over host typed arrays with the same layout as the GPU buffers. Every per-step path is
 * allocation-free. It is the reference every other backend is compared with, and the default in
 * Node when no WebGPU adapter exists. Ops are dispatched through the op registry (`ops.ts`).
 *
 * @module
 */

import { type Backend, bytesPerElement, type Plan, type TypedArray } from '@spark-snn/core';
import { wasmModuleBytes } from '../../codegen/wasm.ts';
import { align16, HostMemory, MAX_HOST_MEMORY, wasmSimdSupported } from '../../codegen/wasm-memory.ts';
import { type ResolvedPlan, resolvePlan } from '../../plan.ts';
import { HostProgram } from '../host.ts';
import type { CpuContext } from './op.ts';
import { CPU_OPS } from './ops.ts';

/** Options of {@link cpuBackend}. */
export interface CpuBackendOptions {
  /** Default steps per chunk (between `onChunk` callbacks). Default 1000. */
  readonly chunk?: number;
  /**
   * Run element-wise module loops as WebAssembly SIMD where the engine has it (default true): the
   * buffers then live in one `WebAssembly.Memory`. `false` keeps every loop in JavaScript.
   */
  readonly simd?: boolean;
}

/** Creates the cpu backend. */
export function cpuBackend(options: CpuBackendOptions = {}): Backend {
  const supports = (op: string): boolean => CPU_OPS.has(op);
  return {
    kind: 'cpu',
    description: 'JavaScript (generated loops over typed arrays)',
    supports,
    load: async (plan: Plan) => {
      const r = resolvePlan(plan, supports);
      return new CpuProgram(r, options.chunk ?? 1000, options.simd === false ? undefined : simdMemory(r));
    },
    destroy: () => {},
  };
}

/**
 * One WebAssembly memory for every buffer of the plan and the SIMD groups of its module ops, or
 * undefined (no SIMD in this engine, no module op, or more than {@link MAX_HOST_MEMORY} bytes).
 */
function simdMemory(r: ResolvedPlan): HostMemory | undefined {
  if (!wasmSimdSupported()) return undefined;
  let bytes = 4096;
  let modules = 0;
  for (const b of r.buffers.values()) bytes += align16(b.size * bytesPerElement(b.spec.dtype)) + 16;
  for (const op of r.ops) {
    if (op.kind !== 'module') continue;
    modules++;
    bytes += wasmModuleBytes(op.compiled, op.instance.size);
  }
  return modules > 0 && bytes <= MAX_HOST_MEMORY ? new HostMemory(bytes) : undefined;
}

class CpuProgram extends HostProgram {
  readonly backend = 'cpu' as const;

  constructor(r: ResolvedPlan, defaultChunk: number, memory: HostMemory | undefined) {
    super(r, defaultChunk, memory);
    this.execs = r.ops.map((op, i) => {
      const path = `ops[${i}]`;
      const ctx: CpuContext = {
        get: <T extends TypedArray>(slot: string): T => this.buffer<T>(op.op.bindings[slot]),
        key: r.key,
        path,
        memory,
      };
      return CPU_OPS.get(op.kind, path).create(op as never, ctx);
    });
  }
}
