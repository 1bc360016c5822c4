/**
 * Spark's `simplified_adaptive_exponential_soma` (SimplifiedAdaptiveExponentialSoma):
 * RefractoryExponentialSoma with the adaptive threshold tracer of AdaptiveLeakySoma.
 * ```
 * ready     = refractory > c                      (c = round(cooldown / dt))
 * v         = v + (dt/τ)·(−v + Δ_T·exp((v − ϑ_rh)/Δ_T) + ready·R·I)
 * spike     = v > θ  and  ready                   (θ of the previous step)
 * v         = spike ? potential_reset − potential_rest : v
 * refractory = spike ? 0 : refractory + 1
 * θ         = θ0 + e^(−dt/threshold_tau)·(θ − θ0) + threshold_delta·spike
 * ```
 * Compatibility: `refractoryNotReadyAtStart` (the float counter never wraps in Spark either).
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, f32, select } from '../lang/builder.ts';
import { CORRECTED, type SparkCompat } from '../library/compat.ts';
import { configSchema } from '../library/schema.ts';
import {
  adaptiveThreshold,
  advanceRefractory,
  exponentialDrive,
  exponentialFields,
  refractory,
  somaFields,
  somaPorts,
} from './parts.ts';

/** Builds the definition for the given compatibility switches. */
export function simplifiedAdaptiveExponentialSomaDefinition(
  compat: SparkCompat = CORRECTED,
): ModuleDefinition {
  return defineModule(
    'simplified_adaptive_exponential_soma',
    (m) => {
      const f = somaFields(m);
      const e = exponentialFields(m);
      const rf = refractory(m, compat, false);
      const th = adaptiveThreshold(m, f.threshold.sub(f.rest));
      const { v, current, spikes } = somaPorts(m);
      const drive = exponentialDrive(v, f, e, select(rf.ready, f.r.mul(current), 0));
      m.assign(v, v.add(dt.div(f.tau).mul(drive)));
      const spike = m.let_('spike', v.gt(th.theta).and(rf.ready));
      m.assign(spikes, f32(spike));
      m.assign(v, select(spike, f.reset.sub(f.rest), v));
      advanceRefractory(m, rf, spike, compat.refractoryCounterWraps ? 'grow' : 'saturate');
      th.update(spike);
    },
    {
      domain: 'unit',
      doc: "Spark's SimplifiedAdaptiveExponentialSoma (simplified_adaptive_exponential_soma).",
      schema: configSchema('simplified_adaptive_exponential_soma'),
    },
  );
}

/** The corrected definition. */
export const simplifiedAdaptiveExponentialSoma: ModuleDefinition =
  simplifiedAdaptiveExponentialSomaDefinition();
