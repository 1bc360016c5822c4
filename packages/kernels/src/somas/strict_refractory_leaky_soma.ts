/**
 * Spark's `strict_refractory_leaky_soma` (StrictRefractoryLeakySoma): readiness is `r ≥ c` (ready at
 * step 0) and the potential is clamped to the reset value while refractory.
 * ```
 * ready     = refractory >= c                      (c = round(cooldown / dt))
 * v         = ready ? e^(−dt/τ)·v + (1 − e^(−dt/τ))·R·I : potential_reset − potential_rest
 * spike     = v > threshold − potential_rest  and  ready
 * v         = spike ? potential_reset − potential_rest : v
 * refractory = spike ? 0 : refractory + 1
 * ```
 * Compatibility: `refractoryCounterWraps` (Spark: uint16 wrap; corrected: saturates at c + 1).
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, exp, f32, lit, select } from '../lang/builder.ts';
import { CORRECTED, type SparkCompat } from '../library/compat.ts';
import { configSchema } from '../library/schema.ts';
import { advanceRefractory, refractory, somaFields, somaPorts } from './parts.ts';

/** Builds the definition for the given compatibility switches. */
export function strictRefractoryLeakySomaDefinition(compat: SparkCompat = CORRECTED): ModuleDefinition {
  return defineModule(
    'strict_refractory_leaky_soma',
    (m) => {
      const f = somaFields(m);
      const rf = refractory(m, compat, true);
      const { v, current, spikes } = somaPorts(m);
      const decay = m.let_('decay', exp(dt.neg().div(f.tau)));
      const vReset = m.let_('v_reset', f.reset.sub(f.rest));
      m.assign(v, select(rf.ready, decay.mul(v).add(lit(1).sub(decay).mul(f.r).mul(current)), vReset));
      const spike = m.let_('spike', v.gt(f.threshold.sub(f.rest)).and(rf.ready));
      m.assign(spikes, f32(spike));
      m.assign(v, select(spike, vReset, v));
      advanceRefractory(m, rf, spike, compat.refractoryCounterWraps ? 'wrap16' : 'saturate');
    },
    {
      domain: 'unit',
      doc: "Spark's StrictRefractoryLeakySoma (strict_refractory_leaky_soma).",
      schema: configSchema('strict_refractory_leaky_soma'),
    },
  );
}

/** The corrected definition. */
export const strictRefractoryLeakySoma: ModuleDefinition = strictRefractoryLeakySomaDefinition();
