/**
 * Dense spike propagation as gpu.js gather kernels (one thread per postsynaptic unit).
 * Arguments: `weights` [post×pre], `spikes` ([pre] sync or [post×pre] async), `prev` [post]
 * (the current contents of `out`, added when `accumulate` is 1), `pre`, `accumulate`.
 *
 * @module
 */

/** `dense.sync` gather kernel source. */
export const DENSE_SYNC_GPUJS = `function (weights, spikes, prev, pre, accumulate) {
  const i = this.thread.x;
  let acc = 0.0;
  for (let j = 0; j < pre; j++) {
    acc += weights[i * pre + j] * spikes[j];
  }
  return accumulate > 0.5 ? prev[i] + acc : acc;
}`;

/** `dense.async` gather kernel source. */
export const DENSE_ASYNC_GPUJS = `function (weights, spikes, prev, pre, accumulate) {
  const i = this.thread.x;
  let acc = 0.0;
  for (let j = 0; j < pre; j++) {
    acc += weights[i * pre + j] * spikes[i * pre + j];
  }
  return accumulate > 0.5 ? prev[i] + acc : acc;
}`;
