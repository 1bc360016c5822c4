/**
 * A compact LZMA2 encoder (greedy parsing over a hash-chain match finder) for `.scfg` files.
 *
 * Output is standard LZMA2 (lc=3, lp=0, pb=2): the first chunk resets the dictionary and sets the
 * properties, later chunks reset the coder state but keep the dictionary, so matches reach back
 * across chunks. A chunk whose compressed form would not be smaller is stored uncompressed.
 *
 * @module
 */

const LC = 3;
const LP = 0;
const PB = 2;
const PB_MASK = (1 << PB) - 1;
const MATCH_MIN = 2;
const MATCH_MAX = 273;
/** Uncompressed bytes per LZMA2 chunk (keeps the packed size far below the 64 KiB limit). */
const CHUNK_UNPACKED = 1 << 15;

class RangeEncoder {
  low = 0;
  range = 0xffffffff;
  cache = 0;
  cacheSize = 1;
  out: number[] = [];

  private shiftLow(): void {
    const high = Math.floor(this.low / 0x100000000);
    const low32 = this.low >>> 0;
    if (low32 < 0xff000000 || high !== 0) {
      let temp = this.cache;
      do {
        this.out.push((temp + high) & 0xff);
        temp = 0xff;
      } while (--this.cacheSize !== 0);
      this.cache = low32 >>> 24;
    }
    this.cacheSize++;
    this.low = (low32 & 0x00ffffff) * 256;
  }

  bit(probs: Uint16Array, i: number, bit: number): void {
    const p = probs[i]!;
    const bound = (this.range >>> 11) * p;
    if (bit === 0) {
      this.range = bound;
      probs[i] = p + ((2048 - p) >>> 5);
    } else {
      this.low += bound;
      this.range -= bound;
      probs[i] = p - (p >>> 5);
    }
    while (this.range < 0x1000000) {
      this.range = (this.range * 256) >>> 0;
      this.shiftLow();
    }
  }

  direct(value: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      this.range = this.range >>> 1;
      if (Math.floor(value / 2 ** i) % 2 === 1) this.low += this.range;
      while (this.range < 0x1000000) {
        this.range = (this.range * 256) >>> 0;
        this.shiftLow();
      }
    }
  }

  tree(probs: Uint16Array, offset: number, bits: number, value: number): void {
    let m = 1;
    for (let i = bits - 1; i >= 0; i--) {
      const b = (value >>> i) & 1;
      this.bit(probs, offset + m, b);
      m = (m << 1) | b;
    }
  }

  reverseTree(probs: Uint16Array, offset: number, bits: number, value: number): void {
    let m = 1;
    for (let i = 0; i < bits; i++) {
      const b = (value >>> i) & 1;
      this.bit(probs, offset + m, b);
      m = (m << 1) | b;
    }
  }

  finish(): number[] {
    for (let i = 0; i < 5; i++) this.shiftLow();
    return this.out;
  }
}

class LenEncoder {
  choice = new Uint16Array(2).fill(1024);
  low = new Uint16Array(16 * 8).fill(1024);
  mid = new Uint16Array(16 * 8).fill(1024);
  high = new Uint16Array(256).fill(1024);
  encode(rc: RangeEncoder, len: number, posState: number): void {
    if (len < 8) {
      rc.bit(this.choice, 0, 0);
      rc.tree(this.low, posState * 8, 3, len);
    } else if (len < 16) {
      rc.bit(this.choice, 0, 1);
      rc.bit(this.choice, 1, 0);
      rc.tree(this.mid, posState * 8, 3, len - 8);
    } else {
      rc.bit(this.choice, 0, 1);
      rc.bit(this.choice, 1, 1);
      rc.tree(this.high, 0, 8, len - 16);
    }
  }
}

class State {
  literal = new Uint16Array(0x300 << (LC + LP)).fill(1024);
  isMatch = new Uint16Array(12 << 4).fill(1024);
  isRep = new Uint16Array(12).fill(1024);
  isRepG0 = new Uint16Array(12).fill(1024);
  isRepG1 = new Uint16Array(12).fill(1024);
  isRepG2 = new Uint16Array(12).fill(1024);
  isRep0Long = new Uint16Array(12 << 4).fill(1024);
  posSlot = new Uint16Array(4 << 6).fill(1024);
  specPos = new Uint16Array(114).fill(1024);
  align = new Uint16Array(16).fill(1024);
  lenEnc = new LenEncoder();
  repLenEnc = new LenEncoder();
  state = 0;
  rep0 = 0;
  rep1 = 0;
  rep2 = 0;
  rep3 = 0;
}

function posSlotOf(dist: number): number {
  if (dist < 4) return dist;
  const n = Math.floor(Math.log2(dist));
  return 2 * n + (Math.floor(dist / 2 ** (n - 1)) & 1);
}

/** Hash-chain match finder over the whole input (the dictionary is never reset after chunk 0). */
class MatchFinder {
  private readonly head = new Int32Array(1 << 16).fill(-1);
  private readonly prev: Int32Array;
  private inserted = 0;
  private readonly data: Uint8Array;
  private readonly window: number;
  private readonly depth: number;
  constructor(data: Uint8Array, window: number, depth: number) {
    this.data = data;
    this.window = window;
    this.depth = depth;
    this.prev = new Int32Array(data.length);
  }
  private hash(i: number): number {
    const d = this.data;
    return ((d[i]! << 8) ^ (d[i + 1]! << 4) ^ d[i + 2]!) & 0xffff;
  }
  /** Inserts every position below `upto`. */
  insertUpTo(upto: number): void {
    const limit = Math.min(upto, this.data.length - 2);
    for (; this.inserted < limit; this.inserted++) {
      const h = this.hash(this.inserted);
      this.prev[this.inserted] = this.head[h]!;
      this.head[h] = this.inserted;
    }
    if (this.inserted < upto) this.inserted = upto;
  }
  /** Longest match at `pos` (length >= 3), or length 0. */
  find(pos: number, maxLen: number): { len: number; dist: number } {
    const d = this.data;
    let best = 0;
    let bestDist = 0;
    if (pos + 2 >= d.length) return { len: 0, dist: 0 };
    this.insertUpTo(pos);
    let cand = this.head[this.hash(pos)]!;
    for (let n = 0; n < this.depth && cand >= 0 && pos - cand <= this.window; n++) {
      if (d[cand + best] === d[pos + best]) {
        let l = 0;
        while (l < maxLen && d[cand + l] === d[pos + l]) l++;
        if (l > best) {
          best = l;
          bestDist = pos - cand - 1;
          if (l === maxLen) break;
        }
      }
      cand = this.prev[cand]!;
    }
    return best >= 3 ? { len: best, dist: bestDist } : { len: 0, dist: 0 };
  }
}

function matchLen(d: Uint8Array, pos: number, dist: number, maxLen: number): number {
  const from = pos - dist - 1;
  if (from < 0) return 0;
  let l = 0;
  while (l < maxLen && d[from + l] === d[pos + l]) l++;
  return l;
}

/** Encodes one symbol stream for `data[start, end)`; returns the packed bytes. */
function encodeChunk(s: State, d: Uint8Array, start: number, end: number, mf: MatchFinder): number[] {
  const rc = new RangeEncoder();
  let pos = start;
  while (pos < end) {
    const posState = pos & PB_MASK;
    const maxLen = Math.min(MATCH_MAX, end - pos);
    const m = maxLen >= 3 ? mf.find(pos, maxLen) : { len: 0, dist: 0 };
    const repLen = maxLen >= MATCH_MIN ? matchLen(d, pos, s.rep0, maxLen) : 0;
    const st = s.state;
    if (repLen >= MATCH_MIN && repLen + 1 >= m.len) {
      // rep0 match
      rc.bit(s.isMatch, (st << 4) + posState, 1);
      rc.bit(s.isRep, st, 1);
      rc.bit(s.isRepG0, st, 0);
      rc.bit(s.isRep0Long, (st << 4) + posState, 1);
      s.repLenEnc.encode(rc, repLen - MATCH_MIN, posState);
      s.state = st < 7 ? 8 : 11;
      pos += repLen;
      continue;
    }
    if (m.len >= 3) {
      rc.bit(s.isMatch, (st << 4) + posState, 1);
      rc.bit(s.isRep, st, 0);
      const len = m.len - MATCH_MIN;
      s.lenEnc.encode(rc, len, posState);
      const dist = m.dist;
      const slot = posSlotOf(dist);
      rc.tree(s.posSlot, Math.min(len, 3) << 6, 6, slot);
      if (slot >= 4) {
        const nDirect = (slot >>> 1) - 1;
        const base = (2 | (slot & 1)) * 2 ** nDirect;
        const reduced = dist - base;
        if (slot < 14) rc.reverseTree(s.specPos, base - slot - 1, nDirect, reduced);
        else {
          rc.direct(Math.floor(reduced / 16), nDirect - 4);
          rc.reverseTree(s.align, 0, 4, reduced & 15);
        }
      }
      s.rep3 = s.rep2;
      s.rep2 = s.rep1;
      s.rep1 = s.rep0;
      s.rep0 = dist;
      s.state = st < 7 ? 7 : 10;
      pos += m.len;
      continue;
    }
    const cur = d[pos]!;
    if (pos - s.rep0 - 1 >= 0 && d[pos - s.rep0 - 1] === cur) {
      // short rep: one byte at distance rep0
      rc.bit(s.isMatch, (st << 4) + posState, 1);
      rc.bit(s.isRep, st, 1);
      rc.bit(s.isRepG0, st, 0);
      rc.bit(s.isRep0Long, (st << 4) + posState, 0);
      s.state = st < 7 ? 9 : 11;
      pos++;
      continue;
    }
    // literal
    rc.bit(s.isMatch, (st << 4) + posState, 0);
    const prev = pos > 0 ? d[pos - 1]! : 0;
    const base = 0x300 * (((pos & ((1 << LP) - 1)) << LC) + (prev >>> (8 - LC)));
    let sym = 1;
    if (st >= 7) {
      let matchByte = d[pos - s.rep0 - 1]!;
      let i = 7;
      for (; i >= 0; i--) {
        const bit = (cur >>> i) & 1;
        const matchBit = (matchByte >>> 7) & 1;
        matchByte = (matchByte << 1) & 0xff;
        rc.bit(s.literal, base + ((1 + matchBit) << 8) + sym, bit);
        sym = (sym << 1) | bit;
        if (matchBit !== bit) {
          i--;
          break;
        }
      }
      for (; i >= 0; i--) {
        const bit = (cur >>> i) & 1;
        rc.bit(s.literal, base + sym, bit);
        sym = (sym << 1) | bit;
      }
    } else {
      for (let i = 7; i >= 0; i--) {
        const bit = (cur >>> i) & 1;
        rc.bit(s.literal, base + sym, bit);
        sym = (sym << 1) | bit;
      }
    }
    s.state = st < 4 ? 0 : st < 10 ? st - 3 : st - 6;
    pos++;
  }
  return rc.finish();
}

/**
 * Raw LZMA2 data (chunks plus the end marker) for `data`. `dictSize` bounds match distances.
 */
export function lzma2Encode(data: Uint8Array, dictSize: number, depth = 24): Uint8Array {
  const out: number[] = [];
  const mf = new MatchFinder(data, dictSize, depth);
  const props = (PB * 5 + LP) * 9 + LC;
  let first = true;
  for (let start = 0; start < data.length; start += CHUNK_UNPACKED) {
    const end = Math.min(data.length, start + CHUNK_UNPACKED);
    const s = new State();
    const packed = encodeChunk(s, data, start, end, mf);
    const u = end - start - 1;
    if (packed.length < end - start && packed.length <= 0x10000) {
      const control = first ? 0xe0 : 0xc0; // state reset + properties (+ dictionary reset first)
      out.push(
        control | ((u >>> 16) & 0x1f),
        (u >>> 8) & 0xff,
        u & 0xff,
        ((packed.length - 1) >>> 8) & 0xff,
        (packed.length - 1) & 0xff,
      );
      out.push(props);
      for (const b of packed) out.push(b);
    } else {
      out.push(first ? 0x01 : 0x02, (u >>> 8) & 0xff, u & 0xff);
      for (let i = start; i < end; i++) out.push(data[i]!);
    }
    first = false;
  }
  out.push(0x00);
  return new Uint8Array(out);
}
