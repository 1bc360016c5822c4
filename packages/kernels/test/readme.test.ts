// The README example, verbatim apart from the import path (keep the two in sync).
import { expect, it } from 'vitest';
import { cpuBackend, instantiateModule } from '../src/index.ts';
import { parseDefinition } from '../src/lang/index.ts';

it('README example runs on the cpu backend', async () => {
  const soma = parseDefinition(`
module my_leaky over unit
param potential_tau: f32 per unit = 20 [ms] positive
param resistance: f32 = 0.1 [GOhm]
param threshold: f32 = 20 [mV]
state v: f32 = 0 [mV]
input current: CurrentArray f32 [pA]
output spikes: SpikeArray f32

let decay = exp(-dt / potential_tau)     # hoisted: computed once in float64, rounded to f32
v = decay * v + (1 - decay) * resistance * current
let spike = v > threshold
spikes = f32(spike)
v = spike ? 0 : v
`);
  const { buffers, op } = instantiateModule(soma, {
    prefix: 'soma',
    size: 4,
    dt: 1,
    params: { potential_tau: [10, 20, 30, 40] },
  });
  const program = await cpuBackend().load({ buffers, ops: [op], dt: 1, seed: 42 });
  const result = await program.run({
    steps: 100,
    inputs: { 'soma.current': new Float32Array([300, 300, 300, 300]) },
    record: ['soma.spikes'],
  });
  const spikes = result.records['soma.spikes'] as Float32Array;
  expect(spikes.length).toBe(400);
  // Drive R·I = 30 mV against a 20 mV threshold: every unit fires, the fastest (tau 10) most often.
  const counts = [0, 1, 2, 3].map((u) => spikes.filter((_, k) => k % 4 === u && spikes[k] === 1).length);
  expect(counts.every((c) => c > 0)).toBe(true);
  expect(counts[0]).toBeGreaterThan(counts[3] as number);
});
