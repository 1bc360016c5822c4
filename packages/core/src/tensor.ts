/**
 * Host tensors: a dtype, a shape and a row-major typed array.
 *
 * A {@link Tensor} is a thin, typed view over a typed array. `reshape` and `slice` return views that share
 * the storage (no copy). float16 tensors store raw half bits in a `Uint16Array`; {@link Tensor.get} and
 * {@link Tensor.toNumbers} decode them, and every constructor that takes numbers encodes them (rounding to
 * nearest even).
 *
 * @module
 */

import { allocTypedArray, assertDType, type DType, type DTypeArrayMap, matchesDType } from './dtype.ts';
import { fromFloat16Bits, toFloat16Bits } from './float16.ts';

/** A possibly nested array of numbers or booleans (e.g. `[[1, 2], [3, 4]]`). */
export type NestedArray = ReadonlyArray<number | boolean | NestedArray>;

/** Tolerances for {@link Tensor.equals}: `|a - b| <= atol + rtol * |b|`, as in `numpy.allclose`. */
export interface EqualsOptions {
  /** Absolute tolerance (default 0). */
  atol?: number;
  /** Relative tolerance, relative to `other` (default 0). */
  rtol?: number;
  /** Whether NaN equals NaN (default true: two tensors holding NaN at the same place are equal). */
  equalNan?: boolean;
}

/** Formats a shape as `[2,4]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/**
 * Checks that `shape` is an array of non-negative safe integers and returns its number of elements
 * (1 for the scalar shape `[]`).
 *
 * @param where - prefix for the error message (e.g. `'Tensor.zeros'`).
 */
export function shapeSize(shape: readonly number[], where = 'shape'): number {
  if (!Array.isArray(shape)) throw new TypeError(`${where}: shape must be an array, got ${String(shape)}`);
  let size = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new RangeError(
        `${where}: shape ${formatShape(shape)} has an invalid dimension ${String(d)} at axis ${i}` +
          ' (dimensions must be non-negative integers)',
      );
    }
    size *= d;
  }
  if (!Number.isSafeInteger(size)) throw new RangeError(`${where}: shape ${formatShape(shape)} is too large`);
  return size;
}

const INT_RANGE: Partial<Record<DType, readonly [number, number]>> = {
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
  uint8: [0, 255],
  bool: [0, 1],
};

/** Converts a JS value to the stored element of `dtype`, throwing on values the dtype cannot hold. */
function encodeElement(dtype: DType, value: unknown, where: string, index: number): number {
  let v: number;
  if (typeof value === 'boolean') v = value ? 1 : 0;
  else if (typeof value === 'number') v = value;
  else throw new TypeError(`${where}: element ${index} is ${typeof value}, expected a number or boolean`);
  if (dtype === 'float32') return v;
  if (dtype === 'float16') return toFloat16Bits(v);
  const range = INT_RANGE[dtype]!;
  if (!Number.isInteger(v) || v < range[0] || v > range[1]) {
    throw new RangeError(`${where}: element ${index} is ${v}, which is not a valid ${dtype} value`);
  }
  return v;
}

function inferShape(data: NestedArray, where: string): number[] {
  const shape: number[] = [];
  let level: unknown = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  // verify rectangular
  const check = (node: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (Array.isArray(node)) throw new RangeError(`${where}: ragged nested array at ${path} (too deep)`);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new RangeError(
        `${where}: ragged nested array at ${path}: expected ${shape[depth]} elements like the first row, got ` +
          (Array.isArray(node) ? `${node.length}` : 'a scalar'),
      );
    }
    for (let i = 0; i < node.length; i++) check(node[i], depth + 1, `${path}[${i}]`);
  };
  check(data, 0, 'data');
  return shape;
}

function flattenNested(data: NestedArray, out: unknown[]): void {
  for (const x of data) {
    if (Array.isArray(x)) flattenNested(x as NestedArray, out);
    else out.push(x);
  }
}

function isArrayLikeOfNumbers(x: unknown): x is ArrayLike<number> {
  return ArrayBuffer.isView(x) || Array.isArray(x);
}

/**
 * A host tensor: `dtype`, `shape` and row-major storage `data` of exactly `size` elements.
 *
 * @typeParam D - the element type.
 *
 * @example
 * ```ts
 * const t = Tensor.fromArray('float32', [1, 2, 3, 4, 5, 6], [2, 3]);
 * t.get([1, 2]); // 6
 * t.slice(1).toNumbers(); // [4, 5, 6]
 * ```
 */
export class Tensor<D extends DType = DType> {
  /** Element type. */
  readonly dtype: D;
  /** Dimensions, outermost first. `[]` is a scalar (one element). */
  readonly shape: readonly number[];
  /** Row-major storage; float16 holds half bits, bool holds bytes 0/1. */
  readonly data: DTypeArrayMap[D];
  /** Number of elements (product of `shape`). */
  readonly size: number;
  private readonly strides: readonly number[];

  /**
   * Wraps `data` (no copy). Throws when `data` is not the storage type of `dtype` or its length is not the
   * product of `shape`.
   */
  constructor(dtype: D, shape: readonly number[], data: DTypeArrayMap[D]) {
    assertDType(dtype, 'Tensor');
    const size = shapeSize(shape, 'Tensor');
    if (!ArrayBuffer.isView(data) || !matchesDType(dtype, data)) {
      const got = ArrayBuffer.isView(data) ? data.constructor.name : typeof data;
      throw new TypeError(
        `Tensor: ${dtype} data must be a ${allocTypedArray(dtype, 0).constructor.name}, got ${got}`,
      );
    }
    if (data.length !== size) {
      throw new RangeError(
        `Tensor: data has ${data.length} elements but shape ${formatShape(shape)} needs ${size}`,
      );
    }
    this.dtype = dtype;
    this.shape = Object.freeze([...shape]);
    this.data = data;
    this.size = size;
    const strides = new Array<number>(shape.length);
    let s = 1;
    for (let i = shape.length - 1; i >= 0; i--) {
      strides[i] = s;
      s *= shape[i]!;
    }
    this.strides = strides;
  }

  /** A zero-filled tensor. */
  static zeros<D extends DType>(dtype: D, shape: readonly number[]): Tensor<D> {
    return new Tensor(dtype, shape, allocTypedArray(dtype, shapeSize(shape, 'Tensor.zeros')));
  }

  /** A tensor with every element set to `value` (encoded for the dtype; float16 rounds to nearest even). */
  static full<D extends DType>(dtype: D, shape: readonly number[], value: number | boolean): Tensor<D> {
    const t = Tensor.zeros(dtype, shape);
    t.data.fill(encodeElement(dtype, value, 'Tensor.full', 0));
    return t;
  }

  /**
   * Builds a tensor from numbers (copied and encoded for the dtype).
   *
   * `data` is a flat array-like (then `shape` defaults to `[data.length]`) or a nested array (then `shape`
   * defaults to the nesting). A given `shape` must have exactly as many elements as `data`.
   * Integer and bool dtypes reject values they cannot hold (`1.5`, `-1` for uint8, `2` for bool).
   *
   * @throws RangeError `Tensor.fromArray: data has 6 elements but shape [2,4] needs 8`.
   */
  static fromArray<D extends DType>(
    dtype: D,
    data: ArrayLike<number> | NestedArray,
    shape?: readonly number[],
  ): Tensor<D> {
    assertDType(dtype, 'Tensor.fromArray');
    let flat: ArrayLike<unknown>;
    let inferred: number[];
    if (Array.isArray(data) && data.some((x) => Array.isArray(x))) {
      inferred = inferShape(data as NestedArray, 'Tensor.fromArray');
      const out: unknown[] = [];
      flattenNested(data as NestedArray, out);
      flat = out;
    } else if (isArrayLikeOfNumbers(data)) {
      flat = data;
      inferred = [data.length];
    } else {
      throw new TypeError('Tensor.fromArray: data must be an array or a typed array');
    }
    const finalShape = shape ?? inferred;
    const size = shapeSize(finalShape, 'Tensor.fromArray');
    if (flat.length !== size) {
      throw new RangeError(
        `Tensor.fromArray: data has ${flat.length} elements but shape ${formatShape(finalShape)} needs ${size}`,
      );
    }
    const storage = allocTypedArray(dtype, size);
    for (let i = 0; i < size; i++) storage[i] = encodeElement(dtype, flat[i], 'Tensor.fromArray', i);
    return new Tensor(dtype, finalShape, storage);
  }

  /** A 0-d tensor (shape `[]`) holding one value. */
  static scalar<D extends DType>(dtype: D, value: number | boolean): Tensor<D> {
    return Tensor.full(dtype, [], value);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /**
   * A view with another shape over the same storage. One dimension may be `-1` (inferred).
   *
   * @throws RangeError naming both shapes when the sizes differ.
   */
  reshape(shape: readonly number[]): Tensor<D> {
    const minus = shape.reduce((n, d) => (d === -1 ? n + 1 : n), 0);
    if (minus > 1) {
      throw new RangeError(`Tensor.reshape: only one dimension may be -1, got ${formatShape(shape)}`);
    }
    let target = [...shape];
    if (minus === 1) {
      const known = shapeSize(
        shape.filter((d) => d !== -1),
        'Tensor.reshape',
      );
      if (known === 0 || this.size % known !== 0) {
        throw new RangeError(
          `Tensor.reshape: cannot reshape ${formatShape(this.shape)} (${this.size} elements) into ${formatShape(shape)}`,
        );
      }
      target = shape.map((d) => (d === -1 ? this.size / known : d));
    }
    const size = shapeSize(target, 'Tensor.reshape');
    if (size !== this.size) {
      throw new RangeError(
        `Tensor.reshape: cannot reshape ${formatShape(this.shape)} (${this.size} elements) into ` +
          `${formatShape(shape)} (${size} elements)`,
      );
    }
    return new Tensor(this.dtype, target, this.data);
  }

  /**
   * Rows `start` (inclusive) to `end` (exclusive) along axis 0, as a view sharing storage (no copy).
   * Negative indices count from the end, out-of-range bounds are clamped (like `Array.prototype.slice`),
   * `end` defaults to `shape[0]`. The result keeps the rank (`[4,3].slice(1, 3)` has shape `[2,3]`).
   */
  slice(start: number, end?: number): Tensor<D> {
    if (this.rank === 0) throw new RangeError('Tensor.slice: cannot slice a scalar (shape [])');
    const n = this.shape[0]!;
    const norm = (i: number, name: string): number => {
      if (!Number.isInteger(i)) throw new RangeError(`Tensor.slice: ${name} must be an integer, got ${i}`);
      const j = i < 0 ? i + n : i;
      return Math.min(Math.max(j, 0), n);
    };
    const s = norm(start, 'start');
    const e = Math.max(s, end === undefined ? n : norm(end, 'end'));
    const row = this.strides[0]!;
    const data = this.data.subarray(s * row, e * row) as DTypeArrayMap[D];
    return new Tensor(this.dtype, [e - s, ...this.shape.slice(1)], data);
  }

  /** Row `i` of axis 0 as a view with rank − 1 (no copy). Negative `i` counts from the end. */
  row(i: number): Tensor<D> {
    if (this.rank === 0) throw new RangeError('Tensor.row: a scalar (shape []) has no rows');
    const n = this.shape[0]!;
    const j = i < 0 ? i + n : i;
    if (!Number.isInteger(j) || j < 0 || j >= n) {
      throw new RangeError(`Tensor.row: index ${i} is out of range for axis 0 of size ${n}`);
    }
    const row = this.strides[0]!;
    return new Tensor(
      this.dtype,
      this.shape.slice(1),
      this.data.subarray(j * row, (j + 1) * row) as DTypeArrayMap[D],
    );
  }

  /** Flat (row-major) offset of a full index; negative indices count from the end of their axis. */
  offsetOf(indices: readonly number[]): number {
    if (indices.length !== this.rank) {
      throw new RangeError(
        `Tensor: index [${indices.join(',')}] has ${indices.length} components but the shape ` +
          `${formatShape(this.shape)} has ${this.rank}`,
      );
    }
    let off = 0;
    for (let a = 0; a < indices.length; a++) {
      const n = this.shape[a]!;
      const raw = indices[a]!;
      const i = raw < 0 ? raw + n : raw;
      if (!Number.isInteger(i) || i < 0 || i >= n) {
        throw new RangeError(
          `Tensor: index ${raw} is out of range for axis ${a} of size ${n} (shape ${formatShape(this.shape)})`,
        );
      }
      off += i * this.strides[a]!;
    }
    return off;
  }

  /** The element at `indices` as a number (float16 decoded, bool as 0/1). */
  get(indices: readonly number[]): number {
    const v = this.data[this.offsetOf(indices)]!;
    return this.dtype === 'float16' ? fromFloat16Bits(v) : v;
  }

  /** Sets the element at `indices` (encoded for the dtype; integer dtypes reject values out of range). */
  set(indices: readonly number[], value: number | boolean): void {
    const off = this.offsetOf(indices);
    this.data[off] = encodeElement(this.dtype, value, 'Tensor.set', off);
  }

  /** All elements in row-major order as plain numbers (float16 decoded, bool as 0/1). */
  toNumbers(): number[] {
    const out = new Array<number>(this.size);
    if (this.dtype === 'float16') for (let i = 0; i < this.size; i++) out[i] = fromFloat16Bits(this.data[i]!);
    else for (let i = 0; i < this.size; i++) out[i] = this.data[i]!;
    return out;
  }

  /** The elements as nested arrays following the shape (a number for a scalar). */
  toNested(): number | NestedNumbers {
    const flat = this.toNumbers();
    if (this.rank === 0) return flat[0]!;
    const build = (axis: number, offset: number): NestedNumbers => {
      const n = this.shape[axis]!;
      const out: NestedNumbers = [];
      for (let i = 0; i < n; i++) {
        const o = offset + i * this.strides[axis]!;
        out.push(axis === this.rank - 1 ? flat[o]! : build(axis + 1, o));
      }
      return out;
    };
    return build(0, 0);
  }

  /** A copy with its own storage. */
  clone(): Tensor<D> {
    return new Tensor(this.dtype, this.shape, this.data.slice() as DTypeArrayMap[D]);
  }

  /**
   * A copy converted to `dtype`. Float → float16 rounds to nearest even; float → integer dtypes requires
   * integral values in range (throws otherwise, naming the element).
   */
  astype<E extends DType>(dtype: E): Tensor<E> {
    if ((dtype as DType) === this.dtype) return this.clone() as unknown as Tensor<E>;
    return Tensor.fromArray(dtype, this.toNumbers(), this.shape);
  }

  /**
   * True when `other` has the same dtype and shape and every element pair satisfies
   * `|a - b| <= atol + rtol * |b|` (exact equality by default). ±Infinity equals only itself; NaN equals NaN
   * unless `equalNan` is false.
   */
  equals(other: Tensor, options: EqualsOptions = {}): boolean {
    if (!(other instanceof Tensor) || other.dtype !== this.dtype || other.size !== this.size) return false;
    if (other.rank !== this.rank || other.shape.some((d, i) => d !== this.shape[i])) return false;
    const atol = options.atol ?? 0;
    const rtol = options.rtol ?? 0;
    const equalNan = options.equalNan ?? true;
    const a = this.toNumbers();
    const b = other.toNumbers();
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      const y = b[i]!;
      if (x === y) continue;
      if (Number.isNaN(x) || Number.isNaN(y)) {
        if (equalNan && Number.isNaN(x) && Number.isNaN(y)) continue;
        return false;
      }
      if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
      if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) return false;
    }
    return true;
  }

  /** A short description: `Tensor<float32>[2,3]`. */
  toString(): string {
    return `Tensor<${this.dtype}>${formatShape(this.shape)}`;
  }
}

/** Nested arrays of numbers as returned by {@link Tensor.toNested}. */
export type NestedNumbers = Array<number | NestedNumbers>;

/** True when `x` is a {@link Tensor}. */
export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}
