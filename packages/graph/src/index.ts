/**
 * `@spark-snn/graph`: hardware graphs with Rockpool semantics, NIR import/export, design-rule
 * checks, Xylo profiles, mapper and quantisers.
 *
 * @module
 */

export {
  type BrainDelays,
  type BrainGraphInput,
  type BrainInputPort,
  type BrainOutputPort,
  type BrainPopulation,
  type BrainSoma,
  type BrainSynapses,
  type BrainToNirOptions,
  type BrainToNirResult,
  brainToNir,
} from './convert/brain.ts';
export { type HwToNirOptions, hwToNir, type NirToHwOptions, nirToHw } from './convert/nir-hw.ts';
export {
  type HardwareProfile,
  MY_HARDWARE,
  PROFILES,
  XYLO_AUDIO2,
  XYLO_AUDIO3,
  XYLO_IMU,
} from './devices/profiles.ts';
export { toXyloConfig, validateXyloConfig, type XyloConfig } from './devices/xylo/config.ts';
export { type MapOptions, type MapResult, mapXylo, XYLO_CONVERSIONS } from './devices/xylo/mapper.ts';
export { type MapToDeviceOptions, type MapToDeviceResult, mapToDevice } from './devices/xylo/pipeline.ts';
export {
  channelQuantize,
  globalQuantize,
  type QuantizeOptions,
  type QuantizeResult,
} from './devices/xylo/quantize.ts';
export { type RockpoolSpec, toRockpoolSpec, type XyloSpec } from './devices/xylo/spec.ts';
export { type Diagnostic, hasErrors } from './diagnostics.ts';
export { type DrcOptions, type DrcRule, rulesFor, runDrc } from './drc/rules.ts';
export {
  type LifOptions,
  type LinearOptions,
  lif,
  linear,
  type ParamValues,
  passThrough,
  type RateOptions,
  rate,
  residual,
  sequential,
} from './hw/builders.ts';
export { ConversionRegistry, type ConversionResult, type Converter } from './hw/conversions.ts';
export {
  type AliasConnection,
  type Bag,
  type BagOrder,
  type Boundary,
  bag,
  type ChannelInfo,
  connect,
  type Endpoint,
  findByKind,
  findRecurrent,
  type GenericModule,
  type HwGraph,
  type HwModule,
  type HwModuleSpec,
  type LifNeurons,
  type LinearWeights,
  type ModuleId,
  merge,
  type RateNeurons,
  replaceModule,
  stronglyConnected,
  sumInto,
  type XyloNeurons,
} from './hw/graph.ts';
export {
  type ReadNirOptions,
  type ReadNirResult,
  readNir,
  type WriteNirOptions,
  writeNir,
} from './nir/hdf5.ts';
export {
  checkTypes,
  formatShape,
  type InferOptions,
  type InferResult,
  inferTypes,
  type NodeTypes,
  type Shape,
  type TypeCheckMode,
} from './nir/infer.ts';
export { fromNirJson, toNirJson } from './nir/json.ts';
export {
  flattenGraph,
  type NodeTrace,
  nirNodeSize,
  type SimulateOptions,
  type SimulationResult,
  simulateNir,
} from './nir/simulate.ts';
export type {
  ConvPadding,
  Meta,
  MetaValue,
  NirAffine,
  NirConv1d,
  NirConv2d,
  NirCubaLI,
  NirCubaLIF,
  NirDelay,
  NirFlatten,
  NirGraph,
  NirI,
  NirIF,
  NirInput,
  NirLI,
  NirLIF,
  NirLinear,
  NirNode,
  NirOutput,
  NirPool2d,
  NirScale,
  NirThreshold,
} from './nir/types.ts';
export {
  full,
  type NestedNumbers,
  type Tensor,
  type TensorData,
  type TensorDType,
  tensor,
  toNested,
  zeros,
} from './tensor.ts';
export {
  convertNirBytes,
  type MapNirOptions,
  type MapNirResult,
  mapNirBytes,
  type NirFormat,
} from './tools.ts';
