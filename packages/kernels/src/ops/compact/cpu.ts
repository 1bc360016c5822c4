/**
 * Spike compaction on the CPU: the indices of the non-zero elements of `input`, ascending, into
 * `indices[0..count)`, and their number into `count[0]`. Entries of `indices` at or beyond `count`
 * are left untouched (same on every backend).
 *
 * @module
 */

import { type CpuOp, cpuOp } from '../../backends/cpu/op.ts';

/** Compacts the non-zero positions of `input`. Returns the count. */
export function compactCpu(
  input: Float32Array,
  indices: Uint32Array | Int32Array,
  count: Uint32Array | Int32Array,
  n: number,
): number {
  let c = 0;
  for (let i = 0; i < n; i++) if (input[i] !== 0) indices[c++] = i;
  count[0] = c;
  return c;
}

/** `compact` on cpu. */
export const compactCpuOp: CpuOp<'compact'> = cpuOp('compact', (r, c) => {
  const n = r.attrs.n;
  const input = c.get<Float32Array>('input');
  const indices = c.get<Uint32Array>('indices');
  const count = c.get<Uint32Array>('count');
  return () => {
    compactCpu(input, indices, count, n);
  };
});
