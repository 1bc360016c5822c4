/**
 * Hand-written SVG plots of a recording: a spike raster with the population rate underneath, and
 * traces of continuous signals. No dependency; the files open in any browser or vector editor.
 *
 * @module
 */

/**
 * One recorded series: `steps × size` values, row t = step t (`data`), or — for long runs of large
 * populations — only its spikes as events (`events`: step and unit of each spike, in step order).
 */
export type PlotSeries = DenseSeries | EventSeries;

/** A series as `steps × size` values. */
export interface DenseSeries {
  readonly name: string;
  readonly steps: number;
  readonly size: number;
  readonly data: Float32Array;
  readonly events?: undefined;
}

/** A spike series as events. */
export interface EventSeries {
  readonly name: string;
  readonly steps: number;
  readonly size: number;
  readonly events: SpikeEvents;
  readonly data?: undefined;
}

/** Spikes as events: `steps[k]`, `units[k]` of spike k. */
export interface SpikeEvents {
  readonly steps: ArrayLike<number>;
  readonly units: ArrayLike<number>;
}

/** Calls `f(step, unit)` for every spike of a series, in step order. */
function forEachSpike(s: PlotSeries, f: (t: number, i: number) => void): void {
  if (s.events) {
    const n = s.events.steps.length;
    for (let k = 0; k < n; k++) f(s.events.steps[k] as number, s.events.units[k] as number);
    return;
  }
  for (let t = 0; t < s.steps; t++)
    for (let i = 0; i < s.size; i++) if (s.data[t * s.size + i] !== 0) f(t, i);
}

function spikeCount(s: PlotSeries): number {
  if (s.events) return s.events.steps.length;
  return s.data.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];
const W = 900;
const LEFT = 70;
const RIGHT = 20;
const PLOT_W = W - LEFT - RIGHT;
/** Spikes drawn at most; beyond it the raster is thinned evenly and says so. */
const MAX_SPIKES = 200_000;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2).replace(/\.?0+$/, '');
}

/** "Nice" tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

function xAxis(y: number, tMax: number, label: string): string {
  const parts = [`<line x1="${LEFT}" y1="${y}" x2="${LEFT + PLOT_W}" y2="${y}" stroke="#333"/>`];
  for (const t of ticks(0, tMax)) {
    const x = LEFT + (tMax > 0 ? (t / tMax) * PLOT_W : 0);
    parts.push(`<line x1="${x.toFixed(1)}" y1="${y}" x2="${x.toFixed(1)}" y2="${y + 4}" stroke="#333"/>`);
    parts.push(`<text x="${x.toFixed(1)}" y="${y + 16}" text-anchor="middle">${fmt(t)}</text>`);
  }
  parts.push(`<text x="${LEFT + PLOT_W / 2}" y="${y + 32}" text-anchor="middle">${esc(label)}</text>`);
  return parts.join('');
}

function yAxis(top: number, height: number, lo: number, hi: number, label: string): string {
  const parts = [`<line x1="${LEFT}" y1="${top}" x2="${LEFT}" y2="${top + height}" stroke="#333"/>`];
  for (const v of ticks(lo, hi, 4)) {
    const y = top + height - (hi > lo ? ((v - lo) / (hi - lo)) * height : 0);
    parts.push(
      `<line x1="${LEFT - 4}" y1="${y.toFixed(1)}" x2="${LEFT}" y2="${y.toFixed(1)}" stroke="#333"/>`,
    );
    parts.push(`<text x="${LEFT - 7}" y="${(y + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`);
  }
  parts.push(
    `<text transform="translate(16 ${top + height / 2}) rotate(-90)" text-anchor="middle">${esc(label)}</text>`,
  );
  return parts.join('');
}

function header(height: number, title: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" ` +
    `font-family="sans-serif" font-size="11">\n<title>${esc(title)}</title>\n` +
    `<rect width="${W}" height="${height}" fill="#fff"/>\n` +
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">${esc(title)}</text>\n`
  );
}

/**
 * A spike raster (every series stacked, neuron index up) and, below it, each series' population
 * rate in Hz (spikes per neuron per second, binned). `dt` is the step in milliseconds.
 */
export function rasterSvg(series: readonly PlotSeries[], options: { dt: number; title?: string }): string {
  const dt = options.dt;
  const steps = Math.max(1, ...series.map((s) => s.steps));
  const tMax = steps * dt;
  const rasterTop = 30;
  const rasterH = 320;
  const rateTop = rasterTop + rasterH + 50;
  const rateH = 150;
  const height = rateTop + rateH + 45 + 16 * Math.ceil(series.length / 3);
  const totalRows = series.reduce((a, s) => a + s.size, 0) || 1;
  const totalSpikes = series.reduce((a, s) => a + spikeCount(s), 0);
  const stride = Math.max(1, Math.ceil(totalSpikes / MAX_SPIKES));
  const rowH = rasterH / totalRows;
  const xOf = (step: number) => LEFT + ((step + 0.5) / steps) * PLOT_W;
  const parts: string[] = [header(height, options.title ?? 'Spike raster and population rate')];
  parts.push(
    `<rect x="${LEFT}" y="${rasterTop}" width="${PLOT_W}" height="${rasterH}" fill="none" stroke="#ccc"/>\n`,
  );
  let row0 = 0;
  let seen = 0;
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    const d: string[] = [];
    const tick = Math.max(rowH * 0.8, 0.6).toFixed(2);
    forEachSpike(s, (t, i) => {
      if (seen++ % stride !== 0) return;
      const y = rasterTop + rasterH - (row0 + i + 1) * rowH + rowH * 0.1;
      d.push(`M${xOf(t).toFixed(1)} ${y.toFixed(2)}v${tick}`);
    });
    if (d.length > 0)
      parts.push(
        `<path d="${d.join('')}" stroke="${color}" stroke-width="${Math.max(1, PLOT_W / steps / 2).toFixed(2)}"/>\n`,
      );
    if (row0 > 0) {
      const y = rasterTop + rasterH - row0 * rowH;
      parts.push(
        `<line x1="${LEFT}" y1="${y.toFixed(1)}" x2="${LEFT + PLOT_W}" y2="${y.toFixed(1)}" stroke="#999" stroke-dasharray="3 3"/>\n`,
      );
    }
    row0 += s.size;
  });
  parts.push(yAxis(rasterTop, rasterH, 0, totalRows, 'neuron'), '\n');
  parts.push(xAxis(rasterTop + rasterH, tMax, 'time (ms)'), '\n');
  if (stride > 1) {
    parts.push(
      `<text x="${LEFT + PLOT_W}" y="${rasterTop - 4}" text-anchor="end" fill="#a00">showing every ${stride}th of ${totalSpikes} spikes</text>\n`,
    );
  }
  // rates
  const bin = Math.max(1, Math.round(steps / 200));
  const rates = series.map((s) => {
    const nb = Math.ceil(s.steps / bin);
    const counts = new Float64Array(nb);
    forEachSpike(s, (t) => {
      if (t < s.steps) counts[Math.floor(t / bin)]! += 1;
    });
    const r = new Float64Array(nb);
    for (let b = 0; b < nb; b++) {
      const end = Math.min(s.steps, (b + 1) * bin);
      r[b] = s.size > 0 ? counts[b]! / s.size / (((end - b * bin) * dt) / 1000) : 0;
    }
    return r;
  });
  const rMax = Math.max(1, ...rates.flatMap((r) => Array.from(r)));
  const yMax = Math.max(rMax, ticks(0, rMax, 4).at(-1)!);
  parts.push(
    `<rect x="${LEFT}" y="${rateTop}" width="${PLOT_W}" height="${rateH}" fill="none" stroke="#ccc"/>\n`,
  );
  rates.forEach((r, k) => {
    const pts = Array.from(r, (v, b) => {
      const x = LEFT + (Math.min(steps, (b + 0.5) * bin) / steps) * PLOT_W;
      const y = rateTop + rateH - (v / yMax) * rateH;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    });
    parts.push(
      `<polyline points="${pts.join(' ')}" fill="none" stroke="${PALETTE[k % PALETTE.length]}" stroke-width="1.5"/>\n`,
    );
  });
  parts.push(yAxis(rateTop, rateH, 0, yMax, 'rate (Hz)'), '\n');
  parts.push(xAxis(rateTop + rateH, tMax, 'time (ms)'), '\n');
  series.forEach((s, k) => {
    const x = LEFT + (k % 3) * (PLOT_W / 3);
    const y = rateTop + rateH + 50 + 16 * Math.floor(k / 3);
    parts.push(`<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${PALETTE[k % PALETTE.length]}"/>`);
    parts.push(`<text x="${x + 14}" y="${y}">${esc(s.name)} (${s.size})</text>\n`);
  });
  parts.push('</svg>\n');
  return parts.join('');
}

/** Traces of continuous series (the first `maxLines` elements of each), one panel per series. */
export function tracesSvg(
  series: readonly DenseSeries[],
  options: { dt: number; title?: string; maxLines?: number },
): string {
  const maxLines = options.maxLines ?? 8;
  const panelH = 160;
  const gap = 60;
  const height = 30 + series.length * (panelH + gap) + 10;
  const parts: string[] = [header(height, options.title ?? 'Traces')];
  series.forEach((s, k) => {
    const top = 30 + k * (panelH + gap);
    const n = Math.min(s.size, maxLines);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let t = 0; t < s.steps; t++) {
      for (let i = 0; i < n; i++) {
        const v = s.data[t * s.size + i]!;
        if (Number.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (!Number.isFinite(lo)) {
      lo = 0;
      hi = 1;
    }
    if (hi === lo) {
      hi = lo + 1;
      lo -= 1;
    }
    const every = Math.max(1, Math.ceil(s.steps / 2000));
    parts.push(
      `<rect x="${LEFT}" y="${top}" width="${PLOT_W}" height="${panelH}" fill="none" stroke="#ccc"/>\n`,
    );
    for (let i = 0; i < n; i++) {
      const pts: string[] = [];
      for (let t = 0; t < s.steps; t += every) {
        const v = s.data[t * s.size + i]!;
        if (!Number.isFinite(v)) continue;
        pts.push(
          `${(LEFT + ((t + 0.5) / s.steps) * PLOT_W).toFixed(1)},${(top + panelH - ((v - lo) / (hi - lo)) * panelH).toFixed(1)}`,
        );
      }
      parts.push(
        `<polyline points="${pts.join(' ')}" fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="1"/>\n`,
      );
    }
    parts.push(yAxis(top, panelH, lo, hi, s.name), '\n');
    parts.push(
      xAxis(
        top + panelH,
        s.steps * options.dt,
        `time (ms) — ${s.name}${s.size > n ? `, first ${n} of ${s.size}` : ''}`,
      ),
      '\n',
    );
  });
  parts.push('</svg>\n');
  return parts.join('');
}
