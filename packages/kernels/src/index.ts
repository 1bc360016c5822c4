/**
 * `@spark-snn/kernels`: the backends that run a plan (cpu, webgpu, gpujs), the op kinds a plan is
 * made of, and the Spark module library written in the equation language.
 *
 * The equation language itself (definitions, parser, checker, interpreter, compilers) is
 * `@spark-snn/kernels/lang`; `@spark-snn/kernels/internal` holds what the sibling packages of
 * spark-snn need and users should not rely on.
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
export { poissonDrive } from './interfaces/poisson_drive.ts';
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
export { type Fragment, fragmentPlan, type Params, ReferenceProgram } from './library/fragment.ts';
export {
  type BuildOptions,
  definedRule,
  definedSynapses,
  LIBRARY,
  type LibraryEntry,
  type ModuleCategory,
  type PortDoc,
  sparkModule,
} from './library/registry.ts';
export { configSchema } from './library/schema.ts';
export {
  type ConnectorOptions,
  type Csr,
  edgeList,
  fixedInDegree,
  fixedProbability,
} from './ops/sparse/connect.ts';
// Plans: the op kinds, their attributes, a module instance's ops, connectivity and host draws.
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
  type SparseCsrAttrs,
  type SparseDelivery,
} from './ops.ts';
export { fillDraws, normalOf, philoxInto, uniformOf } from './rng/philox.ts';
export { brunelLif } from './somas/brunel_lif.ts';
export { cobaLif } from './somas/coba_lif.ts';
export { cubaLif } from './somas/cuba_lif.ts';
export { definitions } from './somas/index.ts';
export { leakySoma } from './somas/leaky_soma.ts';
