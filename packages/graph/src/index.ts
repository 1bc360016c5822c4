/**
 * `@spark-snn/graph`: hardware graphs with Rockpool semantics, NIR import/export, design-rule
 * checks, Xylo profiles, mapper and quantisers.
 *
 * @module
 */
export * from './diagnostics.ts';
export * from './tensor.ts';
export * from './hw/setlist.ts';
export * from './hw/graph.ts';
export * from './hw/builders.ts';
export * from './hw/conversions.ts';
export * from './nir/types.ts';
export * from './nir/infer.ts';
export * from './nir/dict.ts';
export * from './nir/json.ts';
export * from './nir/hdf5.ts';
export * from './nir/simulate.ts';
