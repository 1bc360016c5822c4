/**
 * Spike compaction on the CPU: the indices of the non-zero elements of `input`, ascending, into
 * `indices[0..count)`, and their number into `count[0]`. Entries of `indices` at or beyond `count`
 * are left untouched (same on every backend). On the cpu backend an input with an event list is that
 * list already.
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
export const compactCpuOp: CpuOp<'compact'> = cpuOp('compact', {
  emit(r, c) {
    const input = c.array('input');
    const indices = c.array('indices');
    const count = c.array('count');
    const e = c.events('input');
    if (e !== undefined)
      c.code(
        `    { const ns = ${e.idx}, nn = ${e.count}; for (let k = 0; k < nn; k++) ${indices}[k] = ns[k]; ${count}[0] = nn; }`,
      );
    else
      c.code(
        `    { let m = 0; for (let i = 0; i < ${r.attrs.n}; i++) if (${input}[i] !== 0) ${indices}[m++] = i; ${count}[0] = m; }`,
      );
  },
});
