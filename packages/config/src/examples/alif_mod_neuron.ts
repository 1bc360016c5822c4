/**
 * The tutorial's custom neuron `ALIFModNeuron` (Spark `tutorials/alif_mod_neuron.scfg`, structure
 * described in spark-reference §3.6): N2N delays → traced synapses → adaptive leaky soma, with a
 * reward-modulated `quadruplet_rule_tensor` writing the synapse kernel through an effect, and an
 * extra controller input `modulation`. `ab_brain.scfg` needs it registered before it can load.
 *
 * Module and field values follow §3.6; the per-module seeds of the original file are not
 * published, so fixed seeds stand in for them.
 */
import { moduleSpecs, portMap, registerNeuronFromConfig } from '../api.ts';
import { initializerDefault } from '../builtins/index.ts';
import { defaultRegistry, type ModuleSpec, type Registry } from '../registry.ts';
import type { ConfigDocument } from '../scfg.ts';
import type { ConfigBody } from '../types.ts';

const spec = (
  type: string,
  pos: [number, number],
  payload: string,
  shape: number[] | null,
  dtype: string | null,
  description: string,
) => ({
  type,
  pos,
  spec: {
    __type__: 'port_specs',
    __data__: {
      payload_type: { __payload_type__: payload },
      shape,
      dtype: dtype === null ? null : { __type__: 'dtype', name: dtype },
      description,
    },
  },
});

/** The NeuronConfig body of ALIFModNeuron (defaults of the registered neuron). */
export function alifModNeuronConfig(registry?: Registry): ConfigBody {
  const delays = moduleSpecs(
    'delays',
    'n2n_delays',
    {
      inputs: { in_spikes: ['__call__.in_spikes'] },
      config: { seed: 3315914395, max_delay: 8.0, units: [] },
    },
    registry,
  ).specs;
  delays.config.delays = initializerDefault('uniform_initializer');
  const plasticity = moduleSpecs(
    'plasticity',
    'quadruplet_rule_tensor',
    {
      inputs: {
        modulation: ['__call__.modulation'],
        pre_spikes: ['delays.out_spikes'],
        post_spikes: ['soma.spikes'],
        kernel: [portMap('synapses', 'kernel', true)],
      },
      config: { seed: 1827163742 },
    },
    registry,
  ).specs;
  const soma = moduleSpecs(
    'soma',
    'adaptive_leaky_soma',
    {
      inputs: {
        current: ['synapses.currents'],
        inhibition_mask: [portMap('__self__', 'inhibition_mask', true)],
      },
      outputs: { out_spikes: 'spikes' },
      config: { seed: 2211419806 },
    },
    registry,
  ).specs;
  const synapses = moduleSpecs(
    'synapses',
    'traced_synapses',
    {
      inputs: { spikes: ['delays.out_spikes'] },
      effects: { kernel: ['plasticity.kernel'] },
      config: { seed: 3929136710, units: [1] },
    },
    registry,
  ).specs;
  synapses.config.kernel = initializerDefault('sparse_uniform_initializer');
  return {
    __metadata__: {},
    __graph_editor_metadata__: {
      in_spikes: spec('source', [-556.18, -310.82], 'spike_array', null, null, 'Input port for in_spikes'),
      out_spikes: spec('sink', [700.27, 51.77], 'spike_array', null, null, 'Output port for spikes'),
      inhibition_mask: spec(
        'property',
        [113.81, -309.91],
        'boolean_mask',
        null,
        null,
        'Property port for inhibition_mask',
      ),
      modulation: spec('source', [-221.71, 274.87], 'float_array', [1], 'float16', 'Model input port.'),
    },
    modules_specs: [delays, plasticity, soma, synapses],
    seed: 1041814402,
    dt: 1.0,
    units: [],
    inhibitory_rate: 0.2,
  };
}

/** The neuron as a `neuron_config` document (what `alif_mod_neuron.scfg` holds). */
export function alifModNeuronDocument(registry?: Registry): ConfigDocument {
  return {
    type: 'neuron_config',
    config: alifModNeuronConfig(registry),
    provenance: 'spark',
    behaviour: 'spark',
    compressed: true,
  };
}

/** Registers `alif_mod_neuron` (Spark: `register_neuron_from_config_file('ALIFModNeuron', path)`). */
export function registerAlifModNeuron(registry?: Registry): ModuleSpec {
  const target = registry ?? defaultRegistry;
  const existing = target.get('alif_mod_neuron');
  if (existing) return existing;
  return registerNeuronFromConfig('ALIFModNeuron', alifModNeuronConfig(target), target);
}
