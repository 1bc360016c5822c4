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
import { configSchema } from '../library/schema.ts';

/**
 * A per-neuron trace of the rule `rule` whose time constant is the rule's config field `tauName`
 * (e.g. `pre_tau`; its default, unit and validators come from the rule's config schema).
 */
export function spikeTraceDefinition(tauName: string, rule: string): ModuleDefinition {
  return defineModule(
    'spike_trace',
    (m) => {
      const tau = m.param(tauName, { extent: 'unit' });
      const trace = m.state('trace', { init: 0, unit: 'ms^-1', doc: 'spike trace (scale 1/τ)' });
      const spikes = m.input('spikes', { payload: 'SpikeArray', doc: 'spikes (the sign is ignored)' });
      m.assign(trace, exp(dt.neg().div(tau)).mul(trace).add(abs(spikes).div(tau)));
    },
    {
      domain: 'unit',
      doc: 'Per-neuron spike trace of the plasticity rules (scale 1/τ).',
      schema: configSchema(rule),
    },
  );
}
