import { describe, expect, it } from 'vitest';
import { CURVE_CSV_HEADER } from './curve.ts';
import { mergeCurves, parseMergeArgs, seedSummaries } from './merge.ts';

const csv = (seed: number, lengths: number[]) =>
  `${CURVE_CSV_HEADER}\n${lengths
    .map(
      (n, e) => `${seed},${e + 1},${n},${n >= 5 ? 'truncated' : 'pole_fell'},${n},1,${n * 50},${n * 2},${n}`,
    )
    .join('\n')}\n`;

describe('cartpole:merge', () => {
  it('joins runs of different seeds, sorted, with per-seed figures', () => {
    const rows = mergeCurves([
      { name: 'b/curve.csv', text: csv(43, [1, 5, 5]) },
      { name: 'a/curve.csv', text: csv(42, [2, 3, 5, 4]) },
    ]);
    expect(rows.map((r) => [r.seed, r.episode, r.steps])).toEqual([
      [42, 1, 2],
      [42, 2, 3],
      [42, 3, 5],
      [42, 4, 4],
      [43, 1, 1],
      [43, 2, 5],
      [43, 3, 5],
    ]);
    const s = seedSummaries(rows, 5);
    expect(s.map((x) => [x.seed, x.episodes, x.firstCap, x.capsInLast50, x.best, x.envSteps])).toEqual([
      [42, 4, 3, 1, 5, 14],
      [43, 3, 2, 2, 5, 11],
    ]);
    expect(s[0]!.brainSteps).toBe(14 * 50);
  });

  it('refuses a seed found in two inputs, naming both', () => {
    expect(() =>
      mergeCurves([
        { name: 'a/curve.csv', text: csv(42, [1]) },
        { name: 'b/curve.csv', text: csv(42, [2]) },
      ]),
    ).toThrow('b/curve.csv: seed 42 is also in a/curve.csv');
  });

  it('takes its flags and refuses bad ones', () => {
    expect(parseMergeArgs(['--out', 'o', 'r1', 'r2', '--cap', '200'])).toMatchObject({
      out: 'o',
      inputs: ['r1', 'r2'],
      cap: 200,
    });
    expect(() => parseMergeArgs(['r1'])).toThrow(/--out: required/);
    expect(() => parseMergeArgs(['--out', 'o'])).toThrow(/no run to merge/);
    expect(() => parseMergeArgs(['--out', 'o', '--cap', '0', 'r'])).toThrow(
      /--cap: expected an integer ≥ 1, got 0/,
    );
    expect(() => parseMergeArgs(['--out', 'o', '--seed', '1', 'r'])).toThrow(/unknown flag --seed/);
  });
});
