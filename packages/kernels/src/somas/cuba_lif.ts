/**
 * `cuba_lif` (spark-snn addition): the LIF soma of the CUBA benchmark (Vogels–Abbott, Brian2
 * `examples/CUBA.py`; benchmarks.md §1.1) with two voltage-like exponential current synapses,
 * **exact** (linear) integration and Brian/NEST refractoriness (v held, `ge`/`gi` keep decaying):
 * ```
 * ge += exc;  gi += inh                                (per-step increments, e.g. of sparse_synapses)
 * v   = ready ? v_rest + (v − v_rest)·e^(−dt/τm) + ge·c_e + gi·c_i : v
 * ge *= e^(−dt/τe);  gi *= e^(−dt/τi)
 * spike = ready && v > v_threshold;  v = spike ? v_reset : v
 * ```
 * with `c = τs/(τs − τm)·(e^(−dt/τs) − e^(−dt/τm))`. Refractoriness is a step counter: a spike at
 * step n makes steps n+1 … n+round(refractory/dt)−1 refractory (Appendix A's
 * `(n − last_spike) < round(t_ref/dt)`). The initial potential is `v_reset + v_offset`; a per-unit
 * `v_offset` drawn from a uniform initializer gives CUBA's `v₀ ~ U[v_reset, v_threshold)`.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { parseDefinition } from '../lang/parser.ts';
import { bindSchema } from '../lang/schema.ts';
import { configSchema } from '../library/schema.ts';

/** Refractory counter shared by the benchmark somas (`ready` when the counter is 0). */
export const BENCHMARK_REFRACTORY = `
cooldown = max(cooldown - 1, 0)
let ready = cooldown == 0`;

/** Text of {@link cubaLif}. */
export const CUBA_LIF_SOURCE = `
module cuba_lif over unit
param tau_m: f32
param tau_e: f32
param tau_i: f32
param v_rest: f32
param v_threshold: f32
param v_reset: f32
param refractory: f32
param v_offset: f32 per unit
state v: f32 = v_reset + v_offset [mV]
state ge: f32 = 0 [mV]
state gi: f32 = 0 [mV]
state cooldown: i32 = 0
input exc: CurrentArray f32 [mV]
input inh: CurrentArray f32 [mV]
output spikes: SpikeArray f32

let em = exp(-dt / tau_m)
let ee = exp(-dt / tau_e)
let ei = exp(-dt / tau_i)
# c = τs/(τs − τm)·(e^(−dt/τs) − e^(−dt/τm)); its limit dt/τm·e^(−dt/τm) when τs = τm. Written over
# parameters only (the 1e−12·τm keeps the divisor provably positive) so that it is hoisted.
let ce = abs(tau_e - tau_m) > 0.000001 * tau_m ? tau_e * (exp(-dt / tau_e) - exp(-dt / tau_m)) / (abs(tau_e - tau_m) + 0.000000000001 * tau_m) * sign(tau_e - tau_m) : dt / tau_m * exp(-dt / tau_m)
let ci = abs(tau_i - tau_m) > 0.000001 * tau_m ? tau_i * (exp(-dt / tau_i) - exp(-dt / tau_m)) / (abs(tau_i - tau_m) + 0.000000000001 * tau_m) * sign(tau_i - tau_m) : dt / tau_m * exp(-dt / tau_m)
let ref_steps = i32(round(refractory / dt))
ge = ge + exc
gi = gi + inh
${BENCHMARK_REFRACTORY}
v = ready ? v_rest + (v - v_rest) * em + ge * ce + gi * ci : v
ge = ge * ee
gi = gi * ei
let spike = ready && v > v_threshold
spikes = f32(spike)
v = spike ? v_reset : v
cooldown = spike ? ref_steps : cooldown
`;

/** CUBA soma (exact integration, refractory clamp). */
export const cubaLif: ModuleDefinition = bindSchema(
  parseDefinition(CUBA_LIF_SOURCE),
  configSchema('cuba_lif'),
);
