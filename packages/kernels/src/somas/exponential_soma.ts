/**
 * Spark's `exponential_soma` (ExponentialSoma): exponential integrate-and-fire, forward Euler, on
 * the rebased potential `v = V − potential_rest`:
 * ```
 * v     = v + (dt/τ)·(−v + Δ_T·exp((v − ϑ_rh)/Δ_T) + R·I)      (ϑ_rh = rheobase_threshold − potential_rest)
 * spike = v > threshold − potential_rest
 * v     = spike ? potential_reset − potential_rest : v
 * ```
 * No compatibility switches.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, exp, f32, select } from '../lang/builder.ts';
import { configSchema } from '../library/schema.ts';
import { exponentialFields, somaFields } from './parts.ts';

/** Spark's ExponentialSoma. */
export const exponentialSoma: ModuleDefinition = defineModule(
  'exponential_soma',
  (m) => {
    const f = somaFields(m);
    const e = exponentialFields(m);
    const v = m.state('potential', { init: 0, unit: 'mV', doc: 'rebased potential V − potential_rest' });
    const current = m.input('current', { payload: 'CurrentArray', unit: 'pA' });
    const spikes = m.output('spikes', { payload: 'SpikeArray' });
    const drive = v
      .neg()
      .add(e.slope.mul(exp(v.sub(e.rheobase.sub(f.rest)).div(e.slope))))
      .add(f.r.mul(current));
    m.assign(v, v.add(dt.div(f.tau).mul(drive)));
    const spike = m.let_('spike', v.gt(f.threshold.sub(f.rest)));
    m.assign(spikes, f32(spike));
    m.assign(v, select(spike, f.reset.sub(f.rest), v));
  },
  {
    domain: 'unit',
    doc: "Spark's ExponentialSoma (exponential_soma).",
    schema: configSchema('exponential_soma'),
  },
);

/** Same as {@link exponentialSoma} (no compatibility switches). */
export function exponentialSomaDefinition(): ModuleDefinition {
  return exponentialSoma;
}
