/**
 * `compact` on gpujs: compaction is a scatter and gpu.js kernels are gathers, so it runs on the host
 * (the cpu loop over the same host arrays).
 *
 * @module
 */

import { type GpujsOp, gpujsOp } from '../../backends/gpujs/op.ts';
import { compactCpu } from './cpu.ts';

/** `compact` on gpujs. */
export const compactGpujsOp: GpujsOp<'compact'> = gpujsOp('compact', (r, c) => {
  const n = r.attrs.n;
  return () => {
    compactCpu(c.get<Float32Array>('input'), c.get<Uint32Array>('indices'), c.get<Uint32Array>('count'), n);
  };
});
