/**
 * Allocation-free scalar Philox4x32-10 for generated JavaScript loops. Bit-identical to
 * `philox4x32` / `CounterRng` of `@spark-snn/core` (checked by `philox.test.ts`); the WGSL twin is
 * in `philox.wgsl.ts`.
 *
 * @module
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

function mulhi(a: number, b: number): number {
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

/**
 * Philox4x32-10 of counter `[c0, c1, c2, 0]` and key `[k0, k1]`, written into `out[0..3]`.
 * spark-snn's draws use counter `[index, step, stream, 0]`.
 */
export function philoxInto(
  c0: number,
  c1: number,
  c2: number,
  k0: number,
  k1: number,
  out: Uint32Array,
): void {
  let x0 = c0 >>> 0;
  let x1 = c1 >>> 0;
  let x2 = c2 >>> 0;
  let x3 = 0;
  let a = k0 >>> 0;
  let b = k1 >>> 0;
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      a = (a + W0) >>> 0;
      b = (b + W1) >>> 0;
    }
    const hi0 = mulhi(M0, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulhi(M1, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ a) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ b) >>> 0;
    x3 = lo0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
}

const TWO_M24 = 2 ** -24;
const TWO_PI = 2 * Math.PI;

/** Uniform float32 in [0, 1) of word `x`: `(x >>> 8) * 2^-24`. */
export function uniformOf(x: number): number {
  return (x >>> 8) * TWO_M24;
}

/** Box–Muller normal of words x0, x1, rounded to float32 (same formula as core's `boxMuller`). */
export function normalOf(x0: number, x1: number): number {
  const u1 = ((x0 >>> 8) + 1) * TWO_M24;
  const u2 = (x1 >>> 8) * TWO_M24;
  return Math.fround(Math.sqrt(-2 * Math.log(u1)) * Math.cos(TWO_PI * u2));
}
