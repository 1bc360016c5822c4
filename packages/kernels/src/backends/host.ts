/**
 * The program of a backend whose buffers live in host typed arrays (cpu; gpujs, whose kernels read
 * and write host arrays): buffer storage, run option checks, chunks and `onChunk`, read/write/reset
 * and the step counter. A subclass executes the steps of a chunk ({@link HostProgram.runChunk}): the
 * cpu backend with its generated run loop, gpujs with one function per op.
 *
 * @module
 */

import {
  BackendError,
  type BackendKind,
  type DType,
  matchesDType,
  type Program,
  type ProgramStats,
  type RunOptions,
  type RunResult,
  type TypedArray,
} from '@spark-snn/core';
import { allocFor, checkRunOptions, type ResolvedPlan } from '../plan.ts';

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

/** A per-step input stream of a run: `steps × n` values copied into `dst` before each step. */
export interface HostStream {
  readonly name: string;
  readonly data: TypedArray;
}

/** A recorded buffer of a run: `steps × n` values copied out after each step. */
export interface HostRecord {
  readonly name: string;
  readonly out: TypedArray;
}

/** The global step counter every program keeps (`step`, `setStep`). */
export abstract class StepCounter {
  /** Steps run so far (or set by `setStep`). */
  protected stepCount = 0;

  get step(): number {
    return this.stepCount;
  }

  setStep(step: number): void {
    if (!Number.isInteger(step) || step < 0 || step > 0xffffffff) {
      throw new BackendError('invalid-input', 'step', `must be an integer in [0, 2^32), got ${String(step)}`);
    }
    this.stepCount = step;
  }
}

/** A program over host typed arrays. */
export abstract class HostProgram extends StepCounter implements Program {
  abstract readonly backend: BackendKind;
  readonly stats: ProgramStats = { submissions: 0, readbacks: 0, uploads: 0, dispatches: 0 };
  /** Buffer name → host storage (what `read`, `write` and the records see). */
  protected readonly host = new Map<string, TypedArray>();
  protected readonly r: ResolvedPlan;
  private readonly defaultChunk: number;
  private destroyed = false;

  /**
   * @param alloc - allocates a buffer's storage (zero-filled; default: a plain typed array). Initial
   * contents are written into it.
   */
  constructor(
    r: ResolvedPlan,
    defaultChunk: number,
    alloc: (dtype: DType, n: number) => TypedArray = allocFor,
  ) {
    super();
    this.r = r;
    this.defaultChunk = defaultChunk;
    for (const [name, b] of r.buffers) {
      const a = alloc(b.spec.dtype, b.size);
      fillInitial(a, b.spec.init);
      this.host.set(name, a);
    }
  }

  /** Host storage of a buffer (the plan was validated, so every bound name exists). */
  protected buffer<T extends TypedArray = TypedArray>(name: string | undefined): T {
    return this.host.get(name as string) as T;
  }

  /**
   * Executes `count` steps from global step `step`: before step `s` of the chunk (its index in the
   * run is `done + s`) each per-step stream's row is copied in, after it each record's row is copied
   * out (row `done + s` of its output).
   */
  protected abstract runChunk(
    step: number,
    count: number,
    done: number,
    streams: readonly HostStream[],
    records: readonly HostRecord[],
  ): void;

  /** Called after `write` replaced a buffer's contents (subclasses keep derived data in step). */
  protected written(_name: string): void {}

  /** Called after `reset` restored every buffer. */
  protected restored(): void {}

  protected alive(): void {
    if (this.destroyed) throw new BackendError('invalid-input', '', 'program was destroyed');
  }

  async run(o: RunOptions): Promise<RunResult> {
    this.alive();
    const steps = checkRunOptions(this.r, o);
    const streams: HostStream[] = [];
    for (const [name, data] of Object.entries(o.inputs ?? {})) {
      const dst = this.buffer(name);
      // A stream of one row is held constant (written once), unless the run is one step long.
      if (data.length === dst.length && steps !== 1) {
        dst.set(data);
        this.written(name);
      } else streams.push({ name, data });
    }
    const records: HostRecord[] = (o.record ?? []).map((name) => ({
      name,
      out: allocFor(this.r.buffers.get(name)?.spec.dtype ?? 'float32', this.buffer(name).length * steps),
    }));
    const chunk = o.chunk ?? this.defaultChunk;
    let done = 0;
    while (done < steps) {
      const count = Math.min(chunk, steps - done);
      this.runChunk(this.stepCount, count, done, streams, records);
      this.stepCount += count;
      this.stats.submissions++;
      done += count;
      if (o.onChunk) await o.onChunk(done);
    }
    return {
      steps,
      step: this.stepCount,
      records: Object.fromEntries(records.map((rc) => [rc.name, rc.out])),
    };
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
    this.beforeWrite(name);
    (this.host.get(name) as TypedArray).set(data);
    this.written(name);
  }

  /** Called before `write` or `reset` replaces a buffer (a subclass may give it storage of its own). */
  protected beforeWrite(_name: string): void {}

  async reset(): Promise<void> {
    this.alive();
    for (const [name, b] of this.r.buffers) {
      this.beforeWrite(name);
      const a = this.buffer(name);
      a.fill(0);
      fillInitial(a, b.spec.init);
    }
    this.stepCount = 0;
    this.restored();
  }

  destroy(): void {
    this.destroyed = true;
    this.host.clear();
  }
}

/** Writes a plan buffer's initial contents (a number broadcast, or a typed array) into `a`. */
function fillInitial(a: TypedArray, init: TypedArray | number | undefined): void {
  if (typeof init === 'number') a.fill(init);
  else if (init !== undefined) a.set(init);
}
