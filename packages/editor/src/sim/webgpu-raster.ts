/**
 * A WebGPU spike raster drawn straight from a simulator's device spike buffers, on the simulator's
 * own `GPUDevice`: {@link WebGpuRaster.append} (called once per simulated step, right after the
 * step's submission) runs a compute pass that ORs the current spike flags of every population into
 * one column of a device ring (a bitset, one bit per neuron); {@link WebGpuRaster.draw} runs one
 * render pass that draws the ring with the populations as horizontal bands (oldest step on the
 * left, as a scrolling strip). No spike ever goes through the CPU.
 *
 * Layout, shared with the Canvas 2D raster ({@link rasterLayout}): populations are stacked top to
 * bottom in the given order as bands of "virtual rows"; a small population is stretched (each of
 * its neurons gets `k` virtual rows) so that every band takes at least {@link MIN_BAND_SHARE} of the
 * height and stays visible and labelled. The `V` virtual rows are spread over the `H` pixel rows
 * (several neurons per pixel row: the row is lit when any of them spiked); `history` columns are
 * spread over the canvas width. Even-numbered populations are drawn in amber (`#f5c542`), odd ones
 * in blue (`#8ab4f8`), on `#111`.
 *
 * @module
 */
import type { DeviceBufferView } from '@spark-snn/kernels';

/** Colours (sRGB, 0–1) of even and odd population bands and of the background. */
export const RASTER_COLOURS = {
  even: [0xf5 / 255, 0xc5 / 255, 0x42 / 255],
  odd: [0x8a / 255, 0xb4 / 255, 0xf8 / 255],
  background: [0x11 / 255, 0x11 / 255, 0x11 / 255],
} as const;

/** Steps a raster shows (the WebGPU ring's columns, and the Canvas 2D raster's window). */
export const RASTER_HISTORY = 600;

/** The smallest share of a raster's height a population band takes (small ones are stretched). */
export const MIN_BAND_SHARE = 0.12;

/** Where the populations of a raster sit ({@link rasterLayout}). */
export interface RasterLayout {
  /** First neuron of every band, then the neuron total (`bands + 1` entries). */
  readonly starts: readonly number[];
  /** First virtual row of every band, then the virtual total `V` (`bands + 1` entries). */
  readonly vstarts: readonly number[];
  /** Virtual rows per neuron of every band (1, or more for a stretched small band). */
  readonly stretch: readonly number[];
}

/** The raster layout of populations of these sizes (in drawing order). */
export function rasterLayout(sizes: readonly number[]): RasterLayout {
  const total = sizes.reduce((a, b) => a + b, 0);
  const min = Math.ceil(MIN_BAND_SHARE * total);
  const starts = [0];
  const vstarts = [0];
  const stretch: number[] = [];
  for (const n of sizes) {
    const k = n > 0 ? Math.max(1, Math.ceil(min / n)) : 1;
    stretch.push(k);
    starts.push((starts.at(-1) ?? 0) + n);
    vstarts.push((vstarts.at(-1) ?? 0) + n * k);
  }
  return { starts, vstarts, stretch };
}

/** The band and neuron shown at virtual row `v` of a layout (the draw shader's mapping). */
export function neuronAtRow(layout: RasterLayout, v: number): { band: number; neuron: number } {
  let b = 0;
  while (b + 2 < layout.vstarts.length && (layout.vstarts[b + 1] ?? 0) <= v) b++;
  const k = layout.stretch[b] ?? 1;
  return { band: b, neuron: (layout.starts[b] ?? 0) + Math.floor((v - (layout.vstarts[b] ?? 0)) / k) };
}

const APPEND_WGSL = /* wgsl */ `
struct Args {
  n: u32,          // neurons of this population
  row: u32,        // first raster row (neuron index over all populations)
  words: u32,      // ring words per column
  kind: u32,       // 0: f32 flags, 1: i32/u32 flags, 2: packed f16 flags
  src_offset: u32, // first element in src
  _p0: u32, _p1: u32, _p2: u32,
};
struct Column { slot: u32, _p0: u32, _p1: u32, _p2: u32 };
@group(0) @binding(0) var<uniform> args: Args;
@group(0) @binding(1) var<uniform> column: Column;
@group(0) @binding(2) var<storage, read> src: array<u32>;
@group(0) @binding(3) var<storage, read_write> ring: array<atomic<u32>>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i >= args.n) { return; }
  let e = args.src_offset + i;
  var lit = false;
  if (args.kind == 0u) {
    lit = (src[e] & 0x7fffffffu) != 0u;
  } else if (args.kind == 1u) {
    lit = src[e] != 0u;
  } else {
    let half = (src[e >> 1u] >> ((e & 1u) * 16u)) & 0xffffu;
    lit = (half & 0x7fffu) != 0u;
  }
  if (!lit) { return; }
  let r = args.row + i;
  atomicOr(&ring[column.slot * args.words + (r >> 5u)], 1u << (r & 31u));
}
`;

const DRAW_WGSL = /* wgsl */ `
struct View {
  total: u32,
  history: u32,
  head: u32,
  words: u32,
  populations: u32,
  rows: u32,       // virtual rows V

  width: f32,
  height: f32,
  even: vec4f,
  odd: vec4f,
  background: vec4f,
};
@group(0) @binding(0) var<uniform> view: View;
@group(0) @binding(1) var<storage, read> ring: array<u32>;
// The layout (rasterLayout): first neuron of every band then the total (P + 1 entries), first
// virtual row of every band then V (P + 1 entries), virtual rows per neuron of every band (P).
@group(0) @binding(2) var<storage, read> bands: array<u32>;

fn vstart(b: u32) -> u32 { return bands[view.populations + 1u + b]; }

// Neuron shown at virtual row v (and its band).
fn neuron_at(v: u32) -> vec2u {
  var b = 0u;
  loop {
    if (b + 1u >= view.populations || vstart(b + 1u) > v) { break; }
    b = b + 1u;
  }
  let k = bands[2u * view.populations + 2u + b];
  return vec2u(bands[b] + (v - vstart(b)) / k, b);
}

@vertex
fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
  let p = array<vec2f, 3>(vec2f(-1.0, -1.0), vec2f(3.0, -1.0), vec2f(-1.0, 3.0));
  return vec4f(p[i], 0.0, 1.0);
}

@fragment
fn fs(@builtin(position) pos: vec4f) -> @location(0) vec4f {
  let x = u32(pos.x);
  let y = u32(pos.y);
  let col = min(u32(floor(f32(x) * f32(view.history) / view.width)), view.history - 1u);
  // Oldest column on the left: the slot after the newest one.
  let slot = (view.head + 1u + col) % view.history;
  // Pixel row y covers virtual rows [y V / H, ceil((y + 1) V / H)); the neurons there are
  // [neuron_at(first), neuron_at(last) + 1) (the mapping only grows).
  let H = u32(view.height);
  let v0 = min((y * view.rows) / H, view.rows - 1u);
  let v1 = max(min(((y + 1u) * view.rows + H - 1u) / H, view.rows), v0 + 1u);
  let lo = neuron_at(v0).x;
  let hi = min(neuron_at(v1 - 1u).x + 1u, view.total);
  var first = 0xffffffffu;
  var w = lo >> 5u;
  loop {
    if (w > ((hi - 1u) >> 5u) || lo >= hi) { break; }
    var bits = ring[slot * view.words + w];
    let base = w << 5u;
    if (lo > base) { bits = bits & (0xffffffffu << (lo - base)); }
    if (hi < base + 32u) { bits = bits & ((1u << (hi - base)) - 1u); }
    if (bits != 0u) {
      first = base + firstTrailingBit(bits);
      break;
    }
    w = w + 1u;
  }
  if (first == 0xffffffffu) { return view.background; }
  var p = 0u;
  loop {
    if (p + 1u >= view.populations || bands[p + 1u] > first) { break; }
    p = p + 1u;
  }
  if ((p & 1u) == 0u) { return view.even; }
  return view.odd;
}
`;

/** A population the raster draws: its name and the device view of its spike buffer. */
export interface RasterSource {
  /** Population (module) name. */
  readonly name: string;
  /** Device view of the buffer holding its spikes of the latest step (from `Brain.deviceSpikeBuffers`). */
  readonly view: DeviceBufferView;
}

/** Options of {@link WebGpuRaster}. */
export interface WebGpuRasterOptions {
  /** Populations, drawn as bands top to bottom in this order. */
  sources: readonly RasterSource[];
  /** Steps kept on screen (columns). Default 600. */
  history?: number;
  /**
   * Texture format of the canvas (and of {@link WebGpuRaster.readPixels}); default the preferred
   * canvas format (`rgba8unorm` where there is no `navigator.gpu`, e.g. Node).
   */
  format?: GPUTextureFormat;
}

/** Pixels rendered by {@link WebGpuRaster.readPixels} (rows padded to `bytesPerRow`). */
export interface RasterPixels {
  width: number;
  height: number;
  bytesPerRow: number;
  data: Uint8Array;
  format: GPUTextureFormat;
}

const KIND = { f32: 0, i32: 1, u32: 1, f16: 2 } as const;

function preferredFormat(): GPUTextureFormat {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  return gpu?.getPreferredCanvasFormat?.() ?? 'rgba8unorm';
}

/** Draws a rolling spike raster of every population with the simulator's own GPU device. */
export class WebGpuRaster {
  /** The simulator's device. */
  readonly device: GPUDevice;
  /** Steps on screen. */
  readonly history: number;
  /** Populations and their neuron counts, in drawing order. */
  readonly populations: readonly { name: string; size: number }[];
  /** Neurons over all populations. */
  readonly total: number;
  /** Where the populations sit ({@link rasterLayout}). */
  readonly layout: RasterLayout;
  private readonly canvas: HTMLCanvasElement | OffscreenCanvas | undefined;
  private readonly context: GPUCanvasContext | undefined;
  private readonly format: GPUTextureFormat;
  private readonly words: number;
  private readonly ring: GPUBuffer;
  private readonly starts: GPUBuffer;
  private readonly viewBuf: GPUBuffer;
  private readonly column: GPUBuffer;
  private readonly owned: GPUBuffer[] = [];
  private readonly appendPipeline: GPUComputePipeline;
  private readonly appends: { bindGroup: GPUBindGroup; x: number }[];
  private readonly drawPipeline: GPURenderPipeline;
  private readonly drawGroup: GPUBindGroup;
  private head: number;
  private steps = 0;
  private destroyed = false;

  /**
   * @param device - the simulator's device (the one that owns the spike buffers).
   * @param canvas - where {@link WebGpuRaster.draw} presents (an `OffscreenCanvas` inside a worker), or
   *   `undefined` to render only through {@link WebGpuRaster.readPixels}.
   */
  constructor(
    device: GPUDevice,
    canvas: HTMLCanvasElement | OffscreenCanvas | undefined,
    options: WebGpuRasterOptions,
  ) {
    this.device = device;
    this.canvas = canvas;
    this.history = Math.max(1, Math.floor(options.history ?? RASTER_HISTORY));
    this.head = this.history - 1;
    this.format = options.format ?? preferredFormat();
    this.populations = options.sources.map((s) => ({ name: s.name, size: s.view.length }));
    this.total = this.populations.reduce((a, p) => a + p.size, 0);
    this.words = Math.max(1, Math.ceil(this.total / 32));
    if (canvas) {
      const ctx = canvas.getContext('webgpu') as GPUCanvasContext | null;
      if (!ctx) throw new Error('This canvas cannot be used with WebGPU (no "webgpu" context).');
      ctx.configure({ device, format: this.format, alphaMode: 'opaque' });
      this.context = ctx;
    }
    const buffer = (label: string, size: number, usage: number): GPUBuffer => {
      const b = device.createBuffer({ label, size: Math.max(16, Math.ceil(size / 16) * 16), usage });
      this.owned.push(b);
      return b;
    };
    this.ring = buffer(
      'raster ring',
      this.words * this.history * 4,
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    );
    this.layout = rasterLayout(this.populations.map((p) => p.size));
    const table = Uint32Array.from([...this.layout.starts, ...this.layout.vstarts, ...this.layout.stretch]);
    this.starts = buffer('raster layout', table.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    device.queue.writeBuffer(this.starts, 0, table);
    this.viewBuf = buffer('raster view', 80, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.column = buffer('raster column', 16, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);

    const appendModule = device.createShaderModule({ label: 'raster append', code: APPEND_WGSL });
    this.appendPipeline = device.createComputePipeline({
      label: 'raster append',
      layout: 'auto',
      compute: { module: appendModule, entryPoint: 'main' },
    });
    let row = 0;
    this.appends = options.sources.map((s, i) => {
      const v = s.view;
      const size = v.elementType === 'f16' ? 2 : 4;
      if (v.byteOffset % size !== 0)
        throw new Error(
          `sources[${i}] (${s.name}): byte offset ${v.byteOffset} is not a multiple of ${size}`,
        );
      const args = buffer(`raster args ${s.name}`, 32, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
      device.queue.writeBuffer(
        args,
        0,
        Uint32Array.of(v.length, row, this.words, KIND[v.elementType], v.byteOffset / size, 0, 0, 0),
      );
      row += v.length;
      const bindGroup = device.createBindGroup({
        label: `raster append ${s.name}`,
        layout: this.appendPipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: args } },
          { binding: 1, resource: { buffer: this.column } },
          { binding: 2, resource: { buffer: v.buffer } },
          { binding: 3, resource: { buffer: this.ring } },
        ],
      });
      return { bindGroup, x: Math.ceil(v.length / 64) };
    });

    const drawModule = device.createShaderModule({ label: 'raster draw', code: DRAW_WGSL });
    this.drawPipeline = device.createRenderPipeline({
      label: 'raster draw',
      layout: 'auto',
      vertex: { module: drawModule, entryPoint: 'vs' },
      fragment: { module: drawModule, entryPoint: 'fs', targets: [{ format: this.format }] },
      primitive: { topology: 'triangle-list' },
    });
    this.drawGroup = device.createBindGroup({
      label: 'raster draw',
      layout: this.drawPipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.viewBuf } },
        { binding: 1, resource: { buffer: this.ring } },
        { binding: 2, resource: { buffer: this.starts } },
      ],
    });
  }

  /** Steps appended since creation or the last {@link WebGpuRaster.clear}. */
  get appended(): number {
    return this.steps;
  }

  /**
   * Appends one column: the sources' current spike flags (the state after the step the simulator
   * submitted last). Call it right after each step's submission (`Brain.run`'s `onStep`); the work
   * is queued on the device behind the step and ahead of the next one.
   */
  append(): void {
    this.alive();
    this.head = (this.head + 1) % this.history;
    this.steps++;
    const d = this.device;
    d.queue.writeBuffer(this.column, 0, Uint32Array.of(this.head, 0, 0, 0));
    const enc = d.createCommandEncoder({ label: 'raster append' });
    enc.clearBuffer(this.ring, this.head * this.words * 4, this.words * 4);
    const pass = enc.beginComputePass({ label: 'raster append' });
    pass.setPipeline(this.appendPipeline);
    for (const a of this.appends) {
      if (a.x === 0) continue;
      pass.setBindGroup(0, a.bindGroup);
      pass.dispatchWorkgroups(a.x);
    }
    pass.end();
    d.queue.submit([enc.finish()]);
  }

  /** Clears the history (a reset of the simulation). */
  clear(): void {
    this.alive();
    const enc = this.device.createCommandEncoder({ label: 'raster clear' });
    enc.clearBuffer(this.ring);
    this.device.queue.submit([enc.finish()]);
    this.head = this.history - 1;
    this.steps = 0;
  }

  /** Resizes the canvas (its backing store, in pixels); the history is kept. */
  resize(width: number, height: number): void {
    if (!this.canvas) return;
    this.canvas.width = Math.max(1, Math.floor(width));
    this.canvas.height = Math.max(1, Math.floor(height));
  }

  /** Draws the raster into the canvas (or into `target`, e.g. an offscreen texture of `size`). */
  draw(target?: GPUTextureView, size?: { width: number; height: number }): void {
    this.alive();
    const width = size?.width ?? this.canvas?.width ?? 1;
    const height = size?.height ?? this.canvas?.height ?? 1;
    const data = new ArrayBuffer(80);
    new Uint32Array(data, 0, 6).set([
      this.total,
      this.history,
      this.head,
      this.words,
      this.populations.length,
      Math.max(1, this.layout.vstarts.at(-1) ?? 1),
    ]);
    new Float32Array(data, 24, 2).set([width, height]);
    const f = new Float32Array(data, 32, 12);
    f.set([...RASTER_COLOURS.even, 1, ...RASTER_COLOURS.odd, 1, ...RASTER_COLOURS.background, 1]);
    this.device.queue.writeBuffer(this.viewBuf, 0, data);
    let view = target;
    if (!view) {
      if (!this.context) throw new Error('this raster has no canvas: draw into a target texture');
      view = this.context.getCurrentTexture().createView();
    }
    const enc = this.device.createCommandEncoder({ label: 'raster draw' });
    const pass = enc.beginRenderPass({
      colorAttachments: [{ view, loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 1] }],
    });
    pass.setPipeline(this.drawPipeline);
    pass.setBindGroup(0, this.drawGroup);
    pass.draw(3);
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  /**
   * Renders one frame of `width × height` (default: the canvas size) into a texture with the same
   * pipeline, copies the texture into a buffer and returns its pixels (tests, snapshots).
   */
  async readPixels(
    width = this.canvas?.width ?? 1,
    height = this.canvas?.height ?? 1,
  ): Promise<RasterPixels> {
    this.alive();
    const tex = this.device.createTexture({
      size: [width, height],
      format: this.format,
      usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC,
    });
    this.draw(tex.createView(), { width, height });
    const bytesPerRow = Math.ceil((width * 4) / 256) * 256;
    const buf = this.device.createBuffer({
      size: bytesPerRow * height,
      usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
    });
    const enc = this.device.createCommandEncoder();
    enc.copyTextureToBuffer({ texture: tex }, { buffer: buf, bytesPerRow }, [width, height]);
    this.device.queue.submit([enc.finish()]);
    try {
      await buf.mapAsync(GPUMapMode.READ);
      const data = new Uint8Array(buf.getMappedRange().slice(0));
      buf.unmap();
      return { width, height, bytesPerRow, data, format: this.format };
    } finally {
      buf.destroy();
      tex.destroy();
    }
  }

  /** Frees the raster's buffers (not the sources, not the device); the canvas keeps its last frame. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const b of this.owned) b.destroy();
  }

  private alive(): void {
    if (this.destroyed) throw new Error('this WebGPU raster was destroyed');
  }
}
