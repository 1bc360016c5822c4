/**
 * Spark-compatibility switches. spark-snn fixes the upstream bugs listed in spark-reference §7;
 * because Spark's models were tuned on Spark's actual behaviour, every fix has a switch that
 * reproduces the upstream behaviour exactly. Models created with spark-snn use {@link CORRECTED}
 * (every switch off); models loaded from Spark files use {@link SPARK_COMPAT} (every switch on).
 * The provenance marker of a config decides which one applies.
 *
 * @module
 */

/** One switch per reproduced upstream behaviour (true = behave like Spark). */
export interface SparkCompat {
  /** Izhikevich: double rebasing with `potential_reset` as the internal rest (fires every step at rest). §7.1 */
  readonly izhikevichRebasing: boolean;
  /** Delays: a delay equal to the ring length B is read in the same step (zero delay). §7.2 */
  readonly delayWrapAround: boolean;
  /** Delay initializer: `scale = B + 1` and `min_value = 1` are forced (d = 1 twice as likely). §7.2 */
  readonly delayInitializerForced: boolean;
  /** Refractory somas (not the strict one) are not ready at step 0 (counter starts at c). §7.7 */
  readonly refractoryNotReadyAtStart: boolean;
  /** Refractory counters are uint16 and wrap after 65 535 quiet steps (spurious refractoriness). §7.7 */
  readonly refractoryCounterWraps: boolean;
  /** QuadrupletRuleTensor: per-type parameters, trace decays and scales rounded through float16. */
  readonly quadrupletFloat16Params: boolean;
  /** QuadrupletRuleTensor inside a Neuron: the synapse-type mask is all EE (no inhibition masks). */
  readonly quadrupletNeuronMasksMissing: boolean;
  /** ThreeFactorHebbianRule adds a hard-coded +0.1 to the reward. §7.4 */
  readonly threeFactorRewardOffset: boolean;
  /** ExponentialIntegrator smooth trace: fixed 10 ms / 0.1 decay branch, only the rise branch normalised. §7.5 */
  readonly integratorSmoothTraceScale: boolean;
  /** ExponentialIntegrator: with an `output_map` the group sizes stay the even-split sizes. §7.5 */
  readonly integratorOutputMapSizes: boolean;
  /** Topological spikers drop dt from their constants (identical at dt = 1). §7.6 */
  readonly topologicalDropsDt: boolean;
}

/** Every switch off: the corrected behaviour, the default for models made with spark-snn. */
export const CORRECTED: SparkCompat = Object.freeze({
  izhikevichRebasing: false,
  delayWrapAround: false,
  delayInitializerForced: false,
  refractoryNotReadyAtStart: false,
  refractoryCounterWraps: false,
  quadrupletFloat16Params: false,
  quadrupletNeuronMasksMissing: false,
  threeFactorRewardOffset: false,
  integratorSmoothTraceScale: false,
  integratorOutputMapSizes: false,
  topologicalDropsDt: false,
});

/** Every switch on: exactly what upstream Spark computes, for models loaded from Spark files. */
export const SPARK_COMPAT: SparkCompat = Object.freeze({
  izhikevichRebasing: true,
  delayWrapAround: true,
  delayInitializerForced: true,
  refractoryNotReadyAtStart: true,
  refractoryCounterWraps: true,
  quadrupletFloat16Params: true,
  quadrupletNeuronMasksMissing: true,
  threeFactorRewardOffset: true,
  integratorSmoothTraceScale: true,
  integratorOutputMapSizes: true,
  topologicalDropsDt: true,
});

/** Switch name. */
export type CompatSwitch = keyof SparkCompat;

/** Documentation of one switch (rendered into docs/spark-compatibility.md). */
export interface CompatNote {
  readonly switch: CompatSwitch;
  /** Registry names of the affected modules. */
  readonly modules: readonly string[];
  /** Item of spark-reference §7 or of the golden README's upstream list. */
  readonly reference: string;
  /** What Spark does (switch on). */
  readonly spark: string;
  /** What spark-snn does by default (switch off). */
  readonly corrected: string;
}

/** Every compatibility switch with its documentation. */
export const COMPAT_NOTES: readonly CompatNote[] = [
  {
    switch: 'izhikevichRebasing',
    modules: ['izhikevich_soma'],
    reference: 'spark-reference §7.1; golden README item 1',
    spark:
      'x = u − potential_reset with u = V − potential_rest (x = V + 130 mV with the defaults), w updated with b·(u − potential_reset), −R·w in the membrane equation, w starts at 0: the soma fires on every step at rest.',
    corrected:
      'the standard model in absolute potential V = u + potential_rest: dV = 0.04V² + 5V + 140 − w + R·I, dw = a(b·V − w), w starts at b·potential_rest; reset V ← potential_reset, w ← w + d.',
  },
  {
    switch: 'delayWrapAround',
    modules: ['n_delays', 'n2n_delays'],
    reference: 'spark-reference §7.2; golden README item 2',
    spark:
      'ring buffer of B = ceil(max_delay/dt) rows: a delay d = B reads the row written in the same step (zero delay; about 20 % of the synapses of ab_brain).',
    corrected: 'ring buffer of B + 1 rows: every delay d ∈ [1, B] arrives exactly d steps later.',
  },
  {
    switch: 'delayInitializerForced',
    modules: ['n_delays', 'n2n_delays'],
    reference: 'spark-reference §2.4, §7.2',
    spark:
      'the delay initializer is called with scale = B + 1 and min_value = 1 whatever the config says: d = floor(clip((B+1)·U, 1, ·)), P(d = 1) = 2/(B+1).',
    corrected:
      'd = 1 + floor(B·U), uniform over 1..B (explicit delay arrays are used as given in both modes).',
  },
  {
    switch: 'refractoryNotReadyAtStart',
    modules: [
      'refractory_leaky_soma',
      'adaptive_leaky_soma',
      'refractory_exponential_soma',
      'simplified_adaptive_exponential_soma',
    ],
    reference: 'spark-reference §7.7; golden README item 6',
    spark:
      'the counter starts at c and readiness needs r > c, so the soma can neither integrate input nor spike at step 0.',
    corrected:
      'the counter starts at c + 1: the soma is ready at step 0 (strict_refractory_leaky_soma is ready at step 0 in both modes).',
  },
  {
    switch: 'refractoryCounterWraps',
    modules: ['refractory_leaky_soma', 'strict_refractory_leaky_soma', 'adaptive_leaky_soma'],
    reference: 'spark-reference §7.7; golden README item 6',
    spark:
      'uint16 counter r = (1 − z)(r + 1) wraps to 0 after 65 535 spike-free steps (spurious refractoriness). The exponential refractory somas keep a float counter after reset() and do not wrap.',
    corrected: 'the counter saturates at c + 1 (it never wraps).',
  },
  {
    switch: 'quadrupletFloat16Params',
    modules: ['quadruplet_rule_tensor'],
    reference: 'golden README item 3',
    spark:
      'the per-type parameter arrays (pre_tau, post_tau, q_alpha..q_delta, max_clip) are assembled in float16, and the trace decays exp(−dt/τ) and scales 1/τ are computed in float16 before the cast to float32.',
    corrected: 'parameters, decays and scales in float32.',
  },
  {
    switch: 'quadrupletNeuronMasksMissing',
    modules: ['quadruplet_rule_tensor'],
    reference: 'golden README item 4',
    spark:
      'inside a Neuron controller the rule is built from mock specs without inhibition masks: every synapse is of type EE, even in fully inhibitory pools.',
    corrected: 'the synapse types come from the real pre/post inhibition masks.',
  },
  {
    switch: 'threeFactorRewardOffset',
    modules: ['three_factor_hebbian_rule'],
    reference: 'spark-reference §7.4; golden README item 5',
    spark: 'dW = gamma·(r + 0.1)·(…): a hard-coded +0.1 is added to the reward.',
    corrected: 'dW = gamma·r·(…).',
  },
  {
    switch: 'integratorSmoothTraceScale',
    modules: ['exponential_integrator'],
    reference: 'spark-reference §7.5; golden README item 7',
    spark:
      'smooth_trace = true: D = e^(−dt/10)·D + 0.1·n, R = e^(−dt/τ′)·R + σ_k·n, y = D − R (mostly negative for small groups).',
    corrected:
      'both branches get the same scale σ_k·τ/(10 − τ′), so y ≈ population rate / saturation_freq as in the plain mode.',
  },
  {
    switch: 'integratorOutputMapSizes',
    modules: ['exponential_integrator'],
    reference: 'spark-reference §7.5',
    spark: 'with an explicit output_map the group sizes c_k stay the even-split sizes.',
    corrected: 'c_k is the number of inputs mapped to group k.',
  },
  {
    switch: 'topologicalDropsDt',
    modules: ['topological_linear_spiker'],
    reference: 'spark-reference §7.6; golden README item 8',
    spark: 'E = exp((1/τ)·(1000 − cd·f)/f) and V += ready·τ·g·k·a, without dt.',
    corrected: 'the constants and the update of linear_spiker, with dt (identical at dt = 1 ms).',
  },
];
