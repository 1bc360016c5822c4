/**
 * Spark's `n2n_delays` (N2NDelays, one delay per synapse) and `n_delays` (NDelays, one delay per
 * presynaptic neuron) as ring-buffer ops. They have no per-element equations:
 * ```
 * B    = ceil(max_delay / dt)
 * push:   ring[t mod slots] = in_spikes
 * gather: out_ij = ring[(t − d_ij) mod slots][j]     (n_delays: out_j = ring[(t − d_j) mod slots][j])
 * ```
 * Spark compatibility:
 * - `delayWrapAround`: Spark's ring has `slots = B` rows, so `d = B` reads the row written in the
 *   same step (zero delay). Corrected: `slots = B + 1`, every `d ∈ [1, B]` arrives `d` steps later.
 * - `delayInitializerForced`: Spark draws the delays with the initializer forced to `scale = B + 1`,
 *   `min_value = 1` (`d = floor(clip((B+1)·U, 1, ·))`, d = 1 twice as likely). Corrected:
 *   `d = min(1 + floor(B·U), B)`, uniform over 1..B. Explicit arrays are used as given.
 *
 * NDelays: Spark flags its output async without expanding the shape, which breaks every synapse
 * after it (§7.3); here its output is an ordinary presynaptic spike vector in both modes (a model
 * that failed to build in Spark has no behaviour to reproduce).
 *
 * @module
 */

import type { PlanBuffer, PlanOp } from '@spark-snn/core';
import { drawInitializer } from '../initializers/draw.ts';
import type { SparkCompat } from '../library/compat.ts';
import { float32Values, type SparkConfigValues } from '../library/config.ts';
import { type Fragment, f32Buffer } from '../library/fragment.ts';

/** Ring length B = ceil(max_delay / dt) (Spark's `max_delay` default 8 ms). */
export function delayRingLength(config: SparkConfigValues, dt: number): number {
  const maxDelay = typeof config.max_delay === 'number' ? config.max_delay : 8;
  if (!(maxDelay > 0)) throw new RangeError(`config.max_delay: must be > 0, got ${maxDelay}`);
  return Math.ceil(maxDelay / dt - 1e-9);
}

/** Delays (in steps) from the config: an explicit array, or the initializer drawn as Spark or corrected. */
export function delaysFromConfig(
  config: SparkConfigValues,
  count: number,
  b: number,
  compat: SparkCompat,
  seed: number,
): Int32Array {
  const d = config.delays ?? { __class_ref__: 'UniformInitializer' };
  if (Array.isArray(d) || typeof d === 'number') {
    const a = typeof d === 'number' ? new Float32Array(count).fill(d) : float32Values(d, 'config.delays');
    if (a.length !== count) throw new RangeError(`config.delays: expected ${count} values, got ${a.length}`);
    return truncated(a, (x) => Math.trunc(x));
  }
  const init = d as SparkConfigValues;
  if (compat.delayInitializerForced) {
    const u = drawInitializer({ ...init, scale: b + 1, min_value: 1 }, { rows: count, cols: 1 }, seed);
    return truncated(u, (x) => Math.min(255, Math.trunc(x)));
  }
  const u = drawInitializer(
    { ...init, scale: b, min_value: 0, max_value: null },
    { rows: count, cols: 1 },
    seed,
  );
  return truncated(u, (x) => Math.min(b, 1 + Math.trunc(x)));
}

/** `Int32Array.from(values, f)` as a plain loop (the iterator protocol costs ~100 ns per synapse). */
function truncated(values: ArrayLike<number>, f: (x: number) => number): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = f(values[i] as number);
  return out;
}

/** Options of the delay builders. */
export interface DelaysBuildOptions {
  readonly prefix: string;
  readonly dt: number;
  /** Presynaptic units. */
  readonly pre: number;
  /** Postsynaptic units (n2n_delays only). */
  readonly units?: number;
  readonly config: SparkConfigValues;
  readonly compat: SparkCompat;
  readonly seed?: number;
}

function seedOf(o: DelaysBuildOptions): number {
  return o.seed ?? (typeof o.config.seed === 'number' ? o.config.seed : 0);
}

/**
 * A delay module's fragment: the `delays` buffer (state `kernel`, `delayShape`), a ring of
 * `slots` rows of the presynaptic spikes, and one op of `kind` reading them into `out_spikes`.
 */
function delayFragment(
  o: DelaysBuildOptions,
  kind: 'delay.per_synapse' | 'delay.per_neuron',
  delayShape: readonly number[],
  outShape: readonly number[],
  attrs: Readonly<Record<string, number>>,
): Fragment {
  const b = delayRingLength(o.config, o.dt);
  const slots = o.compat.delayWrapAround ? b : b + 1;
  const delays: PlanBuffer = {
    name: `${o.prefix}.kernel`,
    dtype: 'int32',
    shape: [...delayShape],
    init: delaysFromConfig(
      o.config,
      delayShape.reduce((x, y) => x * y, 1),
      b,
      o.compat,
      seedOf(o),
    ),
  };
  const input = f32Buffer(`${o.prefix}.in_spikes`, [o.pre]);
  const ring = f32Buffer(`${o.prefix}.ring`, [slots, o.pre]);
  const out = f32Buffer(`${o.prefix}.out_spikes`, outShape);
  const op: PlanOp = {
    op: kind,
    name: o.prefix,
    bindings: { input: input.name, delays: delays.name, ring: ring.name, out: out.name },
    attrs: { ...attrs, slots },
  };
  return {
    buffers: [delays, input, ring, out],
    ops: [op],
    inputs: { in_spikes: input.name },
    outputs: { out_spikes: out.name },
    state: { kernel: delays.name, ring: ring.name },
  };
}

/** `n2n_delays`: input `in_spikes` [pre], output `out_spikes` [units × pre] (async), state `kernel` (delays). */
export function buildN2NDelays(o: DelaysBuildOptions): Fragment {
  const units = o.units ?? 1;
  return delayFragment(o, 'delay.per_synapse', [units, o.pre], [units, o.pre], { post: units, pre: o.pre });
}

/** `n_delays`: input `in_spikes` [pre], output `out_spikes` [pre], state `kernel` (one delay per neuron). */
export function buildNDelays(o: DelaysBuildOptions): Fragment {
  return delayFragment(o, 'delay.per_neuron', [o.pre], [o.pre], { n: o.pre });
}
