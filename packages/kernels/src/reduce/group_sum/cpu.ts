/**
 * Grouped sums (integrators) on the CPU, in CSR form: group `g` sums `input[members[m]]` for
 * `m ∈ [offsets[g], offsets[g+1])`, in that order, accumulating in float32 (`Math.fround` after every
 * add) so the result is bit-identical to the WGSL kernel.
 *
 * @module
 */

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
      acc = Math.fround(acc + (abs ? Math.abs(x) : x));
    }
    out[g] = accumulate ? Math.fround((out[g] as number) + acc) : acc;
  }
}
