/**
 * The benchmark harness: runs the workloads of benchmarks.md §5 on every available backend and on
 * the peers (naive JS loop, Brian2), checks the rate of every runner first (the correctness gate of
 * §6.3: no speed figure for a runner whose 5-seed mean rate is out of tolerance), and reports the
 * metrics of §5 as one table per workload, plus a scaling plot (SVG) and a JSON record.
 *
 * Fair by construction: every runner is timed the same way (process CPU time and wall time of its
 * step loop, peak resident memory of its process: `measure.ts`), every sample of ours and of the
 * naive loop runs in a fresh child process (`jobs.ts`), and runners and seeds interleave (round s
 * runs every runner once, in an order rotated by s). With `--vs DIR` the same jobs also run from
 * another checkout, alternating with this one, and an A/B table compares the two.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { Backend } from '@spark-snn/core';
import { cpuBackend } from '@spark-snn/kernels';
import {
  type AbBrainRow,
  type AbBrainSample,
  abBrainRow,
  detectSpark,
  renderAbBrain,
  runSpark,
  SPARK_INSTALL,
  type SparkInfo,
} from './ab_brain.ts';
import { type BackendInfo, type BackendName, isSoftware, openBackend } from './backends.ts';
import { type Checkout, checkout, type NetworkName, type NetworkSample, spawnJob } from './jobs.ts';
import { interleave, median } from './measure.ts';
import { BRIAN2_INSTALL, type Brian2Info, detectBrian2, runBrian2 } from './peers.ts';
import { scalingSvg } from './plot.ts';
import { runW0 } from './siblings.ts';
import { renderSparse, runSparseBench } from './sparse.ts';
import { renderW4a, runsW4a, runW4a, type W4aRow, w4aCases } from './w4a.ts';

/** Options of {@link runBenchmarks} (the contract `spark bench` calls). */
export interface BenchOptions {
  /** `quick` (default: W1–W3 and W4b), `full`, `smoke` (one short CUBA run), or workload ids (`W0`, `W0s` sparse propagation, `W1`–`W4`, `W4a`, `W4a-large`, `W4b` ab_brain, comma-separated; `W4` = W4a then W4b). */
  readonly suite?: string;
  /** `auto` (every available backend, default), `cpu`, `webgpu` or `gpujs`. */
  readonly backend?: string;
  /** Directory for `benchmarks.md`, `scaling.svg` and `report.json`. */
  readonly out?: string;
  /** Print the JSON record instead of the tables. */
  readonly json: boolean;
  readonly tty: boolean;
  readonly write: (text: string) => void;
  /** Seeds per runner (default 5, as the gate asks; Brian2 too unless {@link brian2Seeds}). */
  readonly seeds?: number;
  /** Seeds for Brian2 (default: {@link seeds}). */
  readonly brian2Seeds?: number;
  /** Skip Brian2 even when installed. */
  readonly noBrian2?: boolean;
  /** Also write the full markdown report (machine, commit, tables, plot) to this file. */
  readonly report?: string;
  /** Nominal memory bandwidth of the device in GB/s (for % of roofline at N ≥ 1e5). */
  readonly bandwidthGBs?: number;
  /**
   * Also run each network from its BrainConfig (the generator of `apps/examples/networks/*.scfg`):
   * compiled by the Brain compiler, with the same population monitor as the plan path, as extra
   * rows `spark-snn KIND (config)`.
   */
  readonly fromConfig?: boolean;
  /**
   * A/B mode: another checkout of the repository (a worktree, with its `node_modules`) whose bench
   * runs the same jobs, alternating with this one; an A/B table gives the ratios.
   */
  readonly vs?: string;
  /** Run the peers (naive JS loop, Brian2). Default: true, false in A/B mode. */
  readonly peers?: boolean;
  /** Threads of the peers' simulation loops (Brian2's OpenMP threads; default 1, as our cpu backend). */
  readonly threads?: number;
  /** Biological seconds of every W1–W3 case (default: the suite's). At least 0.3 (the gate skips 200 ms). */
  readonly seconds?: number;
  /** A Spark checkout for the Spark peer of W4b (else `$SPARK_PEER_DIR`). */
  readonly spark?: string;
  /** The Python of the Spark peer (else `$SPARK_PYTHON`, else `python3`). */
  readonly sparkPython?: string;
  /** Skip the Spark peer even when found. */
  readonly noSpark?: boolean;
  /** Rounds of W4b (ab_brain) per runner (default 3; each is a fresh process). */
  readonly abRounds?: number;
}

/** One size of one workload. */
export interface WorkloadCase {
  readonly id: string;
  readonly network: NetworkName;
  readonly n: number;
  /** Biological seconds per run. */
  readonly seconds: number;
}

/** A row of a workload table. */
export interface Row {
  readonly workload: string;
  readonly network: NetworkName;
  readonly runner: string;
  readonly n: number;
  readonly seconds: number;
  readonly seeds: number;
  readonly rateE: number;
  readonly rateI: number;
  readonly gate: 'pass' | 'fail';
  readonly gateNote: string;
  /** Median wall seconds of the step loop per run. */
  readonly wall?: number;
  /** Median process CPU seconds of the step loop per run. */
  readonly cpu?: number;
  /** Wall seconds of the step loop per biological second. */
  readonly rtf?: number;
  /** Wall µs per step. */
  readonly usPerStep?: number;
  /** Process CPU µs per step. */
  readonly cpuUsPerStep?: number;
  readonly neuronUpdatesPerS?: number;
  readonly eventsPerS?: number;
  readonly rooflinePct?: number;
  /** Cold start of the first sample (build + load), wall and CPU seconds. */
  readonly coldStart?: number;
  readonly coldCpu?: number;
  /** Largest peak resident memory over the samples (MiB), and the process's memory before building. */
  readonly peakRssMiB?: number;
  readonly startRssMiB?: number;
  /** Peer / ours by CPU time and by wall time (> 1: we are faster). */
  readonly vsNaive?: number;
  readonly vsNaiveWall?: number;
  readonly vsBrian2?: number;
  readonly vsBrian2Wall?: number;
  /** The program's traffic counters per step (dispatches, submissions, …). */
  readonly statsPerStep?: Readonly<Record<string, number>>;
  readonly note?: string;
}

/** One A/B comparison: a runner of this checkout against the same runner of the `--vs` checkout. */
export interface AbRow {
  /** What was compared, e.g. `W1 cuba N=4000` or `W4b one step`. */
  readonly what: string;
  readonly runner: string;
  readonly a: string;
  readonly b: string;
  /** Seeds (W1–W3) or rounds (W4b) of each side. */
  readonly seeds: number;
  /** Median CPU and wall µs (per step, or per unit named in {@link what}) of each side. */
  readonly aCpuUs: number;
  readonly bCpuUs: number;
  readonly aWallUs: number;
  readonly bWallUs: number;
  /** Per-seed (per-round) B/A CPU ratios (the two runs of one round): min and max. */
  readonly seedRatioMin: number;
  readonly seedRatioMax: number;
  readonly aPeakRssMiB: number;
  readonly bPeakRssMiB: number;
}

/** One side's sample as the A/B table reads it: CPU and wall µs per unit, peak RSS. */
export interface AbPoint {
  readonly cpuUs: number;
  readonly wallUs: number;
  readonly peakRssMiB: number;
}

/** The A/B row of two runners' samples, paired by round. */
export function abRow(
  what: string,
  runner: string,
  labels: { a: string; b: string },
  a: readonly AbPoint[],
  b: readonly AbPoint[],
): AbRow | undefined {
  const k = Math.min(a.length, b.length);
  if (k === 0) return undefined;
  const per = Array.from({ length: k }, (_, i) => (b[i] as AbPoint).cpuUs / (a[i] as AbPoint).cpuUs);
  return {
    what,
    runner,
    ...labels,
    seeds: k,
    aCpuUs: median(a.map((p) => p.cpuUs)),
    bCpuUs: median(b.map((p) => p.cpuUs)),
    aWallUs: median(a.map((p) => p.wallUs)),
    bWallUs: median(b.map((p) => p.wallUs)),
    seedRatioMin: Math.min(...per),
    seedRatioMax: Math.max(...per),
    aPeakRssMiB: Math.max(...a.map((p) => p.peakRssMiB)),
    bPeakRssMiB: Math.max(...b.map((p) => p.peakRssMiB)),
  };
}

const EXPECTED: Record<NetworkName, { rate: number; tol: number; inDegree: number }> = {
  cuba: { rate: 5.6, tol: 0.1, inDegree: 80 },
  coba: { rate: 19.5, tol: 0.12, inDegree: 80 },
  brunel: { rate: 37.5, tol: 0.05, inDegree: 1250 },
};

/** The suites. */
export function suiteCases(suite: string): WorkloadCase[] {
  if (suite.includes(',')) return suite.split(',').flatMap((x) => suiteCases(x.trim()));
  if (['W0', 'W0s', 'W4', 'W4a', 'W4a-large', 'W4b'].includes(suite)) return [];
  const W1 = (n: number, s: number): WorkloadCase => ({ id: 'W1', network: 'cuba', n, seconds: s });
  const W2 = (n: number, s: number): WorkloadCase => ({ id: 'W2', network: 'coba', n, seconds: s });
  const W3 = (n: number, s: number): WorkloadCase => ({ id: 'W3', network: 'brunel', n, seconds: s });
  switch (suite) {
    case 'smoke':
      return [W1(4000, 0.3)];
    case 'quick':
      return [W1(4000, 1), W1(40000, 0.5), W2(4000, 1), W3(12500, 0.5)];
    case 'full':
      return [W1(4000, 2), W1(40000, 1), W1(400000, 0.5), W2(4000, 2), W3(12500, 1), W3(125000, 0.5)];
    case 'W1':
      return [W1(4000, 2), W1(40000, 1)];
    case 'W1-4000':
      return [W1(4000, 1)];
    case 'W1-400k':
      return [W1(400000, 0.5)];
    case 'W2':
      return [W2(4000, 2)];
    case 'W3':
      return [W3(12500, 1)];
    case 'W3-125k':
      return [W3(125000, 0.5)];
    default:
      throw new Error(
        `unknown suite "${suite}" (smoke, quick, full, W0, W0s, W1, W1-4000, W1-400k, W2, W3, W3-125k, W4, W4a, W4a-large, W4b or a comma list)`,
      );
  }
}

/** Machine and build facts for the report. */
export function machineInfo(): Record<string, string> {
  const cpus = os.cpus();
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  const deno = (globalThis as { Deno?: { version: { deno: string } } }).Deno;
  return {
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length} logical cores`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    runtime: deno ? `Deno ${deno.version.deno}` : `Node ${process.version}`,
    commit: git.status === 0 ? git.stdout.trim() : 'unknown',
    date: new Date().toISOString(),
    load: os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / '),
  };
}

/** Something run once per round (a seed): its name, and at most how many rounds. */
interface RoundRunner<S> {
  readonly name: string;
  /** At most this many rounds (software adapters: 2). */
  readonly maxSeeds?: number;
  sample(round: number): S;
}

/**
 * Runs `rounds` rounds; round r (1-based, the seed) runs every runner once, in an order rotated by r
 * (A B C, B C A, …). A runner that throws is logged and not run again. Returns each runner's samples.
 */
function runRounds<S, R extends RoundRunner<S>>(
  runners: readonly R[],
  rounds: number,
  log: (s: string) => void,
  describe: (s: S) => string,
): Map<R, S[]> {
  const samples = new Map<R, S[]>(runners.map((r) => [r, []]));
  const broken = new Set<R>();
  for (let round = 0; round < rounds; round++)
    for (const r of interleave(runners, round)) {
      if (broken.has(r) || (r.maxSeeds !== undefined && round >= r.maxSeeds)) continue;
      try {
        const s = r.sample(round + 1);
        samples.get(r)?.push(s);
        log(`  round ${round + 1} ${r.name}: ${describe(s)}`);
      } catch (e) {
        broken.add(r);
        log(`  ${r.name} failed: ${(e as Error).message}`);
      }
    }
  return samples;
}

/** A runner of the W1–W3 workloads: how to get one sample, and how its row is labelled. */
interface Runner extends RoundRunner<NetworkSample> {
  readonly name: string;
  /** Ours (a failed gate is a regression: exit code 1). */
  readonly ours: boolean;
  readonly role: 'naive' | 'brian2' | 'ours';
  readonly note?: string;
  /** A/B pairing: the runner's name without its checkout, which side it is, and the checkout's label. */
  readonly ab?: { readonly key: string; readonly side: 'A' | 'B'; readonly label: string };
}

function makeRow(
  c: WorkloadCase,
  r: Runner,
  samples: readonly NetworkSample[],
  bandwidthGBs: number | undefined,
): Row {
  const exp = EXPECTED[c.network];
  const nE = Math.round(0.8 * c.n);
  const rateOf = (s: NetworkSample): number => (s.rateE * nE + s.rateI * (c.n - nE)) / c.n;
  const mean = samples.reduce((a, s) => a + rateOf(s), 0) / samples.length;
  const ok = Math.abs(mean / exp.rate - 1) <= exp.tol;
  const base = {
    workload: c.id,
    network: c.network,
    runner: r.name,
    n: c.n,
    seconds: c.seconds,
    seeds: samples.length,
    rateE: samples.reduce((a, s) => a + s.rateE, 0) / samples.length,
    rateI: samples.reduce((a, s) => a + s.rateI, 0) / samples.length,
    gate: ok ? ('pass' as const) : ('fail' as const),
    gateNote: `mean ${mean.toFixed(2)} Hz vs ${exp.rate} Hz ± ${exp.tol * 100} %`,
    ...(r.note ? { note: r.note } : {}),
  };
  if (!ok) return base;
  const wall = median(samples.map((s) => s.loop.wall));
  const cpu = median(samples.map((s) => s.loop.cpu));
  const steps = c.seconds * 1e4;
  const inDegree = c.network === 'brunel' ? Math.min(1000, nE) + Math.min(250, c.n - nE) : Math.min(80, c.n);
  const eventsPerBioS = mean * c.n * inDegree;
  const bytesPerStep = 36 * c.n + 4 * (eventsPerBioS / 1e4);
  const first = samples[0];
  const stats = samples[samples.length - 1]?.statsPerStep;
  return {
    ...base,
    wall,
    cpu,
    rtf: wall / c.seconds,
    usPerStep: (wall / steps) * 1e6,
    cpuUsPerStep: (cpu / steps) * 1e6,
    neuronUpdatesPerS: (c.n * steps) / wall,
    eventsPerS: (eventsPerBioS * c.seconds) / wall,
    ...(bandwidthGBs && c.n >= 1e5
      ? { rooflinePct: ((bytesPerStep * steps) / wall / (bandwidthGBs * 1e9)) * 100 }
      : {}),
    ...(first ? { coldStart: first.cold.wall, coldCpu: first.cold.cpu } : {}),
    peakRssMiB: Math.max(...samples.map((s) => s.peakRssMiB)),
    startRssMiB: median(samples.map((s) => s.startRssMiB)),
    ...(stats ? { statsPerStep: stats } : {}),
  };
}

const fmt = (x: number | undefined, d = 2): string =>
  x === undefined || Number.isNaN(x) ? '—' : x >= 1e5 ? x.toExponential(2) : x.toFixed(d);

function statsNote(s: Readonly<Record<string, number>> | undefined): string {
  if (!s) return '';
  return Object.entries(s)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v >= 10 ? v.toFixed(0) : v.toPrecision(2)}`)
    .join(', ');
}

/** Renders one markdown table per workload. */
export function renderTables(rows: readonly Row[]): string {
  const out: string[] = [];
  for (const id of [...new Set(rows.map((r) => r.workload))]) {
    const rs = rows.filter((r) => r.workload === id);
    out.push(`### ${id}: ${rs[0]?.network.toUpperCase()}`, '');
    out.push(
      '| runner | N | bio s × seeds | rate E / I (Hz) | gate | µs/step CPU | µs/step wall | RTF (wall) | neuron-updates/s (wall) | syn. events/s (wall) | % roofline | cold start s (CPU / wall) | peak RSS MiB (at start) | × naive JS (CPU / wall) | × Brian2 (CPU / wall) |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of rs) {
      const gate = r.gate === 'pass' ? 'pass' : `**REFUSED** (${r.gateNote})`;
      const stats = r.runner.includes('webgpu') ? statsNote(r.statsPerStep) : '';
      const note = [r.note, stats ? `per step: ${stats}` : ''].filter(Boolean).join('; ');
      const pair = (a: number | undefined, b: number | undefined): string =>
        a === undefined && b === undefined ? '—' : `${fmt(a, 2)} / ${fmt(b, 2)}`;
      out.push(
        `| ${r.runner}${note ? ` (${note})` : ''} | ${r.n} | ${r.seconds} × ${r.seeds} | ${r.rateE.toFixed(2)} / ${r.rateI.toFixed(2)} | ${gate} | ${fmt(r.cpuUsPerStep, 1)} | ${fmt(r.usPerStep, 1)} | ${fmt(r.rtf, 3)} | ${fmt(r.neuronUpdatesPerS)} | ${fmt(r.eventsPerS)} | ${r.n >= 1e5 ? fmt(r.rooflinePct, 1) : 'n/a (N < 1e5)'} | ${r.coldCpu === undefined ? '—' : `${fmt(r.coldCpu, 2)} / ${fmt(r.coldStart, 2)}`} | ${r.peakRssMiB === undefined ? '—' : `${fmt(r.peakRssMiB, 0)} (${fmt(r.startRssMiB, 0)})`} | ${pair(r.vsNaive, r.vsNaiveWall)} | ${pair(r.vsBrian2, r.vsBrian2Wall)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

/** Renders the A/B table (`--vs`). */
export function renderAb(rows: readonly AbRow[]): string {
  if (rows.length === 0) return '';
  const out = [
    `### A/B: ${rows[0]?.a} (A) vs ${rows[0]?.b} (B)`,
    '',
    'Same jobs, alternating A and B every round (a fresh process each). B/A > 1: A is faster. The per-round ratios compare the two runs of one seed in one round.',
    '',
    '| what | runner | seeds | A µs CPU | B µs CPU | **B/A CPU** | per-round B/A CPU (min–max) | A µs wall | B µs wall | B/A wall | peak RSS MiB A / B |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows)
    out.push(
      `| ${r.what} | ${r.runner} | ${r.seeds} | ${fmt(r.aCpuUs, 1)} | ${fmt(r.bCpuUs, 1)} | **${fmt(r.bCpuUs / r.aCpuUs, 3)}** | ${fmt(r.seedRatioMin, 3)}–${fmt(r.seedRatioMax, 3)} | ${fmt(r.aWallUs, 1)} | ${fmt(r.bWallUs, 1)} | ${fmt(r.bWallUs / r.aWallUs, 3)} | ${fmt(r.aPeakRssMiB, 0)} / ${fmt(r.bPeakRssMiB, 0)} |`,
    );
  out.push('');
  return out.join('\n');
}

/** Which backends to run: probed in a child of this checkout, so the parent opens none. */
function probeBackends(which: string, here: Checkout, log: (s: string) => void): BackendInfo[] {
  const names: BackendName[] =
    which === 'auto'
      ? ['cpu', 'webgpu']
      : which === 'cpu' || which === 'webgpu' || which === 'gpujs'
        ? [which]
        : [];
  if (names.length === 0) throw new Error(`unknown backend "${which}" (auto, cpu, webgpu or gpujs)`);
  const out: BackendInfo[] = [];
  for (const name of names) {
    try {
      out.push(spawnJob({ kind: 'probe', backend: name }, here, 120));
    } catch (e) {
      log(`${name}: not available (${(e as Error).message.split('\n').slice(-1)[0]})`);
    }
  }
  return out;
}

/**
 * Runs the suite and writes the report. Returns 0, or 1 when a gate failed for any runner of ours
 * (a physics regression) or one of ours crashed, or 2 on a usage error.
 */
export async function runBenchmarks(o: BenchOptions): Promise<number> {
  const log = (s: string): void => {
    if (!o.json) o.write(`${s}\n`);
  };
  let cases: WorkloadCase[];
  let here: Checkout;
  let vs: Checkout | undefined;
  try {
    cases = suiteCases(o.suite ?? 'quick');
    if (o.seconds !== undefined) {
      if (!(o.seconds >= 0.3))
        throw new Error(`--seconds ${o.seconds}: at least 0.3 (the gate skips 200 ms)`);
      cases = cases.map((c) => ({ ...c, seconds: o.seconds as number }));
    }
    here = checkout();
    vs = o.vs ? checkout(o.vs) : undefined;
  } catch (e) {
    o.write(`${(e as Error).message}\n`);
    return 2;
  }
  const parts = (o.suite ?? 'quick').split(',').map((x) => x.trim());
  const w4b = ['W4b', 'W4', 'quick', 'full'].some((p) => parts.includes(p));
  const seeds = o.seeds ?? 5;
  const threads = o.threads ?? 1;
  const peers = o.peers ?? vs === undefined;
  let backends: BackendInfo[];
  try {
    backends = cases.length > 0 || w4b ? probeBackends(o.backend ?? 'auto', here, log) : [];
  } catch (e) {
    o.write(`${(e as Error).message}\n`);
    return 2;
  }
  const brian: Brian2Info =
    o.noBrian2 || !peers || cases.length === 0
      ? { available: false, mode: 'numpy', hint: 'Brian2 skipped', python: '' }
      : detectBrian2();
  if (peers && !brian.available) log(`peer Brian2: ${brian.hint}`);
  const info = machineInfo();
  log(`machine: ${info.cpu}, ${info.memory}, ${info.runtime}, commit ${info.commit}, load ${info.load}`);
  if (vs) log(`A/B: A = ${here.label} (${here.root}), B = ${vs.label} (${vs.root})`);
  for (const b of backends)
    log(
      `backend ${b.kind}: ${b.description}${b.software ? ' — software adapter: overheads only, not GPU performance' : ''}`,
    );
  const brianDir =
    brian.available && brian.mode === 'cpp_standalone'
      ? mkdtempSync(join(os.tmpdir(), 'spark-bench-brian2-'))
      : undefined;
  const rows: Row[] = [];
  const abRows: AbRow[] = [];
  let failed = false;
  try {
    for (const c of cases) {
      log(`\n${c.id} ${c.network} N=${c.n}, ${c.seconds} s × ${seeds} seeds, interleaved …`);
      const runners = caseRunners(c, { o, here, vs, peers, brian, brianDir, backends, threads, log });
      const samples = runRounds<NetworkSample, Runner>(runners, seeds, log, (s) => {
        const per = (x: number): string => ((x / s.steps) * 1e6).toFixed(1);
        return `${per(s.loop.cpu)} µs/step CPU, ${per(s.loop.wall)} wall, ${s.peakRssMiB.toFixed(0)} MiB`;
      });
      const byName = new Map<string, Row>();
      for (const r of runners) {
        const ss = samples.get(r) ?? [];
        if (ss.length === 0) {
          if (r.ours) failed = true;
          continue;
        }
        const row = makeRow(c, r, ss, o.bandwidthGBs);
        if (row.gate === 'fail' && r.ours) failed = true;
        byName.set(r.name, row);
      }
      const naive = [...byName.values()].find(
        (x) => runners.find((r) => r.name === x.runner)?.role === 'naive',
      );
      const brianRow = [...byName.values()].find(
        (x) => runners.find((r) => r.name === x.runner)?.role === 'brian2',
      );
      const ratio = (peer: number | undefined, ours: number | undefined): number | undefined =>
        peer !== undefined && ours !== undefined ? peer / ours : undefined;
      for (const r of runners) {
        const row = byName.get(r.name);
        if (!row) continue;
        if (r.role !== 'ours') {
          rows.push(row);
          continue;
        }
        const vn = ratio(naive?.cpu, row.cpu);
        const vnw = ratio(naive?.wall, row.wall);
        const vb = ratio(brianRow?.cpu, row.cpu);
        const vbw = ratio(brianRow?.wall, row.wall);
        rows.push({
          ...row,
          ...(vn !== undefined ? { vsNaive: vn } : {}),
          ...(vnw !== undefined ? { vsNaiveWall: vnw } : {}),
          ...(vb !== undefined ? { vsBrian2: vb } : {}),
          ...(vbw !== undefined ? { vsBrian2Wall: vbw } : {}),
        });
        const line = `  ${r.name}: ${row.gate}${row.cpuUsPerStep !== undefined ? `, ${fmt(row.cpuUsPerStep, 1)} µs/step CPU, ${fmt(row.usPerStep, 1)} wall` : ` (${row.gateNote})`}`;
        log(line + (vb !== undefined ? `, × Brian2 ${fmt(vb)} (CPU)` : ''));
      }
      abRows.push(...abPairs(c, runners, samples));
    }
  } finally {
    if (brianDir) rmSync(brianDir, { recursive: true, force: true });
  }
  let extra = '';
  let w4bRecord: { rows: readonly AbBrainRow[]; spark: SparkInfo } | undefined;
  if (w4b) {
    const r = runW4b({ o, here, vs, peers, threads, backends, log });
    if (r.failed) failed = true;
    abRows.push(...r.ab);
    extra += `${renderAbBrain(r.rows)}\n`;
    w4bRecord = { rows: r.rows, spark: r.spark };
  }
  // W0s and W4a run in this process on backends opened here (they compare backends' outputs).
  const w4a = runsW4a(parts);
  const inProcess = parts.includes('W0s') || parts.includes('full') || w4a !== undefined;
  const opened: Backend[] = [];
  if (inProcess) {
    const which = o.backend ?? 'auto';
    for (const name of ['cpu', 'webgpu', 'gpujs'] as const) {
      if (!(which === name || (which === 'auto' && name !== 'gpujs'))) continue;
      try {
        opened.push(await openBackend(name));
      } catch (e) {
        log(`${name}: not available (${(e as Error).message.split('\n')[0]})`);
      }
    }
  }
  if (parts.includes('W0s') || parts.includes('full')) {
    log('\nW0s: sparse propagation, gather vs scatter, u16 vs u32 indices …');
    const gpu = opened.find((b) => b.kind === 'webgpu');
    const sparseRows = await runSparseBench({
      cpu: opened.find((b) => b.kind === 'cpu') ?? cpuBackend(),
      ...(gpu ? { webgpu: gpu } : {}),
      log,
    });
    extra += `${renderSparse(sparseRows, gpu?.description)}\n`;
  }
  let w4aRecord: readonly W4aRow[] | undefined;
  if (w4a) {
    log(`\n${w4a}: Spark-style dense layer, f32 and f16 …`);
    const w4aRows = await runW4a({ backends: opened, cases: w4aCases(w4a), log, software: isSoftware });
    if (w4aRows.some((r) => r.gate === 'fail' && r.runner.startsWith('spark-snn'))) failed = true;
    extra += `${renderW4a(w4aRows)}\n`;
    w4aRecord = w4aRows;
  }
  for (const b of opened) b.destroy();
  if (parts.includes('W0') || parts.includes('full')) {
    log('\nW0: running the kernels microbenchmarks (packages/kernels/bench) …');
    extra += `${runW0()}\n`;
  }
  const tables = [renderTables(rows), renderAb(abRows), extra].filter((t) => t !== '').join('\n');
  const svg = scalingSvg(rows);
  const record: BenchRecord = {
    machine: { ...info, loadEnd: machineInfo().load ?? '' },
    backends,
    brian2: brian,
    threads,
    rows,
    ...(abRows.length > 0 ? { ab: abRows } : {}),
    ...(w4aRecord ? { w4a: w4aRecord } : {}),
    ...(w4bRecord
      ? {
          abBrain: w4bRecord.rows,
          spark: (({ dir: _d, python: _p, ...rest }) => rest)(w4bRecord.spark),
        }
      : {}),
  };
  if (o.json) o.write(`${JSON.stringify(record, null, 2)}\n`);
  else o.write(`\n${tables}\n`);
  log(`load average at the end: ${record.machine.loadEnd}`);
  if (o.out) {
    mkdirSync(o.out, { recursive: true });
    writeFileSync(join(o.out, 'report.json'), `${JSON.stringify({ ...record, tables }, null, 2)}\n`);
    writeFileSync(join(o.out, 'scaling.svg'), svg);
    writeFileSync(join(o.out, 'tables.md'), tables);
    log(`wrote ${join(o.out, 'report.json')}, scaling.svg, tables.md`);
  }
  if (o.report) {
    const svgPath = o.out ? join(o.out, 'scaling.svg') : `${o.report.replace(/\.md$/, '')}-scaling.svg`;
    if (!o.out) writeFileSync(svgPath, svg);
    writeFileSync(o.report, reportMarkdown({ ...record, tables }, relative(dirname(o.report), svgPath), o));
    log(`wrote ${o.report}`);
  }
  if (peers && cases.length > 0 && !brian.available && !o.noBrian2)
    log(`(to add the Brian2 peer: ${BRIAN2_INSTALL})`);
  return failed ? 1 : 0;
}

/** Runs W4b: ab_brain on our backends (and the `--vs` checkout), and Spark f32/f16 when found. */
function runW4b(x: {
  o: BenchOptions;
  here: Checkout;
  vs: Checkout | undefined;
  peers: boolean;
  threads: number;
  backends: readonly BackendInfo[];
  log: (s: string) => void;
}): { rows: AbBrainRow[]; ab: AbRow[]; spark: SparkInfo; failed: boolean } {
  const rounds = x.o.abRounds ?? 3;
  const spark: SparkInfo =
    x.peers && !x.o.noSpark
      ? detectSpark(x.o.spark, x.o.sparkPython)
      : { available: false, dir: '', python: '', hint: 'Spark peer skipped' };
  if (x.peers && !x.o.noSpark && !spark.available) x.log(`peer Spark: ${spark.hint}`);
  x.log(`\nW4b ab_brain (CartPole brain), ${rounds} rounds, interleaved …`);
  interface AbRunner extends RoundRunner<AbBrainSample> {
    readonly role: 'ours' | 'spark32' | 'spark16';
    readonly ab?: { readonly key: string; readonly side: 'A' | 'B'; readonly label: string };
  }
  const runners: AbRunner[] = [];
  const cacheDir = spark.available ? mkdtempSync(join(os.tmpdir(), 'spark-bench-jax-')) : undefined;
  for (const dtype of spark.available ? (['float32', 'float16'] as const) : []) {
    runners.push({
      name: `Spark (JAX ${spark.jax}, ${dtype}, ${x.threads} thread${x.threads > 1 ? 's' : ''})`,
      role: dtype === 'float32' ? 'spark32' : 'spark16',
      sample: () => runSpark(spark, dtype, x.threads, cacheDir),
    });
  }
  const sides = [
    { where: x.here, side: 'A' as const },
    ...(x.vs ? [{ where: x.vs, side: 'B' as const }] : []),
  ];
  for (const b of x.backends) {
    // webgpu: the event-driven form (the Brain's default) and the dense plan, so the rows show what
    // the event-driven synapse domain changes in dispatches and bytes per step. A software adapter
    // runs few, short rounds (≈ 0.1–0.7 s per step): its times are overheads, never a GPU's speed.
    const forms = b.kind === 'webgpu' ? ([true, false] as const) : ([undefined] as const);
    for (const eventDriven of forms) {
      const key = `spark-snn ${b.kind}${eventDriven === false ? ', dense plan (eventDriven: false)' : eventDriven ? ', event-driven' : ''}`;
      const job = {
        kind: 'ab_brain' as const,
        backend: b.kind as BackendName,
        ...(eventDriven === false ? { eventDriven } : {}),
        ...(b.software ? { calls: 2, blocks: 1, warmup: 2 } : {}),
      };
      for (const { where, side } of sides)
        runners.push({
          name: x.vs ? `${key} [${where.label}]` : key,
          role: 'ours',
          ...(b.software ? { maxSeeds: 1 } : {}),
          ...(x.vs ? { ab: { key, side, label: where.label } } : {}),
          sample: () => spawnJob(job, where),
        });
    }
  }
  const us = (t: { cpu: number; wall: number }): string =>
    `${(t.cpu * 1e6).toFixed(0)} µs CPU / ${(t.wall * 1e6).toFixed(0)} wall`;
  let samples: Map<AbRunner, AbBrainSample[]>;
  try {
    samples = runRounds<AbBrainSample, AbRunner>(
      runners,
      rounds,
      x.log,
      (s) => `one step ${us(s.single)}, k=50 ${us(s.k50)}/step`,
    );
  } finally {
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  }
  const rowOf = (r: AbRunner): AbBrainRow | undefined => {
    const ss = samples.get(r) ?? [];
    return ss.length > 0 ? abBrainRow(r.name, ss) : undefined;
  };
  const s32 = runners.find((r) => r.role === 'spark32');
  const s16 = runners.find((r) => r.role === 'spark16');
  const r32 = s32 ? rowOf(s32) : undefined;
  const r16 = s16 ? rowOf(s16) : undefined;
  const rows: AbBrainRow[] = [];
  let failed = false;
  for (const r of runners) {
    const row = rowOf(r);
    if (!row) {
      if (r.role === 'ours') failed = true;
      continue;
    }
    rows.push(
      r.role !== 'ours'
        ? row
        : {
            ...row,
            ...(r32
              ? {
                  vsSparkSingle: r32.single.cpu / row.single.cpu,
                  vsSparkScan: r32.k50.cpu / row.k50.cpu,
                }
              : {}),
            ...(r16
              ? {
                  vsSpark16Single: r16.single.cpu / row.single.cpu,
                  vsSpark16Scan: r16.k50.cpu / row.k50.cpu,
                }
              : {}),
          },
    );
  }
  const ab: AbRow[] = [];
  for (const a of runners) {
    if (a.ab?.side !== 'A') continue;
    const b = runners.find((r) => r.ab?.key === a.ab?.key && r.ab?.side === 'B');
    if (!b?.ab) continue;
    const pts = (r: AbRunner, f: (s: AbBrainSample) => { cpu: number; wall: number }): AbPoint[] =>
      (samples.get(r) ?? []).map((s) => ({
        cpuUs: f(s).cpu * 1e6,
        wallUs: f(s).wall * 1e6,
        peakRssMiB: s.peakRssMiB,
      }));
    const labels = { a: a.ab.label, b: b.ab.label };
    for (const [what, f] of [
      ['W4b load → first step, µs', (s: AbBrainSample) => s.load],
      ['W4b one step, µs', (s: AbBrainSample) => s.single],
      ['W4b k = 50 per call, µs/step', (s: AbBrainSample) => s.k50],
      ['W4b CartPole env step, µs', (s: AbBrainSample) => s.envStep],
    ] as const) {
      const row = abRow(what, a.ab.key, labels, pts(a, f), pts(b, f));
      if (row) ab.push(row);
    }
  }
  if (!spark.available && x.peers && !x.o.noSpark) x.log(`(to add the Spark peer: ${SPARK_INSTALL})`);
  return { rows, ab, spark, failed };
}

interface CaseContext {
  readonly o: BenchOptions;
  readonly here: Checkout;
  readonly vs: Checkout | undefined;
  readonly peers: boolean;
  readonly brian: Brian2Info;
  readonly brianDir: string | undefined;
  readonly backends: readonly BackendInfo[];
  readonly threads: number;
  readonly log: (s: string) => void;
}

function caseRunners(c: WorkloadCase, x: CaseContext): Runner[] {
  const runners: Runner[] = [];
  if (x.peers) {
    runners.push({
      name: 'naive JS loop (1 thread)',
      ours: false,
      role: 'naive',
      sample: (seed) =>
        spawnJob(
          { kind: 'network', runner: 'naive', network: c.network, n: c.n, seconds: c.seconds, seed },
          x.here,
        ),
    });
    if (x.brian.available && !(c.n > 50000 && x.brian.mode !== 'cpp_standalone')) {
      const dir = x.brianDir ? join(x.brianDir, `${c.network}-${c.n}`) : undefined;
      runners.push({
        name: `Brian2 ${x.brian.version} (${x.brian.mode}, ${x.threads} thread${x.threads > 1 ? 's' : ''})`,
        ours: false,
        role: 'brian2',
        maxSeeds: x.o.brian2Seeds ?? x.o.seeds ?? 5,
        sample: (seed) => runBrian2(x.brian, c.network, c.n, c.seconds, seed, x.threads, dir),
      });
    }
  }
  const sides: { where: Checkout; side: 'A' | 'B' }[] = [
    { where: x.here, side: 'A' },
    ...(x.vs ? [{ where: x.vs, side: 'B' as const }] : []),
  ];
  for (const b of x.backends) {
    // A software adapter measures overheads only, and slowly: it runs CUBA at N = 4000 alone.
    if (b.software && (c.network !== 'cuba' || c.n > 4000)) {
      x.log(`  ${b.kind}: skipped on a software adapter (N=${c.n}, ${c.network})`);
      continue;
    }
    const kinds: ('plan' | 'config')[] = x.o.fromConfig ? ['plan', 'config'] : ['plan'];
    for (const runner of kinds) {
      const key = `spark-snn ${b.kind}${runner === 'config' ? ' (config)' : ''}`;
      const note = [
        runner === 'config' ? 'BrainConfig → Brain compiler' : '',
        b.software ? 'software adapter: overheads only' : '',
      ]
        .filter(Boolean)
        .join('; ');
      for (const { where, side } of sides)
        runners.push({
          name: x.vs ? `${key} [${where.label}]` : key,
          ours: true,
          role: 'ours',
          ...(b.software ? { maxSeeds: 2 } : {}),
          ...(note ? { note } : {}),
          ...(x.vs ? { ab: { key, side, label: where.label } } : {}),
          sample: (seed) =>
            spawnJob(
              {
                kind: 'network',
                runner,
                backend: b.kind as BackendName,
                network: c.network,
                n: c.n,
                seconds: c.seconds,
                seed,
              },
              where,
            ),
        });
    }
  }
  return runners;
}

function abPairs(
  c: WorkloadCase,
  runners: readonly Runner[],
  samples: Map<Runner, NetworkSample[]>,
): AbRow[] {
  const out: AbRow[] = [];
  const points = (ss: readonly NetworkSample[]): AbPoint[] =>
    ss.map((s) => ({
      cpuUs: (s.loop.cpu / s.steps) * 1e6,
      wallUs: (s.loop.wall / s.steps) * 1e6,
      peakRssMiB: s.peakRssMiB,
    }));
  for (const a of runners) {
    if (a.ab?.side !== 'A') continue;
    const b = runners.find((r) => r.ab?.key === a.ab?.key && r.ab?.side === 'B');
    if (!b?.ab) continue;
    const row = abRow(
      `${c.id} ${c.network} N=${c.n}, µs/step`,
      a.ab.key,
      { a: a.ab.label, b: b.ab.label },
      points(samples.get(a) ?? []),
      points(samples.get(b) ?? []),
    );
    if (row) out.push(row);
  }
  return out;
}

/** What a run records (`report.json`). */
export interface BenchRecord {
  readonly machine: Record<string, string>;
  readonly backends: readonly BackendInfo[];
  readonly brian2: Brian2Info;
  /** Threads given to the peers' simulation loops. */
  readonly threads?: number;
  readonly rows: readonly Row[];
  /** A/B rows (`--vs`). */
  readonly ab?: readonly AbRow[];
  /** W4a rows (when run). */
  readonly w4a?: readonly W4aRow[];
  /** W4b rows (ab_brain, ours and Spark) and the Spark peer found (when run). */
  readonly abBrain?: readonly AbBrainRow[];
  /** The Spark peer found (its folder and interpreter are machine paths: not recorded). */
  readonly spark?: Omit<SparkInfo, 'dir' | 'python'>;
  /** Rendered tables (including W0/W4b when run). */
  readonly tables?: string;
}

/**
 * Re-renders the markdown report and the plot of a recorded run (`report.json`), e.g. after a
 * change of the report's wording; the figures are the recorded ones.
 */
export function renderRecord(
  record: BenchRecord,
  report: string,
  svgPath: string,
  o: Partial<BenchOptions> = {},
): void {
  writeFileSync(svgPath, scalingSvg(record.rows));
  const tables = record.tables ?? [renderTables(record.rows), renderAb(record.ab ?? [])].join('\n');
  writeFileSync(report, reportMarkdown({ ...record, tables }, relative(dirname(report), svgPath), o));
}

function reportMarkdown(
  record: BenchRecord & { tables: string },
  svg: string,
  o: Partial<BenchOptions>,
): string {
  const m = record.machine;
  const tables = record.tables;
  const threads = record.threads ?? 1;
  return [
    '# Benchmarks',
    '',
    '<!-- Generated by apps/bench (`pnpm --filter @spark-snn/bench bench`); do not edit by hand. -->',
    '',
    "Workloads, parameters, expected rates and targets: the project's benchmark specification (benchmarks.md) §1, §5, §6 (CUBA = W1, COBA variant (b) = W2, Brunel model A g = 5, η = 2 = W3). Every runner first passes the rate gate (mean over its seeds within the tolerance of §1); a runner that fails it gets no speed figures.",
    '',
    'How every runner is timed (the same for all): the **process CPU time** (user + system, all threads) and the **wall time** of its step loop, each sample in a fresh process (ours and the naive loop: a child process per seed; Brian2: its C++ standalone binary, timed by code inserted around `run` in its `main`), runners and seeds interleaved (round s runs every runner once, the order rotated by s). Figures are medians over the seeds; "× naive JS" and "× Brian2" are the peer\'s median divided by ours, by CPU time and by wall time (> 1: faster than the peer). CPU time is the fairer figure on a shared machine; wall time includes waiting for a core. RTF = wall seconds of the step loop per biological second; synaptic events/s are derived from the measured rate × N × in-degree. Peak RSS is the peak resident memory of the process that ran the loop (in parentheses: its memory before the network was built — the runtime itself).',
    '',
    `- Machine: ${m.cpu}, ${m.memory}, ${m.os}`,
    `- Runtime: ${m.runtime}; commit \`${m.commit}\`; ${m.date}`,
    `- Load average (1 / 5 / 15 min) at the start: ${m.load ?? 'not recorded'}; at the end: ${m.loadEnd ?? 'not recorded'}. On a shared machine compare the ratios of one run, not absolute figures across runs.`,
    `- Suite: \`${o.suite ?? 'quick'}\`, ${o.seeds ?? 5} seeds per runner (Brian2: ${o.brian2Seeds ?? o.seeds ?? 5})`,
    `- Threads: spark-snn cpu and the naive loop run one thread (the JS main thread); Brian2 runs ${threads} (${threads > 1 ? `OpenMP, ${threads} threads` : 'no OpenMP'}).`,
    ...record.backends.map(
      (b) =>
        `- Backend \`${b.kind}\`: ${b.description}${b.software ? ' — **software adapter: its figures measure overheads only, not GPU performance**' : ''}`,
    ),
    `- Peer Brian2: ${record.brian2.available ? `${record.brian2.version}, ${record.brian2.mode}; synapses created in presynaptic order (\`connect(p=…)\` for CUBA/COBA, fixed in-degree pairs sorted by source for Brunel)` : record.brian2.hint}`,
    '- Peer naive JS: apps/bench/src/naive.ts, one thread, f32 typed arrays, written plainly from Appendix A.',
    ...(record.spark
      ? [
          `- Peer Spark (W4b): ${record.spark.available ? `github.com/Nogarx/Spark with JAX ${record.spark.jax}, Flax ${record.spark.flax}, on the CPU, ${threads === 1 ? 'one XLA thread (`--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1`)' : "XLA's default thread pool"}; float16 as shipped and float32 (every dtype of the brain and neuron files set to float32)` : record.spark.hint}`,
        ]
      : []),
    '',
    '## Results',
    '',
    tables,
    '## Scaling',
    '',
    `![RTF against N](${svg})`,
    '',
  ].join('\n');
}
