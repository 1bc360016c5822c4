import { createBrainConfig, initializerDefault, moduleSpecs } from '@spark-snn/config';
import { expect, it } from 'vitest';
import { exportPyNN } from '../src/index.ts';

it('the README example runs', () => {
  const n = 500;
  const neurons = moduleSpecs('neurons', 'cuba_lif', {
    config: {
      dtype: 'float32',
      units: [n],
      v_offset: initializerDefault('uniform_initializer', { scale: 10 }),
    },
    inputs: { exc: ['exc.currents'], inh: ['inh.currents'] },
  }).specs;
  const synapses = (name: string, start: number, stop: number, weight: number) =>
    moduleSpecs(name, 'sparse_synapses', {
      config: { dtype: 'float32', units: [n], p: 0.16, source_start: start, source_stop: stop, weight },
      inputs: { spikes: ['neurons.spikes'] },
    }).specs;
  const brain = createBrainConfig([neurons, synapses('exc', 0, 400, 1.62), synapses('inh', 400, n, -9)], {
    dt: 0.1,
    seed: 1,
  });

  const out = exportPyNN(brain, { connectivity: 'explicit', npzName: 'cuba.npz', source: 'cuba' });
  expect(out.diagnostics).toEqual([]);
  expect(out.ok).toBe(true);
  expect(out.network.projections.map((p) => [p.id, p.receptor, p.connector.kind])).toEqual([
    ['exc', 'excitatory', 'from_list'],
    ['inh', 'inhibitory', 'from_list'],
  ]);
  // 80 partners per cell on average (p = 0.16 of 500)
  const edges = out.network.projections.reduce(
    (a, p) => a + (p.connector.kind === 'from_list' ? p.connector.pre.length : 0),
    0,
  );
  expect(edges / n).toBeGreaterThan(70);
  expect(edges / n).toBeLessThan(90);
});
