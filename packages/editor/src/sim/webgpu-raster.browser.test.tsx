import { type GpuDeviceHandle, requestGpuDevice } from '@spark-snn/core';
import { describe, expect, it } from 'vitest';
import { WebGpuRaster } from './webgpu-raster.ts';

let handle: GpuDeviceHandle | undefined;
async function device(): Promise<GPUDevice | undefined> {
  handle ??= await requestGpuDevice({ timeoutMs: 30_000 });
  return handle.device;
}

describe('WebGpuRaster (draws from a GPU spike buffer, no readback)', () => {
  it('draws lit pixels exactly where spikes are, oldest step on the left', async () => {
    const dev = await device();
    expect(dev, 'headless Chromium provides WebGPU on SwiftShader').toBeDefined();
    if (!dev) return;
    const neurons = 4;
    const canvas = document.createElement('canvas');
    canvas.width = 8;
    canvas.height = 4;
    const raster = new WebGpuRaster(dev, canvas, { neurons, history: 8, format: 'rgba8unorm' });
    // A "simulator" spike buffer: 2 steps × 4 neurons of f32 flags.
    const spikes = dev.createBuffer({
      size: 2 * neurons * 4,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    dev.queue.writeBuffer(spikes, 0, Float32Array.of(1, 0, 0, 0, 0, 0, 0, 1));
    raster.push(spikes, 2);
    // The frame is rendered offscreen with the same pipeline: presenting a WebGPU canvas in headless
    // Chromium on SwiftShader destroys the device (checked here), so the canvas path is not drawn.
    const px = await raster.readPixels();
    const lit = (x: number, y: number) => (px.data[y * px.bytesPerRow + x * 4] ?? 0) > 128;
    const map: string[] = [];
    for (let y = 0; y < 4; y++) {
      let row = '';
      for (let x = 0; x < 8; x++) row += lit(x, y) ? '#' : '.';
      map.push(row);
    }
    // 8 columns of history: the two pushed steps are the two right-most columns.
    expect(map).toEqual(['......#.', '........', '........', '.......#']);
    raster.destroy();
    spikes.destroy();
  });
});
