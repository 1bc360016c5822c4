import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, crc64, isXz, XzError, xzCompress, xzDecompress } from './xz.ts';

const ascii = (s: string) => new TextEncoder().encode(s);
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
      expect(xzDecompress(xz)).toEqual(data);
    }
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
    const xz = xzCompress(ascii('{"__type__": "brain_config"}'.repeat(20)));
    fc.assert(
      fc.property(fc.nat(xz.length - 1), fc.integer({ min: 1, max: 255 }), (pos, x) => {
        const bad = xz.slice();
        bad[pos] = bad[pos]! ^ x;
        try {
          xzDecompress(bad);
          // a flip inside the uncompressed payload is caught by CRC64, elsewhere by CRC32
          throw new Error('corruption was not detected');
        } catch (e) {
          expect(e).toBeInstanceOf(XzError);
        }
      }),
      { numRuns: 300 },
    );
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
