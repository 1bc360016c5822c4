/**
 * The `webgpu` backend: generated WGSL for `module` ops, hand-written WGSL for the structural ops,
 * state kept in device storage buffers.
 *
 * A run is split into chunks of K steps (K ≤ the backend's `chunk`, default 1000). Per chunk the host
 * makes one `writeBuffer` of the K per-step control blocks (global step, step-in-chunk; one per
 * `minUniformBufferOffsetAlignment` slot) and one per input stream (K rows at once), encodes the
 * whole chunk as ONE compute pass — per step, every dispatch with `setBindGroup(0, bg, offsets, t, 1)`
 * selecting the step's control block (a preallocated offsets array: no per-step allocation) — in
 * which a copy kernel moves the step's input rows in and the recorded buffers out into a device
 * record buffer, then submits once and reads the recordings back with one `mapAsync`. So a run makes
 * O(steps / K) submissions and readbacks, never one per step. Pipelines are cached per WGSL source,
 * bind groups of the plan's ops are built once at load, and chunk buffers come from a pool reused
 * across runs.
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
  type DType,
  fromFloat16Array,
  type GpuDeviceHandle,
  matchesDType,
  type Plan,
  type Program,
  type ProgramStats,
  type RequestGpuDeviceOptions,
  type RunOptions,
  type RunResult,
  requestGpuDevice,
  type TypedArray,
  toFloat16Array,
} from '@spark-snn/core';
import { copyWgsl } from '../../ops/copy/webgpu.ts';
import type { SparseDelivery } from '../../ops/sparse/op.ts';
import type { WebGpuSparseInfo } from '../../ops/sparse/webgpu.ts';
import {
  allocFor,
  checkRunOptions,
  initialContents,
  type ResolvedBuffer,
  type ResolvedPlan,
  resolvePlan,
} from '../../plan.ts';
import type { DeviceBufferView, DeviceElementType, WebGpuProgramDevice } from './device-buffers.ts';

import {
  bufferUsage as BU,
  bindEntries,
  type Cmd,
  type CopyArgs,
  type DeviceBuffer,
  type EntryKind,
  type Pipe,
  type WebGpuContext,
  workgroups,
} from './op.ts';
import { WEBGPU_OPS } from './ops.ts';

export type { WebGpuSparseInfo } from '../../ops/sparse/webgpu.ts';
export type { DeviceBufferView, DeviceElementType, WebGpuProgramDevice } from './device-buffers.ts';

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

class WebGpuBackendImpl implements WebGpuBackend {
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

/** Device data of a host array: 4-byte elements, or half bits padded to a multiple of 4 bytes. */
type DeviceData = Float32Array | Int32Array | Uint32Array | Uint16Array;

/** Bytes per device element of `dtype` (2 for `float16` in native form). */
function elementBytes(dtype: DType, native16: boolean): 2 | 4 {
  return native16 && dtype === 'float16' ? 2 : 4;
}

/** Rounds a byte count up to a multiple of 4 (WebGPU copies and writes move whole words). */
function align4(bytes: number): number {
  return Math.ceil(bytes / 4) * 4;
}

/** Host typed array → device data (`native16`: float16 stays as half bits, padded to even length). */
function toDevice(dtype: DType, a: TypedArray, native16: boolean): DeviceData {
  switch (dtype) {
    case 'float32':
    case 'int32':
    case 'uint32':
      return a as Float32Array | Int32Array | Uint32Array;
    case 'float16': {
      if (!native16) return fromFloat16Array(a as Uint16Array);
      if (a.length % 2 === 0) return a as Uint16Array;
      const padded = new Uint16Array(a.length + 1);
      padded.set(a as Uint16Array);
      return padded;
    }
    default:
      return Uint32Array.from(a as Uint8Array);
  }
}

/** Device data (as bytes) → host typed array of `dtype`. */
function fromDevice(
  dtype: DType,
  native16: boolean,
  bytes: ArrayBuffer,
  byteOffset: number,
  n: number,
  out?: TypedArray,
  outOffset = 0,
): TypedArray {
  const dst = out ?? allocFor(dtype, n);
  switch (dtype) {
    case 'float32':
      (dst as Float32Array).set(new Float32Array(bytes, byteOffset, n), outOffset);
      break;
    case 'int32':
      (dst as Int32Array).set(new Int32Array(bytes, byteOffset, n), outOffset);
      break;
    case 'uint32':
      (dst as Uint32Array).set(new Uint32Array(bytes, byteOffset, n), outOffset);
      break;
    case 'float16':
      (dst as Uint16Array).set(
        native16
          ? new Uint16Array(bytes, byteOffset, n)
          : toFloat16Array(new Float32Array(bytes, byteOffset, n)),
        outOffset,
      );
      break;
    default:
      (dst as Uint8Array).set(new Uint32Array(bytes, byteOffset, n), outOffset);
  }
  return dst;
}

/** The copy kernel's `Args` block. */
function copyArgs(a: CopyArgs): ArrayBuffer {
  return new Uint32Array([
    a.n,
    a.srcOffset ?? 0,
    a.srcStride ?? 0,
    a.dstOffset ?? 0,
    a.dstStride ?? 0,
    0,
    0,
    0,
  ]).buffer;
}

/** The per-step control blocks of a program and the copy pipeline. */
interface Ctrl {
  readonly buffer: GPUBuffer;
  /** Bytes between the blocks of consecutive steps (≥ minUniformBufferOffsetAlignment). */
  readonly stride: number;
  /** Most steps per chunk. */
  readonly capacity: number;
  /** Host image of the control blocks of a chunk (reused). */
  readonly words: Uint32Array;
  /** Dynamic offsets `t · stride` (reused; no per-step allocation). */
  readonly offsets: Uint32Array;
  /** Copy pipelines over 4-byte elements and (native float16 only) over halves. */
  readonly copy: Readonly<Record<'u32' | 'f16', Pipe | undefined>>;
}

/** Default steps per submission. */
const DEFAULT_CHUNK = 1000;

/**
 * The device and plan buffers of a program loaded by the webgpu backend, or `undefined` for a
 * program of another backend. Work encoded on that device after a `run` (or inside its `onChunk`)
 * sees the state of the last executed step, without any readback.
 */
export function webgpuProgramDevice(program: Program): WebGpuProgramDevice | undefined {
  return program instanceof WebGpuProgramImpl ? program : undefined;
}

/** Device element type of a plan dtype (`native16`: float16 buffers are `array<f16>`). */
function elementTypeOf(dtype: DType, native16: boolean): DeviceElementType {
  if (dtype === 'float16') return native16 ? 'f16' : 'f32';
  return dtype === 'float32' ? 'f32' : dtype === 'int32' ? 'i32' : 'u32';
}

class WebGpuProgramImpl implements WebGpuProgram {
  readonly backend = 'webgpu' as const;
  readonly stats: ProgramStats = { submissions: 0, readbacks: 0, uploads: 0, dispatches: 0 };
  readonly info: WebGpuProgramInfo;
  /** float16 buffers are `array<f16>`. */
  private readonly native16: boolean;
  private stepCount = 0;
  private destroyed = false;
  private readonly b: WebGpuBackendImpl;
  private readonly r: ResolvedPlan;
  private readonly bufs: Map<string, DeviceBuffer>;
  private readonly ctrl: Ctrl;
  private readonly owned: GPUBuffer[];
  private readonly cmds: readonly Cmd[];
  /** Static sparse connectivity kept on the host (laid out on the device by its op). */
  private readonly hostOnly: ReadonlyMap<string, ResolvedBuffer>;

  private constructor(
    b: WebGpuBackendImpl,
    r: ResolvedPlan,
    bufs: Map<string, DeviceBuffer>,
    ctrl: Ctrl,
    owned: GPUBuffer[],
    cmds: Cmd[],
    hostOnly: ReadonlyMap<string, ResolvedBuffer>,
    sparse: readonly WebGpuSparseInfo[],
  ) {
    this.hostOnly = hostOnly;
    this.b = b;
    this.r = r;
    this.bufs = bufs;
    this.ctrl = ctrl;
    this.owned = owned;
    this.cmds = cmds;
    this.native16 = b.float16 === 'native';
    let bufferBytes = 0;
    let float16Buffers = 0;
    for (const db of bufs.values()) {
      bufferBytes += db.bytes;
      if (db.res.spec.dtype === 'float16') float16Buffers++;
    }
    this.info = { float16: b.float16, float16Buffers, bufferBytes, sparse };
  }

  static async create(b: WebGpuBackendImpl, r: ResolvedPlan): Promise<WebGpuProgram> {
    const d = b.device;
    const U = BU();
    const limits = d.limits;
    const native16 = b.float16 === 'native';
    const deviceBytes = (res: ResolvedBuffer): number =>
      Math.max(4, align4(res.size * elementBytes(res.spec.dtype, native16)));
    const maxBinding = Math.min(
      limits.maxStorageBufferBindingSize,
      b.options.limits?.maxStorageBufferBindingSize ?? Number.POSITIVE_INFINITY,
    );
    const maxBuffer = Math.min(
      limits.maxBufferSize,
      b.options.limits?.maxBufferSize ?? Number.POSITIVE_INFINITY,
    );
    const maxBytes = Math.min(maxBinding, maxBuffer);
    const tooBig = (path: string, what: string, bytes: number): BackendError =>
      new BackendError(
        'limit-exceeded',
        path,
        `${what} needs ${bytes} bytes on the device; this device allows at most ${maxBytes} per buffer (maxStorageBufferBindingSize ${maxBinding}, maxBufferSize ${maxBuffer})`,
      );
    // The connectivity of sparse ops is static and op-owned: each op lays it out on the device itself
    // (2-byte indices, split into segments that fit the limits); the host keeps the plan's arrays.
    const hostOnly = new Map<string, ResolvedBuffer>();
    const otherUse = new Set<string>();
    const impls = r.ops.map((op, i) => WEBGPU_OPS.get(op.kind, `ops[${i}]`));
    r.ops.forEach((op, i) => {
      const own = impls[i]?.hostSlots ?? [];
      for (const [slot, name] of Object.entries(op.op.bindings)) {
        if (own.includes(slot)) hostOnly.set(name, r.buffers.get(name) as ResolvedBuffer);
        else otherUse.add(name);
      }
    });
    for (const name of otherUse) hostOnly.delete(name);
    // ---- limits, before any allocation ----
    r.plan.buffers.forEach((spec, i) => {
      if (hostOnly.has(spec.name)) return;
      const res = r.buffers.get(spec.name) as ResolvedBuffer;
      const bytes = deviceBytes(res);
      if (bytes > maxBytes) throw tooBig(`buffers[${i}]`, `buffer "${spec.name}"`, bytes);
    });
    const prepared = r.ops.map((op, i) =>
      impls[i]?.prepare?.(op as never, { path: `ops[${i}]`, limits, native16 }),
    );
    // ---- allocation and upload ----
    const owned: GPUBuffer[] = [];
    const bufs = new Map<string, DeviceBuffer>();
    for (const [name, res] of r.buffers) {
      if (hostOnly.has(name)) continue;
      const bytes = deviceBytes(res);
      const gpu = d.createBuffer({ size: bytes, usage: U.STORAGE | U.COPY_SRC | U.COPY_DST, label: name });
      owned.push(gpu);
      bufs.set(name, { res, gpu, bytes });
    }
    const stride = Math.max(256, limits.minUniformBufferOffsetAlignment);
    const capacity = Math.max(1, Math.floor(b.options.chunk ?? DEFAULT_CHUNK));
    const ctrlBuf = d.createBuffer({ size: capacity * stride, usage: U.UNIFORM | U.COPY_DST, label: 'ctrl' });
    owned.push(ctrlBuf);
    const copyEntries: EntryKind[] = ['uniform', 'uniform', 'read-only-storage', 'storage'];
    const copyPipe = await b.pipeline(copyWgsl('u32'), copyEntries, 'copy');
    const has16 = native16 && [...r.buffers.values()].some((x) => x.spec.dtype === 'float16');
    const copy16 = has16 ? await b.pipeline(copyWgsl('f16'), copyEntries, 'copy') : undefined;
    const ctrl: Ctrl = {
      buffer: ctrlBuf,
      stride,
      capacity,
      words: new Uint32Array((capacity * stride) / 4),
      offsets: Uint32Array.from({ length: capacity }, (_, t) => t * stride),
      copy: { u32: copyPipe, f16: copy16 },
    };
    const uniform = (data: ArrayBuffer, label: string): GPUBuffer => {
      const u = d.createBuffer({
        size: Math.max(16, Math.ceil(data.byteLength / 16) * 16),
        usage: U.UNIFORM | U.COPY_DST,
        label,
      });
      d.queue.writeBuffer(u, 0, data);
      owned.push(u);
      return u;
    };
    const storage = (data: ArrayBufferView | number, label: string): GPUBuffer => {
      const bytes = typeof data === 'number' ? data : data.byteLength;
      const buf = d.createBuffer({
        size: Math.max(16, Math.ceil(bytes / 16) * 16),
        usage: typeof data === 'number' ? U.STORAGE : U.STORAGE | U.COPY_DST,
        label,
      });
      if (typeof data !== 'number' && bytes > 0)
        d.queue.writeBuffer(buf, 0, data.buffer, data.byteOffset, data.byteLength);
      owned.push(buf);
      return buf;
    };
    /** Copy between buffers of one dtype (copy and concat bind equal dtypes; plan.ts checks it). */
    const copyCmd = (src: DeviceBuffer, dst: GPUBuffer, a: CopyArgs, label: string): Cmd => {
      const pipe = copyPipeline(ctrl, src.res.spec.dtype, native16);
      const A = uniform(copyArgs(a), label);
      const bindGroup = d.createBindGroup({
        layout: pipe.layout,
        entries: bindEntries([ctrlBuf, A, src.gpu, dst]),
      });
      const [x, y] = workgroups(a.n, 64);
      return { pipeline: pipe.pipeline, bindGroup, x, y };
    };
    const cmds: Cmd[] = [];
    const sparse: WebGpuSparseInfo[] = [];
    for (const [i, op] of r.ops.entries()) {
      const path = `ops[${i}]`;
      const slotBuffer = (slot: string): DeviceBuffer =>
        bufs.get(op.op.bindings[slot] as string) as DeviceBuffer;
      const ctx: WebGpuContext = {
        path,
        limits,
        native16,
        device: d,
        options: b.options,
        key: r.key,
        ctrl: ctrlBuf,
        maxBytes,
        tooBig,
        pipeline: (code, entries) => b.pipeline(code, entries, path),
        uniform,
        storage,
        g: (slot) => slotBuffer(slot).gpu,
        buffer: slotBuffer,
        dtypeOf: (slot) => (r.buffers.get(op.op.bindings[slot] as string) as ResolvedBuffer).spec.dtype,
        copy: copyCmd,
      };
      const out = await (impls[i] as NonNullable<(typeof impls)[number]>).create(
        op as never,
        ctx,
        prepared[i],
      );
      cmds.push(...out.cmds);
      if (out.sparse) sparse.push(out.sparse);
    }
    const p = new WebGpuProgramImpl(b, r, bufs, ctrl, owned, cmds, hostOnly, sparse);
    p.uploadInitial();
    return p;
  }

  private uploadInitial(): void {
    for (const [, db] of this.bufs) {
      const init = db.res.spec.init;
      if (init === undefined || init === 0) continue;
      const data = toDevice(db.res.spec.dtype, initialContents(db.res), this.native16);
      this.b.device.queue.writeBuffer(
        this.bufs.get(db.res.spec.name)?.gpu as GPUBuffer,
        0,
        data.buffer,
        data.byteOffset,
        data.byteLength,
      );
      this.stats.uploads++;
    }
  }

  get step(): number {
    return this.stepCount;
  }

  setStep(step: number): void {
    if (!Number.isInteger(step) || step < 0 || step > 0xffffffff) {
      throw new BackendError('invalid-input', 'step', `must be an integer in [0, 2^32), got ${String(step)}`);
    }
    this.stepCount = step;
  }

  get device(): GPUDevice {
    this.alive();
    return this.b.device;
  }

  deviceBuffer(name: string): DeviceBufferView {
    this.alive();
    const db = this.bufs.get(name);
    if (db === undefined)
      throw new BackendError(
        'invalid-input',
        'deviceBuffer',
        this.hostOnly.has(name)
          ? `buffer "${name}" is static sparse connectivity kept on the host (laid out by its op)`
          : `unknown buffer "${name}"`,
      );
    const alive = () => this.alive();
    const elementType = elementTypeOf(db.res.spec.dtype, this.native16);
    return {
      name,
      dtype: db.res.spec.dtype,
      elementType,
      length: db.res.size,
      byteOffset: 0,
      byteLength: db.res.size * (elementType === 'f16' ? 2 : 4),
      get buffer(): GPUBuffer {
        alive();
        return db.gpu;
      },
    };
  }

  private alive(): void {
    if (this.destroyed) throw new BackendError('invalid-input', '', 'program was destroyed');
    this.b.checkAlive();
  }

  /** Per-run copy commands (streams in, records out) of `dtype` elements with their own argument blocks. */
  private runCopy(dtype: DType, src: GPUBuffer, dst: GPUBuffer, a: CopyArgs, temps: GPUBuffer[]): Cmd {
    const d = this.b.device;
    const U = BU();
    const pipe = copyPipeline(this.ctrl, dtype, this.native16);
    const A = d.createBuffer({ size: 32, usage: U.UNIFORM | U.COPY_DST, label: 'copy.args' });
    d.queue.writeBuffer(A, 0, copyArgs(a));
    temps.push(A);
    const bindGroup = d.createBindGroup({
      layout: pipe.layout,
      entries: bindEntries([this.ctrl.buffer, A, src, dst]),
    });
    const [x, y] = workgroups(a.n, 64);
    return { pipeline: pipe.pipeline, bindGroup, x, y };
  }

  async run(o: RunOptions): Promise<RunResult> {
    this.alive();
    const steps = checkRunOptions(this.r, o);
    for (const [what, names] of [
      ['inputs', Object.keys(o.inputs ?? {})],
      ['record', o.record ?? []],
    ] as const)
      for (const name of names)
        if (this.hostOnly.has(name))
          throw new BackendError(
            'invalid-input',
            `${what}.${name}`,
            'static sparse connectivity is laid out at load; it cannot be streamed or recorded',
          );
    const d = this.b.device;
    const U = BU();
    const ctrl = this.ctrl;
    const streams: { db: DeviceBuffer; data: DeviceData; rowBytes: number }[] = [];
    const eb = (db: DeviceBuffer): number => elementBytes(db.res.spec.dtype, this.native16);
    for (const [name, data] of Object.entries(o.inputs ?? {})) {
      const db = this.bufs.get(name) as DeviceBuffer;
      const dev = toDevice(db.res.spec.dtype, data, this.native16);
      if (data.length === db.res.size && steps !== 1) {
        d.queue.writeBuffer(db.gpu, 0, dev.buffer, dev.byteOffset, dev.byteLength);
        this.stats.uploads++;
      } else streams.push({ db, data: dev, rowBytes: db.res.size * eb(db) });
    }
    const recs = (o.record ?? []).map((name) => {
      const db = this.bufs.get(name) as DeviceBuffer;
      return {
        name,
        db,
        rowBytes: db.res.size * eb(db),
        out: allocFor(db.res.spec.dtype, db.res.size * steps),
        offset: 0,
      };
    });
    const perStepBytes =
      streams.reduce((s, x) => s + x.rowBytes, 0) + recs.reduce((s, x) => s + x.rowBytes, 0);
    const maxBytes = Math.min(
      this.b.options.maxChunkBytes ?? 64 * 2 ** 20,
      d.limits.maxBufferSize,
      d.limits.maxStorageBufferBindingSize,
    );
    const chunk = Math.max(
      1,
      Math.min(
        o.chunk ?? ctrl.capacity,
        ctrl.capacity,
        steps || 1,
        perStepBytes > 0 ? Math.floor(maxBytes / perStepBytes) : Number.POSITIVE_INFINITY,
      ),
    );
    // Each record's region starts on a 4-byte boundary (half rows may end mid-word).
    let recBytes = 0;
    for (const rc of recs) {
      rc.offset = recBytes;
      recBytes += align4(rc.rowBytes * chunk);
    }
    const pooled: GPUBuffer[] = [];
    const temps: GPUBuffer[] = [];
    const take = (size: number, usage: number, label: string): GPUBuffer => {
      const buf = this.b.acquire(Math.max(16, Math.ceil(size / 16) * 16), usage, label);
      pooled.push(buf);
      return buf;
    };
    // Per-run commands: stream rows in (before the ops) and recorded buffers out (after them).
    const before: Cmd[] = [];
    const streamBufs: GPUBuffer[] = [];
    for (const s of streams) {
      const buf = take(align4(s.rowBytes * chunk), U.STORAGE | U.COPY_DST, 'stream');
      streamBufs.push(buf);
      if (s.rowBytes > 0)
        before.push(
          this.runCopy(
            s.db.res.spec.dtype,
            buf,
            s.db.gpu,
            { n: s.db.res.size, srcStride: s.db.res.size },
            temps,
          ),
        );
    }
    const recBuf = recBytes > 0 ? take(recBytes, U.STORAGE | U.COPY_SRC, 'records') : undefined;
    // Two staging buffers: chunk c+1 is submitted before the readback of chunk c is awaited.
    const stagings =
      recBytes > 0
        ? [
            take(recBytes, U.MAP_READ | U.COPY_DST, 'staging'),
            take(recBytes, U.MAP_READ | U.COPY_DST, 'staging'),
          ]
        : [];
    const after: Cmd[] = [];
    for (const rc of recs) {
      if (rc.rowBytes > 0)
        after.push(
          this.runCopy(
            rc.db.res.spec.dtype,
            rc.db.gpu,
            recBuf as GPUBuffer,
            { n: rc.db.res.size, dstOffset: rc.offset / eb(rc.db), dstStride: rc.db.res.size },
            temps,
          ),
        );
    }
    const perStep = [...before, ...this.cmds, ...after];
    const wordsPerStep = ctrl.stride / 4;
    interface Pending {
      readonly map: Promise<void>;
      readonly staging: GPUBuffer;
      readonly k: number;
      readonly done: number;
    }
    const finish = async (p: Pending): Promise<void> => {
      try {
        await p.map;
      } catch (cause) {
        this.b.checkAlive();
        throw new BackendError('device-lost', '', `readback failed: ${(cause as Error).message}`, { cause });
      }
      this.stats.readbacks++;
      const bytes = p.staging.getMappedRange();
      for (const rc of recs)
        fromDevice(
          rc.db.res.spec.dtype,
          this.native16,
          bytes,
          rc.offset,
          rc.db.res.size * p.k,
          rc.out,
          p.done * rc.db.res.size,
        );
      p.staging.unmap();
    };
    let pending: Pending | undefined;
    let failed = true;
    try {
      let done = 0;
      let chunkIndex = 0;
      while (done < steps) {
        const k = Math.min(chunk, steps - done);
        for (let t = 0; t < k; t++) {
          ctrl.words[t * wordsPerStep] = (this.stepCount + t) >>> 0;
          ctrl.words[t * wordsPerStep + 1] = t;
        }
        d.queue.writeBuffer(ctrl.buffer, 0, ctrl.words.buffer, 0, k * ctrl.stride);
        this.stats.uploads++;
        streams.forEach((s, j) => {
          // Half rows: the write is rounded up to whole words (the data is padded to even length).
          d.queue.writeBuffer(
            streamBufs[j] as GPUBuffer,
            0,
            s.data.buffer,
            s.data.byteOffset + done * s.rowBytes,
            align4(k * s.rowBytes),
          );
          this.stats.uploads++;
        });
        // The whole chunk is one compute pass: per step, every dispatch with the step's control block.
        // The first chunk of a run is validated: a validation error becomes a BackendError instead
        // of a silent uncaptured error (once per run, so no per-chunk cost).
        if (chunkIndex === 0) d.pushErrorScope('validation');
        const enc = d.createCommandEncoder();
        const pass = enc.beginComputePass();
        let last: GPUComputePipeline | undefined;
        for (let t = 0; t < k; t++) {
          for (const c of perStep) {
            if (c.pipeline !== last) {
              pass.setPipeline(c.pipeline);
              last = c.pipeline;
            }
            pass.setBindGroup(0, c.bindGroup, ctrl.offsets, t, 1);
            pass.dispatchWorkgroups(c.x, c.y, 1);
          }
        }
        pass.end();
        this.stats.dispatches += k * perStep.length;
        const staging = stagings[chunkIndex % 2];
        if (staging) enc.copyBufferToBuffer(recBuf as GPUBuffer, 0, staging, 0, recBytes);
        d.queue.submit([enc.finish()]);
        this.stats.submissions++;
        if (chunkIndex === 0) {
          const err = await d.popErrorScope();
          if (err)
            throw new BackendError(
              'invalid-plan',
              '',
              `WebGPU rejected the commands of this run: ${err.message}`,
            );
        }
        chunkIndex++;
        const next: Pending | undefined = staging
          ? { map: staging.mapAsync(mapRead()), staging, k, done }
          : undefined;
        next?.map.catch(() => {}); // observed in finish(); avoid an unhandled rejection meanwhile
        if (pending) await finish(pending);
        pending = next;
        this.stepCount += k;
        done += k;
        this.b.checkAlive();
        if (o.onChunk) await o.onChunk(done);
      }
      if (pending) await finish(pending);
      pending = undefined;
      failed = false;
    } finally {
      for (const p of pooled) {
        // A staging buffer whose mapping was abandoned by an error is not reused.
        if (failed && stagings.includes(p)) p.destroy();
        else this.b.release(p);
      }
      for (const t of temps) t.destroy();
    }
    return { steps, step: this.stepCount, records: Object.fromEntries(recs.map((rc) => [rc.name, rc.out])) };
  }

  async read(name: string): Promise<TypedArray> {
    this.alive();
    const host = this.hostOnly.get(name);
    if (host) return initialContents(host);
    const db = this.bufs.get(name);
    if (db === undefined) throw new BackendError('invalid-input', 'read', `unknown buffer "${name}"`);
    const U = BU();
    const staging = this.b.acquire(Math.ceil(db.bytes / 16) * 16, U.MAP_READ | U.COPY_DST, 'staging');
    try {
      const enc = this.b.device.createCommandEncoder();
      enc.copyBufferToBuffer(db.gpu, 0, staging, 0, db.bytes);
      this.b.device.queue.submit([enc.finish()]);
      this.stats.submissions++;
      await staging.mapAsync(mapRead());
      this.stats.readbacks++;
      const out = fromDevice(db.res.spec.dtype, this.native16, staging.getMappedRange(), 0, db.res.size);
      staging.unmap();
      return out;
    } finally {
      this.b.release(staging);
    }
  }

  async write(name: string, data: TypedArray): Promise<void> {
    this.alive();
    const host = this.hostOnly.get(name);
    if (host) {
      // Writing back what it holds is a no-op (a program copied buffer by buffer); changing it is not.
      const now = initialContents(host);
      if (data.length === now.length && data.every((x, k) => x === now[k])) return;
      throw new BackendError(
        'invalid-input',
        'write',
        `buffer "${name}" is static sparse connectivity, laid out on the device at load; load a new plan to change it`,
      );
    }
    const db = this.bufs.get(name);
    if (db === undefined) throw new BackendError('invalid-input', 'write', `unknown buffer "${name}"`);
    if (!matchesDType(db.res.spec.dtype, data) || data.length !== db.res.size) {
      throw new BackendError(
        'invalid-input',
        'write',
        `buffer "${name}" needs ${db.res.size} values of dtype ${db.res.spec.dtype}, got ${data.length}`,
      );
    }
    const dev = toDevice(db.res.spec.dtype, data, this.native16);
    this.b.device.queue.writeBuffer(db.gpu, 0, dev.buffer, dev.byteOffset, dev.byteLength);
    this.stats.uploads++;
  }

  async reset(): Promise<void> {
    this.alive();
    for (const [, db] of this.bufs) {
      const dev = toDevice(db.res.spec.dtype, initialContents(db.res), this.native16);
      this.b.device.queue.writeBuffer(db.gpu, 0, dev.buffer, dev.byteOffset, dev.byteLength);
      this.stats.uploads++;
    }
    this.stepCount = 0;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const b of this.owned) b.destroy();
  }
}

/** The copy pipeline for elements of `dtype`. */
function copyPipeline(ctrl: Ctrl, dtype: DType, native16: boolean): Pipe {
  return (elementBytes(dtype, native16) === 2 ? ctrl.copy.f16 : ctrl.copy.u32) as Pipe;
}

function mapRead(): number {
  const m = (globalThis as unknown as { GPUMapMode?: { READ: number } }).GPUMapMode;
  return m?.READ ?? 1;
}
