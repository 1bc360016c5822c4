/**
 * Spark's `linear_synapses` (LinearSynapses): no per-element state, only the structural dense op:
 * ```
 * I_i = Σ_j W_ij·s_j      (sync: presynaptic spikes)
 * I_i = Σ_j W_ij·s_ij     (async: per-synapse spikes, e.g. behind n2n_delays)
 * ```
 * `s` are the signed spikes (±1). No equation definition and no compatibility switches.
 *
 * @module
 */

/** The equations of linear_synapses (documentation only; the dense op computes them). */
export const LINEAR_SYNAPSES_EQUATIONS = [
  'I_i = Σ_j W_ij · s_j   (sync)',
  'I_i = Σ_j W_ij · s_ij  (async)',
] as const;
