/**
 * W4b: the CartPole brain of Spark's tutorial (`ab_brain`: 640 neurons, 524,288 plastic synapses,
 * quadruplet plasticity, dt = 1 ms) — ours on each backend, and **Spark itself** (JAX) as a peer when
 * a Spark checkout and a Python with `jax==0.10.2` and `flax==0.12.8` are found.
 *
 * Measured the same way on both sides (process CPU time and wall time, one fresh process per round,
 * rounds interleaved): load `.scfg` → first step ready; one warm step; k = 16 and k = 50 steps per
 * call (Spark: its tutorial's 50-step `lax.scan`); and a **CartPole loop** of 50 brain steps per
 * environment step, the action (argmax of the two outputs) read back every environment step, with a
 * trivial deterministic environment ({@link envObservation}, the same function in
 * `peers/spark_peer.py`). Both sides get the same inputs: the observation as `signal` and the
 * tutorial's passive modulation (−1e−4, inhibitory pools × 0.25).
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultRegistry, readScfg, registerAlifModNeuron } from '@spark-snn/config';
import { Brain } from '@spark-snn/nn';
import { type BackendInfo, type BackendName, backendInfo } from './backends.ts';
import { clock, median, peakRssMiB, rssMiB, since, type Timing } from './measure.ts';

const AB_BRAIN = fileURLToPath(new URL('../../../fixtures/spark/ab_brain.scfg', import.meta.url));

/** One round of ours on one backend. */
export interface AbBrainJob {
  readonly kind: 'ab_brain';
  readonly backend: BackendName;
  /** Calls per timing block (single steps; k = 16 and k = 50 calls and env steps are fewer). Default 40. */
  readonly calls?: number;
  /**
   * Timing blocks per figure (default 5) and warm-up steps (default 1,000 single steps, then one call
   * of 50: V8 optimises the step's JavaScript and WebAssembly over the first ~1,000 steps, on other
   * threads — a "warm" step, like Spark's jitted one, comes after): fewer on a software adapter.
   */
  readonly blocks?: number;
  readonly warmup?: number;
  /**
   * Run the event-driven form (the Brain's default, `true`) or the dense plan (`false`): the
   * before/after of the event-driven synapse domain on a backend.
   */
  readonly eventDriven?: boolean;
}

/** Per-call or per-step figures of one side: median over 5 blocks. */
export interface AbBrainSample {
  /** Reading the `.scfg`, compiling, loading, and the first step's result (a fresh process). */
  readonly load: Timing;
  /** Seconds per single step. */
  readonly single: Timing;
  /** Seconds per step with 16 steps per call. */
  readonly k16?: Timing;
  /** Seconds per step with 50 steps per call (Spark: its 50-step `lax.scan`). */
  readonly k50: Timing;
  /** Seconds per environment step of the CartPole loop (50 brain steps + reading the action). */
  readonly envStep: Timing;
  /** Spark: compiling its jitted step and its scan (first calls). */
  readonly compileSingle?: Timing;
  readonly compileScan?: Timing;
  /** Ours: seconds per step of the warm-up's single steps (V8 optimising the step meanwhile). */
  readonly warmup?: Timing;
  readonly peakRssMiB: number;
  readonly startRssMiB?: number;
  readonly backend?: BackendInfo;
  /** The program's counters per brain step (dispatches, submissions, …). */
  readonly statsPerStep?: Readonly<Record<string, number>>;
}

/** The trivial environment's observation at time `t` (the same in `peers/spark_peer.py`). */
export function envObservation(t: number): number[] {
  return [Math.sin(t / 7), Math.cos(t / 11), Math.sin(t / 5) * 0.2, Math.cos(t / 3) * 0.5];
}

/** The tutorial's passive modulation, excitatory pools, and the factor of the inhibitory ones. */
const PASSIVE = -1e-4;
const INHIBITORY = 0.25;

function inputsAt(t: number): Record<string, number[]> {
  return {
    signal: envObservation(t),
    mod_a_ex: [PASSIVE],
    mod_a_in: [PASSIVE * INHIBITORY],
    mod_b_ex: [PASSIVE],
    mod_b_in: [PASSIVE * INHIBITORY],
  };
}

/** Median seconds per unit over `blocks` blocks of `calls` calls, `units` units (steps) per call. */
async function blocks(
  fn: () => Promise<unknown>,
  calls: number,
  units: number,
  count: number,
): Promise<Timing> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let b = 0; b < count; b++) {
    const t0 = clock();
    for (let i = 0; i < calls; i++) await fn();
    const d = since(t0);
    wall.push(d.wall / (calls * units));
    cpu.push(d.cpu / (calls * units));
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** Runs one round of ours in this process (a fresh one: the load is cold). */
export async function runAbBrain(job: AbBrainJob): Promise<AbBrainSample> {
  const startRssMiB = rssMiB();
  const calls = job.calls ?? 40;
  const count = job.blocks ?? 5;
  const t0 = clock();
  const registry = defaultRegistry.clone();
  registerAlifModNeuron(registry);
  const read = readScfg(new Uint8Array(readFileSync(AB_BRAIN)), { registry });
  if (!read.ok)
    throw new Error(`${AB_BRAIN}: ${read.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  const brain = await Brain.fromConfig(read.document, {
    backend: job.backend,
    registry,
    inputShapes: { signal: [4], mod_a_ex: [1], mod_b_ex: [1], mod_a_in: [1], mod_b_in: [1] },
    ...(job.eventDriven === false ? { eventDriven: false } : {}),
  });
  let t = 0;
  await brain.step(inputsAt(t++));
  const load = since(t0);
  // warm-up: single steps (the calls timed first), then one call of several (their own run loop)
  const warmup = job.warmup ?? 1000;
  const w0 = clock();
  for (let w = 0; w < warmup; w++) await brain.step(inputsAt(t++));
  const warm = since(w0);
  await brain.step(inputsAt(t++), { repeat: Math.min(50, warmup) });
  const before = { ...(brain.stats ?? {}) } as Record<string, number>;
  let steps = 0;
  const single = await blocks(
    async () => {
      await brain.step(inputsAt(t++));
      steps += 1;
    },
    calls,
    1,
    count,
  );
  const after = (brain.stats ?? {}) as Record<string, number>;
  const statsPerStep: Record<string, number> = {};
  for (const [k, v] of Object.entries(after))
    if (typeof v === 'number') statsPerStep[k] = (v - (before[k] ?? 0)) / steps;
  const k16 = await blocks(
    () => brain.step(inputsAt(t++), { repeat: 16 }),
    Math.max(1, calls >> 4),
    16,
    count,
  );
  const k50 = await blocks(
    () => brain.step(inputsAt(t++), { repeat: 50 }),
    Math.max(1, calls >> 5),
    50,
    count,
  );
  const envStep = await blocks(
    async () => {
      const out = await brain.step(inputsAt(t), { repeat: 50 });
      const a = out.action;
      if (!a) throw new Error('ab_brain has no output "action"');
      t += (a[0] as number) > (a[1] as number) ? 1 : 2;
    },
    Math.max(1, calls >> 5),
    1,
    count,
  );
  const desc = brain.backend;
  brain.destroy();
  return {
    load,
    single,
    k16,
    k50,
    envStep,
    ...(warmup > 0 ? { warmup: { cpu: warm.cpu / warmup, wall: warm.wall / warmup } } : {}),
    peakRssMiB: peakRssMiB(),
    startRssMiB,
    ...(desc ? { backend: backendInfo(desc) } : {}),
    statsPerStep,
  };
}

/** Where the Spark peer runs: a checkout and an interpreter with the pinned JAX and Flax. */
export interface SparkInfo {
  readonly available: boolean;
  /** The Spark checkout (folder with `spark/` and `tutorials/`). */
  readonly dir: string;
  readonly python: string;
  readonly jax?: string;
  readonly flax?: string;
  /** Why it is not available, and how to get it. */
  readonly hint: string;
}

/** The versions the Spark peer is pinned to (Spark's own environment; see the README). */
export const SPARK_PINS = { jax: '0.10.2', flax: '0.12.8' } as const;

/** How to get the Spark peer (printed when it is missing). */
export const SPARK_INSTALL =
  'set SPARK_PEER_DIR to a Spark checkout (github.com/Nogarx/Spark) and SPARK_PYTHON to a Python with jax==0.10.2 and flax==0.12.8 (apps/bench/README.md)';

/**
 * Finds the Spark peer: the checkout from `dir` (else `$SPARK_PEER_DIR`) and the interpreter from
 * `python` (else `$SPARK_PYTHON`, else `python3`), which must import `spark` from the checkout and
 * have exactly the pinned JAX and Flax.
 */
export function detectSpark(dir?: string, python?: string): SparkInfo {
  const d = dir ?? process.env.SPARK_PEER_DIR ?? '';
  const py = python ?? process.env.SPARK_PYTHON ?? 'python3';
  if (!d) return { available: false, dir: d, python: py, hint: `Spark peer not available: ${SPARK_INSTALL}` };
  const r = spawnSync(
    py,
    [
      '-c',
      'import sys; sys.path.insert(0, sys.argv[1]); import jax, flax, spark; print(jax.__version__, flax.__version__)',
      d,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0)
    return {
      available: false,
      dir: d,
      python: py,
      hint: `Spark peer not available: ${py} cannot import jax, flax and spark from ${d} (${(r.stderr || r.error?.message || '').trim().split('\n').pop()}); ${SPARK_INSTALL}`,
    };
  const [jax, flax] = r.stdout.trim().split(/\s+/);
  if (jax !== SPARK_PINS.jax || flax !== SPARK_PINS.flax)
    return {
      available: false,
      dir: d,
      python: py,
      ...(jax ? { jax } : {}),
      ...(flax ? { flax } : {}),
      hint: `Spark peer not available: ${py} has jax ${jax} and flax ${flax}, the peer is pinned to jax ${SPARK_PINS.jax} and flax ${SPARK_PINS.flax}`,
    };
  return { available: true, dir: d, python: py, jax, flax, hint: '' } as SparkInfo;
}

const SPARK_SCRIPT = fileURLToPath(new URL('../peers/spark_peer.py', import.meta.url));

/**
 * Runs one round of the Spark peer in `dtype` with `threads` XLA threads; `cacheDir` is JAX's
 * persistent compilation cache (shared by the rounds of one harness run, so only the first round
 * compiles).
 */
export function runSpark(
  info: SparkInfo,
  dtype: 'float32' | 'float16',
  threads: number,
  cacheDir?: string,
  calls = 200,
): AbBrainSample {
  const r = spawnSync(
    info.python,
    [SPARK_SCRIPT, info.dir, dtype, String(threads), String(calls), '10', '10'],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
      env: { ...process.env, ...(cacheDir ? { JAX_COMPILATION_CACHE_DIR: cacheDir } : {}) },
    },
  );
  const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{'))
    throw new Error(
      `Spark peer (${dtype}) failed: ${(r.stderr || r.stdout || r.error?.message || '').slice(-800)}`,
    );
  const j = JSON.parse(line) as {
    load: Timing;
    compile_single: Timing;
    compile_scan: Timing;
    single: Timing;
    scan50_per_step: Timing;
    env_step: Timing;
    peak_rss_mib: number;
  };
  return {
    load: j.load,
    single: j.single,
    k50: j.scan50_per_step,
    envStep: j.env_step,
    compileSingle: j.compile_single,
    compileScan: j.compile_scan,
    peakRssMiB: j.peak_rss_mib,
  };
}

/** A row of the W4b table. */
export interface AbBrainRow {
  readonly runner: string;
  readonly rounds: number;
  readonly load: Timing;
  readonly single: Timing;
  readonly k16?: Timing;
  readonly k50: Timing;
  readonly envStep: Timing;
  readonly compile?: { readonly single: Timing; readonly scan: Timing };
  /** Ours: per step of the first warm-up steps (median over rounds). */
  readonly warmup?: Timing;
  readonly peakRssMiB: number;
  readonly startRssMiB?: number;
  readonly software?: boolean;
  readonly statsPerStep?: Readonly<Record<string, number>>;
  /** Spark float32 / ours, by CPU time: single step, and its 50-step scan against our k = 50. */
  readonly vsSparkSingle?: number;
  readonly vsSparkScan?: number;
  /** The same against Spark float16. */
  readonly vsSpark16Single?: number;
  readonly vsSpark16Scan?: number;
}

function med(xs: readonly Timing[]): Timing {
  return { wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)) };
}

/** Summarizes the rounds of one runner (medians; the load and compile of the first round: cold). */
export function abBrainRow(runner: string, samples: readonly AbBrainSample[]): AbBrainRow {
  const first = samples[0] as AbBrainSample;
  const k16 = samples.flatMap((s) => (s.k16 ? [s.k16] : []));
  return {
    runner,
    rounds: samples.length,
    load: med(samples.map((s) => s.load)),
    single: med(samples.map((s) => s.single)),
    ...(k16.length > 0 ? { k16: med(k16) } : {}),
    k50: med(samples.map((s) => s.k50)),
    envStep: med(samples.map((s) => s.envStep)),
    ...(first.compileSingle && first.compileScan
      ? { compile: { single: first.compileSingle, scan: first.compileScan } }
      : {}),
    ...(first.warmup ? { warmup: med(samples.flatMap((s) => (s.warmup ? [s.warmup] : []))) } : {}),
    peakRssMiB: Math.max(...samples.map((s) => s.peakRssMiB)),
    ...(first.startRssMiB !== undefined
      ? { startRssMiB: median(samples.map((s) => s.startRssMiB ?? Number.NaN)) }
      : {}),
    ...(first.backend?.software ? { software: true } : {}),
    ...(first.statsPerStep ? { statsPerStep: first.statsPerStep } : {}),
  };
}

const us = (t: Timing | undefined): string =>
  t === undefined ? '—' : `${(t.cpu * 1e6).toFixed(0)} / ${(t.wall * 1e6).toFixed(0)}`;
const s2 = (t: Timing | undefined): string =>
  t === undefined ? '—' : `${t.cpu.toFixed(2)} / ${t.wall.toFixed(2)}`;
const x2 = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(2));

/** Renders the W4b table. */
export function renderAbBrain(rows: readonly AbBrainRow[]): string {
  if (rows.length === 0) return '';
  const out = [
    '### W4b: CartPole brain (ab_brain: 640 neurons, 524,288 plastic synapses, quadruplet plasticity, dt = 1 ms)',
    '',
    'CPU / wall for every figure; one fresh process per round, rounds interleaved; medians. Spark: its tutorial path (jitted merge → call → split; 50-step `lax.scan`, `unroll=15`), warm calls, `block_until_ready`; its compile column is the first calls. Ours: timed after 1,000 single steps and one call of 50 (V8 optimises the step on other threads during the first ~1,000 steps); the compile column gives those warm-up steps per step. CartPole loop: 50 brain steps per environment step, the action read back each time, a trivial deterministic environment (the same on both sides). "× Spark" = Spark\'s CPU time / ours (> 1: we are faster): single step against single step, k = 50 per call against Spark\'s 50-step scan.',
    '',
    '| runner | rounds | load → first step ready, s | compile, s (step / scan) | one step, µs | k = 16 per call, µs/step | k = 50 per call (Spark: 50-step scan), µs/step | CartPole loop, ms per env step | env steps/s (CPU-bound / wall) | peak RSS MiB (at start) | × Spark f32 (step / k = 50) | × Spark f16 (step / k = 50) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const stats =
      r.runner.includes('webgpu') && r.statsPerStep
        ? Object.entries(r.statsPerStep)
            .filter(([, v]) => v > 0)
            .map(([k, v]) => `${k} ${v >= 10 ? v.toFixed(0) : v.toPrecision(2)}`)
            .join(', ')
        : '';
    const note = [
      r.software ? 'software adapter: times are overheads, not GPU speed' : '',
      stats ? `per step: ${stats}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    out.push(
      `| ${r.runner}${note ? ` (${note})` : ''} | ${r.rounds} | ${s2(r.load)} | ${r.compile ? `${s2(r.compile.single)}; ${s2(r.compile.scan)}` : r.warmup ? `warm-up: ${us(r.warmup)} µs/step` : '—'} | ${us(r.single)} | ${us(r.k16)} | ${us(r.k50)} | ${(r.envStep.cpu * 1e3).toFixed(1)} / ${(r.envStep.wall * 1e3).toFixed(1)} | ${(1 / r.envStep.cpu).toFixed(2)} / ${(1 / r.envStep.wall).toFixed(2)} | ${r.peakRssMiB.toFixed(0)}${r.startRssMiB !== undefined ? ` (${r.startRssMiB.toFixed(0)})` : ''} | ${x2(r.vsSparkSingle)} / ${x2(r.vsSparkScan)} | ${x2(r.vsSpark16Single)} / ${x2(r.vsSpark16Scan)} |`,
    );
  }
  out.push('');
  return out.join('\n');
}
