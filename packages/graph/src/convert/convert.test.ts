import { mulberry32 } from '@spark-snn/core';
import { describe, expect, it } from 'vitest';
import { lif, linear, residual, sequential } from '../hw/builders.ts';
import { findRecurrent, getModule } from '../hw/graph.ts';
import { readNir, writeNir } from '../nir/hdf5.ts';
import { inferTypes } from '../nir/infer.ts';
import { simulateNir } from '../nir/simulate.ts';
import type { NirGraph, NirNode } from '../nir/types.ts';
import { type Tensor, tensor, tensorEquals, toArray } from '../tensor.ts';
import { type BrainGraphInput, type BrainPopulation, brainToNir } from './brain.ts';
import { hwToNir, nirToHw } from './nir-hw.ts';

const rng = mulberry32;
const randT = (r: () => number, shape: [number, number]) =>
  tensor(
    Array.from({ length: shape[0] * shape[1] }, () => r() * 2 - 1),
    { shape },
  );
const leaky = { model: 'leaky', tau: 20, threshold: 1, rest: 0, reset: 0 } as const;
const weightOf = (g: NirGraph, name: string): Tensor => {
  const n = g.nodes.get(name);
  if (!n || (n.type !== 'Linear' && n.type !== 'Affine')) throw new Error(`no weights at ${name}`);
  return n.weight;
};
const matvec = (W: Tensor, x: number[]) => {
  const [o, i] = W.shape as [number, number];
  return Array.from({ length: o }, (_, r) => x.reduce((s, v, c) => s + W.data[r * i + c]! * v, 0));
};

describe('Brain → NIR', () => {
  const r = rng(7);
  const pop = (
    p: Partial<BrainPopulation> & Pick<BrainPopulation, 'name' | 'size' | 'sources'>,
  ): BrainPopulation => ({ soma: leaky, synapses: { model: 'linear' }, ...p });

  it('splits a concatenated kernel into per-source Linear blocks whose sum equals the product', () => {
    const K = randT(r, [5, 7]);
    const brain: BrainGraphInput = {
      dt: 1,
      inputs: [{ name: 'in', size: 3 }],
      populations: [
        pop({ name: 'A', size: 4, sources: ['in'], kernel: randT(r, [4, 3]) }),
        pop({ name: 'B', size: 5, sources: ['in', 'A'], kernel: K }),
      ],
      outputs: [{ name: 'out', source: 'B' }],
    };
    const res = brainToNir(brain);
    expect(res.diagnostics).toEqual([]);
    const g = res.graph;
    const W1 = weightOf(g, 'B.w_in');
    const W2 = weightOf(g, 'B.w_A');
    expect(W1.shape).toEqual([5, 3]);
    expect(W2.shape).toEqual([5, 4]);
    for (let trial = 0; trial < 5; trial++) {
      const x1 = Array.from({ length: 3 }, () => r());
      const x2 = Array.from({ length: 4 }, () => r());
      const sum = matvec(W1, x1).map((v, i) => v + matvec(W2, x2)[i]!);
      const ref = matvec(K, [...x1, ...x2]);
      sum.forEach((v, i) => {
        expect(v).toBeCloseTo(ref[i]!, 12);
      });
    }
    // one-step latency: population → population edges go through Delay(dt); Brain inputs are same-step
    expect(g.edges).toContainEqual(['A', 'B.delay_A']);
    expect(g.edges).toContainEqual(['in', 'B.w_in']);
    const d = g.nodes.get('B.delay_A')!;
    expect(d.type === 'Delay' && toArray(d.delay)).toEqual([0.001, 0.001, 0.001, 0.001]);
    // without latency there are no Delay nodes
    const noLat = brainToNir(brain, { latency: false }).graph;
    expect([...noLat.nodes.values()].some((n) => n.type === 'Delay')).toBe(false);
  });

  it('units ms → s, CubaLIF w_in conventions, inhibitory sign folding', () => {
    const brain: BrainGraphInput = {
      dt: 0.5,
      inputs: [{ name: 'in', size: 2 }],
      populations: [
        pop({
          name: 'E',
          size: 2,
          sources: ['in'],
          kernel: tensor([
            [1, 0],
            [0, 1],
          ]),
          inhibitory: [false, true],
          synapses: { model: 'traced', tau: [5, 10], scale: 2 },
        }),
        pop({ name: 'O', size: 1, sources: ['E'], kernel: tensor([[0.5, 0.5]]) }),
      ],
      outputs: [{ name: 'out', source: 'O', readout: { tau: 50 } }],
    };
    const g = brainToNir(brain).graph;
    expect(g.metadata?.dt).toBe(0.0005);
    const e = g.nodes.get('E')!;
    if (e.type !== 'CubaLIF') throw new Error('CubaLIF');
    expect(toArray(e.tau_mem)).toEqual([0.02, 0.02]);
    expect(toArray(e.tau_syn)).toEqual([0.005, 0.01]);
    expect(toArray(e.w_in)[0]).toBeCloseTo((2 * 0.005) / 0.0005, 12);
    const zoh = brainToNir(brain, { convention: 'zoh' }).graph.nodes.get('E') as Extract<
      NirNode,
      { type: 'CubaLIF' }
    >;
    expect(toArray(zoh.w_in)[0]).toBeCloseTo(2 / (1 - Math.exp(-0.1)), 12);
    // neuron 1 of E is inhibitory: its column in O's weights is negated
    expect(toArray(weightOf(g, 'O.w_E'))).toEqual([0.5, -0.5]);
    const li = g.nodes.get('out.readout')!;
    expect(li.type === 'LI' && toArray(li.tau)).toEqual([0.05]);
  });

  it('per-synapse delays: grouped Delay/Linear paths reproduce the delayed sum', () => {
    const N = 3;
    const n = 4;
    const K = randT(r, [N, n]);
    const steps = tensor(
      Array.from({ length: N * n }, () => Math.floor(r() * 3)),
      { shape: [N, n] },
    );
    const brain: BrainGraphInput = {
      dt: 1,
      inputs: [{ name: 'in', size: n }],
      populations: [
        pop({ name: 'P', size: N, sources: ['in'], kernel: K, delays: { kind: 'synapse', steps } }),
      ],
      outputs: [{ name: 'out', source: 'P' }],
    };
    const res = brainToNir(brain);
    expect(res.diagnostics).toEqual([]);
    const linears = [...res.graph.nodes.keys()].filter((k) => k.startsWith('P.w_in'));
    expect(linears.length).toBe(new Set(toArray(steps)).size);
    const T = 12;
    const x = Array.from({ length: T * n }, () => (r() > 0.5 ? 1 : 0));
    const sim = simulateNir(res.graph, { dt: 1e-3, steps: T, inputs: { in: x } });
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < N; i++) {
        let ref = 0;
        for (let j = 0; j < n; j++) {
          const d = steps.data[i * n + j]!;
          if (t - d >= 0) ref += K.data[i * n + j]! * x[(t - d) * n + j]!;
        }
        const got = linears.reduce((s, k) => s + sim.traces.get(k)!.output[t * N + i]!, 0);
        expect(got).toBeCloseTo(ref, 12);
      }
    }
  });

  it('reports inexpressible components: strict errors, lenient warnings with originals in metadata', () => {
    const brain: BrainGraphInput = {
      dt: 1,
      inputs: [{ name: 'in', size: 2 }],
      populations: [
        pop({
          name: 'Z',
          size: 2,
          sources: ['in'],
          kernel: tensor([
            [1, 0],
            [0, 1],
          ]),
          soma: { model: 'izhikevich_soma', params: { a: 0.02, b: 0.2 } },
        }),
      ],
      outputs: [{ name: 'out', source: 'Z' }],
    };
    const strict = brainToNir(brain);
    expect(strict.ok).toBe(false);
    expect(strict.diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'error', code: 'brain.inexpressible', path: 'Z.soma' }),
    );
    const lenient = brainToNir(brain, { mode: 'lenient' });
    expect(lenient.ok).toBe(true);
    const z = lenient.graph.nodes.get('Z')!;
    expect(z.metadata?.spark_original).toEqual({ soma_model: 'izhikevich_soma', soma_a: 0.02, soma_b: 0.2 });
  });

  it('an ab_brain-like network (spiker → four ALIF pools → integrator) converts in lenient mode', () => {
    const alif = (name: string, size: number, sources: string[], nPre: number): BrainPopulation => ({
      name,
      size,
      sources,
      soma: { model: 'adaptive_leaky_soma', tau: 20, threshold: 1 },
      synapses: { model: 'traced', tau: 5 },
      kernel: randT(r, [size, nPre]),
      refractory: 2,
      adaptiveThreshold: true,
      plasticity: 'three_factor_hebbian_rule',
      modulation: ['reward'],
      inhibitory: name.startsWith('I'),
    });
    const brain: BrainGraphInput = {
      dt: 1,
      source: 'ab_brain.scfg (structure)',
      inputs: [{ name: 'spiker', size: 8 }],
      populations: [
        alif('E1', 16, ['spiker', 'I1'], 12),
        alif('I1', 4, ['E1'], 16),
        alif('E2', 8, ['E1', 'I2'], 20),
        alif('I2', 4, ['E2'], 8),
      ],
      outputs: [{ name: 'integrator', source: 'E2', readout: { tau: 20 } }],
    };
    expect(brainToNir(brain).ok).toBe(false);
    const res = brainToNir(brain, { mode: 'lenient' });
    expect(res.ok).toBe(true);
    const codes = new Set(res.diagnostics.map((d) => `${d.code}:${d.path.split('.').slice(1).join('.')}`));
    for (const c of [
      'brain.inexpressible:soma',
      'brain.inexpressible:soma.refractory',
      'brain.inexpressible:soma.threshold',
      'brain.plasticity-dropped:plasticity',
      'brain.modulation-dropped:reward',
    ]) {
      expect(codes).toContain(c);
    }
    expect(inferTypes(res.graph).diagnostics).toEqual([]);
  });

  it('export → HDF5 → import gives the same weights', async () => {
    const brain: BrainGraphInput = {
      dt: 1,
      inputs: [{ name: 'in', size: 3 }],
      populations: [
        pop({ name: 'A', size: 4, sources: ['in', 'B'], kernel: randT(r, [4, 5]) }),
        pop({ name: 'B', size: 2, sources: ['A'], kernel: randT(r, [2, 4]) }),
      ],
      outputs: [{ name: 'out', source: 'B' }],
    };
    const g = brainToNir(brain).graph;
    const back = await readNir(await writeNir(g));
    expect(back.ok).toBe(true);
    for (const [k, n] of g.nodes) {
      if (n.type !== 'Linear') continue;
      expect(tensorEquals(n.weight, weightOf(back.graph!, k))).toBe(true);
    }
    expect(back.graph!.edges.length).toBe(g.edges.length);
  });
});

describe('hardware graph ↔ NIR', () => {
  const net = () =>
    sequential(
      linear(
        tensor([
          [0.1, 0.2, 0.3],
          [0.4, 0.5, 0.6],
        ]),
        { name: 'w0' },
      ),
      lif({
        n: 3,
        tauMem: 0.02,
        tauSyn: 0.004,
        threshold: 1,
        dt: 0.001,
        wRec: tensor([
          [0, 1, 0],
          [0, 0, 1],
          [1, 0, 0],
        ]),
        name: 'h',
      }),
      linear(tensor([[1], [2], [3]]), { name: 'w1' }),
      lif({ n: 1, tauMem: 0.02, tauSyn: 0.004, dt: 0.001, name: 'o' }),
    );

  it('round trip keeps the weights, recurrence and neuron parameters', () => {
    const { graph: nir, diagnostics } = hwToNir(net());
    expect(diagnostics).toEqual([]);
    expect(inferTypes(nir).diagnostics).toEqual([]);
    expect(nir.edges).toContainEqual(['h', 'h_rec']);
    expect(nir.edges).toContainEqual(['h_rec', 'h']);
    const h = nir.nodes.get('h')!;
    if (h.type !== 'CubaLIF') throw new Error('CubaLIF');
    expect(toArray(h.r)[0]).toBeCloseTo(20, 12);
    expect(toArray(h.w_in)[0]).toBeCloseTo(4, 12);
    const back = nirToHw(nir);
    expect(back.diagnostics).toEqual([]);
    for (const id of ['w0', 'h_rec', 'w1']) {
      const a = getModule(net(), id);
      const b = getModule(back.graph, id);
      if (a.kind !== 'linear' || b.kind !== 'linear') throw new Error('linear');
      expect(toArray(b.weights)).toEqual(toArray(a.weights));
    }
    expect(findRecurrent(back.graph).recurrent.sort()).toEqual(['h', 'h_rec']);
  });

  it('aliases become extra edges; 2-synapse neurons become subgraphs', () => {
    const g = sequential(
      linear(tensor(Array(16).fill(0.5), { shape: [2, 8] }), { name: 'l0' }),
      lif({ n: 4, synapses: 2, tauMem: 0.02, tauSyn: [0.002, 0.004], dt: 0.001, name: 'lif0' }),
      residual(
        linear(tensor(Array(16).fill(0.25), { shape: [4, 4] }), { name: 'l1' }),
        lif({ n: 4, tauMem: 0.02, tauSyn: 0.02, dt: 0.001, name: 'lif1' }),
      ),
      linear(tensor(Array(8).fill(1), { shape: [4, 2] }), { name: 'l2' }),
      lif({ n: 2, tauMem: 0.02, tauSyn: 0.02, dt: 0.001, name: 'lif2' }),
    );
    const { graph: nir } = hwToNir(g);
    expect(nir.edges).toContainEqual(['lif0', 'l2']);
    expect(nir.edges).toContainEqual(['lif1', 'l2']);
    const sub = nir.nodes.get('lif0')!;
    expect(sub.type).toBe('NIRGraph');
    expect(inferTypes(nir).diagnostics).toEqual([]);
  });
});

describe('multi-synapse round trip through NIR', () => {
  it('hw → NIR subgraph → hw restores a 2-synapse population and maps like the original', async () => {
    const { mapXylo } = await import('../devices/xylo/mapper.ts');
    const { XYLO_AUDIO2 } = await import('../devices/profiles.ts');
    const { toRockpoolSpec } = await import('../devices/xylo/spec.ts');
    const g = sequential(
      linear(
        tensor(
          Array.from({ length: 16 }, (_, i) => i / 16),
          { shape: [2, 8] },
        ),
        { name: 'l0' },
      ),
      lif({ n: 4, synapses: 2, tauMem: 0.02, tauSyn: [0.002, 0.004], dt: 0.001, name: 'lif0' }),
      linear(tensor(Array(8).fill(1), { shape: [4, 2] }), { name: 'l1' }),
      lif({ n: 2, tauMem: 0.02, tauSyn: 0.02, dt: 0.001, name: 'lif1' }),
    );
    const nir = hwToNir(g).graph;
    const bytes = await writeNir(nir);
    const back = nirToHw((await readNir(bytes)).graph!);
    expect(back.diagnostics).toEqual([]);
    const m = getModule(back.graph, 'lif0');
    expect(m.kind === 'lif' && Array.from(m.tauSyn)).toEqual([
      0.002, 0.004, 0.002, 0.004, 0.002, 0.004, 0.002, 0.004,
    ]);
    const a = toRockpoolSpec(mapXylo(g, XYLO_AUDIO2).spec!, XYLO_AUDIO2);
    const b = toRockpoolSpec(mapXylo(back.graph, XYLO_AUDIO2).spec!, XYLO_AUDIO2);
    expect(b).toEqual(a);
  });
});

describe('more conversions', () => {
  it('per-neuron delays become one Delay node on the source channels', () => {
    const K = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const brain: BrainGraphInput = {
      dt: 2,
      inputs: [{ name: 'in', size: 3 }],
      populations: [
        {
          name: 'P',
          size: 2,
          sources: ['in'],
          kernel: K,
          soma: leaky,
          synapses: { model: 'linear' },
          delays: { kind: 'neuron', steps: [0, 1, 3] },
        },
      ],
      outputs: [{ name: 'out', source: 'P' }],
    };
    const res = brainToNir(brain);
    expect(res.diagnostics).toEqual([]);
    const d = res.graph.nodes.get('P.delay_in')!;
    expect(d.type === 'Delay' && toArray(d.delay)).toEqual([0, 0.002, 0.006]);
    const T = 8;
    const x = Array.from({ length: T * 3 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const sim = simulateNir(res.graph, { dt: 0.002, steps: T, inputs: { in: x } });
    const steps = [0, 1, 3];
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < 2; i++) {
        let ref = 0;
        for (let j = 0; j < 3; j++)
          if (t - steps[j]! >= 0) ref += K.data[i * 3 + j]! * x[(t - steps[j]!) * 3 + j]!;
        expect(sim.traces.get('P.w_in')!.output[t * 2 + i]).toBeCloseTo(ref, 12);
      }
    }
  });

  it('a mapped (Xylo) graph exports its float parameters, τ = dt·2^dash', async () => {
    const { mapXylo } = await import('../devices/xylo/mapper.ts');
    const { XYLO_AUDIO2 } = await import('../devices/profiles.ts');
    const g = sequential(
      linear(tensor([[1, 1]]), { name: 'w0' }),
      lif({ n: 2, tauMem: 0.02, tauSyn: 0.005, dt: 0.001, name: 'h' }),
      linear(tensor([[1], [1]]), { name: 'w1' }),
      lif({ n: 1, tauMem: 0.03, tauSyn: 0.004, dt: 0.001, name: 'o' }),
    );
    const mapped = mapXylo(g, XYLO_AUDIO2).graph;
    expect(getModule(mapped, 'h').kind).toBe('xylo.hidden');
    const nir = hwToNir(mapped).graph;
    const h = nir.nodes.get('h')!;
    if (h.type !== 'CubaLIF') throw new Error('CubaLIF');
    expect(toArray(h.tau_mem)[0]).toBeCloseTo(0.02, 15);
    expect(toArray(h.tau_syn)[0]).toBeCloseTo(0.005, 15);
    const o = nir.nodes.get('o')!;
    expect(o.type === 'CubaLIF' && toArray(o.tau_mem)[0]).toBeCloseTo(0.03, 15);
  });
});

describe('brainToNir name collisions', () => {
  it('renames an Output node that would collide with an input of the same name', () => {
    const r = brainToNir({
      dt: 1,
      inputs: [{ name: 'spikes', size: 2 }],
      populations: [
        {
          name: 'pop',
          size: 2,
          soma: { model: 'leaky', tau: 10, threshold: 1 },
          synapses: { model: 'linear' },
          sources: ['spikes'],
          kernel: tensor([
            [1, 0],
            [0, 1],
          ]),
        },
      ],
      outputs: [{ name: 'spikes', source: 'pop' }],
    });
    expect(r.graph.nodes.get('spikes')?.type).toBe('Input');
    expect(r.graph.nodes.get('spikes.output')?.type).toBe('Output');
    expect(r.diagnostics.some((d) => d.code === 'brain.name-collision')).toBe(true);
    expect(r.ok).toBe(true);
  });
});
