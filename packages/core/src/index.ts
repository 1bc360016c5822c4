/// <reference types="@webgpu/types" preserve="true" />
// The WebGPU types of the public API (GPUDevice, GPUAdapter, …) come from @webgpu/types, a dependency
// of this package, so a consumer's type-check needs nothing else installed (docs/decisions.md).
/**
 * `@spark-snn/core`: dtypes, host tensors, float16 conversion, payload types, state trees, safetensors
 * checkpoints, the Philox4x32-10 counter-based RNG, WebGPU device acquisition, the Backend contract and
 * the rule that picks a backend for `'auto'`.
 *
 * @packageDocumentation
 */

export {
  BACKEND_KINDS,
  type Backend,
  type BackendChoice,
  BackendError,
  type BackendErrorCode,
  type BackendKind,
  type Plan,
  type PlanBuffer,
  type PlanOp,
  type Program,
  type ProgramStats,
  type RunOptions,
  type RunResult,
} from './backend.ts';
export { type BackendChoiceOptions, type BackendDecision, describeBackendChoice } from './backend-choice.ts';
export { crc32 } from './crc32.ts';
export {
  detectRuntime,
  type GpuAdapterSummary,
  type GpuDeviceHandle,
  type GpuRuntime,
  GpuUnavailableError,
  type GpuUnavailableReason,
  type RequestGpuDeviceOptions,
  requestGpuDevice,
  softwareAdapterReason,
} from './device.ts';
export {
  allocTypedArray,
  assertDType,
  bytesPerElement,
  DTYPES,
  type DType,
  type DTypeArrayMap,
  isDType,
  matchesDType,
  type TypedArray,
  viewTypedArray,
} from './dtype.ts';
export {
  FLOAT16_EPSILON,
  FLOAT16_MAX,
  FLOAT16_MIN_NORMAL,
  FLOAT16_MIN_SUBNORMAL,
  float16Values,
  float32Bits,
  float32BitsToFloat16Bits,
  fromFloat16Array,
  fromFloat16Bits,
  isFloat16NaN,
  roundFloat32ArrayToFloat16,
  roundToFloat16,
  toFloat16Array,
  toFloat16Bits,
} from './float16.ts';
export { hasErrors, type Issue, type IssueSeverity } from './issue.ts';
export { decodeNpy, encodeNpy, encodeNpyHeader, encodeNpz, type NpyData } from './npy.ts';
export {
  assertPortCompatible,
  type ConcretePayloadType,
  decodeSpikeCodes,
  encodeSpikeCodes,
  isPayloadType,
  isPortCompatible,
  PAYLOAD_REGISTRY_NAMES,
  PAYLOAD_TYPES,
  PAYLOAD_TYPES_INFO,
  Payload,
  PayloadError,
  type PayloadRegistryName,
  type PayloadType,
  type PayloadTypeInfo,
  type PayloadValueKind,
  payloadFromRegistryName,
  payloadTypeFromSpark,
  spikeArray,
  validatePayload,
} from './payload.ts';
export {
  boxMuller,
  COUNTER_RNG_GOLDEN,
  CounterRng,
  type CounterRngGoldenDraw,
  deriveStream,
  mulberry32,
  mulhi32,
  mullo32,
  PHILOX_KNOWN_ANSWERS,
  PHILOX_M0,
  PHILOX_M1,
  PHILOX_ROUNDS,
  PHILOX_W0,
  PHILOX_W1,
  type PhiloxKnownAnswer,
  philox4x32,
  philoxInto,
  type Seed,
  seedToKey,
  u32ToUniform,
} from './rng/index.ts';
export {
  decodeSafetensors,
  encodeSafetensors,
  MAX_HEADER_BYTES,
  readSafetensors,
  SAFETENSORS_DTYPE,
  type SafetensorsContents,
  SafetensorsError,
  type SafetensorsState,
  type SafetensorsWriteOptions,
  writeSafetensors,
} from './safetensors.ts';
export {
  assertJson,
  assertSameStructure,
  assertStateTree,
  cloneState,
  createStateTree,
  deletePath,
  diffStateStructure,
  flattenState,
  getPath,
  getTensor,
  hasPath,
  isStateTree,
  type JsonValue,
  joinPath,
  listPaths,
  mapState,
  merge,
  type SplitModule,
  type Splittable,
  StateError,
  type Stateful,
  type StateNode,
  type StateTree,
  setPath,
  split,
  splitPath,
  stateEquals,
  unflattenState,
} from './state.ts';
export {
  type AxisOptions,
  axis,
  escapeXml,
  formatTick,
  type LegendSwatch,
  legendEntry,
  niceTicks,
  PLOT_COLOURS,
  polylinePoints,
  type SvgDocumentOptions,
  svgDocument,
} from './svg.ts';
export {
  type EqualsOptions,
  formatShape,
  isTensor,
  type NestedArray,
  type NestedNumbers,
  shapeSize,
  Tensor,
} from './tensor.ts';
export { type ClosestNameOptions, closestName, editDistance } from './text.ts';
