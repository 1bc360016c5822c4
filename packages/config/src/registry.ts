/**
 * The module registry: one place that maps a Spark registry name (`leaky_soma`, `alif_neuron`,
 * `uniform_initializer`, …) to its config schema, field descriptors and port signature. The nn,
 * graph and editor packages all read it; built-ins and user modules register through the same
 * {@link registerModule} call.
 *
 * @module
 */
import { PAYLOAD_TYPES } from '@spark-snn/core';
import * as z from 'zod';
import { BUILTIN_DEFINITIONS } from './builtins/index.ts';
import { checkValidators, type FieldSpec, VALIDATOR_TEXT } from './fields.ts';
import type { ConfigBody, ModuleSpecs, PayloadType, Subregistry } from './types.ts';

/** What a module is. */
export type ModuleKind =
  | 'soma'
  | 'synapses'
  | 'delays'
  | 'plasticity'
  | 'interface'
  | 'initializer'
  | 'neuron'
  | 'brain';

/** One port of a module. */
export interface PortDef {
  name: string;
  payload: PayloadType;
  /** Spark marks it `X | None` (still mandatory inside controllers in Spark). */
  optional: boolean;
  /** Input annotated `list[...]` (accepts several payloads). */
  list?: boolean;
  /** Property with a setter (can be the target of an `effects` entry). */
  settable?: boolean;
  description?: string;
}

/** Inputs, outputs and properties of a module. */
export interface PortSignature {
  inputs: PortDef[];
  outputs: PortDef[];
  properties: PortDef[];
}

/** What {@link registerModule} takes. */
export interface ModuleDefinition {
  /** Registry name (snake_case), e.g. `leaky_soma`. */
  name: string;
  /** Spark class name, e.g. `LeakySoma`. */
  className: string;
  kind: ModuleKind;
  /** Config fields in Spark's definition order. */
  fields: FieldSpec[];
  ports: PortSignature;
  /** One-paragraph description (Markdown). */
  docs: string;
  /** Editor menu path (defaults by kind). */
  path?: string;
  /**
   * Where the module's implementation is described, when it has no entry in
   * `docs/module-equations.md` (modules lowered by a dedicated lowering, e.g. `sparse_synapses`).
   */
  implementation?: string;
  /** Editor menu label. */
  menuName?: string;
  /** Neurons: produces the default `modules_specs` (fresh seeds each call). */
  template?: () => ModuleSpecs[];
  /** Overrides of field defaults (neurons registered from a config file use the file's values). */
  bodyDefaults?: () => Partial<ConfigBody>;
}

/** A registered module: its definition plus the generated zod schema. */
export interface ModuleSpec extends Readonly<Omit<ModuleDefinition, 'path'>> {
  readonly path: string;
  /** Spark `CONFIG` registry name of the config class (`leaky_soma_config`). */
  readonly configName: string;
  /** Spark sub-registry (`MODULES`, `NEURONS` or `INITIALIZERS`). */
  readonly subregistry: Subregistry | 'INITIALIZERS';
  /** Zod schema of the config body; `.parse` fills defaults. */
  readonly schema: z.ZodObject;
  /** Looks a field up by name. */
  field(name: string): FieldSpec | undefined;
}

/** A registry of modules (Spark's `REGISTRY`). */
export interface Registry {
  /** Registers a module; throws on a duplicate name unless `replace` is set. */
  register(def: ModuleDefinition, options?: { replace?: boolean }): ModuleSpec;
  /** Looks a module up by registry name. */
  get(name: string): ModuleSpec | undefined;
  /** Looks a module up by its config's registry name (`uniform_initializer_config`). */
  getByConfigName(configName: string): ModuleSpec | undefined;
  has(name: string): boolean;
  /** All modules, optionally of one kind, in registration order. */
  list(kind?: ModuleKind): ModuleSpec[];
  /** Registry names, for "did you mean" hints. */
  names(): string[];
  /** A copy that can be extended without touching this one. */
  clone(): Registry;
}

const DEFAULT_PATHS: Record<ModuleKind, string> = {
  soma: 'Components/Somas',
  synapses: 'Components/Synapses',
  delays: 'Components/Delays',
  plasticity: 'Components/Plasticity Rules',
  interface: 'Interfaces',
  initializer: 'Initializers',
  neuron: 'Neurons',
  brain: 'Controllers',
};

/**
 * Spark's `normalize_str`: `ALIFModNeuron → alif_mod_neuron`, `N2NDelays → n2n_delays`,
 * `RDTracedSynapses → rd_traced_synapses`.
 */
export function normalizeName(s: string): string {
  return s
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// zod schema generation
// ---------------------------------------------------------------------------------------------

const sparkArraySchema = z
  .object({
    __type__: z.enum(['jax_array', 'numpy_array']),
    dtype: z.string(),
    shape: z.array(z.int().nonnegative()),
    data: z.array(z.number()),
  })
  .meta({ title: 'SparkArray', description: 'Dense array (Spark jax_array / numpy_array), row-major data.' });

const numberListSchema = z
  .array(z.union([z.number(), z.array(z.union([z.number(), z.array(z.number())]))]))
  .meta({ description: 'Nested list of numbers (up to 3-D).' });

/** Zod schema of a PortMap. */
export const portMapSchema = z
  .object({ origin: z.string().min(1), port: z.string().min(1), is_property: z.boolean() })
  .meta({ title: 'PortMap' });

/** Zod schema of a PortSpecs. */
export const portSpecsSchema = z
  .object({
    payload_type: z.enum(PAYLOAD_TYPES).nullable(),
    shape: z.array(z.int().nonnegative()).nullable(),
    dtype: z.string().nullable(),
    description: z.string().nullable(),
  })
  .meta({ title: 'PortSpecs' });

/** Zod schema of a ModuleSpecs (its `config` is checked against the module's own schema). */
export const moduleSpecsSchema = z
  .object({
    name: z.string().min(1),
    module_cls: z.object({ name: z.string(), subregistry: z.enum(['MODULES', 'NEURONS']) }),
    inputs: z.record(z.string(), z.array(portMapSchema)),
    config: z.looseObject({}),
    outputs: z.record(z.string(), z.string()),
    effects: z.record(z.string(), z.array(portMapSchema)),
  })
  .meta({ title: 'ModuleSpecs' });

const jsonObjectSchema = z.record(z.string(), z.unknown());

function withValidators(schema: z.ZodType, f: FieldSpec): z.ZodType {
  if (!f.validators || f.validators.length === 0) return schema;
  return schema.superRefine((v, ctx) => {
    const msg = checkValidators(f.validators, v);
    if (msg) ctx.addIssue({ code: 'custom', message: msg });
  });
}

function fieldSchema(f: FieldSpec, initializers: z.ZodType | undefined): z.ZodType {
  let s: z.ZodType;
  const arrayish = (): z.ZodType[] => [sparkArraySchema, numberListSchema];
  const init = (): z.ZodType[] => (initializers ? [initializers] : []);
  switch (f.kind) {
    case 'float': {
      const opts: z.ZodType[] = [z.number()];
      if (f.allowsArray) opts.push(...arrayish());
      if (f.allowsInit) opts.push(...init());
      s = opts.length === 1 ? opts[0]! : z.union(opts as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
      break;
    }
    case 'int':
      s = z.int();
      break;
    case 'bool':
      s = z.boolean();
      break;
    case 'str':
      s = f.options ? z.enum(f.options as [string, ...string[]]) : z.string();
      break;
    case 'io_specs':
      s = z.object({
        inputs: z.record(z.string(), portSpecsSchema),
        outputs: z.record(z.string(), portSpecsSchema),
      });
      break;
    case 'dtype':
      s = f.options ? z.enum(f.options as [string, ...string[]]) : z.string();
      break;
    case 'shape':
      s = z.array(z.int().positive()).min(1);
      break;
    case 'float_tuple':
      s = f.length !== undefined ? z.array(z.number()).length(f.length) : z.array(z.number());
      break;
    case 'int_tuple':
      s = z.array(z.int());
      break;
    case 'array':
      s = z.union([z.number(), ...arrayish(), ...init()] as unknown as [
        z.ZodType,
        z.ZodType,
        ...z.ZodType[],
      ]);
      break;
    case 'modules_specs':
      s = z.array(moduleSpecsSchema);
      break;
  }
  s = withValidators(s, f);
  if (f.nullable) s = s.nullable();
  const meta: Record<string, unknown> = {
    description: f.description,
    sparkType: f.sparkType,
    editor: f.editor,
  };
  if (f.units) meta.unit = f.units;
  if (f.validators?.length) meta.validators = f.validators.map((v) => VALIDATOR_TEXT[v]);
  if (f.options) meta.options = f.options;
  if (f.extension) meta.extension = true;
  if (f.defaultFactory) {
    const factory = f.defaultFactory;
    s = s.default(() => factory() as never);
  } else if (f.default !== undefined) {
    const d = f.default;
    s = s.default(() => structuredClone(d) as never);
  } else if (!f.required) s = s.optional();
  return s.meta(meta);
}

function buildSchema(def: ModuleDefinition, initializers: z.ZodType | undefined): z.ZodObject {
  const shape: Record<string, z.ZodType> = {
    __metadata__: jsonObjectSchema.optional(),
    __graph_editor_metadata__: jsonObjectSchema.optional(),
  };
  for (const f of def.fields) shape[f.name] = fieldSchema(f, initializers);
  const obj =
    def.kind === 'initializer'
      ? z.looseObject({ __type__: z.literal(`${def.name}_config`), ...shape })
      : z.looseObject(shape);
  return obj.meta({
    title: `${def.className}Config`,
    description: def.docs,
    registryName: def.name,
    kind: def.kind,
  });
}

class RegistryImpl implements Registry {
  private readonly byName = new Map<string, ModuleSpec>();
  private initializerUnion: z.ZodType | undefined;

  register(def: ModuleDefinition, options: { replace?: boolean } = {}): ModuleSpec {
    if (!/^[a-z][a-z0-9_]*$/.test(def.name))
      throw new Error(`registerModule: invalid registry name "${def.name}" (use snake_case)`);
    if (this.byName.has(def.name) && !options.replace)
      throw new Error(`registerModule: a module named "${def.name}" is already registered`);
    const seen = new Set<string>();
    for (const f of def.fields) {
      if (seen.has(f.name)) throw new Error(`registerModule: duplicate field "${f.name}" in ${def.name}`);
      seen.add(f.name);
    }
    const fieldMap = new Map(def.fields.map((f) => [f.name, f]));
    const spec = {
      ...def,
      path: def.path ?? DEFAULT_PATHS[def.kind],
      configName: `${def.name}_config`,
      subregistry:
        def.kind === 'initializer'
          ? 'INITIALIZERS'
          : def.kind === 'neuron' && def.name !== 'neuron'
            ? 'NEURONS'
            : 'MODULES',
      field: (name: string) => fieldMap.get(name),
    } as Omit<ModuleSpec, 'schema'> as ModuleSpec;
    // The zod schema is made when first read: a registry holds every Spark module, and a document or a
    // clone touches a few (making all of them took ≈ 45 ms of loading ab_brain). Not enumerable, so a
    // spec registered again (`clone`) makes its own.
    const initializers = def.kind === 'initializer' ? undefined : this.initializerUnion;
    let schema: z.ZodObject | undefined;
    Object.defineProperty(spec, 'schema', {
      get: () => {
        schema ??= buildSchema(def, initializers);
        return schema;
      },
      enumerable: false,
    });
    this.byName.set(def.name, spec);
    if (def.kind === 'initializer') {
      const inits = this.list('initializer').map((s) => s.schema);
      this.initializerUnion =
        inits.length === 1
          ? inits[0]!
          : z.discriminatedUnion('__type__', inits as [z.ZodObject, z.ZodObject, ...z.ZodObject[]]);
    }
    return spec;
  }

  get(name: string): ModuleSpec | undefined {
    return this.byName.get(name);
  }

  getByConfigName(configName: string): ModuleSpec | undefined {
    if (!configName.endsWith('_config')) return undefined;
    return this.byName.get(configName.slice(0, -'_config'.length));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  list(kind?: ModuleKind): ModuleSpec[] {
    const all = [...this.byName.values()];
    return kind ? all.filter((s) => s.kind === kind) : all;
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  clone(): Registry {
    const r = new RegistryImpl();
    for (const s of this.list('initializer')) r.register(s);
    for (const s of this.byName.values()) if (s.kind !== 'initializer') r.register(s);
    return r;
  }
}

/**
 * Creates a registry. With `builtins` (the default) it holds every Spark module; pass
 * `{ builtins: false }` for an empty one.
 */
export function createRegistry(options: { builtins?: readonly ModuleDefinition[] | false } = {}): Registry {
  const r = new RegistryImpl();
  const defs = options.builtins === false ? [] : (options.builtins ?? BUILTIN_DEFINITIONS);
  // initializers first: the other schemas embed their union
  for (const d of defs) if (d.kind === 'initializer') r.register(d);
  for (const d of defs) if (d.kind !== 'initializer') r.register(d);
  return r;
}

/** The registry used when none is passed: every Spark built-in, plus what users register. */
export const defaultRegistry: Registry = createRegistry();

/** Derives a neuron controller's ports from its `modules_specs` (spark-reference §1.5.1). */
export function derivePorts(modules: readonly ModuleSpecs[], registry: Registry): PortSignature {
  const inputs: PortDef[] = [];
  const outputs: PortDef[] = [];
  const properties: PortDef[] = [{ name: 'inhibition_mask', payload: 'BooleanMask', optional: false }];
  const ok = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const wellFormed = modules.filter((m) => ok(m) && ok(m.module_cls) && ok(m.inputs) && ok(m.outputs));
  const byName = new Map(wellFormed.map((m) => [m.name, m]));
  for (const m of wellFormed) {
    const spec = registry.get(m.module_cls.name);
    for (const [port, maps] of Object.entries(m.inputs)) {
      for (const pm of Array.isArray(maps) ? maps : []) {
        if (
          !ok(pm) ||
          pm.origin !== '__call__' ||
          typeof pm.port !== 'string' ||
          inputs.some((i) => i.name === pm.port)
        )
          continue;
        const def = spec?.ports.inputs.find((i) => i.name === port);
        inputs.push({ name: pm.port, payload: def?.payload ?? 'AnyPayload', optional: false });
      }
    }
    for (const [out, port] of Object.entries(m.outputs)) {
      if (typeof port !== 'string') continue;
      const src = byName.get(m.name);
      const s = src ? registry.get(src.module_cls.name) : undefined;
      const def =
        s?.ports.outputs.find((o) => o.name === port) ?? s?.ports.properties.find((o) => o.name === port);
      if (!outputs.some((o) => o.name === out))
        outputs.push({ name: out, payload: def?.payload ?? 'AnyPayload', optional: false });
    }
  }
  return { inputs, outputs, properties };
}
