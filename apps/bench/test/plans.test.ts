// The physics gates of benchmarks.md §6.3 at small sizes, on the cpu backend (a regression in the
// equations, the connectors or sparse propagation fails the build): CUBA 4,000 neurons for 1 s and
// Brunel model A 12,500 neurons for 0.5 s, rates over t > 200 ms. Plus cpu ↔ webgpu agreement on
// the first 100 ms of CUBA (same Philox stream, f32).
import { cpuBackend, webgpuBackend } from '@spark-snn/kernels';
import { describe, expect, it } from 'vitest';
import { type BenchmarkNetwork, benchmarkNetwork, ratesOf } from '../src/plans.ts';

async function rateOf(net: BenchmarkNetwork, steps: number): Promise<{ e: number; i: number; all: number }> {
  const p = await cpuBackend().load(net.plan);
  const r = await p.run({ steps, record: [net.monitor] });
  p.destroy();
  return ratesOf(net, r.records[net.monitor] as Float32Array);
}

describe('benchmark networks: rate gates on cpu', () => {
  it('CUBA, N = 4000, 1 s: mean of 3 seeds within ±10 % of 5.6 Hz', async () => {
    const rates: number[] = [];
    for (const seed of [1, 2, 3]) rates.push((await rateOf(benchmarkNetwork('cuba', { seed }), 10_000)).all);
    const mean = rates.reduce((a, x) => a + x, 0) / rates.length;
    expect(mean).toBeGreaterThan(5.6 * 0.9);
    expect(mean).toBeLessThan(5.6 * 1.1);
  }, 120_000);

  it('COBA (b), N = 4000, 0.5 s: within ±12 % of 19.5 Hz', async () => {
    const r = await rateOf(benchmarkNetwork('coba', { seed: 1 }), 5_000);
    expect(r.all).toBeGreaterThan(19.5 * 0.88);
    expect(r.all).toBeLessThan(19.5 * 1.12);
  }, 120_000);

  it('Brunel A (g = 5, η = 2), N = 12,500, 0.5 s: within ±5 % of 37.5 Hz', async () => {
    const r = await rateOf(benchmarkNetwork('brunel', { seed: 1 }), 5_000);
    expect(r.e).toBeGreaterThan(37.5 * 0.95);
    expect(r.e).toBeLessThan(37.5 * 1.05);
    expect(r.i).toBeGreaterThan(37.5 * 0.95);
    expect(r.i).toBeLessThan(37.5 * 1.05);
  }, 300_000);
});

describe('benchmark networks: cpu ↔ webgpu', () => {
  // Both compute in float32 (the cpu's generated JS rounds every operation as WGSL does), so the same
  // plan gives the same spikes bit for bit (benchmarks.md §6.3): every spike of 100 ms of CUBA.
  it('CUBA, N = 4000: identical spikes at every step over 100 ms', async () => {
    let gpu: Awaited<ReturnType<typeof webgpuBackend>> | undefined;
    try {
      gpu = await webgpuBackend();
    } catch {
      return; // no adapter here
    }
    const net = benchmarkNetwork('cuba', { seed: 4 });
    const run = async (b: typeof gpu): Promise<Float32Array> => {
      const p = await (b as NonNullable<typeof gpu>).load(net.plan);
      const r = await p.run({ steps: 1000, record: [net.spikes] });
      p.destroy();
      return r.records[net.spikes] as Float32Array;
    };
    const a = await run(cpuBackend() as unknown as typeof gpu);
    const b = await run(gpu);
    gpu.destroy();
    let first = -1;
    for (let k = 0; k < a.length && first < 0; k++) if (a[k] !== b[k]) first = k;
    expect(first, `first differing spike (step ${Math.floor(first / net.n)})`).toBe(-1);
    expect(a.reduce((s, v) => s + v, 0)).toBeGreaterThan(100); // the run has spikes to compare
  }, 300_000);
});
