/**
 * Sparse connectors, drawn on the host at build time from the counter-based Philox4x32-10 stream
 * (the same generator as core's `CounterRng`), so a connectivity is a pure function of
 * `(seed, stream, sizes, parameters)` and identical on every backend and runtime.
 *
 * Every connector returns the **incoming** CSR (post-major) that the `sparse.csr` op uses:
 * `offsets[post + 1]` and `sources[nnz]`, with the sources of each row sorted ascending (the order
 * that makes the cpu push and the gpu gather sum in the same f32 order).
 *
 * | connector | rule | reference |
 * | --- | --- | --- |
 * | {@link fixedProbability} | every ordered pair (pre, post) independently with probability p; autapses allowed | Brian2 `connect(p=…)` |
 * | {@link fixedInDegree} | every post draws K presynaptic partners uniformly with replacement (multapses) | NEST `fixed_indegree` |
 * | {@link edgeList} | explicit (pre, post) pairs | — |
 *
 * @module
 */

import { philoxInto, uniformOf } from '../../rng/philox.ts';

/** Incoming CSR connectivity (post-major). */
export interface Csr {
  readonly pre: number;
  readonly post: number;
  /** Row starts, `post + 1` entries. */
  readonly offsets: Uint32Array;
  /** Presynaptic index of every edge, ascending within a row. */
  readonly sources: Uint32Array;
  /** Edge order of the input, when the edges were given explicitly (edge list): `perm[e]` is the input index of CSR edge `e`. */
  readonly perm?: Uint32Array;
}

/** Common options of the random connectors. */
export interface ConnectorOptions {
  readonly pre: number;
  readonly post: number;
  /** Philox key (64-bit seed as a safe integer). */
  readonly seed: number;
  /** Philox stream (counter word 2), so that several projections of one model differ. */
  readonly stream?: number;
  /** Restrict the sources to `[from, to)` of the presynaptic population (default: all). */
  readonly sourceRange?: readonly [number, number];
}

function key(seed: number): [number, number] {
  return [seed >>> 0, Math.floor(seed / 0x100000000) >>> 0];
}

function checkSizes(pre: number, post: number): void {
  if (!Number.isInteger(pre) || pre < 1 || !Number.isInteger(post) || post < 1)
    throw new RangeError(`connector: pre and post must be positive integers, got ${pre}, ${post}`);
  if (pre > 0xffffffff || post > 0xffffffff) throw new RangeError('connector: sizes must fit in u32');
}

function rangeOf(o: ConnectorOptions): [number, number] {
  const [a, b] = o.sourceRange ?? [0, o.pre];
  if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && a < b && b <= o.pre))
    throw new RangeError(`connector: sourceRange [${a}, ${b}) is not inside [0, ${o.pre})`);
  return [a, b];
}

/** Grows a Uint32Array by doubling (build time only). */
class U32List {
  data: Uint32Array;
  length = 0;
  constructor(cap: number) {
    this.data = new Uint32Array(Math.max(16, cap));
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const d = new Uint32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = x;
  }
  take(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Bernoulli-p connectivity: each pair independently with probability `p` (Brian2 `connect(p=p)`).
 * Each postsynaptic row walks its sources with geometric skips `j += 1 + ⌊log(1 − U) / log(1 − p)⌋`,
 * `U` the k-th uniform of counter `[post, k, stream, 0]`.
 */
export function fixedProbability(o: ConnectorOptions & { readonly p: number }): Csr {
  checkSizes(o.pre, o.post);
  const { p } = o;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`fixedProbability: p must be in [0, 1], got ${p}`);
  const [a, b] = rangeOf(o);
  const [k0, k1] = key(o.seed);
  const stream = (o.stream ?? 0) >>> 0;
  const offsets = new Uint32Array(o.post + 1);
  const list = new U32List(Math.ceil(o.post * (b - a) * p * 1.1) + 16);
  const w = new Uint32Array(4);
  const lq = Math.log1p(-p);
  for (let i = 0; i < o.post; i++) {
    offsets[i] = list.length;
    if (p === 0) continue;
    if (p === 1) {
      for (let j = a; j < b; j++) list.push(j);
      continue;
    }
    let j = a - 1;
    let k = 0;
    for (;;) {
      philoxInto(i, k >>> 2, stream, k0, k1, w);
      // Four uniforms per Philox call.
      for (let q = 0; q < 4; q++) {
        const u = uniformOf(w[q] as number);
        j += 1 + Math.floor(Math.log1p(-u) / lq);
        if (j >= b) break;
        list.push(j);
      }
      k += 4;
      if (j >= b) break;
    }
  }
  offsets[o.post] = list.length;
  return { pre: o.pre, post: o.post, offsets, sources: list.take() };
}

/**
 * Fixed in-degree: every postsynaptic unit draws `k` sources uniformly **with replacement**
 * (NEST `fixed_indegree`, multapses allowed), word `m` of counter `[post, ⌊m/4⌋, stream, 0]`;
 * each row is then sorted.
 */
export function fixedInDegree(o: ConnectorOptions & { readonly k: number }): Csr {
  checkSizes(o.pre, o.post);
  const { k } = o;
  if (!Number.isInteger(k) || k < 0)
    throw new RangeError(`fixedInDegree: k must be a non-negative integer, got ${k}`);
  const [a, b] = rangeOf(o);
  const span = b - a;
  const nnz = o.post * k;
  if (nnz > 0xffffffff) throw new RangeError(`fixedInDegree: ${nnz} edges exceed u32 indexing`);
  const [k0, k1] = key(o.seed);
  const stream = (o.stream ?? 0) >>> 0;
  const offsets = new Uint32Array(o.post + 1);
  const sources = new Uint32Array(nnz);
  const w = new Uint32Array(4);
  for (let i = 0; i < o.post; i++) {
    const base = i * k;
    offsets[i] = base;
    for (let m = 0; m < k; m++) {
      if ((m & 3) === 0) philoxInto(i, m >>> 2, stream, k0, k1, w);
      // Multiply-shift of a 32-bit word into [0, span) (Lemire; bias < span / 2^32).
      const x = w[m & 3] as number;
      sources[base + m] = a + Math.floor((x / 0x100000000) * span);
    }
    sources.subarray(base, base + k).sort();
  }
  offsets[o.post] = nnz;
  return { pre: o.pre, post: o.post, offsets, sources };
}

/**
 * An explicit edge list `(pre[e], post[e])`, converted to incoming CSR (rows sorted by source,
 * stable). `perm` maps every CSR edge back to its input index (to place per-edge weights).
 */
export function edgeList(o: {
  readonly pre: number;
  readonly post: number;
  readonly sources: ArrayLike<number>;
  readonly targets: ArrayLike<number>;
}): Required<Csr> {
  checkSizes(o.pre, o.post);
  const n = o.sources.length;
  if (o.targets.length !== n) throw new RangeError(`edgeList: ${n} sources but ${o.targets.length} targets`);
  const counts = new Uint32Array(o.post + 1);
  for (let e = 0; e < n; e++) {
    const s = o.sources[e] as number;
    const t = o.targets[e] as number;
    if (!(Number.isInteger(s) && s >= 0 && s < o.pre))
      throw new RangeError(`edgeList: source ${e} = ${s} is outside [0, ${o.pre})`);
    if (!(Number.isInteger(t) && t >= 0 && t < o.post))
      throw new RangeError(`edgeList: target ${e} = ${t} is outside [0, ${o.post})`);
    counts[t + 1] = (counts[t + 1] as number) + 1;
  }
  for (let i = 0; i < o.post; i++) counts[i + 1] = (counts[i + 1] as number) + (counts[i] as number);
  const offsets = counts.slice();
  const order = Array.from({ length: n }, (_, e) => e).sort(
    (x, y) =>
      (o.targets[x] as number) - (o.targets[y] as number) ||
      (o.sources[x] as number) - (o.sources[y] as number) ||
      x - y,
  );
  const perm = Uint32Array.from(order);
  const sources = Uint32Array.from(order, (e) => o.sources[e] as number);
  return { pre: o.pre, post: o.post, offsets, sources, perm };
}
