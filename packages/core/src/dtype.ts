/**
 * Element types of spark-snn tensors and their typed-array storage.
 *
 * `float16` is stored as raw IEEE-754 half bits in a `Uint16Array` (Node 20 has no `Float16Array`);
 * use {@link toFloat16Bits} / {@link fromFloat16Bits} from `float16.ts` to convert. `bool` is stored
 * as one byte per element (0 or 1), as WGSL has no byte-addressable bool storage.
 *
 * @module
 */

/** Names of the element types, matching Spark/NumPy dtype names. */
export const DTYPES = ['float32', 'float16', 'int32', 'uint32', 'uint8', 'bool'] as const;

/** An element type name. */
export type DType = (typeof DTYPES)[number];

/** Typed array used to store each dtype on the host. */
export interface DTypeArrayMap {
  float32: Float32Array;
  float16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  uint8: Uint8Array;
  bool: Uint8Array;
}

/** Any typed array that backs a tensor. */
export type TypedArray = DTypeArrayMap[DType];

type TypedArrayCtor = {
  new (length: number): TypedArray;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): TypedArray;
  readonly BYTES_PER_ELEMENT: number;
};

const CTORS: Record<DType, TypedArrayCtor> = {
  float32: Float32Array,
  float16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  uint8: Uint8Array,
  bool: Uint8Array,
};

/** True when `name` is a known dtype name. */
export function isDType(name: unknown): name is DType {
  return typeof name === 'string' && (DTYPES as readonly string[]).includes(name);
}

/** Throws a clear error unless `name` is a known dtype. Returns it narrowed. */
export function assertDType(name: unknown, path = 'dtype'): DType {
  if (!isDType(name)) {
    throw new TypeError(
      `${path}: unknown dtype ${JSON.stringify(name)}; expected one of ${DTYPES.join(', ')}`,
    );
  }
  return name;
}

/** Size of one element in bytes. */
export function bytesPerElement(dtype: DType): number {
  return CTORS[dtype].BYTES_PER_ELEMENT;
}

/** Allocates a zero-filled typed array of `length` elements for `dtype`. */
export function allocTypedArray<D extends DType>(dtype: D, length: number): DTypeArrayMap[D] {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`allocTypedArray: length must be a non-negative integer, got ${length}`);
  }
  return new CTORS[dtype](length) as DTypeArrayMap[D];
}

/** Views `buffer` as a typed array of `dtype` (no copy). */
export function viewTypedArray<D extends DType>(
  dtype: D,
  buffer: ArrayBufferLike,
  byteOffset = 0,
  length?: number,
): DTypeArrayMap[D] {
  return new CTORS[dtype](buffer, byteOffset, length) as DTypeArrayMap[D];
}

/** True when `array` is the storage type of `dtype` (float16 and bool/uint8 share their storage type). */
export function matchesDType(dtype: DType, array: ArrayBufferView): boolean {
  return array instanceof CTORS[dtype];
}
