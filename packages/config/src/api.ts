/**
 * High-level API: module lookup and registration, neuron registration from config files,
 * parsing plain module configs, building brains from code, and overrides.
 *
 * @module
 */
import * as z from 'zod';
import { NEURON_FIELDS } from './builtins/index.ts';
import { decodeBody, fillDefaults } from './codec.ts';
import { applyOverrides, type OverrideResult } from './paths.ts';
import {
  defaultRegistry,
  derivePorts,
  type ModuleDefinition,
  type ModuleKind,
  type ModuleSpec,
  normalizeName,
  type Registry,
} from './registry.ts';
import { type ConfigDocument, readScfg } from './scfg.ts';
import type { ConfigBody, ConfigIssue, ModuleSpecs, PortMap } from './types.ts';
import { validateConfigBody } from './validate.ts';

/** Registers a module definition (built-ins use the same call). Returns the registered spec. */
export function registerModule(
  def: ModuleDefinition,
  registry: Registry = defaultRegistry,
  options: { replace?: boolean } = {},
): ModuleSpec {
  return registry.register(def, options);
}

/** Looks a module up by registry name; undefined when unknown. */
export function getModuleSpec(name: string, registry: Registry = defaultRegistry): ModuleSpec | undefined {
  return registry.get(name);
}

/** Every registered module, optionally of one kind. */
export function listModules(kind?: ModuleKind, registry: Registry = defaultRegistry): ModuleSpec[] {
  return registry.list(kind);
}

/**
 * Spark's `register_neuron_from_config`: registers a neuron controller named
 * `normalizeName(className)` (e.g. `ALIFModNeuron` → `alif_mod_neuron`) whose config defaults are
 * the given `NeuronConfig` body. Its ports are derived from its `modules_specs`.
 */
export function registerNeuronFromConfig(
  className: string,
  neuronConfig: ConfigBody,
  registry: Registry = defaultRegistry,
  options: { replace?: boolean; docs?: string } = {},
): ModuleSpec {
  const name = normalizeName(className);
  const template = structuredClone(neuronConfig);
  const modules = Array.isArray(template.modules_specs) ? (template.modules_specs as ModuleSpecs[]) : [];
  return registry.register(
    {
      name,
      className,
      kind: 'neuron',
      fields: NEURON_FIELDS.slice(),
      ports: derivePorts(modules, registry),
      docs:
        options.docs ??
        `User-defined neuron registered from a config (${modules.map((m) => `${m.name}: ${m.module_cls.name}`).join(', ')}).`,
      template: () => structuredClone(modules),
      bodyDefaults: () => {
        const {
          modules_specs: _m,
          __metadata__: _a,
          __graph_editor_metadata__: _b,
          ...rest
        } = structuredClone(template);
        return rest;
      },
    },
    options,
  );
}

/**
 * Spark's `register_neuron_from_config_file`: reads a `.scfg` whose top-level type is
 * `neuron_config` and registers it. Returns the spec, or the problems that prevented it.
 */
export function registerNeuronFromConfigFile(
  className: string,
  file: Uint8Array | ArrayBuffer | string,
  registry: Registry = defaultRegistry,
  options: { replace?: boolean } = {},
): { ok: true; spec: ModuleSpec; issues: ConfigIssue[] } | { ok: false; issues: ConfigIssue[] } {
  const r = readScfg(file, { registry, fillDefaults: false });
  if (!r.ok) return { ok: false, issues: r.issues };
  if (r.document.type !== 'neuron_config') {
    return {
      ok: false,
      issues: [
        {
          path: '__type__',
          message: `expected a neuron_config file, got ${r.document.type}`,
          severity: 'error',
          code: 'file',
        },
      ],
    };
  }
  try {
    return {
      ok: true,
      spec: registerNeuronFromConfig(className, r.document.config, registry, options),
      issues: r.issues,
    };
  } catch (e) {
    return {
      ok: false,
      issues: [
        ...r.issues,
        { path: '', message: e instanceof Error ? e.message : String(e), severity: 'error', code: 'file' },
      ],
    };
  }
}

/** Result of parsing a config: the typed body (defaults filled) plus every problem found. */
export interface ParseResult {
  config: ConfigBody;
  issues: ConfigIssue[];
  /** True when no issue has severity `'error'`. */
  ok: boolean;
}

/**
 * Parses a module config given as plain JSON kwargs (dtype names as strings, lists for arrays)
 * or in `.scfg` encoding, fills defaults and validates it. This is the form of the golden
 * fixtures' `config` objects.
 */
export function parseModuleConfig(
  moduleName: string,
  input: Record<string, unknown>,
  registry: Registry = defaultRegistry,
): ParseResult {
  const spec = registry.get(moduleName);
  const issues: ConfigIssue[] = [];
  const body = decodeBody(spec, input, '', { registry, issues });
  const config = fillDefaults(spec, body, registry);
  for (const i of validateConfigBody(moduleName, config, { registry })) issues.push(i);
  return { config, issues, ok: !issues.some((i) => i.severity === 'error') };
}

/** Shorthand for a PortMap. `portMap('__call__', 'signal')`, `portMap('synapses', 'kernel', true)`. */
export function portMap(origin: string, port: string, isProperty = false): PortMap {
  return { origin, port, is_property: isProperty };
}

/** What {@link moduleSpecs} takes. */
export interface ModuleSpecsInit {
  /** Input port → sources: PortMaps or `"origin.port"` strings (`"__call__.signal"`). */
  inputs?: Record<string, Array<PortMap | string>>;
  /** Spark-style kwargs for the config (`{ _s_units: [128], synapses__kernel__scale: 200 }`). */
  config?: Record<string, unknown>;
  outputs?: Record<string, string>;
  effects?: Record<string, Array<PortMap | string>>;
}

function toMaps(r: Record<string, Array<PortMap | string>> | undefined): Record<string, PortMap[]> {
  const out: Record<string, PortMap[]> = {};
  for (const [k, list] of Object.entries(r ?? {})) {
    out[k] = list.map((x) => {
      if (typeof x !== 'string') return x;
      const dot = x.indexOf('.');
      return portMap(x.slice(0, dot), x.slice(dot + 1), x.startsWith('__self__.'));
    });
  }
  return out;
}

/**
 * Builds a ModuleSpecs from code with defaults filled, e.g.
 * `moduleSpecs('pool', 'alif_neuron', { inputs: { in_spikes: ['enc.spikes'] }, config: { _s_units: [128] } })`.
 * Problems with the config kwargs are returned as issues.
 */
export function moduleSpecs(
  name: string,
  moduleName: string,
  init: ModuleSpecsInit = {},
  registry: Registry = defaultRegistry,
): { specs: ModuleSpecs; issues: ConfigIssue[] } {
  const spec = registry.get(moduleName);
  const issues: ConfigIssue[] = [];
  if (!spec)
    issues.push({
      path: 'module_cls',
      message: `there is no module named "${moduleName}" in the registry`,
      severity: 'error',
      code: 'unknown_module',
    });
  let config = fillDefaults(spec, {}, registry);
  if (init.config) {
    const r = applyOverrides(spec, config, init.config, registry);
    config = fillDefaults(spec, r.config, registry);
    issues.push(...r.issues);
  }
  return {
    specs: {
      name,
      module_cls: { name: moduleName, subregistry: spec?.subregistry === 'NEURONS' ? 'NEURONS' : 'MODULES' },
      inputs: toMaps(init.inputs),
      config,
      outputs: { ...(init.outputs ?? {}) },
      effects: toMaps(init.effects),
    },
    issues,
  };
}

/**
 * A new BrainConfig document (provenance `'spark-snn'`, behaviour `'corrected'`) from module specs.
 */
export function createBrainConfig(
  modules: ModuleSpecs[],
  options: { seed?: number; dt?: number; registry?: Registry } = {},
): ConfigDocument {
  const registry = options.registry ?? defaultRegistry;
  const body: ConfigBody = { modules_specs: modules };
  if (options.seed !== undefined) body.seed = options.seed;
  if (options.dt !== undefined) body.dt = options.dt;
  return {
    type: 'brain_config',
    config: fillDefaults(registry.get('brain'), body, registry),
    provenance: 'spark-snn',
    behaviour: 'corrected',
    compressed: true,
  };
}

/**
 * Applies Spark-style overrides to a document's config (or a config body of `moduleName`):
 * `withOverrides(doc, { A_excitatory__synapses__kernel__scale: 200 })`.
 */
export function withOverrides(
  target: ConfigDocument,
  overrides: Record<string, unknown>,
  registry?: Registry,
): { document: ConfigDocument; issues: ConfigIssue[] };
export function withOverrides(
  target: { module: string; config: ConfigBody },
  overrides: Record<string, unknown>,
  registry?: Registry,
): OverrideResult;
export function withOverrides(
  target: ConfigDocument | { module: string; config: ConfigBody },
  overrides: Record<string, unknown>,
  registry: Registry = defaultRegistry,
): { document: ConfigDocument; issues: ConfigIssue[] } | OverrideResult {
  if ('type' in target) {
    const spec = registry.getByConfigName(target.type);
    const r = applyOverrides(spec, target.config, overrides, registry);
    return { document: { ...target, config: r.config }, issues: r.issues };
  }
  return applyOverrides(registry.get(target.module), target.config, overrides, registry);
}

/** JSON Schema (draft 2020-12) of a module's config, with units, validators and editor hints. */
export function moduleJsonSchema(
  name: string,
  registry: Registry = defaultRegistry,
): Record<string, unknown> | undefined {
  const spec = registry.get(name);
  if (!spec) return undefined;
  return z.toJSONSchema(spec.schema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
}
