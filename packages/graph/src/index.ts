/**
 * `@spark-snn/graph`: hardware graphs with Rockpool semantics, NIR import/export, design-rule
 * checks, Xylo profiles, mapper and quantisers.
 *
 * @module
 */

export * from './convert/brain.ts';
export * from './convert/nir-hw.ts';
export * from './devices/profiles.ts';
export * from './devices/xylo/config.ts';
export * from './devices/xylo/conversions.ts';
export * from './devices/xylo/mapper.ts';
export * from './devices/xylo/pipeline.ts';
export * from './devices/xylo/quantize.ts';
export * from './devices/xylo/spec.ts';
export * from './diagnostics.ts';
export * from './drc/rules.ts';
export * from './hw/builders.ts';
export * from './hw/conversions.ts';
export * from './hw/graph.ts';
export * from './hw/setlist.ts';
export * from './nir/conventions.ts';
export * from './nir/dict.ts';
export * from './nir/hdf5.ts';
export * from './nir/infer.ts';
export * from './nir/json.ts';
export * from './nir/simulate.ts';
export * from './nir/testing.ts';
export * from './nir/types.ts';
export * from './tensor.ts';
export * from './tools.ts';
