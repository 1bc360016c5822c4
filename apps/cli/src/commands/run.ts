/**
 * `spark run MODEL`: simulate a Spark brain (nn package, any backend) or a NIR graph (graph
 * package's float64 reference simulator) for N steps and write the recordings: NPY/NPZ, a CSV
 * summary, an SVG raster with the population rate, SVG traces and a run.json manifest.
 *
 * @module
 */

import { basename, join } from 'node:path';
import type { ConfigDocument, ModuleSpecs } from '@spark-snn/config';
import type { NirGraph } from '@spark-snn/graph';
import {
  bytesOption,
  type Command,
  flag,
  intOption,
  MEMORY_BUDGET_OPTION,
  type Parsed,
  str,
  strs,
} from '../command.ts';
import { CliError, EXIT, messageOf, UsageError } from '../errors.ts';
import { rasterSvg, tracesSvg } from '../formats/svg.ts';
import { type InputSource, parseInputs } from '../inputs.ts';
import { type Io, resolvePath } from '../io.ts';
import { countIssues, formatIssue, loadModel, registerNeurons, registryFor } from '../model.ts';
import { createProgress } from '../progress.ts';
import {
  prepareOutDir,
  type RecordingFormat,
  RecordingWriter,
  recordingBytes,
  type SeriesSpec,
  type SeriesSummary,
  type WrittenRecording,
} from '../recording.ts';

const BACKENDS = ['auto', 'webgpu', 'gpujs', 'cpu'] as const;
const FORMATS = ['npy', 'npz', 'safetensors'] as const;
const NIR_METHODS = ['euler', 'exact', 'exact-decay'] as const;
const NIR_RESETS = ['value', 'subtract'] as const;
/** NIR node types whose output is a spike train. */
const NIR_SPIKING = new Set(['LIF', 'CubaLIF', 'IF', 'Threshold']);
/** Largest NIR time step accepted, in seconds (a spiking network steps in ms or less). */
const MAX_NIR_DT_S = 1;

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
  const list = strs(args, 'record')
    .flatMap((r) => r.split(','))
    .map((r) => r.trim())
    .filter((r) => r.length > 0);
  for (const r of list) {
    if (r === '__proto__' || r in Object.prototype)
      throw new UsageError(
        '--record',
        `"${r}" is not a port (expected module.port or module/component/state)`,
      );
  }
  return list;
}

/** What every simulation path hands to the summary. */
interface RunResult {
  written: WrittenRecording;
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
  outDir: string;
  format: RecordingFormat;
  /** Bytes; undefined = the default budget (half of the machine's memory). */
  memoryBudget: number | undefined;
}

/** The memory budget in force: the option, else the config package's default. */
async function budgetOf(s: RunSettings): Promise<{ bytes: number; text: string }> {
  if (s.memoryBudget !== undefined) return { bytes: s.memoryBudget, text: '--memory-budget' };
  const { defaultMemoryBudget } = await import('@spark-snn/config');
  const d = defaultMemoryBudget();
  return { bytes: d.bytes, text: d.description };
}

/**
 * Refuses, before the run, a recording that cannot be held: in-memory formats (npz, safetensors,
 * and NIR's simulator, which returns whole traces) against the memory budget, streamed `.npy`
 * against the free space of the output directory's file system.
 */
async function checkRecordingBudget(
  s: RunSettings,
  series: readonly SeriesSpec[],
  bytesPerValue: number,
  inMemory: boolean,
): Promise<void> {
  const { formatBytes } = await import('@spark-snn/config');
  const need = recordingBytes(s.steps, series, bytesPerValue);
  const what = `recording ${series.length} port${series.length === 1 ? '' : 's'} for ${s.steps} steps needs ${formatBytes(need)}`;
  if (inMemory) {
    const budget = await budgetOf(s);
    if (need > budget.bytes)
      throw new CliError(
        '--steps',
        `${what} in memory, more than ${budget.text} (${formatBytes(budget.bytes)})`,
        {
          hint:
            s.format === 'npy'
              ? 'record fewer ports or steps, or raise --memory-budget'
              : 'use --format npy (streamed to disk), record fewer ports or steps, or raise --memory-budget',
        },
      );
    return;
  }
  const free = await s.io.freeBytes(resolvePath(s.io, s.outDir));
  if (free !== undefined && need > free)
    throw new CliError('--steps', `${what} on disk, only ${formatBytes(free)} is free in ${s.outDir}`, {
      hint: 'record fewer ports or steps, or write elsewhere with --out',
    });
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
      for (const i of e.issues) io.stderr.write(`${formatIssue(model, i)}\n`);
      throw new CliError(
        e.path ? `${model}:${e.path}` : model,
        e.issues.length > 1
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
    ...(s.memoryBudget !== undefined ? { memoryBudget: s.memoryBudget } : {}),
  }).catch(fail);
  try {
    const names = Object.keys(brain.inputPayloads);
    const sources = await parseInputs(io, strs(args, 'input'), names, { steps, dt, seed: s.seed });
    const shapes: Record<string, number[]> = {};
    for (const src of sources) shapes[src.name] = [src.size];
    await brain.build(shapes).catch(fail);
    // zero steps: resolves every port (a bad name fails here) and gives its shape
    const probe = await brain.run({ steps: 0, record: ports }).catch(fail);
    const specs: SeriesSpec[] = ports.map((port) => ({ port, shape: [...probe.series[port]!.shape] }));
    await checkRecordingBudget(s, specs, 4, s.format !== 'npy');
    const writer = await RecordingWriter.open(io, s.outDir, s.format, steps, specs);
    const progress = createProgress(io, 'steps', progressOn);
    const t0 = io.now();
    await brain
      .run({
        steps,
        chunk,
        record: ports,
        inputs: (start, count) => Object.fromEntries(sources.map((x) => [x.name, x.chunk(start, count)])),
        onProgress: (done, total) => progress.update(done, total),
        onRecord: (c) =>
          writer.append(
            c.count,
            Object.fromEntries(Object.entries(c.series).map(([port, x]) => [port, x.data])),
          ),
      })
      .catch(fail);
    const seconds = (io.now() - t0) / 1000;
    progress.finish();
    const info = brain.backend;
    return {
      written: await writer.finish(dt, metadataOf(s, dt)),
      dtMs: dt,
      backend: info ? { kind: info.kind, description: info.description, reason: info.reason } : null,
      sources,
      ports,
      seconds,
    };
  } finally {
    brain.destroy();
  }
}

/** Metadata of a safetensors recording. */
function metadataOf(s: RunSettings, dtMs: number): Record<string, string> {
  return {
    format: 'spark-snn-recording',
    model: basename(s.model),
    steps: String(s.steps),
    dt_ms: String(dtMs),
  };
}

/** The NIR time step in seconds: `--dt` or the graph's metadata, finite and at most {@link MAX_NIR_DT_S}. */
function nirDt(args: Parsed, g: NirGraph): number {
  const dtRaw = str(args, 'dt');
  const check = (dt: number, where: string, raw: string): number => {
    if (!Number.isFinite(dt) || dt <= 0)
      throw new UsageError(where, `expected a positive number of seconds, got "${raw}"`);
    if (dt > MAX_NIR_DT_S)
      throw new UsageError(
        where,
        `${raw} s is not a usable time step (at most ${MAX_NIR_DT_S} s; NIR time is in seconds, e.g. 1e-4)`,
      );
    return dt;
  };
  if (dtRaw !== undefined) return check(Number(dtRaw), '--dt', dtRaw);
  if (typeof g.metadata?.dt === 'number') return check(g.metadata.dt, 'metadata.dt', String(g.metadata.dt));
  throw new UsageError(
    '--dt',
    'missing: this NIR graph has no dt metadata; give the time step in seconds (e.g. --dt 1e-4)',
  );
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
  const dt = nirDt(args, g);
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
  // The simulator returns whole traces (output, v, i of every node) in float64.
  const all: SeriesSpec[] = [...nodes.values()].map((n) => ({
    port: '',
    shape: [3 * graph.nirNodeSize(n)],
  }));
  await checkRecordingBudget(s, all, 8, true);
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
    for (const d of sim.diagnostics) io.stderr.write(`${formatIssue(model, d)}\n`);
    throw new CliError(model, `the simulation failed (${simErrors.length} errors)`);
  }
  const specs: SeriesSpec[] = [];
  const data: Record<string, Float64Array> = {};
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
    const values =
      field === 'output' ? trace.output : field === 'v' ? trace.v : field === 'i' ? trace.i : undefined;
    if (!values) {
      const has = ['output', ...(trace.v ? ['v'] : []), ...(trace.i ? ['i'] : [])];
      throw new CliError(
        `${model}:${port}`,
        `node "${name}" has no "${field}" (record ${has.map((h) => (h === 'output' ? name : `${name}/${h}`)).join(', ')})`,
      );
    }
    const type = nodes.get(name)?.type ?? '';
    specs.push({ port, shape: [trace.size], spikes: field === 'output' && NIR_SPIKING.has(type) });
    data[port] = values;
  }
  const writer = await RecordingWriter.open(io, s.outDir, s.format, steps, specs, true);
  await writer.append(steps, data);
  return {
    written: await writer.finish(dt * 1000, metadataOf(s, dt * 1000)),
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

async function writeOutputs(s: RunSettings, r: RunResult): Promise<number> {
  const { io, args, json, model, steps, outDir } = s;
  const { written, dtMs } = r;
  const summary = written.summary;
  const files = [...written.files];
  const put = async (name: string, data: Uint8Array | string) => {
    const path = join(outDir, name);
    try {
      await io.writeFile(resolvePath(io, path), data);
    } catch (e) {
      throw new CliError(path, `cannot write: ${messageOf(e)}`);
    }
    files.push(path);
  };
  await put('summary.csv', summaryCsv(summary));
  if (!flag(args, 'no-plots')) {
    const dtText = `dt ${Number(dtMs.toPrecision(6))} ms`;
    const part = (shown: number) => (shown < steps ? `first ${shown} of ${steps} steps` : `${steps} steps`);
    if (written.spikes.length > 0) {
      await put(
        'raster.svg',
        rasterSvg(written.spikes, {
          dt: dtMs,
          title: `${basename(model)}: spikes (${part(written.rasterSteps)}, ${dtText})`,
        }),
      );
    }
    if (written.traces.length > 0)
      await put(
        'traces.svg',
        tracesSvg(written.traces, {
          dt: dtMs,
          title: `${basename(model)}: traces${written.traceSteps < steps ? ` (${part(written.traceSteps)})` : ''}`,
        }),
      );
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
    'memory-budget': MEMORY_BUDGET_OPTION,
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
    const memoryBudget = bytesOption(args, 'memory-budget');
    await registerNeurons(io, strs(args, 'neuron'));
    const settings: RunSettings = { io, args, json, model, steps, seed, outDir, format, memoryBudget };

    const m = await loadModel(io, model, { validate: true, memoryBudget });
    if (m.kind === 'nir') {
      const { errors } = countIssues(m.findings);
      if (!m.graph || errors > 0) {
        for (const f of m.findings) if (f.severity === 'error') io.stderr.write(`${formatIssue(model, f)}\n`);
        throw new CliError(
          model,
          `the graph has ${errors || 'decoding'} error${errors === 1 ? '' : 's'}; run 'spark validate ${model}' for details`,
        );
      }
      // before anything runs: an unwritable --out fails now, not after the simulation
      await prepareOutDir(io, outDir);
      return writeOutputs(settings, await runNir(settings, m.graph));
    }
    if (m.session)
      throw new CliError(model, 'is an editor session (.sge); export it as a model (.scfg) to run it');
    if (m.document && m.document.type !== 'brain_config') {
      throw new CliError(
        `${model}:__type__`,
        `spark run needs a brain_config, this file holds a ${m.document.type}`,
      );
    }
    const { errors } = countIssues(m.findings);
    if (!m.document || errors > 0) {
      for (const f of m.findings) if (f.severity === 'error') io.stderr.write(`${formatIssue(model, f)}\n`);
      throw new CliError(
        model,
        `the model has ${errors || 'decoding'} error${errors === 1 ? '' : 's'}; run 'spark validate ${model}' for details`,
      );
    }
    await prepareOutDir(io, outDir);
    return writeOutputs(settings, await runBrain(settings, m.document));
  },
};
