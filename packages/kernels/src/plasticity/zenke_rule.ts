/**
 * Spark's `zenke_rule` (ZenkeRule). Traces (scale 1/τ, updated with the current spikes first):
 * pre `x_j`, post fast `y_i`, post slow `ȳ_i` (spike_trace), and a per-synapse target `W̃`:
 * ```
 * δ_ij  = W_ij − p·W̃_ij·(1/4 − W̃_ij)·(1/2 − W̃_ij)
 * W̃_ij = e^(−dt/target_tau)·W̃_ij + δ_ij/target_tau
 * ΔW_ij = eta·(a·ȳ_i·z_i·x_j + b·y_i·s_j + c·(W_ij − W̃_ij)·y_i³·z_i + d·s_j)
 * W_ij  = max(0, W_ij + dt·ΔW_ij)
 * ```
 * (async: `s_ij`, and `x_ij` per synapse.) No golden fixture; tested against hand-computed steps.
 * spark-snn computes in float32, so `1/target_tau = 5e-5` is not the float16 subnormal of §7.9.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { abs, defineModule, dt, exp, lit, max } from '../lang/builder.ts';
import { msParam } from '../library/internal-params.ts';
import { configSchema } from '../library/schema.ts';
import { preTrace } from './common.ts';

/** The synapse-domain update; `async` keeps the pre trace per synapse. */
export function zenkeRuleDefinition(async = false): ModuleDefinition {
  return defineModule(
    'zenke_rule',
    (m) => {
      const targetTau = m.param('target_tau', { extent: 'synapse' });
      const a = m.param('a');
      const b = m.param('b');
      const c = m.param('c');
      const d = m.param('d');
      const p = m.param('p');
      const eta = m.param('eta');
      const preT = preTrace(m, async, { unitlessInput: true });
      const x = preT.x;
      const target = m.state('target', { init: 0, doc: 'per-synapse target W̃' });
      const ms = msParam(
        m,
        "1 ms: Spark's δ/target_tau has no dt, so δ·(1 ms)/target_tau keeps W̃ unitless (not a config field)",
      );
      const kernel = m.input('kernel', { payload: 'FloatArray', extent: 'synapse' });
      const pre = m.input('pre_spikes', { payload: 'SpikeArray', extent: async ? 'synapse' : 'pre' });
      const post = m.input('post_spikes', { payload: 'SpikeArray', extent: 'unit' });
      const y = m.input('post_trace', { payload: 'FloatArray', extent: 'unit' });
      const ySlow = m.input('post_slow_trace', { payload: 'FloatArray', extent: 'unit' });
      const out = m.output('updated_kernel', { payload: 'FloatArray' });
      const s = m.let_('s', abs(pre));
      const z = m.let_('z', abs(post));
      preT.update(s);
      const delta = m.let_(
        'delta',
        kernel.sub(p.mul(target).mul(lit(0.25).sub(target)).mul(lit(0.5).sub(target))),
      );
      m.assign(target, exp(dt.neg().div(targetTau)).mul(target).add(delta.mul(ms).div(targetTau)));
      const dw = m.let_(
        'dw',
        eta.mul(
          a
            .mul(ySlow)
            .mul(z)
            .mul(x)
            .add(b.mul(y).mul(s))
            .add(c.mul(kernel.sub(target)).mul(y).mul(y).mul(y).mul(z))
            .add(d.mul(s)),
        ),
      );
      m.assign(out, max(0, kernel.add(dt.mul(dw))));
    },
    {
      domain: 'synapse',
      schema: configSchema('zenke_rule'),
      doc: "Spark's ZenkeRule (zenke_rule): weight update with a per-synapse target.",
    },
  );
}
