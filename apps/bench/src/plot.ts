/**
 * The scaling plot: wall time per biological second (RTF) against N, log–log, one line per
 * network × runner, as a self-contained SVG (no dependencies).
 *
 * @module
 */
import type { Row } from './harness.ts';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Renders the rows that passed their gate as a log–log SVG plot of RTF against N. */
export function scalingSvg(rows: readonly Row[]): string {
  const pts = rows.filter((r) => r.rtf !== undefined);
  const W = 860;
  const H = 440;
  const L = 70;
  const R = 330;
  const T = 30;
  const B = 50;
  if (pts.length === 0)
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img"><title>No gated results</title><text x="20" y="40">no gated results</text></svg>\n`;
  const lx = pts.map((r) => Math.log10(r.n));
  const ly = pts.map((r) => Math.log10(r.rtf as number));
  const x0 = Math.floor(Math.min(...lx));
  const x1 = Math.max(x0 + 1, Math.ceil(Math.max(...lx)));
  const y0 = Math.floor(Math.min(...ly));
  const y1 = Math.max(y0 + 1, Math.ceil(Math.max(...ly)));
  const X = (n: number): number => L + ((Math.log10(n) - x0) / (x1 - x0)) * (W - L - R);
  const Y = (v: number): number => T + (1 - (Math.log10(v) - y0) / (y1 - y0)) * (H - T - B);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12" role="img">`,
    '<title>Real-time factor against network size, per network and runner</title>',
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${L}" y="18" font-size="14">Wall time per biological second (RTF) vs N — log–log, lower is faster</text>`,
  ];
  for (let e = x0; e <= x1; e++) {
    const x = X(10 ** e);
    out.push(
      `<line x1="${x}" y1="${T}" x2="${x}" y2="${H - B}" stroke="#ddd"/>`,
      `<text x="${x}" y="${H - B + 16}" text-anchor="middle">1e${e}</text>`,
    );
  }
  for (let e = y0; e <= y1; e++) {
    const y = Y(10 ** e);
    out.push(
      `<line x1="${L}" y1="${y}" x2="${W - R}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${L - 6}" y="${y + 4}" text-anchor="end">1e${e}</text>`,
    );
  }
  out.push(
    `<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">neurons N</text>`,
    `<text x="16" y="${(T + H - B) / 2}" transform="rotate(-90 16 ${(T + H - B) / 2})" text-anchor="middle">s per biological s</text>`,
  );
  const series = [...new Set(pts.map((r) => `${r.network.toUpperCase()} · ${r.runner}`))];
  series.forEach((name, k) => {
    const c = COLORS[k % COLORS.length] as string;
    const s = pts
      .filter((r) => `${r.network.toUpperCase()} · ${r.runner}` === name)
      .sort((a, b) => a.n - b.n);
    if (s.length > 1)
      out.push(
        `<polyline fill="none" stroke="${c}" stroke-width="2" points="${s.map((r) => `${X(r.n).toFixed(1)},${Y(r.rtf as number).toFixed(1)}`).join(' ')}"/>`,
      );
    for (const r of s)
      out.push(
        `<circle cx="${X(r.n).toFixed(1)}" cy="${Y(r.rtf as number).toFixed(1)}" r="3.5" fill="${c}"/>`,
      );
    const ly2 = T + 10 + k * 18;
    out.push(
      `<rect x="${W - R + 14}" y="${ly2 - 9}" width="12" height="12" fill="${c}"/>`,
      `<text x="${W - R + 32}" y="${ly2 + 1}">${esc(name)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
