/**
 * Spark's `linear_spiker` (LinearSpiker): a deterministic integrate-and-fire encoder.
 * ```
 * decay = e^(−dt/τ),  gain = 1 − decay
 * E     = exp((dt/τ)·(1000 − cd·max_freq)/max_freq),  k = 1/(E − 1) + 1
 * ready = ρ ≥ cd
 * V     = decay·V + dt·(ready · τ·gain·k·signal)
 * spike = V > τ;   V = spike ? 0 : V;   ρ = spike ? 0 : ρ + dt
 * ```
 * `V` starts at 0 and the refractory timer `ρ` at `cd` (ready at step 0). No compatibility
 * switches (the float16 timer saturation of §7.9 does not arise in float32). Spark's V is compared
 * with τ and grows by dt·τ·…, which no unit assignment makes consistent, so the parameters declare
 * no units (τ, cd in ms, max_freq in Hz) and the hidden parameter `_ms` (= 1 ms) turns dt into a
 * plain number of milliseconds.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, exp, f32, lit, select } from '../lang/builder.ts';
import { msParam } from '../library/internal-params.ts';
import { configSchema } from '../library/schema.ts';

/** Spark's LinearSpiker. */
export const linearSpiker: ModuleDefinition = defineModule(
  'linear_spiker',
  (m) => {
    const tau = m.param('tau');
    const cd = m.param('cd');
    const maxFreq = m.param('max_freq');
    const v = m.state('potential', { init: 0 });
    const rho = m.state('refractory', { init: cd, doc: 'time since the last spike (ms)' });
    const signal = m.input('signal', { payload: 'FloatArray' });
    const spikes = m.output('spikes', { payload: 'SpikeArray' });
    const ms = msParam(m, '1 ms: gives dt its unit back (a literal cannot carry one; not a config field)');
    const steps = m.let_('dt_ms', dt.div(ms));
    const decay = m.let_('decay', exp(steps.neg().div(tau)));
    const big = m.let_('E', exp(steps.div(tau).mul(lit(1000).sub(cd.mul(maxFreq)).div(maxFreq))));
    const k = m.let_('k', lit(1).div(big.sub(1)).add(1));
    const ready = m.let_('ready', rho.ge(cd));
    m.assign(v, decay.mul(v).add(steps.mul(select(ready, tau.mul(lit(1).sub(decay)).mul(k).mul(signal), 0))));
    const spike = m.let_('spike', v.gt(tau));
    m.assign(spikes, f32(spike));
    m.assign(v, select(spike, 0, v));
    m.assign(rho, select(spike, 0, rho.add(steps)));
  },
  {
    schema: configSchema('linear_spiker'),
    schemaUnits: false,
    domain: 'unit',
    doc: "Spark's LinearSpiker (linear_spiker).",
  },
);
