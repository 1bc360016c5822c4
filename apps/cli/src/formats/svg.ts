/**
 * Hand-written SVG plots of a recording: a spike raster with the population rate underneath, and
 * traces of continuous signals, written with core's SVG writer; the files open in any browser or
 * vector editor.
 *
 * @module
 */

import {
  axis,
  escapeXml,
  legendEntry,
  niceTicks,
  PLOT_COLOURS,
  polylinePoints,
  svgDocument,
} from '@spark-snn/core';

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

const PALETTE = PLOT_COLOURS;
const W = 900;
const LEFT = 70;
const RIGHT = 20;
const PLOT_W = W - LEFT - RIGHT;
/** Spikes drawn at most; beyond it the raster is thinned evenly and says so. */
const MAX_SPIKES = 200_000;

function xAxis(y: number, tMax: number, label: string): string {
  return axis({
    side: 'bottom',
    at: y,
    line: [LEFT, LEFT + PLOT_W],
    ticks: niceTicks(0, tMax),
    position: (t) => LEFT + (tMax > 0 ? (t / tMax) * PLOT_W : 0),
    label,
  });
}

function yAxis(top: number, height: number, lo: number, hi: number, label: string): string {
  return axis({
    side: 'left',
    at: LEFT,
    line: [top, top + height],
    ticks: niceTicks(lo, hi, 4),
    position: (v) => top + height - (hi > lo ? ((v - lo) / (hi - lo)) * height : 0),
    label,
  });
}

/** The title drawn above the plots. */
function heading(title: string): string {
  return `<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">${escapeXml(title)}</text>\n`;
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
  const title = options.title ?? 'Spike raster and population rate';
  const parts: string[] = [heading(title)];
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
  const yMax = Math.max(rMax, niceTicks(0, rMax, 4).at(-1)!);
  parts.push(
    `<rect x="${LEFT}" y="${rateTop}" width="${PLOT_W}" height="${rateH}" fill="none" stroke="#ccc"/>\n`,
  );
  rates.forEach((r, k) => {
    const pts = Array.from(r, (v, b): [number, number] => [
      LEFT + (Math.min(steps, (b + 0.5) * bin) / steps) * PLOT_W,
      rateTop + rateH - (v / yMax) * rateH,
    ]);
    parts.push(
      `<polyline points="${polylinePoints(pts)}" fill="none" stroke="${PALETTE[k % PALETTE.length]}" stroke-width="1.5"/>\n`,
    );
  });
  parts.push(yAxis(rateTop, rateH, 0, yMax, 'rate (Hz)'), '\n');
  parts.push(xAxis(rateTop + rateH, tMax, 'time (ms)'), '\n');
  series.forEach((s, k) => {
    const x = LEFT + (k % 3) * (PLOT_W / 3);
    const y = rateTop + rateH + 50 + 16 * Math.floor(k / 3);
    parts.push(legendEntry(x, y, `${s.name} (${s.size})`, { colour: PALETTE[k % PALETTE.length]! }), '\n');
  });
  return svgDocument({ width: W, height, title }, [parts.join('')]);
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
  const title = options.title ?? 'Traces';
  const parts: string[] = [heading(title)];
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
      const pts: [number, number][] = [];
      for (let t = 0; t < s.steps; t += every) {
        const v = s.data[t * s.size + i]!;
        if (Number.isFinite(v))
          pts.push([LEFT + ((t + 0.5) / s.steps) * PLOT_W, top + panelH - ((v - lo) / (hi - lo)) * panelH]);
      }
      parts.push(
        `<polyline points="${polylinePoints(pts)}" fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="1"/>\n`,
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
  return svgDocument({ width: W, height, title }, [parts.join('')]);
}
