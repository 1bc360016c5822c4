/**
 * Three custom modules, written once as equations (docs/custom-modules.md walks through them):
 *
 * - `quadratic_soma`: the quadratic integrate-and-fire neuron,
 *   τ dv/dt = a (v − v_rest)(v − v_crit) + R I, spike and reset when v > v_peak;
 * - `nearest_stdp`: pair-based STDP with *nearest-spike* traces (a spike resets its trace to 1
 *   instead of adding 1), potentiation on postsynaptic spikes, depression on presynaptic ones;
 * - `rate_encoder`: a rate-coded input interface, P(spike) = clamp(gain·x, 0, 1)·max_rate·dt.
 *
 * @module
 */
import type { CustomModuleSpec } from '@spark-snn/nn';

export const QUADRATIC_SOMA: CustomModuleSpec = {
  name: 'quadratic_soma',
  kind: 'soma',
  docs: 'Quadratic integrate-and-fire soma (forward Euler).',
  definition: `
module quadratic_soma over unit
param tau: f32 = 10 [ms] positive
param v_rest: f32 = -65 [mV]
param v_crit: f32 = -50 [mV]
param v_peak: f32 = 30 [mV]
param v_reset: f32 = -70 [mV]
param a: f32 = 0.04 [mV^-1]
param resistance: f32 = 1 [GOhm]
state potential: f32 = v_rest [mV]
input current: CurrentArray f32 [pA]
output spikes: SpikeArray f32

potential = potential + dt / tau * (a * (potential - v_rest) * (potential - v_crit) + resistance * current)
let fired = potential > v_peak
spikes = f32(fired)
potential = fired ? v_reset : potential
`,
};

export const NEAREST_STDP: CustomModuleSpec = {
  name: 'nearest_stdp',
  kind: 'plasticity',
  docs: 'Pair-based STDP with nearest-spike traces, weights clipped to [0, w_max].',
  definition: `
module nearest_stdp over synapse
param tau_plus: f32 = 20 [ms] positive
param tau_minus: f32 = 20 [ms] positive
param a_plus: f32 = 0.01 [pA]
param a_minus: f32 = 0.012 [pA]
param w_max: f32 = 1 [pA]
state pre_trace: f32 = 0
state post_trace: f32 = 0
input pre_spikes: SpikeArray f32 per pre
input post_spikes: SpikeArray f32 per unit
input kernel: FloatArray f32 per synapse [pA]
output updated_kernel: FloatArray f32 [pA]

let pre = abs(pre_spikes)
let post = abs(post_spikes)
pre_trace = pre > 0 ? 1 : pre_trace * exp(-dt / tau_plus)
post_trace = post > 0 ? 1 : post_trace * exp(-dt / tau_minus)
updated_kernel = clamp(kernel + a_plus * pre_trace * post - a_minus * post_trace * pre, 0, w_max)
`,
};

export const RATE_ENCODER: CustomModuleSpec = {
  name: 'rate_encoder',
  kind: 'interface',
  docs: 'Rate-coded input: each unit spikes with probability clamp(gain·x, 0, 1)·max_rate·dt.',
  definition: `
module rate_encoder over unit
param max_rate: f32 = 0.1 [kHz] positive
param gain: f32 = 1
input signal: FloatArray f32
output spikes: SpikeArray f32

spikes = f32(bernoulli(clamp(gain * signal, 0, 1) * max_rate * dt))
`,
};
