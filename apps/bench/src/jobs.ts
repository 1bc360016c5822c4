/**
 * One sample of one runner, as a job: what the harness asks a child process (`child.ts`) to run and
 * what it answers. Every sample of our backends and of the naive loop runs in a fresh process —
 * of this checkout, or of another one in A/B mode (`--vs DIR`) — so that the timing method, the
 * peak memory and the JIT state are the same for every runner and every seed.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRegistry } from '@spark-snn/config';
import type { Plan, Program } from '@spark-snn/core';
import { compileBrain, defaultLowerings } from '@spark-snn/nn';
import { type AbBrainJob, type AbBrainSample, runAbBrain } from './ab_brain.ts';
import { type BackendInfo, type BackendName, backendInfo, openBackend } from './backends.ts';
import { networkConfig } from './configs.ts';
import { clock, peakRssMiB, rssMiB, since, type Timing } from './measure.ts';
import { type NaiveResult, naiveBrunel, naiveCoba, naiveCuba } from './naive.ts';
import { benchmarkNetwork, ratesOf } from './plans.ts';

/** A benchmark network name. */
export type NetworkName = 'cuba' | 'coba' | 'brunel';

/** One run of a benchmark network (W1–W3) from t = 0, with its population monitor. */
export interface NetworkJob {
  readonly kind: 'network';
  /** `naive`: the naive JS loop; `plan`: the kernels plan; `config`: the BrainConfig through the Brain compiler. */
  readonly runner: 'naive' | 'plan' | 'config';
  readonly backend?: BackendName;
  readonly network: NetworkName;
  readonly n: number;
  /** Biological seconds. */
  readonly seconds: number;
  readonly seed: number;
}

/** Opens a backend and says what it runs on (nothing is timed). */
export interface ProbeJob {
  readonly kind: 'probe';
  readonly backend: BackendName;
}

/** A job. */
export type Job = NetworkJob | ProbeJob | AbBrainJob;

/** The answer to a {@link NetworkJob}. */
export interface NetworkSample {
  /** The step loop. */
  readonly loop: Timing;
  /** Cold start: building the network and loading it (pipelines included). */
  readonly cold: Timing;
  /** Steps run. */
  readonly steps: number;
  /** Mean rates over t > 200 ms (Hz). */
  readonly rateE: number;
  readonly rateI: number;
  /** Peak resident memory of the process (MiB), and its resident memory before the network was built. */
  readonly peakRssMiB: number;
  readonly startRssMiB: number;
  readonly backend?: BackendInfo;
  /** The program's traffic counters divided by the steps (dispatches, submissions, … per step). */
  readonly statsPerStep?: Readonly<Record<string, number>>;
}

function perStep(p: Program, steps: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(p.stats)) if (typeof v === 'number') out[k] = v / steps;
  return out;
}

/**
 * The network's BrainConfig compiled by the Brain compiler (what `Brain.fromConfig` runs), plus the
 * population monitor of the kernels plans (`reduce.group_sum` of `neurons.spikes` into `[E, I]`
 * counts per step), so that both paths record the same two numbers per step.
 */
export function configPlan(
  c: { network: NetworkName; n: number },
  seed: number,
): { plan: Plan; monitor: string; nE: number } {
  const info = networkConfig(c.network, { n: c.n, seed });
  const compiled = compileBrain(
    info.document.config,
    {},
    { inputShapes: {}, lowerings: defaultLowerings(), behaviour: 'corrected', registry: defaultRegistry },
  );
  const spikes = compiled.modules.get('neurons')?.outputs.spikes?.buffer;
  if (!spikes) throw new Error(`${c.network}: the config has no neurons.spikes`);
  const { n, nE } = info;
  const monitor = '@bench/rate';
  const plan: Plan = {
    ...compiled.plan,
    buffers: [
      ...compiled.plan.buffers,
      { name: '@bench/offsets', dtype: 'int32', shape: [3], init: Int32Array.from([0, nE, n]) },
      {
        name: '@bench/members',
        dtype: 'int32',
        shape: [n],
        init: Int32Array.from({ length: n }, (_, i) => i),
      },
      { name: monitor, dtype: 'float32', shape: [2] },
    ],
    ops: [
      ...compiled.plan.ops,
      {
        op: 'reduce.group_sum',
        name: '@bench/monitor',
        bindings: { input: spikes, offsets: '@bench/offsets', members: '@bench/members', out: monitor },
        attrs: { n, groups: 2 },
      },
    ],
  };
  return { plan, monitor, nE };
}

const NAIVE: Record<NetworkName, (n: number, steps: number, seed: number) => NaiveResult> = {
  cuba: naiveCuba,
  coba: naiveCoba,
  brunel: naiveBrunel,
};

async function runNetwork(job: NetworkJob): Promise<NetworkSample> {
  const startRssMiB = rssMiB();
  const steps = Math.round(job.seconds * 1e4);
  if (job.runner === 'naive') {
    const r = NAIVE[job.network](job.n, steps, job.seed);
    return {
      loop: r.loop,
      cold: r.build,
      steps,
      rateE: r.rateE,
      rateI: r.rateI,
      peakRssMiB: peakRssMiB(),
      startRssMiB,
    };
  }
  const backend = await openBackend(job.backend ?? 'cpu');
  const t0 = clock();
  let plan: Plan;
  let monitor: string;
  let nE: number;
  if (job.runner === 'plan') {
    const net = benchmarkNetwork(job.network, { n: job.n, seed: job.seed });
    plan = net.plan;
    monitor = net.monitor;
    nE = net.nE;
  } else ({ plan, monitor, nE } = configPlan(job, job.seed));
  const program = await backend.load(plan);
  const cold = since(t0);
  const t1 = clock();
  const r = await program.run({ steps, record: [monitor] });
  const loop = since(t1);
  const statsPerStep = perStep(program, steps);
  program.destroy();
  const rates = ratesOf(
    { n: job.n, nE } as Parameters<typeof ratesOf>[0],
    r.records[monitor] as Float32Array,
  );
  const out: NetworkSample = {
    loop,
    cold,
    steps,
    rateE: rates.e,
    rateI: rates.i,
    peakRssMiB: peakRssMiB(),
    startRssMiB,
    backend: backendInfo(backend),
    statsPerStep,
  };
  backend.destroy();
  return out;
}

/** What a job answers. */
export type JobResult = NetworkSample | BackendInfo | AbBrainSample;

/** Runs a job in this process (what the child does; tests call it directly). */
export async function runJob(job: NetworkJob): Promise<NetworkSample>;
export async function runJob(job: ProbeJob): Promise<BackendInfo>;
export async function runJob(job: AbBrainJob): Promise<AbBrainSample>;
export async function runJob(job: Job): Promise<JobResult>;
export async function runJob(job: Job): Promise<JobResult> {
  if (job.kind === 'probe') {
    const b = await openBackend(job.backend);
    const i = backendInfo(b);
    b.destroy();
    return i;
  }
  if (job.kind === 'network') return runNetwork(job);
  if (job.kind === 'ab_brain') return runAbBrain(job);
  throw new Error(`unknown job kind "${(job as { kind: string }).kind}"`);
}

/** The line prefix of a child's answer on its stdout (anything else it prints is log). */
export const RESULT_MARK = '@@bench-result ';

/** A checkout whose bench app runs jobs: this one, or another one for A/B comparisons. */
export interface Checkout {
  /** Repository root. */
  readonly root: string;
  /** Short name for tables: folder name, commit, `+` when the working tree has changes. */
  readonly label: string;
}

const HERE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function git(root: string, args: string[]): string | undefined {
  const r = spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Describes a checkout (this one when `dir` is omitted); throws a clear error when it cannot run jobs. */
export function checkout(dir?: string): Checkout {
  const root = resolve(dir ?? HERE_ROOT);
  const child = join(root, 'apps', 'bench', 'src', 'child.ts');
  if (!existsSync(child))
    throw new Error(
      `${root}: no apps/bench/src/child.ts — not a spark-snn checkout, or one older than the A/B harness (rebase it on main)`,
    );
  if (!existsSync(join(root, 'node_modules')))
    throw new Error(`${root}: no node_modules — run \`pnpm install --frozen-lockfile\` there first`);
  const sha = git(root, ['rev-parse', '--short', 'HEAD']) ?? 'unknown';
  const dirty = (git(root, ['status', '--porcelain', '--untracked-files=no']) ?? '') !== '';
  return { root, label: `${basename(root)}@${sha}${dirty ? '+' : ''}` };
}

const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;

/**
 * Runs a job in a fresh process of `where` (Node with tsx, or Deno when the harness runs in Deno)
 * and returns its answer. Throws with the child's last output when it fails or says nothing.
 */
export function spawnJob(job: NetworkJob, where: Checkout, timeoutS?: number): NetworkSample;
export function spawnJob(job: ProbeJob, where: Checkout, timeoutS?: number): BackendInfo;
export function spawnJob(job: AbBrainJob, where: Checkout, timeoutS?: number): AbBrainSample;
export function spawnJob(job: Job, where: Checkout, timeoutS = 1800): JobResult {
  const benchDir = join(where.root, 'apps', 'bench');
  const entry = join(benchDir, 'src', 'child.ts');
  const [cmd, args] = deno
    ? [deno.execPath(), ['run', '--allow-all', entry, JSON.stringify(job)]]
    : [process.execPath, ['--import', 'tsx', entry, JSON.stringify(job)]];
  const r = spawnSync(cmd, args, {
    cwd: benchDir,
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
    timeout: timeoutS * 1000,
  });
  const line = (r.stdout ?? '')
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(RESULT_MARK));
  if (r.status !== 0 || !line) {
    const tail = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().slice(-1200);
    const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
    throw new Error(`${where.label}: job ${JSON.stringify(job)} failed (${why})${tail ? `:\n${tail}` : ''}`);
  }
  return JSON.parse(line.slice(RESULT_MARK.length)) as JobResult;
}
