/**
 * CartPole closed loop: Spark's tutorial #6 in TypeScript. Trains `ab_brain` on CartPole-v1 with
 * Sutton–Barto rewards and reward-modulated plasticity, one or more seeds, prints one line per
 * episode (a progress bar with ETA on a terminal) and writes the learning curve to `--out`:
 * `curve.csv` (one row per episode and seed), `curve.svg` (the notebook's plot, one panel per seed)
 * and `summary.json` (per seed: first episode at the cap, episodes at the cap among the last 50;
 * env-steps/s and brain µs/step, wall and CPU).
 *
 * Usage: pnpm --filter @spark-snn/examples cartpole [--episodes 150] [--seeds 3] [--network file|spark] …
 *        deno run -A apps/examples/src/cartpole/main.ts [same flags]
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { summarise, TUTORIAL } from './agent.ts';
import {
  CURVE_CSV_HEADER,
  type CurveRow,
  type CurveSeries,
  curveCsvLine,
  curveStats,
  curveSvg,
  episodeRow,
  parseCurveCsv,
} from './curve.ts';
import { ProgressBar } from './progress.ts';
import { CARTPOLE_FLAGS, createTraining, parseCartPoleArgs } from './run.ts';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`usage: cartpole ${CARTPOLE_FLAGS}`);
  process.exit(0);
}
let args: ReturnType<typeof parseCartPoleArgs>;
try {
  args = parseCartPoleArgs(process.argv.slice(2));
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(2);
}
const runtime = 'Deno' in globalThis ? 'deno' : 'node';
const seeds = Array.from({ length: args.seeds }, (_, k) => args.seed + k);
const networkText =
  args.network === 'spark'
    ? "Spark's frozen float32 ab_brain on Gymnasium's seed-42 starts"
    : args.dtype === 'file'
      ? 'ab_brain.scfg as shipped (float16 modules)'
      : `ab_brain.scfg with every module ${args.dtype}`;
console.log(
  `CartPole-v1 × ab_brain (${networkText}): ${args.episodes} episodes × seed${seeds.length > 1 ? 's' : ''} ` +
    `${seeds.join(', ')}, ${args.brainSteps} brain steps per env step, backend ${args.backend}, runtime ${runtime}`,
);

let reference: CurveSeries | undefined;
if (args.reference) {
  try {
    reference = {
      label: args.referenceLabel,
      rows: parseCurveCsv(readFileSync(args.reference, 'utf8'), args.reference),
    };
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
mkdirSync(args.out, { recursive: true });
const csvPath = join(args.out, 'curve.csv');
const svgPath = join(args.out, 'curve.svg');
writeFileSync(csvPath, `${CURVE_CSV_HEADER}\n`);
const rows: CurveRow[] = [];
const label = (seed: number) =>
  `spark-snn · ${args.network === 'spark' ? "Spark's network" : 'seed'} ${seed}`;
const writeSvg = () => {
  const series: CurveSeries[] = seeds.map((s) => ({
    label: label(s),
    rows: rows.filter((r) => r.seed === s),
  }));
  if (reference) series.push(reference);
  writeFileSync(
    svgPath,
    curveSvg(series, {
      cap: args.maxSteps,
      episodes: args.episodes,
      title: `CartPole-v1 × ab_brain — ${networkText}, backend ${args.backend} (${runtime})`,
    }),
  );
};

const bar = new ProgressBar(seeds.length * args.episodes, process.stderr, process.stdout);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const t0 = performance.now();
const cpu0 = cpuMs();
const perSeed: Record<string, unknown>[] = [];
let stopped = false;
for (const seed of seeds) {
  if (stopped) break;
  let training: Awaited<ReturnType<typeof createTraining>>;
  try {
    training = await createTraining({
      network: args.network,
      dtype: args.dtype,
      seed,
      backend: args.backend,
      brainSteps: args.brainSteps,
      maxSteps: args.maxSteps,
    });
  } catch (e) {
    bar.clear();
    console.error(`cannot start the run of seed ${seed}: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  const { agent, env } = training;
  if (seed === seeds[0]) bar.log(`backend: ${agent.brain.backend?.kind} — ${agent.brain.backend?.reason}`);
  const seedT0 = performance.now();
  const seedCpu0 = cpuMs();
  for (let e = 0; e < args.episodes; e++) {
    const c0 = cpuMs();
    const r = await agent.runEpisode(env);
    const row = episodeRow(seed, r, cpuMs() - c0);
    rows.push(row);
    appendFileSync(csvPath, `${curveCsvLine(row)}\n`);
    writeSvg();
    bar.log(
      `seed ${seed} episode ${String(row.episode).padStart(3)}: ${String(r.steps).padStart(3)} steps ` +
        `(${row.outcome.replace(/_/g, ' ')}), EMA ${r.ema.toFixed(2)}, scale ${r.modulationScale.toFixed(3)}, ` +
        `${((r.steps * 1000) / r.ms).toFixed(2)} env-steps/s, ${((r.ms * 1000) / r.brainSteps).toFixed(0)} µs/brain step`,
    );
    bar.update(
      rows.length,
      `seed ${seed}, episode ${row.episode}: ${r.steps} steps, EMA ${r.ema.toFixed(1)}`,
    );
    if (args.timeLimit > 0 && performance.now() - t0 > args.timeLimit * 1000) {
      if (e + 1 < args.episodes || seed !== seeds.at(-1))
        bar.log(`time limit of ${args.timeLimit} s reached (seed ${seed}, episode ${e + 1})`);
      stopped = true;
      break;
    }
  }
  const s = summarise(agent.history, performance.now() - seedT0, args.maxSteps);
  const seedCpu = cpuMs() - seedCpu0;
  perSeed.push({
    seed,
    ...s,
    cpuMs: seedCpu,
    envStepsPerCpuSecond: seedCpu > 0 ? (s.envSteps * 1000) / seedCpu : 0,
    brainMicrosecondsPerStep: s.brainSteps > 0 ? (s.ms * 1000) / s.brainSteps : 0,
    brainCpuMicrosecondsPerStep: s.brainSteps > 0 ? (seedCpu * 1000) / s.brainSteps : 0,
    lengths: agent.history.map((h) => h.steps),
  });
  bar.log(
    `seed ${seed}: ${s.episodes} episodes, ` +
      (s.firstCap === null
        ? `never reached the ${args.maxSteps}-step cap (best ${s.best})`
        : `first reached the ${args.maxSteps}-step cap in episode ${s.firstCap}`) +
      `, ${s.capsInLast50} of the last ${Math.min(50, s.episodes)} at the cap; ` +
      `${s.envSteps} env steps (${s.brainSteps} brain steps) in ${(s.ms / 1000).toFixed(1)} s wall, ` +
      `${(seedCpu / 1000).toFixed(1)} s CPU: ${s.envStepsPerSecond.toFixed(2)} env-steps/s, ` +
      `${((s.ms * 1000) / Math.max(1, s.brainSteps)).toFixed(0)} µs per brain step`,
  );
  if (args.saveCheckpoint) {
    const file = join(args.out, `seed-${seed}.safetensors`);
    writeFileSync(file, await agent.saveCheckpoint(args.network));
    bar.log(`trained state of seed ${seed} saved to ${file}`);
  }
  agent.destroy();
}
bar.clear();
const totalMs = performance.now() - t0;
const totalCpu = cpuMs() - cpu0;
const all = curveStats(
  rows.map((r) => r.steps),
  args.maxSteps,
);
const sum = (f: (r: CurveRow) => number) => rows.reduce((a, r) => a + f(r), 0);
const envSteps = sum((r) => r.steps);
const brainSteps = sum((r) => r.brainSteps ?? 0);
// Speed of the loop: the episodes' own time (compiling the agents is left out; it is in totalMs).
const ms = sum((r) => r.ms ?? 0);
const cpu = sum((r) => r.cpuMs ?? 0);
const speed = {
  envSteps,
  brainSteps,
  wallMs: ms,
  cpuMs: cpu,
  envStepsPerSecond: ms > 0 ? (envSteps * 1000) / ms : 0,
  envStepsPerCpuSecond: cpu > 0 ? (envSteps * 1000) / cpu : 0,
  brainMicrosecondsPerStep: brainSteps > 0 ? (ms * 1000) / brainSteps : 0,
  brainCpuMicrosecondsPerStep: brainSteps > 0 ? (cpu * 1000) / brainSteps : 0,
};
writeSvg();
writeFileSync(
  join(args.out, 'summary.json'),
  `${JSON.stringify(
    {
      args,
      runtime,
      tutorial: { capFromEpisode: 49, episodes: TUTORIAL.episodes },
      loadAverage: loadavg(),
      totalWallMs: totalMs,
      totalCpuMs: totalCpu,
      ...speed,
      seeds: perSeed,
    },
    null,
    2,
  )}\n`,
);
console.log(
  `\n${rows.length} episodes (${seeds.length} seed${seeds.length > 1 ? 's' : ''}) in ${(totalMs / 1000).toFixed(1)} s wall, ` +
    `${(totalCpu / 1000).toFixed(1)} s CPU (compiling included); the episodes: ${envSteps} env steps, ${brainSteps} brain steps, ` +
    `${speed.envStepsPerSecond.toFixed(2)} env-steps/s, ${speed.brainMicrosecondsPerStep.toFixed(0)} µs per brain step ` +
    `(${speed.brainCpuMicrosecondsPerStep.toFixed(0)} µs CPU); best ${all.best}. ` +
    "The tutorial's agent reaches the cap from about episode 49.",
);
console.log(`wrote ${csvPath}, ${svgPath}, ${join(args.out, 'summary.json')}`);
