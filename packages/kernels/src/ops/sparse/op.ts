/**
 * `sparse.csr`: event-driven propagation over an incoming (post-major) CSR whose rows are sorted by
 * source. Bindings `offsets` [post+1], `sources` [nnz], `weights` [nnz] (unless `weight`), `delays`
 * [nnz] (per-connection delays, unless `delay`), `spikes` [pre], `history` [(D+1)×pre] (when D =
 * `delay` or `maxDelay` > 0), `out` [post]. Per step `out_i (+)= Σ_{e ∈ [off_i, off_i+1)} w_e ·
 * s_{src_e}(t − d_e)`. The connectivity is static: it must have initial contents, and is validated
 * here into a {@link SparseHost} every backend lays out its own way.
 *
 * @module
 */

import { defineOp, type ResolvedBuffer, type ResolvedOpBase } from '../registry.ts';
import { historySlots, type SparseHost } from './layout.ts';

/** How a `sparse.csr` op delivers spikes on the webgpu backend (the other backends ignore it). */
export type SparseDelivery = 'auto' | 'gather' | 'scatter';

/**
 * Attributes of `sparse.csr`: event-driven propagation over an incoming (post-major) CSR whose rows
 * are sorted by source. Per-connection weights come from the `weights` binding, or one homogeneous
 * `weight` replaces it (no weight bytes per synapse). Delays: one homogeneous `delay` of D steps, or
 * per-connection delays in the `delays` binding (integers in `[0, maxDelay]`, D = `maxDelay`); either
 * way the op keeps a spike history of D + 1 rows (binding `history`) and a connection of delay d reads
 * the spikes of step t − d.
 */
export interface SparseCsrAttrs {
  readonly post: number;
  readonly pre: number;
  /** Number of edges (`offsets[post]`). */
  readonly nnz: number;
  /** Homogeneous weight; when set, the op has no `weights` binding. */
  readonly weight?: number;
  /** Homogeneous transmission delay in steps (default 0); excludes a `delays` binding. */
  readonly delay?: number;
  /** Largest per-connection delay in steps (required with a `delays` binding; sizes `history`). */
  readonly maxDelay?: number;
  /** Add to `out` instead of overwriting it. */
  readonly accumulate?: boolean;
  /**
   * webgpu delivery: `gather` (one invocation per postsynaptic unit over its incoming edges),
   * `scatter` (spike compaction, then i32 fixed-point atomics over outgoing edges), or `auto`
   * (default: the cost rule of `chooseDelivery`). cpu is always event-driven (push), gpujs a gather.
   */
  readonly delivery?: SparseDelivery;
  /** Expected fraction of presynaptic units that spike in a step (the `auto` rule's input; default 0.01). */
  readonly activity?: number;
  /**
   * Bytes per stored index: 16 packs indices as uint16 (two per u32 word on webgpu) and needs the
   * indexed population ≤ 65,536; `auto` (default) uses 16 where it fits.
   */
  readonly indexWidth?: 'auto' | 16 | 32;
}

/** A resolved `sparse.csr` op. */
export interface ResolvedSparseOp extends ResolvedOpBase<'sparse.csr'> {
  readonly attrs: Required<Omit<SparseCsrAttrs, 'weight'>> & { readonly weight: number | undefined };
  /** Longest row (gpu.js loop bound). */
  readonly maxRow: number;
  /** The connectivity as host arrays (validated). */
  readonly host: SparseHost;
}

/** `sparse.csr`. */
export const sparseCsr = defineOp<'sparse.csr', ResolvedSparseOp>({
  kind: 'sparse.csr',
  summary: '`out_i (+)= Σ_{e ∈ [off_i, off_i+1)} w_e · s_{src_e}(t − d_e)` (static CSR connectivity)',
  resolve(op, c) {
    const post = c.posInt('post');
    const pre = c.posInt('pre');
    const nnz = c.attrs.nnz;
    if (typeof nnz !== 'number' || !Number.isInteger(nnz) || nnz < 0)
      throw c.error(`attrs.nnz`, `must be a non-negative integer, got ${String(nnz)}`);
    const stepsIn = (key: string, v: unknown): number => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535)
        throw c.error(`attrs.${key}`, `must be an integer in [0, 65535], got ${String(v)}`);
      return v;
    };
    const perEdgeDelays = op.bindings.delays !== undefined;
    if (perEdgeDelays && c.attrs.delay !== undefined)
      throw c.error(`attrs.delay`, 'a homogeneous delay and a delays binding exclude each other');
    const delay = perEdgeDelays ? 0 : stepsIn('delay', c.attrs.delay ?? 0);
    const maxDelay = perEdgeDelays ? stepsIn('maxDelay', c.attrs.maxDelay) : delay;
    const weight = c.attrs.weight;
    if (weight !== undefined && !(typeof weight === 'number' && Number.isFinite(weight)))
      throw c.error(`attrs.weight`, `must be a finite number, got ${String(weight)}`);
    const delivery = c.attrs.delivery ?? 'auto';
    if (delivery !== 'auto' && delivery !== 'gather' && delivery !== 'scatter')
      throw c.error(
        `attrs.delivery`,
        `must be "auto", "gather" or "scatter", got ${JSON.stringify(delivery)}`,
      );
    const activity = c.attrs.activity ?? 0.01;
    if (!(typeof activity === 'number' && activity >= 0 && activity <= 1))
      throw c.error(`attrs.activity`, `must be a number in [0, 1], got ${String(activity)}`);
    const indexWidth = c.attrs.indexWidth ?? 'auto';
    if (indexWidth !== 'auto' && indexWidth !== 16 && indexWidth !== 32)
      throw c.error(`attrs.indexWidth`, `must be "auto", 16 or 32, got ${JSON.stringify(indexWidth)}`);
    if (indexWidth === 16 && Math.max(pre, post) > 0x10000)
      throw c.error(
        `attrs.indexWidth`,
        `16-bit indices need pre and post ≤ 65,536, got pre ${pre}, post ${post}`,
      );
    const offsets = c.bind('offsets', post + 1, ['int32', 'uint32']);
    const sources = c.bind('sources', Math.max(1, nnz), [offsets.spec.dtype]);
    const weightsBuf = weight === undefined ? c.bind('weights', Math.max(1, nnz), ['float32']) : undefined;
    if (weight !== undefined && op.bindings.weights !== undefined)
      throw c.error(`bindings.weights`, 'a homogeneous weight and a weights binding exclude each other');
    const delaysBuf = perEdgeDelays ? c.bind('delays', Math.max(1, nnz), ['int32', 'uint32']) : undefined;
    c.bind('spikes', pre, ['float32']);
    if (maxDelay > 0) c.bind('history', (maxDelay + 1) * pre, ['float32']);
    c.bind('out', post, ['float32']);
    // The connectivity must be known at load (it is static) and well formed.
    const o = offsets.spec.init;
    const sv = sources.spec.init;
    if (o === undefined || typeof o === 'number' || (nnz > 0 && (sv === undefined || typeof sv === 'number')))
      throw c.error(
        `bindings.offsets`,
        'sparse connectivity (offsets and sources) must have initial contents',
      );
    if ((o[0] as number) !== 0 || (o[post] as number) !== nnz)
      throw c.error(`bindings.offsets`, `offsets must start at 0 and end at nnz = ${nnz}`);
    let maxRow = 0;
    for (let i = 0; i < post; i++) {
      const a = o[i] as number;
      const b = o[i + 1] as number;
      if (!(a <= b))
        throw c.error(`bindings.offsets`, `offsets must be non-decreasing; row ${i} spans [${a}, ${b})`);
      if (b - a > maxRow) maxRow = b - a;
      let last = 0;
      for (let e = a; e < b; e++) {
        const j = (sv as ArrayLike<number>)[e] as number;
        if (!(j >= 0 && j < pre))
          throw c.error(`bindings.sources`, `source ${e} = ${j} is outside [0, ${pre})`);
        if (j < last) throw c.error(`bindings.sources`, `row ${i} is not sorted by source (edge ${e})`);
        last = j;
      }
    }
    const values = (rb: ResolvedBuffer | undefined, what: string): ArrayLike<number> | undefined => {
      if (rb === undefined) return undefined;
      const init = rb.spec.init;
      if (nnz === 0) return new Float32Array(0);
      if (init === undefined)
        throw c.error(`bindings.${what}`, `per-connection ${what} must have initial contents`);
      return typeof init === 'number' ? new Float64Array(nnz).fill(init) : (init as ArrayLike<number>);
    };
    const wv = values(weightsBuf, 'weights');
    let maxAbsWeight = weight === undefined ? 0 : Math.abs(Math.fround(weight));
    let weights: Float32Array | undefined;
    if (wv !== undefined) {
      weights = new Float32Array(nnz);
      for (let e = 0; e < nnz; e++) {
        const x = wv[e] as number;
        if (!Number.isFinite(x)) throw c.error(`bindings.weights`, `weight ${e} is ${x}`);
        weights[e] = x;
        const m = Math.abs(weights[e] as number);
        if (m > maxAbsWeight) maxAbsWeight = m;
      }
    }
    const dv = values(delaysBuf, 'delays');
    let delays: Uint16Array | undefined;
    let minDelay = delay;
    if (dv !== undefined) {
      delays = new Uint16Array(nnz);
      minDelay = nnz > 0 ? maxDelay : 0;
      for (let e = 0; e < nnz; e++) {
        const x = dv[e] as number;
        if (!(Number.isInteger(x) && x >= 0 && x <= maxDelay))
          throw c.error(`bindings.delays`, `delay ${e} = ${x} is outside [0, maxDelay = ${maxDelay}]`);
        delays[e] = x;
        if (x < minDelay) minDelay = x;
      }
    }
    const host: SparseHost = {
      post,
      pre,
      nnz,
      offsets: o instanceof Uint32Array ? o : Uint32Array.from(o as ArrayLike<number>),
      sources:
        nnz === 0
          ? new Uint32Array(0)
          : sv instanceof Uint32Array
            ? sv
            : Uint32Array.from(sv as ArrayLike<number>),
      weights,
      weight: weight === undefined ? 0 : Math.fround(weight),
      delays,
      delay,
      minDelay,
      maxDelay,
      maxRow,
      maxAbsWeight,
      accumulate: c.attrs.accumulate === true,
    };
    return {
      kind: 'sparse.csr',
      op,
      attrs: {
        post,
        pre,
        nnz,
        delay,
        maxDelay,
        weight,
        accumulate: c.attrs.accumulate === true,
        delivery,
        activity,
        indexWidth,
      },
      maxRow,
      host,
    };
  },
  access: (r) => ({ history: 'rw', out: r.attrs.accumulate ? 'rw' : 'W' }),
  reference(r, c) {
    const h = r.host;
    const slots = historySlots(h);
    const spikes = c.buf('spikes');
    const history = slots > 0 ? c.buf('history') : spikes;
    const out = c.buf('out');
    return (step) => {
      if (slots > 0) history.set(spikes, (step % slots) * h.pre);
      for (let i = 0; i < h.post; i++) {
        let sum = 0;
        for (let e = h.offsets[i] as number; e < (h.offsets[i + 1] as number); e++) {
          const d = h.delays ? (h.delays[e] as number) : h.delay;
          const j = h.sources[e] as number;
          const x =
            d === 0
              ? (spikes[j] as number)
              : (history[(((step % slots) + slots - d) % slots) * h.pre + j] as number);
          sum += (h.weights ? (h.weights[e] as number) : h.weight) * x;
        }
        out[i] = h.accumulate ? (out[i] as number) + sum : sum;
      }
    };
  },
});
