// sparse_synapses through the whole path: config schema (defaults, validation) → lowering → the
// kernels' sparse.csr op, against the connector drawn directly and a plain sum.
import { createBrainConfig, moduleSpecs } from '@spark-snn/config';
import { describe, expect, it } from 'vitest';
import { Brain } from '../brain.ts';

function brain(config: Record<string, unknown>) {
  const { specs, issues } = moduleSpecs('synapses', 'sparse_synapses', {
    inputs: { spikes: ['__call__.drive'] },
    outputs: { currents: 'currents' },
    config: { units: [30], seed: 5, ...config },
  });
  expect(issues).toEqual([]);
  return createBrainConfig([specs], { seed: 7, dt: 0.5 });
}

describe('sparse_synapses', () => {
  it('fixed in-degree: every unit sums exactly in_degree spikes × weight when all sources spike', async () => {
    const b = await Brain.fromConfig(brain({ in_degree: 7, weight: 2 }), {
      backend: 'cpu',
      inputShapes: { drive: [40] },
    });
    const out = await b.step({ drive: new Array(40).fill(1) });
    expect(Array.from(out.currents!)).toEqual(new Array(30).fill(14));
    b.destroy();
  });

  it('Bernoulli p with a delay: currents of step t come from the spikes of t − round(delay/dt)', async () => {
    const b = await Brain.fromConfig(brain({ p: 0.3, weight: -1.5, delay: 1 }), {
      backend: 'cpu',
      inputShapes: { drive: [40] },
    });
    const first = await b.step({ drive: new Array(40).fill(1) });
    expect(Array.from(first.currents!)).toEqual(new Array(30).fill(0));
    await b.step({ drive: new Array(40).fill(0) });
    const third = await b.step({ drive: new Array(40).fill(0) });
    const c = Array.from(third.currents!);
    // ~0.3 × 40 = 12 sources per unit, each −1.5.
    const mean = c.reduce((a, x) => a + x, 0) / c.length;
    expect(mean).toBeLessThan(-1.5 * 6);
    expect(mean).toBeGreaterThan(-1.5 * 20);
    for (const x of c) expect(Number.isInteger(x / 1.5)).toBe(true);
    b.destroy();
  });

  it('source_start / source_stop restrict the projecting units', async () => {
    const b = await Brain.fromConfig(brain({ in_degree: 5, source_start: 20, source_stop: 40 }), {
      backend: 'cpu',
      inputShapes: { drive: [40] },
    });
    const low = await b.step({ drive: Array.from({ length: 40 }, (_, j) => (j < 20 ? 1 : 0)) });
    expect(Array.from(low.currents!)).toEqual(new Array(30).fill(0));
    const high = await b.step({ drive: Array.from({ length: 40 }, (_, j) => (j >= 20 ? 1 : 0)) });
    expect(Array.from(high.currents!)).toEqual(new Array(30).fill(5));
    await expect(
      Brain.fromConfig(brain({ source_start: 30, source_stop: 10 }), {
        backend: 'cpu',
        inputShapes: { drive: [40] },
      }),
    ).rejects.toThrow(/source_start/);
    b.destroy();
  });

  it('is the same on every compile (connectivity from the seed)', async () => {
    const run = async (): Promise<number[]> => {
      const b = await Brain.fromConfig(brain({ p: 0.2 }), { backend: 'cpu', inputShapes: { drive: [40] } });
      const o = await b.step({ drive: Array.from({ length: 40 }, (_, j) => (j % 3 === 0 ? 1 : 0)) });
      b.destroy();
      return Array.from(o.currents!);
    };
    expect(await run()).toEqual(await run());
  });
});
