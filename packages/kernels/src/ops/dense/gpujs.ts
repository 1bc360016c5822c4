/**
 * Dense spike propagation as gpu.js gather kernels (one thread per postsynaptic unit).
 * Arguments: `weights` [post×pre], `spikes` ([pre] sync or [post×pre] async), `prev` [post]
 * (the current contents of `out`, added when `accumulate` is 1), `pre`, `accumulate`.
 *
 * @module
 */

import { type GpujsOp, gpujsOp } from '../../backends/gpujs/op.ts';
import type { ResolvedDenseOp } from './op.ts';

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

function denseGpujs<K extends 'dense.sync' | 'dense.async'>(kind: K, source: string): GpujsOp<K> {
  return gpujsOp(kind, (op, c) => {
    const r = op as ResolvedDenseOp;
    const { post, pre, accumulate } = r.attrs;
    const fn = c.kernel(source, post);
    return () => {
      const out = c.get<Float32Array>('out');
      out.set(fn(c.get('weights'), c.get('spikes'), out, pre, accumulate ? 1 : 0) as Float32Array);
      c.stats.dispatches++;
    };
  });
}

/** `dense.sync` on gpujs. */
export const denseSyncGpujsOp: GpujsOp<'dense.sync'> = denseGpujs('dense.sync', DENSE_SYNC_GPUJS);
/** `dense.async` on gpujs. */
export const denseAsyncGpujsOp: GpujsOp<'dense.async'> = denseGpujs('dense.async', DENSE_ASYNC_GPUJS);
