/**
 * Spark's interfaces (spark-reference §2.6): spikers, integrators and the control modules
 * (concat, sampler), and spark-snn's Poisson drive.
 *
 * @module
 */

import { arrayField, boolField, type FieldSpec, floatField, intField, shapeField } from '../fields.ts';
import type { ModuleDefinition } from '../registry.ts';
import { DEFAULT_FIELDS, p } from './common.ts';

const SPIKER_PORTS = {
  inputs: [p('signal', 'FloatArray')],
  outputs: [p('spikes', 'SpikeArray')],
  properties: [],
};

const MAX_FREQ = floatField('max_freq', 100.0, 'Firing rate for an input of 1.', {
  units: 'Hz',
  validators: ['positive'],
});
const LINEAR_FIELDS = [
  floatField('tau', 100.0, 'Integration time constant.', { units: 'ms', validators: ['positive'] }),
  floatField('cd', 2.0, 'Refractory period.', { units: 'ms', validators: ['positive'] }),
  MAX_FREQ,
];
const TOPO_FIELDS = [
  arrayField('glue', 0, '1 = circular (periodic) dimension, per dimension or scalar.', {
    validators: ['binary'],
  }),
  arrayField('mins', 0, 'Lower end of the encoded range.'),
  arrayField('maxs', 1, 'Upper end of the encoded range.'),
  intField('resolution', 64, 'Units per input element.', { validators: ['positive'] }),
  floatField('sigma', 1 / 32, 'Width factor of the bump (multiplies d² directly).', {
    validators: ['positive'],
  }),
];

const iface = (
  name: string,
  className: string,
  path: string,
  fields: FieldSpec[],
  ports: ModuleDefinition['ports'],
  docs: string,
): ModuleDefinition => ({
  name,
  className,
  kind: 'interface',
  path,
  fields: [...DEFAULT_FIELDS, ...fields],
  ports,
  docs,
});

const ANY_PORTS = (listInput: boolean) => ({
  inputs: [p('inputs', 'AnyPayload', listInput ? { list: true } : {})],
  outputs: [p('output', 'AnyPayload')],
  properties: [],
});

/** External Poisson drive (spark-snn addition): a source module without inputs. */
const POISSON_DRIVE: ModuleDefinition = {
  name: 'poisson_drive',
  className: 'PoissonDrive',
  kind: 'interface',
  path: 'Interfaces/Input',
  fields: [
    ...DEFAULT_FIELDS,
    shapeField('units', 'Shape of the driven population (one drive per unit).'),
    floatField('rate', 0.01, 'Rate of each source (1 kHz = 1000 Hz).', {
      units: 'kHz',
      validators: ['nonnegative'],
    }),
    floatField('sources', 1000, 'Independent Poisson sources per unit.', { validators: ['nonnegative'] }),
    floatField('weight', 0.1, 'Jump of the output per arrival.', { units: 'mV' }),
  ],
  ports: { inputs: [], outputs: [p('current', 'CurrentArray')], properties: [] },
  docs: "External Poisson drive (spark-snn addition; Brunel's ν_ext): each step, `current = weight · Poisson(rate · sources · dt)` per unit, drawn from the counter-based RNG. No inputs.",
};

export const INTERFACES: ModuleDefinition[] = [
  iface(
    'poisson_spiker',
    'PoissonSpiker',
    'Interfaces/Input',
    [MAX_FREQ],
    SPIKER_PORTS,
    'Poisson spikes with probability `dt·max_freq/1000·x` per step.',
  ),
  iface(
    'linear_spiker',
    'LinearSpiker',
    'Interfaces/Input',
    LINEAR_FIELDS,
    SPIKER_PORTS,
    'Integrate-to-threshold encoder: rate ≈ max_freq·x.',
  ),
  iface(
    'topological_poisson_spiker',
    'TopologicalPoissonSpiker',
    'Interfaces/Input',
    [MAX_FREQ, ...TOPO_FIELDS],
    SPIKER_PORTS,
    'Population (place-cell) code: each input element becomes `resolution` Poisson units.',
  ),
  iface(
    'topological_linear_spiker',
    'TopologicalLinearSpiker',
    'Interfaces/Input',
    [...LINEAR_FIELDS, ...TOPO_FIELDS],
    SPIKER_PORTS,
    'Population (place-cell) code driving linear spikers.',
  ),
  iface(
    'exponential_integrator',
    'ExponentialIntegrator',
    'Interfaces/Output',
    [
      intField(
        'num_outputs',
        undefined,
        'Number of output signals (input units are split into this many groups).',
        {
          validators: ['positive'],
        },
      ),
      floatField('saturation_freq', 50.0, 'Population rate that maps to ≈ 1.', {
        units: 'Hz',
        validators: ['positive'],
      }),
      floatField('tau', 5.0, 'Time constant of the output trace.', { units: 'ms', validators: ['positive'] }),
      arrayField('output_map', null, 'Explicit input-to-output grouping (none = contiguous groups).', {
        nullable: true,
        sparkType: 'Array | None',
      }),
      boolField('shuffle', true, 'Randomly permute the groups once at build time.'),
      boolField(
        'smooth_trace',
        true,
        'Use the rise–decay trace (10 ms decay) instead of a single exponential.',
      ),
    ],
    { inputs: [p('spikes', 'SpikeArray')], outputs: [p('signal', 'FloatArray')], properties: [] },
    'Decodes spikes into `num_outputs` exponentially filtered population rates.',
  ),
  iface(
    'concat',
    'Concat',
    'Interfaces/ControlInterface',
    [],
    ANY_PORTS(true),
    "Concatenates the flattened inputs (in the first input's payload type).",
  ),
  iface(
    'concat_reshape',
    'ConcatReshape',
    'Interfaces/ControlInterface',
    [shapeField('reshape', 'Output shape after concatenation.', { editor: { widget: 'shape' } })],
    ANY_PORTS(true),
    'Concatenates the flattened inputs, then reshapes.',
  ),
  iface(
    'sampler',
    'Sampler',
    'Interfaces/ControlInterface',
    [
      intField('sample_size', undefined, 'Number of elements drawn (with replacement) at build time.', {
        validators: ['positive'],
      }),
    ],
    ANY_PORTS(false),
    'Picks `sample_size` elements of the flattened input (indices drawn once).',
  ),
  POISSON_DRIVE,
];
