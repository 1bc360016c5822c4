/**
 * What the per-synapse definitions of the traced synapse modules share: their two inputs (the
 * kernel and the signed spikes) and the parameters of a Spark tracer.
 *
 * @module
 */

import type { Ex, ModuleBuilder } from '../lang/builder.ts';

/** The inputs of a per-synapse definition: the kernel W and the spikes (per synapse when `async`). */
export function synapseInputs(m: ModuleBuilder, async: boolean): { kernel: Ex; spikes: Ex } {
  const kernel = m.input('kernel', {
    payload: 'FloatArray',
    unit: 'pA',
    extent: 'synapse',
    doc: 'the synaptic kernel W (post × pre)',
  });
  const spikes = m.input('spikes', {
    payload: 'SpikeArray',
    extent: async ? 'synapse' : 'pre',
    doc: 'signed spikes (±1)',
  });
  return { kernel, spikes };
}

/** A Spark tracer's per-synapse parameters `tau<suffix>`, `scale<suffix>`, `base<suffix>`. */
export function tracerParams(m: ModuleBuilder, suffix = ''): { tau: Ex; scale: Ex; base: Ex } {
  const tau = m.param(`tau${suffix}`, { extent: 'synapse' });
  const scale = m.param(`scale${suffix}`, { extent: 'synapse' });
  const base = m.param(`base${suffix}`, { extent: 'synapse' });
  return { tau, scale, base };
}
