import { describe, expect, it } from 'vitest';
import { tensor } from '../tensor.ts';
import { fromNirJson, toNirJson } from './json.ts';
import { nirGraph } from './types.ts';

/** input[2] → lif (tau given) → output[2], in the JSON debug form. */
function lifJson(tau: number[]): string {
  const f = (v: number[]) => tensor(v, { shape: [2] });
  return toNirJson(
    nirGraph(
      {
        in: { type: 'Input', shape: [2] },
        lif: {
          type: 'LIF',
          tau: f(tau),
          r: f([1, 1]),
          v_leak: f([0, 0]),
          v_threshold: f([1, 1]),
          v_reset: f([0, 0]),
        },
        out: { type: 'Output', shape: [2] },
      },
      [
        ['in', 'lif'],
        ['lif', 'out'],
      ],
    ),
  );
}

describe('NIR parameters are validated like Spark ones', () => {
  it('refuses tau ≤ 0 with the path of the element', () => {
    for (const [tau, path, v] of [
      [[0.01, 0], 'lif.tau[1]', '0'],
      [[-0.002, 0.01], 'lif.tau[0]', '-0.002'],
    ] as const) {
      const r = fromNirJson(lifJson([...tau]));
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => [d.code, d.path])).toEqual([['nir.bad-parameter', path]]);
      expect(errors[0]!.message).toBe(`tau must be a finite time constant > 0 (seconds), got ${v}`);
    }
    expect(fromNirJson(lifJson([0.01, 0.02])).diagnostics).toEqual([]);
  });
});

describe('NIR JSON datasets', () => {
  it('a shape of 1e12 with one value is a clear error, not an internal one', () => {
    const doc = JSON.parse(lifJson([0.01, 0.02]));
    doc.node.nodes.in.shape = { dtype: 'int64', shape: [1e12], data: [2] };
    const r = fromNirJson(JSON.stringify(doc));
    const e = r.diagnostics.find((d) => d.path === 'nodes.in.shape');
    expect(e).toMatchObject({
      severity: 'error',
      code: 'nir.json',
      message: 'shape [1000000000000] holds 1000000000000 values but the dataset has 1',
    });
    expect(r.diagnostics.some((d) => /internal/.test(d.message))).toBe(false);
  });

  it('refuses unknown dtypes, negative dimensions and non-numbers', () => {
    const doc = JSON.parse(lifJson([0.01, 0.02]));
    doc.node.nodes.lif.r = { dtype: 'float128', shape: [2], data: [1, 1] };
    doc.node.nodes.lif.v_leak = { dtype: 'float32', shape: [-2], data: [] };
    doc.node.nodes.lif.v_reset = { dtype: 'float32', shape: [2], data: ['a', 1] };
    const msgs = Object.fromEntries(
      fromNirJson(JSON.stringify(doc)).diagnostics.map((d) => [d.path, d.message]),
    );
    expect(msgs['nodes.lif.r']).toMatch(/unknown dtype "float128"/);
    expect(msgs['nodes.lif.v_leak']).toBe('shape [-2] must list non-negative integers');
    expect(msgs['nodes.lif.v_reset']).toBe('a float32 dataset must hold numbers');
  });
});
