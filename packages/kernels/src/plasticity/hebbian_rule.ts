/**
 * Spark's `hebbian_rule` (HebbianRule). Traces (scale 1/τ, updated with the current unsigned
 * spikes first), then the weight update:
 * ```
 * x_j = e^(−dt/pre_tau)·x_j + s_j/pre_tau          (async: x_ij per synapse, fed with s_ij)
 * y_i = e^(−dt/post_tau)·y_i + z_i/post_tau        (per-neuron trace, spike_trace)
 * ΔW_ij = eta·(y_i·s_j + z_i·x_j)
 * W_ij  = max(0, W_ij + dt·ΔW_ij)
 * ```
 * No compatibility switches.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, max } from '../lang/builder.ts';
import { configSchema } from '../library/schema.ts';
import { pairRulePorts, preTrace } from './common.ts';

/** The synapse-domain update; `async` keeps the pre trace per synapse (pre spikes per synapse). */
export function hebbianRuleDefinition(async = false): ModuleDefinition {
  return defineModule(
    'hebbian_rule',
    (m) => {
      const eta = m.param('eta');
      const pre = preTrace(m, async, { doc: 'per-synapse pre trace' });
      const x = pre.x;
      const { kernel, y, out, s, z } = pairRulePorts(m, async);
      pre.update(s);
      const dw = m.let_('dw', eta.mul(y.mul(s).add(z.mul(x))));
      m.assign(out, max(0, kernel.add(dt.mul(dw))));
    },
    {
      domain: 'synapse',
      schema: configSchema('hebbian_rule'),
      doc: "Spark's HebbianRule (hebbian_rule): weight update.",
    },
  );
}
