// A plan that exercises every transformation a compiling backend makes (fusion across structural
// ops, double buffers for latency copies, event lists read by sparse.csr without/with delays,
// dense.sync, concat, compact, group_sum, delays and copies), three runs of it (plain; after host
// writes of a swapped buffer, an event-tracked one and a history; after reset) and the float64
// reference of the same runs. Shared by the cpu step program test and the webgpu schedule test.
import type { Backend, Plan, PlanBuffer, PlanOp, TypedArray } from '@spark-snn/core';
import { parseDefinition } from '../../src/lang/parser.ts';
import { ReferenceProgram } from '../../src/library/fragment.ts';
import { fixedProbability } from '../../src/ops/sparse/connect.ts';
import { instantiateModule } from '../../src/ops.ts';
import { testInputs } from './conformance.ts';

export const PRE = 64;
const POST = 48;
export const STEPS = 40;

const GEN = parseDefinition(
  'module gen\ninput x: FloatArray f32\nstate k: f32 = 0\noutput s: SpikeArray f32\nk = k * 0.5 + x\ns = f32(x > 0.7) * (1 + f32(x > 0.95))',
);
const LIF = parseDefinition(
  'module lif\ninput cur: CurrentArray f32\nstate v: f32 = 0\noutput spikes: SpikeArray f32\nv = v * 0.9 + cur\nspikes = f32(v > 1)\nv = v > 1 ? 0 : v',
);
// A second module over the plan's 64 units, after ops it can move past: fused with gen.
const TRACE = parseDefinition(
  'module trace\ninput s: SpikeArray f32\nstate q: f32 = 0\noutput o: FloatArray f32\nq = q * 0.75 + s\no = q',
);

/** The plan (module ops gen, trace, lif and every structural op kind). */
export function stepPlan(): Plan {
  const f32 = (name: string, n: number, init?: number): PlanBuffer => ({
    name,
    dtype: 'float32',
    shape: [n],
    ...(init !== undefined ? { init } : {}),
  });
  const gen = instantiateModule(GEN, { prefix: 'g', size: PRE, dt: 1 });
  const trace = instantiateModule(TRACE, { prefix: 't', size: PRE, dt: 1, bind: { s: 's.cache' } });
  const lif = instantiateModule(LIF, { prefix: 'l', size: POST, dt: 1, bind: { cur: 'cur.a' } });
  const csr = fixedProbability({ pre: PRE, post: POST, p: 0.2, seed: 4, stream: 1 });
  const nnz = csr.sources.length;
  const buffers: PlanBuffer[] = [
    ...gen.buffers,
    ...trace.buffers,
    ...lif.buffers,
    f32('s.cache', PRE),
    f32('s.copy', PRE),
    f32('cur.a', POST),
    f32('cur.b', POST, 0.5),
    f32('cur.c', POST),
    f32('cur.d', POST),
    f32('hist.b', 3 * PRE),
    f32('hist.c', 4 * PRE),
    { name: 'o', dtype: 'uint32', shape: [POST + 1], init: csr.offsets },
    { name: 'src', dtype: 'uint32', shape: [nnz], init: csr.sources },
    { name: 'w', dtype: 'float32', shape: [nnz], init: testInputs(1, nnz, -1, 1, 3) },
    {
      name: 'd',
      dtype: 'uint32',
      shape: [nnz],
      init: Uint32Array.from({ length: nnz }, (_, e) => (e * 7) % 4),
    },
    { name: 'W', dtype: 'float32', shape: [POST, PRE], init: testInputs(1, POST * PRE, -1, 1, 4) },
    f32('cat', 2 * PRE),
    { name: 'idx', dtype: 'uint32', shape: [2 * PRE] },
    { name: 'cnt', dtype: 'uint32', shape: [1] },
    { name: 'go', dtype: 'int32', shape: [3], init: Int32Array.of(0, 20, PRE) },
    { name: 'gm', dtype: 'int32', shape: [PRE], init: Int32Array.from({ length: PRE }, (_, i) => i) },
    f32('rate', 2),
    { name: 'dn', dtype: 'int32', shape: [PRE], init: Int32Array.from({ length: PRE }, (_, i) => i % 3) },
    f32('ring', 3 * PRE),
    f32('sd', PRE),
    {
      name: 'ds',
      dtype: 'uint32',
      shape: [5, PRE],
      init: Uint32Array.from({ length: 5 * PRE }, (_, k) => (k * 3) % 5),
    },
    f32('ring2', 4 * PRE),
    f32('sdd', 5 * PRE),
  ];
  const sp = (name: string, extra: Record<string, unknown>, b: Record<string, string>): PlanOp => ({
    op: 'sparse.csr',
    name,
    bindings: { offsets: 'o', sources: 'src', out: `cur.${name}`, ...b },
    attrs: { post: POST, pre: PRE, nnz, ...extra },
  });
  const ops: PlanOp[] = [
    gen.op,
    sp('a', {}, { weights: 'w', spikes: 's.cache' }),
    sp('b', { weight: 0.25, delay: 2, accumulate: true }, { spikes: 'g.s', history: 'hist.b' }),
    sp('c', { maxDelay: 3 }, { weights: 'w', delays: 'd', spikes: 'g.s', history: 'hist.c' }),
    {
      op: 'dense.sync',
      name: 'dense',
      bindings: { weights: 'W', spikes: 's.cache', out: 'cur.d' },
      attrs: { post: POST, pre: PRE },
    },
    trace.op,
    lif.op,
    {
      op: 'concat',
      name: 'cat',
      bindings: { out: 'cat', in0: 'g.s', in1: 's.cache' },
      attrs: { sizes: [PRE, PRE] },
    },
    {
      op: 'compact',
      name: 'compact',
      bindings: { input: 'cat', indices: 'idx', count: 'cnt' },
      attrs: { n: 2 * PRE },
    },
    {
      op: 'reduce.group_sum',
      name: 'rate',
      bindings: { input: 'g.s', offsets: 'go', members: 'gm', out: 'rate' },
      attrs: { n: PRE, groups: 2 },
    },
    {
      op: 'delay.per_neuron',
      name: 'delay',
      bindings: { input: 'g.s', delays: 'dn', ring: 'ring', out: 'sd' },
      attrs: { n: PRE, slots: 3 },
    },
    {
      // Delays 0..4 with 4 slots: d = 4 reads the row written this step (Spark's wrap-around).
      op: 'delay.per_synapse',
      name: 'delays',
      bindings: { input: 'g.s', delays: 'ds', ring: 'ring2', out: 'sdd' },
      attrs: { post: 5, pre: PRE, slots: 4 },
    },
    { op: 'copy', name: 'copy2', bindings: { src: 'g.s', dst: 's.copy' } },
    { op: 'copy', name: 'latency', bindings: { src: 'g.s', dst: 's.cache' } },
  ];
  return { buffers, ops, dt: 1, seed: 3 };
}

/** The buffers every run records. */
export const RECORD = [
  'g.s',
  's.cache',
  's.copy',
  'cur.a',
  'cur.b',
  'cur.c',
  'cur.d',
  't.q',
  'l.spikes',
  'l.v',
  'cat',
  'idx',
  'cnt',
  'rate',
  'sd',
  'sdd',
  'hist.b',
];
/** Recorded buffers compared within float32 tolerance (sums of real values); the rest exactly. */
const INEXACT: ReadonlySet<string> = new Set(['cur.a', 'cur.b', 'cur.c', 'cur.d', 't.q', 'l.v']);
/** Buffers compared exactly with the reference (spikes, integers, sums of small integers). */
export const EXACT: ReadonlySet<string> = new Set(RECORD.filter((n) => !INEXACT.has(n)));
const X = testInputs(STEPS, PRE, 0, 1, 9);

/** Host writes between the first and the second run: a swapped buffer, an event-tracked one, rings. */
const WRITES: readonly (readonly [string, Float32Array])[] = [
  ['s.cache', Float32Array.from({ length: PRE }, (_, i) => (i % 5 === 0 ? 1 : 0))],
  ['g.s', Float32Array.from({ length: PRE }, (_, i) => (i % 7 === 0 ? 2 : 0))],
  ['hist.b', Float32Array.from({ length: 3 * PRE }, (_, i) => (i % 11 === 0 ? 1 : 0))],
  ['sdd', Float32Array.from({ length: 5 * PRE }, (_, i) => (i % 13 === 0 ? 1 : 0))],
];

/** Three runs on `backend`: plain; after the host {@link WRITES}; after reset. */
export async function runThree(backend: Backend): Promise<Record<string, number[]>[]> {
  const p = await backend.load(stepPlan());
  const out: Record<string, number[]>[] = [];
  const rec = async (): Promise<void> => {
    const r = await p.run({ steps: STEPS, inputs: { 'g.x': X }, record: RECORD, chunk: 7 });
    out.push(Object.fromEntries(RECORD.map((n) => [n, Array.from(r.records[n] as TypedArray)])));
  };
  await rec();
  for (const [name, data] of WRITES) await p.write(name, data);
  await rec();
  await p.reset();
  await rec();
  p.destroy();
  return out;
}

/** The same three runs on the float64 reference executor. */
export function onReference(): Record<string, number[]>[] {
  const out: Record<string, number[]>[] = [];
  const fresh = (): ReferenceProgram => new ReferenceProgram(stepPlan());
  let p = fresh();
  const rec = (): void => {
    const r: Record<string, number[]> = Object.fromEntries(RECORD.map((n) => [n, [] as number[]]));
    for (let t = 0; t < STEPS; t++) {
      p.run({ 'g.x': X.subarray(t * PRE, (t + 1) * PRE) });
      for (const n of RECORD) (r[n] as number[]).push(...p.get(n));
    }
    out.push(r);
  };
  rec();
  for (const [name, data] of WRITES) p.get(name).set(data);
  rec();
  p = fresh();
  rec();
  return out;
}

/** Differences of backend runs from the reference runs (spikes and integers exact, floats rel ≤ 1e-5). */
export function referenceProblems(
  got: readonly Record<string, number[]>[],
  want: readonly Record<string, number[]>[],
  backend: string,
): string[] {
  const problems: string[] = [];
  got.forEach((run, k) => {
    for (const n of RECORD) {
      const a = run[n] as number[];
      const b = (want[k] as Record<string, number[]>)[n] as number[];
      if (a.length !== b.length) problems.push(`run ${k} ${n}: length ${a.length} vs ${b.length}`);
      for (let i = 0; i < a.length && problems.length < 10; i++) {
        const x = a[i] as number;
        const y = b[i] as number;
        const bad = EXACT.has(n) ? x !== y : Math.abs(x - y) / Math.max(1, Math.abs(y)) > 1e-5;
        if (bad)
          problems.push(
            `run ${k} ${n}[${i}] (step ${Math.floor(i / (a.length / STEPS))}): ${backend} ${x} vs reference ${y}`,
          );
      }
    }
  });
  return problems;
}
