/**
 * Spark's `traced_synapses` (TracedSynapses): one exponential trace per synapse, fed with the
 * weighted signed spikes, summed over the presynaptic axis:
 * ```
 * q_ij = base + e^(−dt/τ_ij)·(q_ij − base) + scale·W_ij·s_j      (sync: s_j; async: s_ij)
 * I_i  = Σ_j q_ij                                                 (structural: dense row sum)
 * ```
 * `q` starts at `base`. The row sum is done by the dense propagation op with a vector of ones (the
 * language has no reduction). No compatibility switches.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, exp } from '../lang/builder.ts';
import { configSchema } from '../library/schema.ts';
import { synapseInputs, tracerParams } from './common.ts';

/** Builds the per-synapse definition; `async` takes per-synapse spikes (shape post × pre). */
export function tracedSynapsesDefinition(async = false): ModuleDefinition {
  return defineModule(
    'traced_synapses',
    (m) => {
      const { tau, scale, base } = tracerParams(m);
      const q = m.state('current_trace', { init: base, unit: 'pA', doc: 'per-synapse current trace' });
      const { kernel, spikes } = synapseInputs(m, async);
      m.assign(q, base.add(exp(dt.neg().div(tau)).mul(q.sub(base))).add(scale.mul(kernel).mul(spikes)));
    },
    {
      domain: 'synapse',
      schema: configSchema('traced_synapses'),
      doc: "Spark's TracedSynapses (traced_synapses): per-synapse traces of W·s.",
    },
  );
}

/** Sync form (presynaptic spikes). */
export const tracedSynapses: ModuleDefinition = tracedSynapsesDefinition(false);
