/**
 * `@spark-snn/kernels`: the equation language of spark-snn, its compilers (JavaScript, WGSL),
 * the module definitions written in it, the hand-written structural ops and the backends.
 *
 * @module
 */

export { type BackendSelection, type CreateBackendOptions, createBackend } from './backends/auto.ts';
export { type CpuBackendOptions, cpuBackend } from './backends/cpu/index.ts';
export { type GpujsBackendOptions, gpujsBackend } from './backends/gpujs/index.ts';
export {
  type DeviceBufferView,
  type DeviceElementType,
  type WebGpuBackend,
  type WebGpuBackendOptions,
  type WebGpuProgram,
  type WebGpuProgramDevice,
  type WebGpuProgramInfo,
  type WebGpuSchedule,
  type WebGpuSparseInfo,
  webgpuBackend,
  webgpuProgramDevice,
  webgpuSparseInfo,
} from './backends/webgpu/index.ts';
export {
  GPUJS_MATH_FUNCTIONS,
  type GpujsKernelSource,
  type GpujsModule,
  generateGpujs,
  gpujsUnsupported,
} from './codegen/gpujs.ts';
export { createJsKernel, generateJs, type JsKernel, type JsKernelArgs } from './codegen/js.ts';
export {
  createWasmGroup,
  type WasmEvents,
  type WasmGroup,
  type WasmMember,
  type WasmRun,
  type WasmUnsupported,
  wasmGroupBytes,
} from './codegen/wasm.ts';
export {
  HostMemory,
  MAX_HOST_MEMORY,
  sharedMemorySupported,
  wasmSimdSupported,
} from './codegen/wasm-memory.ts';
export {
  ELEMENTWISE_WORKGROUP,
  generateWgsl,
  type WgslBinding,
  type WgslModuleKernel,
  type WgslOptions,
  type WgslParamField,
  wgslLiteral,
} from './codegen/wgsl.ts';
export { WGSL_MATH } from './codegen/wgsl-math.ts';
export {
  analyzeEvents,
  type EventAnalysis,
  type EventAnalysisOptions,
  type LinearTerm,
  type OutputAnalysis,
  type PortRead,
  type QuietOutput,
  type QuietState,
  type Reads,
  type StateAnalysis,
  type StateKey,
} from './events/analysis.ts';
export {
  clipEventInput,
  type DelayRingAttrs,
  EVENT_OP_KINDS,
  type EventModule,
  type EventPlan,
  type EventPlanOptions,
  type EventSource,
  type EventView,
  eventPlan,
  type ModuleEventsAttrs,
  readView,
  writeView,
} from './events/plan.ts';
export {
  POISSON_DRIVE_SOURCE,
  POISSON_TERMS,
  poissonDrive,
} from './interfaces/poisson_drive.ts';
export * from './lang/ast.ts';
export {
  abs,
  bernoulli,
  ceil,
  clamp,
  cos,
  type DefineOptions,
  defineModule,
  dt,
  Ex,
  type ExprLike,
  exp,
  f32,
  floor,
  type InputOptions,
  i32,
  lit,
  log,
  type ModuleBuilder,
  max,
  min,
  normal,
  type OutputOptions,
  type ParamOptions,
  type ParamSource,
  pow,
  ref,
  round,
  type StateOptions,
  select,
  signOf,
  sin,
  sqrt,
  tanh,
  toExpr,
  u32,
  uniform,
} from './lang/builder.ts';
export {
  checkDefinition,
  DefinitionError,
  type DefinitionIssue,
  type DefinitionIssueCode,
  MAX_EXPR_DEPTH,
  MAX_EXPR_NODES,
  MAX_STATEMENTS,
  paramValueProblem,
} from './lang/check.ts';
export {
  type CompiledModule,
  compileDefinition,
  type InstanceData,
  InstanceError,
  type InstanceOptions,
  instantiate,
  type ModuleSignature,
  type PortSignature,
} from './lang/compile.ts';
export {
  type EvalEnv,
  evalExpr,
  type InstanceShape,
  type InterpretStepArgs,
  interpretInitialState,
  interpretStep,
  type ParamValue,
} from './lang/interpret.ts';
export type {
  CheckedDefinition,
  TDerived,
  TExpr,
  TInput,
  TOutput,
  TParam,
  TState,
  TStmt,
} from './lang/ir.ts';
export { MAX_PARSE_DEPTH, MAX_SOURCE_LENGTH, ParseError, parseDefinition } from './lang/parser.ts';
export { isPayloadName, PAYLOAD_NAMES, type PayloadName } from './lang/payload.ts';
export { type BindOptions, bindSchema, type ParamSchema, type SchemaField } from './lang/schema.ts';
export { DIMENSIONLESS, formatUnit, parseUnit, type Unit, unitEquals } from './lang/units.ts';
// The Spark module library: every Spark module as definitions plus the fragment that builds it.
export {
  COMPAT_NOTES,
  CORRECTED,
  type CompatNote,
  type CompatSwitch,
  SPARK_COMPAT,
  type SparkCompat,
} from './library/compat.ts';
export type { SparkConfigValues } from './library/config.ts';
export {
  type Fragment,
  f32Buffer,
  fragmentPlan,
  mergeFragments,
  moduleFragment,
  type Params,
  ReferenceProgram,
} from './library/fragment.ts';
export {
  type BuildOptions,
  LIBRARY,
  type LibraryEntry,
  type ModuleCategory,
  type PortDoc,
  sparkModule,
} from './library/registry.ts';
export { configSchema } from './library/schema.ts';
export { compactCpu } from './ops/compact/cpu.ts';
export { COMPACT_WGSL_I32, COMPACT_WGSL_U32 } from './ops/compact/webgpu.ts';
export { RING_GATHER_GPUJS, RING_PUSH_GPUJS } from './ops/delay/gpujs.ts';
export { ringRow } from './ops/delay/op.ts';
export { DELAY_RING_WGSL_I32, DELAY_RING_WGSL_U32 } from './ops/delay/webgpu.ts';
export { DENSE_ASYNC_GPUJS, DENSE_SYNC_GPUJS } from './ops/dense/gpujs.ts';
export { DENSE_ASYNC_WGSL, DENSE_SYNC_WGSL } from './ops/dense/webgpu.ts';
export { GROUP_SUM_GPUJS } from './ops/group_sum/gpujs.ts';
export { GROUP_SUM_WGSL_I32, GROUP_SUM_WGSL_U32 } from './ops/group_sum/webgpu.ts';
export {
  type ConnectorOptions,
  type Csr,
  edgeList,
  fixedInDegree,
  fixedProbability,
} from './ops/sparse/connect.ts';
export { SPARSE_CSR_GPUJS } from './ops/sparse/gpujs.ts';
export {
  chooseDelivery,
  type DeliveryModel,
  DISPATCH_COST_BYTES,
  fixedPointShift,
  historySlots,
  indexWidthFor,
  type OutgoingCsr,
  packU16,
  type Segment,
  type SparseHost,
  segmentRows,
  transposeSparse,
} from './ops/sparse/layout.ts';
export {
  SPARSE_FINALIZE_WGSL,
  SPARSE_MARK_WGSL,
  sparseGatherWgsl,
  sparseScatterWgsl,
} from './ops/sparse/webgpu.ts';
export {
  type CompactAttrs,
  type ConcatAttrs,
  type DelayPerNeuronAttrs,
  type DelayPerSynapseAttrs,
  type DenseOpAttrs,
  type GroupSumAttrs,
  type InstantiateModuleOptions,
  instantiateModule,
  type ModuleOpAttrs,
  OP_KINDS,
  type OpKind,
  type ResolvedCompactOp,
  type ResolvedConcatOp,
  type ResolvedCopyOp,
  type ResolvedDelayPerNeuronOp,
  type ResolvedDelayPerSynapseOp,
  type ResolvedDelayRingOp,
  type ResolvedDenseOp,
  type ResolvedGroupSumOp,
  type ResolvedModuleEventsOp,
  type ResolvedOpBase,
  type ResolvedSparseOp,
  type SparseCsrAttrs,
  type SparseDelivery,
} from './ops.ts';
export {
  checkRunOptions,
  type ResolvedBuffer,
  type ResolvedModuleOp,
  type ResolvedOp,
  type ResolvedPlan,
  type ResolvedStructuralOp,
  resolvePlan,
} from './plan.ts';
export { fillDraws, normalOf, philoxInto, uniformOf } from './rng/philox.ts';
export { PHILOX_TEST_WGSL, PHILOX_WGSL } from './rng/philox.wgsl.ts';
export { BRUNEL_LIF_SOURCE, brunelLif } from './somas/brunel_lif.ts';
export { COBA_LIF_SOURCE, cobaLif } from './somas/coba_lif.ts';
export { CUBA_LIF_SOURCE, cubaLif } from './somas/cuba_lif.ts';
export { definitions } from './somas/index.ts';
export { LEAKY_SOMA_SOURCE, leakySoma } from './somas/leaky_soma.ts';
