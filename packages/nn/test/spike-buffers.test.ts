// Runs in Node (Dawn on SwiftShader) and in headless Chromium: where a brain's spikes live, the
// per-step hook of `run`, and the device views of the spike buffers on webgpu.
import { BackendError, CounterRng } from '@spark-snn/core';
import { describe, expect, it } from 'vitest';
import { Brain } from '../src/brain.ts';
import { tutorialBrain } from './common/tutorial.ts';

function signal(steps: number): Float32Array {
  const rng = new CounterRng(7);
  const s = new Float32Array(steps * 64);
  for (let i = 0; i < s.length; i++) s[i] = rng.uniform(1, 0, i);
  return s;
}

const PORTS = ['spiker.spikes', 'pool_a.out_spikes', 'pool_b.out_spikes'];

describe('Brain spike buffers', () => {
  it('lists the buffer of every spiking module, the ones spikes() reads', async () => {
    const brain = await Brain.fromConfig(tutorialBrain(), { backend: 'cpu', inputShapes: { signal: [64] } });
    const list = brain.spikeBuffers();
    expect(list.map(({ module, port, size }) => ({ module, port, size }))).toEqual([
      { module: 'spiker', port: 'spikes', size: 64 },
      { module: 'pool_a', port: 'out_spikes', size: 256 },
      { module: 'pool_b', port: 'out_spikes', size: 128 },
    ]);
    expect(brain.deviceSpikeBuffers()).toBeUndefined();
    // onStep sees each step's state: spikes() read inside it equals that step's recorded row.
    const steps = 12;
    const seen: number[] = [];
    const rows: Record<string, Float32Array>[] = [];
    const rec = await brain.run({
      steps,
      inputs: { signal: signal(steps) },
      record: PORTS,
      onStep: async (step) => {
        seen.push(step);
        rows.push(await brain.spikes());
      },
    });
    expect(seen).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    for (const s of list) {
      const data = rec.series[`${s.module}.${s.port}`]!.data;
      for (let t = 0; t < steps; t++)
        expect(Array.from(rows[t]![s.module]!), `${s.module} step ${t}`).toEqual(
          Array.from(data.subarray(t * s.size, (t + 1) * s.size)),
        );
    }
    brain.destroy();
  });

  it('on webgpu: the device views, copied on the device in onStep, hold every step the recording holds', async () => {
    const brain = await Brain.fromConfig(tutorialBrain(), {
      backend: 'webgpu',
      inputShapes: { signal: [64] },
    });
    expect(brain.backend?.kind).toBe('webgpu');
    const dev = brain.deviceSpikeBuffers();
    expect(dev).toBeDefined();
    if (!dev) return;
    const list = brain.spikeBuffers();
    expect(Object.keys(dev.buffers)).toEqual(list.map((s) => s.module));
    const total = list.reduce((a, s) => a + s.size, 0);
    const steps = 40;
    const { device } = dev;
    // A device-side history of every population's flags: steps × total f32, filled in onStep.
    const history = device.createBuffer({
      size: steps * total * 4,
      usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
    });
    let t = 0;
    const rec = await brain.run({
      steps,
      inputs: { signal: signal(steps) },
      record: PORTS,
      onStep: () => {
        const enc = device.createCommandEncoder();
        let row = 0;
        for (const s of list) {
          const v = dev.buffers[s.module]!;
          expect(v.elementType).toBe('f32');
          enc.copyBufferToBuffer(v.buffer, v.byteOffset, history, (t * total + row) * 4, v.byteLength);
          row += s.size;
        }
        device.queue.submit([enc.finish()]);
        t++;
      },
    });
    expect(t).toBe(steps);
    const staging = device.createBuffer({
      size: steps * total * 4,
      usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
    });
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(history, 0, staging, 0, steps * total * 4);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const got = new Float32Array(staging.getMappedRange().slice(0));
    staging.destroy();
    history.destroy();
    let row = 0;
    let nonzero = 0;
    for (const s of list) {
      const want = rec.series[`${s.module}.${s.port}`]!.data;
      for (let k = 0; k < steps; k++) {
        const a = Array.from(got.subarray(k * total + row, k * total + row + s.size));
        expect(a, `${s.module} step ${k}`).toEqual(Array.from(want.subarray(k * s.size, (k + 1) * s.size)));
        nonzero += a.filter((x) => x !== 0).length;
      }
      row += s.size;
    }
    expect(nonzero).toBeGreaterThan(0);
    // The last step's views equal what spikes() reads back.
    const last = await brain.spikes();
    row = 0;
    for (const s of list) {
      const from = (steps - 1) * total + row;
      expect(Array.from(last[s.module]!)).toEqual(Array.from(got.subarray(from, from + s.size)));
      row += s.size;
    }
    const view = dev.buffers.pool_a!;
    brain.destroy();
    expect(() => view.buffer).toThrow(BackendError);
  });
});
