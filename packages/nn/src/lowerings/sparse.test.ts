// sparse_synapses through the whole path: config schema (defaults, validation) → lowering → the
// kernels' sparse.csr op, against the connector drawn directly and a plain sum.
import { createBrainConfig, moduleSpecs } from '@spark-snn/config';
import { webgpuBackend } from '@spark-snn/kernels';
import { describe, expect, it } from 'vitest';
import { Brain } from '../brain.ts';
import { resolveValue } from './values.ts';

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

  it('keeps the meaning of old configs: homogeneous weight and delay, no per-connection arrays', async () => {
    const b = await Brain.fromConfig(brain({ p: 0.3, weight: 2, delay: 1 }), {
      backend: 'cpu',
      inputShapes: { drive: [40] },
    });
    const op = b.compiledBrain?.plan.ops.find((o) => o.op === 'sparse.csr');
    expect(op?.attrs).toMatchObject({ weight: 2, delay: 2, delivery: 'auto', activity: 0.005 });
    expect(Object.keys(op?.bindings ?? {}).sort()).toEqual([
      'history',
      'offsets',
      'out',
      'sources',
      'spikes',
    ]);
    b.destroy();
  });
});

describe('sparse_synapses: per-connection weights and delays', () => {
  // An edge list (pre 4 → post 3) with weights and delays (ms, dt = 0.5 → steps 0, 1, 2, 4, 1).
  const edges = {
    sources: [0, 3, 1, 3, 2],
    targets: [2, 0, 0, 0, 1],
    weights: [1.5, -2, 0.25, 4, 3],
    delays: [0, 0.5, 1, 2, 0.5],
  };
  const edgeBrain = (extra: Record<string, unknown> = {}) => {
    const { specs, issues } = moduleSpecs('synapses', 'sparse_synapses', {
      inputs: { spikes: ['__call__.drive'] },
      outputs: { currents: 'currents' },
      config: { units: [3], seed: 5, ...edges, ...extra },
    });
    expect(issues).toEqual([]);
    return createBrainConfig([specs], { seed: 7, dt: 0.5 });
  };
  /** Hand-computed currents of one spike of every source at step 0. */
  const expected = [
    [0, 0, 1.5], // step 0: edge 0 (delay 0)
    [-2, 3, 0], // step 1: edges 1, 4 (delay 1)
    [0.25, 0, 0], // step 2: edge 2
    [0, 0, 0],
    [4, 0, 0], // step 4: edge 3
    [0, 0, 0],
  ];
  const runBrain = async (backend: 'cpu' | Awaited<ReturnType<typeof webgpuBackend>>, extra = {}) => {
    const b = await Brain.fromConfig(edgeBrain(extra), { backend, inputShapes: { drive: [4] } });
    const got: number[][] = [];
    for (let t = 0; t < expected.length; t++)
      got.push(Array.from((await b.step({ drive: t === 0 ? [1, 1, 1, 1] : [0, 0, 0, 0] })).currents!));
    b.destroy();
    return got;
  };

  it('an edge list with weights and delays gives the hand-computed currents on cpu', async () => {
    expect(await runBrain('cpu')).toEqual(expected);
  });

  it('webgpu (gather and scatter) gives the same currents', async (ctx) => {
    let gpu: Awaited<ReturnType<typeof webgpuBackend>>;
    try {
      gpu = await webgpuBackend();
    } catch {
      return ctx.skip('no WebGPU adapter here');
    }
    try {
      for (const delivery of ['gather', 'scatter'] as const)
        expect(await runBrain(gpu, { delivery }), delivery).toEqual(expected);
      const b = await Brain.fromConfig(edgeBrain({ delivery: 'scatter' }), {
        backend: gpu,
        inputShapes: { drive: [4] },
      });
      await b.step({ drive: [1, 0, 0, 0] });
      const op = b.compiledBrain?.plan.ops.find((o) => o.op === 'sparse.csr');
      expect(op?.attrs).toMatchObject({ delivery: 'scatter', maxDelay: 4 });
      b.destroy();
    } finally {
      gpu.destroy();
    }
  });

  it('validates the edge list with paths', async () => {
    const fails = async (extra: Record<string, unknown>, re: RegExp): Promise<void> => {
      await expect(
        Brain.fromConfig(edgeBrain(extra), { backend: 'cpu', inputShapes: { drive: [4] } }),
      ).rejects.toThrow(re);
    };
    await fails(
      { sources: [0, 3, 1, 4, 2] },
      /config\.sources\[3\].*4 is not a presynaptic index in \[0, 4\)/,
    );
    await fails({ targets: [2, 0, 0, 3, 1] }, /config\.targets\[3\].*not a postsynaptic index in \[0, 3\)/);
    await fails({ targets: [2, 0, 0] }, /config\.targets.*has 3 entries; sources has 5/);
    await fails({ weights: [1, 2] }, /config\.weights.*has 2 entries; the edge list has 5/);
    await fails({ delays: [0, 0.5, -1, 2, 0.5] }, /config\.delays\[2\].*must be ≥ 0, got -1/);
    await fails(
      { sources: null, targets: null, weights: null },
      /config\.delays.*need an explicit edge list/,
    );
    await fails({ targets: null }, /config\.targets.*needs both sources and targets/);
  });

  it('weight from an initializer: one value per connection, drawn from the module seed, reproducible', async () => {
    const init = { __type__: 'uniform_initializer_config', scale: 2 };
    const make = () =>
      Brain.fromConfig(brain({ in_degree: 6, weight: init }), {
        backend: 'cpu',
        inputShapes: { drive: [40] },
      });
    const b = await make();
    const plan = b.compiledBrain!.plan;
    const w = plan.buffers.find((x) => x.name.endsWith('.weights'));
    const o = plan.buffers.find((x) => x.name.endsWith('.offsets'))!.init as Uint32Array;
    expect(w?.shape).toEqual([180]);
    // The oracle: the same initializer drawn directly at the module's draw site.
    const op = plan.ops.find((x) => x.op === 'sparse.csr')!;
    const drawn = resolveValue(init, 'x', {
      shape: [180],
      seed: 5,
      site: `${op.name}.weight`,
    }) as Float64Array;
    expect(w?.init).toEqual(Float32Array.from(drawn));
    const weights = w?.init as Float32Array;
    expect(new Set(weights).size).toBeGreaterThan(100);
    for (const x of weights) expect(x >= 0 && x < 2).toBe(true);
    const out = Array.from((await b.step({ drive: new Array(40).fill(1) })).currents!);
    for (let i = 0; i < 30; i++) {
      let sum = 0;
      for (let e = o[i]!; e < o[i + 1]!; e++) sum = Math.fround(sum + weights[e]!);
      expect(out[i]).toBe(sum);
    }
    const again = await make();
    expect(Array.from((await again.step({ drive: new Array(40).fill(1) })).currents!)).toEqual(out);
    b.destroy();
    again.destroy();
  });

  it('a constant initializer keeps the homogeneous fast path', async () => {
    const b = await Brain.fromConfig(
      brain({ in_degree: 3, weight: { __type__: 'constant_initializer_config', scale: 0.5 } }),
      {
        backend: 'cpu',
        inputShapes: { drive: [40] },
      },
    );
    const op = b.compiledBrain?.plan.ops.find((o) => o.op === 'sparse.csr');
    expect(op?.attrs).toMatchObject({ weight: 0.5 });
    expect(op?.bindings.weights).toBeUndefined();
    b.destroy();
  });

  it('max_delay: every connection draws an integer step delay uniformly in [delay, max_delay]', async () => {
    // dt 0.5: delay 0.5 → 1 step, max_delay 2 → 4 steps.
    const b = await Brain.fromConfig(brain({ in_degree: 20, weight: 1, delay: 0.5, max_delay: 2 }), {
      backend: 'cpu',
      inputShapes: { drive: [40] },
    });
    const plan = b.compiledBrain!.plan;
    const d = plan.buffers.find((x) => x.name.endsWith('.delays'))!.init as Uint32Array;
    const counts = [0, 0, 0, 0, 0];
    for (const x of d) counts[x]!++;
    expect(counts[0]).toBe(0);
    // 600 draws over 4 values: each near 150 (binomial sd ≈ 10.6).
    for (const c of counts.slice(1)) expect(Math.abs(c - 150)).toBeLessThan(50);
    const perStep: number[] = [];
    for (let t = 0; t < 6; t++) {
      const c = (await b.step({ drive: new Array(40).fill(t === 0 ? 1 : 0) })).currents!;
      perStep.push(Array.from(c).reduce((a, x) => a + x, 0));
    }
    expect(perStep).toEqual([0, counts[1], counts[2], counts[3], counts[4], 0]);
    b.destroy();
    await expect(
      Brain.fromConfig(brain({ delay: 2, max_delay: 1 }), { backend: 'cpu', inputShapes: { drive: [40] } }),
    ).rejects.toThrow(/max_delay.*must be ≥ delay/);
  });
});
