import { compareTrace, rows } from '@spark-snn/testing';
import { golden } from '@spark-snn/testing/fixtures';
import { describe, expect, it } from 'vitest';
import { Brain } from '../../src/brain.ts';
import { cartpoleRegistry, goldenBrainDocument } from './brains.ts';

interface BrainGolden {
  steps: number;
  inputs: { signal: number[][]; mod_a_ex: number; mod_b_ex: number; mod_a_in: number; mod_b_in: number };
  outputs: {
    action: number[][];
    spike_indices: Record<string, number[][]>;
    spike_sign: Record<string, number>;
  };
}

const MODULES = ['spiker', 'A_excitatory', 'B_excitatory', 'A_inhibitory', 'B_inhibitory'] as const;
const SPIKE_PORT: Record<string, string> = { spiker: 'spiker.spikes' };

describe('ab_brain frozen golden run (Spark compatibility mode, cpu)', () => {
  it('reproduces every module’s spikes at every step and the action within 1e-5 (the float32 tolerance)', async () => {
    const registry = cartpoleRegistry();
    const doc = goldenBrainDocument(registry);
    expect(doc.provenance).toBe('spark');
    expect(doc.behaviour).toBe('spark');
    const g = golden<BrainGolden>('brain_ab_float32.json');
    const brain = await Brain.fromConfig(doc, {
      backend: 'cpu',
      registry,
      inputShapes: { signal: [4], mod_a_ex: [1], mod_b_ex: [1], mod_a_in: [1], mod_b_in: [1] },
    });
    const groups = brain.compiledBrain!.groups;
    expect(groups.map((g) => [...g].sort())).toEqual([
      ['spiker'],
      ['A_excitatory', 'A_inhibitory', 'B_excitatory', 'B_inhibitory'],
      ['integrator'],
    ]);
    const record = [...MODULES.map((m) => SPIKE_PORT[m] ?? `${m}.out_spikes`), 'action'];
    const rec = await brain.run({
      steps: g.steps,
      inputs: {
        signal: Float32Array.from(g.inputs.signal.flat()),
        mod_a_ex: [g.inputs.mod_a_ex],
        mod_b_ex: [g.inputs.mod_b_ex],
        mod_a_in: [g.inputs.mod_a_in],
        mod_b_in: [g.inputs.mod_b_in],
      },
      record,
      chunk: 100,
    });
    const firstMismatch: string[] = [];
    for (const m of MODULES) {
      const series = rec.series[SPIKE_PORT[m] ?? `${m}.out_spikes`]!;
      const n = series.data.length / g.steps;
      for (let t = 0; t < g.steps; t++) {
        const got: number[] = [];
        for (let i = 0; i < n; i++) if (series.data[t * n + i] !== 0) got.push(i);
        const want = g.outputs.spike_indices[m]![t]!;
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          firstMismatch.push(`${m} step ${t}: got [${got.slice(0, 8)}] want [${want.slice(0, 8)}]`);
          break;
        }
        for (const i of got) expect(series.data[t * n + i]).toBe(g.outputs.spike_sign[m]);
      }
    }
    expect(firstMismatch).toEqual([]);
    expect(compareTrace('action', rec.series.action!.data, rows(g.outputs.action), 'float32')).toEqual([]);
    brain.destroy();
  });
});
