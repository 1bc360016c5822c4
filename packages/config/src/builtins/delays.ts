/**
 * Spark's delays (spark-reference §2.4): one delay per presynaptic neuron or per synapse.
 *
 * @module
 */

import { arrayField, type FieldSpec, floatField, shapeField } from '../fields.ts';
import type { ModuleDefinition } from '../registry.ts';
import { DEFAULT_FIELDS, p } from './common.ts';
import { initializerDefault } from './initializers.ts';

const DELAY_PORTS = {
  inputs: [p('in_spikes', 'SpikeArray')],
  outputs: [p('out_spikes', 'SpikeArray')],
  properties: [p('kernel', 'IntegerArray', { settable: true })],
};

const DELAY_FIELDS: FieldSpec[] = [
  floatField('max_delay', 8.0, 'Largest delay; the ring buffer holds ceil(max_delay/dt) steps.', {
    units: 'ms',
    validators: ['positive'],
  }),
  arrayField(
    'delays',
    initializerDefault('uniform_initializer'),
    'Delays in steps (forced to 1..B by Spark).',
    {
      allowsInit: true,
      sparkType: 'Array | Initializer',
    },
  ),
];

export const DELAYS: ModuleDefinition[] = [
  {
    name: 'n_delays',
    className: 'NDelays',
    kind: 'delays',
    fields: [...DEFAULT_FIELDS, ...DELAY_FIELDS],
    ports: DELAY_PORTS,
    docs: 'One delay per presynaptic neuron. Spark flags the output async without expanding it, which breaks synapses downstream (§7.3).',
  },
  {
    name: 'n2n_delays',
    className: 'N2NDelays',
    kind: 'delays',
    fields: [
      ...DEFAULT_FIELDS,
      ...DELAY_FIELDS,
      shapeField('units', 'Postsynaptic shape (filled by the enclosing neuron).'),
    ],
    ports: DELAY_PORTS,
    docs: 'One delay per synapse; output shape `units + pre_shape` (async spikes).',
  },
];
