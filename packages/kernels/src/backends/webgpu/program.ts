/**
 * A plan loaded on the webgpu backend: device buffers, the step's dispatches, runs in chunks.
 *
 * **The step.** The plan's ops are scheduled by the rule the cpu step program uses
 * (`ops/schedule.ts`): module ops over one index space are fused into one dispatch (one kernel,
 * buffers loaded once into registers, stored once), and a copy into a one-step-latency buffer whose
 * source is rewritten completely every step becomes a **swap of double buffers**: the two plan
 * buffers of the pair exchange roles at the end of every step, so the copy costs no dispatch. Every
 * dispatch has a bind group per parity (the second one binds the pairs' buffers exchanged), and step
 * `t` of a run uses the groups of parity `(p₀ + t) mod 2`. Spiking outputs keep **event lists** (see
 * `op.ts`) that propagation, group sums and copies read instead of scanning every unit.
 *
 * **A run** is split into chunks of K steps (K ≤ the backend's `chunk`, default 1000). Per chunk the
 * host makes one `writeBuffer` of the K per-step control blocks (global step, step-in-chunk; one per
 * `minUniformBufferOffsetAlignment` slot) and one per input stream (K rows at once), encodes the
 * whole chunk as ONE compute pass — per step, every dispatch with `setBindGroup(0, bg, offsets, t, 1)`
 * selecting the step's control block (a preallocated offsets array: no per-step allocation) — in
 * which a copy kernel moves the step's input rows in and the recorded buffers out into a device
 * record buffer, then submits once and reads the recordings back with one `mapAsync`. So a run makes
 * O(steps / K) submissions and readbacks, never one per step.
 *
 * **Stats.** Besides the counters of `ProgramStats`, the program counts bytes: the estimated device
 * traffic of every dispatch (each op's estimate from its bindings and sizes, `Cmd.bytes`) and the
 * bytes moved between host and device.
 *
 * @module
 */

import {
  BackendError,
  type DType,
  fromFloat16Array,
  matchesDType,
  type ProgramStats,
  type RunOptions,
  type RunResult,
  type TypedArray,
  toFloat16Array,
} from '@spark-snn/core';
import { copyWgsl } from '../../ops/copy/webgpu.ts';
import { opSpec, type ResolvedOp } from '../../ops/index.ts';
import { accessMaps, findSwaps, scheduleOps } from '../../ops/schedule.ts';
import type { WebGpuSparseInfo } from '../../ops/sparse/webgpu.ts';
import {
  allocFor,
  checkRunOptions,
  initialContents,
  type ResolvedBuffer,
  type ResolvedPlan,
} from '../../plan.ts';
import { StepCounter } from '../host.ts';
import type { DeviceBufferView, DeviceElementType } from './device-buffers.ts';
import { EVENTS_RESCAN_WGSL, eventListWords } from './events.ts';
import type { WebGpuBackendOptions, WebGpuProgram, WebGpuProgramInfo } from './index.ts';
import { wgslEntries } from './kernel.ts';
import {
  type BindGroups,
  bufferUsage as BU,
  bindEntries,
  type Cmd,
  type CopyArgs,
  type DeviceBuffer,
  type EntryKind,
  type Pipe,
  type WebGpuContext,
  type WebGpuOp,
  type WebGpuOpCommands,
  workgroups,
} from './op.ts';
import { WEBGPU_OPS } from './ops.ts';

/** What a program needs from its backend. */
export interface ProgramHost {
  readonly device: GPUDevice;
  readonly float16: 'native' | 'emulated';
  readonly options: WebGpuBackendOptions;
  /** A cached compute pipeline with an explicit bind group layout. */
  pipeline(code: string, entries: readonly EntryKind[], path: string): Promise<Pipe>;
  /** A pooled buffer of `size` bytes and `usage`. */
  acquire(size: number, usage: number, label: string): GPUBuffer;
  /** Returns a pooled buffer. */
  release(b: GPUBuffer): void;
  /** Throws a `BackendError` once the device is lost. */
  checkAlive(): void;
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

/** The per-step control blocks of a program and the copy and rescan pipelines. */
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
  /** The event list rescan pipeline (when the program keeps lists). */
  readonly rescan: Pipe | undefined;
}

/** Default steps per submission. */
const DEFAULT_CHUNK = 1000;

/** Device element type of a plan dtype (`native16`: float16 buffers are `array<f16>`). */
function elementTypeOf(dtype: DType, native16: boolean): DeviceElementType {
  if (dtype === 'float16') return native16 ? 'f16' : 'f32';
  return dtype === 'float32' ? 'f32' : dtype === 'int32' ? 'i32' : 'u32';
}

/** The copy pipeline for elements of `dtype`. */
function copyPipeline(ctrl: Ctrl, dtype: DType, native16: boolean): Pipe {
  return (elementBytes(dtype, native16) === 2 ? ctrl.copy.f16 : ctrl.copy.u32) as Pipe;
}

function mapRead(): number {
  const m = (globalThis as unknown as { GPUMapMode?: { READ: number } }).GPUMapMode;
  return m?.READ ?? 1;
}

/**
 * A swapped pair of plan buffers (a copy `dst = src` the schedule replaced by double buffering). At
 * rest with parity p, `a[p]` holds both names' value — unless `split`, when the source's own value
 * is in `a[1 − p]` (after load, a reset or a host write, until the next step).
 */
interface Pair {
  readonly src: string;
  readonly dst: string;
  /** The destination's and the source's own device buffers. */
  readonly a: readonly [DeviceBuffer, DeviceBuffer];
  /** Scheduled positions of the source's writer and of the (skipped) copy. */
  readonly posW: number;
  readonly posC: number;
  split: boolean;
}

/** An event list of one device buffer. */
interface EventList {
  /** The buffer whose list it is. */
  readonly of: DeviceBuffer;
  readonly list: GPUBuffer;
}

/** The step's schedule as loaded (for tests and reports). */
export interface WebGpuSchedule {
  /** Dispatches of one step without streams and records. */
  readonly dispatchesPerStep: number;
  /** Op names of every fused group (two ops or more), in execution order. */
  readonly fused: readonly (readonly string[])[];
  /** Copies run as swaps of double buffers: `[src, dst]` plan buffer names. */
  readonly swapped: readonly (readonly [string, string])[];
  /** Plan buffers that carry an event list. */
  readonly eventLists: readonly string[];
  /** Estimated device bytes read and written by the dispatches of one step. */
  readonly bytesPerStep: { readonly read: number; readonly write: number };
}

export class WebGpuProgramImpl extends StepCounter implements WebGpuProgram {
  readonly backend = 'webgpu' as const;
  readonly stats: ProgramStats = {
    submissions: 0,
    readbacks: 0,
    uploads: 0,
    dispatches: 0,
    bytesRead: 0,
    bytesWritten: 0,
    bytesUploaded: 0,
    bytesReadBack: 0,
  };
  readonly info: WebGpuProgramInfo;
  /** float16 buffers are `array<f16>`. */
  private readonly native16: boolean;
  /** Parity of the double buffers at rest (the groups of the next step). */
  private parity = 0;
  private destroyed = false;
  private readonly b: ProgramHost;
  private readonly r: ResolvedPlan;
  private readonly bufs: Map<string, DeviceBuffer>;
  private readonly ctrl: Ctrl;
  private readonly owned: GPUBuffer[];
  /** The step's dispatches per op (or fused group), in execution order. */
  private readonly steps: readonly WebGpuOpCommands[];
  private readonly pairOf: ReadonlyMap<string, { pair: Pair; role: 'src' | 'dst' }>;
  /** Buffer exchanges of parity 1 (the pairs' buffers and their lists). */
  private readonly swapped: ReadonlyMap<GPUBuffer, GPUBuffer>;
  private readonly lists: ReadonlyMap<GPUBuffer, EventList>;
  private readonly watchers: ReadonlyMap<string, ((name: string, data: TypedArray) => void)[]>;
  /** Stable copies of swapped buffers handed out by `deviceBuffer`, refreshed after every chunk. */
  private readonly mirrors = new Map<string, GPUBuffer>();
  /** Static sparse connectivity kept on the host (laid out on the device by its op). */
  private readonly hostOnly: ReadonlyMap<string, ResolvedBuffer>;

  private constructor(
    b: ProgramHost,
    r: ResolvedPlan,
    parts: {
      bufs: Map<string, DeviceBuffer>;
      ctrl: Ctrl;
      owned: GPUBuffer[];
      steps: WebGpuOpCommands[];
      hostOnly: ReadonlyMap<string, ResolvedBuffer>;
      sparse: readonly WebGpuSparseInfo[];
      pairs: readonly Pair[];
      swapped: ReadonlyMap<GPUBuffer, GPUBuffer>;
      lists: ReadonlyMap<GPUBuffer, EventList>;
      listed: readonly string[];
      fused: readonly (readonly string[])[];
      watchers: ReadonlyMap<string, ((name: string, data: TypedArray) => void)[]>;
    },
  ) {
    super();
    this.b = b;
    this.r = r;
    this.bufs = parts.bufs;
    this.ctrl = parts.ctrl;
    this.owned = parts.owned;
    this.steps = parts.steps;
    this.hostOnly = parts.hostOnly;
    this.swapped = parts.swapped;
    this.lists = parts.lists;
    this.watchers = parts.watchers;
    const pairOf = new Map<string, { pair: Pair; role: 'src' | 'dst' }>();
    for (const pair of parts.pairs) {
      pairOf.set(pair.src, { pair, role: 'src' });
      pairOf.set(pair.dst, { pair, role: 'dst' });
    }
    this.pairOf = pairOf;
    this.native16 = b.float16 === 'native';
    let bufferBytes = 0;
    let float16Buffers = 0;
    for (const db of this.bufs.values()) {
      bufferBytes += db.bytes;
      if (db.res.spec.dtype === 'float16') float16Buffers++;
    }
    const cmds = this.stepCmds();
    const schedule: WebGpuSchedule = {
      dispatchesPerStep: cmds.length,
      fused: parts.fused,
      swapped: parts.pairs.map((p) => [p.src, p.dst] as const),
      eventLists: parts.listed,
      bytesPerStep: {
        read: cmds.reduce((s, c) => s + c.bytes.read, 0),
        write: cmds.reduce((s, c) => s + c.bytes.write, 0),
      },
    };
    this.info = { float16: b.float16, float16Buffers, bufferBytes, sparse: parts.sparse, schedule };
  }

  /** The step's dispatches now (an op may have replaced its own, see `WebGpuContext.watch`). */
  private stepCmds(): Cmd[] {
    return this.steps.flatMap((s) => s.cmds);
  }

  static async create(b: ProgramHost, r: ResolvedPlan): Promise<WebGpuProgramImpl> {
    const d = b.device;
    const U = BU();
    const limits = d.limits;
    const o = b.options;
    const native16 = b.float16 === 'native';
    const deviceBytes = (res: ResolvedBuffer): number =>
      Math.max(4, align4(res.size * elementBytes(res.spec.dtype, native16)));
    const maxBinding = Math.min(
      limits.maxStorageBufferBindingSize,
      o.limits?.maxStorageBufferBindingSize ?? Number.POSITIVE_INFINITY,
    );
    const maxBuffer = Math.min(limits.maxBufferSize, o.limits?.maxBufferSize ?? Number.POSITIVE_INFINITY);
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
    const impls = r.ops.map((op, i) => WEBGPU_OPS.get(op.kind, `ops[${i}]`) as WebGpuOp);
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
      impls[i]?.prepare?.(op as never, {
        path: `ops[${i}]`,
        limits,
        native16,
        options: o,
        initial: (slot) => r.buffers.get(op.op.bindings[slot] as string)?.spec.init,
      }),
    );

    // ---- the schedule: fused groups, swapped copies, event lists ----
    const access = accessMaps(r.ops);
    const items = scheduleOps(r.ops, access, (i) => o.fuse !== false && impls[i]?.createGroup !== undefined);
    const flat = items.flatMap((it) => it.ops);
    const pos = new Map<number, number>(flat.map((i, p) => [i, p]));
    const sameLayout = (a: string, c: string): boolean => {
      const x = r.buffers.get(a) as ResolvedBuffer;
      const y = r.buffers.get(c) as ResolvedBuffer;
      return x.size === y.size && x.spec.dtype === y.spec.dtype && !hostOnly.has(a) && !hostOnly.has(c);
    };
    const candidates =
      o.doubleBuffers === false
        ? []
        : findSwaps(r.ops, access, flat, pos).filter((s) => sameLayout(s.src, s.dst));
    const skipped = new Set(candidates.map((s) => s.copy));
    const listed = o.events === false ? new Set<string>() : eventAnalysis(r, impls, prepared, hostOnly);
    // A swapped pair's two buffers carry lists when its source does (the destination shares them).
    for (const s of candidates) {
      if (listed.has(s.src)) listed.add(s.dst);
      else listed.delete(s.dst);
    }

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
    const lists = new Map<GPUBuffer, EventList>();
    for (const name of listed) {
      const of = bufs.get(name) as DeviceBuffer;
      const list = d.createBuffer({
        size: 4 * eventListWords(of.res.size),
        usage: U.STORAGE | U.COPY_SRC | U.COPY_DST,
        label: `${name}.events`,
      });
      owned.push(list);
      lists.set(of.gpu, { of, list });
    }
    const pairs: Pair[] = candidates.map((s) => ({
      src: s.src,
      dst: s.dst,
      a: [bufs.get(s.dst) as DeviceBuffer, bufs.get(s.src) as DeviceBuffer],
      posW: s.posW,
      posC: s.posC,
      split: true,
    }));
    const pairOf = new Map<string, { pair: Pair; role: 'src' | 'dst' }>();
    const swapped = new Map<GPUBuffer, GPUBuffer>();
    for (const pair of pairs) {
      pairOf.set(pair.src, { pair, role: 'src' });
      pairOf.set(pair.dst, { pair, role: 'dst' });
      const [x, y] = pair.a;
      swapped.set(x.gpu, y.gpu).set(y.gpu, x.gpu);
      const lx = lists.get(x.gpu);
      const ly = lists.get(y.gpu);
      if (lx && ly) swapped.set(lx.list, ly.list).set(ly.list, lx.list);
    }
    /** The buffer a name refers to at scheduled position `p`, in the groups of parity 0. */
    const physAt = (name: string, p: number): DeviceBuffer => {
      const pr = pairOf.get(name);
      if (pr === undefined) return bufs.get(name) as DeviceBuffer;
      const next = pr.role === 'dst' ? p > pr.pair.posC : p >= pr.pair.posW;
      return pr.pair.a[next ? 1 : 0];
    };
    const bindGroup = (layout: GPUBindGroupLayout, buffers: readonly GPUBuffer[]): BindGroups => {
      const bg0 = d.createBindGroup({ layout, entries: bindEntries(buffers) });
      if (!buffers.some((x) => swapped.has(x))) return [bg0, bg0];
      return [
        bg0,
        d.createBindGroup({ layout, entries: bindEntries(buffers.map((x) => swapped.get(x) ?? x)) }),
      ];
    };
    const stride = Math.max(256, limits.minUniformBufferOffsetAlignment);
    const capacity = Math.max(1, Math.floor(o.chunk ?? DEFAULT_CHUNK));
    const ctrlBuf = d.createBuffer({ size: capacity * stride, usage: U.UNIFORM | U.COPY_DST, label: 'ctrl' });
    owned.push(ctrlBuf);
    const copyEntries: EntryKind[] = ['uniform', 'uniform', 'read-only-storage', 'storage'];
    const copyPipe = await b.pipeline(copyWgsl('u32'), copyEntries, 'copy');
    const has16 = native16 && [...r.buffers.values()].some((x) => x.spec.dtype === 'float16');
    const copy16 = has16 ? await b.pipeline(copyWgsl('f16'), copyEntries, 'copy') : undefined;
    const rescan = lists.size > 0 ? await b.pipeline(EVENTS_RESCAN_WGSL, copyEntries, 'events') : undefined;
    const ctrl: Ctrl = {
      buffer: ctrlBuf,
      stride,
      capacity,
      words: new Uint32Array((capacity * stride) / 4),
      offsets: Uint32Array.from({ length: capacity }, (_, t) => t * stride),
      copy: { u32: copyPipe, f16: copy16 },
      rescan,
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
      const [x, y] = workgroups(a.n, 64);
      const eb = elementBytes(src.res.spec.dtype, native16);
      return {
        pipeline: pipe.pipeline,
        bindGroups: bindGroup(pipe.layout, [ctrlBuf, A, src.gpu, dst]),
        x,
        y,
        bytes: { read: eb * a.n, write: eb * a.n },
      };
    };
    const watchers = new Map<string, ((name: string, data: TypedArray) => void)[]>();
    const steps: WebGpuOpCommands[] = [];
    const sparse: WebGpuSparseInfo[] = [];
    const fused: string[][] = [];
    const ctxFor = (i: number): WebGpuContext => {
      const op = r.ops[i] as ResolvedOp;
      const path = `ops[${i}]`;
      const p = pos.get(i) as number;
      const nameOf = (slot: string): string => op.op.bindings[slot] as string;
      const slotBuffer = (slot: string): DeviceBuffer => physAt(nameOf(slot), p);
      const listOf = (slot: string): GPUBuffer | undefined =>
        listed.has(nameOf(slot)) ? lists.get(slotBuffer(slot).gpu)?.list : undefined;
      return {
        path,
        limits,
        native16,
        options: o,
        initial: (slot) => r.buffers.get(nameOf(slot))?.spec.init,
        device: d,
        key: r.key,
        ctrl: ctrlBuf,
        maxBytes,
        tooBig,
        pipeline: (code, entries = wgslEntries(code)) => b.pipeline(code, entries, path),
        uniform,
        storage,
        bindGroup,
        g: (slot) => slotBuffer(slot).gpu,
        buffer: slotBuffer,
        dtypeOf: (slot) => (r.buffers.get(nameOf(slot)) as ResolvedBuffer).spec.dtype,
        copy: copyCmd,
        events: listOf,
        provideEvents: listOf,
        watch: (slots, onWrite) => {
          for (const slot of slots) {
            const name = nameOf(slot);
            watchers.set(name, [...(watchers.get(name) ?? []), onWrite]);
          }
        },
      };
    };
    for (const it of items) {
      const first = it.ops[0] as number;
      if (it.ops.length === 1 && skipped.has(first)) continue;
      const impl = impls[first] as WebGpuOp;
      let out: WebGpuOpCommands;
      if (it.ops.length > 1 && impl.createGroup) {
        out = await impl.createGroup(
          it.ops.map((i) => r.ops[i] as never),
          it.ops.map(ctxFor),
        );
        fused.push(it.ops.map((i) => (r.ops[i] as ResolvedOp).op.name));
      } else out = await impl.create(r.ops[first] as never, ctxFor(first), prepared[first]);
      steps.push(out);
      if (out.sparse) sparse.push(out.sparse);
    }
    const p = new WebGpuProgramImpl(b, r, {
      bufs,
      ctrl,
      owned,
      steps,
      hostOnly,
      sparse,
      pairs,
      swapped,
      lists,
      listed: [...listed],
      fused,
      watchers,
    });
    p.uploadInitial();
    return p;
  }

  /** The buffer holding `name`'s value between steps. */
  private physical(name: string): DeviceBuffer {
    const pr = this.pairOf.get(name);
    if (pr === undefined) return this.bufs.get(name) as DeviceBuffer;
    const { pair, role } = pr;
    return pair.a[role === 'src' && pair.split ? 1 - this.parity : this.parity] as DeviceBuffer;
  }

  private upload(gpu: GPUBuffer, data: DeviceData): void {
    this.b.device.queue.writeBuffer(gpu, 0, data.buffer, data.byteOffset, data.byteLength);
    this.stats.uploads++;
    (this.stats.bytesUploaded as number) += data.byteLength;
  }

  private uploadInitial(): void {
    for (const db of this.bufs.values()) {
      const init = db.res.spec.init;
      if (init === undefined || init === 0) continue;
      this.upload(db.gpu, toDevice(db.res.spec.dtype, initialContents(db.res), this.native16));
    }
    this.rescan([...this.lists.values()]);
  }

  /** Rebuilds event lists from their buffers' contents (one submission). */
  private rescan(which: readonly EventList[]): void {
    const pipe = this.ctrl.rescan;
    if (which.length === 0 || pipe === undefined) return;
    const d = this.b.device;
    const temps: GPUBuffer[] = [];
    const enc = d.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipe.pipeline);
    for (const l of which) {
      const c = this.rescanCmd(l, temps);
      pass.setBindGroup(0, c.bindGroups[0], this.ctrl.offsets, 0, 1);
      pass.dispatchWorkgroups(c.x, c.y, 1);
      this.stats.dispatches++;
    }
    pass.end();
    d.queue.submit([enc.finish()]);
    this.stats.submissions++;
    for (const t of temps) t.destroy();
  }

  /** A rescan dispatch of list `l` (its argument block in `temps`). */
  private rescanCmd(l: EventList, temps: GPUBuffer[]): Cmd {
    const d = this.b.device;
    const U = BU();
    const pipe = this.ctrl.rescan as Pipe;
    const n = l.of.res.size;
    const A = d.createBuffer({ size: 16, usage: U.UNIFORM | U.COPY_DST, label: 'events.args' });
    d.queue.writeBuffer(A, 0, new Uint32Array([n, 0, 0, 0]));
    temps.push(A);
    const [x, y] = workgroups(n, 64);
    return {
      pipeline: pipe.pipeline,
      bindGroups: this.bindGroups(pipe.layout, [this.ctrl.buffer, A, l.of.gpu, l.list]),
      x,
      y,
      bytes: { read: 4 * n, write: 4 * eventListWords(n) },
    };
  }

  /** Bind groups of a per-run dispatch (exchanging the pairs' buffers for parity 1). */
  private bindGroups(layout: GPUBindGroupLayout, buffers: readonly GPUBuffer[]): BindGroups {
    const d = this.b.device;
    const bg0 = d.createBindGroup({ layout, entries: bindEntries(buffers) });
    if (!buffers.some((x) => this.swapped.has(x))) return [bg0, bg0];
    return [
      bg0,
      d.createBindGroup({ layout, entries: bindEntries(buffers.map((x) => this.swapped.get(x) ?? x)) }),
    ];
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
    // A double-buffered name moves between two buffers every step: hand out a stable mirror.
    if (this.pairOf.has(name) && !this.mirrors.has(name)) {
      const U = BU();
      const m = this.b.device.createBuffer({
        size: db.bytes,
        usage: U.STORAGE | U.COPY_SRC | U.COPY_DST,
        label: `${name}.view`,
      });
      this.mirrors.set(name, m);
      this.refreshMirrors(undefined);
    }
    const alive = () => this.alive();
    const elementType = elementTypeOf(db.res.spec.dtype, this.native16);
    const mirrors = this.mirrors;
    return {
      name,
      dtype: db.res.spec.dtype,
      elementType,
      length: db.res.size,
      byteOffset: 0,
      byteLength: db.res.size * (elementType === 'f16' ? 2 : 4),
      get buffer(): GPUBuffer {
        alive();
        return mirrors.get(name) ?? db.gpu;
      },
    };
  }

  /** Copies every mirrored buffer's current value into its mirror (into `enc`, or one submission). */
  private refreshMirrors(enc: GPUCommandEncoder | undefined): void {
    if (this.mirrors.size === 0) return;
    const e = enc ?? this.b.device.createCommandEncoder();
    for (const [name, m] of this.mirrors) {
      const src = this.physical(name);
      e.copyBufferToBuffer(src.gpu, 0, m, 0, src.bytes);
    }
    if (enc === undefined) {
      this.b.device.queue.submit([e.finish()]);
      this.stats.submissions++;
    }
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
    const [x, y] = workgroups(a.n, 64);
    const eb = elementBytes(dtype, this.native16);
    return {
      pipeline: pipe.pipeline,
      bindGroups: this.bindGroups(pipe.layout, [this.ctrl.buffer, A, src, dst]),
      x,
      y,
      bytes: { read: eb * a.n, write: eb * a.n },
    };
  }

  /** Where a stream into `name` goes in the groups of parity 0 (a swapped source: its writer's buffer). */
  private streamTarget(name: string): DeviceBuffer {
    const pr = this.pairOf.get(name);
    if (pr === undefined) return this.bufs.get(name) as DeviceBuffer;
    return pr.pair.a[pr.role === 'src' ? 1 : 0];
  }

  /** What a record of `name` reads after a step, in the groups of parity 0. */
  private recordSource(name: string): DeviceBuffer {
    const pr = this.pairOf.get(name);
    return pr === undefined ? (this.bufs.get(name) as DeviceBuffer) : pr.pair.a[1];
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
      if (data.length === db.res.size && steps !== 1) await this.write(name, data);
      else streams.push({ db, data: dev, rowBytes: db.res.size * eb(db) });
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
    // Per-run commands: stream rows in (before the ops; a stream into a buffer with an event list
    // rebuilds the list) and recorded buffers out (after them).
    const before: Cmd[] = [];
    const streamBufs: GPUBuffer[] = [];
    for (const s of streams) {
      const buf = take(align4(s.rowBytes * chunk), U.STORAGE | U.COPY_DST, 'stream');
      streamBufs.push(buf);
      if (s.rowBytes === 0) continue;
      const target = this.streamTarget(s.db.res.spec.name);
      before.push(
        this.runCopy(
          s.db.res.spec.dtype,
          buf,
          target.gpu,
          { n: s.db.res.size, srcStride: s.db.res.size },
          temps,
        ),
      );
      const list = this.lists.get(target.gpu);
      if (list) before.push(this.rescanCmd(list, temps));
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
            this.recordSource(rc.name).gpu,
            recBuf as GPUBuffer,
            { n: rc.db.res.size, dstOffset: rc.offset / eb(rc.db), dstStride: rc.db.res.size },
            temps,
          ),
        );
    }
    const perStep = [...before, ...this.stepCmds(), ...after];
    let readPerStep = 0;
    let writePerStep = 0;
    for (const c of perStep) {
      readPerStep += c.bytes.read;
      writePerStep += c.bytes.write;
    }
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
      (this.stats.bytesReadBack as number) += recBytes;
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
        (this.stats.bytesUploaded as number) += k * ctrl.stride;
        streams.forEach((s, j) => {
          // Half rows: the write is rounded up to whole words (the data is padded to even length).
          const bytes = align4(k * s.rowBytes);
          d.queue.writeBuffer(
            streamBufs[j] as GPUBuffer,
            0,
            s.data.buffer,
            s.data.byteOffset + done * s.rowBytes,
            bytes,
          );
          this.stats.uploads++;
          (this.stats.bytesUploaded as number) += bytes;
        });
        // The whole chunk is one compute pass: per step, every dispatch with the step's control block
        // and the bind groups of the step's parity.
        // The first chunk of a run is validated: a validation error becomes a BackendError instead
        // of a silent uncaptured error (once per run, so no per-chunk cost).
        if (chunkIndex === 0) d.pushErrorScope('validation');
        const enc = d.createCommandEncoder();
        const pass = enc.beginComputePass();
        let last: GPUComputePipeline | undefined;
        for (let t = 0; t < k; t++) {
          const parity = (this.parity + t) & 1;
          for (const c of perStep) {
            if (c.pipeline !== last) {
              pass.setPipeline(c.pipeline);
              last = c.pipeline;
            }
            pass.setBindGroup(0, c.bindGroups[parity] as GPUBindGroup, ctrl.offsets, t, 1);
            pass.dispatchWorkgroups(c.x, c.y, 1);
          }
        }
        pass.end();
        this.parity = (this.parity + k) & 1;
        if (k > 0) for (const { pair } of this.pairOf.values()) pair.split = false;
        this.refreshMirrors(enc);
        this.stats.dispatches += k * perStep.length;
        (this.stats.bytesRead as number) += k * readPerStep;
        (this.stats.bytesWritten as number) += k * writePerStep;
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
    if (!this.bufs.has(name)) throw new BackendError('invalid-input', 'read', `unknown buffer "${name}"`);
    const db = this.physical(name);
    const U = BU();
    const staging = this.b.acquire(Math.ceil(db.bytes / 16) * 16, U.MAP_READ | U.COPY_DST, 'staging');
    try {
      const enc = this.b.device.createCommandEncoder();
      enc.copyBufferToBuffer(db.gpu, 0, staging, 0, db.bytes);
      this.b.device.queue.submit([enc.finish()]);
      this.stats.submissions++;
      await staging.mapAsync(mapRead());
      this.stats.readbacks++;
      (this.stats.bytesReadBack as number) += db.bytes;
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
    const pr = this.pairOf.get(name);
    let target = db;
    const touched: DeviceBuffer[] = [];
    if (pr !== undefined) {
      const { pair, role } = pr;
      const cur = pair.a[this.parity] as DeviceBuffer;
      const other = pair.a[1 - this.parity] as DeviceBuffer;
      if (role === 'dst' && !pair.split) {
        // The source keeps its value: it moves to the other buffer.
        const enc = this.b.device.createCommandEncoder();
        enc.copyBufferToBuffer(cur.gpu, 0, other.gpu, 0, cur.bytes);
        this.b.device.queue.submit([enc.finish()]);
        this.stats.submissions++;
      }
      pair.split = true;
      target = role === 'dst' ? cur : other;
      touched.push(cur, other);
    } else touched.push(db);
    this.upload(target.gpu, dev);
    this.rescan(touched.flatMap((x) => this.lists.get(x.gpu) ?? []));
    for (const w of this.watchers.get(name) ?? []) w(name, data);
    this.refreshMirrors(undefined);
  }

  async reset(): Promise<void> {
    this.alive();
    for (const db of this.bufs.values())
      this.upload(db.gpu, toDevice(db.res.spec.dtype, initialContents(db.res), this.native16));
    // Every plan buffer holds its own initial value: parity 0, sources split from destinations.
    this.parity = 0;
    for (const { pair } of this.pairOf.values()) pair.split = true;
    for (const [name, ws] of this.watchers) {
      const init = initialContents(this.r.buffers.get(name) as ResolvedBuffer);
      for (const w of ws) w(name, init);
    }
    this.rescan([...this.lists.values()]);
    this.refreshMirrors(undefined);
    this.stepCount = 0;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const b of this.owned) b.destroy();
    for (const m of this.mirrors.values()) m.destroy();
  }
}

/**
 * Which float32 buffers carry an event list: every op that writes the buffer keeps its list
 * (`provides`) and some op reads it (`reads`); iterated to the largest consistent set (a copy keeps
 * its destination's list only from its source's, and reads its source's only for its destination).
 */
function eventAnalysis(
  r: ResolvedPlan,
  impls: readonly WebGpuOp[],
  prepared: readonly unknown[],
  hostOnly: ReadonlyMap<string, ResolvedBuffer>,
): Set<string> {
  const writers = new Map<string, { op: number; slots: string[] }[]>();
  r.ops.forEach((op, i) => {
    const a = (opSpec(op.kind)?.access(op as never) ?? {}) as Record<string, string>;
    for (const [slot, name] of Object.entries(op.op.bindings)) {
      if ((a[slot] ?? 'r') === 'r') continue;
      const list = writers.get(name) ?? [];
      const hit = list.find((x) => x.op === i);
      if (hit) hit.slots.push(slot);
      else list.push({ op: i, slots: [slot] });
      writers.set(name, list);
    }
  });
  const candidates = [...writers.keys()].filter((name) => {
    const b = r.buffers.get(name) as ResolvedBuffer;
    return b.spec.dtype === 'float32' && !hostOnly.has(name);
  });
  let listed = new Set(candidates);
  for (let round = 0; round <= candidates.length + 1; round++) {
    const has = (i: number) => (slot: string) =>
      listed.has((r.ops[i] as ResolvedOp).op.bindings[slot] as string);
    const provided = r.ops.map((op, i) => new Set(impls[i]?.provides?.(op as never, has(i)) ?? []));
    const demanded = new Set<string>();
    r.ops.forEach((op, i) => {
      for (const slot of impls[i]?.reads?.(op as never, has(i), prepared[i]) ?? [])
        demanded.add(op.op.bindings[slot] as string);
    });
    const next = new Set(
      candidates.filter(
        (name) =>
          demanded.has(name) &&
          (writers.get(name) ?? []).every((w) => w.slots.every((s) => provided[w.op]?.has(s))),
      ),
    );
    if (next.size === listed.size && [...next].every((n) => listed.has(n))) return next;
    listed = next;
  }
  throw new Error('webgpu: the event analysis did not settle (a bug)');
}
