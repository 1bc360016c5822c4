/**
 * Spark's `rfs_traced_synapses` (RFSTracedSynapses): a rise–fast–slow tracer per synapse — two
 * rise–decay tracers sharing the rise parameters, with decays τ_fast and τ_slow:
 * ```
 * x_ij = W_ij·s_j                                     (sync: s_j; async: s_ij)
 * for b in {fast, slow}:  τ'_b = τ_rise·τ_b/(τ_rise + τ_b)
 *   R^b_ij = base_rise + e^(−dt/τ'_b)·(R^b_ij − base_rise) + scale_rise·x_ij
 *   D^b_ij = base_b    + e^(−dt/τ_b)·(D^b_ij − base_b)     + scale_b·x_ij
 * I_i = Σ_j [α·(D^fast − R^fast) + (1 − α)·(D^slow − R^slow)]_ij   (structural: dense row sum)
 * ```
 * No golden fixture; tested against hand-computed steps. No compatibility switches.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, exp, lit } from '../lang/builder.ts';
import { configSchema } from '../library/schema.ts';
import { synapseInputs, tracerParams } from './common.ts';

/** Builds the per-synapse definition; `async` takes per-synapse spikes. */
export function rfsTracedSynapsesDefinition(async = false): ModuleDefinition {
  return defineModule(
    'rfs_traced_synapses',
    (m) => {
      const alpha = m.param('alpha', { extent: 'synapse' });
      const { tau: tauR, scale: scaleR, base: baseR } = tracerParams(m, '_rise');
      const { tau: tauF, scale: scaleF, base: baseF } = tracerParams(m, '_fast_decay');
      const { tau: tauS, scale: scaleS, base: baseS } = tracerParams(m, '_slow_decay');
      const rf = m.state('fast_rise_trace', { init: baseR, unit: 'pA' });
      const df = m.state('fast_decay_trace', { init: baseF, unit: 'pA' });
      const rs = m.state('slow_rise_trace', { init: baseR, unit: 'pA' });
      const ds = m.state('slow_decay_trace', { init: baseS, unit: 'pA' });
      const { kernel, spikes } = synapseInputs(m, async);
      const contribution = m.output('contribution', { payload: 'CurrentArray', unit: 'pA' });
      const x = m.let_('x', kernel.mul(spikes));
      const tauRF = m.let_('tau_rise_fast', tauR.mul(tauF).div(tauR.add(tauF)));
      const tauRS = m.let_('tau_rise_slow', tauR.mul(tauS).div(tauR.add(tauS)));
      m.assign(rf, baseR.add(exp(dt.neg().div(tauRF)).mul(rf.sub(baseR))).add(scaleR.mul(x)));
      m.assign(df, baseF.add(exp(dt.neg().div(tauF)).mul(df.sub(baseF))).add(scaleF.mul(x)));
      m.assign(rs, baseR.add(exp(dt.neg().div(tauRS)).mul(rs.sub(baseR))).add(scaleR.mul(x)));
      m.assign(ds, baseS.add(exp(dt.neg().div(tauS)).mul(ds.sub(baseS))).add(scaleS.mul(x)));
      m.assign(contribution, alpha.mul(df.sub(rf)).add(lit(1).sub(alpha).mul(ds.sub(rs))));
    },
    {
      domain: 'synapse',
      schema: configSchema('rfs_traced_synapses'),
      doc: "Spark's RFSTracedSynapses (rfs_traced_synapses): per-synapse rise–fast–slow traces of W·s.",
    },
  );
}

/** Sync form. */
export const rfsTracedSynapses: ModuleDefinition = rfsTracedSynapsesDefinition(false);
