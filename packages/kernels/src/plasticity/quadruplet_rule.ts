/**
 * Spark's `quadruplet_rule` (QuadrupletRule) — the intended rule; upstream it cannot be built (the
 * code reads a non-existent `eta` and calls `.init` on plain floats, §7.4), so there is no Spark
 * behaviour to reproduce and no compatibility switch. The config's `gamma` is the learning rate:
 * ```
 * x_ij  = e^(−dt/pre_tau)·x_ij + s_ij/pre_tau      (per synapse; sync: x_j per neuron, fed with s_j)
 * y_i   = e^(−dt/post_tau)·y_i + z_i/post_tau       (per-neuron trace, spike_trace)
 * ΔW_ij = gamma·m·(q_alpha·s_ij + q_beta·y_i·s_ij + q_gamma·z_i + q_delta·z_i·x_ij)
 * W_ij  = max(0, W_ij + dt·ΔW_ij)
 * ```
 * (The docstring's `+0.1` offset on the modulation is not applied, as in QuadrupletRuleTensor.)
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, max } from '../lang/builder.ts';
import { configSchema } from '../library/schema.ts';
import { pairRulePorts, preTrace } from './common.ts';

/** The synapse-domain update; `async` keeps the pre trace per synapse. */
export function quadrupletRuleDefinition(async = true): ModuleDefinition {
  return defineModule(
    'quadruplet_rule',
    (m) => {
      const gamma = m.param('gamma');
      const qa = m.param('q_alpha');
      const qb = m.param('q_beta');
      const qg = m.param('q_gamma');
      const qd = m.param('q_delta');
      const pre = preTrace(m, async);
      const x = pre.x;
      const modulation = m.input('modulation', { payload: 'FloatArray', extent: 'scalar' });
      const { kernel, y, out, s, z } = pairRulePorts(m, async);
      pre.update(s);
      const dw = m.let_(
        'dw',
        gamma.mul(modulation).mul(qa.mul(s).add(qb.mul(y).mul(s)).add(qg.mul(z)).add(qd.mul(z).mul(x))),
      );
      m.assign(out, max(0, kernel.add(dt.mul(dw))));
    },
    {
      domain: 'synapse',
      schema: configSchema('quadruplet_rule'),
      doc: "Spark's QuadrupletRule (quadruplet_rule), as intended upstream.",
    },
  );
}
