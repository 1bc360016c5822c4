/**
 * Spark's `topological_linear_spiker` and `topological_poisson_spiker`: a population ("place
 * cell") code of `resolution` units per input element, then a LinearSpiker or a Poisson draw per
 * unit. Domain: element `d` of the input × place cell `k` (output flat index `d·R + k`):
 * ```
 * x̂    = (x_d − mins_d)/(maxs_d − mins_d)
 * θ_k  = k·π/(R − 1)                             (host-computed float32 linspace, parameter `_space`)
 * D_dk = glue_d ? sin(θ_k + π·x̂) : tanh(θ_k − π·x̂)
 * a_dk = exp(−(0.5/σ)·D_dk²)
 * ```
 * then Poisson: `spike = U < dt·max_freq/1000·a`, or LinearSpiker driven by `a`.
 * Compatibility: `topologicalDropsDt` (Spark's topological linear spiker drops dt from E and from
 * the V update; identical at dt = 1): the builder sets the hidden parameter `_dt_scale` to 1/dt
 * (a literal cannot carry the unit ms, so `1` in place of `dt` would not type-check). σ multiplies D² directly, as in Spark (the meaning of the
 * field is kept). The element index `k` is not available in the language, hence the `_space`
 * parameter.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, type Ex, exp, f32, lit, select, sin, tanh, uniform } from '../lang/builder.ts';
import { msParam } from '../library/internal-params.ts';
import { configSchema } from '../library/schema.ts';

function encode(m: Parameters<Parameters<typeof defineModule>[1]>[0]): Ex {
  const glue = m.param('glue', { extent: 'unit' });
  const mins = m.param('mins', { extent: 'unit' });
  const maxs = m.param('maxs', { extent: 'unit' });
  const sigma = m.param('sigma');
  const space = m.param('_space', {
    default: 0,
    extent: 'pre',
    doc: 'θ_k = k·π/(R−1), float32 linspace computed at build (not a config field)',
    internal: true,
  });
  const signal = m.input('signal', { payload: 'FloatArray', extent: 'unit' });
  // maxs = mins would divide by zero (Spark: inf/NaN); the checker needs a provably non-zero divisor.
  const range = m.let_('range', maxs.sub(mins));
  const xh = m.let_('xh', signal.sub(mins).div(select(range.ne(0), range, 1)));
  const d = m.let_(
    'D',
    select(glue.ne(0), sin(space.add(xh.mul(Math.PI))), tanh(space.sub(xh.mul(Math.PI)))),
  );
  return m.let_('a', exp(lit(-0.5).div(sigma).mul(d).mul(d)));
}

/** `topological_linear_spiker`. */
export function topologicalLinearSpikerDefinition(): ModuleDefinition {
  return defineModule(
    'topological_linear_spiker',
    (m) => {
      const tau = m.param('tau');
      const ms = msParam(m, '1 ms (not a config field)');
      const dtScale = m.param('_dt_scale', {
        default: 1,
        validators: ['positive'],
        doc: 'factor on dt in E and in the V update: 1, or 1/dt to drop dt as Spark does (set at build, not a config field)',
        internal: true,
      });
      const cd = m.param('cd');
      const maxFreq = m.param('max_freq');
      const a = encode(m);
      const v = m.state('potential', { init: 0 });
      const rho = m.state('refractory', { init: cd });
      const spikes = m.output('spikes', { payload: 'SpikeArray' });
      const dtMs = m.let_('dt_ms', dt.div(ms));
      const step = m.let_('step', dtScale.mul(dtMs));
      const decay = m.let_('decay', exp(dtMs.neg().div(tau)));
      const big = m.let_('E', exp(step.div(tau).mul(lit(1000).sub(cd.mul(maxFreq)).div(maxFreq))));
      const k = m.let_('k', lit(1).div(big.sub(1)).add(1));
      const ready = m.let_('ready', rho.ge(cd));
      m.assign(v, decay.mul(v).add(step.mul(select(ready, tau.mul(lit(1).sub(decay)).mul(k).mul(a), 0))));
      const spike = m.let_('spike', v.gt(tau));
      m.assign(spikes, f32(spike));
      m.assign(v, select(spike, 0, v));
      m.assign(rho, select(spike, 0, rho.add(dtMs)));
    },
    {
      schema: configSchema('topological_linear_spiker'),
      schemaUnits: false,
      domain: 'synapse',
      doc: "Spark's TopologicalLinearSpiker (topological_linear_spiker): element × place cell.",
    },
  );
}

/** `topological_poisson_spiker`. */
export const topologicalPoissonSpiker: ModuleDefinition = defineModule(
  'topological_poisson_spiker',
  (m) => {
    const maxFreq = m.param('max_freq');
    const ms = msParam(m, '1 ms (not a config field)');
    const a = encode(m);
    const spikes = m.output('spikes', { payload: 'SpikeArray' });
    m.assign(spikes, f32(uniform().lt(dt.div(ms).mul(maxFreq).div(1000).mul(a))));
  },
  {
    schema: configSchema('topological_poisson_spiker'),
    schemaUnits: false,
    domain: 'synapse',
    doc: "Spark's TopologicalPoissonSpiker (topological_poisson_spiker): element × place cell.",
  },
);

/** θ_k of Spark's `jnp.linspace(0, π, R)` in float32: `fround(π)·fround(k·fround(1/(R−1)))` (as XLA computes it). */
export function placeCellSpace(resolution: number): number[] {
  const stop = Math.fround(Math.PI);
  const inv = Math.fround(1 / (resolution - 1));
  return Array.from({ length: resolution }, (_, k) => Math.fround(stop * Math.fround(k * inv)));
}
