/**
 * `delay.per_neuron` and `delay.per_synapse`: ring-buffer delays. The ring has `slots` rows of the
 * input's width; at step `t` row `t mod slots` receives the input, then element `k` with delay `d`
 * reads row `(t − d) mod slots`. With `slots = B` a delay `d ∈ [0, B)` is a true `d`-step delay;
 * `d = B` reads the row written in the same step (Spark's wrap-around, upstream bug §7 — use
 * `slots = max_delay + 1` to avoid it).
 *
 * - `delay.per_neuron`: bindings `input` [n], `delays` [n], `ring` [slots×n], `out` [n]; attributes
 *   `n`, `slots`.
 * - `delay.per_synapse`: bindings `input` [pre], `delays` [post×pre], `ring` [slots×pre],
 *   `out` [post×pre]; attributes `post`, `pre`, `slots`.
 *
 * @module
 */

import { defineOp, type ReferenceContext, type ResolvedOpBase } from '../registry.ts';

/** Attributes of `delay.per_neuron`. */
export interface DelayPerNeuronAttrs {
  readonly n: number;
  readonly slots: number;
}

/** Attributes of `delay.per_synapse`. */
export interface DelayPerSynapseAttrs {
  readonly post: number;
  readonly pre: number;
  readonly slots: number;
}

/** A resolved `delay.per_neuron` op. */
export interface ResolvedDelayPerNeuronOp extends ResolvedOpBase<'delay.per_neuron'> {
  readonly attrs: DelayPerNeuronAttrs;
}

/** A resolved `delay.per_synapse` op. */
export interface ResolvedDelayPerSynapseOp extends ResolvedOpBase<'delay.per_synapse'> {
  readonly attrs: DelayPerSynapseAttrs;
}

/** Ring row read by delay `d` at step `t` (`d` taken as a u32, modulo `slots`). */
export function ringRow(t: number, d: number, slots: number): number {
  const w = t % slots;
  return (w + slots - ((d >>> 0) % slots)) % slots;
}

/** Rows `post` × columns `pre` of a delay op (`delay.per_neuron` is one row of `n` columns). */
export function delayShape(r: ResolvedDelayPerNeuronOp | ResolvedDelayPerSynapseOp): {
  post: number;
  pre: number;
  slots: number;
} {
  return r.kind === 'delay.per_neuron'
    ? { post: 1, pre: r.attrs.n, slots: r.attrs.slots }
    : { post: r.attrs.post, pre: r.attrs.pre, slots: r.attrs.slots };
}

function reference(r: ResolvedDelayPerNeuronOp | ResolvedDelayPerSynapseOp, c: ReferenceContext) {
  const { post, pre, slots } = delayShape(r);
  const input = c.buf('input');
  const d = c.buf('delays');
  const ring = c.buf('ring');
  const out = c.buf('out');
  return (step: number) => {
    const w = (step % slots) * pre;
    for (let j = 0; j < pre; j++) ring[w + j] = input[j] as number;
    for (let i = 0; i < post; i++)
      for (let j = 0; j < pre; j++)
        out[i * pre + j] = ring[ringRow(step, d[i * pre + j] as number, slots) * pre + j] as number;
  };
}

/** `delay.per_neuron`: `out_j = input_j` delayed by `delays_j` steps. */
export const delayPerNeuron = defineOp<'delay.per_neuron', ResolvedDelayPerNeuronOp>({
  kind: 'delay.per_neuron',
  summary: 'push row `t mod slots`, `out_j = ring[(t − d_j) mod slots][j]`',
  resolve(op, c) {
    const n = c.posInt('n');
    const slots = c.posInt('slots');
    c.bind('input', n, ['float32']);
    c.bind('delays', n, ['int32', 'uint32']);
    c.bind('ring', slots * n, ['float32']);
    c.bind('out', n, ['float32']);
    return { kind: 'delay.per_neuron', op, attrs: { n, slots } };
  },
  access: () => ({ ring: 'rw', out: 'W' }),
  reference,
});

/** `delay.per_synapse`: `out_ij = input_j` delayed by `delays_ij` steps. */
export const delayPerSynapse = defineOp<'delay.per_synapse', ResolvedDelayPerSynapseOp>({
  kind: 'delay.per_synapse',
  summary: 'push row `t mod slots`, `out_ij = ring[(t − d_ij) mod slots][j]`',
  resolve(op, c) {
    const post = c.posInt('post');
    const pre = c.posInt('pre');
    const slots = c.posInt('slots');
    c.bind('input', pre, ['float32']);
    c.bind('delays', post * pre, ['int32', 'uint32']);
    c.bind('ring', slots * pre, ['float32']);
    c.bind('out', post * pre, ['float32']);
    return { kind: 'delay.per_synapse', op, attrs: { post, pre, slots } };
  },
  access: () => ({ ring: 'rw', out: 'W' }),
  reference,
});
