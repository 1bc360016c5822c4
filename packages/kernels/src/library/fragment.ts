/**
 * Plan fragments: what a Spark module contributes to a plan (buffers and ops), with the names of
 * the buffers behind its ports and readable state, plus a float64 reference executor of plans that
 * interprets `module` ops with the equation-language interpreter (the oracle) and runs the
 * structural ops in double precision.
 *
 * @module
 */

import { fromFloat16Bits, type Plan, type PlanBuffer, type PlanOp } from '@spark-snn/core';
import type { ModuleDefinition } from '../lang/ast.ts';
import type { ParamValue } from '../lang/interpret.ts';
import { opSpec } from '../ops/index.ts';
import { instantiateModule } from '../ops.ts';
import { resolvePlan } from '../plan.ts';

/** What one module instance adds to a plan. */
export interface Fragment {
  readonly buffers: PlanBuffer[];
  readonly ops: PlanOp[];
  /** Port name → buffer name (write these before a step). */
  readonly inputs: Readonly<Record<string, string>>;
  /** Port name → buffer name (read these after a step). */
  readonly outputs: Readonly<Record<string, string>>;
  /** Readable state (Spark attribute names) → buffer name. */
  readonly state: Readonly<Record<string, string>>;
}

/** Parameter values of a module op: scalars or per-extent arrays. */
export type Params = Readonly<Record<string, ParamValue>>;

/** A fragment holding a single `module` op, its ports mapped one to one. */
export function moduleFragment(
  def: ModuleDefinition,
  o: {
    prefix: string;
    size: number;
    nPre?: number;
    dt: number;
    params?: Params;
    bind?: Readonly<Record<string, string>>;
    streamBase?: number;
  },
): Fragment {
  const { buffers, op } = instantiateModule(def, {
    prefix: o.prefix,
    size: o.size,
    dt: o.dt,
    ...(o.nPre !== undefined ? { nPre: o.nPre } : {}),
    ...(o.params !== undefined ? { params: o.params } : {}),
    ...(o.bind !== undefined ? { bind: o.bind } : {}),
    ...(o.streamBase !== undefined ? { streamBase: o.streamBase } : {}),
  });
  const pick = (names: readonly { name: string }[]): Record<string, string> =>
    Object.fromEntries(names.map((p) => [p.name, op.bindings[p.name] as string]));
  return { buffers, ops: [op], inputs: pick(def.inputs), outputs: pick(def.outputs), state: pick(def.state) };
}

/** A float32 buffer (zero-filled unless `init` is given). */
export function f32Buffer(
  name: string,
  shape: readonly number[],
  init?: ArrayLike<number> | number,
): PlanBuffer {
  if (init === undefined) return { name, dtype: 'float32', shape: [...shape] };
  return {
    name,
    dtype: 'float32',
    shape: [...shape],
    init: typeof init === 'number' ? init : Float32Array.from(init),
  };
}

/** Merges fragments (ops in order). */
export function mergeFragments(
  parts: readonly Fragment[],
  ports: Pick<Fragment, 'inputs' | 'outputs' | 'state'>,
): Fragment {
  return { buffers: parts.flatMap((p) => p.buffers), ops: parts.flatMap((p) => p.ops), ...ports };
}

function decode(b: PlanBuffer, size: number): Float64Array {
  const a = new Float64Array(size);
  const init = b.init;
  if (typeof init === 'number') a.fill(init);
  else if (init !== undefined) {
    if (b.dtype === 'float16') for (let i = 0; i < size; i++) a[i] = fromFloat16Bits(init[i] as number);
    else for (let i = 0; i < size; i++) a[i] = Number(init[i]);
  }
  return a;
}

type RefExec = (step: number) => void;

/**
 * A float64 executor of a plan: `module` ops run in the interpreter (`interpretStep`, no code
 * generation, no float32 rounding), structural ops in double precision. Every buffer is a
 * `Float64Array`. It is the oracle the backends are compared with for composite modules.
 */
export class ReferenceProgram {
  /** Buffers by name. */
  readonly buffers = new Map<string, Float64Array>();
  private readonly execs: RefExec[];
  private stepCount = 0;

  constructor(plan: Plan) {
    for (const b of plan.buffers)
      this.buffers.set(
        b.name,
        decode(
          b,
          b.shape.reduce((x, y) => x * y, 1),
        ),
      );
    const r = resolvePlan(plan, () => true);
    this.execs = r.ops.map((op) => {
      const reference = opSpec(op.kind)?.reference;
      if (reference === undefined)
        throw new Error(`ReferenceProgram: op "${op.op.name}" (${op.kind}) has no float64 reference`);
      return reference(op, { buf: (slot) => this.buf(op.op.bindings[slot]), dt: plan.dt, seed: plan.seed });
    });
  }

  private buf(name: string | undefined): Float64Array {
    const a = this.buffers.get(name ?? '');
    if (a === undefined) throw new Error(`ReferenceProgram: unknown buffer ${String(name)}`);
    return a;
  }

  /** Steps executed so far. */
  get step(): number {
    return this.stepCount;
  }

  /** Writes `inputs` (buffer name → values), then executes one step. */
  run(inputs: Readonly<Record<string, ArrayLike<number>>> = {}): void {
    for (const [name, v] of Object.entries(inputs)) {
      const a = this.buf(name);
      if (v.length !== a.length)
        throw new Error(`ReferenceProgram: input ${name} needs ${a.length} values, got ${v.length}`);
      for (let i = 0; i < a.length; i++) a[i] = v[i] as number;
    }
    for (const e of this.execs) e(this.stepCount);
    this.stepCount++;
  }

  /** The live contents of a buffer. */
  get(name: string): Float64Array {
    return this.buf(name);
  }
}

/** A plan made of one fragment. */
export function fragmentPlan(f: Fragment, dt: number, seed: number | bigint = 0): Plan {
  return { buffers: f.buffers, ops: f.ops, dt, seed };
}

/**
 * Wires a fragment's buffer to another buffer: every op binding of `from` now uses `to`, the
 * buffer `from` is dropped, and port/state maps follow. Use it to connect a module's input port to
 * another module's output buffer without a copy (sizes and dtypes are checked when the plan loads).
 */
export function rebind(f: Fragment, from: string, to: string): Fragment {
  const swap = (m: Readonly<Record<string, string>>): Record<string, string> =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v === from ? to : v]));
  return {
    buffers: f.buffers.filter((b) => b.name !== from),
    ops: f.ops.map((op) => ({ ...op, bindings: swap(op.bindings) })),
    inputs: swap(f.inputs),
    outputs: swap(f.outputs),
    state: swap(f.state),
  };
}
