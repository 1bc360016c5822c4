/**
 * Delay ring buffers on the CPU. The ring has `slots` rows of the input's width; at step `t` row
 * `t mod slots` receives the input, then element `k` with delay `d` reads row `(t − d) mod slots`.
 * `d = 0` is no delay, `d = slots` reads the row written in the same step (Spark's wrap-around).
 *
 * @module
 */

import { type CpuOp, cpuOp } from '../../backends/cpu/op.ts';

/** Ring row read by delay `d` at step `t` (`d` taken as a u32, modulo `slots`). */
export function ringRow(t: number, d: number, slots: number): number {
  const w = t % slots;
  return (w + slots - ((d >>> 0) % slots)) % slots;
}

/** Per-neuron delays: `out_j = input_j` delayed by `delays_j` steps. */
export function delayPerNeuronCpu(
  input: Float32Array,
  delays: Int32Array | Uint32Array,
  ring: Float32Array,
  out: Float32Array,
  n: number,
  slots: number,
  step: number,
): void {
  const w = (step % slots) * n;
  for (let j = 0; j < n; j++) ring[w + j] = input[j] as number;
  for (let j = 0; j < n; j++) out[j] = ring[ringRow(step, delays[j] as number, slots) * n + j] as number;
}

/** Per-synapse delays: `out_ij = input_j` delayed by `delays_ij` steps. */
export function delayPerSynapseCpu(
  input: Float32Array,
  delays: Int32Array | Uint32Array,
  ring: Float32Array,
  out: Float32Array,
  post: number,
  pre: number,
  slots: number,
  step: number,
  lut: Int32Array = new Int32Array(slots + 1),
): void {
  const w = (step % slots) * pre;
  for (let j = 0; j < pre; j++) ring[w + j] = input[j] as number;
  // Row offset of every delay 0..slots for this step: no modulo per synapse.
  for (let d = 0; d <= slots; d++) lut[d] = ringRow(step, d, slots) * pre;
  for (let i = 0; i < post; i++) {
    const row = i * pre;
    for (let j = 0; j < pre; j++) {
      const d = delays[row + j] as number;
      const base = d >= 0 && d <= slots ? (lut[d] as number) : ringRow(step, d, slots) * pre;
      out[row + j] = ring[base + j] as number;
    }
  }
}

/** `delay.per_neuron` on cpu. */
export const delayPerNeuronCpuOp: CpuOp<'delay.per_neuron'> = cpuOp('delay.per_neuron', (r, c) => {
  const { n, slots } = r.attrs;
  const input = c.get<Float32Array>('input');
  const d = c.get<Int32Array>('delays');
  const ring = c.get<Float32Array>('ring');
  const out = c.get<Float32Array>('out');
  return (step) => delayPerNeuronCpu(input, d, ring, out, n, slots, step);
});

/** `delay.per_synapse` on cpu. */
export const delayPerSynapseCpuOp: CpuOp<'delay.per_synapse'> = cpuOp('delay.per_synapse', (r, c) => {
  const { post, pre, slots } = r.attrs;
  const input = c.get<Float32Array>('input');
  const d = c.get<Int32Array>('delays');
  const ring = c.get<Float32Array>('ring');
  const out = c.get<Float32Array>('out');
  const lut = new Int32Array(slots + 1);
  return (step) => delayPerSynapseCpu(input, d, ring, out, post, pre, slots, step, lut);
});
