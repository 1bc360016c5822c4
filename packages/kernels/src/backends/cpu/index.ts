/**
 * The `cpu` backend: a plan compiles to one generated run loop (`program.ts`): per step the input
 * rows in, every op's emitted source — module ops fused per index space into one loop, run as
 * JavaScript or as WebAssembly SIMD over the same memory — and the recorded rows out. Spike vectors
 * carry event lists, so propagation, delays, group sums and monitors cost what the spikes cost;
 * one-step-latency copies are double-buffer swaps. The step allocates nothing. Everything computes in
 * float32, as WGSL does; it is the reference every other backend is compared with, and the default in
 * Node when no GPU exists. Ops are emitted through the op registry (`ops.ts`).
 *
 * @module
 */

import { type Backend, bytesPerElement, type DType, type Plan, type TypedArray } from '@spark-snn/core';
import { align16, HostMemory, MAX_HOST_MEMORY, wasmSimdSupported } from '../../codegen/wasm-memory.ts';
import { eventsWasmBytes } from '../../events/wasm.ts';
import { moduleWasmBytes } from '../../ops/module/cpu.ts';
import { allocFor, type ResolvedPlan, resolvePlan } from '../../plan.ts';
import { HostProgram, type HostRecord, type HostStream } from '../host.ts';
import { CPU_OPS } from './ops.ts';
import { type CompiledStep, compileStep } from './program.ts';

/** Options of {@link cpuBackend}. */
export interface CpuBackendOptions {
  /** Default steps per chunk (between `onChunk` callbacks). Default 1000. */
  readonly chunk?: number;
  /**
   * Run fused groups of module ops as WebAssembly SIMD where the engine has it and the group allows
   * it (default true); `false` keeps every group a JavaScript loop. Both compute the same float32
   * values.
   */
  readonly simd?: boolean;
}

/** Creates the cpu backend. */
export function cpuBackend(options: CpuBackendOptions = {}): Backend {
  const supports = (op: string): boolean => CPU_OPS.has(op);
  const simd = options.simd !== false && wasmSimdSupported();
  return {
    kind: 'cpu',
    description: simd
      ? 'JavaScript and WebAssembly SIMD (generated, fused, event-driven step)'
      : 'JavaScript (generated, fused, event-driven step)',
    supports,
    load: async (plan: Plan) => new CpuProgram(resolvePlan(plan, supports), options.chunk ?? 1000, simd),
    destroy: () => {},
  };
}

/** One memory for every buffer of the plan and its WebAssembly groups, when it fits. */
function memoryFor(r: ResolvedPlan, simd: boolean): HostMemory | undefined {
  if (!simd) return undefined;
  let bytes = 65536;
  for (const b of r.buffers.values()) bytes += align16(b.size * bytesPerElement(b.spec.dtype)) + 16;
  for (const op of r.ops) {
    if (op.kind === 'module') {
      bytes += moduleWasmBytes(op, r.key);
      // event lists of its outputs (unit domain), one per array of a double buffer
      if (op.compiled.def.domain !== 'synapse')
        for (const o of op.compiled.def.outputs) {
          const b = r.buffers.get(op.op.bindings[o.name] ?? '');
          if (b !== undefined) bytes += 2 * (4 * b.size + 16) + 32;
        }
    }
    // the event form's own arrays
    if (op.kind === 'module.events') bytes += eventsWasmBytes(op.attrs, op.compiled, op.instance);
  }
  if (bytes > MAX_HOST_MEMORY) return undefined;
  try {
    return new HostMemory(bytes);
  } catch {
    return undefined; // the engine refused the reservation: plain typed arrays
  }
}

class CpuProgram extends HostProgram {
  readonly backend = 'cpu' as const;
  private compiled: CompiledStep;

  constructor(r: ResolvedPlan, defaultChunk: number, simd: boolean) {
    const memory = memoryFor(r, simd);
    const alloc = (dtype: DType, n: number): TypedArray =>
      memory === undefined ? allocFor(dtype, n) : memory.array(dtype, n);
    super(r, defaultChunk, alloc);
    this.compiled = compileStep(r, this.host, alloc, { memory, simd: memory !== undefined });
    this.restored();
  }

  /** How the program's fused groups and event ops run (`js` or `wasm`), for reports and tests. */
  get groups(): CompiledStep['groups'] {
    return this.compiled.groups;
  }

  protected runChunk(
    step: number,
    count: number,
    done: number,
    streams: readonly HostStream[],
    records: readonly HostRecord[],
  ): void {
    this.compiled.run(step, count, done, streams, records);
    this.stats.dispatches += count * this.compiled.itemsPerStep;
    // After a step both names of a double-buffered pair hold the copied value: the current array.
    const parity = this.compiled.parity();
    for (const p of this.compiled.swaps) {
      const cur = p.arrays[parity] as TypedArray;
      this.host.set(p.src, cur);
      this.host.set(p.dst, cur);
    }
  }

  /** A write to one name of an aliased pair gives the source its own array (the one its writer rewrites). */
  protected override beforeWrite(name: string): void {
    for (const p of this.compiled.swaps) {
      if (name !== p.src && name !== p.dst) continue;
      const parity = this.compiled.parity();
      const cur = p.arrays[parity] as TypedArray;
      const nxt = p.arrays[1 - parity] as TypedArray;
      if (this.host.get(p.src) !== cur) return; // already apart
      if (name === p.dst) nxt.set(cur);
      this.host.set(p.src, nxt);
    }
  }

  protected override written(name: string): void {
    for (const ev of this.compiled.events) if (ev.buffer === name) for (const l of ev.lists) this.rescan(l);
    for (const w of this.compiled.watchers) if (w.buffers.includes(name)) w.rebuild();
  }

  protected override restored(): void {
    for (const ev of this.compiled.events) for (const l of ev.lists) this.rescan(l);
    for (const w of this.compiled.watchers) w.rebuild();
  }

  private rescan(l: CompiledStep['events'][number]['lists'][number]): void {
    const a = l.array;
    let m = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== 0) l.idx[m++] = i;
    this.compiled.eventCounts[l.count] = m;
  }
}
