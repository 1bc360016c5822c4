/**
 * A brain made of the three custom modules: rate_encoder → a custom neuron (linear synapses →
 * quadratic_soma, nearest_stdp on the kernel) — Spark's `alif_mod_neuron` style of composition.
 *
 * @module
 */
import {
  type ConfigBody,
  type ConfigDocument,
  createBrainConfig,
  defaultRegistry,
  moduleSpecs,
  portMap,
  type Registry,
  registerNeuronFromConfig,
} from '@spark-snn/config';
import {
  type CarriedNeuron,
  type DefinedModule,
  defaultLowerings,
  defineModule,
  type LoweringRegistry,
} from '@spark-snn/nn';
import { NEAREST_STDP, QUADRATIC_SOMA, RATE_ENCODER } from './definitions.ts';

/** Registries holding the built-ins plus the three custom modules and the custom neuron. */
export interface CustomSetup {
  readonly registry: Registry;
  readonly lowerings: LoweringRegistry;
  readonly modules: readonly DefinedModule[];
  /** The custom neuron built from the components (to embed in model files). */
  readonly neurons: readonly CarriedNeuron[];
}

/** Registers the custom modules (into copies of the default registries). */
export function registerCustomModules(): CustomSetup {
  const registry = defaultRegistry.clone();
  const lowerings = defaultLowerings();
  const modules = [QUADRATIC_SOMA, NEAREST_STDP, RATE_ENCODER].map((spec) =>
    defineModule(spec, { registry, lowerings }),
  );
  const part = (name: string, cls: string, init: Parameters<typeof moduleSpecs>[2]) => {
    const r = moduleSpecs(name, cls, init, registry);
    if (r.issues.some((i) => i.severity === 'error'))
      throw new Error(r.issues.map((i) => i.message).join('; '));
    return r.specs;
  };
  // A custom neuron from components, as Spark's register_neuron_from_config does.
  const qif: ConfigBody = {
    units: [16],
    inhibitory_rate: 0,
    seed: 3,
    dt: 1,
    modules_specs: [
      part('synapses', 'linear_synapses', {
        inputs: { spikes: ['__call__.in_spikes'] },
        config: { units: [16], kernel: { __type__: 'uniform_initializer_config', scale: 4 }, seed: 9 },
        effects: { kernel: ['plasticity.kernel'] },
      }),
      part('soma', 'quadratic_soma', {
        inputs: { current: ['synapses.currents'], inhibition_mask: ['__self__.inhibition_mask'] },
        outputs: { out_spikes: 'spikes' },
      }),
      part('plasticity', 'nearest_stdp', {
        inputs: {
          pre_spikes: ['__call__.in_spikes'],
          post_spikes: ['soma.spikes'],
          kernel: [portMap('synapses', 'kernel', true)],
        },
        config: { w_max: 5 },
      }),
    ],
  };
  registerNeuronFromConfig('QIFNeuron', qif, registry);
  return { registry, lowerings, modules, neurons: [{ className: 'QIFNeuron', config: qif }] };
}

/** The example brain (20 rate-coded inputs → 16 QIF neurons with STDP). */
export function customBrain(setup: CustomSetup, seed = 1): ConfigDocument {
  const { registry } = setup;
  const m = (name: string, cls: string, init: Parameters<typeof moduleSpecs>[2]) =>
    moduleSpecs(name, cls, init, registry).specs;
  return createBrainConfig(
    [
      m('encoder', 'rate_encoder', { inputs: { signal: ['__call__.rates'] }, config: { max_rate: 0.2 } }),
      m('pool', 'qif_neuron', {
        inputs: { in_spikes: ['encoder.spikes'] },
        outputs: { out: 'out_spikes' },
        config: { _s_units: [16] },
      }),
    ],
    { seed, registry },
  );
}
