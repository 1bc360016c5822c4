/**
 * Dense spike propagation on the CPU. Weights are row-major `[post][pre]`.
 *
 * `sync`: `out_i (+)= Σ_j W_ij s_j` — the active presynaptic units are collected first, so silent
 * inputs cost nothing beyond one scan of `s`. `async`: `out_i (+)= Σ_j W_ij s_ij` (per-synapse spikes,
 * zero entries skipped).
 *
 * @module
 */

import { type CpuOp, cpuOp } from '../../backends/cpu/op.ts';

/** Sync dense propagation. `active` is scratch of length ≥ pre (reused, no allocation). */
export function denseSyncCpu(
  w: Float32Array,
  s: Float32Array,
  out: Float32Array,
  post: number,
  pre: number,
  accumulate: boolean,
  active: Int32Array,
): void {
  let na = 0;
  for (let j = 0; j < pre; j++) if (s[j] !== 0) active[na++] = j;
  for (let i = 0; i < post; i++) {
    const row = i * pre;
    let acc = 0;
    for (let k = 0; k < na; k++) {
      const j = active[k] as number;
      acc += (w[row + j] as number) * (s[j] as number);
    }
    out[i] = accumulate ? (out[i] as number) + acc : acc;
  }
}

/** Async (per-synapse spikes) dense propagation. */
export function denseAsyncCpu(
  w: Float32Array,
  s: Float32Array,
  out: Float32Array,
  post: number,
  pre: number,
  accumulate: boolean,
): void {
  for (let i = 0; i < post; i++) {
    const row = i * pre;
    let acc = 0;
    for (let j = 0; j < pre; j++) {
      const x = s[row + j] as number;
      if (x !== 0) acc += (w[row + j] as number) * x;
    }
    out[i] = accumulate ? (out[i] as number) + acc : acc;
  }
}

/** `dense.sync` on cpu. */
export const denseSyncCpuOp: CpuOp<'dense.sync'> = cpuOp('dense.sync', (r, c) => {
  const { post, pre, accumulate } = r.attrs;
  const w = c.get<Float32Array>('weights');
  const s = c.get<Float32Array>('spikes');
  const out = c.get<Float32Array>('out');
  const active = new Int32Array(pre);
  return () => denseSyncCpu(w, s, out, post, pre, accumulate, active);
});

/** `dense.async` on cpu. */
export const denseAsyncCpuOp: CpuOp<'dense.async'> = cpuOp('dense.async', (r, c) => {
  const { post, pre, accumulate } = r.attrs;
  const w = c.get<Float32Array>('weights');
  const s = c.get<Float32Array>('spikes');
  const out = c.get<Float32Array>('out');
  return () => denseAsyncCpu(w, s, out, post, pre, accumulate);
});
