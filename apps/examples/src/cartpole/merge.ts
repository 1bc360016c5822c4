/**
 * Joins the learning curves of runs made in separate processes (e.g. one `cartpole --seed S` per core)
 * into one `curve.csv`, `curve.svg` (one panel per seed, plus an optional reference) and
 * `summary.json` (per seed: first episode at the cap, episodes at the cap among the last 50, speed).
 *
 * Usage: pnpm --filter @spark-snn/examples cartpole:merge --out DIR [--title TEXT] [--cap 500]
 *        [--episodes 150] [--reference CSV --reference-label TEXT] RUN_DIR_OR_CSV...
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CurveRow, type CurveSeries, curveCsv, curveStats, curveSvg, parseCurveCsv } from './curve.ts';

/** Flags of the merge command. */
export interface MergeArgs {
  out: string;
  inputs: string[];
  title: string | undefined;
  cap: number;
  episodes: number | undefined;
  reference: string | undefined;
  referenceLabel: string;
}

/** The flags, for the help and error texts. */
export const MERGE_FLAGS =
  '--out DIR [--title TEXT] [--cap N (500)] [--episodes N] [--reference CSV] [--reference-label TEXT] RUN_DIR_OR_CSV...';

/** Parses the merge command's flags (see {@link MERGE_FLAGS}). */
export function parseMergeArgs(argv: readonly string[]): MergeArgs {
  const a: MergeArgs = {
    out: '',
    inputs: [],
    title: undefined,
    cap: 500,
    episodes: undefined,
    reference: undefined,
    referenceLabel: 'Spark (upstream)',
  };
  const value = (flag: string, v: string | undefined): string => {
    if (!v || v.startsWith('--')) throw new Error(`${flag}: expected a value`);
    return v;
  };
  const int = (flag: string, v: string | undefined): number => {
    const n = Number(value(flag, v));
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: expected an integer ≥ 1, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const v = argv[i + 1];
    if (!flag.startsWith('--')) {
      a.inputs.push(flag);
      continue;
    }
    if (flag === '--out') a.out = value(flag, v);
    else if (flag === '--title') a.title = value(flag, v);
    else if (flag === '--cap') a.cap = int(flag, v);
    else if (flag === '--episodes') a.episodes = int(flag, v);
    else if (flag === '--reference') a.reference = value(flag, v);
    else if (flag === '--reference-label') a.referenceLabel = value(flag, v);
    else throw new Error(`unknown flag ${flag} (flags: ${MERGE_FLAGS})`);
    i += 1;
  }
  if (a.out === '') throw new Error(`--out: required (flags: ${MERGE_FLAGS})`);
  if (a.inputs.length === 0) throw new Error(`no run to merge (flags: ${MERGE_FLAGS})`);
  return a;
}

/** The rows of several runs' CSVs, checked: one run per seed, no seed in two inputs. */
export function mergeCurves(inputs: readonly { name: string; text: string }[]): CurveRow[] {
  const owner = new Map<number, string>();
  const rows: CurveRow[] = [];
  for (const { name, text } of inputs) {
    const own = parseCurveCsv(text, name);
    for (const seed of new Set(own.map((r) => r.seed))) {
      const other = owner.get(seed);
      if (other !== undefined) throw new Error(`${name}: seed ${seed} is also in ${other}`);
      owner.set(seed, name);
    }
    rows.push(...own);
  }
  return rows.sort((x, y) => x.seed - y.seed || x.episode - y.episode);
}

/** Per-seed figures of merged rows (what `summary.json` holds). */
export function seedSummaries(rows: readonly CurveRow[], cap: number) {
  const seeds = [...new Set(rows.map((r) => r.seed))];
  return seeds.map((seed) => {
    const own = rows.filter((r) => r.seed === seed);
    const sum = (f: (r: CurveRow) => number | undefined) => own.reduce((a, r) => a + (f(r) ?? 0), 0);
    const brainSteps = sum((r) => r.brainSteps);
    const cpu = sum((r) => r.cpuMs);
    const ms = sum((r) => r.ms);
    return {
      seed,
      ...curveStats(
        own.map((r) => r.steps),
        cap,
      ),
      envSteps: sum((r) => r.steps),
      brainSteps,
      brainMicrosecondsPerStep: brainSteps > 0 ? (ms * 1000) / brainSteps : null,
      brainCpuMicrosecondsPerStep: brainSteps > 0 && cpu > 0 ? (cpu * 1000) / brainSteps : null,
      lengths: own.map((r) => r.steps),
    };
  });
}

function main(argv: readonly string[]): void {
  const args = parseMergeArgs(argv);
  const read = (path: string) => {
    const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'curve.csv') : path;
    try {
      return { name: file, text: readFileSync(file, 'utf8') };
    } catch (e) {
      throw new Error(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const rows = mergeCurves(args.inputs.map(read));
  const seeds = [...new Set(rows.map((r) => r.seed))];
  const series: CurveSeries[] = seeds.map((s) => ({
    label: `spark-snn · seed ${s}`,
    rows: rows.filter((r) => r.seed === s),
  }));
  if (args.reference) {
    const ref = read(args.reference);
    series.push({ label: args.referenceLabel, rows: parseCurveCsv(ref.text, ref.name) });
  }
  mkdirSync(args.out, { recursive: true });
  writeFileSync(join(args.out, 'curve.csv'), curveCsv(rows));
  writeFileSync(
    join(args.out, 'curve.svg'),
    curveSvg(series, {
      cap: args.cap,
      ...(args.episodes !== undefined ? { episodes: args.episodes } : {}),
      ...(args.title !== undefined ? { title: args.title } : {}),
    }),
  );
  const summary = { inputs: args.inputs, cap: args.cap, seeds: seedSummaries(rows, args.cap) };
  writeFileSync(join(args.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  for (const s of summary.seeds)
    console.log(
      `seed ${s.seed}: ${s.episodes} episodes, first at the cap: ${s.firstCap ?? 'never'} (best ${s.best}), ` +
        `${s.capsInLast50} of the last ${Math.min(50, s.episodes)} at the cap`,
    );
  console.log(`wrote ${join(args.out, 'curve.csv')}, curve.svg, summary.json`);
}

if (process.argv[1]?.endsWith('merge.ts')) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
