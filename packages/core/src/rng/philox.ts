/**
 * Philox4x32-10, the counter-based random number generator of spark-snn, and {@link CounterRng}, the
 * keyed draws every module uses.
 *
 * **This file is the specification of the WGSL twin in `@spark-snn/kernels`.** Everything here uses only
 * operations WGSL has on `u32` (wrapping `*` via `Math.imul`, `+`, `^`, `>>`, `&`), plus a 32×32→64
 * high-word multiply built from 16-bit limbs ({@link mulhi32}), so a shader reproduces every `bits`,
 * `uniform`, `int`, `bernoulli` and `permutation` result bit for bit. Only {@link CounterRng.normal}
 * uses transcendental functions (`log`, `cos`, `sqrt`), whose last bits differ between JS and GPUs.
 *
 * ## Philox4x32 (Salmon et al., SC'11; Random123)
 *
 * State: counter `c = (c0, c1, c2, c3)`, key `k = (k0, k1)`, all `u32`.
 * One round:
 * ```
 * (hi0, lo0) = M0 * c0      // full 64-bit product, M0 = 0xD2511F53
 * (hi1, lo1) = M1 * c2      // M1 = 0xCD9E8D57
 * c = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
 * ```
 * Between rounds the key is bumped: `k0 += W0` (0x9E3779B9), `k1 += W1` (0xBB67AE85), wrapping.
 * `philox4x32(c, k, R)` applies round 1 with the original key, then R − 1 times (bump, round); the output
 * is the final counter. R = 10 is the standard (Random123 `philox4x32_10`).
 *
 * ## Draw layout used by spark-snn (bulk: 4 elements per Philox block)
 *
 * key = `[seed mod 2^32, floor(seed / 2^32) mod 2^32]`. A draw is identified by `(stream, step, index)`:
 * `stream` identifies the consumer (see {@link deriveStream}), `step` the simulation step and `index`
 * the element (neuron, synapse…). Every Philox call yields 4 words and **all four are used**: element
 * `index` reads block `b = index >>> 2` — the Philox4x32-10 output `x = (x0, x1, x2, x3)` of counter
 * `[b, step, stream, 0]` — and, in it, word `w = index & 3`. So elements 4b … 4b+3 share one block, and a
 * loop over n elements costs ⌈n / 4⌉ Philox calls (a SIMD vector of 4 elements exactly one).
 *
 * | draw of element `index` | formula (x = block `index >>> 2`, w = `index & 3`) |
 * | --- | --- |
 * | `uniform` | `f32(x[w] >> 8) * 2^-24` — exact float32 in `[0, 1)` |
 * | `bernoulli(p)` | `uniform < p` |
 * | `int(n)` | `mulhi32(x[w], n)` = `floor(x[w] * n / 2^32)` ∈ `[0, n)` (bias ≤ n / 2^32, no rejection) |
 * | `normal` | Box–Muller of the word pair `(x[w & 2], x[(w & 2) + 1])`: `u1 = f32((x[w & 2] >> 8) + 1) * 2^-24` ∈ (0, 1], `u2 = f32(x[(w & 2) + 1] >> 8) * 2^-24`, `r = sqrt(-2 ln u1)`; `z = r cos(2π u2)` for even `index`, `r sin(2π u2)` for odd |
 * | `permutation(n)` | Fisher–Yates: `a = [0..n)`; for `i = n−1 … 1`: `j = int(i + 1)` at index `i`; swap `a[i]`, `a[j]` |
 *
 * (Until November 2026 every element drew its own block, counter `[index, step, stream, 0]`, and used
 * one or two of its words; the bulk layout gives the same distributions at a quarter of the Philox
 * calls, and different values.)
 *
 * @module
 */

/** Philox multiplier for word 0. */
export const PHILOX_M0 = 0xd2511f53;
/** Philox multiplier for word 2. */
export const PHILOX_M1 = 0xcd9e8d57;
/** Weyl key increment for key word 0 (golden ratio). */
export const PHILOX_W0 = 0x9e3779b9;
/** Weyl key increment for key word 1 (sqrt(3) − 1). */
export const PHILOX_W1 = 0xbb67ae85;
/** Standard number of rounds. */
export const PHILOX_ROUNDS = 10;

/**
 * High 32 bits of the 64-bit product of two u32 values, `floor(a * b / 2^32)`, computed with 16-bit limbs
 * so that every intermediate fits in a u32 (WGSL: same code on `u32`).
 *
 * ```
 * al = a & 0xFFFF; ah = a >> 16; bl = b & 0xFFFF; bh = b >> 16
 * ll = al*bl; lh = al*bh; hl = ah*bl; hh = ah*bh           // each < 2^32
 * mid = (ll >> 16) + (lh & 0xFFFF) + (hl & 0xFFFF)         // < 3 * 2^16
 * hi = hh + (lh >> 16) + (hl >> 16) + (mid >> 16)          // exact, < 2^32
 * ```
 */
export function mulhi32(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const ll = Math.imul(al, bl) >>> 0;
  const lh = Math.imul(al, bh) >>> 0;
  const hl = Math.imul(ah, bl) >>> 0;
  const hh = Math.imul(ah, bh) >>> 0;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (hh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}

/** Low 32 bits of the product of two u32 values (wrapping multiply). */
export function mullo32(a: number, b: number): number {
  return Math.imul(a, b) >>> 0;
}

/**
 * Philox4x32 with `rounds` rounds (10 = Philox4x32-10).
 *
 * @param counter - 4 u32 words (values are taken modulo 2^32).
 * @param key - 2 u32 words.
 * @param rounds - number of rounds, default 10.
 * @param out - optional destination of 4 words (may alias nothing else).
 * @returns the 4 output words (`out` if given).
 *
 * @example
 * ```ts
 * philox4x32([0, 0, 0, 0], [0, 0]); // Uint32Array [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]
 * ```
 */
export function philox4x32(
  counter: ArrayLike<number>,
  key: ArrayLike<number>,
  rounds: number = PHILOX_ROUNDS,
  out: Uint32Array = new Uint32Array(4),
): Uint32Array {
  if (counter.length !== 4)
    throw new RangeError(`philox4x32: counter must have 4 words, got ${counter.length}`);
  if (key.length !== 2) throw new RangeError(`philox4x32: key must have 2 words, got ${key.length}`);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new RangeError(`philox4x32: rounds must be a positive integer, got ${rounds}`);
  }
  if (out.length !== 4) throw new RangeError(`philox4x32: out must have 4 words, got ${out.length}`);
  philoxInto(
    counter[0]! >>> 0,
    counter[1]! >>> 0,
    counter[2]! >>> 0,
    counter[3]! >>> 0,
    key[0]! >>> 0,
    key[1]! >>> 0,
    rounds,
    out,
  );
  return out;
}

/** Low and high 16 bits of the multipliers (for {@link mulhiInt}). */
const M0_LO = PHILOX_M0 & 0xffff;
const M0_HI = PHILOX_M0 >>> 16;
const M1_LO = PHILOX_M1 & 0xffff;
const M1_HI = PHILOX_M1 >>> 16;

/**
 * {@link mulhi32} of `m = mHi·2^16 + mLo` and `c`, returning the high word as an int32 bit pattern
 * (`| 0`) so that JIT-compiled callers keep it in an integer register.
 */
function mulhiInt(mLo: number, mHi: number, c: number): number {
  const cl = c & 0xffff;
  const ch = c >>> 16;
  const ll = Math.imul(mLo, cl) >>> 0;
  const lh = Math.imul(mLo, ch) >>> 0;
  const hl = Math.imul(mHi, cl) >>> 0;
  const hh = Math.imul(mHi, ch) >>> 0;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (hh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}

/**
 * Unchecked, allocation-free core of {@link philox4x32}: all inputs are u32 numbers (int32 bit
 * patterns work too), the result is written into `out[0..3]`. For hot loops (the generated JavaScript
 * kernels draw through it).
 *
 * The words are carried as int32 bit patterns (`| 0`), not as u32 values (`>>> 0`): V8 keeps an int32
 * in a register, while a u32 above 2^31 becomes a float64 and every operation on it converts back and
 * forth — the u32 form took about 3× the time per call. The bits (and `out`, a `Uint32Array`) are the
 * same.
 */
export function philoxInto(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  rounds: number,
  out: Uint32Array,
): void {
  let x0 = c0 | 0;
  let x1 = c1 | 0;
  let x2 = c2 | 0;
  let x3 = c3 | 0;
  let a = k0 | 0;
  let b = k1 | 0;
  for (let r = 0; r < rounds; r++) {
    if (r > 0) {
      a = (a + PHILOX_W0) | 0;
      b = (b + PHILOX_W1) | 0;
    }
    const hi0 = mulhiInt(M0_LO, M0_HI, x0);
    const lo0 = Math.imul(PHILOX_M0, x0);
    const hi1 = mulhiInt(M1_LO, M1_HI, x2);
    const lo1 = Math.imul(PHILOX_M1, x2);
    x0 = hi1 ^ x1 ^ a;
    x1 = lo1;
    x2 = hi0 ^ x3 ^ b;
    x3 = lo0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
}

/** 2^-24: the spacing of {@link CounterRng.uniform} values. */
const TWO_M24 = 2 ** -24;
const TWO_PI = 2 * Math.PI;

/** Converts a u32 to a float32 uniform in [0, 1): `(x >>> 8) * 2^-24` (exact). */
export function u32ToUniform(x: number): number {
  return (x >>> 8) * TWO_M24;
}

/**
 * Stable 32-bit FNV-1a hash of the UTF-8 bytes of `name` (offset basis 0x811C9DC5, prime 0x01000193).
 * Use it to give each module its own stream: `deriveStream('A_excitatory/soma')`.
 */
export function deriveStream(name: string): number {
  const bytes = new TextEncoder().encode(name);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  return h >>> 0;
}

/** A seed: a non-negative integer number up to 2^53 − 1, or a bigint in [0, 2^64). */
export type Seed = number | bigint;

/** Splits a seed into the Philox key `[lo32, hi32]`. Throws on negative, fractional or too large seeds. */
export function seedToKey(seed: Seed): [number, number] {
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed >= 1n << 64n) throw new RangeError(`CounterRng: seed ${seed} must be in [0, 2^64)`);
    return [Number(seed & 0xffffffffn), Number(seed >> 32n)];
  }
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(
      `CounterRng: seed must be a non-negative safe integer or a bigint, got ${String(seed)}`,
    );
  }
  return [seed >>> 0, Math.floor(seed / 0x100000000) >>> 0];
}

function checkU32(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new RangeError(`CounterRng: ${name} must be an integer in [0, 2^32), got ${v}`);
  }
  return v;
}

/**
 * Keyed, counter-based random draws. Every method is a pure function of
 * `(seed, stream, step, index)`: no hidden state that changes a result, so the same draw can be
 * recomputed anywhere (a GPU thread, a CPU loop, a replay) and the order of calls does not matter.
 *
 * Element `index` uses word `index & 3` of the Philox4x32-10 block of counter
 * `[index >>> 2, step, stream, 0]` (the module's "Draw layout"); the key is {@link seedToKey}(seed).
 * The last block computed is kept, so a loop over consecutive indices costs one Philox call per 4
 * elements; the `fill…` methods do the same in bulk. `stream`, `step` and `index` are u32 integers;
 * they are validated (RangeError otherwise).
 *
 * @example
 * ```ts
 * const rng = new CounterRng(42);
 * const stream = deriveStream('A_excitatory/soma');
 * rng.uniform(stream, 0, 7); // word 3 of block 1: the same value on every backend
 * rng.fillUniform(new Float32Array(100), stream, 0); // element i uses index i
 * ```
 */
export class CounterRng {
  /** The seed as given. */
  readonly seed: Seed;
  /** The Philox key `[lo32, hi32]` derived from the seed. */
  readonly key: readonly [number, number];
  private readonly k0: number;
  private readonly k1: number;
  /** The words of the last block computed by {@link word}, and its coordinates (block −1: none). */
  private readonly scratch = new Uint32Array(4);
  private lastStream = 0;
  private lastStep = 0;
  private lastBlock = -1;

  /** @param seed - a non-negative safe integer or a bigint in [0, 2^64). */
  constructor(seed: Seed) {
    const key = seedToKey(seed);
    this.seed = seed;
    this.key = Object.freeze(key) as readonly [number, number];
    this.k0 = key[0];
    this.k1 = key[1];
  }

  /**
   * The 4 raw Philox4x32-10 words of block `block`: counter `[block, step, stream, 0]`. They are the
   * words of elements `4·block … 4·block + 3`.
   */
  bits(stream: number, step: number, block: number, out: Uint32Array = new Uint32Array(4)): Uint32Array {
    checkU32('stream', stream);
    checkU32('step', step);
    checkU32('block', block);
    if (out.length !== 4) throw new RangeError(`CounterRng.bits: out must have 4 words, got ${out.length}`);
    philoxInto(block, step, stream, 0, this.k0, this.k1, PHILOX_ROUNDS, out);
    return out;
  }

  /** Validates a draw's coordinates and makes the block of element `index` the scratch block. */
  private block(stream: number, step: number, index: number): Uint32Array {
    checkU32('stream', stream);
    checkU32('step', step);
    checkU32('index', index);
    return this.load(stream, step, index >>> 2);
  }

  /** The scratch block set to `[block, step, stream, 0]` (recomputed only when it changes; unchecked). */
  private load(stream: number, step: number, block: number): Uint32Array {
    if (block !== this.lastBlock || step !== this.lastStep || stream !== this.lastStream) {
      philoxInto(block, step, stream, 0, this.k0, this.k1, PHILOX_ROUNDS, this.scratch);
      this.lastBlock = block;
      this.lastStep = step;
      this.lastStream = stream;
    }
    return this.scratch;
  }

  /** Uniform float32 in [0, 1): `(x[index & 3] >>> 8) * 2^-24`. Multiples of 2^-24, exactly representable. */
  uniform(stream: number, step: number, index: number): number {
    return u32ToUniform(this.block(stream, step, index)[index & 3]!);
  }

  /**
   * Standard normal by Box–Muller from the word pair `(x[index & 2], x[(index & 2) + 1])` of the
   * element's block: `u1 = ((x[j] >>> 8) + 1) * 2^-24` (in (0, 1], so `log` is finite),
   * `u2 = (x[j+1] >>> 8) * 2^-24`, `z = sqrt(-2 ln u1) · cos(2π u2)` for an even index and
   * `· sin(2π u2)` for an odd one, rounded to float32. |z| ≤ sqrt(-2 ln 2^-24) ≈ 5.77.
   * Computed in float64 here; a GPU computes it in f32 and agrees to a few ulp, not bit for bit.
   */
  normal(stream: number, step: number, index: number): number {
    const x = this.block(stream, step, index);
    const j = index & 2;
    return boxMuller(x[j]!, x[j + 1]!, index & 1);
  }

  /** True with probability `p`: `uniform(stream, step, index) < p`. */
  bernoulli(p: number, stream: number, step: number, index: number): boolean {
    return this.uniform(stream, step, index) < p;
  }

  /**
   * Integer in `[0, n)`: `mulhi32(x[index & 3], n)` = `floor(x * n / 2^32)`, exact. `n` must be an
   * integer in `[1, 2^32)`. Bias is at most n / 2^32 (no rejection loop, so a GPU thread does fixed work).
   */
  int(n: number, stream: number, step: number, index: number): number {
    checkN('CounterRng.int', n);
    return mulhi32(this.block(stream, step, index)[index & 3]!, n);
  }

  /**
   * A random permutation of `0 … n−1` (Fisher–Yates): start from the identity, then for
   * `i = n−1` down to `1`, `j = int(i + 1, stream, step, i)` and swap elements `i` and `j`.
   */
  permutation(n: number, stream: number, step: number): Uint32Array {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
      throw new RangeError(`CounterRng.permutation: n must be an integer in [0, 2^32), got ${n}`);
    }
    checkU32('stream', stream);
    checkU32('step', step);
    const a = new Uint32Array(n);
    for (let i = 0; i < n; i++) a[i] = i;
    for (let i = n - 1; i >= 1; i--) {
      const j = mulhi32(this.load(stream, step, i >>> 2)[i & 3]!, i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }

  /** Fills `out[i]` with `uniform(stream, step, offset + i)` (one Philox call per block). Returns `out`. */
  fillUniform(out: Float32Array, stream: number, step: number, offset = 0): Float32Array {
    this.checkFill(out.length, stream, step, offset);
    for (let i = 0; i < out.length; i++) {
      const e = offset + i;
      out[i] = u32ToUniform(this.load(stream, step, e >>> 2)[e & 3]!);
    }
    return out;
  }

  /** Fills `out[i]` with `normal(stream, step, offset + i)`. Returns `out`. */
  fillNormal(out: Float32Array, stream: number, step: number, offset = 0): Float32Array {
    this.checkFill(out.length, stream, step, offset);
    for (let i = 0; i < out.length; i++) {
      const e = offset + i;
      const x = this.load(stream, step, e >>> 2);
      const j = e & 2;
      out[i] = boxMuller(x[j]!, x[j + 1]!, e & 1);
    }
    return out;
  }

  /** Fills `out[i]` with `bernoulli(p, stream, step, offset + i)` as 1/0. Returns `out`. */
  fillBernoulli(out: Uint8Array, p: number, stream: number, step: number, offset = 0): Uint8Array {
    this.checkFill(out.length, stream, step, offset);
    for (let i = 0; i < out.length; i++) {
      const e = offset + i;
      out[i] = u32ToUniform(this.load(stream, step, e >>> 2)[e & 3]!) < p ? 1 : 0;
    }
    return out;
  }

  /** Fills `out[i]` with `int(n, stream, step, offset + i)`. Returns `out`. */
  fillInt(out: Uint32Array, n: number, stream: number, step: number, offset = 0): Uint32Array {
    checkN('CounterRng.fillInt', n);
    this.checkFill(out.length, stream, step, offset);
    for (let i = 0; i < out.length; i++) {
      const e = offset + i;
      out[i] = mulhi32(this.load(stream, step, e >>> 2)[e & 3]!, n);
    }
    return out;
  }

  /**
   * Fills `out[4i .. 4i+3]` with `bits(stream, step, block + i)`, i.e. `out[k]` is the word of element
   * `4·block + k`; `out.length` must be a multiple of 4.
   */
  fillBits(out: Uint32Array, stream: number, step: number, block = 0): Uint32Array {
    if (out.length % 4 !== 0) {
      throw new RangeError(`CounterRng.fillBits: out.length must be a multiple of 4, got ${out.length}`);
    }
    const n = out.length / 4;
    this.checkFill(n, stream, step, block);
    const w = new Uint32Array(4);
    for (let i = 0; i < n; i++) {
      philoxInto(block + i, step, stream, 0, this.k0, this.k1, PHILOX_ROUNDS, w);
      out.set(w, 4 * i);
    }
    return out;
  }

  private checkFill(length: number, stream: number, step: number, offset: number): void {
    checkU32('stream', stream);
    checkU32('step', step);
    checkU32('offset', offset);
    if (length > 0) checkU32('last index (offset + length - 1)', offset + length - 1);
  }
}

function checkN(what: string, n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 0xffffffff) {
    throw new RangeError(`${what}: n must be an integer in [1, 2^32), got ${n}`);
  }
}

/**
 * Box–Muller transform of two u32 words, as documented on {@link CounterRng.normal}: the cosine
 * branch for `odd` = 0/false (even elements), the sine branch otherwise. Float64, rounded to float32.
 */
export function boxMuller(x0: number, x1: number, odd: number | boolean = 0): number {
  const u1 = ((x0 >>> 8) + 1) * TWO_M24;
  const theta = TWO_PI * ((x1 >>> 8) * TWO_M24);
  const r = Math.sqrt(-2 * Math.log(u1));
  return Math.fround(r * (odd ? Math.sin(theta) : Math.cos(theta)));
}
