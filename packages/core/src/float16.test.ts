import { describe, expect, it } from 'vitest';
import {
  FLOAT16_MAX,
  float32Bits,
  float32BitsToFloat16Bits,
  fromFloat16Array,
  fromFloat16Bits,
  isFloat16NaN,
  roundFloat32ArrayToFloat16,
  roundToFloat16,
  toFloat16Array,
  toFloat16Bits,
} from './float16.ts';

/** Both conversion paths (exact double and integer float32-bits) must agree for float32 inputs. */
function both(x: number): number {
  const a = toFloat16Bits(x);
  const b = float32BitsToFloat16Bits(float32Bits(x));
  if (Math.fround(x) === x || Number.isNaN(x)) expect(b).toBe(a);
  return a;
}

describe('float16', () => {
  it('matches values computed with numpy.float16', () => {
    // numpy: np.float16(x).view(np.uint16)
    const cases: [number, number][] = [
      [0.1, 0x2e66],
      [65520, 0x7c00],
      [65519.99, 0x7bff],
      [65504, 0x7bff],
      [5.9604644775390625e-8, 0x0001],
      [2.980232238769531e-8, 0x0000],
      [2.9802322387695312e-8 * 1.0000001, 0x0001],
      [-2.980232238769531e-8, 0x8000],
      [8.940696716308594e-8, 0x0002], // 1.5 * 2^-24: tie, rounds to even (2)
      [1.4901161193847656e-7, 0x0002], // 2.5 * 2^-24: tie, rounds to even (2)
      [6.097555160522461e-5, 0x03ff], // largest subnormal
      [6.103515625e-5, 0x0400], // smallest normal
      [1, 0x3c00],
      [-2, 0xc000],
      [1 / 3, 0x3555],
      [Math.PI, 0x4248],
      [1.0009765625, 0x3c01],
      [1.00048828125, 0x3c00], // 1 + 2^-11: tie, stays at even 1.0
      [1.00146484375, 0x3c02], // 1 + 3*2^-11: tie, rounds up to even 0x3c02
      [2048.5, 0x6800],
      [-0, 0x8000],
      [0, 0x0000],
      [Number.POSITIVE_INFINITY, 0x7c00],
      [Number.NEGATIVE_INFINITY, 0xfc00],
      [1e-10, 0x0000],
      [-1e10, 0xfc00],
    ];
    for (const [x, bits] of cases) {
      expect(both(x), `toFloat16Bits(${x})`).toBe(bits);
    }
    expect(toFloat16Bits(Number.NaN)).toBe(0x7e00);
    expect(float32BitsToFloat16Bits(0x7fc00000)).toBe(0x7e00);
    expect(float32BitsToFloat16Bits(0xffc00000)).toBe(0xfe00);
  });

  it('round-trips all 65536 half bit patterns through both paths', () => {
    let nans = 0;
    for (let h = 0; h < 0x10000; h++) {
      const v = fromFloat16Bits(h);
      if (isFloat16NaN(h)) {
        expect(Number.isNaN(v)).toBe(true);
        nans++;
        continue;
      }
      if (toFloat16Bits(v) !== h) throw new Error(`toFloat16Bits(fromFloat16Bits(${h.toString(16)})) failed`);
      if (float32BitsToFloat16Bits(float32Bits(v)) !== h) {
        throw new Error(`float32 path failed for ${h.toString(16)}`);
      }
    }
    expect(nans).toBe(2 * 1023);
  });

  it('rounds every midpoint between adjacent halves to even, and its neighbours to the nearer half', () => {
    for (let h = 0; h < 0x7bff; h++) {
      const lo = fromFloat16Bits(h);
      const hi = fromFloat16Bits(h + 1);
      const mid = (lo + hi) / 2; // exact in float32 (12 significant bits)
      expect(Math.fround(mid)).toBe(mid);
      const even = h % 2 === 0 ? h : h + 1;
      for (const sign of [1, -1]) {
        const s = sign < 0 ? 0x8000 : 0;
        const m = sign * mid;
        if (toFloat16Bits(m) !== (s | even) || float32BitsToFloat16Bits(float32Bits(m)) !== (s | even)) {
          throw new Error(`tie at ${m} should round to ${(s | even).toString(16)}`);
        }
        // neighbours one float32 ulp away from the midpoint go to the nearer half
        const above = float32BitsToFloat16Bits(float32Bits(m) + 1); // one ulp further from zero
        const below = float32BitsToFloat16Bits(float32Bits(m) - 1); // one ulp closer to zero
        if (above !== (s | (h + 1)) || below !== (s | h))
          throw new Error(`neighbours of midpoint ${m} misrounded`);
      }
    }
    // the midpoint between 65504 and 65536 (=65520) overflows
    expect(toFloat16Bits(65520)).toBe(0x7c00);
    expect(toFloat16Bits(65519.999999)).toBe(0x7bff);
  });

  it('handles the subnormal boundaries', () => {
    const sub = 2 ** -24;
    expect(toFloat16Bits(sub)).toBe(1);
    expect(toFloat16Bits(sub / 2)).toBe(0); // tie to even
    expect(toFloat16Bits(sub / 2 + 2 ** -60)).toBe(1);
    expect(toFloat16Bits(1023 * sub)).toBe(0x3ff);
    expect(toFloat16Bits(1023.5 * sub)).toBe(0x400); // tie -> even (0x400)
    expect(toFloat16Bits(1022.5 * sub)).toBe(0x3fe); // tie -> even
    expect(float32BitsToFloat16Bits(float32Bits(sub / 2))).toBe(0);
    expect(float32BitsToFloat16Bits(float32Bits(sub * 0.75))).toBe(1);
    expect(float32BitsToFloat16Bits(1)).toBe(0); // smallest float32 subnormal
    expect(fromFloat16Bits(0x0001)).toBe(5.9604644775390625e-8);
    expect(fromFloat16Bits(0x8001)).toBe(-5.9604644775390625e-8);
    expect(fromFloat16Bits(0x7bff)).toBe(FLOAT16_MAX);
    expect(fromFloat16Bits(0x7c00)).toBe(Number.POSITIVE_INFINITY);
    expect(Object.is(fromFloat16Bits(0x8000), -0)).toBe(true);
  });

  it('agrees between the double path and the float32 path on random float32 values', () => {
    let seed = 12345;
    const next = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed;
    };
    for (let i = 0; i < 200_000; i++) {
      const bits = next();
      const x = new Float32Array(new Uint32Array([bits]).buffer)[0]!;
      if (Number.isNaN(x)) continue;
      if (toFloat16Bits(x) !== float32BitsToFloat16Bits(bits))
        throw new Error(`paths disagree at bits ${bits}`);
    }
    expect(roundToFloat16(0.1)).toBe(0.0999755859375);
  });

  it('agrees between the paths at every rounding boundary of every float32 binade', () => {
    // Every sign, exponent and top mantissa bits, the low 14 mantissa bits at the rounding boundaries of
    // normal halves (13 dropped bits) and subnormal ones (ties, just above and below).
    const lows = [0, 1, 0x0fff, 0x1000, 0x1001, 0x1fff, 0x2000, 0x2fff, 0x3000, 0x3001, 0x3fff];
    const u = new Uint32Array(1);
    const f = new Float32Array(u.buffer);
    let differ = 0;
    for (let hi = 0; hi < 2 ** 18; hi++)
      for (const lo of lows) {
        u[0] = ((hi << 14) | lo) >>> 0;
        const x = f[0] as number;
        const bits = toFloat16Bits(x);
        if (bits !== (Number.isNaN(x) ? 0x7e00 : float32BitsToFloat16Bits(u[0] as number))) differ++;
        if (!Object.is(roundToFloat16(x), fromFloat16Bits(bits))) differ++;
      }
    expect(differ).toBe(0);
  });

  it('rounds doubles between float32 values once, from the exact double', () => {
    // Just above and below a tie (not float32 values): the double decides, not a float32 rounding.
    expect(roundToFloat16(1 + 2 ** -11)).toBe(1);
    expect(roundToFloat16(1 + 2 ** -11 + 2 ** -40)).toBe(1 + 2 ** -10);
    expect(roundToFloat16(1 + 3 * 2 ** -11 - 2 ** -40)).toBe(1 + 2 ** -10);
    expect(roundToFloat16(2 - 2 ** -40)).toBe(2);
    expect(roundToFloat16(65519.99999)).toBe(65504);
    expect(roundToFloat16(2 ** -25)).toBe(0);
    expect(roundToFloat16(2 ** -25 + 2 ** -60)).toBe(2 ** -24);
    expect(Object.is(roundToFloat16(-(2 ** -26)), -0)).toBe(true);
    expect(toFloat16Bits(2 ** -14 - 2 ** -40)).toBe(0x0400);
  });

  it('converts arrays in bulk', () => {
    const src = new Float32Array([0.1, -2, 65520, 1e-8, Number.NaN]);
    const bits = toFloat16Array(src);
    expect(Array.from(bits)).toEqual([0x2e66, 0xc000, 0x7c00, 0x0000, 0x7e00]);
    expect(Array.from(toFloat16Array([0.1, -2]))).toEqual([0x2e66, 0xc000]);
    const back = fromFloat16Array(bits);
    expect(back[0]).toBe(Math.fround(0.0999755859375));
    expect(back[2]).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(back[4])).toBe(true);
    const inPlace = new Float32Array([0.1, 3]);
    roundFloat32ArrayToFloat16(inPlace, inPlace);
    expect(Array.from(inPlace)).toEqual([0.0999755859375, 3]);
    expect(() => toFloat16Array(src, new Uint16Array(2))).toThrow(/out has 2 elements but the source has 5/);
  });
});
