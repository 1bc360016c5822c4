/**
 * Spark's `exponential_integrator` (ExponentialIntegrator): spikes → `num_outputs` population
 * signals. Structural part: the unsigned spikes are summed per group (`n_k = Σ_{i∈G_k} |z_i|`, the
 * `reduce.group_sum` op with `abs`). Per group, with
 * `σ_k = (1000/saturation_freq)/(dt·τ·c_k)` (c_k = group size, host-computed `_group_size`):
 * ```
 * smooth_trace = false:  y_k = e^(−dt/τ)·y_k + σ_k·n_k
 * smooth_trace = true:   τ' = 10τ/(τ + 10)
 *   Spark (integratorSmoothTraceScale):  D_k = e^(−dt/10)·D_k + 0.1·n_k;   R_k = e^(−dt/τ')·R_k + σ_k·n_k
 *   corrected:                           κ_k = σ_k·τ/(10 − τ');  D_k = e^(−dt/10)·D_k + κ_k·n_k;  R_k = e^(−dt/τ')·R_k + κ_k·n_k
 *   y_k = D_k − R_k
 * ```
 * Grouping: contiguous even split (the first N mod K groups get one more input), permuted once
 * when `shuffle`, or the explicit `output_map`; `integratorOutputMapSizes` keeps Spark's even-split
 * sizes with an output_map (corrected: the real group sizes).
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, exp, lit } from '../lang/builder.ts';
import { CORRECTED, type SparkCompat } from '../library/compat.ts';
import { msParam } from '../library/internal-params.ts';
import { configSchema } from '../library/schema.ts';

/** The per-group integrator. */
export function exponentialIntegratorDefinition(
  smooth: boolean,
  compat: SparkCompat = CORRECTED,
): ModuleDefinition {
  return defineModule(
    'exponential_integrator',
    (m) => {
      const fsat = m.param('saturation_freq');
      const tau = m.param('tau');
      const ms = msParam(m, '1 ms: makes dt a plain number of milliseconds (not a config field)');
      const size = m.param('_group_size', {
        default: 1,
        extent: 'unit',
        validators: ['positive'],
        doc: 'inputs per group c_k (computed at build, not a config field)',
        internal: true,
      });
      const counts = m.input('counts', {
        payload: 'FloatArray',
        doc: 'spikes per group n_k (structural group sum)',
      });
      const signal = m.output('signal', { payload: 'FloatArray' });
      const dtMs = m.let_('dt_ms', dt.div(ms));
      const sigma = m.let_('sigma', lit(1000).div(fsat).div(dtMs.mul(tau).mul(size)));
      if (!smooth) {
        const y = m.state('trace', { init: 0 });
        m.assign(y, exp(dtMs.neg().div(tau)).mul(y).add(sigma.mul(counts)));
        m.assign(signal, y);
        return;
      }
      const d = m.state('decay_trace', { init: 0 });
      const r = m.state('rise_trace', { init: 0 });
      const tauRise = m.let_('tau_rise', tau.mul(10).div(tau.add(10)));
      const scaleD = compat.integratorSmoothTraceScale ? lit(0.1) : sigma.mul(tau).div(lit(10).sub(tauRise));
      const scaleR = compat.integratorSmoothTraceScale ? sigma : sigma.mul(tau).div(lit(10).sub(tauRise));
      m.assign(d, exp(dtMs.neg().div(10)).mul(d).add(scaleD.mul(counts)));
      m.assign(r, exp(dtMs.neg().div(tauRise)).mul(r).add(scaleR.mul(counts)));
      m.assign(signal, d.sub(r));
    },
    {
      schema: configSchema('exponential_integrator'),
      schemaUnits: false,
      domain: 'unit',
      doc: "Spark's ExponentialIntegrator (exponential_integrator): per-group trace.",
    },
  );
}
