/**
 * Equation definitions of the modules the standard SNN benchmarks need (benchmarks.md §1,
 * Appendix A), written once in the equation language and run by every backend:
 *
 * | definition | what | reference |
 * | --- | --- | --- |
 * | {@link cubaLif} | LIF with two voltage-like exponential current synapses, **exact** (linear) integration, Brian/NEST refractory clamping (v held, synapses keep decaying) | Brian2 `examples/CUBA.py`, Vogels–Abbott |
 * | {@link cobaLif} | conductance-based LIF with reversal potentials (COBA), exponential Euler with frozen conductances, refractory clamp at `v_reset` | Brette et al. 2007 benchmark 1 |
 * | {@link brunelLif} | LIF with delta (current-jump) synapses, exact decay, input **discarded** while refractory (NEST `iaf_psc_delta`), spike on `v ≥ θ` | Brunel 2000 model A |
 * | {@link poissonDrive} | external Poisson drive: `sources` independent Poisson sources of `rate` per unit, summed into one jump `weight · Poisson(rate · sources · dt)` per step | Brunel's ν_ext |
 *
 * Synaptic input arrives as per-step increments (the output of `sparse.csr`). Refractoriness is a
 * step counter: a spike at step n makes steps n+1 … n+round(t_ref/dt)−1 refractory, exactly the
 * `(n − last_spike) < round(t_ref/dt)` rule of Appendix A. Population-rate monitors need no module:
 * they are `reduce.group_sum` ops over the spike vector (see `networks.ts`).
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { parseDefinition } from '../lang/parser.ts';

const REFRACTORY = `
cooldown = max(cooldown - 1, 0)
let ready = cooldown == 0`;

/** Text of {@link cubaLif}. */
export const CUBA_LIF_SOURCE = `
module cuba_lif over unit
param tau_m: f32 = 20 [ms] positive
param tau_e: f32 = 5 [ms] positive
param tau_i: f32 = 10 [ms] positive
param v_rest: f32 = -49 [mV]
param v_threshold: f32 = -50 [mV]
param v_reset: f32 = -60 [mV]
param refractory: f32 = 5 [ms] nonnegative
param v_offset: f32 per unit = 0 [mV]
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
${REFRACTORY}
v = ready ? v_rest + (v - v_rest) * em + ge * ce + gi * ci : v
ge = ge * ee
gi = gi * ei
let spike = ready && v > v_threshold
spikes = f32(spike)
v = spike ? v_reset : v
cooldown = spike ? ref_steps : cooldown
`;

/** Text of {@link cobaLif}. */
export const COBA_LIF_SOURCE = `
module coba_lif over unit
param c_m: f32 = 200 [pF] positive
param g_l: f32 = 10 [nS] positive
param e_l: f32 = -60 [mV]
param e_ex: f32 = 0 [mV]
param e_in: f32 = -80 [mV]
param tau_ex: f32 = 5 [ms] positive
param tau_in: f32 = 10 [ms] positive
param v_threshold: f32 = -50 [mV]
param v_reset: f32 = -60 [mV]
param refractory: f32 = 5 [ms] nonnegative
state v: f32 = -60 [mV]
state ge: f32 = 0 [nS]
state gi: f32 = 0 [nS]
state cooldown: i32 = 0
input exc: CurrentArray f32 [nS]
input inh: CurrentArray f32 [nS]
output spikes: SpikeArray f32

let eex = exp(-dt / tau_ex)
let ein = exp(-dt / tau_in)
let ref_steps = i32(round(refractory / dt))
ge = ge + exc
gi = gi + inh
${REFRACTORY}
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

/** Text of {@link brunelLif}. */
export const BRUNEL_LIF_SOURCE = `
module brunel_lif over unit
param tau_m: f32 = 20 [ms] positive
param theta: f32 = 20 [mV]
param v_reset: f32 = 10 [mV]
param refractory: f32 = 2 [ms] nonnegative
state v: f32 = 0 [mV]
state cooldown: i32 = 0
input current: CurrentArray f32 [mV]
input external: CurrentArray f32 [mV]
output spikes: SpikeArray f32

let em = exp(-dt / tau_m)
let ref_steps = i32(round(refractory / dt))
${REFRACTORY}
v = ready ? v * em + current + external : v_reset
let spike = ready && v >= theta
spikes = f32(spike)
v = spike ? v_reset : v
cooldown = spike ? ref_steps : cooldown
`;

/** Terms of the unrolled Poisson inversion of {@link poissonDrive}. */
export const POISSON_TERMS = 24;

function poissonSource(): string {
  const lam = '(rate * sources * dt)';
  // Σ_{m ≤ k} λ^m / m! in Horner form: 1 + λ/1·(1 + λ/2·(… (1 + λ/k))).
  const partial = (k: number): string => {
    let h = '1';
    for (let m = k; m >= 1; m--) h = `1 + ${lam} / ${m} * (${h})`;
    return h;
  };
  const lines = [
    'module poisson_drive over unit',
    'param rate: f32 = 0.01 [kHz] nonnegative',
    'param sources: f32 = 1000 nonnegative',
    'param weight: f32 = 0.1 [mV]',
    'output current: CurrentArray f32 [mV]',
    '',
    '# CDF of Poisson(λ = rate · sources · dt), written over parameters only so that every c_k is',
    '# hoisted (computed once on the host in float64).',
  ];
  for (let k = 0; k < POISSON_TERMS; k++) {
    lines.push(`let c${k} = exp(-${lam}) * (${partial(k)})`);
  }
  lines.push('let u = uniform()');
  // A nested conditional (short-circuits after ~λ + 1 comparisons where the target branches), in
  // blocks of 8 lets to stay below the parser's nesting limit.
  let chain = `${POISSON_TERMS}`;
  for (let k = POISSON_TERMS - 1; k >= 0; k--) {
    chain = `u < c${k} ? ${k} : (${chain})`;
    if (k % 8 === 0 && k > 0) {
      lines.push(`let q${k} = ${chain}`);
      chain = `q${k}`;
    }
  }
  lines.push(`current = weight * f32(${chain})`);
  return lines.join('\n');
}

/**
 * Text of {@link poissonDrive}: inversion of one uniform against the Poisson CDF unrolled to
 * {@link POISSON_TERMS} terms (the tail beyond 23 arrivals per step is below 1e−9
 * for `rate · sources · dt ≤ 4`, i.e. Brunel's η ≤ 4, and 3e−6 at 8; larger means are truncated).
 */
export const POISSON_DRIVE_SOURCE: string = poissonSource();

/** CUBA soma (exact integration, refractory clamp). */
export const cubaLif: ModuleDefinition = parseDefinition(CUBA_LIF_SOURCE);
/** COBA soma (conductances with reversal potentials). */
export const cobaLif: ModuleDefinition = parseDefinition(COBA_LIF_SOURCE);
/** Brunel model A soma (delta synapses, NEST refractoriness). */
export const brunelLif: ModuleDefinition = parseDefinition(BRUNEL_LIF_SOURCE);
/** External Poisson drive of many independent sources per unit. */
export const poissonDrive: ModuleDefinition = parseDefinition(POISSON_DRIVE_SOURCE);
