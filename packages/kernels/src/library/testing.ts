/**
 * Small helpers for tests of library modules: run a fragment for some steps on the float64
 * reference executor or on a backend and collect recorded buffers per step.
 *
 * @module
 */

import type { Backend } from '@spark-snn/core';
import { type Fragment, fragmentPlan, ReferenceProgram } from './fragment.ts';

/** Buffer name → one array per step. */
export type StepRecords = Record<string, Float64Array[]>;

/** Inputs of a run: buffer name → per-step rows (one row = held constant). */
export type StepInputs = Readonly<Record<string, readonly (readonly number[])[]>>;

function rowAt(r: readonly (readonly number[])[], t: number): readonly number[] {
  return (r.length === 1 ? r[0] : r[t]) as readonly number[];
}

/** Runs a fragment on the float64 reference executor. */
export function runFragmentReference(
  f: Fragment,
  o: { dt: number; steps: number; seed?: number; inputs?: StepInputs; record: readonly string[] },
): StepRecords {
  const p = new ReferenceProgram(fragmentPlan(f, o.dt, o.seed ?? 0));
  const out: StepRecords = Object.fromEntries(o.record.map((n) => [n, [] as Float64Array[]]));
  for (let t = 0; t < o.steps; t++) {
    p.run(Object.fromEntries(Object.entries(o.inputs ?? {}).map(([n, r]) => [n, rowAt(r, t)])));
    for (const n of o.record) (out[n] as Float64Array[]).push(Float64Array.from(p.get(n)));
  }
  return out;
}

/** Runs a fragment on a backend (float32 inputs). */
export async function runFragmentOn(
  backend: Backend,
  f: Fragment,
  o: { dt: number; steps: number; seed?: number; inputs?: StepInputs; record: readonly string[] },
): Promise<StepRecords> {
  const program = await backend.load(fragmentPlan(f, o.dt, o.seed ?? 0));
  try {
    const inputs: Record<string, Float32Array> = {};
    for (const [n, r] of Object.entries(o.inputs ?? {}))
      inputs[n] = Float32Array.from(
        r.length === 1 ? (r[0] as readonly number[]) : r.slice(0, o.steps).flat(),
      );
    const res = await program.run({ steps: o.steps, inputs, record: [...o.record] });
    const out: StepRecords = {};
    for (const n of o.record) {
      const a = res.records[n];
      if (a === undefined) throw new Error(`runFragmentOn: ${n} not recorded`);
      const size = a.length / Math.max(1, o.steps);
      out[n] = Array.from({ length: o.steps }, (_, t) =>
        Float64Array.from(a.subarray(t * size, (t + 1) * size) as ArrayLike<number>),
      );
    }
    return out;
  } finally {
    program.destroy();
  }
}
