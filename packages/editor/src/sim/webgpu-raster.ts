/**
 * A WebGPU spike raster that draws straight from a simulator's GPU spike buffer: each step the
 * current spike flags are copied on the device into a ring of `history` columns, and one render
 * pass draws the ring (time left to right, neurons top to bottom). No readback to the CPU.
 *
 * @module
 */

const SHADER = /* wgsl */ `
struct Params {
  neurons: u32,
  history: u32,
  head: u32,
  width: f32,
  height: f32,
  _pad0: f32,
  _pad1: f32,
  _pad2: f32,
};
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> ring: array<f32>;

@vertex
fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
  let p = array<vec2f, 3>(vec2f(-1.0, -1.0), vec2f(3.0, -1.0), vec2f(-1.0, 3.0));
  return vec4f(p[i], 0.0, 1.0);
}

@fragment
fn fs(@builtin(position) pos: vec4f) -> @location(0) vec4f {
  let col = min(u32(pos.x / params.width * f32(params.history)), params.history - 1u);
  let row = min(u32(pos.y / params.height * f32(params.neurons)), params.neurons - 1u);
  // Oldest column on the left: the slot after the newest one.
  let slot = (params.head + 1u + col) % params.history;
  let v = ring[slot * params.neurons + row];
  if (v != 0.0) {
    return vec4f(0.96, 0.77, 0.26, 1.0);
  }
  return vec4f(0.067, 0.067, 0.067, 1.0);
}
`;

/** Options of {@link WebGpuRaster}. */
export interface WebGpuRasterOptions {
  /** Neurons per step (rows). */
  neurons: number;
  /** Steps kept on screen (columns). Default 600. */
  history?: number;
  /** Canvas format; default `navigator.gpu.getPreferredCanvasFormat()`. */
  format?: GPUTextureFormat;
}

/** Draws a rolling spike raster with the simulator's own GPU device. */
export class WebGpuRaster {
  readonly device: GPUDevice;
  readonly neurons: number;
  readonly history: number;
  private readonly context: GPUCanvasContext;
  private readonly format: GPUTextureFormat;
  private readonly ring: GPUBuffer;
  private readonly params: GPUBuffer;
  private readonly pipeline: GPURenderPipeline;
  private readonly bindGroup: GPUBindGroup;
  private head: number;
  private readonly canvas: HTMLCanvasElement | OffscreenCanvas;

  constructor(device: GPUDevice, canvas: HTMLCanvasElement | OffscreenCanvas, options: WebGpuRasterOptions) {
    this.device = device;
    this.canvas = canvas;
    this.neurons = Math.max(1, options.neurons);
    this.history = Math.max(1, options.history ?? 600);
    this.head = this.history - 1;
    const ctx = canvas.getContext('webgpu');
    if (!ctx) throw new Error('This canvas cannot be used with WebGPU.');
    this.context = ctx as GPUCanvasContext;
    this.format = options.format ?? navigator.gpu.getPreferredCanvasFormat();
    this.context.configure({
      device,
      format: this.format,
      alphaMode: 'opaque',
    });
    this.ring = device.createBuffer({
      label: 'raster ring',
      size: this.neurons * this.history * 4,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    });
    this.params = device.createBuffer({
      label: 'raster params',
      size: 32,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    const module = device.createShaderModule({ label: 'raster', code: SHADER });
    this.pipeline = device.createRenderPipeline({
      label: 'raster',
      layout: 'auto',
      vertex: { module, entryPoint: 'vs' },
      fragment: { module, entryPoint: 'fs', targets: [{ format: this.format }] },
      primitive: { topology: 'triangle-list' },
    });
    this.bindGroup = device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.params } },
        { binding: 1, resource: { buffer: this.ring } },
      ],
    });
  }

  /**
   * Appends `steps` columns copied from `spikes` (f32 or u32 flags, `steps × neurons`, row-major
   * by step, starting at `offsetBytes`), all on the device.
   */
  push(spikes: GPUBuffer, steps = 1, offsetBytes = 0): void {
    const enc = this.device.createCommandEncoder({ label: 'raster push' });
    const row = this.neurons * 4;
    for (let s = 0; s < steps; s++) {
      this.head = (this.head + 1) % this.history;
      enc.copyBufferToBuffer(spikes, offsetBytes + s * row, this.ring, this.head * row, row);
    }
    this.device.queue.submit([enc.finish()]);
  }

  /** Clears the history. */
  clear(): void {
    const enc = this.device.createCommandEncoder();
    enc.clearBuffer(this.ring);
    this.device.queue.submit([enc.finish()]);
    this.head = this.history - 1;
  }

  /** Draws the raster into the canvas (or into `target`, e.g. an offscreen texture). */
  draw(target?: GPUTextureView, size?: { width: number; height: number }): void {
    const data = new ArrayBuffer(32);
    const u = new Uint32Array(data);
    const f = new Float32Array(data);
    u[0] = this.neurons;
    u[1] = this.history;
    u[2] = this.head;
    f[3] = size?.width ?? this.canvas.width;
    f[4] = size?.height ?? this.canvas.height;
    this.device.queue.writeBuffer(this.params, 0, data);
    const enc = this.device.createCommandEncoder({ label: 'raster draw' });
    const view = target ?? this.context.getCurrentTexture().createView();
    const pass = enc.beginRenderPass({
      colorAttachments: [{ view, loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 1] }],
    });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup);
    pass.draw(3);
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  /** Renders one frame offscreen (same pipeline) and returns its pixels, row-padded (tests, snapshots). */
  async readPixels(): Promise<{
    width: number;
    height: number;
    bytesPerRow: number;
    data: Uint8Array;
    format: GPUTextureFormat;
  }> {
    const width = this.canvas.width;
    const height = this.canvas.height;
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
    await buf.mapAsync(GPUMapMode.READ);
    const data = new Uint8Array(buf.getMappedRange().slice(0));
    buf.unmap();
    buf.destroy();
    tex.destroy();
    return { width, height, bytesPerRow, data, format: this.format };
  }

  destroy(): void {
    this.ring.destroy();
    this.params.destroy();
  }
}
