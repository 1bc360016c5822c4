import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, crc64, isXz, XzError, xzCompress, xzDecompress } from './xz.ts';

const ascii = (s: string) => new TextEncoder().encode(s);
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

describe('checksums', () => {
  it('CRC32 and CRC64/XZ of "123456789" match the catalogue check values', () => {
    expect(crc32(ascii('123456789')).toString(16)).toBe('cbf43926');
    // 0x995DC9BBDF1939FA stored little-endian
    expect(hex(crc64(ascii('123456789')))).toBe('fa3919dfbbc95d99');
  });
});

describe('xzCompress / xzDecompress', () => {
  it('round-trips edge sizes around the 64 KiB chunk limit', () => {
    for (const n of [0, 1, 2, 65535, 65536, 65537, 131072, 150000]) {
      const data = new Uint8Array(n).map((_, i) => (i * 31) & 0xff);
      const xz = xzCompress(data);
      expect(isXz(xz)).toBe(true);
      expect(same(xzDecompress(xz), data)).toBe(true);
      expect(same(xzDecompress(xzCompress(data, { level: 0 })), data)).toBe(true);
    }
  });

  it('compresses repetitive data and round-trips it at both levels (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...ascii('{"a": 1.0, [ ]}\n    ')), { maxLength: 20000 }),
        fc.constantFrom(0 as const, 1 as const),
        (bytes, level) => {
          const data = new Uint8Array(bytes);
          const xz = xzCompress(data, { level });
          expect(same(xzDecompress(xz), data)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
    const json = ascii(
      JSON.stringify(
        { modules: Array.from({ length: 500 }, (_, i) => ({ name: `m${i}`, tau: 20.0, seed: i * 7919 })) },
        null,
        4,
      ),
    );
    const small = xzCompress(json);
    expect(small.length).toBeLessThan(json.length / 8);
    expect(same(xzDecompress(small), json)).toBe(true);
    expect(xzCompress(json, { level: 0 }).length).toBeGreaterThan(json.length);
  });

  it('round-trips random data (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (data) => {
        expect(xzDecompress(xzCompress(data))).toEqual(data);
      }),
      { numRuns: 100 },
    );
  });

  it('enforces the output limit', () => {
    const xz = xzCompress(new Uint8Array(10000));
    expect(() => xzDecompress(xz, { maxOutputBytes: 9999 })).toThrow(XzError);
    expect(xzDecompress(xz, { maxOutputBytes: 10000 }).length).toBe(10000);
  });

  it('detects corruption of every kind as XzError, never another exception', () => {
    const text = ascii('{"__type__": "brain_config", "seed": 1805829445}'.repeat(20));
    for (const level of [0, 1] as const) {
      const xz = xzCompress(text, { level });
      fc.assert(
        fc.property(fc.nat(xz.length - 1), fc.integer({ min: 1, max: 255 }), (pos, x) => {
          const bad = xz.slice();
          bad[pos] = bad[pos]! ^ x;
          let out: Uint8Array;
          try {
            out = xzDecompress(bad);
          } catch (e) {
            expect(e).toBeInstanceOf(XzError);
            return;
          }
          // a flip in the range coder's final flush bytes can leave the data intact: never wrong data
          expect(level).toBe(1);
          expect(same(out, text)).toBe(true);
        }),
        { numRuns: 300 },
      );
    }
  });

  it('never throws anything but XzError on random bytes behind the magic', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (tail) => {
        const data = new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, ...tail]);
        try {
          xzDecompress(data);
        } catch (e) {
          expect(e).toBeInstanceOf(XzError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
