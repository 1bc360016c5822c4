/**
 * Spark's `adaptive_exponential_soma` (AdaptiveExponentialSoma, AdEx; no refractoriness), on the
 * rebased potential `v = V − potential_rest` with an adaptation current `w` (starts at 0):
 * ```
 * v     = v + (dt/τ)·(−v + Δ_T·exp((v − ϑ_rh)/Δ_T) − R·w + R·I)
 * spike = v > threshold − potential_rest
 * v     = spike ? potential_reset − potential_rest : v
 * w     = w + (dt/adaptation_tau)·(−w + adaptation_subthreshold·v) + adaptation_delta·spike
 * ```
 * (`w` uses the potential after the reset.) No golden fixture exists; it is tested against
 * hand-computed steps. No compatibility switches.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, exp, f32, select } from '../lang/builder.ts';
import { configSchema } from '../library/schema.ts';
import { exponentialFields, somaFields } from './parts.ts';

/** Spark's AdaptiveExponentialSoma. */
export const adaptiveExponentialSoma: ModuleDefinition = defineModule(
  'adaptive_exponential_soma',
  (m) => {
    const f = somaFields(m);
    const e = exponentialFields(m);
    const tauW = m.param('adaptation_tau', { extent: 'unit' });
    const b = m.param('adaptation_delta', { extent: 'unit' });
    const a = m.param('adaptation_subthreshold', { extent: 'unit' });
    const v = m.state('potential', { init: 0, unit: 'mV', doc: 'rebased potential V − potential_rest' });
    const w = m.state('adaptation', { init: 0, unit: 'pA', doc: 'adaptation current w' });
    const current = m.input('current', { payload: 'CurrentArray', unit: 'pA' });
    const spikes = m.output('spikes', { payload: 'SpikeArray' });
    const drive = v
      .neg()
      .add(e.slope.mul(exp(v.sub(e.rheobase.sub(f.rest)).div(e.slope))))
      .sub(f.r.mul(w))
      .add(f.r.mul(current));
    m.assign(v, v.add(dt.div(f.tau).mul(drive)));
    const spike = m.let_('spike', v.gt(f.threshold.sub(f.rest)));
    m.assign(spikes, f32(spike));
    m.assign(v, select(spike, f.reset.sub(f.rest), v));
    m.assign(w, w.add(dt.div(tauW).mul(w.neg().add(a.mul(v)))).add(select(spike, b, 0)));
  },
  {
    domain: 'unit',
    doc: "Spark's AdaptiveExponentialSoma (adaptive_exponential_soma, AdEx).",
    schema: configSchema('adaptive_exponential_soma'),
  },
);

/** Same as {@link adaptiveExponentialSoma} (no compatibility switches). */
export function adaptiveExponentialSomaDefinition(): ModuleDefinition {
  return adaptiveExponentialSoma;
}
