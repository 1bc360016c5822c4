/**
 * The runtime smoke check shared by the Node, Deno and browser tests: acquire a device through
 * `requestGpuDevice`, run a tiny WGSL compute shader and read the numbers back.
 */
import { type GpuDeviceHandle, requestGpuDevice } from '../../src/device.ts';

export const SMOKE_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: vec4<f32>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  if (i >= arrayLength(&y)) { return; }
  // y = a * x + b, then one exp() so the transcendental path is exercised too.
  y[i] = params.x * x[i] + params.y + exp(-x[i] * params.z);
}
`;

export interface SmokeResult {
  handle: GpuDeviceHandle;
  input: Float32Array;
  output: Float32Array;
  expected: Float32Array;
}

/** Runs the smoke shader on `n` elements; returns GPU output and the CPU expectation. */
export async function runWgslSmoke(n = 1000): Promise<SmokeResult> {
  const handle = await requestGpuDevice({ timeoutMs: 30_000 });
  const { device } = handle;
  const input = new Float32Array(n);
  for (let i = 0; i < n; i++) input[i] = (i % 97) * 0.25 - 3;
  const a = 2.5;
  const b = -1;
  const c = 0.5;
  const expected = new Float32Array(n);
  for (let i = 0; i < n; i++) expected[i] = a * input[i]! + b + Math.exp(-input[i]! * c);

  const usage = globalThis.GPUBufferUsage;
  const xBuf = device.createBuffer({ size: n * 4, usage: usage.STORAGE | usage.COPY_DST });
  const yBuf = device.createBuffer({ size: n * 4, usage: usage.STORAGE | usage.COPY_SRC });
  const pBuf = device.createBuffer({ size: 16, usage: usage.UNIFORM | usage.COPY_DST });
  const readBuf = device.createBuffer({ size: n * 4, usage: usage.MAP_READ | usage.COPY_DST });
  device.queue.writeBuffer(xBuf, 0, input);
  device.queue.writeBuffer(pBuf, 0, new Float32Array([a, b, c, 0]));

  const module = device.createShaderModule({ code: SMOKE_WGSL });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0) throw new Error(`WGSL did not compile: ${errors.map((e) => e.message).join('; ')}`);
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: xBuf } },
      { binding: 1, resource: { buffer: yBuf } },
      { binding: 2, resource: { buffer: pBuf } },
    ],
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(Math.ceil(n / 64));
  pass.end();
  encoder.copyBufferToBuffer(yBuf, 0, readBuf, 0, n * 4);
  device.queue.submit([encoder.finish()]);
  await readBuf.mapAsync(globalThis.GPUMapMode.READ);
  const output = new Float32Array(readBuf.getMappedRange().slice(0));
  readBuf.unmap();
  for (const buf of [xBuf, yBuf, pBuf, readBuf]) buf.destroy();
  return { handle, input, output, expected };
}

/** Largest relative error between two arrays (absolute where the reference is below 1). */
export function maxRelativeError(actual: Float32Array, expected: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const err = Math.abs(actual[i]! - e) / Math.max(1, Math.abs(e));
    if (!(err <= worst)) worst = err; // NaN propagates as the worst error
  }
  return worst;
}
