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
import { defineModule, dt, f32, select } from '../lang/builder.ts';
import { configSchema } from '../library/schema.ts';
import { exponentialDrive, exponentialFields, somaFields, somaPorts } from './parts.ts';

/** Spark's ExponentialSoma. */
export const exponentialSoma: ModuleDefinition = defineModule(
  'exponential_soma',
  (m) => {
    const f = somaFields(m);
    const e = exponentialFields(m);
    const { v, current, spikes } = somaPorts(m);
    const drive = exponentialDrive(v, f, e, f.r.mul(current));
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
