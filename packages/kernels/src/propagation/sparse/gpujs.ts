/**
 * Sparse propagation (`sparse.csr`) as a gpu.js gather (one thread per postsynaptic unit).
 * Arguments: `offsets`, `sources` (as floats), `weights` (ignored when `homog` is 1), `spikes` (the
 * spikes of step t − delay), `prev` (current `out`), `weight`, `homog`, `accumulate`. The kernel needs
 * `loopMaxIterations` ≥ the longest row (set by the backend).
 *
 * @module
 */

/** `sparse.csr` gather kernel source. */
export const SPARSE_CSR_GPUJS = `function (offsets, sources, weights, spikes, prev, weight, homog, accumulate) {
  const i = this.thread.x;
  const start = offsets[i];
  const end = offsets[i + 1];
  let acc = 0.0;
  for (let e = start; e < end; e++) {
    const s = spikes[sources[e]];
    if (s != 0.0) {
      acc += (homog > 0.5 ? weight : weights[e]) * s;
    }
  }
  return accumulate > 0.5 ? prev[i] + acc : acc;
}`;
