/**
 * The program of a backend whose buffers live in host typed arrays (cpu; gpujs, whose kernels read
 * and write host arrays): buffer storage, the step loop with per-step input streams and bulk
 * recordings, read/write/reset and the step counter. A subclass provides `execs`, one function per
 * plan op, called in order every step.
 *
 * @module
 */

import {
  BackendError,
  type BackendKind,
  matchesDType,
  type Program,
  type ProgramStats,
  type RunOptions,
  type RunResult,
  type TypedArray,
} from '@spark-snn/core';
import type { HostMemory } from '../codegen/wasm-memory.ts';
import { allocFor, checkRunOptions, initialContents, type ResolvedPlan } from '../plan.ts';

/** One op of a step, given the global step counter. */
export type Exec = (step: number) => void;

/** What an op implementation of a host-array backend works with (cpu; gpujs adds its own). */
export interface HostOpContext {
  /** Host storage of the buffer bound to `slot` of the op. */
  get<T extends TypedArray = TypedArray>(slot: string): T;
  /** The plan's Philox key. */
  readonly key: readonly [number, number];
  /** The op's path in the plan (`ops[i]`), for errors. */
  readonly path: string;
}

/** A program over host typed arrays. */
export abstract class HostProgram implements Program {
  abstract readonly backend: BackendKind;
  readonly stats: ProgramStats = { submissions: 0, readbacks: 0, uploads: 0, dispatches: 0 };
  /** Buffer name → host storage. */
  protected readonly host = new Map<string, TypedArray>();
  /** The ops of one step, in plan order (set by the subclass constructor). */
  protected execs: readonly Exec[] = [];
  protected readonly r: ResolvedPlan;
  private readonly defaultChunk: number;
  private stepCount = 0;
  private destroyed = false;

  /** The WebAssembly memory holding every buffer, when the program was given one (cpu with SIMD). */
  protected readonly memory: HostMemory | undefined;

  constructor(r: ResolvedPlan, defaultChunk: number, memory?: HostMemory) {
    this.r = r;
    this.defaultChunk = defaultChunk;
    this.memory = memory;
    for (const [name, b] of r.buffers) {
      if (memory === undefined) this.host.set(name, initialContents(b));
      else {
        const a = memory.array(b.spec.dtype, b.size);
        a.set(initialContents(b));
        this.host.set(name, a);
      }
    }
  }

  /** Host storage of a buffer (the plan was validated, so every bound name exists). */
  protected buffer<T extends TypedArray = TypedArray>(name: string | undefined): T {
    return this.host.get(name as string) as T;
  }

  get step(): number {
    return this.stepCount;
  }

  setStep(step: number): void {
    if (!Number.isInteger(step) || step < 0 || step > 0xffffffff) {
      throw new BackendError('invalid-input', 'step', `must be an integer in [0, 2^32), got ${String(step)}`);
    }
    this.stepCount = step;
  }

  private alive(): void {
    if (this.destroyed) throw new BackendError('invalid-input', '', 'program was destroyed');
  }

  async run(o: RunOptions): Promise<RunResult> {
    this.alive();
    const steps = checkRunOptions(this.r, o);
    const streams = Object.entries(o.inputs ?? {}).map(([name, data]) => {
      const dst = this.buffer(name);
      return { dst, data, perStep: data.length !== dst.length || steps === 1 };
    });
    // Constant inputs are written once.
    for (const s of streams) if (!s.perStep) s.dst.set(s.data);
    const rec = (o.record ?? []).map((name) => {
      const src = this.buffer(name);
      return {
        name,
        src,
        out: allocFor(this.r.buffers.get(name)?.spec.dtype ?? 'float32', src.length * steps),
      };
    });
    const chunk = o.chunk ?? this.defaultChunk;
    let done = 0;
    while (done < steps) {
      const end = Math.min(steps, done + chunk);
      for (let t = done; t < end; t++) {
        for (const s of streams) {
          if (!s.perStep) continue;
          const n = s.dst.length;
          const off = t * n;
          const dst = s.dst;
          const src = s.data;
          for (let k = 0; k < n; k++) dst[k] = src[off + k] as number;
        }
        const step = this.stepCount;
        for (const e of this.execs) e(step);
        this.stats.dispatches += this.execs.length;
        for (const r of rec) {
          const n = r.src.length;
          const off = t * n;
          const dst = r.out;
          const src = r.src;
          for (let k = 0; k < n; k++) dst[off + k] = src[k] as number;
        }
        this.stepCount++;
      }
      this.stats.submissions++;
      done = end;
      if (o.onChunk) await o.onChunk(done);
    }
    return { steps, step: this.stepCount, records: Object.fromEntries(rec.map((r) => [r.name, r.out])) };
  }

  async read(name: string): Promise<TypedArray> {
    this.alive();
    const a = this.host.get(name);
    if (a === undefined) throw new BackendError('invalid-input', 'read', `unknown buffer "${name}"`);
    this.stats.readbacks++;
    return a.slice();
  }

  async write(name: string, data: TypedArray): Promise<void> {
    this.alive();
    const a = this.host.get(name);
    if (a === undefined) throw new BackendError('invalid-input', 'write', `unknown buffer "${name}"`);
    if (!matchesDType(this.r.buffers.get(name)?.spec.dtype ?? 'float32', data) || data.length !== a.length) {
      throw new BackendError(
        'invalid-input',
        'write',
        `buffer "${name}" needs ${a.length} values of its dtype, got ${data.length}`,
      );
    }
    this.stats.uploads++;
    a.set(data);
  }

  async reset(): Promise<void> {
    this.alive();
    for (const [name, b] of this.r.buffers) this.buffer(name).set(initialContents(b));
    this.stepCount = 0;
  }

  destroy(): void {
    this.destroyed = true;
    this.host.clear();
  }
}
