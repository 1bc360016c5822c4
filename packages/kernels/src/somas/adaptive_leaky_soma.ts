/**
 * Spark's `adaptive_leaky_soma` (AdaptiveLeakySoma): RefractoryLeakySoma with an adaptive threshold
 * tracer θ (rebased, starts at θ0 = threshold − potential_rest).
 * ```
 * ready     = refractory > c                      (c = round(cooldown / dt))
 * v         = e^(−dt/τ)·v + ready · (1 − e^(−dt/τ))·R·I
 * spike     = v > θ  and  ready                   (θ of the previous step)
 * v         = spike ? potential_reset − potential_rest : v
 * refractory = spike ? 0 : refractory + 1
 * θ         = θ0 + e^(−dt/threshold_tau)·(θ − θ0) + threshold_delta·spike
 * ```
 * Compatibility: `refractoryNotReadyAtStart`, `refractoryCounterWraps` (see refractory_leaky_soma).
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, exp, f32, lit, select } from '../lang/builder.ts';
import { CORRECTED, type SparkCompat } from '../library/compat.ts';
import { configSchema } from '../library/schema.ts';
import { adaptiveThreshold, advanceRefractory, refractory, somaFields, somaPorts } from './parts.ts';

/** Builds the definition for the given compatibility switches. */
export function adaptiveLeakySomaDefinition(compat: SparkCompat = CORRECTED): ModuleDefinition {
  return defineModule(
    'adaptive_leaky_soma',
    (m) => {
      const f = somaFields(m);
      const rf = refractory(m, compat, false);
      const th = adaptiveThreshold(m, f.threshold.sub(f.rest));
      const { v, current, spikes } = somaPorts(m);
      const decay = m.let_('decay', exp(dt.neg().div(f.tau)));
      m.assign(v, decay.mul(v).add(select(rf.ready, lit(1).sub(decay).mul(f.r).mul(current), 0)));
      const spike = m.let_('spike', v.gt(th.theta).and(rf.ready));
      m.assign(spikes, f32(spike));
      m.assign(v, select(spike, f.reset.sub(f.rest), v));
      advanceRefractory(m, rf, spike, compat.refractoryCounterWraps ? 'wrap16' : 'saturate');
      th.update(spike);
    },
    {
      domain: 'unit',
      doc: "Spark's AdaptiveLeakySoma (adaptive_leaky_soma).",
      schema: configSchema('adaptive_leaky_soma'),
    },
  );
}

/** The corrected definition. */
export const adaptiveLeakySoma: ModuleDefinition = adaptiveLeakySomaDefinition();
