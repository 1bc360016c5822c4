/**
 * Spark's `rd_traced_synapses` (RDTracedSynapses): a rise–decay tracer per synapse.
 * ```
 * x_ij  = W_ij·s_j                                   (sync: s_j; async: s_ij)
 * τ'    = τ_rise·τ_decay / (τ_rise + τ_decay)
 * R_ij  = base_rise  + e^(−dt/τ')·(R_ij − base_rise)        + scale_rise·x_ij
 * D_ij  = base_decay + e^(−dt/τ_decay)·(D_ij − base_decay)  + scale_decay·x_ij
 * I_i   = Σ_j (D_ij − R_ij)                           (structural: dense row sum)
 * ```
 * Both traces start at their base. No compatibility switches.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, exp } from '../lang/builder.ts';
import { configSchema } from '../library/schema.ts';
import { synapseInputs, tracerParams } from './common.ts';

/** Builds the per-synapse definition; `async` takes per-synapse spikes. */
export function rdTracedSynapsesDefinition(async = false): ModuleDefinition {
  return defineModule(
    'rd_traced_synapses',
    (m) => {
      const { tau: tauR, scale: scaleR, base: baseR } = tracerParams(m, '_rise');
      const { tau: tauD, scale: scaleD, base: baseD } = tracerParams(m, '_decay');
      const r = m.state('rise_trace', { init: baseR, unit: 'pA', doc: 'rise tracer R' });
      const d = m.state('decay_trace', { init: baseD, unit: 'pA', doc: 'decay tracer D' });
      const { kernel, spikes } = synapseInputs(m, async);
      const contribution = m.output('contribution', {
        payload: 'CurrentArray',
        unit: 'pA',
        doc: 'D − R, summed over the presynaptic axis into the currents',
      });
      const x = m.let_('x', kernel.mul(spikes));
      const tauRise = m.let_('tau_rise_eff', tauR.mul(tauD).div(tauR.add(tauD)));
      m.assign(r, baseR.add(exp(dt.neg().div(tauRise)).mul(r.sub(baseR))).add(scaleR.mul(x)));
      m.assign(d, baseD.add(exp(dt.neg().div(tauD)).mul(d.sub(baseD))).add(scaleD.mul(x)));
      m.assign(contribution, d.sub(r));
    },
    {
      domain: 'synapse',
      schema: configSchema('rd_traced_synapses'),
      doc: "Spark's RDTracedSynapses (rd_traced_synapses): per-synapse rise–decay traces of W·s.",
    },
  );
}

/** Sync form. */
export const rdTracedSynapses: ModuleDefinition = rdTracedSynapsesDefinition(false);
