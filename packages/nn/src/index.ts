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
export * from './custom.ts';
export * from './lowerings/index.ts';
export * from './module.ts';
export { ExecutionOrderError, executionOrder, type OrderNode } from './order.ts';
