/**
 * The somas of the standard benchmark networks (benchmarks.md §1; spark-snn additions, not in Spark):
 * CUBA, COBA and Brunel LIF, sized by `units`, two synaptic inputs, no rebasing.
 *
 * @module
 */

import { type FieldSpec, floatField, paramField, shapeField } from '../fields.ts';
import type { ModuleDefinition } from '../registry.ts';
import { DEFAULT_FIELDS, p } from './common.ts';

const POPULATION_UNITS = shapeField(
  'units',
  'Shape of the population; every input must have this many elements.',
);
/** A decay time constant (ms, > 0). */
const tau = (name: string, ms: number, what: string): FieldSpec =>
  floatField(name, ms, what, { units: 'ms', validators: ['positive'] });
/** A potential (mV). */
const mV = (name: string, v: number, what: string): FieldSpec => floatField(name, v, what, { units: 'mV' });
const refractoryOf = (ms: number): FieldSpec =>
  floatField(
    'refractory',
    ms,
    'Refractory period (rounded to steps): a spike at step n makes steps n+1 … n+round(refractory/dt)−1 refractory.',
    { units: 'ms', validators: ['nonnegative'] },
  );
const V_OFFSET = paramField(
  'v_offset',
  0,
  'mV',
  'Initial potential relative to `v_reset` (per unit; a `uniform_initializer` with scale `v_threshold − v_reset` gives v₀ ~ U[v_reset, v_threshold)).',
);

const benchSoma = (
  name: string,
  className: string,
  fields: FieldSpec[],
  inputs: [string, string],
  docs: string,
): ModuleDefinition => ({
  name,
  className,
  kind: 'soma',
  fields: [...DEFAULT_FIELDS, POPULATION_UNITS, ...fields],
  ports: {
    inputs: inputs.map((n) => p(n, 'CurrentArray')),
    outputs: [p('spikes', 'SpikeArray')],
    properties: [],
  },
  docs,
});

/** The somas of the standard benchmark networks (spark-snn additions, not in Spark). */
export const BENCHMARK_SOMAS: ModuleDefinition[] = [
  benchSoma(
    'cuba_lif',
    'CubaLIF',
    [
      tau('tau_m', 20, 'Membrane time constant τm.'),
      tau('tau_e', 5, 'Decay time constant of the excitatory current `ge`.'),
      tau('tau_i', 10, 'Decay time constant of the inhibitory current `gi`.'),
      mV('v_rest', -49, 'Resting potential E_l (above the threshold in CUBA: tonic firing).'),
      mV('v_threshold', -50, 'Spike threshold (strict `>`).'),
      mV('v_reset', -60, 'Potential after a spike and during the refractory period.'),
      refractoryOf(5),
      V_OFFSET,
    ],
    ['exc', 'inh'],
    'CUBA LIF (spark-snn addition; Vogels–Abbott, Brian2 `CUBA.py`): `dv/dt = (ge + gi − (v − v_rest))/τm` integrated exactly, voltage-like currents `ge`, `gi` (mV) that jump by the `exc`/`inh` input of each step and decay with τe/τi; v held at `v_reset` while refractory (the currents keep decaying).',
  ),
  benchSoma(
    'coba_lif',
    'CobaLIF',
    [
      floatField('c_m', 200, 'Membrane capacitance C.', { units: 'pF', validators: ['positive'] }),
      floatField('g_l', 10, 'Leak conductance g_L.', { units: 'nS', validators: ['positive'] }),
      mV('e_l', -60, 'Leak reversal potential E_L.'),
      mV('e_ex', 0, 'Excitatory reversal potential.'),
      mV('e_in', -80, 'Inhibitory reversal potential.'),
      tau('tau_ex', 5, 'Decay time constant of the excitatory conductance `ge`.'),
      tau('tau_in', 10, 'Decay time constant of the inhibitory conductance `gi`.'),
      mV('v_threshold', -50, 'Spike threshold (strict `>`).'),
      mV('v_reset', -60, 'Potential after a spike and during the refractory period.'),
      refractoryOf(5),
      V_OFFSET,
      paramField('ge_init', 0, 'nS', 'Initial excitatory conductance (per unit).'),
      paramField('gi_init', 0, 'nS', 'Initial inhibitory conductance (per unit).'),
    ],
    ['exc', 'inh'],
    'COBA LIF (spark-snn addition; Brette et al. 2007 benchmark 1): conductances `ge`, `gi` (nS) jump by the `exc`/`inh` input of each step and decay with τex/τin; `C dv/dt = g_L(E_L − v) + ge(E_ex − v) + gi(E_in − v)` by exponential Euler with the conductances frozen over the step; v held at `v_reset` while refractory.',
  ),
  benchSoma(
    'brunel_lif',
    'BrunelLIF',
    [
      tau('tau_m', 20, 'Membrane time constant τ.'),
      mV('theta', 20, 'Spike threshold θ (spike on `v ≥ θ`).'),
      mV('v_reset', 10, 'Reset potential V_r.'),
      refractoryOf(2),
    ],
    ['current', 'external'],
    'Brunel 2000 model A LIF (spark-snn addition; NEST `iaf_psc_delta`): `v = v·e^(−dt/τ) + current + external` (delta synapses, voltage jumps in mV), input discarded and v held at `v_reset` while refractory, spike on `v ≥ θ`.',
  ),
];
