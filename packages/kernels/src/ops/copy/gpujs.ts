/**
 * `copy` and `concat` on gpujs: the buffers are host arrays, so these are typed-array `set`s.
 *
 * @module
 */

import { type GpujsOp, gpujsOp } from '../../backends/gpujs/op.ts';

/** `copy` on gpujs. */
export const copyGpujsOp: GpujsOp<'copy'> = gpujsOp('copy', (_r, c) => () => c.get('dst').set(c.get('src')));

/** `concat` on gpujs. */
export const concatGpujsOp: GpujsOp<'concat'> = gpujsOp('concat', (r, c) => () => {
  const out = c.get('out');
  for (let k = 0; k < r.offsets.length; k++) out.set(c.get(`in${k}`), r.offsets[k]);
});
