/**
 * The benchmark harness: runs the workloads of benchmarks.md §5 on every available backend and on
 * the peers (naive JS loop, Brian2), checks the rate of every runner first (the correctness gate of
 * §6.3: no speed figure for a runner whose 5-seed mean rate is out of tolerance), and reports the
 * metrics of §5 as one table per workload, plus a scaling plot (SVG) and a JSON record.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { defaultRegistry } from '@spark-snn/config';
import type { Backend, Plan } from '@spark-snn/core';
import { benchmarkNetwork, cpuBackend, gpujsBackend, ratesOf, webgpuBackend } from '@spark-snn/kernels';
import { compileBrain, defaultLowerings } from '@spark-snn/nn';
import { networkConfig } from './configs.ts';
import {
  BRIAN2_INSTALL,
  type Brian2Info,
  detectBrian2,
  type NetworkName,
  type RunSample,
  runBrian2,
  runNaive,
} from './peers.ts';
import { scalingSvg } from './plot.ts';
import { runW0, runW4 } from './siblings.ts';
import { renderSparse, runSparseBench } from './sparse.ts';
import { renderW4a, runsW4a, runW4a, type W4aRow, w4aCases } from './w4a.ts';

/** Options of {@link runBenchmarks} (the contract `spark bench` calls). */
export interface BenchOptions {
  /** `quick` (default), `full`, `smoke` (one short CUBA run), or workload ids (`W0`, `W0s` sparse propagation, `W1`–`W4`, `W4a`, `W4a-large`, comma-separated; `W4` = W4a then W4b). */
  readonly suite?: string;
  /** `auto` (every available backend, default), `cpu`, `webgpu` or `gpujs`. */
  readonly backend?: string;
  /** Directory for `benchmarks.md`, `scaling.svg` and `report.json`. */
  readonly out?: string;
  /** Print the JSON record instead of the tables. */
  readonly json: boolean;
  readonly tty: boolean;
  readonly write: (text: string) => void;
  /** Seeds per runner (default 5, as the gate asks). */
  readonly seeds?: number;
  /** Seeds for Brian2 (default 2; it is slow). */
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
  /** Median wall seconds of the step loop per run (warm). */
  readonly wall?: number;
  readonly rtf?: number;
  readonly usPerStep?: number;
  readonly neuronUpdatesPerS?: number;
  readonly eventsPerS?: number;
  readonly rooflinePct?: number;
  readonly coldStart?: number;
  readonly vsNaive?: number;
  readonly vsBrian2?: number;
  readonly note?: string;
}

const EXPECTED: Record<NetworkName, { rate: number; tol: number; inDegree: number }> = {
  cuba: { rate: 5.6, tol: 0.1, inDegree: 80 },
  coba: { rate: 19.5, tol: 0.12, inDegree: 80 },
  brunel: { rate: 37.5, tol: 0.05, inDegree: 1250 },
};

/** The suites. */
export function suiteCases(suite: string): WorkloadCase[] {
  if (suite.includes(',')) return suite.split(',').flatMap((x) => suiteCases(x.trim()));
  if (['W0', 'W0s', 'W4', 'W4a', 'W4a-large'].includes(suite)) return [];
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
    case 'W2':
      return [W2(4000, 2)];
    case 'W3':
      return [W3(12500, 1)];
    default:
      throw new Error(
        `unknown suite "${suite}" (smoke, quick, full, W0, W0s, W1, W1-4000, W2, W3, W4, W4a, W4a-large or a comma list)`,
      );
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function isSoftware(b: Backend): boolean {
  return /swiftshader|lavapipe|llvmpipe|software|cpu/i.test(b.description) && b.kind === 'webgpu';
}

async function openBackends(which: string, log: (s: string) => void): Promise<Backend[]> {
  const out: Backend[] = [];
  const want = (k: string): boolean => which === 'auto' || which === k;
  if (want('cpu')) out.push(cpuBackend());
  if (want('webgpu')) {
    try {
      out.push(await webgpuBackend());
    } catch (e) {
      log(`webgpu: not available (${(e as Error).message.split('\n')[0]})`);
    }
  }
  // gpu.js runs on the CPU in Node (no WebGL); only on request.
  if (which === 'gpujs') out.push(await gpujsBackend());
  return out;
}

async function runBackend(b: Backend, c: WorkloadCase, seed: number): Promise<RunSample & { cold: number }> {
  const t0 = performance.now();
  const net = benchmarkNetwork(c.network, { n: c.n, seed });
  const t1 = performance.now();
  const p = await b.load(net.plan);
  const t2 = performance.now();
  const steps = Math.round(c.seconds * net.stepsPerSecond);
  const r = await p.run({ steps, record: [net.monitor] });
  const t3 = performance.now();
  p.destroy();
  const rates = ratesOf(net, r.records[net.monitor] as Float32Array);
  return {
    seconds: (t3 - t2) / 1000,
    buildSeconds: (t1 - t0) / 1000,
    cold: (t2 - t0) / 1000,
    rateE: rates.e,
    rateI: rates.i,
  };
}

/**
 * The network's BrainConfig compiled by the Brain compiler (what `Brain.fromConfig` runs), plus the
 * population monitor of the kernels plans (`reduce.group_sum` of `neurons.spikes` into `[E, I]`
 * counts per step), so that both paths record the same two numbers per step.
 */
export function configPlan(c: WorkloadCase, seed: number): { plan: Plan; monitor: string; nE: number } {
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

async function runConfigBackend(
  b: Backend,
  c: WorkloadCase,
  seed: number,
): Promise<RunSample & { cold: number }> {
  const t0 = performance.now();
  const { plan, monitor, nE } = configPlan(c, seed);
  const t1 = performance.now();
  const p = await b.load(plan);
  const t2 = performance.now();
  const steps = Math.round(c.seconds * 1e4);
  const r = await p.run({ steps, record: [monitor] });
  const t3 = performance.now();
  p.destroy();
  const rates = ratesOf({ n: c.n, nE } as Parameters<typeof ratesOf>[0], r.records[monitor] as Float32Array);
  return {
    seconds: (t3 - t2) / 1000,
    buildSeconds: (t1 - t0) / 1000,
    cold: (t2 - t0) / 1000,
    rateE: rates.e,
    rateI: rates.i,
  };
}

function makeRow(
  c: WorkloadCase,
  runner: string,
  samples: readonly (RunSample & { cold?: number })[],
  bandwidthGBs: number | undefined,
  note?: string,
): Row {
  const exp = EXPECTED[c.network];
  const nE = Math.round(0.8 * c.n);
  const rateOf = (s: RunSample): number => (s.rateE * nE + s.rateI * (c.n - nE)) / c.n;
  const mean = samples.reduce((a, s) => a + rateOf(s), 0) / samples.length;
  const ok = Math.abs(mean / exp.rate - 1) <= exp.tol;
  const base = {
    workload: c.id,
    network: c.network,
    runner,
    n: c.n,
    seconds: c.seconds,
    seeds: samples.length,
    rateE: samples.reduce((a, s) => a + s.rateE, 0) / samples.length,
    rateI: samples.reduce((a, s) => a + s.rateI, 0) / samples.length,
    gate: ok ? ('pass' as const) : ('fail' as const),
    gateNote: `mean ${mean.toFixed(2)} Hz vs ${exp.rate} Hz ± ${exp.tol * 100} %`,
    ...(note ? { note } : {}),
  };
  if (!ok) return base;
  // Warm: leave out the first run when there are more (JIT / pipeline caches).
  const warm = samples.length > 1 ? samples.slice(1) : samples;
  const wall = median(warm.map((s) => s.seconds));
  const steps = c.seconds * 1e4;
  const inDegree = c.network === 'brunel' ? Math.min(1000, nE) + Math.min(250, c.n - nE) : Math.min(80, c.n);
  const eventsPerBioS = mean * c.n * inDegree;
  const bytesPerStep = 36 * c.n + 4 * (eventsPerBioS / 1e4);
  const cold = samples[0]?.cold ?? samples[0]?.buildSeconds;
  return {
    ...base,
    wall,
    rtf: wall / c.seconds,
    usPerStep: (wall / steps) * 1e6,
    neuronUpdatesPerS: (c.n * steps) / wall,
    eventsPerS: (eventsPerBioS * c.seconds) / wall,
    ...(bandwidthGBs && c.n >= 1e5
      ? { rooflinePct: ((bytesPerStep * steps) / wall / (bandwidthGBs * 1e9)) * 100 }
      : {}),
    ...(cold !== undefined ? { coldStart: cold } : {}),
  };
}

const fmt = (x: number | undefined, d = 2): string =>
  x === undefined ? '—' : x >= 1e5 ? x.toExponential(2) : x.toFixed(d);

/** Renders one markdown table per workload. */
export function renderTables(rows: readonly Row[]): string {
  const out: string[] = [];
  for (const id of [...new Set(rows.map((r) => r.workload))]) {
    const rs = rows.filter((r) => r.workload === id);
    out.push(`### ${id}: ${rs[0]?.network.toUpperCase()}`, '');
    out.push(
      '| runner | N | bio s × seeds | rate E / I (Hz) | gate | RTF (wall s per bio s) | µs/step | neuron-updates/s | syn. events/s | % roofline | cold start (s) | × naive JS | × Brian2 |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of rs) {
      const gate = r.gate === 'pass' ? 'pass' : `**REFUSED** (${r.gateNote})`;
      out.push(
        `| ${r.runner}${r.note ? ` (${r.note})` : ''} | ${r.n} | ${r.seconds} × ${r.seeds} | ${r.rateE.toFixed(2)} / ${r.rateI.toFixed(2)} | ${gate} | ${fmt(r.rtf, 3)} | ${fmt(r.usPerStep, 1)} | ${fmt(r.neuronUpdatesPerS)} | ${fmt(r.eventsPerS)} | ${r.n >= 1e5 ? fmt(r.rooflinePct, 1) : 'n/a (N < 1e5)'} | ${fmt(r.coldStart, 2)} | ${fmt(r.vsNaive, 2)} | ${fmt(r.vsBrian2, 2)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
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

/**
 * Runs the suite and writes the report. Returns 0, or 1 when a gate failed for any runner of ours
 * (a physics regression), or 2 on a usage error.
 */
export async function runBenchmarks(o: BenchOptions): Promise<number> {
  const log = (s: string): void => {
    if (!o.json) o.write(`${s}\n`);
  };
  let cases: WorkloadCase[];
  try {
    cases = suiteCases(o.suite ?? 'quick');
  } catch (e) {
    o.write(`${(e as Error).message}\n`);
    return 2;
  }
  const seeds = o.seeds ?? 5;
  const backends = await openBackends(o.backend ?? 'auto', log);
  const brian: Brian2Info = o.noBrian2
    ? { available: false, mode: 'numpy', hint: 'Brian2 skipped (--no-brian2)', python: '' }
    : detectBrian2();
  if (!brian.available) log(`peer Brian2: ${brian.hint}`);
  const info = machineInfo();
  log(`machine: ${info.cpu}, ${info.memory}, ${info.runtime}, commit ${info.commit}`);
  for (const b of backends)
    log(
      `backend ${b.kind}: ${b.description}${isSoftware(b) ? ' — software adapter: overheads only, not GPU performance' : ''}`,
    );
  const rows: Row[] = [];
  let failed = false;
  for (const c of cases) {
    log(`\n${c.id} ${c.network} N=${c.n}, ${c.seconds} s × ${seeds} seeds …`);
    const caseRows: Row[] = [];
    // Peers first: their figures are the denominators.
    const naive = Array.from({ length: seeds }, (_, k) =>
      runNaive(c.network, c.n, Math.round(c.seconds * 1e4), k + 1),
    );
    const naiveRow = makeRow(c, 'naive JS loop (1 thread)', naive, o.bandwidthGBs);
    caseRows.push(naiveRow);
    log(`  naive JS: ${naiveRow.gate}, RTF ${fmt(naiveRow.rtf, 3)}`);
    let brianRow: Row | undefined;
    const brianSeeds = o.brian2Seeds ?? 2;
    if (brian.available && !(c.n > 50000 && brian.mode !== 'cpp_standalone')) {
      try {
        const bs = Array.from({ length: brianSeeds }, (_, k) =>
          runBrian2(brian, c.network, c.n, c.seconds, k + 1),
        );
        brianRow = makeRow(c, `Brian2 ${brian.version} (${brian.mode})`, bs, o.bandwidthGBs);
        caseRows.push(brianRow);
        log(`  Brian2: ${brianRow.gate}, RTF ${fmt(brianRow.rtf, 3)}`);
      } catch (e) {
        log(`  Brian2 failed: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    for (const b of backends) {
      const soft = isSoftware(b);
      // A software adapter measures overheads only, and slowly: it runs CUBA at N = 4000 alone.
      if (soft && (c.network !== 'cuba' || c.n > 4000)) {
        log(`  ${b.kind}: skipped on a software adapter (N=${c.n}, ${c.network})`);
        continue;
      }
      const k = soft ? Math.min(2, seeds) : seeds;
      const samples: (RunSample & { cold: number })[] = [];
      for (let s = 1; s <= k; s++) samples.push(await runBackend(b, c, s));
      const row = makeRow(
        c,
        `spark-snn ${b.kind}`,
        samples,
        o.bandwidthGBs,
        soft ? 'software adapter: overheads only' : undefined,
      );
      const ratio = (peer: Row | undefined): number | undefined =>
        peer?.rtf !== undefined && row.rtf !== undefined ? peer.rtf / row.rtf : undefined;
      const vn = ratio(naiveRow);
      const vb = ratio(brianRow);
      const full: Row = {
        ...row,
        ...(vn !== undefined ? { vsNaive: vn } : {}),
        ...(vb !== undefined ? { vsBrian2: vb } : {}),
      };
      if (full.gate === 'fail') failed = true;
      caseRows.push(full);
      log(`  ${b.kind}: ${full.gate}, RTF ${fmt(full.rtf, 3)}`);
      if (o.fromConfig) {
        const cs: (RunSample & { cold: number })[] = [];
        for (let s = 1; s <= k; s++) cs.push(await runConfigBackend(b, c, s));
        const cr = makeRow(
          c,
          `spark-snn ${b.kind} (config)`,
          cs,
          o.bandwidthGBs,
          soft ? 'software adapter: overheads only' : 'BrainConfig → Brain compiler',
        );
        const cvn = naiveRow.rtf !== undefined && cr.rtf !== undefined ? naiveRow.rtf / cr.rtf : undefined;
        const cvb = brianRow?.rtf !== undefined && cr.rtf !== undefined ? brianRow.rtf / cr.rtf : undefined;
        const cfull: Row = {
          ...cr,
          ...(cvn !== undefined ? { vsNaive: cvn } : {}),
          ...(cvb !== undefined ? { vsBrian2: cvb } : {}),
        };
        if (cfull.gate === 'fail') failed = true;
        caseRows.push(cfull);
        log(
          `  ${b.kind} (config): ${cfull.gate}, RTF ${fmt(cfull.rtf, 3)}` +
            (full.usPerStep !== undefined && cfull.usPerStep !== undefined
              ? ` — ${fmt(full.usPerStep, 1)} µs/step plan vs ${fmt(cfull.usPerStep, 1)} µs/step config`
              : ''),
        );
      }
    }
    rows.push(...caseRows);
  }
  const parts = (o.suite ?? 'quick').split(',').map((x) => x.trim());
  let extra = '';
  if (parts.includes('W0s') || parts.includes('full')) {
    log('\nW0s: sparse propagation, gather vs scatter, u16 vs u32 indices …');
    const gpu = backends.find((b) => b.kind === 'webgpu');
    const sparseRows = await runSparseBench({
      cpu: backends.find((b) => b.kind === 'cpu') ?? cpuBackend(),
      ...(gpu ? { webgpu: gpu } : {}),
      log,
    });
    extra += `${renderSparse(sparseRows, gpu?.description)}\n`;
  }
  const w4a = runsW4a(parts);
  let w4aRecord: readonly W4aRow[] | undefined;
  if (w4a) {
    log(`\n${w4a}: Spark-style dense layer, f32 and f16 …`);
    const w4aRows = await runW4a({ backends, cases: w4aCases(w4a), log, software: isSoftware });
    if (w4aRows.some((r) => r.gate === 'fail' && r.runner.startsWith('spark-snn'))) failed = true;
    extra += `${renderW4a(w4aRows)}\n`;
    w4aRecord = w4aRows;
  }
  for (const b of backends) b.destroy();
  if (parts.includes('W0') || parts.includes('full')) {
    log('\nW0: running the kernels microbenchmarks (packages/kernels/bench) …');
    extra += `${runW0()}\n`;
  }
  if (parts.includes('W4') || parts.includes('full')) {
    log('W4b: running the ab_brain bench (packages/nn/bench/ab_brain.ts) …');
    extra += `${runW4()}\n`;
  }
  const tables = renderTables(rows) + extra;
  const svg = scalingSvg(rows);
  const record: BenchRecord = {
    machine: { ...info, loadEnd: machineInfo().load ?? '' },
    backends: backends.map((b) => ({ kind: b.kind, description: b.description, software: isSoftware(b) })),
    brian2: brian,
    rows,
    ...(w4aRecord ? { w4a: w4aRecord } : {}),
  };
  if (o.json) o.write(`${JSON.stringify(record, null, 2)}\n`);
  else o.write(`\n${tables}\n`);
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
  if (!brian.available) log(`(to add the Brian2 peer: ${BRIAN2_INSTALL})`);
  return failed ? 1 : 0;
}

/** What a run records (`report.json`). */
export interface BenchRecord {
  readonly machine: Record<string, string>;
  readonly backends: readonly { kind: string; description: string; software: boolean }[];
  readonly brian2: Brian2Info;
  readonly rows: readonly Row[];
  /** W4a rows (when run). */
  readonly w4a?: readonly W4aRow[];
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
  const tables = record.tables ?? renderTables(record.rows);
  writeFileSync(report, reportMarkdown({ ...record, tables }, relative(dirname(report), svgPath), o));
}

function reportMarkdown(
  record: BenchRecord & { tables: string },
  svg: string,
  o: Partial<BenchOptions>,
): string {
  const m = record.machine;
  const tables = record.tables;
  return [
    '# Benchmarks',
    '',
    '<!-- Generated by apps/bench (`pnpm --filter @spark-snn/bench bench`); do not edit by hand. -->',
    '',
    'Workloads, parameters, expected rates and targets: the project\'s benchmark specification (benchmarks.md) §1, §5, §6 (CUBA = W1, COBA variant (b) = W2, Brunel model A g = 5, η = 2 = W3). Every runner first passes the rate gate (mean over its seeds within the tolerance of §1); a runner that fails it gets no speed figures. RTF = wall-clock seconds of the step loop per biological second (warm: median over the seeds after the first). Synaptic events/s are derived from the measured rate × N × in-degree. "× naive JS" and "× Brian2" are the peer\'s RTF divided by ours (> 1: faster than the peer).',
    '',
    `- Machine: ${m.cpu}, ${m.memory}, ${m.os}`,
    `- Runtime: ${m.runtime}; commit \`${m.commit}\`; ${m.date}`,
    `- Load average (1 / 5 / 15 min) at the start: ${m.load ?? 'not recorded'}; at the end: ${m.loadEnd ?? 'not recorded'}. On a shared machine every runner is slowed alike but the figures are noisy: compare the ratios of one run, not absolute figures across runs.`,
    `- Suite: \`${o.suite ?? 'quick'}\`, ${o.seeds ?? 5} seeds per runner (Brian2: ${o.brian2Seeds ?? 2})`,
    ...record.backends.map(
      (b) =>
        `- Backend \`${b.kind}\`: ${b.description}${b.software ? ' — **software adapter: its figures measure overheads only, not GPU performance**' : ''}`,
    ),
    `- Peer Brian2: ${record.brian2.available ? `${record.brian2.version}, ${record.brian2.mode} (its RTF times only the simulation loop: C++ standalone's own run timer, or the runtime's \`run()\` after a 1 ms warm-up that compiles the code)` : record.brian2.hint}`,
    '- Peer naive JS: apps/bench/src/naive.ts, one thread, f32 typed arrays, written plainly from Appendix A.',
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
