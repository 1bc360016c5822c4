/**
 * Spark's `three_factor_hebbian_rule` (ThreeFactorHebbianRule):
 * ```
 * x_ij  = e^(−dt/pre_tau)·x_ij + s_ij/pre_tau       (per synapse; sync: x_j per neuron, fed with s_j)
 * y_i   = e^(−dt/post_tau)·y_i + z_i/post_tau        (per-neuron trace, spike_trace)
 * ΔW_ij = gamma·(r + offset)·(y_i·s_ij + z_i·x_ij)
 * W_ij  = max(0, W_ij + dt·ΔW_ij)
 * ```
 * Spark builds it only with async (per-synapse) pre spikes (§7.4); here it builds with both.
 * Compatibility: `threeFactorRewardOffset` (Spark: offset = 0.1 hard-coded; corrected: 0).
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, max } from '../lang/builder.ts';
import { CORRECTED, type SparkCompat } from '../library/compat.ts';
import { configSchema } from '../library/schema.ts';
import { pairRulePorts, preTrace } from './common.ts';

/** The synapse-domain update; `async` keeps the pre trace per synapse. */
export function threeFactorHebbianRuleDefinition(
  async = true,
  compat: SparkCompat = CORRECTED,
): ModuleDefinition {
  return defineModule(
    'three_factor_hebbian_rule',
    (m) => {
      const gamma = m.param('gamma');
      const pre = preTrace(m, async, { doc: 'per-synapse pre trace' });
      const x = pre.x;
      const reward = m.input('reward', {
        payload: 'FloatArray',
        extent: 'scalar',
        doc: 'third factor r (length-1 array)',
      });
      const { kernel, y, out, s, z } = pairRulePorts(m, async);
      pre.update(s);
      const factor = compat.threeFactorRewardOffset ? reward.add(0.1) : reward;
      const dw = m.let_('dw', gamma.mul(factor).mul(y.mul(s).add(z.mul(x))));
      m.assign(out, max(0, kernel.add(dt.mul(dw))));
    },
    {
      domain: 'synapse',
      schema: configSchema('three_factor_hebbian_rule'),
      doc: "Spark's ThreeFactorHebbianRule (three_factor_hebbian_rule): weight update.",
    },
  );
}
