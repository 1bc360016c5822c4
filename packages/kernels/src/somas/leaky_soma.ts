/**
 * Spark's `leaky_soma` (LeakySoma) in the equation language.
 *
 * Potentials are rebased as Spark stores them (`v = V - potential_rest`, 0 at rest):
 * ```
 * decay = exp(-dt / potential_tau)                    (precomputed in float64, rounded once)
 * v     = decay * v + (1 - decay) * resistance * current
 * spike = v > threshold - potential_rest              (strict, after the update)
 * v     = spike ? potential_reset - potential_rest : v
 * ```
 * Units: GΩ · pA = mV. Parameters may be scalars or per-unit arrays (Spark's `float | Array`).
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, exp, lit } from '../lang/builder.ts';
import { configSchema } from '../library/schema.ts';

/**
 * Text form of {@link leakySoma}: the same definition once `bindSchema(parseDefinition(text),
 * configSchema('leaky_soma'))` has taken the parameters' defaults, units and validators from the
 * config schema.
 */
export const LEAKY_SOMA_SOURCE = `
module leaky_soma over unit
param potential_rest: f32 per unit
param potential_reset: f32 per unit
param potential_tau: f32 per unit
param resistance: f32 per unit
param threshold: f32 per unit
state potential: f32 = 0 [mV]
input current: CurrentArray f32 [pA]
output spikes: SpikeArray f32

let decay = exp(-dt / potential_tau)
potential = decay * potential + (1 - decay) * resistance * current
let spike = potential > threshold - potential_rest
spikes = f32(spike)
potential = spike ? potential_reset - potential_rest : potential
`;

/** Spark's LeakySoma: a leaky integrator with a strict threshold and reset. */
export const leakySoma: ModuleDefinition = defineModule(
  'leaky_soma',
  (m) => {
    const rest = m.param('potential_rest', { extent: 'unit' });
    const reset = m.param('potential_reset', { extent: 'unit' });
    const tau = m.param('potential_tau', { extent: 'unit' });
    const r = m.param('resistance', { extent: 'unit' });
    const threshold = m.param('threshold', { extent: 'unit' });
    const v = m.state('potential', { init: 0, unit: 'mV' });
    const current = m.input('current', { payload: 'CurrentArray', unit: 'pA' });
    const spikes = m.output('spikes', { payload: 'SpikeArray' });
    const decay = m.let_('decay', exp(dt.neg().div(tau)));
    m.assign(v, decay.mul(v).add(lit(1).sub(decay).mul(r).mul(current)));
    m.spikeReset(v, threshold.sub(rest), reset.sub(rest), spikes);
  },
  { domain: 'unit', doc: "Spark's LeakySoma (leaky_soma).", schema: configSchema('leaky_soma') },
);
