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
