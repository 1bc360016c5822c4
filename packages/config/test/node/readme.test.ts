// The README's examples, run as written (with the fixture path filled in).
import { readFixture } from '@spark-snn/testing/fixtures';
import { expect, it } from 'vitest';
import {
  createBrainConfig,
  getModuleSpec,
  moduleSpecs,
  readScfg,
  registerAlifModNeuron,
  validateDocument,
  withOverrides,
  writeScfg,
} from '../../src/index.ts';

it('README: read, validate, override and write ab_brain.scfg', () => {
  registerAlifModNeuron();
  registerAlifModNeuron(); // idempotent
  const read = readScfg(readFixture('spark/ab_brain.scfg'));
  if (!read.ok) throw new Error(read.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  expect(validateDocument(read.document)).toEqual([]);
  const { document, issues } = withOverrides(read.document, { A_excitatory__soma__potential_tau: 12 });
  expect(issues).toEqual([]);
  const again = readScfg(writeScfg(document));
  const a = again.ok
    ? (again.document.config.modules_specs as Array<{
        name: string;
        config: { modules_specs: Array<{ name: string; config: Record<string, unknown> }> };
      }>)
    : [];
  expect(a[0]!.config.modules_specs.find((m) => m.name === 'soma')!.config.potential_tau).toBe(12);
});

it('README: registry and construction from code', () => {
  const soma = getModuleSpec('leaky_soma')!;
  expect(soma.ports.inputs[1]).toEqual({ name: 'inhibition_mask', payload: 'BooleanMask', optional: true });
  const brain = createBrainConfig([
    moduleSpecs('enc', 'poisson_spiker', { inputs: { signal: ['__call__.obs'] } }).specs,
    moduleSpecs('pool', 'alif_neuron', {
      inputs: { in_spikes: ['enc.spikes', 'pool.out_spikes'] },
      config: { _s_units: [128], synapses__kernel__scale: 200 },
    }).specs,
    moduleSpecs('dec', 'exponential_integrator', {
      inputs: { spikes: ['pool.out_spikes'] },
      outputs: { action: 'signal' },
      config: { num_outputs: 2 },
    }).specs,
  ]);
  expect(validateDocument(brain)).toEqual([]);
});
