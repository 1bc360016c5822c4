/**
 * Custom modules: declare a new soma, synapse, plasticity rule, interface or generic module once, as
 * equations, and it gets a config schema (inspector form, docs, validation), a port signature and
 * the three backends — through exactly the path the built-ins use (config registry + kernels
 * definition + nn lowering).
 *
 * ```ts
 * const qif = defineModule({
 *   name: 'quadratic_soma',
 *   kind: 'soma',
 *   definition: `
 *     module quadratic_soma over unit
 *     param tau: f32 = 10 [ms] positive
 *     ...`,
 * });
 * ```
 *
 * Definitions are data (an AST, or text parsed into one — never evaluated), so a model that uses a
 * custom module can carry its definitions inside its `.scfg` file ({@link attachModules}) and be
 * loaded elsewhere with {@link loadModel}, which validates every definition before anything runs.
 *
 * @module
 */
export {
  type DefinedModule,
  type DefineModuleOptions,
  defineModule,
  graphMappingOf,
} from './custom/define.ts';
export { customLowering } from './custom/lowering.ts';
export {
  attachModules,
  type CarriedNeuron,
  CUSTOM_MODULES_KEY,
  CUSTOM_NEURONS_KEY,
  type LoadedModel,
  loadModel,
} from './custom/model-file.ts';
export {
  CustomModuleError,
  type CustomModuleKind,
  type CustomModuleSpec,
  type GraphMapping,
  type StoredModule,
} from './custom/spec.ts';
export { validateDefinition } from './custom/validate.ts';
