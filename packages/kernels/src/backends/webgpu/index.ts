/**
 * The `webgpu` backend: generated WGSL for `module` ops (fused per index space), hand-written WGSL
 * for the structural ops, state kept in device storage buffers. How a program schedules, runs and
 * counts its steps: `program.ts`.
 *
 * Device buffers have 4-byte elements, except `float16` buffers on a device with the `shader-f16`
 * feature: those are `array<f16>` (2-byte elements, odd lengths padded to 4 bytes) and travel to and
 * from the host as half bits, unconverted. Without the feature (or with `float16: 'emulated'`)
 * `float16` buffers are held as f32 rounded to half precision by the generated kernels. Both forms
 * round the same way (round to nearest even, in f32) and hold bit-identical values;
 * {@link WebGpuProgram.info} says which one a program uses. `uint8`/`bool` are held as u32; the
 * host side keeps the plan's dtypes and converts on upload/readback.
 *
 * @module
 */

import {
  type Backend,
  BackendError,
  type GpuDeviceHandle,
  type Plan,
  type Program,
  type RequestGpuDeviceOptions,
  requestGpuDevice,
} from '@spark-snn/core';
import type { SparseDelivery } from '../../ops/sparse/op.ts';
import type { WebGpuSparseInfo } from '../../ops/sparse/webgpu.ts';
import { resolvePlan } from '../../plan.ts';
import type { WebGpuProgramDevice } from './device-buffers.ts';
import type { EntryKind } from './op.ts';
import { WEBGPU_OPS } from './ops.ts';
import { type ProgramHost, WebGpuProgramImpl, type WebGpuSchedule } from './program.ts';

export type { WebGpuSparseInfo } from '../../ops/sparse/webgpu.ts';
export type { DeviceBufferView, DeviceElementType, WebGpuProgramDevice } from './device-buffers.ts';
export type { WebGpuSchedule } from './program.ts';

/** Options of {@link webgpuBackend}. */
export interface WebGpuBackendOptions {
  /** Use this device (it is not destroyed by the backend). */
  readonly device?: GPUDevice;
  /** Options for `requestGpuDevice` when no device is given (`shader-f16` is requested where available). */
  readonly request?: RequestGpuDeviceOptions;
  /**
   * Steps per submission: the default and the largest chunk a run may use (the per-step control
   * blocks of one chunk live in one uniform buffer of `chunk × 256` bytes). Default 1000.
   */
  readonly chunk?: number;
  /** Upper bound of the per-chunk stream + record buffers, in bytes. Default 64 MiB. */
  readonly maxChunkBytes?: number;
  /**
   * How `float16` buffers are stored: `'auto'` (default) uses `array<f16>` where the device has the
   * `shader-f16` feature and emulation elsewhere; `'emulated'` always uses f32 storage with half
   * rounding (for comparisons on one device).
   */
  readonly float16?: 'auto' | 'emulated';
  /**
   * Lower the device's buffer limits for this backend (the smaller of these and the device's own
   * apply): sparse connectivity is split over several bindings and dispatches to fit them, any other
   * buffer that exceeds them is an error. For tests of the split and for sharing a device.
   */
  readonly limits?: { readonly maxStorageBufferBindingSize?: number; readonly maxBufferSize?: number };
  /** Override the delivery of every `sparse.csr` op (`auto` keeps each op's own `delivery`). */
  readonly sparseDelivery?: SparseDelivery;
  /**
   * Fuse module ops over one index space into one dispatch (the schedule of `ops/schedule.ts`).
   * Default true; false runs every op as its own dispatch (for comparisons).
   */
  readonly fuse?: boolean;
  /**
   * Run one-step-latency copies as swaps of double buffers. Default true; false runs every copy.
   */
  readonly doubleBuffers?: boolean;
  /**
   * Keep event lists of spike vectors for the ops that read them (propagation, group sums). Default
   * true; false makes every op read the dense vectors.
   */
  readonly events?: boolean;
}

/** How a program stores its `float16` buffers and what its buffers occupy on the device. */
export interface WebGpuProgramInfo {
  /**
   * `native`: `array<f16>` (the device has `shader-f16`), `emulated`: f32 storage rounded to half
   * precision. Reported for every program, also one without `float16` buffers.
   */
  readonly float16: 'native' | 'emulated';
  /** Number of the plan's buffers with dtype `float16`. */
  readonly float16Buffers: number;
  /** Bytes of the plan's buffers on the device (without parameter, control and chunk buffers). */
  readonly bufferBytes: number;
  /** How each `sparse.csr` op was laid out (delivery, index width, segments, fixed-point shift). */
  readonly sparse: readonly WebGpuSparseInfo[];
  /** The step as scheduled: dispatches, fused groups, swapped copies, event lists, bytes. */
  readonly schedule: WebGpuSchedule;
}

/** A program of the webgpu backend (its device and buffer views: {@link WebGpuProgramDevice}). */
export interface WebGpuProgram extends Program, WebGpuProgramDevice {
  readonly backend: 'webgpu';
  /** How it stores `float16` buffers (so a silent fallback to emulation is visible). */
  readonly info: WebGpuProgramInfo;
}

/** The webgpu backend. */
export interface WebGpuBackend extends Backend {
  readonly kind: 'webgpu';
  /** The device it runs on. */
  readonly device: GPUDevice;
  /** `native` when `float16` buffers are `array<f16>` on this device, otherwise `emulated`. */
  readonly float16: 'native' | 'emulated';
  load(plan: Plan): Promise<WebGpuProgram>;
}

/** The layout of the `sparse.csr` ops of a program loaded by the webgpu backend (empty for others). */
export function webgpuSparseInfo(program: Program): readonly WebGpuSparseInfo[] {
  return program instanceof WebGpuProgramImpl ? program.info.sparse : [];
}

/** Creates the webgpu backend, acquiring a device unless one is given. */
export async function webgpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  let handle: GpuDeviceHandle | undefined;
  let device = options.device;
  if (device === undefined) {
    handle = await requestGpuDevice({ optionalFeatures: ['shader-f16'], ...options.request });
    device = handle.device;
  }
  return new WebGpuBackendImpl(device, handle, options);
}

class WebGpuBackendImpl implements WebGpuBackend, ProgramHost {
  readonly kind = 'webgpu' as const;
  readonly description: string;
  readonly device: GPUDevice;
  readonly float16: 'native' | 'emulated';
  private readonly handle: GpuDeviceHandle | undefined;
  readonly options: WebGpuBackendOptions;
  /** Reason of a device loss, once lost. */
  lostReason: string | undefined;
  private readonly pipelines = new Map<
    string,
    { pipeline: GPUComputePipeline; layout: GPUBindGroupLayout }
  >();
  readonly pool = new Map<string, GPUBuffer[]>();

  constructor(device: GPUDevice, handle: GpuDeviceHandle | undefined, options: WebGpuBackendOptions) {
    this.device = device;
    this.handle = handle;
    this.options = options;
    this.float16 =
      options.float16 !== 'emulated' && device.features.has('shader-f16') ? 'native' : 'emulated';
    this.description = handle
      ? `WebGPU: ${handle.info.vendor} ${handle.info.architecture} (${handle.info.description})`
      : 'WebGPU (given device)';
    void device.lost.then((info) => {
      this.lostReason = `${info.reason ?? 'unknown'}: ${info.message}`;
    });
  }

  supports(op: string): boolean {
    return WEBGPU_OPS.has(op);
  }

  async load(plan: Plan): Promise<WebGpuProgram> {
    this.checkAlive();
    const r = resolvePlan(plan, (op) => this.supports(op));
    return WebGpuProgramImpl.create(this, r);
  }

  checkAlive(): void {
    if (this.lostReason !== undefined) {
      throw new BackendError(
        'device-lost',
        '',
        `the WebGPU device was lost (${this.lostReason}); state last read back is still on the host — reload the plan on a new backend`,
      );
    }
  }

  /** A cached compute pipeline with an explicit bind group layout. */
  async pipeline(
    code: string,
    entries: readonly EntryKind[],
    path: string,
  ): Promise<{ pipeline: GPUComputePipeline; layout: GPUBindGroupLayout }> {
    const key = `${entries.join(',')}\n${code}`;
    const hit = this.pipelines.get(key);
    if (hit) return hit;
    const d = this.device;
    const STAGE =
      (globalThis as unknown as { GPUShaderStage?: { COMPUTE: number } }).GPUShaderStage?.COMPUTE ?? 4;
    d.pushErrorScope('validation');
    const module = d.createShaderModule({ code });
    const info = await module.getCompilationInfo();
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length > 0) {
      await d.popErrorScope();
      throw new BackendError(
        'invalid-plan',
        path,
        `WGSL does not compile:\n${errors.map((m) => `  ${m.lineNum}:${m.linePos} ${m.message}`).join('\n')}`,
      );
    }
    const layout = d.createBindGroupLayout({
      // Binding 0 is always the per-step control block, addressed with a dynamic offset.
      entries: entries.map((type, binding) => ({
        binding,
        visibility: STAGE,
        buffer: binding === 0 ? { type, hasDynamicOffset: true, minBindingSize: 16 } : { type },
      })),
    });
    const pipeline = d.createComputePipeline({
      layout: d.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main' },
    });
    const err = await d.popErrorScope();
    if (err) throw new BackendError('invalid-plan', path, `pipeline creation failed: ${err.message}`);
    const out = { pipeline, layout };
    this.pipelines.set(key, out);
    return out;
  }

  acquire(size: number, usage: number, label: string): GPUBuffer {
    const list = this.pool.get(`${usage}:${size}`);
    const b = list?.pop();
    if (b) return b;
    return this.device.createBuffer({ size, usage, label });
  }

  release(b: GPUBuffer): void {
    const key = `${b.usage}:${b.size}`;
    let list = this.pool.get(key);
    if (!list) {
      list = [];
      this.pool.set(key, list);
    }
    list.push(b);
  }

  destroy(): void {
    for (const list of this.pool.values()) for (const b of list) b.destroy();
    this.pool.clear();
    this.pipelines.clear();
    this.handle?.destroy();
  }
}

/**
 * The device and plan buffers of a program loaded by the webgpu backend, or `undefined` for a
 * program of another backend. Work encoded on that device after a `run` (or inside its `onChunk`)
 * sees the state of the last executed step, without any readback.
 */
export function webgpuProgramDevice(program: Program): WebGpuProgramDevice | undefined {
  return program instanceof WebGpuProgramImpl ? program : undefined;
}
