/**
 * Host-side layout of a `sparse.csr` op, shared by every backend: the validated connectivity
 * ({@link SparseHost}), its pre-major transpose (for event-driven push and the webgpu scatter),
 * 2-byte index packing, the split of the per-edge arrays into segments that each fit one device
 * binding, the fixed-point scale of the atomic scatter and the rule that picks gather or scatter.
 *
 * @module
 */

/** The static connectivity of one `sparse.csr` op, as validated by the plan. */
export interface SparseHost {
  readonly post: number;
  readonly pre: number;
  readonly nnz: number;
  /** Incoming CSR row starts (`post + 1`). */
  readonly offsets: Uint32Array;
  /** Source of every edge, ascending within a row. */
  readonly sources: Uint32Array;
  /** Per-connection weights; undefined when the weight is homogeneous. */
  readonly weights: Float32Array | undefined;
  /** Homogeneous weight, rounded to f32 (0 when `weights` is given). */
  readonly weight: number;
  /** Per-connection delays in steps; undefined when the delay is homogeneous. */
  readonly delays: Uint16Array | undefined;
  /** Homogeneous delay in steps (0 when `delays` is given). */
  readonly delay: number;
  /** Smallest and largest delay of any connection (both `delay` when homogeneous). */
  readonly minDelay: number;
  readonly maxDelay: number;
  /** Longest incoming row (the in-degree bound). */
  readonly maxRow: number;
  /** Largest |weight|. */
  readonly maxAbsWeight: number;
  readonly accumulate: boolean;
}

/** Rows of the spike history: `maxDelay + 1`, or 0 without delays (spikes are read directly). */
export function historySlots(h: SparseHost): number {
  return h.maxDelay > 0 ? h.maxDelay + 1 : 0;
}

/** The pre-major (outgoing) form of a connectivity; targets of a row keep the incoming edge order. */
export interface OutgoingCsr {
  /** `pre + 1` row starts. */
  readonly offsets: Uint32Array;
  /** Target of every edge, ascending within a row. */
  readonly targets: Uint32Array;
  readonly weights: Float32Array | undefined;
  readonly delays: Uint16Array | undefined;
  /** Presynaptic units with out-edges lie in `[first, last)`. */
  readonly first: number;
  readonly last: number;
}

/**
 * Transposes the incoming CSR. Edges of one source keep their incoming order (targets ascending,
 * multapses in edge order), so a push that visits sources in ascending order adds into every target
 * in the gather's order and the f32 sums are bit-identical.
 */
export function transposeSparse(h: SparseHost): OutgoingCsr {
  const { pre, post, nnz, offsets, sources } = h;
  const po = new Uint32Array(pre + 1);
  for (let e = 0; e < nnz; e++) {
    const j = sources[e] as number;
    po[j + 1] = (po[j + 1] as number) + 1;
  }
  for (let j = 0; j < pre; j++) po[j + 1] = (po[j + 1] as number) + (po[j] as number);
  const fill = po.slice(0, pre);
  const targets = new Uint32Array(nnz);
  const w = h.weights ? new Float32Array(nnz) : undefined;
  const d = h.delays ? new Uint16Array(nnz) : undefined;
  for (let i = 0; i < post; i++) {
    const end = offsets[i + 1] as number;
    for (let e = offsets[i] as number; e < end; e++) {
      const j = sources[e] as number;
      const at = fill[j] as number;
      fill[j] = at + 1;
      targets[at] = i;
      if (w) w[at] = (h.weights as Float32Array)[e] as number;
      if (d) d[at] = (h.delays as Uint16Array)[e] as number;
    }
  }
  let first = 0;
  while (first < pre && po[first + 1] === po[first]) first++;
  let last = pre;
  while (last > first && po[last] === po[last - 1]) last--;
  return { offsets: po, targets, weights: w, delays: d, first, last };
}

/** Index width used for a population of `count` units: 16 where it fits (≤ 65,536) unless 32 is asked for. */
export function indexWidthFor(requested: 'auto' | 16 | 32 | undefined, count: number): 16 | 32 {
  if (requested === 32) return 32;
  if (count <= 0x10000) return 16;
  if (requested === 16)
    throw new RangeError(`16-bit indices need a population of at most 65,536 units, got ${count}`);
  return 32;
}

/** Packs `a[start, end)` (values < 2^16) two per u32 word, element `k` in bits `16·(k mod 2)`. */
export function packU16(a: ArrayLike<number>, start = 0, end = a.length): Uint32Array {
  const n = end - start;
  const out = new Uint32Array(Math.max(1, Math.ceil(n / 2)));
  for (let k = 0; k < n; k++) {
    const v = (a[start + k] as number) & 0xffff;
    const w = k >>> 1;
    out[w] = ((out[w] as number) | (v << ((k & 1) << 4))) >>> 0;
  }
  return out;
}

/** A contiguous run of rows and their edges that fits one set of bindings. */
export interface Segment {
  readonly row0: number;
  readonly row1: number;
  readonly edge0: number;
  readonly edge1: number;
}

/**
 * Splits rows `[0, rows)` of a CSR into segments whose per-edge arrays (`edgeBytes` bytes per edge,
 * the widest per-edge array) and row-start array (`rows + 1` u32) each fit `maxBytes`. Greedy, in row
 * order. A single row that does not fit is an error (it cannot be split without atomics).
 */
export function segmentRows(
  offsets: ArrayLike<number>,
  rows: number,
  edgeBytes: number,
  maxBytes: number,
): Segment[] {
  const maxEdges = Math.floor(maxBytes / edgeBytes);
  const maxRows = Math.floor(maxBytes / 4) - 1;
  if (maxEdges < 1 || maxRows < 1)
    throw new RangeError(`a binding of ${maxBytes} bytes cannot hold one row of this connectivity`);
  const out: Segment[] = [];
  let row0 = 0;
  while (row0 < rows) {
    const edge0 = offsets[row0] as number;
    let row1 = row0;
    while (row1 < rows && row1 - row0 < maxRows && (offsets[row1 + 1] as number) - edge0 <= maxEdges) row1++;
    if (row1 === row0)
      throw new RangeError(
        `row ${row0} has ${(offsets[row0 + 1] as number) - edge0} edges (${((offsets[row0 + 1] as number) - edge0) * edgeBytes} bytes); one binding allows ${maxBytes} bytes`,
      );
    out.push({ row0, row1, edge0, edge1: offsets[row1] as number });
    row0 = row1;
  }
  if (out.length === 0) out.push({ row0: 0, row1: rows, edge0: 0, edge1: 0 });
  return out;
}

/**
 * Fixed-point shift `k` of the webgpu atomic scatter: every term `w·s` is added into an i32
 * accumulator as `round(w·s·2^k)` (round half to even), and the output is `f32(sum)·2^−k`. `k` is the
 * largest integer ≤ 40 with `maxRow · maxAbsWeight · 2^k ≤ 2^30`, so a row of `maxRow` terms with
 * |s| ≤ 1 cannot overflow (half of i32's range is margin for the rounding of every term). Error bound
 * per output against the exact sum of the f32 terms: `m · 2^−(k+1)` for `m` contributing terms, plus
 * the f32 rounding of the result (≤ |sum| · 2^−24). Integer weights with `k ≥ 0` are exact.
 */
export function fixedPointShift(maxRow: number, maxAbsWeight: number): number {
  const worst = maxRow * maxAbsWeight;
  if (!(worst > 0)) return 40;
  return Math.min(40, Math.floor(Math.log2(2 ** 30 / worst)));
}

/**
 * Bytes a dispatch costs at the bandwidth of a discrete GPU (≈ 5 µs of dispatch and barrier cost ×
 * 1 TB/s, benchmarks.md §3.1/§4.1) — the exchange rate of the delivery rule. Not measured on a
 * hardware adapter in this repository (software adapters measure overheads only).
 */
export const DISPATCH_COST_BYTES = 5e6;

/** Inputs of {@link chooseDelivery}. */
export interface DeliveryModel {
  readonly pre: number;
  readonly post: number;
  readonly nnz: number;
  /** Bytes per edge the kernels read (index + weight + delay). */
  readonly edgeBytes: number;
  /** Expected fraction of presynaptic units spiking per step. */
  readonly activity: number;
  /** Distinct history rows a unit's spikes are read from (`maxDelay − minDelay + 1`). */
  readonly windowRows: number;
  /** Fixed-point shift of the scatter ({@link fixedPointShift}). */
  readonly shift: number;
}

/**
 * The `auto` delivery rule of the webgpu backend, a byte model (benchmarks.md §4.1):
 *
 * - gather: `nnz · edgeBytes` (every incoming edge, every step) + one dispatch;
 * - scatter: `pre · 4 · windowRows` (the compaction reads the spike window) +
 *   `min(1, activity · windowRows) · nnz · (edgeBytes + 4)` (the out-edges of active units and their
 *   atomics) + `post · 8` (read and clear the accumulators) + three dispatches.
 *
 * Scatter is picked when it costs fewer bytes (a dispatch counted as {@link DISPATCH_COST_BYTES}) and
 * its fixed-point shift keeps at least 8 fractional bits.
 */
export function chooseDelivery(m: DeliveryModel): 'gather' | 'scatter' {
  if (m.shift < 8) return 'gather';
  const gather = m.nnz * m.edgeBytes + DISPATCH_COST_BYTES;
  const active = Math.min(1, m.activity * m.windowRows);
  const scatter =
    m.pre * 4 * m.windowRows + active * m.nnz * (m.edgeBytes + 4) + m.post * 8 + 3 * DISPATCH_COST_BYTES;
  return scatter < gather ? 'scatter' : 'gather';
}
