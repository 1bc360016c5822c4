/**
 * `@spark-snn/kernels/lang`: the equation language of spark-snn — module definitions (data), the
 * builder and the text parser that make them, the checker, the compiler to an instance's data, the
 * float64 interpreter every backend is tested against, and the code generators (JavaScript, WGSL,
 * gpu.js).
 *
 * @module
 */

// The compilers of a checked definition.
export {
  type GpujsKernelSource,
  type GpujsModule,
  generateGpujs,
  gpujsUnsupported,
} from '../codegen/gpujs.ts';
export { createJsKernel, generateJs, type JsKernel, type JsKernelArgs } from '../codegen/js.ts';
export {
  generateWgsl,
  type WgslBinding,
  type WgslModuleKernel,
  type WgslOptions,
  type WgslParamField,
} from '../codegen/wgsl.ts';
export {
  type BinaryOp,
  CAST_FUNCTIONS,
  type CastFunction,
  type Domain,
  type Expr,
  type Extent,
  type FunctionName,
  IDENTIFIER_RE,
  type InputDecl,
  MATH_FUNCTIONS,
  type MathFunction,
  type ModuleDefinition,
  type NumericType,
  type OutputDecl,
  type ParamDecl,
  RANDOM_FUNCTIONS,
  type RandomFunction,
  RESERVED_WORDS,
  type ScalarType,
  type StateDecl,
  type Stmt,
  type StorageType,
  type UnaryOp,
  VALIDATORS,
  type Validator,
} from './ast.ts';
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
  u32,
  uniform,
} from './builder.ts';
export {
  checkDefinition,
  DefinitionError,
  type DefinitionIssue,
  type DefinitionIssueCode,
  paramValueProblem,
} from './check.ts';
export {
  type CompiledModule,
  compileDefinition,
  type InstanceData,
  InstanceError,
  type InstanceOptions,
  instantiate,
  type ModuleSignature,
  type PortSignature,
} from './compile.ts';
export {
  type EvalEnv,
  evalExpr,
  type InstanceShape,
  type InterpretStepArgs,
  interpretInitialState,
  interpretStep,
  type ParamValue,
} from './interpret.ts';
export type {
  CheckedDefinition,
  TDerived,
  TExpr,
  TInput,
  TOutput,
  TParam,
  TState,
  TStmt,
} from './ir.ts';
export { ParseError, parseDefinition } from './parser.ts';
export { type BindOptions, bindSchema, type ParamSchema, type SchemaField } from './schema.ts';
export { DIMENSIONLESS, formatUnit, parseUnit, type Unit, unitEquals } from './units.ts';
