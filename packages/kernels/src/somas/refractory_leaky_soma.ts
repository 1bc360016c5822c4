/**
 * Spark's `refractory_leaky_soma` (RefractoryLeakySoma): LeakySoma plus a refractory counter.
 *
 * Rebased potential `v = V − potential_rest`; `c = round(cooldown / dt)` (half to even):
 * ```
 * ready     = refractory > c
 * v         = e^(−dt/τ)·v + ready · (1 − e^(−dt/τ))·R·I
 * spike     = v > threshold − potential_rest  and  ready
 * v         = spike ? potential_reset − potential_rest : v
 * refractory = spike ? 0 : refractory + 1
 * ```
 * Compatibility: `refractoryNotReadyAtStart` (Spark: counter starts at c, so no input and no spike
 * at step 0; corrected: starts at c + 1) and `refractoryCounterWraps` (Spark: uint16 counter wraps
 * after 65 535 quiet steps; corrected: saturates at c + 1).
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, exp, f32, lit, select } from '../lang/builder.ts';
import { CORRECTED, type SparkCompat } from '../library/compat.ts';
import { configSchema } from '../library/schema.ts';
import { advanceRefractory, refractory, somaFields, somaPorts } from './parts.ts';

/** Builds the definition for the given compatibility switches. */
export function refractoryLeakySomaDefinition(compat: SparkCompat = CORRECTED): ModuleDefinition {
  return defineModule(
    'refractory_leaky_soma',
    (m) => {
      const f = somaFields(m);
      const rf = refractory(m, compat, false);
      const { v, current, spikes } = somaPorts(m);
      const decay = m.let_('decay', exp(dt.neg().div(f.tau)));
      m.assign(v, decay.mul(v).add(select(rf.ready, lit(1).sub(decay).mul(f.r).mul(current), 0)));
      const spike = m.let_('spike', v.gt(f.threshold.sub(f.rest)).and(rf.ready));
      m.assign(spikes, f32(spike));
      m.assign(v, select(spike, f.reset.sub(f.rest), v));
      advanceRefractory(m, rf, spike, compat.refractoryCounterWraps ? 'wrap16' : 'saturate');
    },
    {
      domain: 'unit',
      doc: "Spark's RefractoryLeakySoma (refractory_leaky_soma).",
      schema: configSchema('refractory_leaky_soma'),
    },
  );
}

/** The corrected definition (default for models made with spark-snn). */
export const refractoryLeakySoma: ModuleDefinition = refractoryLeakySomaDefinition();
