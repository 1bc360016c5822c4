// webgpuProgramDevice: the device and read-only plan buffer views of a webgpu program. Node (Dawn on
// SwiftShader) and headless Chromium (SwiftShader).
import { BackendError, type GpuDeviceHandle, requestGpuDevice } from '@spark-snn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import { webgpuBackend, webgpuProgramDevice } from '../src/backends/webgpu/index.ts';
import { instantiateModule } from '../src/ops.ts';
import { leakySoma } from '../src/somas/leaky_soma.ts';

let handle: GpuDeviceHandle;

beforeAll(async () => {
  handle = await requestGpuDevice();
});
afterAll(() => handle?.destroy());

/** Copies `bytes` of `src` on `device` into a mappable buffer and reads them (the test's own readback). */
async function readDevice(
  device: GPUDevice,
  src: GPUBuffer,
  offset: number,
  bytes: number,
): Promise<ArrayBuffer> {
  const staging = device.createBuffer({
    size: bytes,
    usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
  });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, offset, staging, 0, bytes);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = staging.getMappedRange().slice(0);
  staging.destroy();
  return out;
}

describe('webgpuProgramDevice (device buffers of a webgpu program)', () => {
  it("exposes the program's device and buffers: a copy on that device equals program.read", async () => {
    const b = await webgpuBackend({ device: handle.device });
    const size = 12;
    const { buffers, op } = instantiateModule(leakySoma, { prefix: 'pop', size, dt: 1 });
    const p = await b.load({ buffers, ops: [op], dt: 1, seed: 0 });
    const access = webgpuProgramDevice(p);
    expect(access).toBeDefined();
    if (!access) return;
    expect(access.device).toBe(handle.device);
    // Drive half of the units over threshold so the spike buffer holds both 0 and 1.
    const current = new Float32Array(size).map((_, i) => (i % 2 === 0 ? 400 : 0));
    let spikedSomewhere = false;
    for (let s = 0; s < 30; s++) {
      await p.run({ steps: 1, inputs: { 'pop.current': current } });
      const view = access.deviceBuffer('pop.spikes');
      expect(view).toMatchObject({ name: 'pop.spikes', dtype: 'float32', elementType: 'f32', length: size });
      expect(view.byteLength).toBe(size * 4);
      const onDevice = new Float32Array(
        await readDevice(access.device, view.buffer, view.byteOffset, view.byteLength),
      );
      const read = (await p.read('pop.spikes')) as Float32Array;
      expect(Array.from(onDevice)).toEqual(Array.from(read));
      if (read.some((x) => x !== 0)) spikedSomewhere = true;
    }
    expect(spikedSomewhere).toBe(true);
    const v = access.deviceBuffer('pop.potential');
    expect(Array.from(new Float32Array(await readDevice(access.device, v.buffer, 0, v.byteLength)))).toEqual(
      Array.from((await p.read('pop.potential')) as Float32Array),
    );
    p.destroy();
    b.destroy();
  });

  it('reports device element types: u32 for uint8/bool/uint32, i32 for int32, f16 or f32 for float16 as the program stores it', async () => {
    for (const float16 of ['auto', 'emulated'] as const) {
      const b = await webgpuBackend({ device: handle.device, float16 });
      const names = ['float32', 'float16', 'int32', 'uint32', 'uint8', 'bool'] as const;
      const p = await b.load({
        dt: 1,
        seed: 0,
        buffers: names.map((dtype) => ({ name: dtype, dtype, shape: [3] })),
        ops: [],
      });
      const half = p.info.float16 === 'native' ? 'f16' : 'f32';
      if (float16 === 'emulated') expect(half).toBe('f32');
      expect(names.map((n) => p.deviceBuffer(n).elementType)).toEqual([
        'f32',
        half,
        'i32',
        'u32',
        'u32',
        'u32',
      ]);
      expect(p.deviceBuffer('float16').byteLength).toBe(half === 'f16' ? 6 : 12);
      // The typed interface and the generic accessor are the same object.
      expect(webgpuProgramDevice(p)).toBe(p);
      p.destroy();
      b.destroy();
    }
  });

  it('is undefined for other backends, and says which name is unknown', async () => {
    const { buffers, op } = instantiateModule(leakySoma, { prefix: 'c', size: 2, dt: 1 });
    const cpu = await cpuBackend().load({ buffers, ops: [op], dt: 1, seed: 0 });
    expect(webgpuProgramDevice(cpu)).toBeUndefined();
    const b = await webgpuBackend({ device: handle.device });
    const p = await b.load({ buffers, ops: [op], dt: 1, seed: 0 });
    const err = (() => {
      try {
        webgpuProgramDevice(p)?.deviceBuffer('c.nope');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).message).toBe('deviceBuffer: unknown buffer "c.nope"');
    p.destroy();
    b.destroy();
  });

  it('views are invalidated with a clear error when the program is destroyed or the device lost', async () => {
    const { buffers, op } = instantiateModule(leakySoma, { prefix: 'l', size: 4, dt: 1 });
    const b = await webgpuBackend({ device: handle.device });
    const p = await b.load({ buffers, ops: [op], dt: 1, seed: 0 });
    const access = webgpuProgramDevice(p);
    const view = access?.deviceBuffer('l.spikes');
    expect(view?.buffer).toBeDefined();
    p.destroy();
    const destroyed = (() => {
      try {
        return view?.buffer;
      } catch (e) {
        return e;
      }
    })();
    expect(destroyed).toBeInstanceOf(BackendError);
    expect((destroyed as BackendError).message).toBe('program was destroyed');
    b.destroy();

    const own = await requestGpuDevice();
    const b2 = await webgpuBackend({ device: own.device });
    const p2 = await b2.load({ buffers, ops: [op], dt: 1, seed: 0 });
    const a2 = webgpuProgramDevice(p2);
    const v2 = a2?.deviceBuffer('l.spikes');
    own.destroy();
    await own.lost;
    const lost = (() => {
      try {
        return v2?.buffer;
      } catch (e) {
        return e;
      }
    })();
    expect(lost).toBeInstanceOf(BackendError);
    expect((lost as BackendError).code).toBe('device-lost');
    expect(() => a2?.device).toThrow(/device was lost/);
    b2.destroy();
  });
});
