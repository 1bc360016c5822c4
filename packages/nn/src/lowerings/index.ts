/**
 * The built-in lowerings: every Spark module spark-snn can run, by registry name.
 *
 * @module
 */
import { leakySoma } from '@spark-snn/kernels';
import { createLoweringRegistry, type LoweringRegistry } from '../compile/registry.ts';
import { definitionLowering } from './definition.ts';
import { neuronLowering } from './neuron.ts';

const SOMA_PORTS = {
  sizeFrom: 'current',
  inputs: { current: 'current' },
  outputs: { spikes: { name: 'spikes', payload: 'SpikeArray' } },
  properties: { potential: { state: 'potential', payload: 'PotentialArray' } },
  signedSpikes: 'spikes',
  optionalInputs: ['inhibition_mask'],
} as const;

/** A fresh registry of the built-in lowerings. */
export function defaultLowerings(): LoweringRegistry {
  return createLoweringRegistry([
    definitionLowering({ name: 'leaky_soma', definition: leakySoma, ...SOMA_PORTS }),
    neuronLowering('lif_neuron'),
    neuronLowering('alif_neuron'),
    neuronLowering('ad_ex_neuron'),
  ]);
}

export { type DefinitionLoweringSpec, definitionLowering, moduleParams } from './definition.ts';
export { inhibitionMask, neuronLowering, neuronUnits } from './neuron.ts';
export { drawInitializer, type ParamArray, resolveScalar, resolveValue } from './values.ts';
