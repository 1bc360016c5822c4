/**
 * Runs a benchmark network from its `.scfg` file, prints its excitatory/inhibitory rates against
 * the expected values of benchmarks.md §1, and writes a spike raster with the population rates
 * (SVG, the `spark run` plotter).
 *
 * Usage: pnpm --filter @spark-snn/examples network cuba|coba|brunel|w4a
 *          [--seconds S] [--backend cpu|webgpu|gpujs|auto] [--out DIR] [--file PATH.scfg]
 *
 * `--file` runs another generated file of that network (e.g. `networks:generate brunel --n 125000`).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rasterSvg } from '@spark-snn/cli';
import { type ConfigDocument, type ModuleSpecs, readScfg } from '@spark-snn/config';
import type { BackendChoice } from '@spark-snn/core';
import { NETWORK_NAMES, type NetworkInfo, type NetworkName, networkConfig } from './configs.ts';
import { NETWORKS_DIR } from './generate.ts';
import { checkRates, type NetworkRun, runNetwork } from './run.ts';

const BACKENDS = ['cpu', 'webgpu', 'gpujs', 'auto'] as const;

/** Parsed command line of the `network` example. */
export interface NetworkArgs {
  readonly name: NetworkName;
  readonly seconds?: number;
  readonly backend: BackendChoice;
  readonly out: string;
  readonly file?: string;
}

/** Parses `NAME [--seconds S] [--backend B] [--out DIR] [--file F]`. */
export function parseNetworkArgs(argv: readonly string[]): NetworkArgs {
  let name: NetworkName | undefined;
  let seconds: number | undefined;
  let backend: BackendChoice = 'cpu';
  let out = 'out';
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--seconds') {
      seconds = Number(value());
      if (!(seconds > 0)) throw new Error('--seconds must be a positive number');
    } else if (a === '--backend') {
      const b = value();
      if (!(BACKENDS as readonly string[]).includes(b))
        throw new Error(`--backend must be one of ${BACKENDS.join(', ')} (got "${b}")`);
      backend = b as BackendChoice;
    } else if (a === '--out') out = value();
    else if (a === '--file') file = value();
    else if (!a.startsWith('-') && name === undefined) {
      if (!(NETWORK_NAMES as readonly string[]).includes(a))
        throw new Error(`unknown network "${a}" (networks: ${NETWORK_NAMES.join(', ')})`);
      name = a as NetworkName;
    } else throw new Error(`unknown argument "${a}"`);
  }
  if (name === undefined) throw new Error(`which network? (${NETWORK_NAMES.join(', ')})`);
  return { name, backend, out, ...(seconds !== undefined ? { seconds } : {}), ...(file ? { file } : {}) };
}

/**
 * The network of a `.scfg` file: its sizes come from the file (`neurons.units`, the `inh` slice
 * start), the expectation and inputs from the generator.
 */
export function networkFromFile(name: NetworkName, path: string): NetworkInfo {
  const r = readScfg(readFileSync(path));
  if (!r.ok) throw new Error(`${path}: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  const doc: ConfigDocument = r.document;
  const modules = doc.config.modules_specs as ModuleSpecs[];
  const find = (m: string) =>
    modules.find((s) => s.name === m)?.config as Record<string, unknown> | undefined;
  // The population size: `neurons.units`, or (W4a: a Spark soma sized by its input) the layer's.
  const units = find('neurons')?.units ?? find('layer')?.units;
  const n = Array.isArray(units) ? (units as number[]).reduce((a, b) => a * b, 1) : Number.NaN;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${path}: no "neurons" (or "layer") module with units`);
  const start = find('inh')?.source_start;
  const nE = typeof start === 'number' && start > 0 ? start : n;
  const base = networkConfig(name, { n });
  return { ...base, document: doc, n, nE };
}

/** One line per population: rate, expectation, verdict. */
export function report(info: NetworkInfo, run: NetworkRun): string[] {
  const check = checkRates(info, run.rates);
  const lines = [
    `${info.name}: ${info.n} neurons, ${run.steps} steps of ${run.dt} ms on ${run.backend} — ` +
      `${run.usPerStep.toFixed(1)} µs/step (build ${run.buildMs.toFixed(0)} ms)`,
  ];
  const range = check
    ? ` (expected ${info.expected!.rate} Hz ± ${info.expected!.tolerance * 100} %: ${check.lo.toFixed(2)}–${check.hi.toFixed(2)})`
    : '';
  const pops =
    run.populations.length > 1
      ? ([
          ['E', run.rates.e],
          ['I', run.rates.i],
        ] as const)
      : ([['all', run.rates.e]] as const);
  for (const [label, rate] of pops) {
    const ok = check ? (rate >= check.lo && rate <= check.hi ? ' ok' : ' OUT OF RANGE') : '';
    lines.push(`  ${label} rate ${rate.toFixed(2)} Hz over t > ${run.skipMs} ms${range}${ok}`);
  }
  if (!check) lines.push('  no rate criterion for this network (W4 compares spike counts across backends)');
  else if (run.steps * run.dt < 1000)
    lines.push('  (shorter than 1 s: the expectations are for ≥ 1 s runs and a mean over seeds)');
  return lines;
}

/** The raster + population-rate SVG of a run. */
export function networkSvg(info: NetworkInfo, run: NetworkRun): string {
  return rasterSvg(
    run.populations.map((p) => ({
      name: p.name,
      steps: run.steps,
      size: p.size,
      events: { steps: p.steps, units: p.units },
    })),
    {
      dt: run.dt,
      title: `${info.name}: ${info.n} neurons, ${(run.steps * run.dt).toFixed(0)} ms on ${run.backend}`,
    },
  );
}

/** Runs the example; returns the lines printed and the SVG path. */
export async function networkMain(
  argv: readonly string[],
): Promise<{ lines: string[]; svg: string; run: NetworkRun }> {
  const args = parseNetworkArgs(argv);
  const info = networkFromFile(args.name, args.file ?? join(NETWORKS_DIR, `${args.name}.scfg`));
  const run = await runNetwork(info, {
    backend: args.backend,
    ...(args.seconds !== undefined ? { ms: args.seconds * 1000 } : {}),
  });
  const lines = report(info, run);
  mkdirSync(args.out, { recursive: true });
  const svg = join(args.out, `${args.name}-raster.svg`);
  writeFileSync(svg, networkSvg(info, run));
  lines.push(`  wrote ${svg}`);
  return { lines, svg, run };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  networkMain(process.argv.slice(2)).then(
    ({ lines }) => console.log(lines.join('\n')),
    (e: unknown) => {
      console.error(`error: ${(e as Error).message}`);
      process.exit(2);
    },
  );
}
