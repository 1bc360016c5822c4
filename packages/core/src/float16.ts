/**
 * IEEE-754 binary16 ("half", float16) conversions.
 *
 * Half values are handled as their raw 16-bit patterns (`number` in `[0, 0xFFFF]`, or a `Uint16Array`),
 * because Node 20 has no `Float16Array`. Every conversion to half rounds to nearest, ties to even, exactly
 * like NumPy's `np.float16(x)` and WGSL's `f16(x)`: subnormal results are produced (not flushed), values at
 * or above 65520 become ±Infinity, and NaN stays NaN (quiet NaN `0x7E00` with the input's sign).
 *
 * @module
 */

const POW2_M24 = 2 ** -24;
const POW2_M14 = 2 ** -14;

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

const f64Scratch = new Float64Array(1);
const u32OfF64 = new Uint32Array(f64Scratch.buffer);
/** Index of the high word of a float64 in {@link u32OfF64} (1 on little-endian hosts). */
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
/**
 * For every biased float64 exponent e: 2^52 times the half quantum of that binade, 2^(e − 1023 − 10).
 * `(a + m) − m` rounds `a` to a multiple of the quantum, to nearest, ties to even, exactly: the sum
 * lies in [m, 2m), whose ulp is the quantum.
 */
const MAGIC = Float64Array.from({ length: 2048 }, (_, e) => 2 ** (e - 1023 + 42));
const TWO52 = 2 ** 52;

/**
 * Rounds `x` (treated as an exact float64 value) to the nearest float16 value, ties to even, and returns
 * that value as a number, like `Number(np.float16(x))`: by double arithmetic (a magic addend per
 * binade), with no bit patterns — the hot path of float16 storage on the cpu backend.
 */
export function roundToFloat16(x: number): number {
  const a = Math.abs(x);
  if (!(a < 65520))
    return Number.isNaN(a) ? Number.NaN : x > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  let r: number;
  // Subnormal halves (or zero): units of 2^-24. Scaling by a power of two is exact.
  if (a < POW2_M14) r = (a / POW2_M24 + TWO52 - TWO52) * POW2_M24;
  else {
    f64Scratch[0] = a;
    const m = MAGIC[(u32OfF64[HIGH] as number) >>> 20] as number;
    r = a + m - m;
  }
  return x < 0 ? -r : x === 0 ? x : r;
}

/**
 * Converts a number (treated as an exact float64 value) to IEEE half bits, rounding to nearest, ties to even.
 *
 * The rounding is done once, from the exact double, so `toFloat16Bits(0.1) === 0x2E66` as in NumPy.
 * `-0` gives `0x8000`; NaN gives `0x7E00` (JS cannot observe a NaN's sign bit); `|x| >= 65520` gives
 * ±Infinity (`0x7C00` / `0xFC00`).
 *
 * @param x - any number.
 * @returns the half bit pattern, in `[0, 0xFFFF]`.
 */
export function toFloat16Bits(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || (x === 0 && 1 / x < 0) ? 0x8000 : 0;
  const r = Math.abs(roundToFloat16(x));
  if (r === Number.POSITIVE_INFINITY) return sign | 0x7c00;
  // A result of 0x400 is the smallest normal, which is the correct encoding too.
  if (r < POW2_M14) return sign | (r / POW2_M24);
  f64Scratch[0] = r;
  const hi = u32OfF64[HIGH] as number;
  // The half's exponent and its 10 mantissa bits (the top of the double's mantissa; r has no more).
  return sign | ((((hi >>> 20) - 1023 + 15) << 10) | ((hi >>> 10) & 0x3ff));
}

/**
 * Converts the bit pattern of a float32 (as a u32) to half bits, rounding to nearest, ties to even.
 * Integer-only; this is the algorithm a GPU kernel without `shader-f16` uses to emulate f16 storage.
 *
 * @param f32bits - the IEEE single bit pattern (`u32`).
 * @returns the half bit pattern.
 */
export function float32BitsToFloat16Bits(f32bits: number): number {
  const u = f32bits >>> 0;
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff;
  const mant = u & 0x7fffff;
  if (exp === 0xff) return mant !== 0 ? sign | 0x7e00 : sign | 0x7c00;
  const e = exp - 127;
  if (e > 15) return sign | 0x7c00;
  if (e >= -14) {
    let bits = ((e + 15) << 10) | (mant >>> 13);
    const rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem === 0x1000 && (bits & 1) === 1)) bits += 1; // carry may produce Infinity: correct
    return sign | bits;
  }
  if (e < -25) return sign; // below half of the smallest subnormal (float32 subnormals land here too)
  const m = mant | 0x800000; // 24-bit significand, value = m * 2^(e - 23)
  const shift = -(e + 1); // 13 .. 24: value in units of 2^-24 is m >> shift
  let bits = m >>> shift;
  const rem = m & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  if (rem > half || (rem === half && (bits & 1) === 1)) bits += 1;
  return sign | bits;
}

/**
 * Decodes half bits to the exact number they represent.
 *
 * @param bits - a half bit pattern (only the low 16 bits are used).
 */
export function fromFloat16Bits(bits: number): number {
  return (halfValues ?? float16Values())[bits & 0xffff] as number;
}

let halfValues: Float32Array | undefined;

/**
 * The value of every half bit pattern, indexed by the bits (each exact in float32; 256 KiB, built once
 * from the bit fields: sign, exponent rebiased from 15 to 127, mantissa shifted by 13; subnormal
 * halves by their value).
 */
export function float16Values(): Float32Array {
  if (halfValues) return halfValues;
  const values = new Float32Array(65536);
  const bits = new Uint32Array(values.buffer);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0)
      values[h] = (sign ? -mant : mant) * POW2_M24; // −0 for 0x8000
    else bits[h] = (sign | (exp === 0x1f ? 0x7f800000 : (exp + 112) << 23) | (mant << 13)) >>> 0;
  }
  halfValues = values;
  return values;
}

/** True when `bits` encodes a half NaN. */
export function isFloat16NaN(bits: number): boolean {
  return (bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0;
}

/** Largest finite float16 value (65504). */
export const FLOAT16_MAX = 65504;
/** Smallest positive normal float16 value (2^-14). */
export const FLOAT16_MIN_NORMAL = POW2_M14;
/** Smallest positive subnormal float16 value (2^-24). */
export const FLOAT16_MIN_SUBNORMAL = POW2_M24;
/** Machine epsilon of float16 (2^-10). */
export const FLOAT16_EPSILON = 2 ** -10;

function checkOut<T extends { length: number }>(name: string, out: T, length: number): T {
  if (out.length !== length) {
    throw new RangeError(`${name}: out has ${out.length} elements but the source has ${length}`);
  }
  return out;
}

/**
 * Converts an array of numbers to half bits. A `Float32Array` source takes the integer fast path
 * ({@link float32BitsToFloat16Bits}); any other source rounds each number from its exact double value.
 * The results are identical for values representable in float32.
 *
 * @param src - the values.
 * @param out - optional destination of the same length.
 * @returns `out` or a new `Uint16Array`.
 */
export function toFloat16Array(src: ArrayLike<number>, out?: Uint16Array): Uint16Array {
  const n = src.length;
  const dst = out ? checkOut('toFloat16Array', out, n) : new Uint16Array(n);
  if (src instanceof Float32Array) {
    const u = new Uint32Array(src.buffer, src.byteOffset, n);
    for (let i = 0; i < n; i++) dst[i] = float32BitsToFloat16Bits(u[i]!);
  } else {
    for (let i = 0; i < n; i++) dst[i] = toFloat16Bits(src[i]!);
  }
  return dst;
}

/**
 * Decodes half bits to float32 values (every half value is exactly representable in float32).
 *
 * @param src - half bit patterns.
 * @param out - optional destination of the same length.
 * @returns `out` or a new `Float32Array`.
 */
export function fromFloat16Array(src: ArrayLike<number>, out?: Float32Array): Float32Array {
  const n = src.length;
  const dst = out ? checkOut('fromFloat16Array', out, n) : new Float32Array(n);
  for (let i = 0; i < n; i++) dst[i] = fromFloat16Bits(src[i]!);
  return dst;
}

/**
 * Rounds every element of a float32 array to the nearest float16 value (emulated f16 storage).
 * `out` may be `src` itself (in-place rounding).
 *
 * @returns `out` or a new `Float32Array`.
 */
export function roundFloat32ArrayToFloat16(src: Float32Array, out?: Float32Array): Float32Array {
  const n = src.length;
  const dst = out ? checkOut('roundFloat32ArrayToFloat16', out, n) : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    f32Scratch[0] = src[i]!;
    dst[i] = fromFloat16Bits(float32BitsToFloat16Bits(u32Scratch[0]!));
  }
  return dst;
}

/** The float32 bit pattern of `x` (after rounding `x` to float32). */
export function float32Bits(x: number): number {
  f32Scratch[0] = x;
  return u32Scratch[0]!;
}
