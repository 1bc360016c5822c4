/**
 * The learning curve of a CartPole training run: one row per episode as CSV, the figures the issue
 * asks for (first episode at the cap, episodes at the cap among the last 50) and an SVG drawn like
 * the tutorial notebook's plot — episode lengths (dotted), their EMA (purple) and a marker per
 * episode for how it ended (pole fell ×, out of bounds ▼, truncation at the cap ★), one panel per
 * run. Pure functions: the same code writes the files in Node/Deno and draws the page's live curve.
 *
 * @module
 */
import { axis, escapeXml, legendEntry, polylinePoints, svgDocument } from '@spark-snn/core';
import type { CartPoleAgent } from './agent.ts';

/** How an episode ended, as the notebook's plot marks it. */
export type Outcome = 'pole_fell' | 'out_of_bounds' | 'truncated';

/** One episode of a run. */
export interface CurveRow {
  /** Seed of the run (the environment's seed; 42 for Gymnasium's starts). */
  readonly seed: number;
  /** 1-based episode. */
  readonly episode: number;
  /** Environment steps survived. */
  readonly steps: number;
  readonly outcome: Outcome;
  /** EMA of the episode lengths after this episode (the notebook's α = 0.8). */
  readonly ema: number;
  /** Modulation scale the episode ran with. */
  readonly modulationScale?: number;
  /** Brain steps of the episode (warm-up and replay included). */
  readonly brainSteps?: number;
  /** Wall-clock milliseconds of the episode. */
  readonly ms?: number;
  /** Process CPU milliseconds of the episode (where the runtime reports it). */
  readonly cpuMs?: number;
}

const COLUMNS = [
  'seed',
  'episode',
  'steps',
  'outcome',
  'ema',
  'modulation_scale',
  'brain_steps',
  'ms',
  'cpu_ms',
];
const REQUIRED = ['seed', 'episode', 'steps', 'outcome', 'ema'];
const OUTCOMES: readonly Outcome[] = ['pole_fell', 'out_of_bounds', 'truncated'];

/** The outcome of an episode from its flags (truncation wins, as the notebook marks lengths of 500). */
export function outcomeOf(r: { truncated: boolean; outOfBounds: boolean }): Outcome {
  return r.truncated ? 'truncated' : r.outOfBounds ? 'out_of_bounds' : 'pole_fell';
}

/** The row of an episode result of {@link CartPoleAgent.runEpisode} (0-based `episode`). */
export function episodeRow(
  seed: number,
  r: {
    readonly episode: number;
    readonly steps: number;
    readonly truncated: boolean;
    readonly outOfBounds: boolean;
    readonly ema: number;
    readonly modulationScale: number;
    readonly brainSteps: number;
    readonly ms: number;
  },
  cpuMs?: number,
): CurveRow {
  return {
    seed,
    episode: r.episode + 1,
    steps: r.steps,
    outcome: outcomeOf(r),
    ema: r.ema,
    modulationScale: r.modulationScale,
    brainSteps: r.brainSteps,
    ms: r.ms,
    ...(cpuMs === undefined ? {} : { cpuMs }),
  };
}

/** The CSV header line (no newline). */
export const CURVE_CSV_HEADER = COLUMNS.join(',');

/** One CSV line of a row (no newline); empty cells for what the row does not have. */
export function curveCsvLine(r: CurveRow): string {
  const opt = (v: number | undefined, digits: number) => (v === undefined ? '' : v.toFixed(digits));
  return [
    r.seed,
    r.episode,
    r.steps,
    r.outcome,
    r.ema.toFixed(6),
    opt(r.modulationScale, 9),
    r.brainSteps ?? '',
    opt(r.ms, 1),
    opt(r.cpuMs, 1),
  ].join(',');
}

/** The whole CSV of rows (header first, one line per episode, trailing newline). */
export function curveCsv(rows: readonly CurveRow[]): string {
  return `${[CURVE_CSV_HEADER, ...rows.map(curveCsvLine)].join('\n')}\n`;
}

/**
 * Parses a learning-curve CSV (ours or the Spark peer's: any column order, the columns `seed`,
 * `episode`, `steps`, `outcome`, `ema` required). Errors name the line and column.
 */
export function parseCurveCsv(text: string, name = 'curve.csv'): CurveRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new Error(`${name}: empty file`);
  const header = lines[0]!.split(',').map((h) => h.trim());
  for (const c of REQUIRED)
    if (!header.includes(c)) throw new Error(`${name}:1: missing column "${c}" (header: ${lines[0]})`);
  const at = (c: string) => header.indexOf(c);
  return lines.slice(1).map((line, k) => {
    const cells = line.split(',');
    const where = `${name}:${k + 2}`;
    if (cells.length !== header.length)
      throw new Error(`${where}: ${cells.length} cells, the header has ${header.length}`);
    const num = (c: string, integer: boolean): number | undefined => {
      const i = at(c);
      if (i < 0 || cells[i] === '') return undefined;
      const v = Number(cells[i]);
      if (!Number.isFinite(v) || (integer && !Number.isInteger(v)))
        throw new Error(
          `${where}: column ${c}: expected ${integer ? 'an integer' : 'a number'}, got "${cells[i]}"`,
        );
      return v;
    };
    const need = (c: string, integer: boolean): number => {
      const v = num(c, integer);
      if (v === undefined) throw new Error(`${where}: column ${c} is empty`);
      return v;
    };
    const outcome = cells[at('outcome')] as Outcome;
    if (!OUTCOMES.includes(outcome))
      throw new Error(`${where}: column outcome: expected one of ${OUTCOMES.join(', ')}, got "${outcome}"`);
    const optional = {
      modulationScale: num('modulation_scale', false),
      brainSteps: num('brain_steps', true),
      ms: num('ms', false),
      cpuMs: num('cpu_ms', false),
    };
    return {
      seed: need('seed', true),
      episode: need('episode', true),
      steps: need('steps', true),
      outcome,
      ema: need('ema', false),
      ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    } as CurveRow;
  });
}

/** The figures of one run. */
export interface CurveStats {
  readonly episodes: number;
  /** 1-based episode that first reached the cap, or null. */
  readonly firstCap: number | null;
  /** Episodes at the cap among the last 50 (or among all, when fewer). */
  readonly capsInLast50: number;
  /** Longest episode. */
  readonly best: number;
  /** Mean length of the last 10 episodes. */
  readonly meanLast10: number;
}

/** Figures of a run from its episode lengths. */
export function curveStats(lengths: readonly number[], cap: number): CurveStats {
  const firstIndex = lengths.findIndex((s) => s >= cap);
  const last10 = lengths.slice(-10);
  return {
    episodes: lengths.length,
    firstCap: firstIndex < 0 ? null : firstIndex + 1,
    capsInLast50: lengths.slice(-50).filter((s) => s >= cap).length,
    best: lengths.reduce((a, s) => Math.max(a, s), 0),
    meanLast10: last10.length > 0 ? last10.reduce((a, s) => a + s, 0) / last10.length : 0,
  };
}

/** One panel of the plot. */
export interface CurveSeries {
  /** Panel title prefix, e.g. "spark-snn · seed 42". */
  readonly label: string;
  readonly rows: readonly CurveRow[];
}

/** Options of {@link curveSvg}. */
export interface CurveSvgOptions {
  /** Episode-length cap (the y range). Default 500. */
  readonly cap?: number;
  /** Episodes on the x axis (default: the longest series). */
  readonly episodes?: number;
  /** Title above the panels. */
  readonly title?: string;
  /** Width in px (default 900). */
  readonly width?: number;
  /** Height of one panel in px (default 230). */
  readonly panelHeight?: number;
}

const COLORS = {
  line: '#1f77b4',
  ema: '#9467bd',
  pole_fell: '#d62728',
  out_of_bounds: '#ff7f0e',
  truncated: '#2ca02c',
};

const f1 = (v: number) => (Math.round(v * 10) / 10).toString();
/** A marker of the plot's `<defs>` at `(x, y)`. */
const marker = (id: string) => (x: number, y: number) => `<use href="#${id}" x="${f1(x)}" y="${f1(y)}"/>`;

/** The notebook's plot as SVG text, one panel per series. */
export function curveSvg(series: readonly CurveSeries[], options: CurveSvgOptions = {}): string {
  const cap = options.cap ?? 500;
  const W = options.width ?? 900;
  const PH = options.panelHeight ?? 230;
  const episodes = Math.max(options.episodes ?? 0, ...series.map((s) => s.rows.length), 1);
  const top = options.title ? 56 : 34;
  const H = top + series.length * PH + 10;
  const left = 52;
  const right = W - 16;
  const defs = [
    `<path id="pole_fell" d="M-3.5,-3.5L3.5,3.5M-3.5,3.5L3.5,-3.5" stroke="${COLORS.pole_fell}" stroke-width="1.6"/>`,
    `<path id="out_of_bounds" d="M-4,-3L4,-3L0,4Z" fill="${COLORS.out_of_bounds}"/>`,
    `<path id="truncated" d="M0,-5L1.2,-1.6L4.8,-1.5L1.9,0.6L2.9,4L0,2L-2.9,4L-1.9,0.6L-4.8,-1.5L-1.2,-1.6Z" fill="${COLORS.truncated}"/>`,
  ];
  const out: string[] = [];
  if (options.title)
    out.push(`<text x="${left}" y="20" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`);
  const ly = top - 14;
  const legend: [Outcome, string][] = [
    ['pole_fell', 'pole fell'],
    ['out_of_bounds', 'out of bounds'],
    ['truncated', `truncation (${cap})`],
  ];
  const line = (style: string) => ({
    svg: (x: number, y: number) => `<line x1="${x}" y1="${y}" x2="${x + 20}" y2="${y}" ${style}/>`,
    width: 21,
  });
  let lx = left;
  for (const [id, text] of legend) {
    out.push(legendEntry(lx, ly, text, { svg: (x, y) => marker(id)(x + 5, y) }));
    lx += 24 + text.length * 6.3;
  }
  out.push(
    legendEntry(lx, ly, 'length', line(`stroke="${COLORS.line}" stroke-dasharray="2,2" opacity="0.6"`)),
  );
  lx += 75;
  out.push(legendEntry(lx, ly, 'EMA (α 0.8)', line(`stroke="${COLORS.ema}" stroke-width="2"`)));

  series.forEach((s, k) => {
    const y0 = top + k * PH + 22; // plot area top
    const y1 = top + (k + 1) * PH - 30; // plot area bottom
    const X = (e: number) => left + ((e - 1 + 0.5) / episodes) * (right - left);
    const Y = (v: number) => y1 - (Math.min(v, cap) / cap) * (y1 - y0);
    const stats = curveStats(
      s.rows.map((r) => r.steps),
      cap,
    );
    const head =
      `${s.label} — ${stats.firstCap === null ? `never at ${cap} (best ${stats.best})` : `first ${cap} at episode ${stats.firstCap}`}` +
      `, ${stats.capsInLast50} of the last ${Math.min(50, stats.episodes)} at the cap`;
    out.push(`<text x="${left}" y="${y0 - 8}" font-weight="bold">${escapeXml(head)}</text>`);
    const tick = episodes > 100 ? 25 : episodes > 40 ? 10 : episodes > 10 ? 5 : 1;
    out.push(
      axis({
        side: 'left',
        at: left,
        ticks: Array.from({ length: 6 }, (_, i) => (i * cap) / 5),
        position: Y,
        tickLength: 0,
        grid: right,
        gridStyle: 'stroke="#000" stroke-opacity="0.12"',
      }),
      axis({
        side: 'bottom',
        at: y1,
        line: [left, right],
        ticks: Array.from({ length: Math.floor(episodes / tick) }, (_, i) => (i + 1) * tick),
        position: X,
      }),
      `<text x="14" y="${f1((y0 + y1) / 2)}" transform="rotate(-90 14 ${f1((y0 + y1) / 2)})" text-anchor="middle" font-weight="bold"># steps</text>`,
    );
    if (k === series.length - 1)
      out.push(
        `<text x="${f1((left + right) / 2)}" y="${y1 + 28}" text-anchor="middle" font-weight="bold">episode</text>`,
      );
    if (s.rows.length === 0) return;
    const pts = (v: (r: CurveRow) => number) =>
      polylinePoints(s.rows.map((r): [number, number] => [X(r.episode), Y(v(r))]));
    out.push(
      `<polyline points="${pts((r) => r.steps)}" fill="none" stroke="${COLORS.line}" stroke-dasharray="2,2" opacity="0.6"/>`,
      `<polyline points="${pts((r) => r.ema)}" fill="none" stroke="${COLORS.ema}" stroke-width="2" opacity="0.85"/>`,
    );
    for (const r of s.rows) out.push(marker(r.outcome)(X(r.episode), Y(r.steps)));
  });
  return svgDocument(
    { width: W, height: H, title: options.title ?? 'CartPole learning curves', fontSize: 12, defs },
    out,
  );
}
