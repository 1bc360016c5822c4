/**
 * `coba_lif` (spark-snn addition): the conductance-based LIF soma of the COBA benchmark (Brette et
 * al. 2007 benchmark 1, Vogels–Abbott 2005; benchmarks.md §1.2) with reversal potentials,
 * exponential Euler over the step with the conductances frozen, and the refractory clamp at
 * `v_reset`:
 * ```
 * ge += exc;  gi += inh                                (conductance jumps in nS)
 * g = g_l + ge + gi;  v∞ = (g_l·e_l + ge·e_ex + gi·e_in)/g
 * v = ready ? v∞ + (v − v∞)·e^(−dt·g/c_m) : v_reset
 * ge *= e^(−dt/τex);  gi *= e^(−dt/τin)
 * spike = ready && v > v_threshold;  v = spike ? v_reset : v
 * ```
 * The initial state is `v = v_reset + v_offset`, `ge = ge_init`, `gi = gi_init` (per-unit values,
 * so that variant (b)'s random initial state can be given as arrays or initializers).
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { parseDefinition } from '../lang/parser.ts';
import { bindSchema } from '../lang/schema.ts';
import { configSchema } from '../library/schema.ts';
import { BENCHMARK_REFRACTORY } from './cuba_lif.ts';

/** Text of {@link cobaLif}. */
export const COBA_LIF_SOURCE = `
module coba_lif over unit
param c_m: f32
param g_l: f32
param e_l: f32
param e_ex: f32
param e_in: f32
param tau_ex: f32
param tau_in: f32
param v_threshold: f32
param v_reset: f32
param refractory: f32
param v_offset: f32 per unit
param ge_init: f32 per unit
param gi_init: f32 per unit
state v: f32 = v_reset + v_offset [mV]
state ge: f32 = ge_init [nS]
state gi: f32 = gi_init [nS]
state cooldown: i32 = 0
input exc: CurrentArray f32 [nS]
input inh: CurrentArray f32 [nS]
output spikes: SpikeArray f32

let eex = exp(-dt / tau_ex)
let ein = exp(-dt / tau_in)
let ref_steps = i32(round(refractory / dt))
ge = ge + exc
gi = gi + inh
${BENCHMARK_REFRACTORY}
let g_tot = g_l + ge + gi
let v_inf = (g_l * e_l + ge * e_ex + gi * e_in) / g_tot
v = ready ? v_inf + (v - v_inf) * exp(-dt * g_tot / c_m) : v_reset
ge = ge * eex
gi = gi * ein
let spike = ready && v > v_threshold
spikes = f32(spike)
v = spike ? v_reset : v
cooldown = spike ? ref_steps : cooldown
`;

/** COBA soma (conductances with reversal potentials). */
export const cobaLif: ModuleDefinition = bindSchema(
  parseDefinition(COBA_LIF_SOURCE),
  configSchema('coba_lif'),
);
