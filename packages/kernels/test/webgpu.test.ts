// webgpu backend: Node (Dawn + SwiftShader; VK_ICD_FILENAMES set by the shared vitest config) and
// headless Chromium (SwiftShader). Same cases in both. What every backend must do (agree with the
// interpreter and the float64 reference, random streams) is the backend case table
// (test/backends.test.ts); here what only the webgpu backend has.
import {
  type Backend,
  BackendError,
  CounterRng,
  fromFloat16Bits,
  type GpuDeviceHandle,
  requestGpuDevice,
  toFloat16Bits,
} from '@spark-snn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import { type WebGpuBackend, type WebGpuProgram, webgpuBackend } from '../src/backends/webgpu/index.ts';
import { WGSL_MATH } from '../src/codegen/wgsl-math.ts';
import { parseDefinition } from '../src/lang/parser.ts';
import { instantiateModule } from '../src/ops.ts';
import { PHILOX_TEST_WGSL } from '../src/rng/philox.wgsl.ts';
import { leakySoma } from '../src/somas/leaky_soma.ts';
import { compareWithInterpreter, testInputs } from './common/conformance.ts';
import { compareFloat16Runs, float16Plan, runFloat16Plan } from './common/float16.ts';

let handle: GpuDeviceHandle;
let gpu: WebGpuBackend;
const counts = { submits: 0, maps: 0 };

beforeAll(async () => {
  handle = await requestGpuDevice();
  const device = handle.device;
  // Instrument the device: count queue submissions and buffer mappings (readbacks).
  const queue = device.queue;
  const submit = queue.submit.bind(queue);
  queue.submit = (cbs: Iterable<GPUCommandBuffer>) => {
    counts.submits++;
    submit(cbs);
  };
  const createBuffer = device.createBuffer.bind(device);
  device.createBuffer = (desc: GPUBufferDescriptor) => {
    const b = createBuffer(desc);
    const mapAsync = b.mapAsync.bind(b);
    b.mapAsync = (mode: number, offset?: number, size?: number) => {
      counts.maps++;
      return mapAsync(mode, offset, size);
    };
    return b;
  };
  gpu = await webgpuBackend({ device });
});

afterAll(() => {
  gpu?.destroy();
  handle?.destroy();
});

describe('webgpu backend (Dawn on SwiftShader)', () => {
  it('WGSL Philox4x32-10 is bit-identical to core', async () => {
    const device = handle.device;
    const count = 300;
    const rng = new CounterRng(0xdead_beef_1234n);
    const [k0, k1] = rng.key;
    const module = device.createShaderModule({ code: PHILOX_TEST_WGSL });
    const pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
    });
    const args = device.createBuffer({ size: 32, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(args, 0, new Uint32Array([0xfffffff0, 77, 0x811c9dc5, k0, k1, count, 0, 0]));
    const out = device.createBuffer({
      size: count * 16,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    });
    const read = device.createBuffer({
      size: count * 16,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const bg = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: args } },
        { binding: 1, resource: { buffer: out } },
      ],
    });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bg);
    pass.dispatchWorkgroups(Math.ceil(count / 64));
    pass.end();
    enc.copyBufferToBuffer(out, 0, read, 0, count * 16);
    device.queue.submit([enc.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const words = new Uint32Array(read.getMappedRange().slice(0));
    read.unmap();
    for (let k = 0; k < count; k++) {
      const index = (0xfffffff0 + k) >>> 0;
      expect(Array.from(words.subarray(4 * k, 4 * k + 4))).toEqual(
        Array.from(rng.bits(0x811c9dc5, 77, index)),
      );
    }
    for (const b of [args, out, read]) b.destroy();
  });

  it('a 10,000-step run of 1,000 units makes O(steps / chunk) submissions and readbacks', async () => {
    const size = 1000;
    const steps = 10_000;
    const chunk = 1000;
    const { buffers, op } = instantiateModule(leakySoma, { prefix: 'pop', size, dt: 1 });
    const p = await gpu.load({ buffers, ops: [op], dt: 1, seed: 0 });
    const current = new Float32Array(size).map((_, i) => 300 + i);
    counts.submits = 0;
    counts.maps = 0;
    const res = await p.run({ steps, chunk, inputs: { 'pop.current': current }, record: ['pop.spikes'] });
    expect(counts.submits).toBe(steps / chunk);
    expect(counts.maps).toBe(steps / chunk);
    expect(p.stats.submissions).toBe(steps / chunk);
    expect(p.stats.readbacks).toBe(steps / chunk);
    const spikes = res.records['pop.spikes'] as Float32Array;
    expect(spikes.length).toBe(steps * size);
    // Cross-check one unit's spike count against the cpu backend.
    const pc = await cpuBackend().load({ buffers, ops: [op], dt: 1, seed: 0 });
    const rc = await pc.run({ steps: 2000, inputs: { 'pop.current': current }, record: ['pop.spikes'] });
    const cs = rc.records['pop.spikes'] as Float32Array;
    let agree = 0;
    for (let k = 0; k < 2000 * size; k++) if (cs[k] === spikes[k]) agree++;
    expect(agree / (2000 * size)).toBeGreaterThan(0.999);
    p.destroy();
  });

  it('float16 storage: state rounded to half precision on every store, as on the cpu backend', async () => {
    const def = parseDefinition(
      'module half\nparam tau: f32 = 7 [ms] positive\nstate v: f32 = 0.1 as float16\ninput I: FloatArray f32\noutput o: FloatArray f32 as float16\nv = v * exp(-dt / tau) + I\no = v * 3',
    );
    const size = 8;
    const inputs = { I: testInputs(20, size, -1, 1, 3) };
    const g = await compareWithInterpreter(gpu, { def, size, steps: 20, inputs });
    expect(g.mismatches).toEqual([]);
    const { buffers, op } = instantiateModule(def, { prefix: 'h', size, dt: 1 });
    const records = async (b: Backend) => {
      const p = await b.load({ buffers, ops: [op], dt: 1, seed: 0 });
      const r = await p.run({ steps: 20, inputs: { 'h.I': inputs.I }, record: ['h.v', 'h.o'] });
      p.destroy();
      return r.records;
    };
    const a = await records(gpu);
    const c = await records(cpuBackend());
    expect(a['h.v']).toBeInstanceOf(Uint16Array);
    for (const k of ['h.v', 'h.o']) {
      const x = a[k] as Uint16Array;
      const y = c[k] as Uint16Array;
      // Identical half bits except, rarely, one ulp from double rounding (f64→f16 vs f32→f16).
      for (let i = 0; i < x.length; i++)
        expect(Math.abs((x[i] as number) - (y[i] as number))).toBeLessThanOrEqual(1);
    }
  });

  it('float16 plan (module, copy, concat, odd lengths, streams, write/read): the program says how it stores float16; cpu agrees to 1 ulp', async () => {
    // Dawn on SwiftShader and Chromium have no shader-f16: this is the emulated path (Deno runs the
    // native one, test/deno/float16_test.ts, and checks it bit for bit against this one).
    const native = handle.device.features.has('shader-f16');
    expect(gpu.float16).toBe(native ? 'native' : 'emulated');
    const p = await gpu.load(float16Plan());
    expect(p.info).toMatchObject({
      float16: native ? 'native' : 'emulated',
      float16Buffers: 5,
      bufferBytes: native ? 4 * 68 + 132 : 198 * 4,
      sparse: [],
    });
    // The latency copy h.o → c runs as a swap of double buffers (no copy), the concat as one dispatch
    // of halves: two dispatches with the module.
    expect(p.info.schedule).toMatchObject({ swapped: [['h.o', 'c']], dispatchesPerStep: 2 });
    p.destroy();
    const emulated = await webgpuBackend({ device: handle.device, float16: 'emulated' });
    let info: WebGpuProgram['info'] | undefined;
    const a = await runFloat16Plan(emulated, (q) => {
      info = (q as WebGpuProgram).info;
    });
    expect(info?.float16).toBe('emulated');
    expect(compareFloat16Runs(a, await runFloat16Plan(gpu))).toEqual([]);
    expect(compareFloat16Runs(a, await runFloat16Plan(cpuBackend()), 1)).toEqual([]);
  });

  it('WGSL q16 rounds f32 to the nearest float16 exactly like core (ties to even, subnormals, overflow)', async () => {
    const device = handle.device;
    const xs = new Float32Array(4096);
    const bits = new Uint32Array(xs.buffer);
    let s = 12345;
    for (let i = 0; i < xs.length; i++) {
      s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
      // Exponents around the float16 range (2^-26 … 2^17), random mantissas and signs.
      const exp = 101 + (s % 44);
      bits[i] = ((s & 0x80000000) | (exp << 23) | ((s * 2654435761) >>> 9)) >>> 0;
    }
    xs.set([65504, 65519.99, 65520, 2 ** -24, 2 ** -25, 3 * 2 ** -26, 1 + 2 ** -11, 1 + 3 * 2 ** -11], 0);
    const code = `${WGSL_MATH}\n@group(0) @binding(0) var<storage, read_write> a: array<f32>;\n@compute @workgroup_size(64, 1, 1) fn main(@builtin(global_invocation_id) g: vec3<u32>) { a[g.x] = q16(a[g.x]); }`;
    const module = device.createShaderModule({ code });
    const pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
    });
    const buf = device.createBuffer({
      size: xs.byteLength,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(buf, 0, xs);
    const read = device.createBuffer({
      size: xs.byteLength,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(
      0,
      device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [{ binding: 0, resource: { buffer: buf } }],
      }),
    );
    pass.dispatchWorkgroups(xs.length / 64);
    pass.end();
    enc.copyBufferToBuffer(buf, 0, read, 0, xs.byteLength);
    device.queue.submit([enc.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(read.getMappedRange().slice(0));
    read.unmap();
    for (let i = 0; i < xs.length; i++)
      expect(out[i], `q16(${xs[i]})`).toBe(fromFloat16Bits(toFloat16Bits(xs[i] as number)));
    buf.destroy();
    read.destroy();
  });

  it('a lost device gives a clear device-lost error, not a hang', async () => {
    const own = await requestGpuDevice();
    const b = await webgpuBackend({ device: own.device });
    const { buffers, op } = instantiateModule(leakySoma, { prefix: 'l', size: 4, dt: 1 });
    const p = await b.load({ buffers, ops: [op], dt: 1, seed: 0 });
    await p.run({ steps: 3 });
    own.destroy();
    await own.lost;
    const err = await p.run({ steps: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).code).toBe('device-lost');
    expect((err as BackendError).message).toMatch(/device was lost/);
    b.destroy();
  });

  it('rejects a buffer larger than the device limit before any dispatch', async () => {
    const limit = handle.device.limits.maxStorageBufferBindingSize;
    const n = Math.floor(limit / 4) + 16;
    counts.submits = 0;
    const err = await gpu
      .load({
        dt: 1,
        seed: 0,
        buffers: [
          { name: 'huge', dtype: 'float32', shape: [n] },
          { name: 'h2', dtype: 'float32', shape: [n] },
        ],
        ops: [{ op: 'copy', name: 'c', bindings: { src: 'huge', dst: 'h2' } }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).code).toBe('limit-exceeded');
    expect((err as BackendError).message).toMatch(/buffers\[0\]: buffer "huge" needs/);
    expect(counts.submits).toBe(0);
  });
});
