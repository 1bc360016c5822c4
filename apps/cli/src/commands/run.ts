/**
 * `spark run MODEL`: simulate a Spark brain (nn package, any backend) or a NIR graph (graph
 * package's float64 reference simulator) for N steps and write the recordings: NPY/NPZ, a CSV
 * summary, an SVG raster with the population rate, SVG traces and a run.json manifest.
 *
 * @module
 */

import { basename, join } from 'node:path';
import type { ConfigDocument, ModuleSpecs } from '@spark-snn/config';
import type { Tensor } from '@spark-snn/core';
import { encodeNpy, encodeNpz, type NpyData } from '@spark-snn/core';
import type { NirGraph } from '@spark-snn/graph';
import { type Command, flag, intOption, type Parsed, str, strs } from '../command.ts';
import { CliError, EXIT, messageOf, UsageError } from '../errors.ts';
import { type DenseSeries, rasterSvg, tracesSvg } from '../formats/svg.ts';
import { type InputSource, parseInputs } from '../inputs.ts';
import type { Io } from '../io.ts';
import {
  countFindings,
  type Finding,
  formatFinding,
  loadModel,
  registerNeurons,
  registryFor,
  writeUserFile,
} from '../model.ts';
import { createProgress } from '../progress.ts';

const BACKENDS = ['auto', 'webgpu', 'gpujs', 'cpu'] as const;
const FORMATS = ['npy', 'npz', 'safetensors'] as const;
type RecordingFormat = (typeof FORMATS)[number];
const NIR_METHODS = ['euler', 'exact', 'exact-decay'] as const;
const NIR_RESETS = ['value', 'subtract'] as const;
/** NIR node types whose output is a spike train. */
const NIR_SPIKING = new Set(['LIF', 'CubaLIF', 'IF', 'Threshold']);

/** A recorded series: `steps × size` values, row t = step t. */
export interface RecordedSeries {
  readonly shape: readonly number[];
  readonly data: Float32Array | Float64Array;
  /** Known to be a spike train (else decided from the name and the values). */
  readonly spikes?: boolean;
}

/** What a simulation produced. */
export interface RunRecording {
  readonly steps: number;
  readonly series: Readonly<Record<string, RecordedSeries>>;
}

/** Per-series numbers of the CSV summary. */
export interface SeriesSummary {
  port: string;
  kind: 'spikes' | 'trace';
  steps: number;
  shape: number[];
  size: number;
  spikes: number | null;
  meanRateHz: number | null;
  min: number;
  max: number;
  mean: number;
  file: string;
}

/** A file-system-safe name for a port (`pool.out_spikes` stays as is; `a/b/c` → `a_b_c`). */
export function portFileName(port: string): string {
  return port.replace(/[^\w.-]+/g, '_');
}

function looksLikeSpikes(port: string, data: ArrayLike<number>): boolean {
  if (!/spike/i.test(port)) return false;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v !== 0 && v !== 1 && v !== -1) return false;
  }
  return true;
}

/** Summaries of a recording. `dt` in ms. */
export function summarize(rec: RunRecording, dt: number): SeriesSummary[] {
  return Object.entries(rec.series).map(([port, s]) => {
    const size = s.shape.reduce((a, b) => a * b, 1);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let sum = 0;
    let nz = 0;
    for (let i = 0; i < s.data.length; i++) {
      const v = s.data[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      if (v !== 0) nz++;
    }
    const spikes = s.spikes ?? looksLikeSpikes(port, s.data);
    const secs = (rec.steps * dt) / 1000;
    return {
      port,
      kind: spikes ? 'spikes' : 'trace',
      steps: rec.steps,
      shape: [...s.shape],
      size,
      spikes: spikes ? nz : null,
      meanRateHz: spikes ? (size > 0 && secs > 0 ? nz / size / secs : 0) : null,
      min: s.data.length ? min : 0,
      max: s.data.length ? max : 0,
      mean: s.data.length ? sum / s.data.length : 0,
      file: `${portFileName(port)}.npy`,
    };
  });
}

/** The summary as CSV (one row per recorded port). */
export function summaryCsv(rows: readonly SeriesSummary[]): string {
  const head = 'port,kind,steps,shape,size,spikes,mean_rate_hz,min,max,mean,file';
  const g = (x: number | null) => (x === null ? '' : Number.isInteger(x) ? String(x) : x.toPrecision(7));
  const lines = rows.map((r) =>
    [
      r.port,
      r.kind,
      r.steps,
      `"${r.shape.join('x')}"`,
      r.size,
      g(r.spikes),
      g(r.meanRateHz),
      g(r.min),
      g(r.max),
      g(r.mean),
      r.file,
    ].join(','),
  );
  return `${[head, ...lines].join('\n')}\n`;
}

/** Default recording of a brain: every port a module exposes as a brain output. */
export function defaultRecord(doc: ConfigDocument): string[] {
  const specs = (doc.config.modules_specs ?? []) as ModuleSpecs[];
  const out: string[] = [];
  for (const m of specs) for (const port of Object.values(m.outputs ?? {})) out.push(`${m.name}.${port}`);
  return [...new Set(out)];
}

function recordList(args: Parsed): string[] {
  return strs(args, 'record')
    .flatMap((r) => r.split(','))
    .map((r) => r.trim())
    .filter((r) => r.length > 0);
}

/** What every simulation path hands to the writer. */
interface RunResult {
  rec: RunRecording;
  /** Step in milliseconds. */
  dtMs: number;
  backend: { kind: string; description: string; reason: string } | null;
  sources: InputSource[];
  ports: string[];
  seconds: number;
  extra?: Record<string, unknown>;
}

interface RunSettings {
  io: Io;
  args: Parsed;
  json: boolean;
  model: string;
  steps: number;
  seed: number;
}

async function runBrain(s: RunSettings, doc: ConfigDocument): Promise<RunResult> {
  const { io, args, model, steps } = s;
  const backend = (str(args, 'backend') ?? 'auto') as (typeof BACKENDS)[number];
  if (!BACKENDS.includes(backend))
    throw new UsageError('--backend', `unknown backend "${backend}" (one of ${BACKENDS.join(', ')})`);
  for (const o of ['dt', 'method', 'reset'] as const) {
    if (str(args, o) !== undefined)
      throw new UsageError(`--${o}`, 'applies to NIR graphs only (a brain takes dt from its config)');
  }
  const progressOn = !s.json && !flag(args, 'no-progress') && s.io.isTTY;
  const chunk = intOption(
    args,
    'chunk',
    progressOn ? Math.max(1, Math.min(1000, Math.ceil(steps / 50))) : 1000,
  );
  const dt = typeof doc.config.dt === 'number' ? doc.config.dt : 1;
  const record = recordList(args);
  const ports = record.length > 0 ? record : defaultRecord(doc);
  const nn = await import('@spark-snn/nn');
  const fail = (e: unknown): never => {
    if (e instanceof CliError) throw e;
    if (e instanceof nn.BrainError) {
      for (const i of e.issues) io.stderr.write(`${formatFinding(model, toFinding(i))}\n`);
      throw new CliError(
        e.path ? `${model}:${e.path}` : model,
        e.issues.length > 0
          ? `the brain cannot be built (${e.issues.length} problems)`
          : messageOf(e).replace(`${e.path}: `, ''),
      );
    }
    throw new CliError(model, messageOf(e));
  };
  const brain = await nn.Brain.fromConfig(doc, {
    backend,
    skipValidation: true,
    registry: await registryFor(io),
  }).catch(fail);
  try {
    const names = Object.keys(brain.inputPayloads);
    const sources = await parseInputs(io, strs(args, 'input'), names, { steps, dt, seed: s.seed });
    const shapes: Record<string, number[]> = {};
    for (const src of sources) shapes[src.name] = [src.size];
    await brain.build(shapes).catch(fail);
    const progress = createProgress(io, 'steps', progressOn);
    const t0 = io.now();
    const rec = await brain
      .run({
        steps,
        chunk,
        record: ports,
        inputs: (start, count) => Object.fromEntries(sources.map((x) => [x.name, x.chunk(start, count)])),
        onProgress: (done, total) => progress.update(done, total),
      })
      .catch(fail);
    progress.finish();
    const info = brain.backend;
    return {
      rec,
      dtMs: dt,
      backend: info ? { kind: info.kind, description: info.description, reason: info.reason } : null,
      sources,
      ports,
      seconds: (io.now() - t0) / 1000,
    };
  } finally {
    brain.destroy();
  }
}

function toFinding(i: {
  severity: 'error' | 'warning';
  code: string;
  path: string;
  message: string;
  hint?: string;
}): Finding {
  return {
    severity: i.severity,
    code: i.code,
    path: i.path,
    message: i.message,
    ...(i.hint ? { hint: i.hint } : {}),
  };
}

async function runNir(s: RunSettings, g: NirGraph): Promise<RunResult> {
  const { io, args, model, steps } = s;
  const backend = str(args, 'backend') ?? 'auto';
  if (backend !== 'auto' && backend !== 'cpu') {
    throw new UsageError(
      '--backend',
      `NIR graphs run on the graph package's reference simulator (cpu, float64), not on ${backend}`,
    );
  }
  const method = (str(args, 'method') ?? 'euler') as (typeof NIR_METHODS)[number];
  if (!NIR_METHODS.includes(method))
    throw new UsageError('--method', `expected ${NIR_METHODS.join(', ')}, got "${method}"`);
  const reset = (str(args, 'reset') ?? 'value') as (typeof NIR_RESETS)[number];
  if (!NIR_RESETS.includes(reset))
    throw new UsageError('--reset', `expected ${NIR_RESETS.join(' or ')}, got "${reset}"`);
  const dtRaw = str(args, 'dt');
  let dt: number;
  if (dtRaw !== undefined) {
    dt = Number(dtRaw);
    if (!Number.isFinite(dt) || dt <= 0)
      throw new UsageError('--dt', `expected a positive number of seconds, got "${dtRaw}"`);
  } else if (typeof g.metadata?.dt === 'number' && g.metadata.dt > 0) {
    dt = g.metadata.dt;
  } else {
    throw new UsageError(
      '--dt',
      'missing: this NIR graph has no dt metadata; give the time step in seconds (e.g. --dt 1e-4)',
    );
  }
  const graph = await import('@spark-snn/graph');
  const { nodes } = graph.flattenGraph(g);
  const inputNames: string[] = [];
  for (const [name, node] of nodes) if (node.type === 'Input') inputNames.push(name);
  const sources = await parseInputs(io, strs(args, 'input'), inputNames, {
    steps,
    dt: dt * 1000,
    seed: s.seed,
  });
  for (const src of sources) {
    const node = nodes.get(src.name)!;
    const size = node.type === 'Input' ? node.shape.reduce((a, b) => a * b, 1) : src.size;
    if (src.size !== size)
      throw new CliError(
        `--input ${src.name}`,
        `gives ${src.size} values per step, the Input node has ${size}`,
      );
  }
  const record = recordList(args);
  const ports =
    record.length > 0 ? record : [...nodes].filter(([, n]) => NIR_SPIKING.has(n.type)).map(([name]) => name);
  const t0 = io.now();
  const sim = graph.simulateNir(g, {
    dt,
    steps,
    method,
    reset,
    inputs: Object.fromEntries(sources.map((x) => [x.name, x.chunk(0, steps)])),
  });
  const seconds = (io.now() - t0) / 1000;
  const simErrors = sim.diagnostics.filter((d) => d.severity === 'error');
  if (simErrors.length > 0) {
    for (const d of sim.diagnostics)
      io.stderr.write(`${formatFinding(model, { ...d, ...(d.hint ? { hint: d.hint } : {}) })}\n`);
    throw new CliError(model, `the simulation failed (${simErrors.length} errors)`);
  }
  const series: Record<string, RecordedSeries> = {};
  for (const port of ports) {
    const slash = port.lastIndexOf('/');
    const [name, field] =
      slash > 0 && !sim.traces.has(port) ? [port.slice(0, slash), port.slice(slash + 1)] : [port, 'output'];
    const trace = sim.traces.get(name);
    if (!trace) {
      throw new CliError(
        `${model}:${port}`,
        `no node "${name}" (nodes: ${[...sim.traces.keys()].join(', ')})`,
      );
    }
    const data =
      field === 'output' ? trace.output : field === 'v' ? trace.v : field === 'i' ? trace.i : undefined;
    if (!data) {
      const has = ['output', ...(trace.v ? ['v'] : []), ...(trace.i ? ['i'] : [])];
      throw new CliError(
        `${model}:${port}`,
        `node "${name}" has no "${field}" (record ${has.map((h) => (h === 'output' ? name : `${name}/${h}`)).join(', ')})`,
      );
    }
    const type = nodes.get(name)?.type ?? '';
    series[port] = { shape: [trace.size], data, spikes: field === 'output' && NIR_SPIKING.has(type) };
  }
  return {
    rec: { steps, series },
    dtMs: dt * 1000,
    backend: {
      kind: 'cpu',
      description: 'NIR reference simulator (float64)',
      reason: `graph package simulateNir, method ${method}, reset ${reset}`,
    },
    sources,
    ports,
    seconds,
    extra: { dt_s: dt, method, reset },
  };
}

async function writeOutputs(
  s: RunSettings,
  r: RunResult,
  outDir: string,
  format: RecordingFormat,
): Promise<number> {
  const { io, args, json, model, steps } = s;
  const { rec, dtMs } = r;
  const summary = summarize(rec, dtMs);
  const files: string[] = [];
  const put = async (name: string, data: Uint8Array | string) => {
    await writeUserFile(io, join(outDir, name), data);
    files.push(join(outDir, name));
  };
  if (format === 'safetensors') {
    const core = await import('@spark-snn/core');
    const tensors: [string, Tensor][] = Object.entries(rec.series).map(([port, x]) => [
      port,
      // core's tensors stop at float32: NIR's float64 traces are narrowed here (NPY keeps them)
      core.Tensor.fromArray('float32', x.data, [rec.steps, ...x.shape]),
    ]);
    await put(
      'recording.safetensors',
      core.encodeSafetensors(tensors, {
        metadata: {
          format: 'spark-snn-recording',
          model: basename(model),
          steps: String(steps),
          dt_ms: String(dtMs),
        },
      }),
    );
    for (const row of summary) row.file = `recording.safetensors:${row.port}`;
  } else if (format === 'npz') {
    const arrays: Record<string, { data: NpyData; shape: number[] }> = {};
    for (const [port, x] of Object.entries(rec.series))
      arrays[port] = { data: x.data, shape: [rec.steps, ...x.shape] };
    await put('recording.npz', encodeNpz(arrays));
    for (const row of summary) row.file = `recording.npz:${row.port}.npy`;
  } else {
    for (const [port, x] of Object.entries(rec.series)) {
      await put(`${portFileName(port)}.npy`, encodeNpy(x.data, [rec.steps, ...x.shape]));
    }
  }
  await put('summary.csv', summaryCsv(summary));
  if (!flag(args, 'no-plots')) {
    const plot = (k: 'spikes' | 'trace'): DenseSeries[] =>
      summary
        .filter((row) => row.kind === k)
        .map((row) => ({
          name: row.port,
          steps: rec.steps,
          size: row.size,
          data: Float32Array.from(rec.series[row.port]!.data),
        }));
    const spikes = plot('spikes');
    const traces = plot('trace');
    const dtText = `dt ${Number(dtMs.toPrecision(6))} ms`;
    if (spikes.length > 0) {
      await put(
        'raster.svg',
        rasterSvg(spikes, { dt: dtMs, title: `${basename(model)}: spikes (${steps} steps, ${dtText})` }),
      );
    }
    if (traces.length > 0)
      await put('traces.svg', tracesSvg(traces, { dt: dtMs, title: `${basename(model)}: traces` }));
  }
  const manifest = {
    ok: true,
    command: 'run',
    model,
    steps,
    dt_ms: dtMs,
    ...(r.extra ?? {}),
    seed: s.seed,
    backend: r.backend,
    inputs: Object.fromEntries(r.sources.map((x) => [x.name, { spec: x.spec, size: x.size }])),
    record: r.ports,
    seconds: r.seconds,
    stepsPerSecond: r.seconds > 0 ? steps / r.seconds : null,
    summary,
    files: [...files, join(outDir, 'run.json')],
  };
  await put('run.json', `${JSON.stringify(manifest, null, 2)}\n`);
  if (json) {
    io.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
    return EXIT.ok;
  }
  const b = r.backend;
  io.stdout.write(
    `ran ${model}: ${steps} steps (dt ${Number(dtMs.toPrecision(6))} ms) on ${b?.kind ?? '?'} in ${r.seconds.toFixed(2)} s${b?.reason ? ` — ${b.reason}` : ''}\n`,
  );
  for (const row of summary) {
    io.stdout.write(
      row.kind === 'spikes'
        ? `  ${row.port} [${row.shape.join('x')}]: ${row.spikes} spikes, mean rate ${row.meanRateHz!.toFixed(2)} Hz\n`
        : `  ${row.port} [${row.shape.join('x')}]: min ${row.min.toPrecision(4)}, max ${row.max.toPrecision(4)}, mean ${row.mean.toPrecision(4)}\n`,
    );
  }
  io.stdout.write(`wrote ${files.length} files to ${outDir}\n`);
  return EXIT.ok;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'simulate a brain or NIR graph and write recordings (NPY/NPZ, CSV summary, SVG raster and rates)',
  usage: [
    'run MODEL.scfg --steps N [--backend auto|webgpu|gpujs|cpu] [--input [NAME=]FILE|GENERATOR]... [--record PORTS]... [--out DIR]',
    'run GRAPH.nir --steps N --dt SECONDS [--input [NAME=]FILE|GENERATOR]... [--record NODES]... [--out DIR]',
  ],
  description: [
    'Spark brains (a brain_config .scfg or .json) are compiled by the nn package and run on the chosen',
    "backend. NIR graphs (.nir) run on the graph package's float64 reference simulator (--dt in",
    'seconds unless the file has dt metadata; --method euler|exact|exact-decay, --reset value|subtract).',
    '',
    'Every input needs an --input: a file (.npy steps×size or size, .csv rows = steps with FILE#COLS to',
    'pick columns such as data.csv#0 or #1-3, .json rows) or a generator:',
    '  const:V[,V...]                  the same values every step (the list gives the size)',
    '  uniform:LOW:HIGH:SIZE           uniform random values (seeded by --seed)',
    '  poisson:RATE_HZ:SIZE            0/1 spikes with p = rate·dt (seeded by --seed)',
    '  sine:AMPLITUDE:PERIOD_MS:SIZE[:OFFSET]',
    'or one JSON object for all inputs: --input inputs.json with {"NAME": generator | [values] | [[row], ...]}.',
    'Brain ports to record are module.port (pool.out_spikes) or state paths (pool/soma/potential);',
    'NIR ports are node names (their output) or NODE/v, NODE/i. Comma separated or repeated.',
    'Default: the brain outputs, or every spiking NIR node.',
    '',
    'Written to DIR: PORT.npy per recorded port (shape [steps, ...]; float32 for brains, float64 for NIR)',
    'or recording.npz / recording.safetensors with --format, summary.csv (spike counts, mean rates,',
    'min/max/mean),',
    'raster.svg (spike raster with population rate), traces.svg (continuous ports) and run.json',
    '(what ran, on which backend, how fast). A progress bar with ETA is shown on stderr when stdout',
    'is a terminal.',
  ].join('\n'),
  options: {
    steps: { type: 'string', short: 'n', value: 'N', description: 'number of steps to simulate' },
    backend: {
      type: 'string',
      short: 'b',
      value: 'NAME',
      description: 'auto, webgpu, gpujs or cpu',
      defaultText: 'auto',
    },
    input: {
      type: 'string',
      short: 'i',
      multiple: true,
      value: '[NAME=]SRC',
      description: 'input file or generator for a brain input',
    },
    record: {
      type: 'string',
      short: 'r',
      multiple: true,
      value: 'PORTS',
      description: 'ports to record, comma separated',
      defaultText: 'the brain outputs',
    },
    out: {
      type: 'string',
      short: 'o',
      value: 'DIR',
      description: 'output directory',
      defaultText: '<model name>.run',
    },
    format: {
      type: 'string',
      value: 'npy|npz|safetensors',
      description: 'one .npy per port, or one recording.npz / recording.safetensors',
      defaultText: 'npy',
    },
    seed: {
      type: 'string',
      value: 'N',
      description: 'seed of the random input generators',
      defaultText: '0',
    },
    chunk: {
      type: 'string',
      value: 'N',
      description: 'steps per device submission',
      defaultText: '1000; min(1000, steps/50) with a progress bar',
    },
    neuron: {
      type: 'string',
      multiple: true,
      value: 'FILE',
      description: 'register a neuron_config .scfg as a custom neuron first',
    },
    dt: {
      type: 'string',
      value: 'SECONDS',
      description: 'NIR only: time step in seconds',
      defaultText: "the graph's dt metadata",
    },
    method: {
      type: 'string',
      value: 'NAME',
      description: 'NIR only: euler, exact or exact-decay',
      defaultText: 'euler',
    },
    reset: {
      type: 'string',
      value: 'MODE',
      description: 'NIR only: value or subtract',
      defaultText: 'value',
    },
    'no-plots': { type: 'boolean', description: 'skip the SVG plots' },
    'no-progress': { type: 'boolean', description: 'never draw the progress bar' },
  },
  positionals: { min: 1, max: 1, names: 'MODEL' },
  examples: [
    'spark run model.scfg --steps 1000 --input drive=const:100,250,400 --record soma.spikes --out out/',
    'spark run model.scfg -n 5000 -b cpu -i poisson:20:64 -r pool.out_spikes,pool/soma/potential',
    'spark run lif_norse.nir -n 1000 --dt 1e-4 -i input=lif_norse.csv#0 -r 1,1/v',
  ],
  async run({ io, args, json }) {
    const [model] = args.positionals as [string];
    if (str(args, 'steps') === undefined)
      throw new UsageError('--steps', 'missing (how many steps to simulate)');
    const steps = intOption(args, 'steps', 1);
    const format = (str(args, 'format') ?? 'npy') as RecordingFormat;
    if (!FORMATS.includes(format))
      throw new UsageError('--format', `expected ${FORMATS.join(', ')}, got "${format}"`);
    const seed = intOption(args, 'seed', 0, 0);
    const outDir = str(args, 'out') ?? `${basename(model).replace(/\.[^.]*$/, '')}.run`;
    await registerNeurons(io, strs(args, 'neuron'));
    const settings: RunSettings = { io, args, json, model, steps, seed };

    const m = await loadModel(io, model, { validate: true });
    if (m.kind === 'nir') {
      const { errors } = countFindings(m.findings);
      if (!m.graph || errors > 0) {
        for (const f of m.findings)
          if (f.severity === 'error') io.stderr.write(`${formatFinding(model, f)}\n`);
        throw new CliError(
          model,
          `the graph has ${errors || 'decoding'} error${errors === 1 ? '' : 's'}; run 'spark validate ${model}' for details`,
        );
      }
      return writeOutputs(settings, await runNir(settings, m.graph), outDir, format);
    }
    if (m.session)
      throw new CliError(model, 'is an editor session (.sge); export it as a model (.scfg) to run it');
    if (m.document && m.document.type !== 'brain_config') {
      throw new CliError(
        `${model}:__type__`,
        `spark run needs a brain_config, this file holds a ${m.document.type}`,
      );
    }
    const { errors } = countFindings(m.findings);
    if (!m.document || errors > 0) {
      for (const f of m.findings) if (f.severity === 'error') io.stderr.write(`${formatFinding(model, f)}\n`);
      throw new CliError(
        model,
        `the model has ${errors || 'decoding'} error${errors === 1 ? '' : 's'}; run 'spark validate ${model}' for details`,
      );
    }
    return writeOutputs(settings, await runBrain(settings, m.document), outDir, format);
  },
};
