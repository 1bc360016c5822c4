/**
 * The scaling plot: wall time per biological second (RTF) against N, log–log, one line per
 * network × runner, as a self-contained SVG (core's SVG writer).
 *
 * @module
 */
import { axis, legendEntry, PLOT_COLOURS, polylinePoints, svgDocument } from '@spark-snn/core';
import type { Row } from './harness.ts';

/** The decades `lo … hi` (exponents), labelled `1e<k>`. */
const decades = (lo: number, hi: number): number[] => Array.from({ length: hi - lo + 1 }, (_, k) => lo + k);
const decadeLabel = (e: number): string => `1e${e}`;

/** Renders the rows that passed their gate as a log–log SVG plot of RTF against N. */
export function scalingSvg(rows: readonly Row[]): string {
  const pts = rows.filter((r) => r.rtf !== undefined);
  const W = 860;
  const H = 440;
  const L = 70;
  const R = 330;
  const T = 30;
  const B = 50;
  const title = 'Real-time factor against network size, per network and runner';
  if (pts.length === 0)
    return svgDocument({ width: W, height: H, title: 'No gated results', fontSize: 12 }, [
      '<text x="20" y="40">no gated results</text>',
    ]);
  const lx = pts.map((r) => Math.log10(r.n));
  const ly = pts.map((r) => Math.log10(r.rtf as number));
  const x0 = Math.floor(Math.min(...lx));
  const x1 = Math.max(x0 + 1, Math.ceil(Math.max(...lx)));
  const y0 = Math.floor(Math.min(...ly));
  const y1 = Math.max(y0 + 1, Math.ceil(Math.max(...ly)));
  const X = (n: number): number => L + ((Math.log10(n) - x0) / (x1 - x0)) * (W - L - R);
  const Y = (v: number): number => T + (1 - (Math.log10(v) - y0) / (y1 - y0)) * (H - T - B);
  const out: string[] = [
    `<text x="${L}" y="18" font-size="14">Wall time per biological second (RTF) vs N — log–log, lower is faster</text>`,
    axis({
      side: 'bottom',
      at: H - B,
      ticks: decades(x0, x1),
      position: (e) => X(10 ** e),
      format: decadeLabel,
      tickLength: 0,
      grid: T,
      label: 'neurons N',
      labelOffset: B - 12,
    }),
    axis({
      side: 'left',
      at: L,
      ticks: decades(y0, y1),
      position: (e) => Y(10 ** e),
      format: decadeLabel,
      tickLength: 0,
      grid: W - R,
      label: 's per biological s',
    }),
  ];
  const series = [...new Set(pts.map((r) => `${r.network.toUpperCase()} · ${r.runner}`))];
  series.forEach((name, k) => {
    const c = PLOT_COLOURS[k % PLOT_COLOURS.length] as string;
    const s = pts
      .filter((r) => `${r.network.toUpperCase()} · ${r.runner}` === name)
      .sort((a, b) => a.n - b.n);
    if (s.length > 1)
      out.push(
        `<polyline fill="none" stroke="${c}" stroke-width="2" points="${polylinePoints(s.map((r) => [X(r.n), Y(r.rtf as number)]))}"/>`,
      );
    for (const r of s)
      out.push(
        `<circle cx="${X(r.n).toFixed(1)}" cy="${Y(r.rtf as number).toFixed(1)}" r="3.5" fill="${c}"/>`,
      );
    out.push(legendEntry(W - R + 14, T + 11 + k * 18, name, { colour: c, size: 12 }));
  });
  return svgDocument({ width: W, height: H, title, fontSize: 12 }, out);
}
