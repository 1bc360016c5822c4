import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, encodeNpz } from './npy.ts';

describe('encodeNpy', () => {
  it('writes the NPY 1.0 header numpy expects, padded to 64 bytes', () => {
    const bytes = encodeNpy(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect([...bytes.subarray(0, 8)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLen = bytes[8]! | (bytes[9]! << 8);
    expect((10 + headerLen) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
    expect(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")).toBe(true);
    expect(header.endsWith('\n')).toBe(true);
    expect(bytes.length).toBe(10 + headerLen + 24);
    expect(Array.from(new Float32Array(bytes.slice(10 + headerLen).buffer))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('writes 1-D shapes as (n,) and round-trips through decodeNpy', () => {
    const bytes = encodeNpy(new Float64Array([0.5, -1]), [2]);
    expect(new TextDecoder().decode(bytes.subarray(10, 70))).toContain("'shape': (2,)");
    expect(decodeNpy(bytes)).toEqual({ shape: [2], data: new Float64Array([0.5, -1]), descr: '<f8' });
    expect(decodeNpy(encodeNpy(new Int32Array([7, -8, 9]), [3, 1])).data).toEqual(
      new Float64Array([7, -8, 9]),
    );
  });

  it('rejects a shape that does not match the data', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow('shape [2, 3] has 6 elements, the data 5');
  });

  it('decodeNpy rejects other files', () => {
    expect(() => decodeNpy(new TextEncoder().encode('hello, world'))).toThrow('not an NPY file');
  });
});

describe('encodeNpz', () => {
  it('writes a ZIP with one stored .npy member per array and a valid end record', () => {
    const zip = encodeNpz({
      a: { data: new Float32Array([1, 2]), shape: [2] },
      'pool.spikes': { data: new Float32Array([0, 1, 1, 0]), shape: [2, 2] },
    });
    const view = new DataView(zip.buffer);
    expect(view.getUint32(0, true)).toBe(0x04034b50);
    const end = zip.length - 22;
    expect(view.getUint32(end, true)).toBe(0x06054b50);
    expect(view.getUint16(end + 10, true)).toBe(2);
    const cdOffset = view.getUint32(end + 16, true);
    expect(view.getUint32(cdOffset, true)).toBe(0x02014b50);
    const text = new TextDecoder('latin1').decode(zip);
    expect(text).toContain('a.npy');
    expect(text).toContain('pool.spikes.npy');
    // the CRC-32 of the first member (stored) matches a reference implementation
    const nameLen = view.getUint16(26, true);
    const size = view.getUint32(18, true);
    const body = zip.subarray(30 + nameLen, 30 + nameLen + size);
    expect(view.getUint32(14, true)).toBe(crc32Reference(body));
  });
});

function crc32Reference(bytes: Uint8Array): number {
  let crc = ~0;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}
