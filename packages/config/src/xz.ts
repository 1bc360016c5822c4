/**
 * A small, dependency-free XZ codec (the container Spark's `.scfg` files use).
 *
 * * {@link xzDecompress} reads any single- or multi-stream `.xz` file whose blocks use the LZMA2
 *   filter alone (what Python's `lzma` module and `xz` write by default), verifies every CRC32,
 *   CRC64 and SHA-less check, and never produces more than `maxOutputBytes` bytes.
 * * {@link xzCompress} writes a valid XZ stream with CRC64 check: LZMA2 compressed by a small
 *   greedy encoder (`lzma-encoder.ts`), or stored uncompressed chunks (`level: 0`). Every XZ reader
 *   (Python's `lzma`, `xz`, Spark's `from_file`) accepts both.
 *
 * Pure TypeScript with no platform imports, so it runs in browsers, Deno and Node alike.
 *
 * @module
 */

import { lzma2Encode } from './lzma-encoder.ts';

/** Thrown for malformed, truncated or oversized XZ input. */
export class XzError extends Error {
  override name = 'XzError';
}

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] as const;

/** True when `bytes` starts with the XZ magic `FD 37 7A 58 5A 00`. */
export function isXz(bytes: Uint8Array): boolean {
  if (bytes.length < 6) return false;
  for (let i = 0; i < 6; i++) if (bytes[i] !== XZ_MAGIC[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// CRC32 (IEEE, reflected) and CRC64 (ECMA-182, reflected — the xz check)
// ---------------------------------------------------------------------------------------------

import { crc32 } from '@spark-snn/core';

/** CRC-32 (IEEE 802.3) of `data` (re-exported from `@spark-snn/core`). */
export { crc32 };

const CRC64_TABLES = /* @__PURE__ */ (() => {
  const lo = new Uint32Array(256);
  const hi = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let l = i;
    let h = 0;
    for (let k = 0; k < 8; k++) {
      const odd = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h = h >>> 1;
      if (odd) {
        l = (l ^ 0xd7870f42) >>> 0;
        h = (h ^ 0xc96c5795) >>> 0;
      }
    }
    lo[i] = l;
    hi[i] = h;
  }
  return { lo, hi };
})();

/** CRC-64/XZ of `data`, returned as 8 little-endian bytes (the order xz stores it in). */
export function crc64(data: Uint8Array, start = 0, end = data.length): Uint8Array {
  const { lo: TL, hi: TH } = CRC64_TABLES;
  let l = 0xffffffff;
  let h = 0xffffffff;
  for (let i = start; i < end; i++) {
    const idx = (l ^ data[i]!) & 0xff;
    l = (((l >>> 8) | (h << 24)) ^ TL[idx]!) >>> 0;
    h = ((h >>> 8) ^ TH[idx]!) >>> 0;
  }
  l = (l ^ 0xffffffff) >>> 0;
  h = (h ^ 0xffffffff) >>> 0;
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setUint32(0, l, true);
  v.setUint32(4, h, true);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Growable output buffer with a hard limit
// ---------------------------------------------------------------------------------------------

class Output {
  buf: Uint8Array;
  pos = 0;
  readonly limit: number;
  constructor(initial: number, limit: number) {
    this.limit = limit;
    this.buf = new Uint8Array(Math.max(16, Math.min(initial, limit)));
  }
  ensure(extra: number): void {
    const need = this.pos + extra;
    if (need > this.limit) {
      throw new XzError(`decompressed data exceeds the limit of ${this.limit} bytes`);
    }
    if (need <= this.buf.length) return;
    let size = this.buf.length;
    while (size < need) size *= 2;
    const next = new Uint8Array(Math.min(size, this.limit));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
}

// ---------------------------------------------------------------------------------------------
// LZMA decoder (LZMA2 flavour: no end marker, lc + lp <= 4, range coder reset per chunk)
// ---------------------------------------------------------------------------------------------

const N_STATES = 12;
const POS_STATES_MAX = 16;
const LEN_LOW = 8;
const LEN_MID = 8;
const LEN_HIGH = 256;

class LenDecoder {
  choice = new Uint16Array(2);
  low = new Uint16Array(POS_STATES_MAX * LEN_LOW);
  mid = new Uint16Array(POS_STATES_MAX * LEN_MID);
  high = new Uint16Array(LEN_HIGH);
  reset(): void {
    this.choice.fill(1024);
    this.low.fill(1024);
    this.mid.fill(1024);
    this.high.fill(1024);
  }
}

class LzmaState {
  lc = 0;
  lp = 0;
  pb = 0;
  literal = new Uint16Array(0x300 << 4);
  isMatch = new Uint16Array(N_STATES << 4);
  isRep = new Uint16Array(N_STATES);
  isRepG0 = new Uint16Array(N_STATES);
  isRepG1 = new Uint16Array(N_STATES);
  isRepG2 = new Uint16Array(N_STATES);
  isRep0Long = new Uint16Array(N_STATES << 4);
  posSlot = new Uint16Array(4 << 6);
  specPos = new Uint16Array(114);
  align = new Uint16Array(16);
  lenDec = new LenDecoder();
  repLenDec = new LenDecoder();
  state = 0;
  rep0 = 0;
  rep1 = 0;
  rep2 = 0;
  rep3 = 0;

  setProps(props: number): void {
    if (props > 224) throw new XzError('invalid LZMA properties byte');
    this.lc = props % 9;
    const rest = Math.floor(props / 9);
    this.lp = rest % 5;
    this.pb = Math.floor(rest / 5);
    if (this.lc + this.lp > 4) throw new XzError('invalid LZMA2 properties: lc + lp > 4');
  }

  reset(): void {
    this.literal.fill(1024);
    this.isMatch.fill(1024);
    this.isRep.fill(1024);
    this.isRepG0.fill(1024);
    this.isRepG1.fill(1024);
    this.isRepG2.fill(1024);
    this.isRep0Long.fill(1024);
    this.posSlot.fill(1024);
    this.specPos.fill(1024);
    this.align.fill(1024);
    this.lenDec.reset();
    this.repLenDec.reset();
    this.state = 0;
    this.rep0 = this.rep1 = this.rep2 = this.rep3 = 0;
  }
}

class RangeDecoder {
  range = 0xffffffff;
  code = 0;
  pos: number;
  readonly input: Uint8Array;
  readonly end: number;
  constructor(input: Uint8Array, start: number, end: number) {
    this.input = input;
    this.end = end;
    if (end - start < 5) throw new XzError('truncated LZMA chunk');
    if (input[start] !== 0) throw new XzError('corrupt LZMA chunk (first range-coder byte is not 0)');
    this.pos = start + 1;
    for (let i = 0; i < 4; i++) this.code = ((this.code << 8) | input[this.pos++]!) >>> 0;
    if (this.code === 0xffffffff) throw new XzError('corrupt LZMA chunk');
  }
  private next(): number {
    if (this.pos >= this.end) throw new XzError('truncated LZMA chunk');
    return this.input[this.pos++]!;
  }
  bit(probs: Uint16Array, i: number): number {
    const p = probs[i]!;
    const bound = (this.range >>> 11) * p;
    let b: number;
    if (this.code < bound) {
      this.range = bound;
      probs[i] = p + ((2048 - p) >>> 5);
      b = 0;
    } else {
      this.range -= bound;
      this.code -= bound;
      probs[i] = p - (p >>> 5);
      b = 1;
    }
    if (this.range < 0x1000000) {
      this.range = (this.range * 256) >>> 0;
      this.code = ((this.code * 256) | this.next()) >>> 0;
    }
    return b;
  }
  tree(probs: Uint16Array, offset: number, bits: number): number {
    let m = 1;
    for (let i = 0; i < bits; i++) m = (m << 1) | this.bit(probs, offset + m);
    return m - (1 << bits);
  }
  reverseTree(probs: Uint16Array, offset: number, bits: number): number {
    let m = 1;
    let r = 0;
    for (let i = 0; i < bits; i++) {
      const b = this.bit(probs, offset + m);
      m = (m << 1) | b;
      r |= b << i;
    }
    return r;
  }
  direct(bits: number): number {
    let r = 0;
    for (let i = 0; i < bits; i++) {
      this.range = this.range >>> 1;
      let b = 0;
      if (this.code >= this.range) {
        this.code -= this.range;
        b = 1;
      }
      r = r * 2 + b;
      if (this.range < 0x1000000) {
        this.range = (this.range * 256) >>> 0;
        this.code = ((this.code * 256) | this.next()) >>> 0;
      }
    }
    return r;
  }
}

function decodeLen(rc: RangeDecoder, d: LenDecoder, posState: number): number {
  if (rc.bit(d.choice, 0) === 0) return rc.tree(d.low, posState * LEN_LOW, 3);
  if (rc.bit(d.choice, 1) === 0) return 8 + rc.tree(d.mid, posState * LEN_MID, 3);
  return 16 + rc.tree(d.high, 0, 8);
}

function decodeLzmaChunk(
  s: LzmaState,
  input: Uint8Array,
  start: number,
  packed: number,
  out: Output,
  unpacked: number,
  dictStart: number,
): void {
  const rc = new RangeDecoder(input, start, start + packed);
  out.ensure(unpacked);
  const buf = out.buf;
  const end = out.pos + unpacked;
  const lc = s.lc;
  const lpMask = (1 << s.lp) - 1;
  const pbMask = (1 << s.pb) - 1;
  let pos = out.pos;
  let state = s.state;
  while (pos < end) {
    // positions count from the last dictionary reset (xz's dict.pos)
    const posState = (pos - dictStart) & pbMask;
    if (rc.bit(s.isMatch, (state << 4) + posState) === 0) {
      const prev = pos > dictStart ? buf[pos - 1]! : 0;
      const base = 0x300 * ((((pos - dictStart) & lpMask) << lc) + (prev >>> (8 - lc)));
      let sym = 1;
      if (state >= 7) {
        const d = pos - s.rep0 - 1;
        if (d < dictStart) throw new XzError('corrupt LZMA data (distance beyond dictionary)');
        let matchByte = buf[d]!;
        while (sym < 0x100) {
          const matchBit = (matchByte >>> 7) & 1;
          matchByte = (matchByte << 1) & 0xff;
          const b = rc.bit(s.literal, base + ((1 + matchBit) << 8) + sym);
          sym = (sym << 1) | b;
          if (matchBit !== b) break;
        }
      }
      while (sym < 0x100) sym = (sym << 1) | rc.bit(s.literal, base + sym);
      buf[pos++] = sym & 0xff;
      state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      continue;
    }
    let len: number;
    if (rc.bit(s.isRep, state) === 0) {
      s.rep3 = s.rep2;
      s.rep2 = s.rep1;
      s.rep1 = s.rep0;
      len = decodeLen(rc, s.lenDec, posState);
      state = state < 7 ? 7 : 10;
      const lenState = Math.min(len, 3);
      const slot = rc.tree(s.posSlot, lenState << 6, 6);
      let dist: number;
      if (slot < 4) dist = slot;
      else {
        const nDirect = (slot >>> 1) - 1;
        dist = (2 | (slot & 1)) * 2 ** nDirect;
        if (slot < 14) dist += rc.reverseTree(s.specPos, dist - slot - 1, nDirect);
        else {
          dist += rc.direct(nDirect - 4) * 16;
          dist += rc.reverseTree(s.align, 0, 4);
        }
      }
      if (dist >= 0xffffffff) throw new XzError('unexpected LZMA end marker inside LZMA2 data');
      s.rep0 = dist;
    } else {
      if (rc.bit(s.isRepG0, state) === 0) {
        if (rc.bit(s.isRep0Long, (state << 4) + posState) === 0) {
          state = state < 7 ? 9 : 11;
          const d = pos - s.rep0 - 1;
          if (d < dictStart) throw new XzError('corrupt LZMA data (distance beyond dictionary)');
          buf[pos] = buf[d]!;
          pos++;
          continue;
        }
      } else {
        let dist: number;
        if (rc.bit(s.isRepG1, state) === 0) dist = s.rep1;
        else {
          if (rc.bit(s.isRepG2, state) === 0) dist = s.rep2;
          else {
            dist = s.rep3;
            s.rep3 = s.rep2;
          }
          s.rep2 = s.rep1;
        }
        s.rep1 = s.rep0;
        s.rep0 = dist;
      }
      len = decodeLen(rc, s.repLenDec, posState);
      state = state < 7 ? 8 : 11;
    }
    len += 2;
    const from = pos - s.rep0 - 1;
    if (from < dictStart) throw new XzError('corrupt LZMA data (distance beyond dictionary)');
    if (pos + len > end) throw new XzError('corrupt LZMA2 chunk (match crosses the chunk end)');
    for (let i = 0; i < len; i++) buf[pos + i] = buf[from + i]!;
    pos += len;
  }
  s.state = state;
  out.pos = pos;
  if (rc.pos !== start + packed) throw new XzError('corrupt LZMA2 chunk (packed size mismatch)');
}

/** Decodes raw LZMA2 data starting at `start`; returns the index just past the end marker. */
function decodeLzma2(input: Uint8Array, start: number, out: Output): number {
  const s = new LzmaState();
  let p = start;
  let dictStart = out.pos;
  let needDictReset = true;
  let haveProps = false;
  for (;;) {
    if (p >= input.length) throw new XzError('truncated LZMA2 data');
    const c = input[p++]!;
    if (c === 0x00) return p;
    if (c === 0x01 || c === 0x02) {
      if (c === 0x01) {
        dictStart = out.pos;
        needDictReset = false;
      } else if (needDictReset) throw new XzError('corrupt LZMA2 data (missing dictionary reset)');
      if (p + 2 > input.length) throw new XzError('truncated LZMA2 data');
      const size = ((input[p]! << 8) | input[p + 1]!) + 1;
      p += 2;
      if (p + size > input.length) throw new XzError('truncated LZMA2 data');
      out.ensure(size);
      out.buf.set(input.subarray(p, p + size), out.pos);
      out.pos += size;
      p += size;
      continue;
    }
    if (c < 0x80) throw new XzError(`corrupt LZMA2 data (invalid control byte 0x${c.toString(16)})`);
    if (p + 4 > input.length) throw new XzError('truncated LZMA2 data');
    const unpacked = ((c & 0x1f) << 16) + ((input[p]! << 8) | input[p + 1]!) + 1;
    const packed = ((input[p + 2]! << 8) | input[p + 3]!) + 1;
    p += 4;
    const mode = (c >>> 5) & 3;
    if (mode === 3) {
      dictStart = out.pos;
      needDictReset = false;
    } else if (needDictReset) throw new XzError('corrupt LZMA2 data (missing dictionary reset)');
    if (mode >= 2) {
      if (p >= input.length) throw new XzError('truncated LZMA2 data');
      s.setProps(input[p++]!);
      haveProps = true;
    } else if (!haveProps) throw new XzError('corrupt LZMA2 data (missing properties)');
    if (mode >= 1) s.reset();
    if (p + packed > input.length) throw new XzError('truncated LZMA2 data');
    decodeLzmaChunk(s, input, p, packed, out, unpacked, dictStart);
    p += packed;
  }
}

// ---------------------------------------------------------------------------------------------
// XZ container
// ---------------------------------------------------------------------------------------------

function readVarint(input: Uint8Array, p: number, end: number): [number, number] {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 9; i++) {
    if (p >= end) throw new XzError('truncated XZ header');
    const b = input[p++]!;
    v += (b & 0x7f) * mul;
    mul *= 128;
    if ((b & 0x80) === 0) {
      if (b === 0 && i > 0) throw new XzError('corrupt XZ varint');
      return [v, p];
    }
  }
  throw new XzError('corrupt XZ varint');
}

function u32le(input: Uint8Array, p: number): number {
  return (input[p]! | (input[p + 1]! << 8) | (input[p + 2]! << 16) | (input[p + 3]! << 24)) >>> 0;
}

const CHECK_SIZES: Record<number, number> = { 0: 0, 1: 4, 4: 8, 10: 32 };

/** Options of {@link xzDecompress}. */
export interface XzDecompressOptions {
  /** Upper bound on the decompressed size in bytes (default 256 MiB). */
  maxOutputBytes?: number;
}

/** Default limit on decompressed data: 256 MiB. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

/**
 * Decompresses an `.xz` file. Throws {@link XzError} on malformed input, unsupported filters,
 * failed integrity checks, or output larger than `maxOutputBytes`.
 */
export function xzDecompress(input: Uint8Array, options: XzDecompressOptions = {}): Uint8Array {
  const limit = options.maxOutputBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const out = new Output(Math.min(input.length * 8, 1 << 20), limit);
  let p = 0;
  let streams = 0;
  while (p < input.length) {
    if (streams > 0) {
      // stream padding: groups of 4 zero bytes
      while (p + 4 <= input.length && u32le(input, p) === 0) p += 4;
      if (p === input.length) break;
    }
    if (!isXz(input.subarray(p))) throw new XzError('not an XZ stream (bad magic bytes)');
    if (p + 12 > input.length) throw new XzError('truncated XZ stream header');
    const flags0 = input[p + 6]!;
    const checkType = input[p + 7]!;
    if (flags0 !== 0 || (checkType & 0xf0) !== 0) throw new XzError('unsupported XZ stream flags');
    if (crc32(input, p + 6, p + 8) !== u32le(input, p + 8))
      throw new XzError('XZ stream header CRC32 mismatch');
    const checkSize = CHECK_SIZES[checkType];
    if (checkSize === undefined) throw new XzError(`unsupported XZ check type ${checkType}`);
    if (checkType === 10) throw new XzError('XZ SHA-256 checks are not supported');
    p += 12;
    const records: Array<[number, number]> = [];
    // blocks
    for (;;) {
      if (p >= input.length) throw new XzError('truncated XZ stream');
      const hb = input[p]!;
      if (hb === 0) break; // index indicator
      const headerSize = (hb + 1) * 4;
      const hStart = p;
      const hEnd = p + headerSize;
      if (hEnd > input.length) throw new XzError('truncated XZ block header');
      if (crc32(input, hStart, hEnd - 4) !== u32le(input, hEnd - 4))
        throw new XzError('XZ block header CRC32 mismatch');
      const bflags = input[p + 1]!;
      let q = p + 2;
      if (bflags & 0x3c) throw new XzError('unsupported XZ block flags');
      let compressedSize = -1;
      let uncompressedSize = -1;
      if (bflags & 0x40) [compressedSize, q] = readVarint(input, q, hEnd - 4);
      if (bflags & 0x80) [uncompressedSize, q] = readVarint(input, q, hEnd - 4);
      const nFilters = (bflags & 3) + 1;
      if (nFilters !== 1) throw new XzError('unsupported XZ filter chain (only LZMA2 alone is supported)');
      let filterId: number;
      let propsSize: number;
      [filterId, q] = readVarint(input, q, hEnd - 4);
      [propsSize, q] = readVarint(input, q, hEnd - 4);
      if (filterId !== 0x21 || propsSize !== 1)
        throw new XzError(`unsupported XZ filter 0x${filterId.toString(16)}`);
      const dictByte = input[q++]!;
      if (dictByte > 40) throw new XzError('invalid LZMA2 dictionary size');
      for (; q < hEnd - 4; q++) if (input[q] !== 0) throw new XzError('corrupt XZ block header padding');
      const dataStart = hEnd;
      const outStart = out.pos;
      const dataEnd = decodeLzma2(input, dataStart, out);
      const csize = dataEnd - dataStart;
      if (compressedSize >= 0 && compressedSize !== csize)
        throw new XzError('XZ block compressed size mismatch');
      const usize = out.pos - outStart;
      if (uncompressedSize >= 0 && uncompressedSize !== usize)
        throw new XzError('XZ block uncompressed size mismatch');
      p = dataEnd;
      while ((p - hStart) % 4 !== 0) {
        if (p >= input.length || input[p] !== 0) throw new XzError('corrupt XZ block padding');
        p++;
      }
      if (p + checkSize > input.length) throw new XzError('truncated XZ block check');
      if (checkType === 1) {
        if (crc32(out.buf, outStart, out.pos) !== u32le(input, p))
          throw new XzError('XZ CRC32 check mismatch');
      } else if (checkType === 4) {
        const c = crc64(out.buf, outStart, out.pos);
        for (let i = 0; i < 8; i++) if (c[i] !== input[p + i]) throw new XzError('XZ CRC64 check mismatch');
      }
      p += checkSize;
      records.push([headerSize + csize + checkSize, usize]);
    }
    // index
    const iStart = p;
    let q = p + 1;
    let count: number;
    [count, q] = readVarint(input, q, input.length);
    if (count !== records.length) throw new XzError('XZ index does not match the blocks');
    for (let i = 0; i < count; i++) {
      let unpadded: number;
      let usize: number;
      [unpadded, q] = readVarint(input, q, input.length);
      [usize, q] = readVarint(input, q, input.length);
      const r = records[i]!;
      if (unpadded !== r[0] || usize !== r[1]) throw new XzError('XZ index does not match the blocks');
    }
    while ((q - iStart) % 4 !== 0) {
      if (q >= input.length || input[q] !== 0) throw new XzError('corrupt XZ index padding');
      q++;
    }
    if (q + 4 > input.length) throw new XzError('truncated XZ index');
    if (crc32(input, iStart, q) !== u32le(input, q)) throw new XzError('XZ index CRC32 mismatch');
    q += 4;
    // footer
    if (q + 12 > input.length) throw new XzError('truncated XZ stream footer');
    if (crc32(input, q + 4, q + 10) !== u32le(input, q)) throw new XzError('XZ stream footer CRC32 mismatch');
    const backward = (u32le(input, q + 4) + 1) * 4;
    if (backward !== q - iStart) throw new XzError('XZ stream footer backward size mismatch');
    if (input[q + 8] !== 0 || input[q + 9] !== checkType)
      throw new XzError('XZ stream footer flags mismatch');
    if (input[q + 10] !== 0x59 || input[q + 11] !== 0x5a) throw new XzError('bad XZ stream footer magic');
    p = q + 12;
    streams++;
  }
  if (streams === 0) throw new XzError('empty XZ input');
  return out.buf.slice(0, out.pos);
}

function writeVarint(v: number, out: number[]): void {
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function pushU32(out: number[], v: number): void {
  out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
}

/** Options of {@link xzCompress}. */
export interface XzCompressOptions {
  /**
   * `0`: store LZMA2 uncompressed chunks (fastest, output as large as the input); `1` (default):
   * LZMA2 compression with a greedy hash-chain match finder.
   */
  level?: 0 | 1;
}

function storedLzma2(data: Uint8Array): Uint8Array {
  const CHUNK = 0x10000;
  const nChunks = Math.ceil(data.length / CHUNK);
  const out = new Uint8Array(nChunks * 3 + data.length + 1);
  let p = 0;
  for (let i = 0; i < nChunks; i++) {
    const s = i * CHUNK;
    const e = Math.min(data.length, s + CHUNK);
    const n = e - s - 1;
    out[p++] = i === 0 ? 0x01 : 0x02;
    out[p++] = (n >>> 8) & 0xff;
    out[p++] = n & 0xff;
    out.set(data.subarray(s, e), p);
    p += e - s;
  }
  out[p] = 0x00;
  return out;
}

/**
 * Wraps `data` in a valid XZ stream (one block, LZMA2, CRC64 check), readable by Python's `lzma`,
 * `xz -d`, Spark and {@link xzDecompress}.
 */
export function xzCompress(data: Uint8Array, options: XzCompressOptions = {}): Uint8Array {
  // dictionary size byte: smallest 2^n or 3*2^(n-1) (n >= 12) covering the data, at most 8 MiB
  let dictByte = 0;
  const target = Math.min(Math.max(data.length, 4096), 8 * 1024 * 1024);
  for (; dictByte < 40; dictByte++) {
    const size = (2 | (dictByte & 1)) * 2 ** (Math.floor(dictByte / 2) + 11);
    if (size >= target) break;
  }
  const dictSize = (2 | (dictByte & 1)) * 2 ** (Math.floor(dictByte / 2) + 11);
  const lzma2 = options.level === 0 ? storedLzma2(data) : lzma2Encode(data, dictSize);
  const lzma2Size = lzma2.length;
  const header = [0x02, 0x00, 0x21, 0x01, dictByte, 0x00, 0x00, 0x00];
  const headerBytes = new Uint8Array(header);
  const headerCrc = crc32(headerBytes);
  const blockHeader: number[] = [...header];
  pushU32(blockHeader, headerCrc);
  const pad = (4 - (lzma2Size % 4)) % 4;
  const check = crc64(data);
  const unpadded = blockHeader.length + lzma2Size + 8;
  const index: number[] = [0x00];
  writeVarint(1, index);
  writeVarint(unpadded, index);
  writeVarint(data.length, index);
  while (index.length % 4 !== 0) index.push(0);
  const indexCrc = crc32(new Uint8Array(index));
  pushU32(index, indexCrc);
  const total = 12 + blockHeader.length + lzma2Size + pad + 8 + index.length + 12;
  const out = new Uint8Array(total);
  let p = 0;
  // stream header
  out.set(XZ_MAGIC, 0);
  out[6] = 0x00;
  out[7] = 0x04;
  const shCrc = crc32(out, 6, 8);
  new DataView(out.buffer).setUint32(8, shCrc, true);
  p = 12;
  out.set(blockHeader, p);
  p += blockHeader.length;
  out.set(lzma2, p);
  p += lzma2Size;
  p += pad;
  out.set(check, p);
  p += 8;
  out.set(index, p);
  p += index.length;
  // footer
  const f = p;
  const backward = index.length / 4 - 1;
  new DataView(out.buffer).setUint32(f + 4, backward, true);
  out[f + 8] = 0x00;
  out[f + 9] = 0x04;
  new DataView(out.buffer).setUint32(f, crc32(out, f + 4, f + 10), true);
  out[f + 10] = 0x59;
  out[f + 11] = 0x5a;
  return out;
}
