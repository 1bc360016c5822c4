/**
 * State checkpoints in the safetensors layout (https://github.com/huggingface/safetensors), readable by
 * Python's `safetensors.numpy.load_file` / `safetensors.torch.load_file`.
 *
 * Layout: 8-byte little-endian u64 header length `N`; `N` bytes of UTF-8 JSON
 * `{"__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets": [begin, end]}, …}` padded with
 * spaces to a multiple of 8; then the raw little-endian tensor bytes, offsets relative to the end of the
 * header. The writer reproduces the reference (Rust) serializer byte for byte: tensors ordered by dtype
 * alignment (F32, U32, I32, F16, U8, BOOL), then by name (bytewise UTF-8); `__metadata__` first with its keys
 * sorted; compact JSON. A state tree is stored with its `/` paths as tensor names.
 *
 * @module
 */

import { bytesPerElement, type DType, viewTypedArray } from './dtype.ts';
import { createStateTree, flattenState, hasPath, StateError, type StateTree, setPath } from './state.ts';
import { formatShape, Tensor } from './tensor.ts';

/** Error for every problem reading or writing a safetensors file. */
export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

/** safetensors dtype names of the spark-snn dtypes. */
export const SAFETENSORS_DTYPE: Readonly<Record<DType, string>> = Object.freeze({
  float32: 'F32',
  float16: 'F16',
  int32: 'I32',
  uint32: 'U32',
  uint8: 'U8',
  bool: 'BOOL',
});

const FROM_SAFETENSORS: ReadonlyMap<string, DType> = new Map(
  Object.entries(SAFETENSORS_DTYPE).map(([d, s]) => [s, d as DType]),
);

/** Every dtype of the format, in the reference implementation's (alignment) order. */
const ALL_SAFETENSORS_DTYPES = [
  'BOOL',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'I16',
  'U16',
  'F16',
  'BF16',
  'I32',
  'U32',
  'F32',
  'F64',
  'I64',
  'U64',
] as const;
const DTYPE_RANK = new Map<string, number>(ALL_SAFETENSORS_DTYPES.map((d, i) => [d, i]));

/** Largest header the reader accepts (as the reference implementation: 100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const utf8 = new TextEncoder();

function compareUtf8(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** Tensor bytes in little-endian order (a copy on big-endian hosts, a view otherwise). */
function tensorBytes(t: Tensor): Uint8Array {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const w = t.data.BYTES_PER_ELEMENT;
  if (LITTLE_ENDIAN || w === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += w) for (let j = 0; j < w; j++) out[i + j] = bytes[i + w - 1 - j]!;
  return out;
}

/** Options of {@link writeSafetensors} / {@link encodeSafetensors}. */
export interface SafetensorsWriteOptions {
  /** Free-form string metadata, stored under `__metadata__` (omitted when not given). */
  metadata?: Readonly<Record<string, string>>;
}

/**
 * Encodes named tensors as a safetensors file.
 *
 * @param tensors - `(name, tensor)` pairs: a Map, an iterable of pairs or a record.
 * @throws SafetensorsError for a duplicate or empty name, the reserved name `__metadata__`, or non-string metadata.
 */
export function encodeSafetensors(
  tensors: Iterable<readonly [string, Tensor]> | Readonly<Record<string, Tensor>>,
  options: SafetensorsWriteOptions = {},
): Uint8Array {
  const pairs: (readonly [string, Tensor])[] = [
    ...(Symbol.iterator in tensors
      ? (tensors as Iterable<readonly [string, Tensor]>)
      : Object.entries(tensors as Record<string, Tensor>)),
  ];
  const names = new Set<string>();
  for (const [name, t] of pairs) {
    if (typeof name !== 'string' || name === '')
      throw new SafetensorsError('tensor names must be non-empty strings');
    if (name === '__metadata__') throw new SafetensorsError("the tensor name '__metadata__' is reserved");
    if (names.has(name)) throw new SafetensorsError(`tensor name '${name}' is given twice`);
    if (!(t instanceof Tensor)) throw new SafetensorsError(`'${name}' is not a Tensor`);
    names.add(name);
  }
  pairs.sort(
    ([an, at], [bn, bt]) =>
      DTYPE_RANK.get(SAFETENSORS_DTYPE[bt.dtype])! - DTYPE_RANK.get(SAFETENSORS_DTYPE[at.dtype])! ||
      compareUtf8(an, bn),
  );

  const parts: string[] = [];
  if (options.metadata !== undefined) {
    const entries = Object.entries(options.metadata);
    for (const [k, v] of entries) {
      if (typeof v !== 'string')
        throw new SafetensorsError(`metadata '${k}' must be a string, got ${typeof v}`);
    }
    entries.sort(([a], [b]) => compareUtf8(a, b));
    parts.push(
      `"__metadata__":{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`,
    );
  }
  let offset = 0;
  for (const [name, t] of pairs) {
    const n = t.data.byteLength;
    parts.push(
      `${JSON.stringify(name)}:{"dtype":"${SAFETENSORS_DTYPE[t.dtype]}","shape":[${t.shape.join(',')}],` +
        `"data_offsets":[${offset},${offset + n}]}`,
    );
    offset += n;
  }
  const json = utf8.encode(`{${parts.join(',')}}`);
  const headerLen = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLen + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLen, true);
  view.setUint32(4, Math.floor(headerLen / 0x100000000), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);
  let pos = 8 + headerLen;
  for (const [, t] of pairs) {
    out.set(tensorBytes(t), pos);
    pos += t.data.byteLength;
  }
  return out;
}

/** The contents of a safetensors file. */
export interface SafetensorsContents {
  /** Tensors by name, in file (offset) order. Each owns a copy of its bytes. */
  tensors: Map<string, Tensor>;
  /** The `__metadata__` map, or `null` when the file has none. */
  metadata: Record<string, string> | null;
}

function fail(message: string): never {
  throw new SafetensorsError(`safetensors: ${message}`);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function asBytes(input: Uint8Array | ArrayBuffer): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  return fail(`expected a Uint8Array or an ArrayBuffer, got ${input === null ? 'null' : typeof input}`);
}

interface Entry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

function parseEntry(name: string, info: unknown): Entry {
  const where = `tensor '${name}'`;
  if (!isObject(info)) fail(`${where}: header entry must be an object`);
  const dtypeName = info.dtype;
  if (typeof dtypeName !== 'string') fail(`${where}: "dtype" must be a string`);
  const dtype = FROM_SAFETENSORS.get(dtypeName);
  if (dtype === undefined) {
    const known = DTYPE_RANK.has(dtypeName);
    fail(
      `${where}: ${known ? 'unsupported' : 'unknown'} dtype ${JSON.stringify(dtypeName)}` +
        ` (supported: ${[...FROM_SAFETENSORS.keys()].join(', ')})`,
    );
  }
  const shape = info.shape;
  if (
    !Array.isArray(shape) ||
    !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)
  ) {
    fail(`${where}: "shape" must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  const offsets = info.data_offsets;
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)
  ) {
    fail(
      `${where}: "data_offsets" must be [begin, end] with non-negative integers, got ${JSON.stringify(offsets)}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail(`${where}: data_offsets [${begin},${end}] end before they begin`);
  let size = 1;
  for (const d of shape as number[]) size *= d;
  const elementBytes = bytesPerElement(dtype);
  const nbytes = size * elementBytes;
  if (!Number.isSafeInteger(nbytes) || nbytes !== end - begin) {
    fail(
      `${where}: shape ${formatShape(shape as number[])} of ${dtypeName} needs ${nbytes} bytes but data_offsets ` +
        `[${begin},${end}] span ${end - begin}`,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

/**
 * Decodes a safetensors file, validating everything: the length prefix, UTF-8 and JSON of the header, every
 * entry (dtype, shape, offsets), that the tensors neither overlap nor leave gaps and cover the data exactly,
 * and that BOOL bytes are 0 or 1.
 *
 * @throws SafetensorsError (and nothing else) naming the problem.
 */
export function decodeSafetensors(input: Uint8Array | ArrayBuffer): SafetensorsContents {
  try {
    return decodeUnchecked(asBytes(input));
  } catch (e) {
    if (e instanceof SafetensorsError) throw e;
    throw new SafetensorsError(`safetensors: malformed file (${e instanceof Error ? e.message : String(e)})`);
  }
}

function decodeUnchecked(bytes: Uint8Array): SafetensorsContents {
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  const headerLen = hi * 0x100000000 + lo;
  if (headerLen > MAX_HEADER_BYTES)
    fail(`header length ${headerLen} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  if (8 + headerLen > bytes.length) {
    fail(`header length ${headerLen} goes beyond the end of the file (${bytes.length} bytes; truncated?)`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
      bytes.subarray(8, 8 + headerLen),
    );
  } catch {
    return fail('header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return fail(`header is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObject(header)) fail('header must be a JSON object');

  let metadata: Record<string, string> | null = null;
  const entries: Entry[] = [];
  for (const key of Object.keys(header)) {
    const value = header[key];
    if (key === '__metadata__') {
      if (!isObject(value)) fail('"__metadata__" must be an object of strings');
      metadata = Object.create(null) as Record<string, string>;
      for (const k of Object.keys(value)) {
        const v = value[k];
        if (typeof v !== 'string')
          fail(`"__metadata__" value of '${k}' must be a string, got ${JSON.stringify(v)}`);
        metadata[k] = v;
      }
      continue;
    }
    entries.push(parseEntry(key, value));
  }

  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let prev: Entry | undefined;
  for (const e of entries) {
    if (e.end > dataLen) {
      fail(
        `tensor '${e.name}': data_offsets [${e.begin},${e.end}] go beyond the data (${dataLen} bytes; truncated?)`,
      );
    }
    if (e.begin < covered) {
      fail(
        `tensors '${prev!.name}' [${prev!.begin},${prev!.end}] and '${e.name}' [${e.begin},${e.end}] overlap`,
      );
    }
    if (e.begin > covered) fail(`data bytes [${covered},${e.begin}) are not covered by any tensor`);
    covered = e.end;
    prev = e;
  }
  if (covered !== dataLen) fail(`data has ${dataLen - covered} trailing bytes not covered by any tensor`);

  const tensors = new Map<string, Tensor>();
  for (const e of entries) {
    const raw = bytes.slice(dataStart + e.begin, dataStart + e.end);
    const w = bytesPerElement(e.dtype);
    if (!LITTLE_ENDIAN && w > 1) {
      for (let i = 0; i < raw.length; i += w) raw.subarray(i, i + w).reverse();
    }
    if (e.dtype === 'bool') {
      const bad = raw.findIndex((b) => b > 1);
      if (bad >= 0)
        fail(`tensor '${e.name}': BOOL element ${bad} has byte value ${raw[bad]} (must be 0 or 1)`);
    }
    const data = viewTypedArray(e.dtype, raw.buffer, 0, raw.length / w);
    tensors.set(e.name, new Tensor(e.dtype, e.shape, data));
  }
  return { tensors, metadata };
}

/**
 * Writes a state tree as a safetensors file; each tensor is named by its `/` path
 * (`A_excitatory/synapses/kernel`).
 */
export function writeSafetensors(state: StateTree, options: SafetensorsWriteOptions = {}): Uint8Array {
  let flat: Map<string, Tensor>;
  try {
    flat = flattenState(state);
  } catch (e) {
    throw new SafetensorsError(`writeSafetensors: ${e instanceof Error ? e.message : String(e)}`);
  }
  return encodeSafetensors(flat, options);
}

/** A state tree read back from a safetensors file, with the file's metadata. */
export interface SafetensorsState {
  state: StateTree;
  metadata: Record<string, string> | null;
}

/**
 * Reads a safetensors file into a state tree (tensor names split on `/`).
 *
 * @throws SafetensorsError for any malformed file, and for names that do not form a tree (e.g. both `a` and
 *   `a/b`, empty segments, or reserved keys such as `__proto__`).
 */
export function readSafetensors(input: Uint8Array | ArrayBuffer): SafetensorsState {
  const { tensors, metadata } = decodeSafetensors(input);
  const state = createStateTree();
  for (const [name, t] of tensors) {
    try {
      if (hasPath(state, name)) throw new StateError(`path conflicts with another tensor`, name);
      setPath(state, name, t);
    } catch (e) {
      if (e instanceof StateError) {
        throw new SafetensorsError(
          `safetensors: tensor name '${name}' is not a valid state path: ${e.message}`,
        );
      }
      throw e;
    }
  }
  return { state, metadata };
}
