/**
 * Spark's somas (spark-reference §2.2): leaky, refractory, adaptive, exponential and Izhikevich.
 *
 * @module
 */

import { type FieldSpec, paramField } from '../fields.ts';
import type { ModuleDefinition } from '../registry.ts';
import { DEFAULT_FIELDS, p } from './common.ts';

const SOMA_PORTS = {
  inputs: [p('current', 'CurrentArray'), p('inhibition_mask', 'BooleanMask', { optional: true })],
  outputs: [p('spikes', 'SpikeArray')],
  properties: [p('potential', 'PotentialArray')],
};

const LEAKY = (rest: number, reset: number, tau: number, r: number, th: number): FieldSpec[] => [
  paramField('potential_rest', rest, 'mV', 'Resting potential E_rest.'),
  paramField('potential_reset', reset, 'mV', 'Potential after a spike.'),
  paramField('potential_tau', tau, 'ms', 'Membrane time constant.', { validators: ['positive'] }),
  paramField('resistance', r, 'GΩ', 'Membrane resistance R.'),
  paramField('threshold', th, 'mV', 'Spike threshold (strict `>`).'),
];
const COOLDOWN = paramField('cooldown', 2.0, 'ms', 'Refractory period (rounded to steps).', {
  validators: ['nonnegative'],
});
const ADAPTIVE_THRESHOLD = [
  paramField('threshold_tau', 20.0, 'ms', 'Time constant of the adaptive threshold.', {
    validators: ['positive'],
  }),
  paramField('threshold_delta', 100.0, 'mV', 'Threshold increase per spike.'),
];
const EXPONENTIAL = [
  ...LEAKY(-70.0, -51.0, 5.0, 0.5, -30.0),
  paramField('rheobase_threshold', -50.0, 'mV', 'Rheobase threshold V_rh of the exponential term.'),
  paramField('spike_slope', 2.0, 'mV', 'Slope factor Δ_T of the exponential term.', {
    validators: ['positive'],
  }),
];

const soma = (name: string, className: string, fields: FieldSpec[], docs: string): ModuleDefinition => ({
  name,
  className,
  kind: 'soma',
  fields: [...DEFAULT_FIELDS, ...fields],
  ports: SOMA_PORTS,
  docs,
});

export const SOMAS: ModuleDefinition[] = [
  soma(
    'leaky_soma',
    'LeakySoma',
    LEAKY(-60, -50, 20, 0.1, -40),
    'Leaky integrate-and-fire: `v = λ v + (1 − λ) R I`, spike when `v > θ`, then reset.',
  ),
  soma(
    'refractory_leaky_soma',
    'RefractoryLeakySoma',
    [...LEAKY(-60, -50, 20, 0.1, -40), COOLDOWN],
    'Leaky soma whose input integration and spiking are blocked for `round(cooldown/dt) + 1` steps after a spike.',
  ),
  soma(
    'strict_refractory_leaky_soma',
    'StrictRefractoryLeakySoma',
    [...LEAKY(-60, -50, 20, 0.1, -40), COOLDOWN],
    'Refractory leaky soma that clamps the potential to the reset value while refractory.',
  ),
  soma(
    'adaptive_leaky_soma',
    'AdaptiveLeakySoma',
    [...LEAKY(-60, -50, 20, 0.1, -40), COOLDOWN, ...ADAPTIVE_THRESHOLD],
    'Refractory leaky soma with an adaptive threshold (a trace with base θ₀ and scale Δθ).',
  ),
  soma('exponential_soma', 'ExponentialSoma', EXPONENTIAL, 'Exponential integrate-and-fire (forward Euler).'),
  soma(
    'refractory_exponential_soma',
    'RefractoryExponentialSoma',
    [...EXPONENTIAL, COOLDOWN],
    'Exponential soma whose input term and spiking are gated by a refractory counter.',
  ),
  soma(
    'adaptive_exponential_soma',
    'AdaptiveExponentialSoma',
    [
      ...EXPONENTIAL,
      paramField('adaptation_tau', 100.0, 'ms', 'Time constant τ_w of the adaptation current.', {
        validators: ['positive'],
      }),
      paramField('adaptation_delta', 7.0, 'pA', 'Spike-triggered adaptation increment b.'),
      paramField('adaptation_subthreshold', 0.5, 'nS', 'Subthreshold adaptation coupling a.'),
    ],
    'AdEx: exponential soma with an adaptation current (no refractoriness).',
  ),
  soma(
    'simplified_adaptive_exponential_soma',
    'SimplifiedAdaptiveExponentialSoma',
    [...EXPONENTIAL, COOLDOWN, ...ADAPTIVE_THRESHOLD],
    'Refractory exponential soma with the adaptive threshold of the adaptive leaky soma.',
  ),
  soma(
    'izhikevich_soma',
    'IzhikevichSoma',
    [
      paramField('potential_rest', -65.0, 'mV', 'Resting potential.'),
      paramField('potential_reset', -65.0, 'mV', 'Reset potential c.'),
      paramField('resistance', 0.1, 'GΩ', 'Input resistance R.'),
      paramField('threshold', 30.0, 'mV', 'Spike cut-off.'),
      paramField('recovery_timescale', 0.02, undefined, 'Recovery time scale a.'),
      paramField('recovery_sensitivity', 0.2, undefined, 'Recovery sensitivity b.'),
      paramField('recovery_update', 2, undefined, 'Recovery increment d after a spike.', {
        intDefault: true,
      }),
    ],
    "Izhikevich model. Spark's implementation double-rebases the potential and fires at rest (spark-reference §7.1); behaviour 'corrected' uses the standard equations.",
  ),
];
