/**
 * One `WebAssembly.Memory` holding a program's host buffers, so that generated WebAssembly kernels and
 * the JavaScript ops work on the same bytes (no copies), and — backed by a `SharedArrayBuffer` — so
 * that worker threads can share them.
 *
 * The memory is sized once and never grown: growing a non-shared memory detaches every typed-array
 * view of it. Allocations are 16-byte aligned (a `v128` load of an aligned buffer never straddles a
 * cache line). WebAssembly SIMD support is detected with {@link wasmSimdSupported}.
 *
 * @module
 */

import { bytesPerElement, type DType, type DTypeArrayMap, viewTypedArray } from '@spark-snn/core';

/** Bytes of one WebAssembly page. */
export const WASM_PAGE = 65536;

/**
 * Largest memory {@link HostMemory} reserves (2 GiB): engines accept up to 4 GiB in 32-bit memories,
 * but browsers refuse large reservations on small devices. Larger programs keep plain typed arrays.
 */
export const MAX_HOST_MEMORY = 2 ** 31;

/** Rounds `n` up to a multiple of 16. */
export function align16(n: number): number {
  return (n + 15) & ~15;
}

let simd: boolean | undefined;

/**
 * True when this engine validates a module using WebAssembly SIMD (`v128`) and bulk memory — Node ≥ 16,
 * Deno, Chrome ≥ 91, Firefox ≥ 89, Safari ≥ 16.4. Computed once.
 */
export function wasmSimdSupported(): boolean {
  if (simd !== undefined) return simd;
  try {
    // (module (func (result v128) (v128.const i32x4 0 0 0 0))); bulk memory (memory.copy) shipped
    // before SIMD in every engine.
    const bytes = new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02,
      0x01, 0x00, 0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0b,
    ]);
    simd = typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch {
    simd = false;
  }
  return simd;
}

/** A bump allocator over one fixed-size `WebAssembly.Memory`. */
export class HostMemory {
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  /** Size in bytes. */
  readonly bytes: number;
  private top = 16; // address 0 stays unused: a zero pointer is never a buffer

  /**
   * @param bytes - total bytes needed (rounded up to whole pages).
   * @param shared - back the memory with a `SharedArrayBuffer` (for workers).
   */
  constructor(bytes: number, shared = false) {
    const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE));
    if (pages * WASM_PAGE > MAX_HOST_MEMORY) {
      throw new RangeError(`HostMemory: ${bytes} bytes exceed the ${MAX_HOST_MEMORY} bytes reserved at most`);
    }
    this.memory = new WebAssembly.Memory(
      shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages, maximum: pages },
    );
    this.shared = shared;
    this.bytes = pages * WASM_PAGE;
  }

  /** Number of pages (the `minPages` a module importing this memory declares). */
  get pages(): number {
    return this.bytes / WASM_PAGE;
  }

  /** Reserves `bytes` (16-byte aligned); returns the address. Throws when the memory is full. */
  alloc(bytes: number): number {
    const at = this.top;
    const end = at + align16(bytes);
    if (end > this.bytes) {
      throw new RangeError(`HostMemory: out of memory (${end} of ${this.bytes} bytes)`);
    }
    this.top = end;
    return at;
  }

  /** Bytes still free. */
  get free(): number {
    return this.bytes - this.top;
  }

  /** A new zero-filled typed array of `dtype` and `length` inside the memory. */
  array<D extends DType>(dtype: D, length: number): DTypeArrayMap[D] {
    return viewTypedArray(dtype, this.memory.buffer, this.alloc(length * bytesPerElement(dtype)), length);
  }

  /** True when `a` is a view of this memory. */
  holds(a: ArrayBufferView): boolean {
    return a.buffer === this.memory.buffer;
  }
}
