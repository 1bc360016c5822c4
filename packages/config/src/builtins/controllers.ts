/**
 * Controllers (spark-reference §1.4.2): the Brain, the generic Neuron and the built-in neurons made
 * from the standard template (delays → synapses → soma, Hebbian plasticity).
 *
 * @module
 */

import { arrayField, type FieldSpec, floatField, shapeField } from '../fields.ts';
import type { ModuleDefinition, PortDef } from '../registry.ts';
import type { ConfigBody, ModuleSpecs, PortMap } from '../types.ts';
import { DT_FIELD, p, SEED_FIELD } from './common.ts';
import { DELAYS } from './delays.ts';
import { PLASTICITY } from './plasticity.ts';
import { SOMAS } from './somas.ts';
import { SYNAPSES } from './synapses.ts';

/** Ports of every neuron controller built from the standard template. */
export const NEURON_BASE_PROPERTIES: PortDef[] = [p('inhibition_mask', 'BooleanMask')];

/** `modules_specs` field of controllers. */
export const MODULES_SPECS_FIELD: FieldSpec = {
  name: 'modules_specs',
  kind: 'modules_specs',
  sparkType: 'list[ModuleSpecs]',
  description: 'The child modules and their wiring.',
  required: true,
  editor: { widget: 'hidden' },
};

const CONTROLLER_SEED: FieldSpec = { ...SEED_FIELD, description: 'Seed of the controller.' };

/** Fields of `NeuronConfig`, in Spark's order, plus the spark-snn `inhibition_mask` extension. */
export const NEURON_FIELDS: readonly FieldSpec[] = [
  MODULES_SPECS_FIELD,
  CONTROLLER_SEED,
  DT_FIELD,
  shapeField('units', 'Shape of the neuron population; re-applied to every child with a `units` field.'),
  floatField('inhibitory_rate', 0.2, 'Fraction of inhibitory units (drawn at construction).', {
    validators: ['zero_one'],
  }),
  arrayField(
    'inhibition_mask',
    undefined,
    'spark-snn extension: explicit boolean mask of inhibitory units (shape `units`). Spark ignores it and draws its own.',
    { extension: true, sparkType: 'Array (extension)' },
  ),
];

/** Fields of `BrainConfig`, plus the spark-snn `io_specs` extension. */
export const BRAIN_FIELDS: readonly FieldSpec[] = [
  MODULES_SPECS_FIELD,
  CONTROLLER_SEED,
  DT_FIELD,
  {
    name: 'io_specs',
    kind: 'io_specs',
    sparkType: 'dict (extension)',
    description:
      'spark-snn extension: explicit controller inputs and outputs, `{"inputs": {name: PortSpecs}, "outputs": {name: PortSpecs}}`, for validation and shape checks before any data arrives. Spark ignores it.',
    extension: true,
    editor: { widget: 'hidden' },
  },
];

const pm = (origin: string, port: string, is_property = false): PortMap => ({ origin, port, is_property });

/** Default config body of a module (defaults filled, fresh seeds). */
export function defaultBody(def: ModuleDefinition): ConfigBody {
  const body: ConfigBody = { __metadata__: {}, __graph_editor_metadata__: {} };
  for (const f of def.fields) {
    if (f.extension) continue;
    if (f.defaultFactory) body[f.name] = f.defaultFactory();
    else if (f.default !== undefined) body[f.name] = structuredClone(f.default);
  }
  return body;
}

function builtinNeuronTemplate(synapses: string, somaName: string): () => ModuleSpecs[] {
  const find = (n: string) => [...DELAYS, ...SYNAPSES, ...SOMAS, ...PLASTICITY].find((d) => d.name === n)!;
  return () => [
    {
      name: 'delays',
      module_cls: { name: 'n2n_delays', subregistry: 'MODULES' },
      inputs: { in_spikes: [pm('__call__', 'in_spikes')] },
      config: defaultBody(find('n2n_delays')),
      outputs: {},
      effects: {},
    },
    {
      name: 'synapses',
      module_cls: { name: synapses, subregistry: 'MODULES' },
      inputs: { spikes: [pm('delays', 'out_spikes')] },
      config: defaultBody(find(synapses)),
      outputs: {},
      effects: { kernel: [pm('hebbian_rule', 'kernel')] },
    },
    {
      name: 'soma',
      module_cls: { name: somaName, subregistry: 'MODULES' },
      inputs: {
        current: [pm('synapses', 'currents')],
        inhibition_mask: [pm('__self__', 'inhibition_mask', true)],
      },
      config: defaultBody(find(somaName)),
      outputs: { out_spikes: 'spikes' },
      effects: {},
    },
    {
      name: 'hebbian_rule',
      module_cls: { name: 'hebbian_rule', subregistry: 'MODULES' },
      inputs: {
        pre_spikes: [pm('delays', 'out_spikes')],
        post_spikes: [pm('soma', 'spikes')],
        kernel: [pm('synapses', 'kernel', true)],
      },
      config: defaultBody(find('hebbian_rule')),
      outputs: {},
      effects: {},
    },
  ];
}

const NEURON_PORTS = {
  inputs: [p('in_spikes', 'SpikeArray')],
  outputs: [p('out_spikes', 'SpikeArray')],
  properties: NEURON_BASE_PROPERTIES,
};

export const NEURONS: ModuleDefinition[] = [
  {
    name: 'lif_neuron',
    className: 'LIFNeuron',
    kind: 'neuron',
    fields: NEURON_FIELDS.slice(),
    ports: NEURON_PORTS,
    template: builtinNeuronTemplate('linear_synapses', 'leaky_soma'),
    docs: 'LIF neuron: N2N delays → linear synapses → leaky soma, Hebbian plasticity on the kernel.',
    menuName: 'LIF',
  },
  {
    name: 'alif_neuron',
    className: 'ALIFNeuron',
    kind: 'neuron',
    fields: NEURON_FIELDS.slice(),
    ports: NEURON_PORTS,
    template: builtinNeuronTemplate('traced_synapses', 'adaptive_leaky_soma'),
    docs: 'Adaptive LIF neuron: N2N delays → traced synapses → adaptive leaky soma, Hebbian plasticity.',
    menuName: 'ALIF',
  },
  {
    name: 'ad_ex_neuron',
    className: 'AdExNeuron',
    kind: 'neuron',
    fields: NEURON_FIELDS.slice(),
    ports: NEURON_PORTS,
    template: builtinNeuronTemplate('traced_synapses', 'adaptive_exponential_soma'),
    docs: 'AdEx neuron: N2N delays → traced synapses → adaptive exponential soma, Hebbian plasticity.',
    menuName: 'AdEx',
  },
];

export const CONTROLLERS: ModuleDefinition[] = [
  {
    name: 'brain',
    className: 'Brain',
    kind: 'brain',
    fields: BRAIN_FIELDS.slice(),
    ports: { inputs: [], outputs: [], properties: [] },
    docs: 'Top-level controller. Every module→module edge has one step of latency; controller inputs are same-step. Its ports are the `__call__` inputs and the `outputs` maps of its modules.',
  },
  {
    name: 'neuron',
    className: 'Neuron',
    kind: 'neuron',
    fields: NEURON_FIELDS.slice(),
    ports: { inputs: [], outputs: [], properties: NEURON_BASE_PROPERTIES },
    docs: 'Generic neuron controller (`neuron_config`): components run in topological order within a step; effects apply after the step.',
  },
];
