/**
 * Grouped sums as a gpu.js gather (one thread per group). Arguments: `input`, `offsets`,
 * `members` (as floats), `prev` (current `out`), `abs`, `accumulate`. The kernel needs
 * `loopMaxIterations` ≥ the largest group (set by the backend).
 *
 * @module
 */

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
