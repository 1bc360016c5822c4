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
import { abs, defineModule, dt, exp, max } from '../lang/builder.ts';
import { configSchema } from '../library/schema.ts';

/** The synapse-domain update; `async` keeps the pre trace per synapse (pre spikes per synapse). */
export function hebbianRuleDefinition(async = false): ModuleDefinition {
  return defineModule(
    'hebbian_rule',
    (m) => {
      const eta = m.param('eta');
      const preTau = async ? m.param('pre_tau', { extent: 'synapse' }) : undefined;
      const x = async
        ? m.state('pre_trace', { init: 0, unit: 'ms^-1', doc: 'per-synapse pre trace' })
        : m.input('pre_trace', { payload: 'FloatArray', extent: 'pre', unit: 'ms^-1' });
      const kernel = m.input('kernel', { payload: 'FloatArray', extent: 'synapse' });
      const pre = m.input('pre_spikes', { payload: 'SpikeArray', extent: async ? 'synapse' : 'pre' });
      const post = m.input('post_spikes', { payload: 'SpikeArray', extent: 'unit' });
      const y = m.input('post_trace', { payload: 'FloatArray', extent: 'unit', unit: 'ms^-1' });
      const out = m.output('updated_kernel', { payload: 'FloatArray' });
      const s = m.let_('s', abs(pre));
      const z = m.let_('z', abs(post));
      if (preTau !== undefined) m.assign(x, exp(dt.neg().div(preTau)).mul(x).add(s.div(preTau)));
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
