/**
 * Spark's `oja_rule` (OjaRule):
 * ```
 * y_i   = e^(−dt/post_tau)·y_i + z_i/post_tau      (per-neuron trace, spike_trace)
 * ΔW_ij = eta·(y_i·s_j − W_ij·y_i²)                (async: s_ij)
 * W_ij  = max(0, W_ij + dt·ΔW_ij)
 * ```
 * No compatibility switches.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { abs, defineModule, dt, max } from '../lang/builder.ts';
import { configSchema } from '../library/schema.ts';

/** The synapse-domain update. */
export function ojaRuleDefinition(async = false): ModuleDefinition {
  return defineModule(
    'oja_rule',
    (m) => {
      const eta = m.param('eta');
      const kernel = m.input('kernel', { payload: 'FloatArray', extent: 'synapse' });
      const pre = m.input('pre_spikes', { payload: 'SpikeArray', extent: async ? 'synapse' : 'pre' });
      const y = m.input('post_trace', { payload: 'FloatArray', extent: 'unit' });
      const out = m.output('updated_kernel', { payload: 'FloatArray' });
      const s = m.let_('s', abs(pre));
      const dw = m.let_('dw', eta.mul(y.mul(s).sub(kernel.mul(y).mul(y))));
      m.assign(out, max(0, kernel.add(dt.mul(dw))));
    },
    {
      domain: 'synapse',
      schema: configSchema('oja_rule'),
      doc: "Spark's OjaRule (oja_rule): weight update.",
    },
  );
}
