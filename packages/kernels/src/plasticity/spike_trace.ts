/**
 * The per-neuron spike trace of the plasticity rules (a Spark Tracer with scale 1/τ and base 0),
 * updated with the current (unsigned) spikes before the rule uses it:
 * ```
 * trace = e^(−dt/τ)·trace + |spikes| / τ
 * ```
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { abs, defineModule, dt, exp } from '../lang/builder.ts';

/** A per-neuron trace whose time constant parameter is called `tauName` (e.g. `pre_tau`). */
export function spikeTraceDefinition(tauName: string, defaultTau: number): ModuleDefinition {
  return defineModule(
    'spike_trace',
    (m) => {
      const tau = m.param(tauName, {
        default: defaultTau,
        unit: 'ms',
        extent: 'unit',
        validators: ['positive'],
        doc: 'trace time constant',
      });
      const trace = m.state('trace', { init: 0, unit: 'ms^-1', doc: 'spike trace (scale 1/τ)' });
      const spikes = m.input('spikes', { payload: 'SpikeArray', doc: 'spikes (the sign is ignored)' });
      m.assign(trace, exp(dt.neg().div(tau)).mul(trace).add(abs(spikes).div(tau)));
    },
    { domain: 'unit', doc: 'Per-neuron spike trace of the plasticity rules (scale 1/τ).' },
  );
}
