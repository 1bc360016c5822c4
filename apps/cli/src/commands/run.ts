/**
 * `spark run MODEL.scfg`: simulate a brain for N steps and write the recordings (NPY/NPZ, a CSV
 * summary, an SVG raster with the population rate, SVG traces, and a run.json manifest).
 *
 * @module
 */

import { basename, join } from 'node:path';
import type { ConfigDocument, ModuleSpecs } from '@spark-snn/config';
import type { Recording } from '@spark-snn/nn';
import { type Command, flag, intOption, str, strs } from '../command.ts';
import { CliError, EXIT, messageOf, UsageError } from '../errors.ts';
import { encodeNpy, encodeNpz } from '../formats/npy.ts';
import { type PlotSeries, rasterSvg, tracesSvg } from '../formats/svg.ts';
import { parseInputs } from '../inputs.ts';
import {
  countFindings,
  formatFinding,
  loadModel,
  registerNeurons,
  registryFor,
  writeUserFile,
} from '../model.ts';
import { createProgress } from '../progress.ts';

const BACKENDS = ['auto', 'webgpu', 'gpujs', 'cpu'] as const;

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

function isSpikes(port: string, data: Float32Array): boolean {
  if (!/spike/i.test(port)) return false;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v !== 0 && v !== 1 && v !== -1) return false;
  }
  return true;
}

/** Summaries of a recording. `dt` in ms. */
export function summarize(rec: Recording, dt: number): SeriesSummary[] {
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
    const spikes = isSpikes(port, s.data);
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

/** Default recording: every port a module exposes as a brain output. */
export function defaultRecord(doc: ConfigDocument): string[] {
  const specs = (doc.config.modules_specs ?? []) as ModuleSpecs[];
  const out: string[] = [];
  for (const m of specs) for (const port of Object.values(m.outputs ?? {})) out.push(`${m.name}.${port}`);
  return [...new Set(out)];
}

export const runCommand: Command = {
  name: 'run',
  summary: 'simulate a brain and write recordings (NPY/NPZ, CSV summary, SVG raster and rates)',
  usage: [
    'run MODEL --steps N [--backend auto|webgpu|gpujs|cpu] [--input [NAME=]FILE|GENERATOR]... [--record PORTS]... [--out DIR]',
  ],
  description: [
    'Compiles MODEL (a brain_config .scfg or .json) with the nn package and runs it for N steps.',
    'Every brain input needs an --input: a file (.npy steps×size or size, .csv rows = steps, .json',
    'rows) or a generator:',
    '  const:V[,V...]                  the same values every step (the list gives the size)',
    '  uniform:LOW:HIGH:SIZE           uniform random values (seeded by --seed)',
    '  poisson:RATE_HZ:SIZE            0/1 spikes with p = rate·dt (seeded by --seed)',
    '  sine:AMPLITUDE:PERIOD_MS:SIZE[:OFFSET]',
    'or one JSON object for all inputs: --input inputs.json with {"NAME": generator | [values] | [[row], ...]}.',
    'Ports to record are module.port (pool.out_spikes) or state paths (pool/soma/potential), comma',
    'separated or repeated; default: the ports the brain exposes as outputs.',
    '',
    'Written to DIR: PORT.npy per recorded port (float32, shape [steps, ...]) or recording.npz with',
    '--format npz, summary.csv (spike counts, mean rates, min/max/mean), raster.svg (spike raster',
    'with population rate), traces.svg (continuous ports) and run.json (what ran, on which backend).',
    'A progress bar with ETA is shown on stderr when stdout is a terminal.',
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
      value: 'npy|npz',
      description: 'one .npy per port, or one recording.npz',
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
      defaultText: 'min(1000, steps/50)',
    },
    neuron: {
      type: 'string',
      multiple: true,
      value: 'FILE',
      description: 'register a neuron_config .scfg as a custom neuron first',
    },
    'no-plots': { type: 'boolean', description: 'skip the SVG plots' },
    'no-progress': { type: 'boolean', description: 'never draw the progress bar' },
  },
  positionals: { min: 1, max: 1, names: 'MODEL' },
  examples: [
    'spark run model.scfg --steps 1000 --input drive=const:100,250,400 --record soma.spikes --out out/',
    'spark run model.scfg -n 5000 -b cpu -i poisson:20:64 -r pool.out_spikes,pool/soma/potential',
    'spark run model.scfg -n 200 -i stimulus.npy --json',
  ],
  async run({ io, args, json }) {
    const [model] = args.positionals as [string];
    if (str(args, 'steps') === undefined)
      throw new UsageError('--steps', 'missing (how many steps to simulate)');
    const steps = intOption(args, 'steps', 1);
    const backend = (str(args, 'backend') ?? 'auto') as (typeof BACKENDS)[number];
    if (!BACKENDS.includes(backend))
      throw new UsageError('--backend', `unknown backend "${backend}" (one of ${BACKENDS.join(', ')})`);
    const format = str(args, 'format') ?? 'npy';
    if (format !== 'npy' && format !== 'npz')
      throw new UsageError('--format', `expected npy or npz, got "${format}"`);
    const seed = intOption(args, 'seed', 0, 0);
    const chunk = intOption(args, 'chunk', Math.max(1, Math.min(1000, Math.ceil(steps / 50))));
    const outDir = str(args, 'out') ?? `${basename(model).replace(/\.[^.]*$/, '')}.run`;
    await registerNeurons(io, strs(args, 'neuron'));

    const m = await loadModel(io, model, { validate: true });
    if (m.kind !== 'config')
      throw new CliError(
        model,
        'spark run simulates Spark brains (.scfg/.json); NIR graphs are not runnable here yet',
      );
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
    const doc = m.document;
    const dt = typeof doc.config.dt === 'number' ? doc.config.dt : 1;
    const record = strs(args, 'record')
      .flatMap((r) => r.split(','))
      .map((r) => r.trim())
      .filter((r) => r.length > 0);
    const ports = record.length > 0 ? record : defaultRecord(doc);

    const nn = await import('@spark-snn/nn');
    const fail = (e: unknown): never => {
      if (e instanceof CliError) throw e;
      if (e instanceof nn.BrainError) {
        for (const i of e.issues)
          io.stderr.write(
            `${formatFinding(model, { severity: i.severity, code: i.code, path: i.path, message: i.message, ...(i.hint ? { hint: i.hint } : {}) })}\n`,
          );
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
      const sources = await parseInputs(io, strs(args, 'input'), names, { steps, dt, seed });
      const shapes: Record<string, number[]> = {};
      for (const s of sources) shapes[s.name] = [s.size];
      await brain.build(shapes).catch(fail);
      const progress = createProgress(io, 'steps', !json && !flag(args, 'no-progress'));
      const t0 = io.now();
      const rec = await brain
        .run({
          steps,
          chunk,
          record: ports,
          inputs: (start, count) => Object.fromEntries(sources.map((s) => [s.name, s.chunk(start, count)])),
          onProgress: (done, total) => progress.update(done, total),
        })
        .catch(fail);
      progress.finish();
      const seconds = (io.now() - t0) / 1000;
      const summary = summarize(rec, dt);
      const files: string[] = [];
      const put = async (name: string, data: Uint8Array | string) => {
        await writeUserFile(io, join(outDir, name), data);
        files.push(join(outDir, name));
      };
      if (format === 'npz') {
        const arrays: Record<string, { data: Float32Array; shape: number[] }> = {};
        for (const [port, s] of Object.entries(rec.series))
          arrays[port] = { data: s.data, shape: [rec.steps, ...s.shape] };
        await put('recording.npz', encodeNpz(arrays));
        for (const r of summary) r.file = `recording.npz:${r.port}.npy`;
      } else {
        for (const [port, s] of Object.entries(rec.series))
          await put(`${portFileName(port)}.npy`, encodeNpy(s.data, [rec.steps, ...s.shape]));
      }
      await put('summary.csv', summaryCsv(summary));
      if (!flag(args, 'no-plots')) {
        const plot = (k: 'spikes' | 'trace'): PlotSeries[] =>
          summary
            .filter((r) => r.kind === k)
            .map((r) => ({ name: r.port, steps: rec.steps, size: r.size, data: rec.series[r.port]!.data }));
        const spikes = plot('spikes');
        const traces = plot('trace');
        if (spikes.length > 0)
          await put(
            'raster.svg',
            rasterSvg(spikes, { dt, title: `${basename(model)}: spikes (${steps} steps, dt ${dt} ms)` }),
          );
        if (traces.length > 0)
          await put('traces.svg', tracesSvg(traces, { dt, title: `${basename(model)}: traces` }));
      }
      const info = brain.backend;
      const manifest = {
        ok: true,
        command: 'run',
        model,
        steps,
        dt_ms: dt,
        seed,
        backend: info ? { kind: info.kind, description: info.description, reason: info.reason } : null,
        inputs: Object.fromEntries(sources.map((s) => [s.name, { spec: s.spec, size: s.size }])),
        record: ports,
        seconds,
        stepsPerSecond: seconds > 0 ? steps / seconds : null,
        summary,
        files: [...files, join(outDir, 'run.json')],
      };
      await put('run.json', `${JSON.stringify(manifest, null, 2)}\n`);
      if (json) {
        io.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
      } else {
        io.stdout.write(
          `ran ${model}: ${steps} steps (dt ${dt} ms) on ${info?.kind ?? '?'} in ${seconds.toFixed(2)} s${info?.reason ? ` — ${info.reason}` : ''}\n`,
        );
        for (const r of summary) {
          io.stdout.write(
            r.kind === 'spikes'
              ? `  ${r.port} [${r.shape.join('x')}]: ${r.spikes} spikes, mean rate ${r.meanRateHz!.toFixed(2)} Hz\n`
              : `  ${r.port} [${r.shape.join('x')}]: min ${r.min.toPrecision(4)}, max ${r.max.toPrecision(4)}, mean ${r.mean.toPrecision(4)}\n`,
          );
        }
        io.stdout.write(`wrote ${files.length} files to ${outDir}\n`);
      }
      return EXIT.ok;
    } finally {
      brain.destroy();
    }
  },
};
