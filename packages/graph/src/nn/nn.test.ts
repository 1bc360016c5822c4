// Node and headless Chromium: a live nn brain exported to NIR, written, read back, same weights.
import { createBrainConfig, defaultRegistry, moduleSpecs, registerNeuronFromConfig } from '@spark-snn/config';
import { Brain, defaultLowerings, defineModule } from '@spark-snn/nn';
import { describe, expect, it } from 'vitest';
import { readNir, writeNir } from '../nir/hdf5.ts';
import { toFloat64 } from '../tensor.ts';
import { brainAsNir, brainGraphInput } from './index.ts';

/** The Spark brains tutorial network: PoissonSpiker(64) → ALIF 256 → recurrent ALIF 128 → integrator(3). */
function tutorial() {
  const m = (name: string, cls: string, init: Parameters<typeof moduleSpecs>[2]) =>
    moduleSpecs(name, cls, init).specs;
  return createBrainConfig(
    [
      m('spiker', 'poisson_spiker', { inputs: { signal: ['__call__.signal'] } }),
      m('pool_a', 'alif_neuron', {
        inputs: { in_spikes: ['spiker.spikes'] },
        config: { _s_units: [256], inhibitory_rate: 0.3, synapses__kernel__scale: 200, _s_seed: 11 },
      }),
      m('pool_b', 'alif_neuron', {
        inputs: { in_spikes: ['pool_a.out_spikes', 'pool_b.out_spikes'] },
        config: { _s_units: [128], synapses__kernel__scale: 200, _s_seed: 12 },
      }),
      m('readout', 'exponential_integrator', {
        inputs: { spikes: ['pool_b.out_spikes'] },
        outputs: { action: 'signal' },
        config: { num_outputs: 3 },
      }),
    ],
    { seed: 5 },
  );
}

describe('asGraph for nn brains (@spark-snn/graph/nn)', () => {
  it('exports the brains tutorial to NIR and re-imports the same (signed) weights', async () => {
    const brain = await Brain.fromConfig(tutorial(), { backend: 'cpu', inputShapes: { signal: [64] } });
    const { input, diagnostics } = await brainGraphInput(brain);
    expect(input.inputs.map((i) => [i.name, i.size])).toEqual([
      ['signal', 64],
      ['spiker', 64],
    ]);
    expect(diagnostics.some((d) => d.code === 'brain.encoder-as-input')).toBe(true);
    expect(input.populations.map((p) => [p.name, p.size, p.sources])).toEqual([
      ['pool_a', 256, ['spiker']],
      ['pool_b', 128, ['pool_a', 'pool_b']],
    ]);

    const strict = await brainAsNir(brain);
    expect(strict.ok).toBe(false); // adaptive thresholds and refractoriness have no NIR primitive
    expect(strict.diagnostics.some((d) => d.path.startsWith('pool_a.soma'))).toBe(true);

    const lenient = await brainAsNir(brain, { mode: 'lenient' });
    const bytes = await writeNir(lenient.graph);
    const back = await readNir(bytes);
    expect(back.ok).toBe(true);
    const nodes = back.graph!.nodes;

    const kernels = await brain.readState(['pool_a/synapses/kernel', 'pool_b/synapses/kernel']);
    const masks = await brain.readState(['pool_a.inhibition_mask', 'pool_b.inhibition_mask']);
    const check = (
      pop: string,
      src: string,
      offset: number,
      nPre: number,
      total: number,
      post: number,
      signOf: (j: number) => number,
    ) => {
      const K = kernels[`${pop}/synapses/kernel`]!.data;
      const sum = new Float64Array(post * nPre);
      let found = 0;
      for (const [name, node] of nodes) {
        if (node.type !== 'Linear' || !name.startsWith(`${pop}.w_${src}`)) continue;
        found++;
        const W = toFloat64(node.weight);
        for (let q = 0; q < W.length; q++) sum[q]! += W[q]!;
      }
      expect(found).toBeGreaterThan(0);
      for (let i = 0; i < post; i++) {
        for (let j = 0; j < nPre; j++) {
          expect(sum[i * nPre + j]).toBeCloseTo(signOf(j) * K[i * total + offset + j]!, 5);
        }
      }
    };
    const maskA = masks['pool_a.inhibition_mask']!.data;
    const maskB = masks['pool_b.inhibition_mask']!.data;
    check('pool_a', 'spiker', 0, 64, 64, 256, () => 1);
    check('pool_b', 'pool_a', 0, 256, 384, 128, (j) => (maskA[j] ? -1 : 1));
    check('pool_b', 'pool_b', 256, 128, 384, 128, (j) => (maskB[j] ? -1 : 1));
    expect(nodes.get('action')?.type).toBe('Output');
    brain.destroy();
  });
});

describe('asGraph for custom modules', () => {
  const SOMA = `
module my_lif over unit
param tau_m: f32 = 15 [ms] positive
param v_th: f32 = -45 [mV]
param v_rest: f32 = -65 [mV]
param r: f32 = 0.5 [GOhm]
state potential: f32 = 0 [mV]
input current: CurrentArray f32 [pA]
output spikes: SpikeArray f32
potential = potential + dt / tau_m * (r * current - potential)
let fired = potential > v_th - v_rest
spikes = f32(fired)
potential = fired ? 0 : potential
`;
  async function brainWith(asGraph: boolean) {
    const registry = defaultRegistry.clone();
    const lowerings = defaultLowerings();
    defineModule(
      {
        name: 'my_lif',
        kind: 'soma',
        definition: SOMA,
        ...(asGraph
          ? { asGraph: { model: 'leaky', tau: 'tau_m', threshold: 'v_th', rest: 'v_rest', resistance: 'r' } }
          : {}),
      },
      { registry, lowerings },
    );
    const part = (name: string, cls: string, init: Parameters<typeof moduleSpecs>[2]) =>
      moduleSpecs(name, cls, init, registry).specs;
    registerNeuronFromConfig(
      'MyNeuron',
      {
        units: [3],
        inhibitory_rate: 0,
        modules_specs: [
          part('synapses', 'linear_synapses', {
            inputs: { spikes: ['__call__.in_spikes'] },
            config: { units: [3], kernel: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] },
          }),
          part('soma', 'my_lif', {
            inputs: { current: ['synapses.currents'] },
            outputs: { out_spikes: 'spikes' },
          }),
        ],
      },
      registry,
    );
    const doc = createBrainConfig(
      [
        part('enc', 'linear_spiker', { inputs: { signal: ['__call__.x'] } }),
        part('pop', 'my_neuron', { inputs: { in_spikes: ['enc.spikes'] }, outputs: { out: 'out_spikes' } }),
      ],
      { registry },
    );
    return Brain.fromConfig(doc, { backend: 'cpu', registry, lowerings, inputShapes: { x: [2] } });
  }

  it('uses the mapping a custom soma declares, and says why when there is none', async () => {
    const mapped = await brainWith(true);
    const r = await brainAsNir(mapped);
    expect(r.diagnostics.filter((d) => d.path.startsWith('pop.soma'))).toEqual([]);
    const lif = r.graph.nodes.get('pop');
    expect(lif?.type).toBe('LIF');
    if (lif?.type === 'LIF') {
      expect(toFloat64(lif.tau)[0]).toBeCloseTo(0.015, 9); // 15 ms → s
      expect(toFloat64(lif.v_threshold)[0]).toBeCloseTo(-45, 9);
      expect(toFloat64(lif.r)[0]).toBeCloseTo(0.5, 9);
    }
    mapped.destroy();
    const unmapped = await brainWith(false);
    const u = await brainAsNir(unmapped);
    expect(u.ok).toBe(false);
    expect(u.diagnostics.some((d) => d.path === 'pop.soma' && /my_lif/.test(d.message))).toBe(true);
    unmapped.destroy();
  });
});
