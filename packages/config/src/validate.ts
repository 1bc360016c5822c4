/**
 * Whole-config validation before anything runs. Collects every problem with a path, a message
 * and (where useful) a hint; warnings (legal but suspicious) are kept apart from errors by their
 * `severity`. A config without errors compiles and loads: types and Spark validators
 * (validate-fields), numeric limits of the module's precision, wiring (validate-wiring,
 * validate-controller), execution order and connectivity (validate-graph), shapes
 * (validate-shapes) and the buffers the compiled brain needs against a memory budget (resources).
 *
 * @module
 */
import { suggest } from './codec.ts';
import { defaultRegistry, type ModuleSpec, type Registry } from './registry.ts';
import { checkResources, type ResourceOptions } from './resources.ts';
import type { Behaviour, ConfigBody, ConfigIssue } from './types.ts';
import { add, type Ctx, isObj } from './validate-context.ts';
import { validateController } from './validate-controller.ts';
import { type Precision, precisionOf, validateFields } from './validate-fields.ts';

export { drivesItself, hasRecurrentContract } from './validate-graph.ts';
export { portsOf } from './validate-wiring.ts';

/** Options of the validation functions. */
export interface ValidateOptions extends ResourceOptions {
  /** Registry to resolve module names (default: {@link defaultRegistry}). */
  registry?: Registry;
  /** `'spark'` (default) applies Spark's controller rules; `'corrected'` relaxes the documented quirks. */
  behaviour?: Behaviour;
  /**
   * The config is a neuron template (a `neuron_config` file as Spark's editor writes it): `units`
   * may be `[]`, filled in by the brain that instantiates the neuron. Default false.
   */
  template?: boolean;
}

/**
 * Validates a config body of registry module `moduleName` (a module config, `brain`, `neuron` or
 * a registered neuron). `path` prefixes every issue path. A brain's buffers are estimated and
 * checked against the memory budget (see {@link ResourceOptions}).
 */
export function validateConfigBody(
  moduleName: string,
  body: ConfigBody,
  options: ValidateOptions = {},
  path = '',
): ConfigIssue[] {
  const registry = options.registry ?? defaultRegistry;
  const ctx: Ctx = {
    registry,
    behaviour: options.behaviour ?? 'spark',
    issues: [],
    template: options.template ?? false,
  };
  const spec = registry.get(moduleName);
  if (!spec) {
    add(
      ctx,
      path,
      'unknown_module',
      `there is no module named "${moduleName}" in the registry`,
      suggest(moduleName, registry.names()),
    );
    return ctx.issues;
  }
  validateBody(spec, body, path, ctx, 'float32');
  // Sizes are only trusted once the shapes they come from are valid.
  if (spec.kind === 'brain' && !ctx.issues.some((i) => i.severity === 'error'))
    checkResources(body, registry, options, ctx.issues);
  return ctx.issues;
}

function validateBody(
  spec: ModuleSpec,
  body: ConfigBody,
  path: string,
  ctx: Ctx,
  inherited: Precision,
): void {
  if (!isObj(body)) {
    add(ctx, path, 'invalid_type', 'config must be an object');
    return;
  }
  const precision = precisionOf(spec, body, inherited);
  validateFields(spec, body, path, ctx, precision);
  if (spec.kind === 'brain' || spec.kind === 'neuron')
    validateController(spec, body, path, ctx, (s, b, p) => validateBody(s, b, p, ctx, precision));
}
