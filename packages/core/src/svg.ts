/**
 * A small SVG writer for plots (no dependency): the document with its accessible title, axes with
 * ticks, labels and optional grid lines, "nice" tick values, polylines and legend swatches. The
 * plots of spark-snn (the CLI's rasters and traces, the benchmark scaling plot, the CartPole learning
 * curves) are drawn with it, so they share one look and one escaping rule.
 *
 * @module
 */

/** Line colours of the plots (matplotlib's tab10, in the order series take them). */
export const PLOT_COLOURS: readonly string[] = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#17becf',
  '#8c564b',
  '#e377c2',
];

/** `text` with `& < > "` escaped, for SVG text content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A tick label: integers as they are, other values with at most two decimals (`0.5`, `1.25`). */
export function formatTick(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2).replace(/\.?0+$/, '');
}

/** "Nice" tick values (steps of 1, 2 or 5 × 10^k) covering `[lo, hi]`, about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

/** Options of {@link svgDocument}. */
export interface SvgDocumentOptions {
  readonly width: number;
  readonly height: number;
  /** The accessible name (`<title>`). */
  readonly title: string;
  /** Default font size in px (default 11). */
  readonly fontSize?: number;
  /** Content of `<defs>` (markers used with `<use href>`), if any. */
  readonly defs?: readonly string[];
}

/**
 * A complete SVG document: `width × height` on a white background, sans-serif text, the `<title>`,
 * then `body` (one element or group per entry, each on its own line), with a trailing newline.
 */
export function svgDocument(o: SvgDocumentOptions, body: readonly string[]): string {
  const { width: w, height: h } = o;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="${o.fontSize ?? 11}" role="img">`,
    `<title>${escapeXml(o.title)}</title>`,
    ...(o.defs ? ['<defs>', ...o.defs, '</defs>'] : []),
    `<rect width="${w}" height="${h}" fill="#fff"/>`,
    ...body,
    '</svg>\n',
  ].join('\n');
}

/** The `points` attribute of a polyline through `[x, y]` pixel positions (0.1 px). */
export function polylinePoints(points: Iterable<readonly [number, number]>): string {
  const out: string[] = [];
  for (const [x, y] of points) out.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  return out.join(' ');
}

/** Options of {@link axis}. */
export interface AxisOptions {
  /** `bottom`: a horizontal axis, labels below; `left`: a vertical axis, labels to its left. */
  readonly side: 'bottom' | 'left';
  /** The axis line's position across it: y of a bottom axis, x of a left axis. */
  readonly at: number;
  /** Pixel extent of the axis line along it (x of a bottom axis, y of a left axis), if it is drawn. */
  readonly line?: readonly [number, number];
  /** Tick values. */
  readonly ticks: readonly number[];
  /** Pixel position of a value along the axis. */
  readonly position: (value: number) => number;
  /** Tick label (default {@link formatTick}). */
  readonly format?: (value: number) => string;
  /** Length of the tick marks outwards (default 4; 0 draws none). */
  readonly tickLength?: number;
  /** Grid lines across the plot from `at` to this position (the other side of the plot area). */
  readonly grid?: number;
  /** Grid line style (default a light grey line). */
  readonly gridStyle?: string;
  /** The axis title, centred on `line` (or on the ticks) below / left of the labels. */
  readonly label?: string;
  /** Where the title goes: its offset below a bottom axis line (default 32), its x for a left axis (default 16). */
  readonly labelOffset?: number;
}

/** An axis: its line, tick marks, tick labels, optional grid lines and title, as one SVG fragment. */
export function axis(o: AxisOptions): string {
  const fmt = o.format ?? formatTick;
  const tick = o.tickLength ?? 4;
  const grid = o.gridStyle ?? 'stroke="#ddd"';
  const at = o.at;
  const parts: string[] = [];
  const bottom = o.side === 'bottom';
  if (o.line) {
    const [a, b] = o.line;
    parts.push(
      bottom
        ? `<line x1="${a}" y1="${at}" x2="${b}" y2="${at}" stroke="#333"/>`
        : `<line x1="${at}" y1="${a}" x2="${at}" y2="${b}" stroke="#333"/>`,
    );
  }
  for (const v of o.ticks) {
    const p = o.position(v).toFixed(1);
    if (o.grid !== undefined)
      parts.push(
        bottom
          ? `<line x1="${p}" y1="${o.grid}" x2="${p}" y2="${at}" ${grid}/>`
          : `<line x1="${at}" y1="${p}" x2="${o.grid}" y2="${p}" ${grid}/>`,
      );
    if (tick > 0)
      parts.push(
        bottom
          ? `<line x1="${p}" y1="${at}" x2="${p}" y2="${at + tick}" stroke="#333"/>`
          : `<line x1="${at - tick}" y1="${p}" x2="${at}" y2="${p}" stroke="#333"/>`,
      );
    parts.push(
      bottom
        ? `<text x="${p}" y="${at + tick + 12}" text-anchor="middle">${escapeXml(fmt(v))}</text>`
        : `<text x="${at - tick - 3}" y="${(Number(p) + 4).toFixed(1)}" text-anchor="end">${escapeXml(fmt(v))}</text>`,
    );
  }
  if (o.label !== undefined) {
    const ends = o.line ?? [o.position(o.ticks[0] ?? 0), o.position(o.ticks.at(-1) ?? 0)];
    const mid = ((ends[0] + ends[1]) / 2).toFixed(1);
    const label = escapeXml(o.label);
    parts.push(
      bottom
        ? `<text x="${mid}" y="${at + (o.labelOffset ?? 32)}" text-anchor="middle">${label}</text>`
        : `<text transform="translate(${o.labelOffset ?? 16} ${mid}) rotate(-90)" text-anchor="middle">${label}</text>`,
    );
  }
  return parts.join('');
}

/** A legend swatch: a filled square, or any SVG fragment drawn by `svg`. */
export type LegendSwatch =
  | { readonly colour: string; readonly size?: number }
  | {
      /** The swatch with its left edge at `x` and its middle at `y` (4 px above the text's baseline). */
      readonly svg: (x: number, y: number) => string;
      /** Its width (default 10); the label starts 4 px after it. */
      readonly width?: number;
    };

/** A legend entry at `(x, y)` (the label's baseline): the swatch, then the escaped `label`. */
export function legendEntry(x: number, y: number, label: string, swatch: LegendSwatch): string {
  const text = (w: number) => `<text x="${x + w + 4}" y="${y}">${escapeXml(label)}</text>`;
  if ('svg' in swatch) return swatch.svg(x, y - 4) + text(swatch.width ?? 10);
  const s = swatch.size ?? 10;
  return `<rect x="${x}" y="${y - s + 1}" width="${s}" height="${s}" fill="${swatch.colour}"/>${text(s)}`;
}
