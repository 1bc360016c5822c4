/**
 * Sparse propagation (`sparse.csr`) in WGSL, two ways.
 *
 * **Gather** ({@link sparseGatherWgsl}): one invocation per postsynaptic unit over its incoming edges
 * (deterministic, no atomics; rows sorted by source, so the f32 sum order is the cpu push's). One
 * dispatch per segment of rows (a segment's per-edge arrays fit one binding). With delays the first
 * segment's dispatch also writes this step's spikes into the history ring (row `step mod slots`);
 * connections of delay d ≥ 1 read row `(step − d) mod slots`, which no invocation writes in this
 * step, and delay 0 reads the spikes directly.
 *
 * **Scatter** ({@link SPARSE_MARK_WGSL}, {@link sparseScatterWgsl}, {@link SPARSE_FINALIZE_WGSL}):
 * (1) *mark* writes the history row and compacts the units with a spike in their delay window into a
 * list (a workgroup counter, then one global `atomicAdd` per workgroup: the list order varies, which
 * is harmless because (2) adds integers); (2) *scatter*, one workgroup per listed unit (grid-stride),
 * adds `round(w·s·2^k)` into an `atomic<i32>` accumulator per target for every out-edge whose delayed
 * spike is non-zero; (3) *finalize* writes `out_i (+)= f32(acc_i)·2^−k`, clears the accumulators and
 * the list. Integer addition is associative, so the result does not depend on the order of the
 * atomics: it is deterministic, and exact when every `w·s·2^k` is an integer (see
 * `fixedPointShift` for the scale and the error bound otherwise).
 *
 * Indices (`sources` of the gather, `targets` of the scatter) are u32, or u16 packed two per u32
 * word (element `e` in bits `16·(e mod 2)` of word `e / 2`); per-connection delays are always u16
 * packed that way.
 *
 * The host glue ({@link sparseCsrWebgpuOp}) lays the connectivity out on the device and picks the
 * delivery.
 *
 * @module
 */

import { BackendError } from '@spark-snn/core';
import { EVENT_BLOCK, eventBlocks, eventListWords } from '../../backends/webgpu/events.ts';
import { storeWgsl, type WgslStorage, wgslKernel } from '../../backends/webgpu/kernel.ts';
import {
  type BindGroups,
  type Cmd,
  type WebGpuContext,
  type WebGpuOp,
  type WebGpuPrepareContext,
  webgpuOp,
  workgroups,
} from '../../backends/webgpu/op.ts';
import {
  chooseDelivery,
  fixedPointShift,
  historySlots,
  indexWidthFor,
  packU16,
  type Segment,
  segmentRows,
  transposeSparse,
} from './layout.ts';
import type { ResolvedSparseOp } from './op.ts';

function indexFn(name: string, array: string, index16: boolean): string {
  return index16
    ? `fn ${name}(e: u32) -> u32 { return (${array}[e >> 1u] >> ((e & 1u) << 4u)) & 0xffffu; }`
    : `fn ${name}(e: u32) -> u32 { return ${array}[e]; }`;
}

/**
 * The per-edge bindings of a segment (2 `offsets`, 3 the other end of each edge, 4 `weights`,
 * 5 `delays`) and their accessors: `fn <end>(e)` (the index of edge `e`'s other end) and `fn dly(e)`.
 */
function edgeKernel(end: string, ends: string, index16: boolean): { edges: WgslStorage[]; decls: string } {
  return {
    edges: [
      ['offsets', 'u32'],
      [ends, 'u32'],
      ['weights', 'f32'],
      ['delays', 'u32'],
    ],
    decls: `${indexFn(end, ends, index16)}
fn dly(e: u32) -> u32 { return (delays[e >> 1u] >> ((e & 1u) << 4u)) & 0xffffu; }`,
  };
}

/**
 * The gather kernel. Bindings: 0 `ctrl`, 1 `args` {rows, rowBase, pre, slots, flags (1 accumulate,
 * 2 homogeneous weight, 4 per-edge delays, 8 write the history row), delay, weight}, 2 `offsets`
 * (rows + 1, rebased to the segment), 3 `sources`, 4 `weights`, 5 `delays`, 6 `spikes`, 7 `history`,
 * 8 `out`.
 */
export function sparseGatherWgsl(index16: boolean): string {
  const { edges, decls } = edgeKernel('src', 'sources', index16);
  return wgslKernel({
    args: 'rows: u32, rowBase: u32, pre: u32, slots: u32, flags: u32, delay: u32, weight: f32, _p0: u32',
    storage: [...edges, ['spikes', 'f32'], ['history', 'f32', 'read_write'], ['out', 'f32', 'read_write']],
    decls,
    workgroup: 64,
    index: 'i',
    body: /* wgsl */ `
  let slots = args.slots;
  var now = 0u;
  if (slots > 0u) {
    now = ctrl.step % slots;
    if ((args.flags & 8u) != 0u && i < args.pre) {
      history[now * args.pre + i] = spikes[i];
    }
  }
  if (i >= args.rows) { return; }
  let end = offsets[i + 1u];
  var acc = 0.0f;
  let homog = (args.flags & 2u) != 0u;
  let perEdge = (args.flags & 4u) != 0u;
  for (var e = offsets[i]; e < end; e = e + 1u) {
    let j = src(e);
    var d = args.delay;
    if (perEdge) { d = dly(e); }
    var s = 0.0f;
    if (d == 0u) { s = spikes[j]; } else { s = history[((now + slots - d) % slots) * args.pre + j]; }
    if (s != 0.0f) {
      if (homog) { acc = acc + args.weight * s; } else { acc = acc + weights[e] * s; }
    }
  }
  let o = args.rowBase + i;
${storeWgsl('(args.flags & 1u) != 0u', 'out[o]', 'acc')}`,
  });
}

/**
 * Scatter step 1 (mark). Bindings: 0 `ctrl`, 1 `args` {pre, slots, dmin, dmax}, 2 `spikes`,
 * 3 `history`, 4 `list` (`[count, j0, j1, …]`, atomic). Units of `[0, pre)` with a non-zero spike in
 * any row of delays `[dmin, dmax]` are appended to the list.
 */
export const SPARSE_MARK_WGSL: string = wgslKernel({
  args: 'pre: u32, slots: u32, dmin: u32, dmax: u32',
  storage: [
    ['spikes', 'f32'],
    ['history', 'f32', 'read_write'],
    ['list', 'atomic<u32>', 'read_write'],
  ],
  decls: 'var<workgroup> wcount: atomic<u32>;\nvar<workgroup> wbase: u32;',
  workgroup: 64,
  index: 'j',
  body: /* wgsl */ `
  if (lid == 0u) { atomicStore(&wcount, 0u); }
  workgroupBarrier();
  var act = false;
  var local = 0u;
  if (j < args.pre) {
    let x = spikes[j];
    let slots = args.slots;
    if (slots > 0u) {
      let now = ctrl.step % slots;
      history[now * args.pre + j] = x;
      for (var d = args.dmin; d <= args.dmax; d = d + 1u) {
        var v = x;
        if (d > 0u) { v = history[((now + slots - d) % slots) * args.pre + j]; }
        if (v != 0.0f) { act = true; }
      }
    } else {
      act = x != 0.0f;
    }
    if (act) { local = atomicAdd(&wcount, 1u); }
  }
  workgroupBarrier();
  if (lid == 0u) {
    let c = atomicLoad(&wcount);
    if (c > 0u) { wbase = atomicAdd(&list[0], c); }
  }
  workgroupBarrier();
  if (act) { atomicStore(&list[1u + wbase + local], j); }`,
});

/**
 * Scatter step 2, for the sources `[j0, j0 + jn)` of one segment. Bindings: 0 `ctrl`, 1 `args` {j0,
 * jn, pre, slots, flags (1 homogeneous weight, 4 per-edge delays), delay, weight, scale}, 2 `offsets`
 * (jn + 1, rebased), 3 `targets`, 4 `weights`, 5 `delays`, 6 `src` (the history, or the spikes when
 * `slots` is 0), 7 `list`, 8 `acc` (atomic i32, one per postsynaptic unit).
 */
export function sparseScatterWgsl(index16: boolean): string {
  const { edges, decls } = edgeKernel('tgt', 'targets', index16);
  return wgslKernel({
    args: 'j0: u32, jn: u32, pre: u32, slots: u32, flags: u32, delay: u32, weight: f32, scale: f32',
    storage: [...edges, ['src', 'f32'], ['list', 'u32'], ['acc', 'atomic<i32>', 'read_write']],
    decls,
    workgroup: 64,
    body: /* wgsl */ `
  let count = list[0];
  let groups = nwg.x * nwg.y;
  let slots = args.slots;
  var now = 0u;
  if (slots > 0u) { now = ctrl.step % slots; }
  let homog = (args.flags & 1u) != 0u;
  let perEdge = (args.flags & 4u) != 0u;
  for (var k = wid.x + wid.y * nwg.x; k < count; k = k + groups) {
    let j = list[1u + k];
    if (j < args.j0 || j >= args.j0 + args.jn) { continue; }
    let r = j - args.j0;
    let end = offsets[r + 1u];
    for (var e = offsets[r] + lid; e < end; e = e + 64u) {
      var x = 0.0f;
      if (slots > 0u) {
        var d = args.delay;
        if (perEdge) { d = dly(e); }
        x = src[((now + slots - d) % slots) * args.pre + j];
      } else {
        x = src[j];
      }
      if (x != 0.0f) {
        var w = args.weight;
        if (!homog) { w = weights[e]; }
        atomicAdd(&acc[tgt(e)], i32(round(w * x * args.scale)));
      }
    }
  }`,
  });
}

/**
 * Scatter step 3 (finalize). Bindings: 0 `ctrl`, 1 `args` {post, flags (1 accumulate), invScale},
 * 2 `acc`, 3 `list`, 4 `out`.
 */
export const SPARSE_FINALIZE_WGSL: string = wgslKernel({
  args: 'post: u32, flags: u32, invScale: f32, _p0: u32',
  storage: [
    ['acc', 'atomic<i32>', 'read_write'],
    ['list', 'atomic<u32>', 'read_write'],
    ['out', 'f32', 'read_write'],
  ],
  workgroup: 64,
  index: 'i',
  body: /* wgsl */ `
  if (i == 0u) { atomicStore(&list[0], 0u); }
  if (i >= args.post) { return; }
  let v = f32(atomicExchange(&acc[i], 0)) * args.invScale;
${storeWgsl('(args.flags & 1u) != 0u', 'out[i]', 'v')}`,
});

/**
 * Event-list scatter, step 1 with delays (push): the list of this step's spikes (the blocked list of
 * `op.ts`, written by the spiking dispatch) goes into row `step mod slots` of the ring of lists, and
 * its spikes into the same row of the history — the row's old events are rewritten from the current
 * spikes first, so the history row equals the spike vector as in the gather. One workgroup per block.
 * Bindings: 0 `ctrl`, 1 `args` {pre, slots}, 2 `spikes`, 3 `events` (the spikes' list), 4 `history`,
 * 5 `ring` (slots × (nb + pre) words).
 */
export const SPARSE_PUSH_WGSL: string = wgslKernel({
  args: 'pre: u32, slots: u32, _p0: u32, _p1: u32',
  storage: [
    ['spikes', 'f32'],
    ['events', 'u32'],
    ['history', 'f32', 'read_write'],
    ['ring', 'u32', 'read_write'],
  ],
  workgroup: EVENT_BLOCK,
  body: /* wgsl */ `
  let b = wid.x + wid.y * nwg.x;
  let nb = (args.pre + ${EVENT_BLOCK - 1}u) / ${EVENT_BLOCK}u;
  let now = ctrl.step % args.slots;
  let rb = now * (nb + args.pre);
  let at = b * ${EVENT_BLOCK}u + lid;
  var old = 0u;
  var fresh = 0u;
  if (b < nb) {
    old = ring[rb + b];
    fresh = events[b];
    if (lid < old) {
      let j = ring[rb + nb + at];
      history[now * args.pre + j] = spikes[j];
    }
  }
  storageBarrier();
  if (b < nb) {
    if (lid < fresh) {
      let j = events[nb + at];
      history[now * args.pre + j] = spikes[j];
      ring[rb + nb + at] = j;
    }
    if (lid == 0u) { ring[rb + b] = fresh; }
  }`,
});

/**
 * Event-list scatter, step 2, for the sources `[j0, j0 + jn)` of one segment: one workgroup per
 * (delay row, block of sources), over the listed sources of that block and delay; per out-edge of the
 * delay (every edge with a homogeneous delay) adds `round(w·s·2^k)` into `acc`, like
 * {@link sparseScatterWgsl}. Without delays the list and values are the spikes' own (`slots` 0).
 * Bindings: 0 `ctrl`, 1 `args` {j0, jn, pre, slots, flags (1 homogeneous weight, 4 per-edge delays),
 * dmin, blocks, b0, weight, scale, rows}, 2 `offsets`, 3 `targets`, 4 `weights`, 5 `delays`, 6 `vals`
 * (history or spikes), 7 `lists` (ring of lists, or the spikes' list), 8 `acc`.
 */
export function sparseScatterListWgsl(index16: boolean): string {
  const { edges, decls } = edgeKernel('tgt', 'targets', index16);
  return wgslKernel({
    args: `j0: u32, jn: u32, pre: u32, slots: u32, flags: u32, dmin: u32, blocks: u32, b0: u32,
              weight: f32, scale: f32, rows: u32, _p0: u32`,
    storage: [...edges, ['vals', 'f32'], ['lists', 'u32'], ['acc', 'atomic<i32>', 'read_write']],
    decls,
    workgroup: EVENT_BLOCK,
    body: /* wgsl */ `
  let w = wid.x + wid.y * nwg.x;
  if (w >= args.blocks * args.rows) { return; }
  let b = args.b0 + w % args.blocks;
  let d = args.dmin + w / args.blocks;
  let nb = (args.pre + ${EVENT_BLOCK - 1}u) / ${EVENT_BLOCK}u;
  var r = 0u;
  if (args.slots > 0u) { r = (ctrl.step % args.slots + args.slots - d) % args.slots; }
  let lb = r * (nb + args.pre);
  let homog = (args.flags & 1u) != 0u;
  let perEdge = (args.flags & 4u) != 0u;
  let count = lists[lb + b];
  for (var k = 0u; k < count; k = k + 1u) {
    let j = lists[lb + nb + b * ${EVENT_BLOCK}u + k];
    if (j < args.j0 || j >= args.j0 + args.jn) { continue; }
    let x = vals[r * args.pre + j];
    let row = j - args.j0;
    let end = offsets[row + 1u];
    for (var e = offsets[row] + lid; e < end; e = e + ${EVENT_BLOCK}u) {
      if (perEdge && dly(e) != d) { continue; }
      var wt = args.weight;
      if (!homog) { wt = weights[e]; }
      atomicAdd(&acc[tgt(e)], i32(round(wt * x * args.scale)));
    }
  }`,
  });
}

/** Workgroups of a scatter dispatch (each walks the active list with a stride of this many units). */
const SCATTER_WORKGROUPS = 1024;

/** How a `sparse.csr` op was laid out on the device (`program.info.sparse`). */
export interface WebGpuSparseInfo {
  /** The op's name. */
  readonly name: string;
  readonly delivery: 'gather' | 'scatter';
  /** Bytes per stored index. */
  readonly indexWidth: 16 | 32;
  /** Number of segments (bindings per per-edge array) the connectivity was split into. */
  readonly segments: number;
  /** Fixed-point shift k of the scatter (values are `round(w·s·2^k)`); undefined for a gather. */
  readonly shift: number | undefined;
  /** Bytes per edge on the device (index + weight + delay). */
  readonly edgeBytes: number;
  /** Dispatches per step. */
  readonly dispatches: number;
}

/** Bytes per edge on the device: index, weight, delay. */
function edgeBytesOf(h: ResolvedSparseOp['host'], width: 16 | 32): number {
  return width / 8 + (h.weights ? 4 : 0) + (h.delays ? 2 : 0);
}

/**
 * The delivery of a `sparse.csr` op: `chooseDelivery` unless the op or the backend options force one;
 * an automatic scatter whose scratch buffers exceed the device falls back to the gather.
 */
function pickDelivery(op: ResolvedSparseOp, c: WebGpuPrepareContext): 'gather' | 'scatter' {
  const h = op.host;
  const override = c.options.sparseDelivery;
  const requested = override !== undefined && override !== 'auto' ? override : op.attrs.delivery;
  const delivery =
    requested === 'auto'
      ? chooseDelivery({
          pre: h.pre,
          post: h.post,
          nnz: h.nnz,
          edgeBytes: edgeBytesOf(h, indexWidthFor(op.attrs.indexWidth, h.pre)),
          activity: op.attrs.activity,
          windowRows: h.maxDelay - h.minDelay + 1,
          shift: fixedPointShift(h.maxRow, h.maxAbsWeight),
        })
      : requested;
  const maxBytes = Math.min(
    c.limits.maxStorageBufferBindingSize,
    c.limits.maxBufferSize,
    c.options.limits?.maxStorageBufferBindingSize ?? Number.POSITIVE_INFINITY,
    c.options.limits?.maxBufferSize ?? Number.POSITIVE_INFINITY,
  );
  const scratch = Math.max((h.pre + 1) * 4, h.post * 4, 4 * (historySlots(h) || 1) * eventListWords(h.pre));
  if (delivery === 'scatter' && scratch > maxBytes) {
    if (requested === 'auto') return 'gather';
    throw new BackendError(
      'limit-exceeded',
      c.path,
      `the spike lists and accumulators of the scatter of "${op.op.name}" need ${scratch} bytes on the device; this device allows at most ${maxBytes} per buffer`,
    );
  }
  return delivery;
}

/** The blocked event lists (`op.ts`) of every row of a history of `rows` × `pre` values. */
function historyLists(history: ArrayLike<number>, rows: number, pre: number): Uint32Array<ArrayBuffer> {
  const nb = eventBlocks(pre);
  const words = eventListWords(pre);
  const out = new Uint32Array(rows * words);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < pre; j++) {
      if ((history[r * pre + j] as number) === 0) continue; // ±0 is no event, NaN is one
      const b = Math.floor(j / EVENT_BLOCK);
      const k = out[r * words + b] as number;
      out[r * words + nb + b * EVENT_BLOCK + k] = j;
      out[r * words + b] = k + 1;
    }
  return out;
}

/**
 * Lays out one `sparse.csr` op on the device and returns its dispatches: a gather (one dispatch per
 * segment of postsynaptic rows) or a scatter, picked in `prepare` (`pickDelivery`). The scatter reads
 * the event list of its spikes when they have one (push with delays, one scatter dispatch per segment
 * of presynaptic rows, finalize), else marks the active sources itself (mark, scatter, finalize).
 */
async function sparseCommands(
  op: ResolvedSparseOp,
  c: WebGpuContext,
  delivery: 'gather' | 'scatter',
  cmds: Cmd[],
): Promise<WebGpuSparseInfo> {
  const { path } = c;
  const d = c.device;
  const h = op.host;
  const name = op.op.name;
  const slots = historySlots(h);
  const storage = (data: Uint32Array | Float32Array, label: string): GPUBuffer => c.storage(data, label);
  const zeros = (bytes: number, label: string): GPUBuffer => c.storage(bytes, label);
  const shift = fixedPointShift(h.maxRow, h.maxAbsWeight);
  const edgeBytes = (w: 16 | 32): number => edgeBytesOf(h, w);
  // Segments: every per-edge array and the rebased row starts of a segment fit one binding (4 bytes
  // of slack for the odd half word of packed u16 arrays).
  const split = (offsets: ArrayLike<number>, rows: number, width: 16 | 32): Segment[] => {
    const widest = Math.max(width / 8, h.weights ? 4 : 0, h.delays ? 2 : 0);
    try {
      return segmentRows(offsets, rows, widest, c.maxBytes - 4);
    } catch (e) {
      throw new BackendError(
        'limit-exceeded',
        `${path}.bindings.sources`,
        `the connectivity of "${name}" cannot be split to fit the device: ${(e as Error).message}`,
      );
    }
  };
  const perSegment = (
    offsets: ArrayLike<number>,
    indices: Uint32Array,
    weights: Float32Array | undefined,
    delays: Uint16Array | undefined,
    sg: Segment,
    width: 16 | 32,
    k: number,
  ): GPUBuffer[] => {
    const offs = new Uint32Array(sg.row1 - sg.row0 + 1);
    for (let r = 0; r < offs.length; r++) offs[r] = (offsets[sg.row0 + r] as number) - sg.edge0;
    return [
      storage(offs, `${name}.offsets${k}`),
      storage(
        width === 16 ? packU16(indices, sg.edge0, sg.edge1) : indices.subarray(sg.edge0, sg.edge1),
        `${name}.indices${k}`,
      ),
      weights ? storage(weights.subarray(sg.edge0, sg.edge1), `${name}.weights${k}`) : zeros(16, `${name}.w`),
      delays ? storage(packU16(delays, sg.edge0, sg.edge1), `${name}.delays${k}`) : zeros(16, `${name}.d`),
    ];
  };
  const history = slots > 0 ? c.g('history') : zeros(16, `${name}.history`);
  // History rows a step reads (delays from minDelay to maxDelay), and the expected active sources.
  const window = h.maxDelay - h.minDelay + 1;
  const activity = Math.min(1, op.attrs.activity * window);
  if (delivery === 'gather') {
    const width = indexWidthFor(op.attrs.indexWidth, h.pre);
    const segs = split(h.offsets, h.post, width);
    const { pipeline, layout } = await c.pipeline(sparseGatherWgsl(width === 16));
    for (const [k, sg] of segs.entries()) {
      const writeHistory = k === 0 && slots > 0;
      const args = new ArrayBuffer(32);
      new Uint32Array(args, 0, 6).set([
        sg.row1 - sg.row0,
        sg.row0,
        h.pre,
        slots,
        (h.accumulate ? 1 : 0) | (h.weights ? 0 : 2) | (h.delays ? 4 : 0) | (writeHistory ? 8 : 0),
        h.delay,
      ]);
      new Float32Array(args, 24, 1)[0] = h.weight;
      const bindGroups = c.bindGroup(layout, [
        c.ctrl,
        c.uniform(args, `${name}.args${k}`),
        ...perSegment(h.offsets, h.sources, h.weights, h.delays, sg, width, k),
        c.g('spikes'),
        history,
        c.g('out'),
      ]);
      const [x, y] = workgroups(Math.max(sg.row1 - sg.row0, writeHistory ? h.pre : 0), 64);
      const rows = sg.row1 - sg.row0;
      // Row starts, every edge of the segment, the spike rows it reads, the history row it writes, out.
      const bytes = {
        read:
          4 * (rows + 1) +
          (sg.edge1 - sg.edge0) * edgeBytes(width) +
          4 * h.pre * window +
          (h.accumulate ? 4 * rows : 0),
        write: 4 * rows + (writeHistory ? 4 * h.pre : 0),
      };
      cmds.push({ pipeline, bindGroups, x, y, bytes });
    }
    return {
      name,
      delivery,
      indexWidth: width,
      segments: segs.length,
      shift: undefined,
      edgeBytes: edgeBytes(width),
      dispatches: segs.length,
    };
  }
  const width = indexWidthFor(op.attrs.indexWidth, h.post);
  const out = transposeSparse(h);
  const segs = split(out.offsets, h.pre, width);
  const acc = zeros(h.post * 4, `${name}.acc`);
  /** A scatter segment at the expected activity: its active rows, their edges, one atomic per edge. */
  const scatterBytes = (sg: Segment, w: 16 | 32): { read: number; write: number } => {
    const rows = sg.row1 - sg.row0;
    const edges = activity * (sg.edge1 - sg.edge0);
    return {
      read: 4 * Math.ceil(activity * h.pre) + 8 * Math.ceil(activity * rows) + edges * (edgeBytes(w) + 4),
      write: 4 * edges,
    };
  };
  /**
   * The bind group of segment `k`'s scatter: its args (the words `[j0, jn, pre, slots, flags, ...more]`,
   * weight and scale, then the words `after`), its per-edge bindings, `vals`, `lists` and `acc`.
   */
  const scatterBindGroups = (
    layout: GPUBindGroupLayout,
    k: number,
    sg: Segment,
    more: readonly number[],
    after: readonly number[],
    vals: GPUBuffer,
    lists: GPUBuffer,
  ): BindGroups => {
    const words = [
      sg.row0,
      sg.row1 - sg.row0,
      h.pre,
      slots,
      (h.weights ? 0 : 1) | (h.delays ? 4 : 0),
      ...more,
    ];
    const args = new ArrayBuffer(Math.ceil((4 * words.length + 8 + 4 * after.length) / 16) * 16);
    new Uint32Array(args, 0, words.length).set(words);
    new Float32Array(args, 4 * words.length, 2).set([h.weight, 2 ** shift]);
    new Uint32Array(args, 4 * words.length + 8, after.length).set(after);
    return c.bindGroup(layout, [
      c.ctrl,
      c.uniform(args, `${name}.scatter${k}`),
      ...perSegment(out.offsets, out.targets, out.weights, out.delays, sg, width, k),
      vals,
      lists,
      acc,
    ]);
  };
  const events = c.events('spikes');
  const list = zeros(events ? 16 : (h.pre + 1) * 4, `${name}.list`);
  const finalize = await c.pipeline(SPARSE_FINALIZE_WGSL);
  if (events) await listScatter(events);
  else await markScatter();
  {
    const args = new ArrayBuffer(16);
    new Uint32Array(args, 0, 2).set([h.post, h.accumulate ? 1 : 0]);
    new Float32Array(args, 8, 1)[0] = 2 ** -shift;
    const bindGroups = c.bindGroup(finalize.layout, [
      c.ctrl,
      c.uniform(args, `${name}.finalize`),
      acc,
      list,
      c.g('out'),
    ]);
    const [x, y] = workgroups(h.post, 64);
    // Every accumulator read and cleared, every output written (and read when accumulating).
    const bytes = { read: 4 * h.post * (h.accumulate ? 2 : 1), write: 8 * h.post + 4 };
    cmds.push({ pipeline: finalize.pipeline, bindGroups, x, y, bytes });
  }
  return {
    name,
    delivery,
    indexWidth: width,
    segments: segs.length,
    shift,
    edgeBytes: edgeBytes(width),
    dispatches: cmds.length,
  };

  /** Scatter without an event list: mark the active sources, scatter per segment (before finalize). */
  async function markScatter(): Promise<void> {
    const mark = await c.pipeline(SPARSE_MARK_WGSL);
    const scatter = await c.pipeline(sparseScatterWgsl(width === 16));
    {
      const args = new Uint32Array([h.pre, slots, h.minDelay, h.maxDelay]).buffer;
      const bindGroups = c.bindGroup(mark.layout, [
        c.ctrl,
        c.uniform(args, `${name}.mark`),
        c.g('spikes'),
        history,
        list,
      ]);
      const [x, y] = workgroups(h.pre, 64);
      // The spikes and the history rows of the window; the history row and the active sources written.
      const bytes = {
        read: 4 * h.pre * (slots > 0 ? window + 1 : 1),
        write: (slots > 0 ? 4 * h.pre : 0) + 4 * Math.ceil(activity * h.pre) + 4,
      };
      cmds.push({ pipeline: mark.pipeline, bindGroups, x, y, bytes });
    }
    const src = slots > 0 ? history : c.g('spikes');
    for (const [k, sg] of segs.entries()) {
      const bindGroups = scatterBindGroups(scatter.layout, k, sg, [h.delay], [], src, list);
      // One workgroup per listed unit, grid-stride over the list: at most SCATTER_WORKGROUPS, so idle
      // workgroups (most of them at low activity) cost little.
      cmds.push({
        pipeline: scatter.pipeline,
        bindGroups,
        x: Math.min(SCATTER_WORKGROUPS, h.pre),
        y: 1,
        bytes: scatterBytes(sg, width),
      });
    }
  }

  /** Scatter from the spikes' event list: push it into the ring (with delays), scatter per segment. */
  async function listScatter(events: GPUBuffer): Promise<void> {
    const nb = eventBlocks(h.pre);
    let lists = events;
    let vals = c.g('spikes');
    if (slots > 0) {
      // The ring of lists, one row per history row, kept equal to the history's contents.
      const hist = c.buffer('history');
      const init = hist.res.spec.init;
      const rows = historyLists(
        typeof init === 'object' ? init : new Float32Array(slots * h.pre).fill(init ?? 0),
        slots,
        h.pre,
      );
      const ring = storage(rows, `${name}.ring`);
      c.watch(['history'], (_name, data) =>
        d.queue.writeBuffer(ring, 0, historyLists(data as Float32Array, slots, h.pre)),
      );
      const push = await c.pipeline(SPARSE_PUSH_WGSL);
      const args = new Uint32Array([h.pre, slots, 0, 0]).buffer;
      const [x, y] = workgroups(nb * EVENT_BLOCK, EVENT_BLOCK);
      cmds.push({
        pipeline: push.pipeline,
        bindGroups: c.bindGroup(push.layout, [
          c.ctrl,
          c.uniform(args, `${name}.push`),
          c.g('spikes'),
          events,
          history,
          ring,
        ]),
        x,
        y,
        // Block counts of the list and the ring row; old and new events: index and value.
        bytes: {
          read: 8 * nb + 16 * Math.ceil(op.attrs.activity * h.pre),
          write: 4 * nb + 16 * Math.ceil(op.attrs.activity * h.pre),
        },
      });
      lists = ring;
      vals = history;
    }
    const scatter = await c.pipeline(sparseScatterListWgsl(width === 16));
    for (const [k, sg] of segs.entries()) {
      const b0 = Math.floor(sg.row0 / EVENT_BLOCK);
      const blocks = Math.max(1, Math.ceil(sg.row1 / EVENT_BLOCK) - b0);
      const [x, y] = workgroups(blocks * window * EVENT_BLOCK, EVENT_BLOCK);
      const bytes = scatterBytes(sg, width);
      cmds.push({
        pipeline: scatter.pipeline,
        bindGroups: scatterBindGroups(scatter.layout, k, sg, [h.minDelay, blocks, b0], [window], vals, lists),
        x,
        y,
        bytes: { read: bytes.read + 4 * blocks * window, write: bytes.write },
      });
    }
  }
}

/**
 * `sparse.csr` on webgpu. The connectivity (`offsets`, `sources`, `weights`, `delays`) is static: the
 * op lays it out itself (2-byte indices, segments that fit the device's binding limit); the host keeps
 * the plan's arrays.
 */
export const sparseCsrWebgpuOp: WebGpuOp<'sparse.csr', 'gather' | 'scatter'> = webgpuOp('sparse.csr', {
  hostSlots: ['offsets', 'sources', 'weights', 'delays'],
  prepare: pickDelivery,
  // The scatter reads the spikes' event list (the gather visits every incoming edge anyway).
  reads: (_r, _listed, delivery) => (delivery === 'scatter' ? ['spikes'] : []),
  async create(r, c, delivery) {
    const cmds: Cmd[] = [];
    const sparse = await sparseCommands(r, c, delivery, cmds);
    return { cmds, sparse };
  },
});
