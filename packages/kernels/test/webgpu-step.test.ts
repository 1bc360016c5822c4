// The webgpu step schedule keeps the plan's semantics bit for bit: module ops fused into one
// dispatch across structural ops, latency copies as swaps of double buffers, event lists written by
// the spiking dispatch and read by propagation, group sums and copies — across streams, records,
// chunks of odd length, host writes (of a swapped buffer, an event-tracked one, a history) and reset.
// The optimised program equals the plain one (every op its own dispatch, every copy run, no lists)
// and the cpu step program bit for bit, and the float64 reference within the conformance tolerance.
// Node (Dawn on SwiftShader) and headless Chromium (SwiftShader); Deno runs it on lavapipe
// (test/deno/kernels_test.ts). The plan: test/common/step-plan.ts.
import { type GpuDeviceHandle, requestGpuDevice } from '@spark-snn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import { type WebGpuBackend, webgpuBackend } from '../src/backends/webgpu/index.ts';
import { onReference, referenceProblems, runThree, stepPlan } from './common/step-plan.ts';

let handle: GpuDeviceHandle;
let gpu: WebGpuBackend;
let plain: WebGpuBackend;

beforeAll(async () => {
  handle = await requestGpuDevice();
  gpu = await webgpuBackend({ device: handle.device, chunk: 7 });
  plain = await webgpuBackend({
    device: handle.device,
    chunk: 7,
    fuse: false,
    doubleBuffers: false,
    events: false,
  });
});

afterAll(() => {
  gpu?.destroy();
  plain?.destroy();
  handle?.destroy();
});

describe('webgpu step schedule: fusion, double buffers and event lists keep the plan’s semantics', () => {
  it('schedules the plan: gen and trace fused, the latency copy swapped, spike lists kept', async () => {
    const p = await gpu.load(stepPlan());
    const q = await plain.load(stepPlan());
    const s = p.info.schedule;
    expect(s.fused).toEqual([['g', 't']]);
    expect(s.swapped).toEqual([['g.s', 's.copy']]);
    expect([...s.eventLists].sort()).toEqual(['g.s', 's.cache', 's.copy']);
    // One dispatch fewer for the fused pair and one for the swapped copy.
    expect(q.info.schedule.dispatchesPerStep - s.dispatchesPerStep).toBe(2);
    expect(q.info.schedule.eventLists).toEqual([]);
    for (const x of [p, q]) {
      expect(x.info.schedule.bytesPerStep.read).toBeGreaterThan(0);
      expect(x.info.schedule.bytesPerStep.write).toBeGreaterThan(0);
    }
    expect(s.bytesPerStep.read).toBeLessThan(q.info.schedule.bytesPerStep.read);
    p.destroy();
    q.destroy();
  });

  it('equals the plain program and the cpu bit for bit, the reference within 1e-5, across writes and reset', async () => {
    const got = await runThree(gpu);
    expect(got).toEqual(await runThree(plain));
    expect(got).toEqual(await runThree(cpuBackend({ chunk: 7 })));
    expect(referenceProblems(got, onReference(), 'webgpu')).toEqual([]);
    // The runs are not trivial: spikes flow into every consumer.
    expect(
      ((got[0] as Record<string, number[]>).rate as number[]).reduce((a, x) => a + x, 0),
    ).toBeGreaterThan(100);
    expect(((got[0] as Record<string, number[]>)['l.spikes'] as number[]).some((x) => x !== 0)).toBe(true);
  });

  it('the scatter from event lists (no mark pass; a ring of lists with delays) equals the marking scatter', async () => {
    const opts = { device: handle.device, chunk: 7, sparseDelivery: 'scatter' } as const;
    const listed = await webgpuBackend(opts);
    const marking = await webgpuBackend({ ...opts, fuse: false, doubleBuffers: false, events: false });
    const p = await listed.load(stepPlan());
    const q = await marking.load(stepPlan());
    // Three scatters (a: no delay, b: delay 2, c: per-edge delays): a and c lose their mark pass
    // (b pushes its list into the ring instead of marking); plus the fused pair and the swap.
    expect(p.info.sparse.map((x) => [x.name, x.delivery, x.dispatches])).toEqual([
      ['a', 'scatter', 2],
      ['b', 'scatter', 3],
      ['c', 'scatter', 3],
    ]);
    expect(q.info.sparse.map((x) => x.dispatches)).toEqual([3, 3, 3]);
    p.destroy();
    q.destroy();
    const got = await runThree(listed);
    expect(got).toEqual(await runThree(marking));
    expect(((got[0] as Record<string, number[]>)['cur.c'] as number[]).some((x) => x !== 0)).toBe(true);
    listed.destroy();
    marking.destroy();
  });

  it('counts dispatches and bytes per step, and the host↔device bytes', async () => {
    const p = await gpu.load(stepPlan());
    const before = { ...p.stats };
    await p.run({ steps: 10, record: ['g.s'] });
    const perStep = (k: keyof typeof before) => ((p.stats[k] as number) - (before[k] as number)) / 10;
    const s = p.info.schedule;
    // The record adds one copy dispatch per step.
    expect(perStep('dispatches')).toBe(s.dispatchesPerStep + 1);
    expect(perStep('bytesRead')).toBe(s.bytesPerStep.read + 4 * 64);
    expect(perStep('bytesWritten')).toBe(s.bytesPerStep.write + 4 * 64);
    // Two chunks of at most 7 steps: two readbacks of the 7-row record buffer; 10 control blocks uploaded.
    expect((p.stats.bytesReadBack as number) - (before.bytesReadBack as number)).toBe(2 * 7 * 4 * 64);
    expect((p.stats.bytesUploaded as number) - (before.bytesUploaded as number)).toBeGreaterThanOrEqual(
      10 * 16,
    );
    p.destroy();
  });
});
