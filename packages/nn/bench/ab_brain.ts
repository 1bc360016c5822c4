/**
 * ab_brain benchmark (issue 6): the CartPole brain of Spark's tutorial (640 neurons, 524,288
 * synapses, quadruplet plasticity) on each backend available here —
 * µs per step for single steps, for k = 16 / 50 steps per call, for an open-loop run, and the
 * closed-loop rate with a trivial environment (50 brain steps per env step, as the tutorial).
 *
 * Usage: pnpm --filter @spark-snn/nn bench [--steps N] [--backends cpu,webgpu]
 * Writes bench/report.json and prints a Markdown table. Software adapters (SwiftShader, lavapipe)
 * measure overheads only, never GPU speed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultRegistry, readScfg, registerNeuronFromConfigFile } from '@spark-snn/config';
import { Brain } from '../src/brain.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '10000' },
    backends: { type: 'string', default: 'cpu,webgpu' },
  },
});
const openSteps = Number(values.steps);
const registry = defaultRegistry.clone();
registerNeuronFromConfigFile(
  'ALIFModNeuron',
  new Uint8Array(readFileSync(join(here, '../../config/examples/alif_mod_neuron.scfg'))),
  registry,
);
const doc = readScfg(new Uint8Array(readFileSync(join(here, '../../../fixtures/spark/ab_brain.scfg'))), {
  registry,
});
if (!doc.ok) throw new Error(doc.issues.map((i) => i.message).join('; '));
const shapes = { signal: [4], mod_a_ex: [1], mod_b_ex: [1], mod_a_in: [1], mod_b_in: [1] };
const obs = (t: number) => [Math.sin(t / 7), Math.cos(t / 11), Math.sin(t / 5) * 0.2, Math.cos(t / 3) * 0.5];
const mods = { mod_a_ex: [0], mod_b_ex: [0], mod_a_in: [0], mod_b_in: [0] };

interface Row {
  backend: string;
  device: string;
  singleUs: number;
  k16Us: number;
  k50Us: number;
  openUs: number;
  openSteps: number;
  envStepsPerS: number;
  submissionsPerChunk?: number;
}
const rows: Row[] = [];

async function time(fn: () => Promise<unknown>, reps: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await fn();
  return (performance.now() - t0) / reps;
}

for (const backend of values.backends.split(',') as ('cpu' | 'webgpu' | 'gpujs')[]) {
  let brain: Brain;
  try {
    brain = await Brain.fromConfig(doc.document, { backend, registry, inputShapes: shapes });
  } catch (e) {
    console.log(`${backend}: not available (${e instanceof Error ? e.message.split('\n')[0] : e})`);
    continue;
  }
  const device = brain.backend!.reason;
  let t = 0;
  const input = () => ({ signal: obs(t++), ...mods });
  await brain.step(input(), { repeat: 20 }); // warm-up
  const single = await time(() => brain.step(input()), 50);
  const k16 = (await time(() => brain.step(input(), { repeat: 16 }), 10)) / 16;
  const k50 = (await time(() => brain.step(input(), { repeat: 50 }), 5)) / 50;
  const before = brain.stats!.submissions;
  const t0 = performance.now();
  await brain.run({ steps: openSteps, inputs: { signal: obs(0), ...mods }, chunk: 1000 });
  const open = (performance.now() - t0) / openSteps;
  const subs = (brain.stats!.submissions - before) / Math.ceil(openSteps / 1000);
  // closed loop: a trivial environment reads the action every 50 brain steps and answers.
  let o = obs(0);
  const envSteps = 20;
  const t1 = performance.now();
  for (let e = 0; e < envSteps; e++) {
    const out = await brain.step({ signal: o, ...mods }, { repeat: 50 });
    const a = out.action!;
    o = obs(e + (a[0]! > a[1]! ? 1 : 2));
  }
  const envRate = envSteps / ((performance.now() - t1) / 1000);
  rows.push({
    backend,
    device,
    singleUs: single * 1000,
    k16Us: k16 * 1000,
    k50Us: k50 * 1000,
    openUs: open * 1000,
    openSteps,
    envStepsPerS: envRate,
    ...(backend === 'webgpu' ? { submissionsPerChunk: subs } : {}),
  });
  brain.destroy();
}

const spark = { singleUs: 2000, scanUs: 4800 };
console.log(
  `\nab_brain (640 neurons, 524,288 synapses), ${new Date().toISOString()}, Node ${process.version}`,
);
console.log(
  '| backend | single step µs | k=16 µs/step | k=50 µs/step | open loop µs/step (steps) | closed loop env-steps/s | vs Spark single (2.0 ms) | vs Spark 50-scan (4.8 ms/step) |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.backend} | ${r.singleUs.toFixed(0)} | ${r.k16Us.toFixed(0)} | ${r.k50Us.toFixed(0)} | ${r.openUs.toFixed(0)} (${r.openSteps}) | ${r.envStepsPerS.toFixed(2)} | ${(spark.singleUs / r.singleUs).toFixed(2)}× | ${(spark.scanUs / r.k50Us).toFixed(2)}× |`,
  );
}
for (const r of rows)
  console.log(
    `  ${r.backend}: ${r.device}${r.submissionsPerChunk !== undefined ? `; ${r.submissionsPerChunk.toFixed(1)} submissions per 1000-step chunk` : ''}`,
  );
writeFileSync(
  join(here, 'report.json'),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`,
);
