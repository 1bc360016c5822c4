/**
 * Grouped sums (integrators) on the CPU, in CSR form: group `g` sums `input[members[m]]` for
 * `m ∈ [offsets[g], offsets[g+1])`, in that order, accumulating in float32 (`Math.fround` after every
 * add) so the result is bit-identical to the WGSL kernel. Zero inputs are skipped (exact: `acc + ±0 = acc`
 * for every acc, with the sum starting at +0).
 *
 * @module
 */

import { type CpuOp, cpuOp } from '../../backends/cpu/op.ts';

/** `out_g (+)= Σ_{m} (abs ? |x| : x)` with `x = input[members[m]]`. */
export function groupSumCpu(
  input: Float32Array,
  offsets: Int32Array | Uint32Array,
  members: Int32Array | Uint32Array,
  out: Float32Array,
  groups: number,
  abs: boolean,
  accumulate: boolean,
): void {
  for (let g = 0; g < groups; g++) {
    let acc = 0;
    const end = offsets[g + 1] as number;
    for (let m = offsets[g] as number; m < end; m++) {
      const x = input[members[m] as number] as number;
      // Adding ±0 never changes a float32 sum that starts at +0: zeros (silent units) are skipped, so a
      // spike-count monitor costs one compare per unit instead of a dependent add and rounding.
      if (x !== 0) acc = Math.fround(acc + (abs ? Math.abs(x) : x));
    }
    out[g] = accumulate ? Math.fround((out[g] as number) + acc) : acc;
  }
}

/** `reduce.group_sum` on cpu. */
export const groupSumCpuOp: CpuOp<'reduce.group_sum'> = cpuOp('reduce.group_sum', (r, c) => {
  const { groups, abs, accumulate } = r.attrs;
  const input = c.get<Float32Array>('input');
  const offsets = c.get<Int32Array>('offsets');
  const members = c.get<Int32Array>('members');
  const out = c.get<Float32Array>('out');
  return () => groupSumCpu(input, offsets, members, out, groups, abs, accumulate);
});
