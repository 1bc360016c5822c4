import {
  type ConfigBody,
  createBrainConfig,
  defaultRegistry,
  moduleSpecs,
  type Registry,
  registerNeuronFromConfig,
  writeScfg,
} from '@spark-snn/config';
import { describe, expect, it } from 'vitest';
import { Brain } from './brain.ts';
import { attachModules, type CustomModuleSpec, defineModule, graphMappingOf, loadModel } from './custom.ts';
import { defaultLowerings } from './lowerings/index.ts';

/** linear_synapses written as equations: per synapse `current = kernel · spikes`, summed per row. */
const MY_LINEAR: CustomModuleSpec = {
  name: 'my_linear_synapses',
  kind: 'synapses',
  definition: `
module my_linear_synapses over synapse
param gain: f32 = 1
input spikes: SpikeArray f32 per pre
input kernel: FloatArray f32 per synapse [pA]
output current: CurrentArray f32 [pA]

current = gain * kernel * spikes
`,
};

const N_IN = 12;
const N = 8;

/** encoder → a neuron of `synapses` → leaky_soma, in `registry`. */
function brainWith(registry: Registry, synapses: string) {
  const part = (name: string, cls: string, init: Parameters<typeof moduleSpecs>[2]) => {
    const r = moduleSpecs(name, cls, init, registry);
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    return r.specs;
  };
  const neuron: ConfigBody = {
    units: [N],
    inhibitory_rate: 0,
    seed: 3,
    dt: 1,
    modules_specs: [
      part('synapses', synapses, {
        inputs: { spikes: ['__call__.in_spikes'] },
        config: { units: [N], kernel: { __type__: 'uniform_initializer_config', scale: 500 }, seed: 9 },
      }),
      part('soma', 'leaky_soma', {
        inputs: { current: ['synapses.currents'], inhibition_mask: ['__self__.inhibition_mask'] },
        outputs: { out_spikes: 'spikes' },
      }),
    ],
  };
  const className = `${synapses === 'linear_synapses' ? 'Builtin' : 'Custom'}Neuron`;
  registerNeuronFromConfig(className, neuron, registry);
  const cls = className.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return createBrainConfig(
    [
      part('encoder', 'poisson_spiker', { inputs: { signal: ['__call__.rates'] } }),
      part('pool', cls, { inputs: { in_spikes: ['encoder.spikes'] }, outputs: { out: 'out_spikes' } }),
    ],
    { seed: 1, registry },
  );
}

describe('custom synapses', () => {
  it('declare the fields every synapse shares as config does (no copy of their defaults)', () => {
    const registry = defaultRegistry.clone();
    defineModule(MY_LINEAR, { registry, lowerings: defaultLowerings() });
    const base = registry.get('linear_synapses')?.fields ?? [];
    const fields = registry.get('my_linear_synapses')?.fields ?? [];
    expect(fields.map((f) => f.name)).toEqual([...base.map((f) => f.name), 'gain']);
    for (const f of base) expect(fields.find((g) => g.name === f.name)).toEqual(f);
  });

  it('run as the built-in linear_synapses they restate (cpu, spikes and kernel exact)', async () => {
    const registry = defaultRegistry.clone();
    const lowerings = defaultLowerings();
    defineModule(MY_LINEAR, { registry, lowerings });
    const load = (synapses: string) =>
      Brain.fromConfig(brainWith(registry, synapses), {
        backend: 'cpu',
        registry,
        lowerings,
        inputShapes: { rates: [N_IN] },
      });
    const builtin = await load('linear_synapses');
    const custom = await load('my_linear_synapses');
    // No state is copied across: both kernels come from the one synapse builder (same draw).
    const rates = Float32Array.from({ length: N_IN }, (_, i) => (i + 1) / N_IN);
    const run = async (brain: Brain) => {
      const rec = await brain.run({ steps: 200, inputs: { rates }, record: ['pool.out_spikes'] });
      const kernel = (await brain.readState(['pool/synapses/kernel']))['pool/synapses/kernel']!.data;
      brain.destroy();
      return { spikes: Array.from(rec.series['pool.out_spikes']!.data), kernel: Array.from(kernel) };
    };
    const a = await run(builtin);
    const b = await run(custom);
    expect(a.spikes.some((x) => x !== 0)).toBe(true);
    expect(a.spikes.some((x) => x === 0)).toBe(true);
    expect(b.kernel).toEqual(a.kernel);
    expect(b.spikes).toEqual(a.spikes);
  });
});

describe('custom modules in model files', () => {
  it("keep a soma's hardware meaning (asGraph) through attachModules and loadModel", () => {
    const registry = defaultRegistry.clone();
    const asGraph = { model: 'leaky', tau: 'tau', threshold: 'v_th' } as const;
    const soma = defineModule(
      {
        name: 'my_soma',
        kind: 'soma',
        asGraph,
        definition: `
module my_soma over unit
param tau: f32 = 10 [ms] positive
param v_th: f32 = 1
state potential: f32 = 0
input current: CurrentArray f32
output spikes: SpikeArray f32
potential = potential + dt / tau * (current - potential)
let fired = potential > v_th
spikes = f32(fired)
potential = fired ? 0 : potential
`,
      },
      { registry, lowerings: defaultLowerings() },
    );
    const doc = createBrainConfig(
      [moduleSpecs('soma', 'my_soma', { inputs: { current: ['__call__.current'] } }, registry).specs],
      { registry },
    );
    const loaded = loadModel(writeScfg(attachModules(doc, [soma], { registry })));
    expect(loaded.modules.map((m) => m.toJSON().asGraph)).toEqual([asGraph]);
    expect(graphMappingOf(loaded.registry, 'my_soma')).toEqual(asGraph);
  });
});
