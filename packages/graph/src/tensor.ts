/**
 * Minimal host tensors for graph parameters: row-major like numpy/HDF5.
 *
 * The graph package keeps float parameters in float64 internally (numpy's default) so golden
 * comparisons are exact; float32 is preserved when read from a file so round trips are identical.
 *
 * @module
 */

/** Element types that occur in NIR files and hardware specifications. */
export type TensorDType = 'float32' | 'float64' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'bool';

/** Typed-array storage of a tensor; int64 is stored as float64 numbers (checked to be safe integers). */
export type TensorData = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array;

/** A dense row-major tensor. */
export interface Tensor {
  readonly dtype: TensorDType;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

/** Nested JS arrays of numbers (any depth). */
export type NestedNumbers = number | readonly NestedNumbers[];

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Allocates storage for `n` elements of `dtype`. */
export function allocate(dtype: TensorDType, n: number): TensorData {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
    case 'int64':
      return new Float64Array(n);
    case 'int8':
      return new Int8Array(n);
    case 'int16':
      return new Int16Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'uint8':
    case 'bool':
      return new Uint8Array(n);
  }
}

function flattenNested(x: NestedNumbers, shape: number[], out: number[], depth: number): void {
  if (typeof x === 'number') {
    if (depth !== shape.length) throw new RangeError('ragged nested array');
    out.push(x);
    return;
  }
  if (depth === shape.length) shape.push(x.length);
  else if (shape[depth] !== x.length) throw new RangeError('ragged nested array');
  for (const v of x) flattenNested(v, shape, out, depth + 1);
}

/**
 * Creates a tensor from nested arrays, a flat array plus shape, or a typed array.
 *
 * @example tensor([[1, 2], [3, 4]]) // float64, shape [2, 2]
 */
export function tensor(
  values: NestedNumbers | ArrayLike<number>,
  options: { dtype?: TensorDType; shape?: readonly number[] } = {},
): Tensor {
  const dtype = options.dtype ?? 'float64';
  let flat: ArrayLike<number>;
  let shape: number[];
  if (typeof values === 'number') {
    flat = [values];
    shape = [];
  } else if (ArrayBuffer.isView(values) || options.shape !== undefined) {
    flat = values as ArrayLike<number>;
    shape = options.shape ? [...options.shape] : [flat.length];
  } else {
    const out: number[] = [];
    shape = [];
    flattenNested(values as NestedNumbers, shape, out, 0);
    flat = out;
  }
  if (options.shape) shape = [...options.shape];
  const n = sizeOf(shape);
  if (flat.length !== n)
    throw new RangeError(`tensor: ${flat.length} values do not fill shape [${shape.join(', ')}]`);
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = flat[i]!;
  return { dtype, shape, data };
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[], dtype: TensorDType = 'float64'): Tensor {
  return { dtype, shape: [...shape], data: allocate(dtype, sizeOf(shape)) };
}

/** A tensor filled with `value`. */
export function full(shape: readonly number[], value: number, dtype: TensorDType = 'float64'): Tensor {
  const t = zeros(shape, dtype);
  t.data.fill(value);
  return t;
}

/** Copies a tensor (new storage). */
export function cloneTensor(t: Tensor): Tensor {
  return { dtype: t.dtype, shape: [...t.shape], data: t.data.slice() };
}

/** Float64 copy of the tensor's data. */
export function toFloat64(t: Tensor): Float64Array {
  return Float64Array.from(t.data as ArrayLike<number>);
}

/** Plain number array of the data. */
export function toArray(t: Tensor): number[] {
  return Array.from(t.data as ArrayLike<number>);
}

/** Nested arrays (numpy's `tolist`). */
export function toNested(t: Tensor): NestedNumbers {
  const flat = toArray(t);
  if (t.shape.length === 0) return flat[0] ?? 0;
  const build = (dim: number, offset: number): NestedNumbers[] => {
    const n = t.shape[dim]!;
    const stride = sizeOf(t.shape.slice(dim + 1));
    const out: NestedNumbers[] = [];
    for (let i = 0; i < n; i++) {
      out.push(dim === t.shape.length - 1 ? flat[offset + i]! : build(dim + 1, offset + i * stride));
    }
    return out;
  };
  return build(0, 0);
}

/** Shapes equal element-wise. */
export function shapeEquals(
  a: readonly number[] | null | undefined,
  b: readonly number[] | null | undefined,
): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Tensors equal in dtype, shape and data (NaN equals NaN). */
export function tensorEquals(a: Tensor, b: Tensor): boolean {
  if (a.dtype !== b.dtype || !shapeEquals(a.shape, b.shape) || a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i]!;
    const y = b.data[i]!;
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
  }
  return true;
}

/** Transposes a 2-D tensor (`[a, b]` → `[b, a]`), keeping the dtype. */
export function transpose2d(t: Tensor): Tensor {
  if (t.shape.length !== 2) throw new RangeError(`transpose2d: expected 2-D, got [${t.shape.join(', ')}]`);
  const [r, c] = t.shape as [number, number];
  const out = allocate(t.dtype, r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = t.data[i * c + j]!;
  return { dtype: t.dtype, shape: [c, r], data: out };
}

/**
 * numpy's `round`: round half to even (banker's rounding). 63.5 → 64, 62.5 → 62, −63.5 → −64.
 * Never use `Math.round` for quantisation goldens.
 */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Converts an int64 value that may arrive as `bigint` to a number, or `undefined` if unsafe. */
export function int64ToNumber(v: number | bigint): number | undefined {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof v === 'bigint' && (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))) {
    return undefined;
  }
  return n;
}
