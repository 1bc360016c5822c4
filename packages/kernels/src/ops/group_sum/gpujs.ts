/**
 * Grouped sums as a gpu.js gather (one thread per group). Arguments: `input`, `offsets`,
 * `members` (as floats), `prev` (current `out`), `abs`, `accumulate`. The kernel needs
 * `loopMaxIterations` ≥ the largest group (set by the backend).
 *
 * @module
 */

import { type GpujsOp, gpujsOp } from '../../backends/gpujs/op.ts';

/** `reduce.group_sum` gather kernel source. */
export const GROUP_SUM_GPUJS = `function (input, offsets, members, prev, abs, accumulate) {
  const g = this.thread.x;
  const start = offsets[g];
  const end = offsets[g + 1];
  let acc = 0.0;
  for (let m = start; m < end; m++) {
    const x = input[members[m]];
    acc += abs > 0.5 ? Math.abs(x) : x;
  }
  return accumulate > 0.5 ? prev[g] + acc : acc;
}`;

/** `reduce.group_sum` on gpujs. */
export const groupSumGpujsOp: GpujsOp<'reduce.group_sum'> = gpujsOp('reduce.group_sum', (r, c) => {
  const { groups, abs, accumulate } = r.attrs;
  const fn = c.kernel(GROUP_SUM_GPUJS, groups, Math.max(1, r.members));
  return () => {
    const out = c.get<Float32Array>('out');
    const offsets = Float32Array.from(c.get('offsets'));
    const members = Float32Array.from(c.get('members'));
    out.set(fn(c.get('input'), offsets, members, out, abs ? 1 : 0, accumulate ? 1 : 0) as Float32Array);
    c.stats.dispatches++;
  };
});
