import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CounterRng, deriveStream, mulhi32, philox4x32, seedToKey, u32ToUniform } from './philox.ts';
import { COUNTER_RNG_GOLDEN, PHILOX_KNOWN_ANSWERS } from './vectors.ts';

/** Independent reference written with BigInt arithmetic straight from the Random123 definition. */
function philoxRef(ctr: readonly number[], key: readonly number[], rounds = 10): number[] {
  const M = 0xffffffffn;
  let [c0, c1, c2, c3] = ctr.map(BigInt) as [bigint, bigint, bigint, bigint];
  let [k0, k1] = key.map(BigInt) as [bigint, bigint];
  for (let r = 0; r < rounds; r++) {
    if (r > 0) {
      k0 = (k0 + 0x9e3779b9n) & M;
      k1 = (k1 + 0xbb67ae85n) & M;
    }
    const p0 = 0xd2511f53n * c0;
    const p1 = 0xcd9e8d57n * c2;
    [c0, c1, c2, c3] = [(p1 >> 32n) ^ c1 ^ k0, p1 & M, (p0 >> 32n) ^ c3 ^ k1, p0 & M];
  }
  return [c0, c1, c2, c3].map(Number);
}

const hex = (a: ArrayLike<number>) => Array.from(a, (x) => x.toString(16).padStart(8, '0')).join(' ');

describe('philox4x32-10', () => {
  it('reproduces the Random123 known-answer vectors', () => {
    expect(hex(philox4x32([0, 0, 0, 0], [0, 0]))).toBe('6627e8d5 e169c58d bc57ac4c 9b00dbd8');
    expect(hex(philox4x32([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff]))).toBe(
      '408f276d 41c83b0e a20bc7c6 6d5451fd',
    );
    expect(hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0]))).toBe(
      'd16cfe09 94fdcceb 5001e420 24126ea1',
    );
  });

  it('matches a BigInt reference for random counters, keys and round counts', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(
      fc.property(
        fc.array(u32, { minLength: 4, maxLength: 4 }),
        fc.array(u32, { minLength: 2, maxLength: 2 }),
        fc.integer({ min: 1, max: 12 }),
        (c, k, r) => {
          expect(Array.from(philox4x32(c, k, r))).toEqual(philoxRef(c, k, r));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('mulhi32 is the exact high word of the 64-bit product', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(
      fc.property(u32, u32, (a, b) => {
        expect(mulhi32(a, b)).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
      }),
      { numRuns: 2000 },
    );
    expect(mulhi32(0xffffffff, 0xffffffff)).toBe(0xfffffffe);
    expect(mulhi32(0x80000000, 2)).toBe(1);
  });

  it('validates its arguments and writes into out', () => {
    expect(() => philox4x32([0, 0, 0], [0, 0])).toThrow('philox4x32: counter must have 4 words, got 3');
    expect(() => philox4x32([0, 0, 0, 0], [0])).toThrow(/key must have 2 words/);
    expect(() => philox4x32([0, 0, 0, 0], [0, 0], 0)).toThrow(/rounds must be a positive integer/);
    const out = new Uint32Array(4);
    expect(philox4x32([1, 2, 3, 4], [5, 6], 10, out)).toBe(out);
    expect(Array.from(out)).toEqual(philoxRef([1, 2, 3, 4], [5, 6]));
  });
});

describe('CounterRng', () => {
  it('derives the key from the seed', () => {
    expect(seedToKey(0)).toEqual([0, 0]);
    expect(seedToKey(2 ** 32 + 5)).toEqual([5, 1]);
    expect(seedToKey(Number.MAX_SAFE_INTEGER)).toEqual([0xffffffff, 0x1fffff]);
    expect(seedToKey(0xfedcba9876543210n)).toEqual([0x76543210, 0xfedcba98]);
    expect(() => seedToKey(-1)).toThrow(/non-negative safe integer/);
    expect(() => seedToKey(1.5)).toThrow(/non-negative safe integer/);
    expect(() => seedToKey(1n << 64n)).toThrow(/must be in \[0, 2\^64\)/);
    expect(new CounterRng(7n).key).toEqual([7, 0]);
  });

  it('bits uses counter [block, step, stream, 0] and key [lo, hi]', () => {
    const rng = new CounterRng(2 ** 40 + 3);
    expect(Array.from(rng.bits(11, 22, 33))).toEqual(philoxRef([33, 22, 11, 0], [3, 256]));
    expect(() => rng.bits(-1, 0, 0)).toThrow('CounterRng: stream must be an integer in [0, 2^32), got -1');
    expect(() => rng.bits(0, 2 ** 32, 0)).toThrow(/step must be/);
    expect(() => rng.bits(0, 0, 0.5)).toThrow(/block must be/);
    expect(() => rng.uniform(0, 0, 0.5)).toThrow(/index must be/);
  });

  it('uniform, int, bernoulli and normal of element i read word i & 3 of block i >>> 2', () => {
    const rng = new CounterRng(42);
    for (let index = 0; index < 50; index++) {
      const x = philoxRef([index >>> 2, 9, 5, 0], [42, 0]);
      const w = x[index & 3]!;
      expect(rng.uniform(5, 9, index)).toBe((w >>> 8) / 2 ** 24);
      expect(rng.int(10, 5, 9, index)).toBe(Math.floor((w * 10) / 2 ** 32));
      expect(rng.int(0xffffffff, 5, 9, index)).toBe(Number((BigInt(w) * 0xffffffffn) >> 32n));
      expect(rng.bernoulli(0.3, 5, 9, index)).toBe((w >>> 8) / 2 ** 24 < 0.3);
      const j = index & 2;
      const u1 = ((x[j]! >>> 8) + 1) / 2 ** 24;
      const u2 = (x[j + 1]! >>> 8) / 2 ** 24;
      const trig = index % 2 === 0 ? Math.cos : Math.sin;
      expect(rng.normal(5, 9, index)).toBe(
        Math.fround(Math.sqrt(-2 * Math.log(u1)) * trig(2 * Math.PI * u2)),
      );
    }
    expect(u32ToUniform(0xffffffff)).toBe(1 - 2 ** -24);
    expect(u32ToUniform(0xffffffff)).toBe(Math.fround(u32ToUniform(0xffffffff)));
    expect(() => rng.int(0, 0, 0, 0)).toThrow(/n must be an integer in \[1, 2\^32\)/);
    expect(rng.bernoulli(0, 1, 2, 3)).toBe(false);
    expect(rng.bernoulli(1, 1, 2, 3)).toBe(true);
  });

  it('uses all four words of a block: elements 4b … 4b+3 are its words in order', () => {
    const rng = new CounterRng(7);
    const words = rng.fillBits(new Uint32Array(4 * 8), 3, 5, 0);
    for (let e = 0; e < 32; e++) expect(rng.uniform(3, 5, e)).toBe(u32ToUniform(words[e]!));
    // The normal of an even/odd pair is the cos/sin branch of one Box-Muller pair.
    for (let e = 0; e < 32; e += 2) {
      const [a, b] = [rng.normal(3, 5, e), rng.normal(3, 5, e + 1)];
      const j = e & 3;
      const r2 = -2 * Math.log(((words[(e & ~3) + j]! >>> 8) + 1) / 2 ** 24);
      expect(a * a + b * b).toBeCloseTo(r2, 5);
    }
  });

  it('is a pure function of (seed, stream, step, index), whatever the call order', () => {
    const a = new CounterRng(1234);
    const b = new CounterRng(1234);
    const x = a.uniform(1, 2, 3);
    a.fillUniform(new Float32Array(100), 1, 2);
    expect(b.uniform(1, 2, 3)).toBe(x);
    expect(a.uniform(1, 2, 3)).toBe(x);
    expect(new CounterRng(1235).uniform(1, 2, 3)).not.toBe(x);
    expect(a.uniform(1, 2, 4)).not.toBe(x);
    expect(a.uniform(1, 3, 3)).not.toBe(x);
    expect(a.uniform(2, 2, 3)).not.toBe(x);
    // The kept block never leaks into another (stream, step, block): interleaved and sequential agree.
    const order = fc.sample(fc.tuple(fc.nat(3), fc.nat(3), fc.nat(40)), 300);
    const fresh = (s: number, t: number, i: number) => new CounterRng(1234).uniform(s, t, i);
    for (const [s, t, i] of order) expect(a.uniform(s, t, i)).toBe(fresh(s, t, i));
  });

  it('bulk fillers equal the per-element draws at index offset + i', () => {
    const rng = new CounterRng(99);
    const n = 37;
    for (const off of [1000, 1001, 1003]) {
      const u = rng.fillUniform(new Float32Array(n), 4, 8, off);
      const z = rng.fillNormal(new Float32Array(n), 4, 8, off);
      const b = rng.fillBernoulli(new Uint8Array(n), 0.25, 4, 8, off);
      const k = rng.fillInt(new Uint32Array(n), 6, 4, 8, off);
      const other = new CounterRng(99);
      for (let i = 0; i < n; i++) {
        expect(u[i]).toBe(other.uniform(4, 8, off + i));
        expect(z[i]).toBe(other.normal(4, 8, off + i));
        expect(b[i]).toBe(other.bernoulli(0.25, 4, 8, off + i) ? 1 : 0);
        expect(k[i]).toBe(other.int(6, 4, 8, off + i));
      }
    }
    const bits = rng.fillBits(new Uint32Array(4 * n), 4, 8, 250);
    for (let i = 0; i < n; i++) {
      expect(Array.from(bits.subarray(4 * i, 4 * i + 4))).toEqual(Array.from(rng.bits(4, 8, 250 + i)));
    }
    expect(() => rng.fillUniform(new Float32Array(2), 0, 0, 0xffffffff)).toThrow(/last index/);
    expect(() => rng.fillBits(new Uint32Array(3), 0, 0)).toThrow(/multiple of 4/);
  });

  it('draws have the right statistics', () => {
    const rng = new CounterRng(2024);
    const n = 200_000;
    const u = rng.fillUniform(new Float32Array(n), 1, 0);
    const z = rng.fillNormal(new Float32Array(n), 2, 0);
    let su = 0;
    let sz = 0;
    let szz = 0;
    let umin = 1;
    let umax = 0;
    for (let i = 0; i < n; i++) {
      su += u[i]!;
      sz += z[i]!;
      szz += z[i]! * z[i]!;
      umin = Math.min(umin, u[i]!);
      umax = Math.max(umax, u[i]!);
    }
    expect(Math.abs(su / n - 0.5)).toBeLessThan(0.005); // sd of the mean ≈ 0.00065
    expect(umin).toBeGreaterThanOrEqual(0);
    expect(umax).toBeLessThan(1);
    expect(Math.abs(sz / n)).toBeLessThan(0.01);
    expect(Math.abs(szz / n - 1)).toBeLessThan(0.02);
    const counts = new Array<number>(6).fill(0);
    const k = rng.fillInt(new Uint32Array(60_000), 6, 3, 0);
    for (const v of k) counts[v] = counts[v]! + 1;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    const bern = rng.fillBernoulli(new Uint8Array(100_000), 0.1, 4, 0);
    const ones = bern.reduce((s, v) => s + v, 0);
    expect(Math.abs(ones - 10_000)).toBeLessThan(500);
  });

  it('permutation is Fisher-Yates driven by int(i + 1, stream, step, i)', () => {
    const rng = new CounterRng(5);
    const p = rng.permutation(50, 7, 1);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    // reference shuffle written independently
    const ref = Array.from({ length: 50 }, (_, i) => i);
    for (let i = 49; i >= 1; i--) {
      const j = rng.int(i + 1, 7, 1, i);
      [ref[i], ref[j]] = [ref[j]!, ref[i]!];
    }
    expect(Array.from(p)).toEqual(ref);
    expect(Array.from(rng.permutation(50, 7, 1))).toEqual(ref);
    expect(Array.from(rng.permutation(50, 7, 2))).not.toEqual(ref);
    expect(Array.from(rng.permutation(0, 7, 1))).toEqual([]);
    expect(Array.from(rng.permutation(1, 7, 1))).toEqual([0]);
  });
});

describe('deriveStream', () => {
  it('is FNV-1a 32 of the UTF-8 bytes', () => {
    expect(deriveStream('')).toBe(0x811c9dc5);
    expect(deriveStream('a')).toBe(0xe40c292c);
    expect(deriveStream('foobar')).toBe(0xbf9cf968);
    expect(deriveStream('A_excitatory/soma')).not.toBe(deriveStream('A_inhibitory/soma'));
    expect(deriveStream('µ')).toBe(
      Math.imul(Math.imul(0x811c9dc5 ^ 0xc2, 0x01000193) ^ 0xb5, 0x01000193) >>> 0,
    );
  });
});

describe('shared vectors', () => {
  it('PHILOX_KNOWN_ANSWERS hold for philox4x32 and the BigInt reference', () => {
    expect(PHILOX_KNOWN_ANSWERS).toHaveLength(3);
    for (const v of PHILOX_KNOWN_ANSWERS) {
      expect(Array.from(philox4x32(v.counter, v.key, v.rounds))).toEqual(v.output);
      expect(philoxRef(v.counter, v.key, v.rounds)).toEqual(v.output);
    }
  });

  it('COUNTER_RNG_GOLDEN matches CounterRng and the reference layout', () => {
    const g = COUNTER_RNG_GOLDEN;
    const rng = new CounterRng(g.seed);
    expect(deriveStream(g.streamName)).toBe(g.stream);
    for (const d of g.draws) {
      expect(philoxRef([d.index >>> 2, d.step, g.stream, 0], [0x456789ab, 0x123])).toEqual(d.bits);
      expect(Array.from(rng.bits(g.stream, d.step, d.index >>> 2))).toEqual(d.bits);
      expect(rng.uniform(g.stream, d.step, d.index)).toBe(d.uniform);
      expect(rng.int(10, g.stream, d.step, d.index)).toBe(d.int10);
      expect(rng.normal(g.stream, d.step, d.index)).toBe(d.normal);
    }
    expect(Array.from(rng.permutation(10, g.stream, 3))).toEqual(g.permutation10step3);
  });
});
