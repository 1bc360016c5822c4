/**
 * Read-only access to a webgpu program's device and plan buffers, for work that runs on the same
 * `GPUDevice` as the simulation without reading state back to the host (a live spike raster, a
 * custom analysis kernel). See {@link webgpuProgramDevice}.
 *
 * @module
 */
import type { DType } from '@spark-snn/core';

/** How the elements of a plan buffer are stored on the device (WGSL scalar type). */
export type DeviceElementType = 'f32' | 'f16' | 'i32' | 'u32';

/**
 * Where one plan buffer lives on the device. Read it only (bind it as `read-only-storage` or use it
 * as a copy source); writing to it changes the simulation state behind the program's back.
 *
 * `buffer` and {@link WebGpuProgramDevice.device} throw a `BackendError` once the program is
 * destroyed (code `invalid-input`) or its device is lost (code `device-lost`): fetch the view
 * again from the new program then.
 */
export interface DeviceBufferView {
  /** Plan buffer name. */
  readonly name: string;
  /** The plan's dtype (the host side). */
  readonly dtype: DType;
  /** The element type on the device: `f32` for float32 (and float16 held as f32), `u32` for uint8/bool/uint32, `i32` for int32, `f16` for native half storage. */
  readonly elementType: DeviceElementType;
  /** Number of elements. */
  readonly length: number;
  /** First byte of the buffer's data inside {@link DeviceBufferView.buffer}. */
  readonly byteOffset: number;
  /** Bytes of data (`length × element size`, without padding). */
  readonly byteLength: number;
  /** The device buffer (usage includes `STORAGE | COPY_SRC`). Throws once the program is gone. */
  readonly buffer: GPUBuffer;
}

/** The device side of a program loaded by the webgpu backend. */
export interface WebGpuProgramDevice {
  /** The `GPUDevice` the program runs on. Throws once the program is destroyed or the device lost. */
  readonly device: GPUDevice;
  /** A view of the plan buffer `name`; throws a `BackendError` (path `deviceBuffer`) for an unknown name. */
  deviceBuffer(name: string): DeviceBufferView;
}
