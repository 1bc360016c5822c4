import { describe, expect, it } from 'vitest';
import { Brain } from '../../src/brain.ts';
import { cartpoleRegistry, golden, goldenBrainDocument } from './fixtures.ts';

interface BrainGolden {
  steps: number;
  inputs: { signal: number[][]; mod_a_ex: number; mod_b_ex: number; mod_a_in: number; mod_b_in: number };
  outputs: { spike_indices: Record<string, number[][]> };
}

const POOLS = ['A_excitatory', 'B_excitatory', 'A_inhibitory', 'B_inhibitory'] as const;

// The cpu backend reproduces the golden spikes exactly (ab_brain.test.ts), so the golden run stands
// for "the cpu run" here and the slow software-GPU run is the only one executed.
describe('ab_brain on webgpu (Dawn on SwiftShader) against the cpu/golden run', () => {
  it('matches exactly for the first 100 steps and within 1% in total spikes over all 400', async () => {
    const registry = cartpoleRegistry();
    const g = golden<BrainGolden>('brain_ab_float32.json');
    const brain = await Brain.fromConfig(goldenBrainDocument(registry), {
      backend: 'webgpu',
      registry,
      inputShapes: { signal: [4], mod_a_ex: [1], mod_b_ex: [1], mod_a_in: [1], mod_b_in: [1] },
    });
    expect(brain.backend!.kind).toBe('webgpu');
    const rec = await brain.run({
      steps: g.steps,
      inputs: {
        signal: Float32Array.from(g.inputs.signal.flat()),
        mod_a_ex: [g.inputs.mod_a_ex],
        mod_b_ex: [g.inputs.mod_b_ex],
        mod_a_in: [g.inputs.mod_a_in],
        mod_b_in: [g.inputs.mod_b_in],
      },
      record: POOLS.map((p) => `${p}.out_spikes`),
      chunk: 100,
    });
    // Chunks of 100 steps: 4 submissions, one bulk readback each (not one per step).
    expect(brain.stats!.submissions).toBeLessThanOrEqual(8);
    for (const p of POOLS) {
      const data = rec.series[`${p}.out_spikes`]!.data;
      const n = data.length / g.steps;
      let total = 0;
      let goldenTotal = 0;
      for (let t = 0; t < g.steps; t++) {
        const got: number[] = [];
        for (let i = 0; i < n; i++) if (data[t * n + i] !== 0) got.push(i);
        total += got.length;
        goldenTotal += g.outputs.spike_indices[p]![t]!.length;
        if (t < 100) expect(got, `${p} step ${t}`).toEqual(g.outputs.spike_indices[p]![t]);
      }
      expect(Math.abs(total - goldenTotal)).toBeLessThanOrEqual(0.01 * Math.max(goldenTotal, 1));
    }
    brain.destroy();
  }, 600_000);
});
