// State handling, reproducibility and wiring semantics of the Brain (Node and headless Chromium).
import { createBrainConfig, moduleSpecs } from '@spark-snn/config';
import { CounterRng, getTensor } from '@spark-snn/core';
import { describe, expect, it } from 'vitest';
import { Brain } from '../src/brain.ts';
import { tutorialBrain } from './common/tutorial.ts';

const BACKENDS = ['cpu', 'webgpu', 'gpujs'] as const;

function signal(steps: number, seed = 7): Float32Array {
  const rng = new CounterRng(seed);
  const s = new Float32Array(steps * 64);
  for (let i = 0; i < s.length; i++) s[i] = rng.uniform(1, 0, i);
  return s;
}

async function spikes(brain: Brain, steps: number, offset = 0): Promise<Float32Array> {
  const all = signal(offset + steps);
  const rec = await brain.run({
    steps,
    inputs: { signal: all.subarray(offset * 64) },
    record: ['pool_b.out_spikes'],
  });
  return rec.series['pool_b.out_spikes']!.data;
}

describe.each(BACKENDS)('Brain state on %s', (backend) => {
  it('is reproducible from the seed and differs with another seed', async () => {
    const a = await Brain.fromConfig(tutorialBrain(42), { backend, inputShapes: { signal: [64] } });
    const b = await Brain.fromConfig(tutorialBrain(42), { backend, inputShapes: { signal: [64] } });
    const c = await Brain.fromConfig(tutorialBrain(43), { backend, inputShapes: { signal: [64] } });
    const [sa, sb, sc] = [await spikes(a, 80), await spikes(b, 80), await spikes(c, 80)];
    expect(sa.some((x) => x !== 0)).toBe(true);
    expect(Array.from(sb)).toEqual(Array.from(sa));
    expect(Array.from(sc)).not.toEqual(Array.from(sa));
    for (const x of [a, b, c]) x.destroy();
  });

  it('split → merge and checkpoints restore the run exactly; reset restarts it', async () => {
    const brain = await Brain.fromConfig(tutorialBrain(), { backend, inputShapes: { signal: [64] } });
    const first = await spikes(brain, 40);
    const { state } = await brain.split();
    expect(getTensor(state, 'pool_a/soma/potential').size).toBe(256);
    const bytes = await brain.saveCheckpoint();
    const cont = await spikes(brain, 30, 40);
    expect(cont.some((x) => x !== 0)).toBe(true);

    await brain.merge(state);
    expect(Array.from(await spikes(brain, 30, 40))).toEqual(Array.from(cont));

    const other = await Brain.fromConfig(tutorialBrain(), { backend, inputShapes: { signal: [64] } });
    await other.loadCheckpoint(bytes);
    expect(Array.from(await spikes(other, 30, 40))).toEqual(Array.from(cont));

    await brain.reset();
    expect(Array.from(await spikes(brain, 40))).toEqual(Array.from(first));
    await expect(brain.merge({ ghost: state.pool_a! } as typeof state)).rejects.toThrow(/ghost/);
    brain.destroy();
    other.destroy();
  });

  it('freezes a pool’s kernel when learning is off, and keeps the run going', async () => {
    const brain = await Brain.fromConfig(tutorialBrain(), { backend, inputShapes: { signal: [64] } });
    await spikes(brain, 20);
    await brain.setLearning('pool_a', false);
    expect(brain.learning('pool_a')).toBe(false);
    const before = (await brain.readState(['pool_a/synapses/kernel']))[
      'pool_a/synapses/kernel'
    ]!.data.slice();
    const active = await spikes(brain, 40, 20);
    expect(active.some((x) => x !== 0)).toBe(true);
    const after = (await brain.readState(['pool_a/synapses/kernel']))['pool_a/synapses/kernel']!.data;
    expect(Array.from(after)).toEqual(Array.from(before));
    await brain.setLearning('pool_a', true);
    await spikes(brain, 40, 60);
    const learned = (await brain.readState(['pool_a/synapses/kernel']))['pool_a/synapses/kernel']!.data;
    expect(Array.from(learned)).not.toEqual(Array.from(before));
    await expect(brain.setLearning('spiker', false)).rejects.toThrow(/nothing to learn/);
    brain.destroy();
  });
});

describe('wiring semantics', () => {
  it('concatenates multi-source inputs in PortMap order (recurrent self-loop included)', async () => {
    const m = (name: string, cls: string, init: Parameters<typeof moduleSpecs>[2]) =>
      moduleSpecs(name, cls, init).specs;
    const doc = createBrainConfig(
      [
        m('a', 'linear_spiker', { inputs: { signal: ['__call__.x'] } }),
        m('b', 'linear_spiker', { inputs: { signal: ['__call__.y'] } }),
        // pool reads b, then a, then itself: in_spikes = b(2) ‖ a(3) ‖ pool(4)
        m('pool', 'lif_neuron', {
          inputs: { in_spikes: ['b.spikes', 'a.spikes', 'pool.out_spikes'] },
          outputs: { out: 'out_spikes' },
          config: { _s_units: [4] },
        }),
      ],
      { seed: 3 },
    );
    const brain = await Brain.fromConfig(doc, { backend: 'cpu', inputShapes: { x: [3], y: [2] } });
    const concat = brain.compiledBrain!.plan.ops.find((o) => o.op === 'concat' && o.name.startsWith('pool'))!;
    expect(concat.attrs).toEqual({ sizes: [2, 3, 4] });
    expect([concat.bindings.in0, concat.bindings.in1, concat.bindings.in2]).toEqual([
      '@cache/b/spikes',
      '@cache/a/spikes',
      '@cache/pool/out_spikes',
    ]);
    const syn = brain.compiledBrain!.plan.buffers.find((b) => b.name === 'pool/synapses.kernel')!;
    expect(syn.shape).toEqual([4, 9]);
    brain.destroy();
  });
});
