/**
 * The built-in lowerings: every Spark module spark-snn can run, by registry name.
 *
 * @module
 */
import { createLoweringRegistry, type LoweringRegistry } from '../compile/registry.ts';
import { libraryLowering, libraryModuleNames } from './library.ts';
import { neuronLowering } from './neuron.ts';
import { sparseSynapsesLowering } from './sparse.ts';

/** A fresh registry of the built-in lowerings. */
export function defaultLowerings(): LoweringRegistry {
  return createLoweringRegistry([
    ...libraryModuleNames().map(libraryLowering),
    sparseSynapsesLowering,
    neuronLowering('lif_neuron'),
    neuronLowering('alif_neuron'),
    neuronLowering('ad_ex_neuron'),
  ]);
}

export { type DefinitionLoweringSpec, definitionLowering, moduleParams } from './definition.ts';
export { libraryLowering, libraryModuleNames } from './library.ts';
export { inhibitionMask, neuronLowering, neuronUnits } from './neuron.ts';
export { signSpikes } from './sign.ts';
export { sparseSynapsesLowering } from './sparse.ts';
export {
  drawInitializer,
  type ParamArray,
  type ResolveOptions,
  resolveScalar,
  resolveValue,
} from './values.ts';
