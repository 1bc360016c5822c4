import { createBrainConfig, type ModuleSpecs } from '@spark-snn/config';
import { deriveStream } from '@spark-snn/core';
import { fixedProbability } from '@spark-snn/kernels';
import { Brain } from '@spark-snn/nn';
import { describe, expect, it } from 'vitest';
import { exportPyNN } from '../src/index.ts';
import type { PyNNProjection } from '../src/types.ts';
import { cubaBody, pm, spec, uniform } from './networks.ts';

const fromList = (p: PyNNProjection | undefined) => {
  if (p?.connector.kind !== 'from_list') throw new Error(`not a from_list projection: ${p?.id}`);
  return p.connector;
};

describe('exportPyNN --connectivity explicit', () => {
  const body = cubaBody(400);
  const r = exportPyNN(body, { connectivity: 'explicit', npzName: 'cuba.npz' });

  it("writes the Brain's exact edges: the connector drawn from the module's Philox stream", () => {
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([]);
    for (const [id, seed, range] of [
      ['exc', 11, [0, 320]],
      ['inh', 12, [320, 400]],
    ] as const) {
      // oracle: the documented connector contract (kernels' fixedProbability, stream = the module path's)
      const csr = fixedProbability({
        pre: 400,
        post: 400,
        p: 0.02,
        seed,
        stream: deriveStream(id) & 0x7fffffff,
        sourceRange: [range[0], range[1]],
      });
      const c = fromList(r.network.projections.find((p) => p.id === id));
      expect(c.key).toBe(id);
      expect(c.pre.length).toBe(csr.sources.length);
      const expected: string[] = [];
      for (let i = 0; i < 400; i++)
        for (let e = csr.offsets[i]!; e < csr.offsets[i + 1]!; e++)
          expected.push(`${csr.sources[e]! - range[0]}>${i}`);
      expect(Array.from(c.pre, (j, e) => `${j}>${c.post[e]}`)).toEqual(expected);
    }
    expect(r.script).toContain(
      'data = np.load(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cuba.npz"))',
    );
    expect(r.script).toContain(
      'sim.FromListConnector(np.column_stack((data["exc_pre"], data["exc_post"]))),',
    );
    expect(r.npz).toBeInstanceOf(Uint8Array);
  });

  it("starts every cell from the Brain's own initial potential", async () => {
    const v = r.network.populations[0]!.initial.v;
    expect(v?.kind).toBe('array');
    const brain = await Brain.fromConfig(
      createBrainConfig(body.modules_specs as ModuleSpecs[], { seed: 1, dt: 0.1 }),
      { backend: 'cpu', inputShapes: {} },
    );
    const state = (await brain.readState(['neurons/v']))['neurons/v']!.data;
    brain.destroy();
    const values = v?.kind === 'array' ? v.values : new Float64Array();
    expect(values.length).toBe(400);
    for (let i = 0; i < 400; i++) expect(values[i]).toBeCloseTo(state[i]!, 4);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-60);
    expect(Math.max(...values)).toBeLessThan(-50);
    expect(r.script).toContain('neurons.initialize(v=data["neurons__v"])');
  });

  it('writes a dense kernel as per-edge weights, split by sign onto the delta receptors', () => {
    const kernel = [
      [0.5, -0.2, 0],
      [0, 0.3, -0.1],
      [0.2, 0, 0],
    ];
    const modules = [
      spec(
        'neurons',
        'brunel_lif',
        { units: [3] },
        { current: [pm('dense', 'currents')], external: [pm('drive', 'current')] },
        { spikes: 'spikes' },
      ),
      spec('dense', 'linear_synapses', { units: [3], kernel }, { spikes: [pm('neurons', 'spikes')] }),
      spec('drive', 'poisson_drive', { units: [3], rate: 0.001, sources: 10, weight: 0.1 }),
    ];
    const d = exportPyNN({ seed: 1, dt: 0.1, modules_specs: modules });
    expect(d.diagnostics.filter((x) => x.severity !== 'info')).toEqual([]);
    const exc = fromList(d.network.projections.find((p) => p.id === 'dense_exc'));
    const inh = fromList(d.network.projections.find((p) => p.id === 'dense_inh'));
    // kernel[post][pre]: positive entries → excitatory, negative → inhibitory, zeros → no edge
    expect([...exc.pre].map((j, e) => [j, exc.post[e], exc.weights![e]])).toEqual([
      [0, 0, 0.5],
      [1, 1, expect.closeTo(0.3, 6)],
      [0, 2, expect.closeTo(0.2, 6)],
    ]);
    expect([...inh.pre].map((j, e) => [j, inh.post[e], inh.weights![e]])).toEqual([
      [1, 0, expect.closeTo(-0.2, 6)],
      [2, 1, expect.closeTo(-0.1, 6)],
    ]);
    expect(d.script).toContain('column_names=["weight"]');
    expect(d.npz).toBeInstanceOf(Uint8Array);
  });

  it('refuses a mixed-sign dense kernel on a current receptor (PyNN needs one sign per receptor)', () => {
    const modules = [
      spec(
        'neurons',
        'cuba_lif',
        { units: [2] },
        { exc: [pm('dense', 'currents')], inh: [pm('dense', 'currents')] },
        { spikes: 'spikes' },
      ),
      spec(
        'dense',
        'linear_synapses',
        {
          units: [2],
          kernel: [
            [1, -1],
            [0, 1],
          ],
        },
        { spikes: [pm('neurons', 'spikes')] },
      ),
    ];
    const d = exportPyNN({ seed: 1, dt: 0.1, modules_specs: modules });
    expect(d.ok).toBe(false);
    expect(d.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'weight_sign', path: 'modules_specs[1].config.kernel' }),
    );
  });
});

describe('exportPyNN: sparse synapses with per-connection values', () => {
  it('writes drawn weights and delays (max_delay) from the compiled Brain, whatever the connectivity mode', () => {
    const body = cubaBody(200);
    const exc = (body.modules_specs as ModuleSpecs[]).find((m) => m.name === 'exc')!;
    exc.config.weight = { ...uniform(2), __type__: 'uniform_initializer_config' };
    exc.config.max_delay = 0.5;
    const r = exportPyNN(body);
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: 'info', code: 'approximation', path: 'modules_specs[1]' }),
    ]);
    const p = r.network.projections.find((x) => x.id === 'exc')!;
    const c = fromList(p);
    // the Brain's edges: Bernoulli 0.02 over 160 × 200 pairs
    const csr = fixedProbability({
      pre: 200,
      post: 200,
      p: 0.02,
      seed: 11,
      stream: deriveStream('exc') & 0x7fffffff,
      sourceRange: [0, 160],
    });
    expect(c.pre.length).toBe(csr.sources.length);
    // weights U[0, 2) mV → × 1/20 nA; delays 0 … 5 steps + 2 hops − 1 (integrated) → 0.1 … 0.6 ms
    expect(Math.min(...c.weights!)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...c.weights!)).toBeLessThan(0.1);
    expect([...new Set(c.delays)].sort()).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(r.script).toContain('column_names=["weight", "delay"]');
    expect(r.script).toContain('sim.StaticSynapse(),');
    expect(r.script).toContain('the largest delay here is 0.6 ms');
  });

  it('writes an explicit edge list edge for edge, split by sign onto the delta receptors', () => {
    const modules = [
      spec(
        'neurons',
        'brunel_lif',
        { units: [4] },
        { current: [pm('edges', 'currents')], external: [pm('drive', 'current')] },
        { spikes: 'spikes' },
      ),
      spec(
        'edges',
        'sparse_synapses',
        {
          units: [4],
          sources: [0, 1, 3, 3],
          targets: [2, 0, 1, 1],
          weights: [0.5, -0.25, 1, 2],
          delays: [0, 0.2, 0.1, 0],
        },
        { spikes: [pm('neurons', 'spikes')] },
      ),
      spec('drive', 'poisson_drive', { units: [4], rate: 0.001, sources: 1, weight: 0.5 }),
    ];
    const r = exportPyNN({ seed: 1, dt: 0.1, modules_specs: modules });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const rows = (id: string) => {
      const c = fromList(r.network.projections.find((x) => x.id === id));
      return [...c.pre].map((j, e) => [j, c.post[e], c.weights![e], c.delays![e]]).sort();
    };
    // a voltage jump (brunel_lif): PyNN delay = (2 hops + delay steps) · dt
    expect(rows('edges_exc')).toEqual([
      [0, 2, 0.5, 0.2],
      [3, 1, 1, 0.3],
      [3, 1, 2, 0.2],
    ]);
    expect(rows('edges_inh')).toEqual([[1, 0, -0.25, 0.4]]);
  });
});
