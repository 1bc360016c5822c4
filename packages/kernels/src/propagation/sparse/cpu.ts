/**
 * Event-driven sparse propagation on the CPU (`sparse.csr`). The op's connectivity is the incoming
 * (post-major) CSR; at load the backend builds its transpose (pre-major, targets ascending), so that
 * a step costs one scan of the spike vector plus the out-edges of the units that spiked. Because the
 * rows of the incoming CSR are sorted by source, every target receives its contributions in the
 * same order as the gather of the GPU backends: the f32 sums are bit-identical.
 *
 * @module
 */

/** The pre-major transpose of an incoming CSR, built once at load. */
export interface PushCsr {
  /** `pre + 1` row starts. */
  readonly offsets: Int32Array;
  /** Target of every edge, ascending within a row. */
  readonly targets: Int32Array;
  /** Weight of every edge (absent: homogeneous). */
  readonly weights: Float32Array | undefined;
  /** Presynaptic units with out-edges lie in `[first, last)` (only they are scanned). */
  readonly first: number;
  readonly last: number;
}

/** Transposes an incoming CSR (post-major, rows sorted by source) into the push form. */
export function transposeCsr(
  offsets: ArrayLike<number>,
  sources: ArrayLike<number>,
  weights: Float32Array | undefined,
  post: number,
  pre: number,
): PushCsr {
  const nnz = offsets[post] as number;
  const po = new Int32Array(pre + 1);
  for (let e = 0; e < nnz; e++) {
    const j = sources[e] as number;
    po[j + 1] = (po[j + 1] as number) + 1;
  }
  for (let j = 0; j < pre; j++) po[j + 1] = (po[j + 1] as number) + (po[j] as number);
  const fill = po.slice(0, pre);
  const targets = new Int32Array(nnz);
  const w = weights ? new Float32Array(nnz) : undefined;
  for (let i = 0; i < post; i++) {
    const end = offsets[i + 1] as number;
    for (let e = offsets[i] as number; e < end; e++) {
      const j = sources[e] as number;
      const at = fill[j] as number;
      fill[j] = at + 1;
      targets[at] = i;
      if (w && weights) w[at] = weights[e] as number;
    }
  }
  let first = 0;
  while (first < pre && po[first + 1] === po[first]) first++;
  let last = pre;
  while (last > first && po[last] === po[last - 1]) last--;
  return { offsets: po, targets, weights: w, first, last };
}

/**
 * One step of `sparse.csr` on the CPU: `out_i (+)= Σ_{e ∈ row i} w_e · s[src_e]`, visiting only the
 * non-zero entries of `s` among the units that have out-edges. `acc` is scratch of length `post`
 * (reused); `_pre` (the length of `s`) is implied by the connectivity.
 */
export function sparsePushCpu(
  g: PushCsr,
  weight: number,
  s: Float32Array,
  out: Float32Array,
  acc: Float32Array,
  _pre: number,
  post: number,
  accumulate: boolean,
): void {
  const target = accumulate ? acc : out;
  target.fill(0);
  const { offsets, targets, weights, first, last } = g;
  for (let j = first; j < last; j++) {
    const x = s[j] as number;
    if (x === 0) continue;
    const end = offsets[j + 1] as number;
    if (weights) {
      for (let e = offsets[j] as number; e < end; e++) {
        const i = targets[e] as number;
        target[i] = Math.fround((target[i] as number) + Math.fround((weights[e] as number) * x));
      }
    } else {
      const v = Math.fround(weight * x);
      for (let e = offsets[j] as number; e < end; e++) {
        const i = targets[e] as number;
        target[i] = Math.fround((target[i] as number) + v);
      }
    }
  }
  if (accumulate) for (let i = 0; i < post; i++) out[i] = (out[i] as number) + (acc[i] as number);
}

/**
 * The spike history of a delayed `sparse.csr`: writes `s` into row `t mod slots` and returns the row
 * of step `t − delay` (`slots = delay + 1`) as a view.
 */
export function historyStep(
  history: Float32Array,
  s: Float32Array,
  pre: number,
  slots: number,
  step: number,
): Float32Array {
  const w = step % slots;
  history.set(s, w * pre);
  const r = (step + 1) % slots;
  return history.subarray(r * pre, r * pre + pre);
}
