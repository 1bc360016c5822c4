// Headless Chromium (WebGPU on SwiftShader): a brain runs on webgpu, the raster draws from the
// brain's own device spike buffers, and the drawn pixels (texture → buffer readback) are compared
// with the spikes the brain reports through `brain.spikes()` (a readback of the same buffers).
import { createBrainConfig, moduleSpecs } from '@spark-snn/config';
import type { DeviceBufferView } from '@spark-snn/kernels';
import { Brain } from '@spark-snn/nn';
import { afterAll, describe, expect, it } from 'vitest';
import { RASTER_COLOURS, type RasterPixels, WebGpuRaster } from './webgpu-raster.ts';

function spec(name: string, cls: string, init: Parameters<typeof moduleSpecs>[2]) {
  const r = moduleSpecs(name, cls, init);
  if (r.issues.some((i) => i.severity === 'error')) throw new Error(JSON.stringify(r.issues));
  return r.specs;
}

/** Poisson spiker (16) → ALIF pool_a (32, 30 % inhibitory: spikes −1/+1) → ALIF pool_b (16): 64 rows. */
function smallBrain() {
  return createBrainConfig(
    [
      spec('spiker', 'poisson_spiker', { inputs: { signal: ['__call__.signal'] } }),
      spec('pool_a', 'alif_neuron', {
        inputs: { in_spikes: ['spiker.spikes'] },
        config: { _s_units: [32], inhibitory_rate: 0.3, synapses__kernel__scale: 400, _s_seed: 3 },
      }),
      spec('pool_b', 'alif_neuron', {
        inputs: { in_spikes: ['pool_a.out_spikes'] },
        config: { _s_units: [16], synapses__kernel__scale: 400, _s_seed: 4 },
      }),
      spec('readout', 'exponential_integrator', {
        inputs: { spikes: ['pool_b.out_spikes'] },
        outputs: { action: 'signal' },
        config: { num_outputs: 2 },
      }),
    ],
    { seed: 11 },
  );
}

const brains: Brain[] = [];
afterAll(() => {
  for (const b of brains) b.destroy();
});

/** Pixel colour at (x, y) as 'bg', 'even', 'odd' or the raw bytes when it is none of them. */
function colourAt(px: RasterPixels, x: number, y: number): string {
  const o = y * px.bytesPerRow + x * 4;
  const rgb = [px.data[o], px.data[o + 1], px.data[o + 2]].map((v) => (v ?? 0) / 255);
  const near = (c: readonly number[]) => c.every((v, i) => Math.abs(v - (rgb[i] ?? 0)) < 1.5 / 255);
  if (near(RASTER_COLOURS.background)) return 'bg';
  if (near(RASTER_COLOURS.even)) return 'even';
  if (near(RASTER_COLOURS.odd)) return 'odd';
  return rgb.map((v) => Math.round(v * 255)).join(',');
}

describe('WebGpuRaster (draws from the brain’s device spike buffers, no readback)', () => {
  it('draws every step of every population exactly as brain.spikes() reports it, on the brain’s device', async () => {
    const brain = await Brain.fromConfig(smallBrain(), { backend: 'webgpu', inputShapes: { signal: [16] } });
    brains.push(brain);
    expect(brain.backend?.kind, 'headless Chromium provides WebGPU on SwiftShader').toBe('webgpu');
    const dev = brain.deviceSpikeBuffers();
    if (!dev) throw new Error('no device spike buffers on webgpu');
    const list = brain.spikeBuffers();
    const sources = list.map((s) => ({ name: s.module, view: dev.buffers[s.module] as DeviceBufferView }));
    const total = list.reduce((a, s) => a + s.size, 0);
    expect(total).toBe(64);
    const history = 16;
    const raster = new WebGpuRaster(dev.device, undefined, { sources, history, format: 'rgba8unorm' });
    expect(raster.device).toBe(dev.device);
    // The oracle: each step's spikes as the brain reports them (a readback, for the test only).
    const reported: Record<string, Float32Array>[] = [];
    const steps = 24;
    const signal = new Float32Array(steps * 16).map((_, i) => 0.3 + (0.7 * ((i * 7919) % 13)) / 13);
    await brain.run({
      steps,
      inputs: { signal },
      onStep: async () => {
        raster.append();
        reported.push(await brain.spikes());
      },
    });
    expect(raster.appended).toBe(steps);
    // One pixel per neuron and per step: the 16 columns are the last 16 steps, oldest on the left.
    const px = await raster.readPixels(history, total);
    let lit = 0;
    let negative = 0;
    for (let x = 0; x < history; x++) {
      const step = reported[steps - history + x] as Record<string, Float32Array>;
      let y = 0;
      list.forEach((s, p) => {
        const flags = step[s.module] as Float32Array;
        for (let i = 0; i < s.size; i++, y++) {
          const want = flags[i] !== 0 ? (p % 2 === 0 ? 'even' : 'odd') : 'bg';
          if (flags[i] !== 0) lit++;
          if ((flags[i] ?? 0) < 0) negative++;
          expect(colourAt(px, x, y), `${s.module}[${i}] at step ${steps - history + x}`).toBe(want);
        }
      });
    }
    // Real activity in the window, inhibitory (−1) spikes included (18 spikes since the random
    // streams draw 4 elements per Philox block; the check is that the window is not empty).
    expect(lit).toBeGreaterThan(10);
    expect(negative).toBeGreaterThan(0);

    // Scaled down: 4 neurons per pixel row; a row is lit when any of its 4 neurons spiked, in the
    // colour of the first one's population; 2 pixels per step.
    const small = await raster.readPixels(2 * history, total / 4);
    for (let x = 0; x < 2 * history; x++) {
      const step = reported[steps - history + Math.floor(x / 2)] as Record<string, Float32Array>;
      const flat = list.flatMap((s, p) =>
        Array.from(step[s.module] as Float32Array, (v) => (v !== 0 ? p : -1)),
      );
      for (let y = 0; y < total / 4; y++) {
        const first = flat.slice(4 * y, 4 * y + 4).find((p) => p >= 0);
        const want = first === undefined ? 'bg' : first % 2 === 0 ? 'even' : 'odd';
        expect(colourAt(small, x, y), `row ${y} column ${x}`).toBe(want);
      }
    }

    // A reset clears the history.
    raster.clear();
    const cleared = await raster.readPixels(history, total);
    for (let x = 0; x < history; x++)
      for (let y = 0; y < total; y++) expect(colourAt(cleared, x, y)).toBe('bg');
    raster.destroy();
  });

  it('reads int and packed float16 spike buffers as well as float32 ones', async () => {
    const brain = await Brain.fromConfig(smallBrain(), { backend: 'webgpu', inputShapes: { signal: [16] } });
    brains.push(brain);
    const device = brain.deviceSpikeBuffers()?.device;
    if (!device) throw new Error('no device');
    const make = (data: ArrayBufferView): GPUBuffer => {
      const b = device.createBuffer({
        size: Math.ceil(data.byteLength / 4) * 4,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
      });
      device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, Math.ceil(data.byteLength / 4) * 4);
      return b;
    };
    // f16 bits: 0x3c00 = 1, 0xbc00 = −1, 0x8000 = −0 (not a spike), 0 = 0.
    const half = Uint16Array.of(0x3c00, 0, 0x8000, 0xbc00, 0, 0x3c00);
    const ints = Int32Array.of(0, -1, 1);
    const floats = Float32Array.of(-0, 1, 0, -1);
    const view = (
      name: string,
      b: GPUBuffer,
      length: number,
      elementType: DeviceBufferView['elementType'],
    ) => ({
      name,
      view: {
        name,
        dtype: elementType === 'f16' ? 'float16' : elementType === 'i32' ? 'int32' : 'float32',
        elementType,
        length,
        byteOffset: 0,
        byteLength: length * (elementType === 'f16' ? 2 : 4),
        buffer: b,
      } satisfies DeviceBufferView,
    });
    const sources = [
      view('h', make(half), 6, 'f16'),
      view('i', make(ints), 3, 'i32'),
      view('f', make(floats), 4, 'f32'),
    ];
    const raster = new WebGpuRaster(device, undefined, { sources, history: 2, format: 'rgba8unorm' });
    raster.append();
    const px = await raster.readPixels(2, 13);
    const column = Array.from({ length: 13 }, (_, y) => colourAt(px, 1, y));
    expect(column).toEqual([
      ...['even', 'bg', 'bg', 'even', 'bg', 'even'],
      ...['bg', 'odd', 'odd'],
      ...['bg', 'even', 'bg', 'even'],
    ]);
    // The older column was never written.
    expect(Array.from({ length: 13 }, (_, y) => colourAt(px, 0, y)).every((c) => c === 'bg')).toBe(true);
    raster.destroy();
  });
});
