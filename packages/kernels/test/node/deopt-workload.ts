// The workload of the deoptimisation guard (deopt.test.ts), run in a child process with
// `--trace-deopt`: a CUBA-like network (cuba_lif, two sparse.csr projections with their one-step
// latency copies, a delayed projection, a population monitor) plus a small leaky soma fed by a
// per-step stream, run in several chunks with records, then in single-step calls — every path of the
// step and of the run loop.
import type { Plan, PlanBuffer, PlanOp } from '@spark-snn/core';
import { cpuBackend } from '../../src/backends/cpu/index.ts';
import { fixedProbability } from '../../src/ops/sparse/connect.ts';
import { instantiateModule } from '../../src/ops.ts';
import { cubaLif } from '../../src/somas/cuba_lif.ts';
import { leakySoma } from '../../src/somas/leaky_soma.ts';

const N = 2000;
const NE = 1600;
const simd = process.argv[2] !== 'nosimd';

const soma = instantiateModule(cubaLif, {
  prefix: 'n',
  size: N,
  dt: 0.1,
  params: {
    tau_m: 20,
    tau_e: 5,
    tau_i: 10,
    v_rest: -49,
    v_threshold: -50,
    v_reset: -60,
    refractory: 5,
    v_offset: Array.from({ length: N }, (_, i) => (i * 7919) % 10),
  },
  bind: { exc: 'c.exc', inh: 'c.inh' },
});
const buffers: PlanBuffer[] = [...soma.buffers];
const ops: PlanOp[] = [soma.op];
const f32 = (name: string, n: number): PlanBuffer => ({ name, dtype: 'float32', shape: [n] });
buffers.push(f32('c.exc', N), f32('c.inh', N), f32('c.spikes', N), f32('exc', N), f32('inh', N));
for (const [name, range, w, p, extra] of [
  ['exc', [0, NE], 1.62, 0.04, {}],
  ['inh', [NE, N], -9, 0.04, { delay: 2 }],
] as const) {
  const csr = fixedProbability({
    pre: N,
    post: N,
    p,
    seed: 3,
    stream: name === 'exc' ? 1 : 2,
    sourceRange: range,
  });
  buffers.push(
    { name: `${name}.o`, dtype: 'uint32', shape: [N + 1], init: csr.offsets },
    { name: `${name}.s`, dtype: 'uint32', shape: [csr.sources.length], init: csr.sources },
  );
  const delayed = 'delay' in extra;
  if (delayed) buffers.push(f32(`${name}.h`, 3 * N));
  ops.push({
    op: 'sparse.csr',
    name,
    bindings: {
      offsets: `${name}.o`,
      sources: `${name}.s`,
      spikes: 'c.spikes',
      out: name,
      ...(delayed ? { history: `${name}.h` } : {}),
    },
    attrs: { post: N, pre: N, nnz: csr.sources.length, weight: w, ...extra },
  });
}
ops.push(
  { op: 'copy', name: 'c.spikes', bindings: { src: 'n.spikes', dst: 'c.spikes' } },
  { op: 'copy', name: 'c.exc', bindings: { src: 'exc', dst: 'c.exc' } },
  { op: 'copy', name: 'c.inh', bindings: { src: 'inh', dst: 'c.inh' } },
);
buffers.push(
  { name: 'm.o', dtype: 'int32', shape: [3], init: Int32Array.of(0, NE, N) },
  { name: 'm.m', dtype: 'int32', shape: [N], init: Int32Array.from({ length: N }, (_, i) => i) },
  f32('rate', 2),
);
ops.push({
  op: 'reduce.group_sum',
  name: 'monitor',
  bindings: { input: 'n.spikes', offsets: 'm.o', members: 'm.m', out: 'rate' },
  attrs: { n: N, groups: 2 },
});
const leaky = instantiateModule(leakySoma, { prefix: 'l', size: 16, dt: 0.1 });
buffers.push(...leaky.buffers);
ops.push(leaky.op);

const plan: Plan = { buffers, ops, dt: 0.1, seed: 5 };
const program = await cpuBackend({ simd }).load(plan);
const current = Float32Array.from({ length: 500 * 16 }, (_, k) => 300 + ((k * 37) % 500));
let spikes = 0;
for (let run = 0; run < 6; run++) {
  const r = await program.run({
    steps: 500,
    chunk: 200,
    inputs: { 'l.current': current },
    record: ['rate', 'n.spikes', 'l.spikes'],
  });
  for (const x of r.records.rate as Float32Array) spikes += x;
}
// Then single steps, as Brain.step makes them: each call one step, its stream row and a record (the
// stream and record arrays are made per call).
for (let s = 0; s < 1500; s++) {
  const r = await program.run({
    steps: 1,
    inputs: { 'l.current': current.subarray(16 * (s % 500), 16 * (s % 500) + 16) },
    record: ['rate'],
  });
  for (const x of r.records.rate as Float32Array) spikes += x;
}
console.log(`workload done: ${spikes} spikes, ${simd ? 'simd' : 'js'}`);
