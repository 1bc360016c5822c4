// Deno: the brains tutorial network runs on cpu and on webgpu (wgpu on lavapipe) with identical spikes.
import { CounterRng } from '@spark-snn/core';
import { Brain } from '../../src/brain.ts';
import { tutorialBrain } from '../common/tutorial.ts';

declare const Deno: { test(name: string, fn: () => Promise<void>): void };

async function run(backend: 'cpu' | 'webgpu', steps: number) {
  const rng = new CounterRng(7);
  const signal = new Float32Array(steps * 64);
  for (let i = 0; i < signal.length; i++) signal[i] = rng.uniform(1, 0, i);
  const brain = await Brain.fromConfig(tutorialBrain(), { backend, inputShapes: { signal: [64] } });
  const rec = await brain.run({
    steps,
    inputs: { signal },
    record: ['pool_a.out_spikes', 'pool_b.out_spikes'],
  });
  const kind = brain.backend?.kind;
  brain.destroy();
  return { rec, kind };
}

Deno.test('the brains tutorial network gives the same spikes on webgpu and cpu in Deno', async () => {
  const cpu = await run('cpu', 60);
  const gpu = await run('webgpu', 60);
  if (gpu.kind !== 'webgpu') throw new Error(`expected webgpu, got ${gpu.kind}`);
  let total = 0;
  for (const port of ['pool_a.out_spikes', 'pool_b.out_spikes']) {
    const x = cpu.rec.series[port]!.data;
    const y = gpu.rec.series[port]!.data;
    for (let i = 0; i < x.length; i++) {
      if (x[i] !== y[i]) throw new Error(`${port}: element ${i} differs (cpu ${x[i]}, webgpu ${y[i]})`);
      total += Math.abs(x[i]!);
    }
  }
  if (total === 0) throw new Error('no spikes at all: the comparison would be vacuous');
});
