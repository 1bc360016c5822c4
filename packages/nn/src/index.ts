/**
 * `@spark-snn/nn`: Spark's modules, Neuron controllers and the Brain. A BrainConfig is compiled once
 * into a plan (kernels package) and loaded on a backend (webgpu, gpujs or cpu) as a program that runs
 * many steps per call.
 *
 * @module
 */

export {
  type BackendChoiceOptions,
  type BackendDecision,
  describeBackendChoice,
  selectBackend,
} from './backends.ts';
export {
  Brain,
  BrainError,
  type BrainOptions,
  type BrainRunOptions,
  type BuildProgress,
  type DeviceSpikeBuffers,
  type RecordedChunk,
  type Recording,
  type SpikeBuffer,
  type StepInputs,
} from './brain.ts';
export {
  type BrainInputSpec,
  type CompileBrainOptions,
  type CompiledBrain,
  compileBrain,
  type InputPayloads,
} from './compile/brain.ts';
export { PlanBuilder, type PortValue, portSize } from './compile/builder.ts';
export { type ControllerArgs, type ControllerResult, lowerChildren } from './compile/controller.ts';
export {
  CompileError,
  type LowerArgs,
  type LowerContext,
  type LoweredModule,
  type ModuleLowering,
  type PortContract,
} from './compile/lowering.ts';
export { createLoweringRegistry, type LoweringRegistry } from './compile/registry.ts';
export {
  attachModules,
  type CarriedNeuron,
  CustomModuleError,
  type CustomModuleKind,
  type CustomModuleSpec,
  type DefinedModule,
  type DefineModuleOptions,
  defineModule,
  type GraphMapping,
  graphMappingOf,
  type LoadedModel,
  loadModel,
  type StoredModule,
} from './custom.ts';
export {
  type DefinitionLoweringSpec,
  defaultLowerings,
  definitionLowering,
  libraryLowering,
  neuronLowering,
  type ParamArray,
  type ResolveOptions,
  resolveValue,
} from './lowerings/index.ts';
export {
  AdaptiveExponentialSoma,
  AdaptiveLeakySoma,
  AdExNeuron,
  ALIFNeuron,
  ExponentialIntegrator,
  ExponentialSoma,
  HebbianRule,
  IzhikevichSoma,
  LeakySoma,
  LIFNeuron,
  LinearSpiker,
  LinearSynapses,
  type ModuleOptions,
  N2NDelays,
  NDelays,
  OjaRule,
  PoissonSpiker,
  QuadrupletRule,
  QuadrupletRuleTensor,
  RDTracedSynapses,
  RefractoryExponentialSoma,
  RefractoryLeakySoma,
  RFSTracedSynapses,
  SimplifiedAdaptiveExponentialSoma,
  SparkModule,
  type SparkModuleClass,
  StrictRefractoryLeakySoma,
  ThreeFactorHebbianRule,
  TopologicalLinearSpiker,
  TopologicalPoissonSpiker,
  TracedSynapses,
  ZenkeRule,
} from './module.ts';
export { ExecutionOrderError, executionOrder, type OrderNode } from './order.ts';
