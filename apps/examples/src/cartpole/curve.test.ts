import { describe, expect, it } from 'vitest';
import { type CurveRow, curveCsv, curveStats, curveSvg, outcomeOf, parseCurveCsv } from './curve.ts';
import { formatDuration, ProgressBar, progressLine } from './progress.ts';

const rows: CurveRow[] = [
  {
    seed: 42,
    episode: 1,
    steps: 9,
    outcome: 'pole_fell',
    ema: 1.8,
    modulationScale: 1,
    brainSteps: 550,
    ms: 12.5,
  },
  {
    seed: 42,
    episode: 2,
    steps: 500,
    outcome: 'truncated',
    ema: 101.44,
    modulationScale: 1,
    brainSteps: 25050,
  },
  { seed: 43, episode: 1, steps: 120, outcome: 'out_of_bounds', ema: 24, cpuMs: 3.25 },
];

describe('the learning-curve CSV', () => {
  it('round-trips rows, leaving cells empty for what a row does not have', () => {
    const text = curveCsv(rows);
    expect(text.split('\n')[0]).toBe('seed,episode,steps,outcome,ema,modulation_scale,brain_steps,ms,cpu_ms');
    expect(text.split('\n')[3]).toBe('43,1,120,out_of_bounds,24.000000,,,,3.3');
    expect(parseCurveCsv(text)).toEqual([rows[0], rows[1], { ...rows[2], cpuMs: 3.3 }]);
  });

  it("reads the Spark peer's CSV (other columns, other order)", () => {
    const spark =
      'seed,episode,steps,outcome,ema,modulation_scale,ms\n42,1,9,pole_fell,1.800000,1.000000000,244351.9\n';
    expect(parseCurveCsv(spark)).toEqual([
      { seed: 42, episode: 1, steps: 9, outcome: 'pole_fell', ema: 1.8, modulationScale: 1, ms: 244351.9 },
    ]);
  });

  it('names the file, line and column of what it cannot read', () => {
    expect(() => parseCurveCsv('', 'a.csv')).toThrow('a.csv: empty file');
    expect(() => parseCurveCsv('seed,episode,steps,ema\n', 'a.csv')).toThrow(
      'a.csv:1: missing column "outcome"',
    );
    const head = 'seed,episode,steps,outcome,ema\n';
    expect(() => parseCurveCsv(`${head}42,1,9,fell,1\n`, 'a.csv')).toThrow(
      'a.csv:2: column outcome: expected one of pole_fell, out_of_bounds, truncated, got "fell"',
    );
    expect(() => parseCurveCsv(`${head}42,1,9.5,pole_fell,1\n`, 'a.csv')).toThrow(
      'a.csv:2: column steps: expected an integer, got "9.5"',
    );
    expect(() => parseCurveCsv(`${head}42,1,9,pole_fell\n`, 'a.csv')).toThrow(
      'a.csv:2: 4 cells, the header has 5',
    );
    expect(() => parseCurveCsv(`${head}42,,9,pole_fell,1\n`, 'a.csv')).toThrow(
      'a.csv:2: column episode is empty',
    );
  });

  it('marks an episode as the notebook does: truncation first, then out of bounds', () => {
    expect(outcomeOf({ truncated: true, outOfBounds: false })).toBe('truncated');
    expect(outcomeOf({ truncated: false, outOfBounds: true })).toBe('out_of_bounds');
    expect(outcomeOf({ truncated: false, outOfBounds: false })).toBe('pole_fell');
  });
});

describe('the figures of a run', () => {
  it('finds the first episode at the cap and counts the cap among the last 50', () => {
    const lengths = [...Array.from({ length: 60 }, (_, k) => 10 + k), 500, 300, ...new Array(48).fill(500)];
    expect(curveStats(lengths, 500)).toEqual({
      episodes: 110,
      firstCap: 61,
      capsInLast50: 49,
      best: 500,
      meanLast10: 500,
    });
    expect(curveStats([9, 10], 500)).toEqual({
      episodes: 2,
      firstCap: null,
      capsInLast50: 0,
      best: 10,
      meanLast10: 9.5,
    });
    expect(curveStats([], 500).firstCap).toBeNull();
  });
});

describe('the learning-curve SVG', () => {
  it('draws one panel per series with the lengths, the EMA and one marker per episode', () => {
    const svg = curveSvg(
      [
        { label: 'seed 42', rows: rows.slice(0, 2) },
        { label: 'seed <43>', rows: rows.slice(2) },
      ],
      { title: 'test', episodes: 150 },
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title>test</title>'); // an accessible name (Biome's noSvgWithoutTitle)
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    // one marker per episode plus the three of the legend
    expect(svg.match(/<use href="#pole_fell"/g)).toHaveLength(2);
    expect(svg.match(/<use href="#truncated"/g)).toHaveLength(2);
    expect(svg.match(/<use href="#out_of_bounds"/g)).toHaveLength(2);
    expect(svg).toContain('seed 42 — first 500 at episode 2, 1 of the last 2 at the cap');
    expect(svg).toContain('seed &lt;43&gt; — never at 500 (best 120), 0 of the last 1 at the cap');
    expect(svg).toContain('>150</text>'); // the x axis spans the requested episodes
  });
});

describe('the progress bar', () => {
  it('shows done/total, elapsed and an ETA from the mean rate', () => {
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Number.NaN)).toBe('?');
    expect(progressLine(1, 4, 10, 'seed 42', 8)).toBe('[██░░░░░░] 1/4 25% 0:10 elapsed, ETA 0:30  seed 42');
    expect(progressLine(0, 4, 0, '', 4)).toBe('[░░░░] 0/4 0% 0:00 elapsed, ETA ?');
  });

  it('draws only on a terminal and keeps printed lines above it', () => {
    const written: string[] = [];
    const out = { write: (t: string) => written.push(`out:${t}`) };
    const tty = { isTTY: true, columns: 80, write: (t: string) => written.push(`tty:${t.slice(0, 8)}`) };
    const bar = new ProgressBar(2, tty, out);
    bar.update(1, 'x');
    bar.log('line');
    bar.clear();
    expect(written).toEqual([
      'tty:\r\x1b[2K[██',
      'tty:\r\x1b[2K',
      'out:line\n',
      'tty:\r\x1b[2K[██',
      'tty:\r\x1b[2K',
    ]);
    const plain: string[] = [];
    const pipe = new ProgressBar(
      2,
      { write: (t: string) => plain.push(t) },
      { write: (t: string) => plain.push(t) },
    );
    pipe.update(1);
    pipe.log('line');
    expect(plain).toEqual(['line\n']);
  });
});
