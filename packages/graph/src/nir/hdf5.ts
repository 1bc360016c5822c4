/// <reference path="./jsfive-shim.d.ts" />
/**
 * NIR files (HDF5) in Node, Deno and browsers: reading with `jsfive` (pure JS) and writing with
 * `h5wasm` (WASM libhdf5); both are loaded lazily with `import()` on first use, so importing this
 * package costs nothing until a file is touched. Bytes in, bytes out: no file-system access.
 *
 * Layout (graph-reference §3.5): root `version` (vlen UTF-8 string) and group `node` (the
 * top-level `NIRGraph`); each node is a group with a `type` string and one dataset per parameter;
 * graphs add `nodes/` and `edges` `(E, 2)` strings (zero edges → empty float64 dataset);
 * `metadata/` groups only when non-empty.
 *
 * @module
 */
import { type Diagnostic, diag, hasErrors } from '../diagnostics.ts';
import { sizeOf, type Tensor, type TensorDType } from '../tensor.ts';
import {
  graphFromDict,
  isDataset,
  type NirDict,
  type NirDictValue,
  type StringTensor,
  toDict,
} from './dict.ts';
import { type InferOptions, inferTypes, type NodeTypes } from './infer.ts';
import type { NirGraph } from './types.ts';

/** Options of {@link readNir}. */
export interface ReadNirOptions extends InferOptions {
  /** Name used in diagnostics. */
  fileName?: string;
}

/** Result of {@link readNir}. `graph` is undefined only when nothing could be read. */
export interface ReadNirResult {
  readonly graph: NirGraph | undefined;
  /** The file's `version` string. */
  readonly version: string | undefined;
  /** Inferred types by node path (empty with `typeCheck: 'off'`). */
  readonly types: ReadonlyMap<string, NodeTypes>;
  readonly diagnostics: Diagnostic[];
  /** True when there is a graph and no error diagnostics. */
  readonly ok: boolean;
}

function toArrayBuffer(bytes: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const NUMERIC: Record<string, TensorDType> = {
  f4: 'float32',
  f8: 'float64',
  i8: 'int64',
  i4: 'int32',
  i2: 'int16',
  i1: 'int8',
  u1: 'uint8',
  u2: 'int32',
  u4: 'int64',
  u8: 'int64',
  b1: 'bool',
};

const decoder = new TextDecoder();

function flatValues(v: unknown): unknown[] {
  if (v === null || v === undefined) return [];
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean')
    return [v];
  if (ArrayBuffer.isView(v) && !(v instanceof DataView))
    return Array.from(v as unknown as ArrayLike<unknown>);
  if (Array.isArray(v)) return v.flatMap((x) => (Array.isArray(x) ? flatValues(x) : [x]));
  return [v];
}

function readDataset(
  ds: import('jsfive').Dataset,
  path: string,
  diagnostics: Diagnostic[],
): Tensor | StringTensor | undefined {
  const dt = ds.dtype;
  const shape = [...(ds.shape ?? [])];
  const raw = flatValues(ds.value);
  const isVlenString = Array.isArray(dt) && dt[0] === 'VLEN_STRING';
  if (isVlenString || (typeof dt === 'string' && /^[<>|=]?S\d*$/.test(dt))) {
    const data = raw.map((x) =>
      typeof x === 'string' ? x : x instanceof Uint8Array ? decoder.decode(x) : String(x),
    );
    return { dtype: 'string', shape, data: data.map((s) => s.replace(/\0+$/, '')) };
  }
  if (typeof dt !== 'string') {
    diagnostics.push(
      diag(
        'warning',
        'nir.hdf5.unsupported-dtype',
        path,
        `dataset has unsupported HDF5 type ${JSON.stringify(dt)}; ignored`,
      ),
    );
    return undefined;
  }
  const code = dt.replace(/^[<>|=]/, '');
  const dtype = NUMERIC[code];
  if (!dtype) {
    diagnostics.push(
      diag('warning', 'nir.hdf5.unsupported-dtype', path, `dataset has unsupported HDF5 type ${dt}; ignored`),
    );
    return undefined;
  }
  const n = sizeOf(shape);
  if (raw.length !== n) {
    diagnostics.push(
      diag(
        'error',
        'nir.hdf5.malformed',
        path,
        `dataset has ${raw.length} values for shape [${shape.join(', ')}]`,
      ),
    );
    return undefined;
  }
  const data =
    dtype === 'float32'
      ? new Float32Array(n)
      : dtype === 'int32'
        ? new Int32Array(n)
        : dtype === 'int16'
          ? new Int16Array(n)
          : dtype === 'int8'
            ? new Int8Array(n)
            : dtype === 'uint8' || dtype === 'bool'
              ? new Uint8Array(n)
              : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = raw[i];
    if (typeof x === 'bigint') {
      if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < BigInt(Number.MIN_SAFE_INTEGER)) {
        diagnostics.push(
          diag('error', 'nir.hdf5.int64-range', path, `int64 value ${x} is not a safe JS integer`),
        );
        return undefined;
      }
      data[i] = Number(x);
    } else data[i] = typeof x === 'boolean' ? (x ? 1 : 0) : Number(x);
  }
  return { dtype, shape, data };
}

function readGroup(g: import('jsfive').Group, path: string, diagnostics: Diagnostic[]): NirDict {
  const out: Record<string, NirDictValue> = {};
  let keys: string[] = [];
  try {
    keys = g.keys;
  } catch (e) {
    diagnostics.push(diag('error', 'nir.hdf5.malformed', path, `cannot list group: ${(e as Error).message}`));
    return out;
  }
  for (const k of keys) {
    const p = path ? `${path}.${k}` : k;
    try {
      const obj = g.get(k);
      if (obj === null) continue;
      if ('keys' in obj && !('dtype' in obj))
        out[k] = readGroup(obj as import('jsfive').Group, p, diagnostics);
      else {
        const ds = readDataset(obj as import('jsfive').Dataset, p, diagnostics);
        if (ds) out[k] = ds;
      }
    } catch (e) {
      diagnostics.push(diag('error', 'nir.hdf5.malformed', p, `cannot read: ${(e as Error).message}`));
    }
  }
  return out;
}

/** Paths in diagnostics are relative to the top-level graph: strip the `node.nodes.` HDF5 prefixes. */
function toNodePath(p: string): string {
  return p.replace(/^node\.?/, '').replace(/(^|\.)nodes\./g, '$1');
}

/**
 * Reads a NIR file (HDF5 bytes). Applies the reader defaults, infers and checks types per
 * `typeCheck` (default `strict`, applied to nested graphs too), and reports malformed files,
 * unknown node types, wrong shapes and dangling edges as diagnostics with node paths. Never throws.
 *
 * @example
 * const { graph, diagnostics } = await readNir(await fs.readFile('lif_norse.nir'));
 */
export async function readNir(
  bytes: ArrayBuffer | Uint8Array,
  options: ReadNirOptions = {},
): Promise<ReadNirResult> {
  const raw = await readHdf5Tree(bytes, options.fileName);
  const diagnostics = [...raw.diagnostics];
  const fail = (code: string, message: string): ReadNirResult => ({
    graph: undefined,
    version: undefined,
    types: new Map(),
    diagnostics: [...diagnostics, diag('error', code, '', message)],
    ok: false,
  });
  if (!raw.tree) return { graph: undefined, version: undefined, types: new Map(), diagnostics, ok: false };
  const v = raw.tree.version;
  const version = v && isDataset(v) && v.dtype === 'string' ? v.data[0] : undefined;
  if (version === undefined)
    diagnostics.push(diag('warning', 'nir.hdf5.no-version', 'version', 'file has no version string'));
  const node = raw.tree.node;
  if (!node || isDataset(node)) return fail('nir.hdf5.no-node', 'file has no `node` group (not a NIR file?)');
  const r = graphFromDict(node);
  diagnostics.push(...r.diagnostics);
  if (!r.graph) return { graph: undefined, version, types: new Map(), diagnostics, ok: false };
  const inf = inferTypes(r.graph, options);
  diagnostics.push(...inf.diagnostics);
  return { graph: inf.graph, version, types: inf.types, diagnostics, ok: !hasErrors(diagnostics) };
}

/**
 * Reads any HDF5 file into the raw dictionary tree (groups → objects, datasets → tensors or
 * string tensors, with their stored dtypes). For inspecting file structure; {@link readNir} builds
 * on it. Never throws.
 */
export async function readHdf5Tree(
  bytes: ArrayBuffer | Uint8Array,
  fileName?: string,
): Promise<{ tree: NirDict | undefined; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  let file: import('jsfive').File;
  try {
    const jsfive = await import('jsfive');
    file = new jsfive.File(toArrayBuffer(bytes), fileName ?? 'file.nir');
  } catch (e) {
    const reason =
      e instanceof Error && e.message
        ? e.message
        : typeof e === 'string' && e
          ? e
          : 'the HDF5 signature or superblock is missing or corrupt';
    const message = `not a readable HDF5 file${fileName ? ` (${fileName})` : ''}: ${reason}`;
    return { tree: undefined, diagnostics: [diag('error', 'nir.hdf5.malformed', '', message)] };
  }
  const tree = readGroup(file, '', diagnostics);
  return { tree, diagnostics: diagnostics.map((d) => ({ ...d, path: toNodePath(d.path) })) };
}

/** Options of {@link writeNir}. */
export interface WriteNirOptions {
  /** Root `version` string (default `0.2.0`). */
  version?: string;
  /** gzip level for numeric arrays (default 4, the reference's); `false` writes uncompressed datasets. */
  compression?: number | false;
}

interface H5Group {
  create_group(name: string): H5Group;
  create_dataset(args: {
    name: string;
    data: unknown;
    shape?: number[] | null;
    dtype?: string | null;
    chunks?: number[] | null;
    compression?: number | 'gzip';
    compression_opts?: number | number[];
  }): unknown;
}
interface H5File extends H5Group {
  flush(): void;
  close(): unknown;
}
interface H5Module {
  ready: Promise<{ FS: { readFile(path: string): Uint8Array; unlink(path: string): void } }>;
  File: new (name: string, mode: 'w') => H5File;
}

let counter = 0;

function writeValue(g: H5Group, name: string, v: NirDictValue, level: number | false): void {
  if (!isDataset(v)) {
    const sub = g.create_group(name);
    for (const [k, x] of Object.entries(v)) writeValue(sub, k, x, level);
    return;
  }
  if (v.dtype === 'string') {
    if (v.shape.length === 0) g.create_dataset({ name, data: v.data[0] ?? '' });
    else if (sizeOf(v.shape) === 0) g.create_dataset({ name, data: new Float64Array(0), shape: [0] });
    else g.create_dataset({ name, data: [...v.data], shape: [...v.shape] });
    return;
  }
  const n = sizeOf(v.shape);
  let data: ArrayBufferView;
  switch (v.dtype) {
    case 'int64': {
      const a = new BigInt64Array(n);
      for (let i = 0; i < n; i++) a[i] = BigInt(Math.trunc(v.data[i]!));
      data = a;
      break;
    }
    case 'bool':
      data = Uint8Array.from(v.data as ArrayLike<number>);
      break;
    default:
      data = v.data;
  }
  const compress = level !== false && v.dtype !== 'int64' && v.shape.length > 0 && n > 0;
  g.create_dataset({
    name,
    data,
    shape: [...v.shape],
    ...(compress ? { compression: 'gzip' as const, compression_opts: level, chunks: [...v.shape] } : {}),
  });
}

/**
 * Writes a NIR graph to HDF5 bytes with the reference layout (h5wasm, an optional peer dependency,
 * loaded on first use; an error names it when it is not installed).
 * Numeric arrays are gzip-compressed with `chunks = shape` (level 4 by default); int64 parameters
 * (shapes, strides, groups, dims) and strings are written uncompressed; `null`s are omitted.
 */
export async function writeNir(graph: NirGraph, options: WriteNirOptions = {}): Promise<Uint8Array> {
  return writeNirDict(toDict(graph), options);
}

/**
 * Writes a raw dictionary tree as a NIR file (no validation). Meant for building test files,
 * including deliberately broken ones; use {@link writeNir} for graphs.
 */
export async function writeNirDict(node: NirDict, options: WriteNirOptions = {}): Promise<Uint8Array> {
  let h5: H5Module;
  try {
    h5 = (await import('h5wasm')) as unknown as H5Module;
  } catch (cause) {
    throw new Error(
      'writing NIR files needs h5wasm, an optional peer dependency of @spark-snn/graph: ' +
        '`npm install h5wasm@0.10.3` (reading NIR needs nothing more)',
      { cause },
    );
  }
  const { FS } = await h5.ready;
  const path = `/spark-snn-nir-${Date.now()}-${counter++}.h5`;
  const f = new h5.File(path, 'w');
  try {
    f.create_dataset({ name: 'version', data: options.version ?? '0.2.0' });
    writeValue(f, 'node', node, options.compression ?? 4);
    f.flush();
  } finally {
    f.close();
  }
  const bytes = FS.readFile(path);
  FS.unlink(path);
  return new Uint8Array(bytes);
}
