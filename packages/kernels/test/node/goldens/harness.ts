/**
 * Runs a plan fragment step by step on the float64 reference (interpreter) and on the cpu backend
 * and returns what was recorded after every step.
 *
 * @module
 */

import type { Backend } from '@spark-snn/core';
import { cpuBackend } from '../../../src/backends/cpu/index.ts';
import { type Fragment, fragmentPlan, ReferenceProgram } from '../../../src/library/fragment.ts';

/** A run of a fragment. */
export interface Trial {
  readonly fragment: Fragment;
  readonly dt: number;
  readonly seed?: number;
  readonly steps: number;
  /** Buffer name → per-step rows (or one row held constant). */
  readonly inputs: Readonly<Record<string, readonly (readonly number[])[]>>;
  /** Buffers to record after every step. */
  readonly record: readonly string[];
}

/** Buffer name → one array per step. */
export type Records = Record<string, Float64Array[]>;

function rowAt(r: readonly (readonly number[])[], t: number): readonly number[] {
  return (r.length === 1 ? r[0] : r[t]) as readonly number[];
}

/** Runs on the float64 reference executor (module ops interpreted). */
export function runReference(tr: Trial): Records {
  const p = new ReferenceProgram(fragmentPlan(tr.fragment, tr.dt, tr.seed ?? 0));
  const out: Records = Object.fromEntries(tr.record.map((n) => [n, [] as Float64Array[]]));
  for (let t = 0; t < tr.steps; t++) {
    p.run(Object.fromEntries(Object.entries(tr.inputs).map(([n, r]) => [n, rowAt(r, t)])));
    for (const n of tr.record) (out[n] as Float64Array[]).push(Float64Array.from(p.get(n)));
  }
  return out;
}

/** Runs on the cpu backend (generated JavaScript, float32 storage). */
export function runCpu(tr: Trial): Promise<Records> {
  return runOn(cpuBackend(), tr);
}

/** Runs on any backend. */
export async function runOn(backend: Backend, tr: Trial): Promise<Records> {
  const program = await backend.load(fragmentPlan(tr.fragment, tr.dt, tr.seed ?? 0));
  const inputs: Record<string, Float32Array> = {};
  for (const [n, r] of Object.entries(tr.inputs)) {
    if (r.length === 1) inputs[n] = Float32Array.from(r[0] as readonly number[]);
    else inputs[n] = Float32Array.from(r.slice(0, tr.steps).flat());
  }
  const res = await program.run({ steps: tr.steps, inputs, record: [...tr.record] });
  const out: Records = {};
  for (const n of tr.record) {
    const a = res.records[n];
    if (a === undefined) throw new Error(`runCpu: ${n} not recorded`);
    const size = a.length / tr.steps;
    out[n] = Array.from({ length: tr.steps }, (_, t) =>
      Float64Array.from(a.subarray(t * size, (t + 1) * size) as ArrayLike<number>),
    );
  }
  program.destroy();
  return out;
}
