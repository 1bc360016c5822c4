/**
 * NumPy `.npy` (format 1.0) and `.npz` (an uncompressed ZIP of `.npy` members) writers, so
 * recordings open with `numpy.load` without any conversion.
 *
 * @module
 */
import { crc32 } from './crc32.ts';

/** Array element types written by {@link encodeNpy}. */
export type NpyData = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

function descr(data: NpyData): string {
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof Uint32Array) return '<u4';
  return '|u1';
}

/**
 * Encodes an array as NPY 1.0: magic `\x93NUMPY`, version 1.0, a little-endian uint16 header length,
 * the header dict padded with spaces to a multiple of 64 bytes and ending in `\n`, then the data in
 * C order (little-endian).
 */
export function encodeNpy(data: NpyData, shape: readonly number[]): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length)
    throw new Error(`shape [${shape.join(', ')}] has ${size} elements, the data ${data.length}`);
  const head = encodeNpyHeader(data, shape);
  const out = new Uint8Array(head.length + data.byteLength);
  out.set(head, 0);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), head.length);
  return out;
}

/**
 * The NPY 1.0 header (magic, version, length, padded dict) of an array of `shape` whose elements
 * have the type of `like`; the C-order little-endian data follows it. Lets a writer stream the data
 * of a large array in chunks after the header.
 */
export function encodeNpyHeader(like: NpyData, shape: readonly number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr(like)}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const headerBytes = new TextEncoder().encode(header);
  const out = new Uint8Array(10 + headerBytes.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, headerBytes.length, true);
  out.set(headerBytes, 10);
  // Typed arrays are little-endian on every platform JavaScript runs on in practice; check anyway.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1)
    throw new Error('big-endian hosts are not supported');
  return out;
}

/** Parses an NPY file (versions 1–3, `<f4`, `<f8`, `<i4`, `<u4`, `<i8`, `|u1`, `|b1`, C order) into float64 values. */
export function decodeNpy(bytes: Uint8Array): { shape: number[]; data: Float64Array; descr: string } {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b))
    throw new Error('not an NPY file (bad magic)');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const d = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!d || !fortran || shapeText === undefined) throw new Error('malformed NPY header');
  if (fortran === 'True') throw new Error('Fortran-ordered arrays are not supported');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const size = shape.reduce((a, b) => a * b, 1);
  const off = start + headerLen;
  const itemSize: Record<string, number> = {
    '<f4': 4,
    '<f8': 8,
    '<i4': 4,
    '<u4': 4,
    '|u1': 1,
    '|b1': 1,
    '<i8': 8,
  };
  const isz = itemSize[d];
  if (isz === undefined)
    throw new Error(`unsupported dtype ${d} (expected <f4, <f8, <i4, <u4, <i8, |u1 or |b1)`);
  if (bytes.length < off + size * isz) throw new Error(`truncated NPY data: expected ${size * isz} bytes`);
  const data = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const p = off + i * isz;
    data[i] =
      d === '<f4'
        ? view.getFloat32(p, true)
        : d === '<f8'
          ? view.getFloat64(p, true)
          : d === '<i4'
            ? view.getInt32(p, true)
            : d === '<u4'
              ? view.getUint32(p, true)
              : d === '<i8'
                ? Number(view.getBigInt64(p, true))
                : view.getUint8(p);
  }
  return { shape, data, descr: d };
}

/** An NPZ archive (ZIP, stored entries) of `name.npy` members, as `numpy.savez` writes. */
export function encodeNpz(
  arrays: Readonly<Record<string, { data: NpyData; shape: readonly number[] }>>,
): Uint8Array {
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(arrays)) {
    const fileName = enc.encode(`${name}.npy`);
    const body = encodeNpy(a.data, a.shape);
    const crc = crc32(body);
    const local = new Uint8Array(30 + fileName.length + body.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true); // version needed
    lv.setUint16(6, 0, true); // flags
    lv.setUint16(8, 0, true); // stored
    lv.setUint16(10, 0, true); // time
    lv.setUint16(12, 0x21, true); // date 1980-01-01
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, body.length, true);
    lv.setUint16(26, fileName.length, true);
    lv.setUint16(28, 0, true);
    local.set(fileName, 30);
    local.set(body, 30 + fileName.length);
    const central = new Uint8Array(46 + fileName.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0, true);
    cv.setUint16(10, 0, true);
    cv.setUint16(12, 0, true);
    cv.setUint16(14, 0x21, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, body.length, true);
    cv.setUint16(28, fileName.length, true);
    cv.setUint32(42, offset, true);
    central.set(fileName, 46);
    locals.push(local);
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
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}
