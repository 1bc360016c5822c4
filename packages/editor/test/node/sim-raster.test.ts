// Node (Dawn on SwiftShader): nnSimulator's WebGPU raster, the worker-side path of the studio
// panel, with a canvas whose context hands out real textures of the brain's device. The drawn
// pixels are compared with the spikes the same model reports on the cpu backend (where the step
// results carry them), which equal the webgpu spikes (nn's ab_brain backend tests).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSparkFile } from '../../src/config-bridge.ts';
import type { JsonObject } from '../../src/model/types.ts';
import { nnSimulator } from '../../src/sim/nn.ts';
import type { LoadedModel } from '../../src/sim/simulator.ts';
import { neuronAtRow, RASTER_COLOURS, rasterLayout } from '../../src/sim/webgpu-raster.ts';

const EXAMPLE = fileURLToPath(
  new URL('../../../../apps/studio/public/examples/ab_brain.scfg', import.meta.url),
);

function example(): JsonObject {
  const r = readSparkFile(new Uint8Array(readFileSync(EXAMPLE)));
  if (!r.ok) throw new Error(r.message);
  return r.json as JsonObject;
}

/** An OffscreenCanvas stand-in: its `webgpu` context renders into textures we can read back. */
function textureCanvas() {
  let config: GPUCanvasConfiguration | undefined;
  let texture: GPUTexture | undefined;
  const canvas = {
    width: 1,
    height: 1,
    getContext: (kind: string) => (kind === 'webgpu' ? context : null),
  };
  const context = {
    configure(c: GPUCanvasConfiguration) {
      config = c;
    },
    unconfigure() {},
    getCurrentTexture(): GPUTexture {
      if (!config) throw new Error('not configured');
      texture?.destroy();
      texture = config.device.createTexture({
        size: [canvas.width, canvas.height],
        format: config.format,
        usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC,
      });
      return texture;
    },
  };
  async function pixels(): Promise<{ width: number; bytesPerRow: number; data: Uint8Array }> {
    if (!config || !texture) throw new Error('nothing drawn');
    const device = config.device;
    const bytesPerRow = Math.ceil((canvas.width * 4) / 256) * 256;
    const buf = device.createBuffer({
      size: bytesPerRow * canvas.height,
      usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
    });
    const enc = device.createCommandEncoder();
    enc.copyTextureToBuffer({ texture }, { buffer: buf, bytesPerRow }, [canvas.width, canvas.height]);
    device.queue.submit([enc.finish()]);
    await buf.mapAsync(GPUMapMode.READ);
    const data = new Uint8Array(buf.getMappedRange().slice(0));
    buf.destroy();
    return { width: canvas.width, bytesPerRow, data };
  }
  return {
    canvas: canvas as unknown as OffscreenCanvas,
    pixels,
    format: () => config?.format,
    device: () => config?.device,
  };
}

/** Constant inputs for `k` steps (CartPole-like observation on `signal`). */
function feed(m: LoadedModel, k: number): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const i of m.inputs)
    out[i.name] = new Float32Array(k * i.size).map((_, j) =>
      i.name === 'signal' ? [0.8, -0.3, 0.6, 0.9][j % 4]! : 0.5,
    );
  return out;
}

describe('nnSimulator WebGPU raster (the studio worker path)', () => {
  it('draws every population from the device buffers; the pixels equal the cpu run’s spikes; step results carry no spikes', async () => {
    const steps = 40;
    // The oracle: the same model on cpu, spikes in the step results.
    const cpu = nnSimulator({ inputShapes: { signal: [4] } });
    const mc = await cpu.load(example(), { backend: 'cpu' });
    expect(await cpu.attachRaster?.(undefined, { width: 1, height: 1 })).toEqual({
      ok: false,
      reason: 'no canvas was given',
    });
    expect(await cpu.attachRaster?.(textureCanvas().canvas, { width: 1, height: 1 })).toEqual({
      ok: false,
      reason: 'the model runs on cpu, not webgpu',
    });
    const rc = await cpu.step(steps, feed(mc, steps));
    cpu.dispose();

    const gpu = nnSimulator({ inputShapes: { signal: [4] }, rasterHistory: steps });
    const mg = await gpu.load(example(), { backend: 'webgpu' });
    expect(mg.backend).toBe('webgpu');
    expect(mg.populations).toEqual(mc.populations);
    // One pixel row per virtual row: small populations are stretched (each neuron on several rows).
    const layout = rasterLayout(mg.populations.map((p) => p.size));
    const rows = layout.vstarts.at(-1) ?? 0;
    expect(layout.stretch.some((k) => k > 1)).toBe(true);
    const tc = textureCanvas();
    expect(await gpu.attachRaster?.(tc.canvas, { width: steps, height: rows })).toEqual({ ok: true });
    const rg = await gpu.step(steps, feed(mg, steps));
    expect(rg.spikes).toEqual({});
    expect(Object.keys(rg.traces)).toEqual(Object.keys(rc.traces));
    const px = await tc.pixels();
    const bgra = tc.format() === 'bgra8unorm';
    const colour = (x: number, y: number): string => {
      const o = y * px.bytesPerRow + x * 4;
      const [a, b, c] = [px.data[o] ?? 0, px.data[o + 1] ?? 0, px.data[o + 2] ?? 0];
      const rgb = (bgra ? [c, b, a] : [a, b, c]).map((v) => v / 255);
      const near = (k: readonly number[]) => k.every((v, i) => Math.abs(v - (rgb[i] ?? 0)) < 1.5 / 255);
      return near(RASTER_COLOURS.background)
        ? 'bg'
        : near(RASTER_COLOURS.even)
          ? 'even'
          : near(RASTER_COLOURS.odd)
            ? 'odd'
            : rgb.join(',');
    };
    let lit = 0;
    for (let y = 0; y < rows; y++) {
      const { band, neuron } = neuronAtRow(layout, y);
      const p = mc.populations[band];
      if (!p) throw new Error(`row ${y} has no band`);
      const i = neuron - (layout.starts[band] ?? 0);
      const flags = rc.spikes[p.name] as Uint8Array;
      for (let x = 0; x < steps; x++) {
        const on = flags[x * p.size + i] !== 0;
        if (on) lit++;
        expect(colour(x, y), `${p.name}[${i}] step ${x} (row ${y})`).toBe(
          on ? (band % 2 === 0 ? 'even' : 'odd') : 'bg',
        );
      }
    }
    expect(lit).toBeGreaterThan(50);
    // Reset clears the raster (the next frame is background only).
    await gpu.reset();
    const cleared = await tc.pixels();
    expect(
      cleared.data.some(
        (v, k) => k % 4 === 0 && k % cleared.bytesPerRow < steps * 4 && Math.abs(v - 0x11) > 1,
      ),
    ).toBe(false);
    // A new model detaches the raster: spikes travel in the step results again.
    const again = await gpu.load(example(), { backend: 'webgpu' });
    const r2 = await gpu.step(2, feed(again, 2));
    expect(Object.keys(r2.spikes)).toEqual(mc.populations.map((p) => p.name));
    gpu.dispose();
  }, 300_000);

  it('a lost device stops the run with a device-lost error and the raster cannot be attached again', async () => {
    const sim = nnSimulator({ inputShapes: { signal: [4] } });
    const m = await sim.load(example(), { backend: 'webgpu' });
    const tc = textureCanvas();
    expect(await sim.attachRaster?.(tc.canvas, { width: 8, height: 8 })).toEqual({ ok: true });
    await sim.step(2, feed(m, 2));
    const device = tc.device();
    if (!device) throw new Error('the raster configured no device');
    device.destroy();
    await device.lost;
    await expect(sim.step(2, feed(m, 2))).rejects.toThrow(/device was lost/);
    const again = await sim.attachRaster?.(undefined, { width: 8, height: 8 });
    expect(again?.ok).toBe(false);
    expect(again && !again.ok ? again.reason : '').toMatch(/device was lost/);
    sim.dispose();
  }, 120_000);
});
