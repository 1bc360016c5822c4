// Kernel microbenchmarks: per op, per backend, at several sizes — time per step and elements/s;
// for webgpu also the per-dispatch and per-submit overhead and one readback's latency.
// On a software adapter (SwiftShader, lavapipe) only the overheads mean anything (stack.md §3.2).
// Writes bench/report.json and prints a table. Run with `pnpm bench` (BENCH_QUICK=1 for a smoke run).
import { writeFileSync } from 'node:fs';
import type { Backend, Plan } from '@spark-snn/core';
import { afterAll, it } from 'vitest';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import { gpujsBackend } from '../src/backends/gpujs/index.ts';
import { webgpuBackend } from '../src/backends/webgpu/index.ts';
import { instantiateModule } from '../src/ops.ts';
import { leakySoma } from '../src/somas/leaky_soma.ts';

const QUICK = process.env.BENCH_QUICK === '1';

interface Row {
  op: string;
  backend: string;
  size: number;
  elements: number;
  steps: number;
  msPerStep: number;
  elementsPerSecond: number;
}

const rows: Row[] = [];
const overheads: Record<string, number | string> = {};
const backends: Backend[] = [];

function rnd(n: number, p: number, salt: number): Float32Array {
  const a = new Float32Array(n);
  let s = salt >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    a[i] = (s >>> 8) / 2 ** 24 < p ? 1 : 0;
  }
  return a;
}

function modulePlan(size: number): { plan: Plan; probe: string } {
  const { buffers, op } = instantiateModule(leakySoma, { prefix: 's', size, dt: 1 });
  const init = new Float32Array(size).map((_, i) => 200 + (i % 400));
  return {
    plan: {
      dt: 1,
      seed: 0,
      buffers: buffers.map((b) => (b.name === 's.current' ? { ...b, init } : b)),
      ops: [op],
    },
    probe: 's.spikes',
  };
}

function densePlan(
  post: number,
  pre: number,
  kind: 'dense.sync' | 'dense.async',
): { plan: Plan; probe: string } {
  const spikes = kind === 'dense.sync' ? rnd(pre, 0.05, 7) : rnd(post * pre, 0.05, 7);
  return {
    plan: {
      dt: 1,
      seed: 0,
      buffers: [
        { name: 'w', dtype: 'float32', shape: [post, pre], init: new Float32Array(post * pre).fill(0.01) },
        { name: 's', dtype: 'float32', shape: [spikes.length], init: spikes },
        { name: 'o', dtype: 'float32', shape: [post] },
      ],
      ops: [{ op: kind, name: 'd', bindings: { weights: 'w', spikes: 's', out: 'o' }, attrs: { post, pre } }],
    },
    probe: 'o',
  };
}

function delayPlan(post: number, pre: number, slots: number): { plan: Plan; probe: string } {
  return {
    plan: {
      dt: 1,
      seed: 0,
      buffers: [
        { name: 'in', dtype: 'float32', shape: [pre], init: rnd(pre, 0.1, 3) },
        {
          name: 'd',
          dtype: 'int32',
          shape: [post, pre],
          init: Int32Array.from({ length: post * pre }, (_, k) => k % slots),
        },
        { name: 'ring', dtype: 'float32', shape: [slots, pre] },
        { name: 'o', dtype: 'float32', shape: [post, pre] },
      ],
      ops: [
        {
          op: 'delay.per_synapse',
          name: 'd',
          bindings: { input: 'in', delays: 'd', ring: 'ring', out: 'o' },
          attrs: { post, pre, slots },
        },
      ],
    },
    probe: 'in',
  };
}

async function timeRun(
  b: Backend,
  plan: Plan,
  probe: string,
  steps: number,
  chunk?: number,
): Promise<number> {
  const p = await b.load(plan);
  await p.run({ steps: Math.min(steps, 5), ...(chunk ? { chunk } : {}) }); // warm-up (pipelines, JIT)
  await p.read(probe);
  const t0 = performance.now();
  await p.run({ steps, ...(chunk ? { chunk } : {}) });
  await p.read(probe); // waits for the device; one readback is included
  const ms = performance.now() - t0;
  p.destroy();
  return ms;
}

async function bench(
  b: Backend,
  op: string,
  size: number,
  elements: number,
  make: () => { plan: Plan; probe: string },
  steps: number,
): Promise<void> {
  const { plan, probe } = make();
  const ms = await timeRun(b, plan, probe, steps);
  rows.push({
    op,
    backend: b.kind,
    size,
    elements,
    steps,
    msPerStep: ms / steps,
    elementsPerSecond: (elements * steps) / (ms / 1000),
  });
}

afterAll(() => {
  for (const b of backends) b.destroy();
});

it('kernel microbenchmarks', async () => {
  const cpu = cpuBackend();
  const gpu = await webgpuBackend();
  const gj = await gpujsBackend();
  backends.push(cpu, gpu, gj);
  overheads.webgpuAdapter = gpu.description;
  overheads.gpujsMode = gj.description;
  const S = (n: number): number => (QUICK ? Math.max(5, Math.floor(n / 20)) : n);

  for (const size of QUICK ? [1000] : [1000, 10_000, 100_000]) {
    const steps = S(size >= 100_000 ? 200 : 1000);
    await bench(cpu, 'module leaky_soma', size, size, () => modulePlan(size), steps);
    await bench(gpu, 'module leaky_soma', size, size, () => modulePlan(size), steps);
    if (size <= 10_000)
      await bench(gj, 'module leaky_soma', size, size, () => modulePlan(size), S(size >= 10_000 ? 20 : 100));
  }
  for (const [post, pre] of QUICK
    ? [[100, 100]]
    : [
        [100, 100],
        [300, 300],
        [1000, 1000],
      ]) {
    const n = (post as number) * (pre as number);
    for (const kind of ['dense.sync', 'dense.async'] as const) {
      await bench(
        cpu,
        kind,
        n,
        n,
        () => densePlan(post as number, pre as number, kind),
        S(n >= 1e6 ? 50 : 500),
      );
      await bench(
        gpu,
        kind,
        n,
        n,
        () => densePlan(post as number, pre as number, kind),
        S(n >= 1e6 ? 20 : 200),
      );
      if (n <= 1e5) await bench(gj, kind, n, n, () => densePlan(post as number, pre as number, kind), S(20));
    }
    await bench(
      cpu,
      'delay.per_synapse',
      n,
      n,
      () => delayPlan(post as number, pre as number, 8),
      S(n >= 1e6 ? 50 : 500),
    );
    await bench(
      gpu,
      'delay.per_synapse',
      n,
      n,
      () => delayPlan(post as number, pre as number, 8),
      S(n >= 1e6 ? 20 : 200),
    );
  }

  // ---- webgpu overheads (tiny kernels, so the work itself is negligible) ----
  const tiny = (ops: number): Plan => {
    const parts = Array.from({ length: ops }, (_, k) =>
      instantiateModule(leakySoma, { prefix: `t${k}`, size: 1, dt: 1 }),
    );
    return { dt: 1, seed: 0, buffers: parts.flatMap((p) => p.buffers), ops: parts.map((p) => p.op) };
  };
  const steps = S(2000);
  const one = await timeRun(gpu, tiny(1), 't0.spikes', steps, steps);
  const many = await timeRun(gpu, tiny(32), 't0.spikes', steps, steps);
  overheads.perDispatchMicroseconds = ((many - one) / (steps * 31)) * 1000;
  const perStepOneSubmit = one / steps;
  const stepsSubmit = S(300);
  const chunk1 = await timeRun(gpu, tiny(1), 't0.spikes', stepsSubmit, 1);
  overheads.perSubmitMicroseconds = (chunk1 / stepsSubmit - perStepOneSubmit) * 1000;
  overheads.perStepOneSubmitMicroseconds = perStepOneSubmit * 1000;
  const p = await gpu.load(tiny(1));
  await p.run({ steps: 10 });
  await p.read('t0.spikes');
  for (const chunk of [steps, 10]) {
    const t0 = performance.now();
    await p.run({ steps, chunk });
    const t1 = performance.now();
    await p.read('t0.spikes');
    const t2 = performance.now();
    overheads[`chunk${chunk === steps ? 'All' : chunk}HostEncodeSubmitMicrosecondsPerStep`] =
      ((t1 - t0) / steps) * 1000;
    overheads[`chunk${chunk === steps ? 'All' : chunk}TotalMicrosecondsPerStep`] = ((t2 - t0) / steps) * 1000;
  }
  const lat: number[] = [];
  for (let k = 0; k < (QUICK ? 5 : 30); k++) {
    const t0 = performance.now();
    await p.read('t0.spikes');
    lat.push(performance.now() - t0);
  }
  p.destroy();
  lat.sort((a, b) => a - b);
  overheads.readbackLatencyMsMedian = lat[Math.floor(lat.length / 2)] as number;

  const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toPrecision(3));
  console.info(
    '\n| op | backend | elements | steps | ms/step | elements/s |\n| --- | --- | ---: | ---: | ---: | ---: |',
  );
  for (const r of rows)
    console.info(
      `| ${r.op} | ${r.backend} | ${r.elements} | ${r.steps} | ${fmt(r.msPerStep)} | ${r.elementsPerSecond.toExponential(2)} |`,
    );
  console.info('\nwebgpu overheads:', JSON.stringify(overheads, null, 2));
  writeFileSync(
    new URL('report.json', import.meta.url),
    `${JSON.stringify({ date: new Date().toISOString(), quick: QUICK, note: 'software adapters: overheads only', rows, overheads }, null, 2)}\n`,
  );
});
