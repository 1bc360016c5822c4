/**
 * Sparse propagation (`sparse.csr`) as a gpu.js gather (one thread per postsynaptic unit).
 * Arguments: `offsets`, `sources` (as floats), `weights` (ignored when `homog` is 1), `delays` (per
 * edge, ignored when `perEdge` is 0), `hist` (the spike history, this step's row already written by
 * the host; the spikes themselves when `slots` is 0), `prev` (current `out`), `weight`, `homog`,
 * `accumulate`, `perEdge`, `delay` (homogeneous), `slots`, `now` (= step mod slots), `pre`. A
 * connection of delay d reads row `(now + slots − d) mod slots`. The kernel needs
 * `loopMaxIterations` ≥ the longest row (set by the backend).
 *
 * @module
 */

import { type GpujsOp, gpujsOp } from '../../backends/gpujs/op.ts';
import { historySlots } from './layout.ts';

/** `sparse.csr` gather kernel source. */
export const SPARSE_CSR_GPUJS = `function (offsets, sources, weights, delays, hist, prev, weight, homog, accumulate, perEdge, delay, slots, now, pre) {
  const i = this.thread.x;
  const start = offsets[i];
  const end = offsets[i + 1];
  let acc = 0.0;
  for (let e = start; e < end; e++) {
    let base = 0.0;
    if (slots > 0.5) {
      let d = delay;
      if (perEdge > 0.5) {
        d = delays[e];
      }
      let r = now + slots - d;
      if (r >= slots) {
        r = r - slots;
      }
      base = r * pre;
    }
    const s = hist[base + sources[e]];
    if (s != 0.0) {
      acc += (homog > 0.5 ? weight : weights[e]) * s;
    }
  }
  return accumulate > 0.5 ? prev[i] + acc : acc;
}`;

/** `sparse.csr` on gpujs: one gather thread per postsynaptic unit over its incoming edges. */
export const sparseCsrGpujsOp: GpujsOp<'sparse.csr'> = gpujsOp('sparse.csr', (r, c) => {
  const h = r.host;
  const slots = historySlots(h);
  const fn = c.kernel(SPARSE_CSR_GPUJS, h.post, Math.max(1, r.maxRow));
  // Static connectivity as floats (exact below 2^24 indices, as every gpujs integer).
  const offsets = Float32Array.from(h.offsets);
  const sources = h.nnz > 0 ? Float32Array.from(h.sources) : new Float32Array(1);
  const weights = h.weights && h.nnz > 0 ? h.weights : new Float32Array(1);
  const delays = h.delays && h.nnz > 0 ? Float32Array.from(h.delays) : new Float32Array(1);
  return (step) => {
    const s = c.get<Float32Array>('spikes');
    let hist = s;
    const now = slots > 0 ? step % slots : 0;
    if (slots > 0) {
      hist = c.get<Float32Array>('history');
      hist.set(s, now * h.pre);
    }
    const out = c.get<Float32Array>('out');
    out.set(
      fn(
        offsets,
        sources,
        weights,
        delays,
        hist,
        out,
        h.weight,
        h.weights === undefined ? 1 : 0,
        h.accumulate ? 1 : 0,
        h.delays === undefined ? 0 : 1,
        h.delay,
        slots,
        now,
        h.pre,
      ) as Float32Array,
    );
    c.stats.dispatches++;
  };
});
