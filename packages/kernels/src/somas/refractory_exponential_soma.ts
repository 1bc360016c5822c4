/**
 * Spark's `refractory_exponential_soma` (RefractoryExponentialSoma): ExponentialSoma whose input
 * term is gated by a refractory counter (leak and exponential term keep acting):
 * ```
 * ready     = refractory > c                      (c = round(cooldown / dt))
 * v         = v + (dt/τ)·(−v + Δ_T·exp((v − ϑ_rh)/Δ_T) + ready·R·I)
 * spike     = v > threshold − potential_rest  and  ready
 * v         = spike ? potential_reset − potential_rest : v
 * refractory = spike ? 0 : refractory + 1
 * ```
 * Compatibility: `refractoryNotReadyAtStart`. Spark's `reset()` recreates the counter as a float
 * array, so the counter of a reset soma never wraps; the corrected counter saturates at c + 1.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, f32, select } from '../lang/builder.ts';
import { CORRECTED, type SparkCompat } from '../library/compat.ts';
import { configSchema } from '../library/schema.ts';
import {
  advanceRefractory,
  exponentialDrive,
  exponentialFields,
  refractory,
  somaFields,
  somaPorts,
} from './parts.ts';

/** Builds the definition for the given compatibility switches. */
export function refractoryExponentialSomaDefinition(compat: SparkCompat = CORRECTED): ModuleDefinition {
  return defineModule(
    'refractory_exponential_soma',
    (m) => {
      const f = somaFields(m);
      const e = exponentialFields(m);
      const rf = refractory(m, compat, false);
      const { v, current, spikes } = somaPorts(m);
      const drive = exponentialDrive(v, f, e, select(rf.ready, f.r.mul(current), 0));
      m.assign(v, v.add(dt.div(f.tau).mul(drive)));
      const spike = m.let_('spike', v.gt(f.threshold.sub(f.rest)).and(rf.ready));
      m.assign(spikes, f32(spike));
      m.assign(v, select(spike, f.reset.sub(f.rest), v));
      advanceRefractory(m, rf, spike, compat.refractoryCounterWraps ? 'grow' : 'saturate');
    },
    {
      domain: 'unit',
      doc: "Spark's RefractoryExponentialSoma (refractory_exponential_soma).",
      schema: configSchema('refractory_exponential_soma'),
    },
  );
}

/** The corrected definition. */
export const refractoryExponentialSoma: ModuleDefinition = refractoryExponentialSomaDefinition();
