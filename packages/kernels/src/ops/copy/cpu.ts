/**
 * `copy` and `concat` on cpu: typed-array `set`s.
 *
 * @module
 */

import type { TypedArray } from '@spark-snn/core';
import { type CpuOp, cpuOp } from '../../backends/cpu/op.ts';

/** `copy` on cpu. */
export const copyCpuOp: CpuOp<'copy'> = cpuOp('copy', (_r, c) => {
  const src = c.get('src');
  const dst = c.get('dst');
  return () => dst.set(src);
});

/** `concat` on cpu. */
export const concatCpuOp: CpuOp<'concat'> = cpuOp('concat', (r, c) => {
  const out = c.get('out');
  const parts = r.attrs.sizes.map((_, k) => c.get(`in${k}`));
  const offs = r.offsets;
  return () => {
    for (let k = 0; k < parts.length; k++) out.set(parts[k] as TypedArray, offs[k]);
  };
});
