/**
 * Building blocks shared by the soma definitions: Spark's common soma fields (named as in the
 * config schemas, which give their defaults, units and validators), the refractory counter and the
 * adaptive threshold tracer. Each soma file still spells out its own membrane equation.
 *
 * @module
 */

import { dt, type Ex, exp, type ModuleBuilder, min, round, select } from '../lang/builder.ts';
import type { SparkCompat } from '../library/compat.ts';

/** The common soma fields as parameters (per unit). */
export interface SomaFields {
  rest: Ex;
  reset: Ex;
  tau: Ex;
  r: Ex;
  threshold: Ex;
}

/**
 * Declares `potential_rest`, `potential_reset`, `potential_tau`, `resistance`, `threshold` (per
 * unit; defaults, units and validators from the soma's config schema).
 */
export function somaFields(m: ModuleBuilder): SomaFields {
  return {
    rest: m.param('potential_rest', { extent: 'unit' }),
    reset: m.param('potential_reset', { extent: 'unit' }),
    tau: m.param('potential_tau', { extent: 'unit' }),
    r: m.param('resistance', { extent: 'unit' }),
    threshold: m.param('threshold', { extent: 'unit' }),
  };
}

/** A soma's ports and membrane: the rebased potential `v`, the `current` input, the `spikes` output. */
export function somaPorts(m: ModuleBuilder): { v: Ex; current: Ex; spikes: Ex } {
  const v = m.state('potential', { init: 0, unit: 'mV', doc: 'rebased potential V − potential_rest' });
  const current = m.input('current', { payload: 'CurrentArray', unit: 'pA' });
  const spikes = m.output('spikes', { payload: 'SpikeArray' });
  return { v, current, spikes };
}

/**
 * The exponential family's membrane drive on the rebased potential:
 * `−v + Δ_T·e^((v − (V_T − rest))/Δ_T) + input` (the caller's input term, e.g. `R·I`).
 */
export function exponentialDrive(v: Ex, f: SomaFields, e: { rheobase: Ex; slope: Ex }, input: Ex): Ex {
  return v
    .neg()
    .add(e.slope.mul(exp(v.sub(e.rheobase.sub(f.rest)).div(e.slope))))
    .add(input);
}

/** The exponential family's extra fields (`spike_slope` must be positive in the schema: it divides). */
export function exponentialFields(m: ModuleBuilder): { rheobase: Ex; slope: Ex } {
  return {
    rheobase: m.param('rheobase_threshold', { extent: 'unit' }),
    slope: m.param('spike_slope', { extent: 'unit' }),
  };
}

/** A refractory counter: the `cooldown` field, the `refractory` state and its readiness test. */
export interface Refractory {
  /** `c = round(cooldown / dt)` (round half to even), whole steps as f32. */
  c: Ex;
  /** The counter state (steps since the last spike). */
  counter: Ex;
  /** Readiness of this step (bool). */
  ready: Ex;
}

/**
 * Declares `cooldown` and the counter. `strict` readiness is `r ≥ c`, otherwise `r > c`.
 * The counter starts at `c` (strict somas, and Spark's `refractoryNotReadyAtStart`) or `c + 1`
 * (corrected: ready at step 0).
 */
export function refractory(m: ModuleBuilder, compat: SparkCompat, strict: boolean): Refractory {
  // Rounded half to even to whole steps.
  const cooldown = m.param('cooldown', { extent: 'unit' });
  // Whole steps held in f32 (exact below 2^24), so the somas also run where integers are missing (gpu.js).
  const c0 = round(cooldown.div(dt));
  // Spark starts the counter at c: strict somas (r >= c) are ready at step 0, the others are not.
  const startAtC = strict || compat.refractoryNotReadyAtStart;
  const counter = m.state('refractory', {
    init: startAtC ? c0 : c0.add(1),
    doc: 'steps since the last spike',
  });
  const c = m.let_('c', c0);
  const ready = m.let_('ready', strict ? counter.ge(c) : counter.gt(c));
  return { c, counter, ready };
}

/**
 * How the counter advances: Spark's uint16 counter (`wrap16`: `(r + 1) mod 65536`), Spark's float
 * counter of the exponential somas after `reset()` (`grow`: `r + 1`), or the corrected counter
 * (`saturate`: `min(r + 1, c + 1)`, never wraps).
 */
export type CounterMode = 'wrap16' | 'grow' | 'saturate';

/** Advances the counter after the spike test: `r = spike ? 0 : next(r)`. */
export function advanceRefractory(m: ModuleBuilder, rf: Refractory, spike: Ex, mode: CounterMode): void {
  const next =
    mode === 'wrap16'
      ? rf.counter.add(1).mod(65536)
      : mode === 'grow'
        ? rf.counter.add(1)
        : min(rf.counter.add(1), rf.c.add(1));
  m.assign(rf.counter, select(spike, 0, next));
}

/** The adaptive threshold tracer of adaptive_leaky / simplified_adaptive_exponential (rebased). */
export interface AdaptiveThreshold {
  /** Current threshold θ(t−1) (rebased). */
  theta: Ex;
  /** Assigns θ = θ0 + e^(−dt/threshold_tau)(θ − θ0) + threshold_delta·z. */
  update(spike: Ex): void;
}

/** Declares `threshold_tau`, `threshold_delta` and the `adaptive_threshold` state (starts at θ0). */
export function adaptiveThreshold(m: ModuleBuilder, theta0: Ex): AdaptiveThreshold {
  const tau = m.param('threshold_tau', { extent: 'unit' });
  const delta = m.param('threshold_delta', { extent: 'unit' });
  const theta = m.state('adaptive_threshold', {
    init: theta0,
    unit: 'mV',
    doc: "Spark's `threshold` tracer (rebased)",
  });
  return {
    theta,
    update(spike: Ex): void {
      const decay = m.let_('threshold_decay', exp(dt.neg().div(tau)));
      m.assign(theta, theta0.add(decay.mul(theta.sub(theta0))).add(select(spike, delta, 0)));
    },
  };
}
