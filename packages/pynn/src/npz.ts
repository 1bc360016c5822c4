/**
 * A minimal `.npz` writer: a ZIP archive of stored (uncompressed) NPY 1.0 members, the layout
 * `numpy.savez` writes, so the generated script reads it with `numpy.load`.
 *
 * @module
 */
import { crc32 } from '@spark-snn/config';

/** Arrays an npz member can hold. */
export type NpzArray = Float64Array | Uint32Array;

/** One NPY 1.0 file: magic, version, header dict padded to 64 bytes, little-endian C-order data. */
export function encodeNpy(data: NpzArray): Uint8Array {
  const descr = data instanceof Float64Array ? '<f8' : '<u4';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${data.length},), }`;
  header += `${' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64)}\n`;
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(10 + h.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, h.length, true);
  out.set(h, 10);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1)
    throw new Error('big-endian hosts are not supported');
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + h.length);
  return out;
}

/** An npz archive of 1-D arrays by name (member `name.npy`). */
export function writeNpz(arrays: ReadonlyMap<string, NpzArray>): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of arrays) {
    const file = enc.encode(`${name}.npy`);
    const body = encodeNpy(data);
    const crc = crc32(body);
    const local = new Uint8Array(30 + file.length + body.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true); // version needed
    lv.setUint16(12, 0x21, true); // date 1980-01-01, method 0 = stored
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, body.length, true);
    lv.setUint16(26, file.length, true);
    local.set(file, 30);
    local.set(body, 30 + file.length);
    const central = new Uint8Array(46 + file.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(14, 0x21, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, body.length, true);
    cv.setUint16(28, file.length, true);
    cv.setUint32(42, offset, true);
    central.set(file, 46);
    parts.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const centralSize = centrals.reduce((a, c) => a + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, centrals.length, true);
  ev.setUint16(10, centrals.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + centralSize + 22);
  let p = 0;
  for (const part of [...parts, ...centrals, end]) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}
