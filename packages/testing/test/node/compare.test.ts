// The trace comparison: the README's rule (rel = |a − b| / max(|b|, 1) ≤ 1e-5 for float32, exact for
// spikes), failure messages that name the trace, step, index and values, and the golden readers.
import { describe, expect, it } from 'vitest';
import {
  compareTrace,
  FLOAT32_REL_TOL,
  flat32,
  goldenParams,
  relDiff,
  rows,
  TraceComparison,
  traceRows,
} from '../../src/index.ts';

describe('relDiff', () => {
  it('is |a − b| / max(|b|, 1), infinite for NaN', () => {
    expect(relDiff(1.00001, 1)).toBeCloseTo(1e-5, 12);
    expect(relDiff(0.5e-5, 0)).toBe(0.5e-5); // floor of 1 near zero
    expect(relDiff(200.002, 200)).toBeCloseTo(1e-5, 9);
    expect(relDiff(Number.NaN, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(relDiff(1, Number.NaN)).toBe(Number.POSITIVE_INFINITY);
    expect(relDiff(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY)).toBe(0);
    expect(FLOAT32_REL_TOL).toBe(1e-5);
  });
});

describe('TraceComparison', () => {
  const golden = [
    [0, 1, 2],
    [10, -20, 300],
  ];

  it('accepts float32 values within 1e-5 and names step, index and values beyond it', () => {
    const ok = new TraceComparison().trace(
      'v',
      [Float32Array.of(0, 1, 2), [10.00009, -20.0002, 300.003]],
      golden,
      'float32',
    );
    expect(ok.mismatches).toEqual([]);
    expect(ok.checked).toBe(6);
    expect(ok.worst).toBeGreaterThan(9e-6);
    const bad = compareTrace('v', Float32Array.of(0, 1, 2, 10, -20.001, 300), golden, 'float32');
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^v step 1 \[1\]: got -20\.00\d+, expected -20 \(rel 5\.\d+e-5 > 0\.00001\)$/);
  });

  it('compares spikes exactly, NaN never agreeing with a number', () => {
    expect(compareTrace('s', [[0, 1, 0]], [[0, 1, 0]], 'exact')).toEqual([]);
    expect(compareTrace('s', [[0, 1, 1]], [[0, 1, 0]], 'exact')).toEqual(['s step 0 [2]: got 1, expected 0']);
    expect(compareTrace('x', [[Number.NaN]], [[1]], 'float32')[0]).toMatch(
      /x step 0 \[0\]: got NaN, expected 1/,
    );
  });

  it('reports length and step-count mismatches, keeps ten messages and counts the rest', () => {
    expect(compareTrace('v', [[1, 2]], [[1, 2, 3]], 'exact')).toEqual(['v step 0: 2 values, expected 3']);
    expect(() =>
      compareTrace(
        'v',
        [1, 2, 3],
        [
          [1, 2],
          [3, 4],
        ],
        'exact',
      ),
    ).toThrow(/3 values do not split into 2 steps/);
    const many = compareTrace('w', [new Array(25).fill(1)], [new Array(25).fill(0)], 'exact');
    expect(many).toHaveLength(11);
    expect(many[10]).toBe('… and 15 more');
  });

  it('takes a tolerance where a test states one', () => {
    expect(compareTrace('v', [[1.0001]], [[1]], 'float32', { tol: 2e-4 })).toEqual([]);
    expect(compareTrace('v', [[1.0001]], [[1]], 'float32')).toHaveLength(1);
    const c = new TraceComparison().row('v', [1.0001], [1], 'float32', { tol: 1e-3 });
    expect(c.mismatches).toEqual([]);
  });

  it('assert throws with the mismatches, or when nothing was compared', () => {
    expect(() => new TraceComparison().row('v', [1], [1], 'exact').assert('cpu')).not.toThrow();
    expect(() => new TraceComparison().row('v', [2], [1], 'exact').assert('cpu')).toThrow(
      'cpu: 1 mismatch(es)\nv [0]: got 2, expected 1',
    );
    expect(() => new TraceComparison().trace('v', [], [], 'exact').assert('cpu')).toThrow(
      'cpu: no value was compared',
    );
  });

  it('splits flat traces into the reference rows', () => {
    expect(traceRows(Float32Array.of(1, 2, 3, 4), 2).map((r) => Array.from(r))).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(traceRows([1, 2, 3, 4], 1)).toEqual([[1, 2, 3, 4]]);
  });
});

describe('golden readers', () => {
  it('flatten rows to float32 and name the path of a bad value', () => {
    expect(rows([[[0.1, 2]], [[true, false]]])).toEqual([
      [Math.fround(0.1), 2],
      [1, 0],
    ]);
    expect(flat32(0.1)).toEqual([Math.fround(0.1)]);
    expect(() => rows([[1, 'x']], 'outputs.spikes')).toThrow(
      /outputs\.spikes\[0\]\[1\]: expected a number, got "x"/,
    );
    expect(() => rows(3, 'inputs.current')).toThrow(/inputs\.current: expected an array of steps/);
  });

  it('reads config values as parameters (float32, arrays flattened, missing skipped)', () => {
    expect(goldenParams({ tau: 0.1, w: [[1, 2]], none: null }, ['tau', 'w', 'none', 'absent'])).toEqual({
      tau: Math.fround(0.1),
      w: [1, 2],
    });
  });
});
