// Runs in Node and in headless Chromium: the Spark brains tutorial network on cpu and webgpu.
import { CounterRng } from '@spark-snn/core';
import { describe, expect, it } from 'vitest';
import { Brain } from '../src/brain.ts';
import { tutorialBrain } from './common/tutorial.ts';

function signal(steps: number): Float32Array {
  const rng = new CounterRng(7);
  const s = new Float32Array(steps * 64);
  for (let i = 0; i < s.length; i++) s[i] = rng.uniform(1, 0, i);
  return s;
}

async function run(backend: 'cpu' | 'webgpu' | 'gpujs', steps: number) {
  const brain = await Brain.fromConfig(tutorialBrain(), { backend, inputShapes: { signal: [64] } });
  const rec = await brain.run({
    steps,
    inputs: { signal: signal(steps) },
    record: ['pool_a.out_spikes', 'pool_b.out_spikes', 'action'],
  });
  brain.destroy();
  return rec;
}

describe('Spark brains tutorial network', () => {
  it('is active on cpu: inhibitory units spike with −1 and the readout integrates pool_b', async () => {
    const rec = await run('cpu', 200);
    const a = rec.series['pool_a.out_spikes']!.data;
    const counts = { pos: 0, neg: 0 };
    for (const v of a) {
      if (v > 0) counts.pos++;
      else if (v < 0) counts.neg++;
    }
    expect(counts.pos).toBeGreaterThan(0);
    expect(counts.neg).toBeGreaterThan(0); // 30 % inhibitory units carry their sign downstream
    expect(rec.series.action!.data.some((x) => x !== 0)).toBe(true);
  });

  it.each(['webgpu', 'gpujs'] as const)(
    'gives the same spikes on %s as on cpu (same seed)',
    async (backend) => {
      const steps = backend === 'gpujs' ? 50 : 100;
      const [cpu, gpu] = [await run('cpu', steps), await run(backend, steps)];
      for (const port of ['pool_a.out_spikes', 'pool_b.out_spikes']) {
        const x = cpu.series[port]!.data;
        const y = gpu.series[port]!.data;
        let diff = 0;
        for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) diff++;
        expect(diff, port).toBe(0);
      }
    },
  );
});
