/**
 * `brunel_lif` (spark-snn addition): the LIF soma of Brunel 2000 model A (NEST `iaf_psc_delta`
 * conventions; benchmarks.md §1.3): delta (voltage-jump) synapses, exact decay, input **discarded**
 * while refractory, spike on `v ≥ θ`:
 * ```
 * v = ready ? v·e^(−dt/τm) + current + external : v_reset
 * spike = ready && v >= theta;  v = spike ? v_reset : v
 * ```
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { parseDefinition } from '../lang/parser.ts';
import { bindSchema } from '../lang/schema.ts';
import { configSchema } from '../library/schema.ts';
import { BENCHMARK_REFRACTORY } from './cuba_lif.ts';

/** Text of {@link brunelLif}. */
export const BRUNEL_LIF_SOURCE = `
module brunel_lif over unit
param tau_m: f32
param theta: f32
param v_reset: f32
param refractory: f32
state v: f32 = 0 [mV]
state cooldown: i32 = 0
input current: CurrentArray f32 [mV]
input external: CurrentArray f32 [mV]
output spikes: SpikeArray f32

let em = exp(-dt / tau_m)
let ref_steps = i32(round(refractory / dt))
${BENCHMARK_REFRACTORY}
v = ready ? v * em + current + external : v_reset
let spike = ready && v >= theta
spikes = f32(spike)
v = spike ? v_reset : v
cooldown = spike ? ref_steps : cooldown
`;

/** Brunel model A soma (delta synapses, NEST refractoriness). */
export const brunelLif: ModuleDefinition = bindSchema(
  parseDefinition(BRUNEL_LIF_SOURCE),
  configSchema('brunel_lif'),
);
