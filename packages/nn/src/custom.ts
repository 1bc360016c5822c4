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
import {
  type ConfigBody,
  type ConfigDocument,
  type ConfigIssue,
  DEFAULT_FIELDS,
  decodeFileText,
  defaultRegistry,
  documentFromJson,
  documentToJson,
  type FieldSpec,
  floatField,
  type JsonObject,
  type JsonValue,
  type ModuleSpec,
  normalizeName,
  type PayloadType,
  type PortDef,
  type Registry,
  readScfg,
  registerNeuronFromConfig,
  safeJsonParse,
} from '@spark-snn/config';
import { shapeSize } from '@spark-snn/core';
import { instantiateModule } from '@spark-snn/kernels';
import {
  checkDefinition,
  DefinitionError,
  type ModuleDefinition,
  ParseError,
  parseDefinition,
} from '@spark-snn/kernels/lang';
import { type PortValue, portSize } from './compile/builder.ts';
import { CompileError, type LowerArgs, type LoweredModule, type ModuleLowering } from './compile/lowering.ts';
import type { LoweringRegistry } from './compile/registry.ts';
import { definitionLowering, moduleParams } from './lowerings/definition.ts';
import { defaultLowerings } from './lowerings/index.ts';
import { resolveValue } from './lowerings/values.ts';

/** What kind of module a custom definition is; it fixes the port conventions. */
export type CustomModuleKind = 'soma' | 'synapses' | 'plasticity' | 'interface' | 'generic';

/** A custom module as declared by a user (and as stored in a model file). */
export interface CustomModuleSpec {
  /** Registry name (snake_case), e.g. `quadratic_soma`. */
  readonly name: string;
  /** Class name for code and menus (default: PascalCase of the name). */
  readonly className?: string;
  readonly kind: CustomModuleKind;
  /** The equations: a definition (AST) or its text form. */
  readonly definition: ModuleDefinition | string;
  /** Description shown in the inspector and docs. */
  readonly docs?: string;
  /**
   * What the module means on hardware / in NIR (Rockpool's `as_graph`): for a soma, which of its
   * parameters play the roles of a leaky integrate-and-fire neuron's. Without it, `asGraph` reports
   * the module as inexpressible.
   */
  readonly asGraph?: GraphMapping;
}

/**
 * A custom soma's hardware meaning: a leaky integrate-and-fire neuron whose membrane time constant,
 * threshold, rest, reset and resistance are the named parameters (names of the definition's params).
 */
export interface GraphMapping {
  readonly model: 'leaky';
  readonly tau: string;
  readonly threshold: string;
  readonly rest?: string;
  readonly reset?: string;
  readonly resistance?: string;
}

const GRAPH_MAPPINGS = new WeakMap<Registry, Map<string, GraphMapping>>();

/** The hardware mapping declared for a custom module registered in `registry`, if any. */
export function graphMappingOf(registry: Registry, name: string): GraphMapping | undefined {
  return GRAPH_MAPPINGS.get(registry)?.get(name);
}

/** A registered custom module. */
export interface DefinedModule {
  readonly name: string;
  readonly kind: CustomModuleKind;
  /** The validated definition (plain data). */
  readonly definition: ModuleDefinition;
  /** The config registry entry (schema, ports, docs). */
  readonly spec: ModuleSpec;
  readonly lowering: ModuleLowering;
  /** The JSON stored in model files. */
  toJSON(): StoredModule;
}

/** A custom module as stored in a model file (`__metadata__.spark_snn_modules`). */
export interface StoredModule {
  readonly name: string;
  readonly className: string;
  readonly kind: CustomModuleKind;
  readonly docs: string;
  readonly definition: ModuleDefinition;
  readonly asGraph?: GraphMapping;
}

/** Where model files keep custom module definitions (an additive `__metadata__` entry Spark ignores). */
export const CUSTOM_MODULES_KEY = 'spark_snn_modules';

/** Error for an invalid custom module, with the path of the problem. */
export class CustomModuleError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'CustomModuleError';
    this.path = path;
  }
}

const NAME_RE = /^[a-z][a-z0-9_]{0,63}$/;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty']);

/** Options of {@link defineModule}. */
export interface DefineModuleOptions {
  /** Config registry to register in (default: the default registry, so the editor's palette sees it). */
  readonly registry?: Registry;
  /** Lowerings to register in (default: a fresh copy of the built-ins is NOT used; pass the brain's). */
  readonly lowerings?: LoweringRegistry;
  /** Replace an existing custom module of the same name. */
  readonly replace?: boolean;
}

/** The port conventions of each kind (checked when a module is defined). */
interface KindRules {
  readonly domain: 'unit' | 'synapse';
  readonly needInputs: readonly string[];
  readonly needOutputs: readonly string[];
}
const RULES: Record<CustomModuleKind, KindRules> = {
  soma: { domain: 'unit', needInputs: ['current'], needOutputs: ['spikes'] },
  interface: { domain: 'unit', needInputs: [], needOutputs: [] },
  generic: { domain: 'unit', needInputs: [], needOutputs: [] },
  synapses: { domain: 'synapse', needInputs: ['spikes', 'kernel'], needOutputs: ['current'] },
  plasticity: {
    domain: 'synapse',
    needInputs: ['pre_spikes', 'post_spikes', 'kernel'],
    needOutputs: ['updated_kernel'],
  },
};

function pascal(name: string): string {
  return name.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

/** Parses and validates a definition, or throws a {@link CustomModuleError} naming the problem. */
export function validateDefinition(spec: CustomModuleSpec): ModuleDefinition {
  if (typeof spec !== 'object' || spec === null) throw new CustomModuleError('module', 'must be an object');
  if (typeof spec.name !== 'string' || !NAME_RE.test(spec.name) || FORBIDDEN.has(spec.name)) {
    throw new CustomModuleError(
      'name',
      `must be snake_case (a-z, 0-9, _; at most 64 characters), got ${JSON.stringify(spec.name)}`,
    );
  }
  if (!(spec.kind in RULES) || !Object.hasOwn(RULES, spec.kind)) {
    throw new CustomModuleError(
      `${spec.name}.kind`,
      `must be one of ${Object.keys(RULES).join(', ')}, got ${JSON.stringify(spec.kind)}`,
    );
  }
  let def: ModuleDefinition;
  try {
    def = typeof spec.definition === 'string' ? parseDefinition(spec.definition) : spec.definition;
    checkDefinition(def);
  } catch (e) {
    if (e instanceof ParseError || e instanceof DefinitionError)
      throw new CustomModuleError(`${spec.name}.definition`, e.message);
    throw new CustomModuleError(`${spec.name}.definition`, e instanceof Error ? e.message : String(e));
  }
  for (const decl of [...def.params, ...def.state, ...def.inputs, ...def.outputs]) {
    if (FORBIDDEN.has(decl.name) || decl.name.startsWith('__')) {
      throw new CustomModuleError(
        `${spec.name}.definition`,
        `"${decl.name}" is not allowed as a name (reserved for the runtime)`,
      );
    }
  }
  if (def.name !== spec.name)
    throw new CustomModuleError(
      `${spec.name}.definition.name`,
      `is "${def.name}"; it must equal the module name`,
    );
  const rules = RULES[spec.kind];
  const domain = def.domain ?? 'unit';
  if (domain !== rules.domain)
    throw new CustomModuleError(
      `${spec.name}.definition`,
      `a ${spec.kind} runs over ${rules.domain}s, not ${domain}s`,
    );
  for (const n of rules.needInputs) {
    if (!def.inputs.some((i) => i.name === n))
      throw new CustomModuleError(
        `${spec.name}.definition.inputs`,
        `a ${spec.kind} needs an input named "${n}"`,
      );
  }
  for (const n of rules.needOutputs) {
    if (!def.outputs.some((o) => o.name === n))
      throw new CustomModuleError(
        `${spec.name}.definition.outputs`,
        `a ${spec.kind} needs an output named "${n}"`,
      );
  }
  if ((spec.kind === 'interface' || spec.kind === 'generic') && def.inputs.length === 0) {
    throw new CustomModuleError(
      `${spec.name}.definition.inputs`,
      'needs at least one input (it sets the number of units)',
    );
  }
  return def;
}

/** The fields every synapse shares (`linear_synapses`' in config: seed/dtype/dt, `units`, `kernel`). */
function synapseBaseFields(): readonly FieldSpec[] {
  const base = defaultRegistry.get('linear_synapses');
  if (base === undefined) throw new RangeError('the @spark-snn/config registry lacks linear_synapses');
  return base.fields;
}

/**
 * Config fields of a custom module: Spark's seed/dtype/dt (a synapse's also `units` and `kernel`, as
 * config declares them for `linear_synapses`), then one field per parameter.
 */
function fieldsOf(kind: CustomModuleKind, def: ModuleDefinition): FieldSpec[] {
  const fields: FieldSpec[] = [...(kind === 'synapses' ? synapseBaseFields() : DEFAULT_FIELDS)];
  for (const p of def.params) {
    if (p.name.startsWith('_') || p.internal === true) continue;
    const validators = (p.validators ?? []).flatMap((v) =>
      v === 'positive' || v === 'nonnegative' || v === 'zero_one' ? [v] : [],
    );
    fields.push(
      floatField(p.name, p.default, p.doc ?? `Parameter ${p.name}.`, {
        ...(p.unit ? { units: p.unit } : {}),
        ...(validators.length ? { validators } : {}),
        ...((p.extent ?? 'scalar') !== 'scalar' ? { allowsArray: true, allowsInit: true } : {}),
      }),
    );
  }
  return fields;
}

function portsOf(
  kind: CustomModuleKind,
  def: ModuleDefinition,
): { inputs: PortDef[]; outputs: PortDef[]; properties: PortDef[] } {
  const asPort = (name: string, payload: string, optional = false): PortDef => ({
    name,
    payload: payload as PayloadType,
    optional,
  });
  switch (kind) {
    case 'soma':
      return {
        inputs: [asPort('current', 'CurrentArray'), asPort('inhibition_mask', 'BooleanMask', true)],
        outputs: [asPort('spikes', 'SpikeArray')],
        properties: def.state.some((s) => s.name === 'potential')
          ? [asPort('potential', 'PotentialArray')]
          : [],
      };
    case 'synapses':
      return {
        inputs: [asPort('spikes', 'SpikeArray')],
        outputs: [asPort('currents', 'CurrentArray')],
        properties: [{ ...asPort('kernel', 'FloatArray'), settable: true }],
      };
    case 'plasticity':
      return {
        inputs: [
          ...def.inputs
            .filter((i) => !['pre_spikes', 'post_spikes', 'kernel'].includes(i.name))
            .map((i) => asPort(i.name, i.payload)),
          asPort('pre_spikes', 'SpikeArray'),
          asPort('post_spikes', 'SpikeArray'),
          asPort('kernel', 'FloatArray'),
        ],
        outputs: [asPort('kernel', 'FloatArray')],
        properties: [],
      };
    default:
      return {
        inputs: def.inputs.map((i) => asPort(i.name, i.payload)),
        outputs: def.outputs.map((o) => asPort(o.name, o.payload)),
        properties: [],
      };
  }
}

/** Registers a custom module in the config registry and the lowering registry. */
export function defineModule(spec: CustomModuleSpec, options: DefineModuleOptions = {}): DefinedModule {
  const def = validateDefinition(spec);
  const registry = options.registry ?? defaultRegistry;
  const existing = registry.get(spec.name);
  if (existing && !options.replace) {
    throw new CustomModuleError(
      spec.name,
      `a module named "${spec.name}" is already registered (pass { replace: true } to redefine a custom module)`,
    );
  }
  const className = spec.className ?? pascal(spec.name);
  const docs = spec.docs ?? def.doc ?? `Custom ${spec.kind} defined by equations.`;
  const registered = registry.register(
    {
      name: spec.name,
      className,
      kind: spec.kind === 'generic' ? 'interface' : spec.kind,
      fields: fieldsOf(spec.kind, def),
      ports: portsOf(spec.kind, def),
      docs,
      path: `Custom/${spec.kind === 'generic' ? 'Modules' : pascal(spec.kind)}`,
    },
    { replace: options.replace ?? false },
  );
  const lowering = customLowering(spec.kind, def);
  options.lowerings?.register(lowering, { replace: options.replace ?? false });
  if (spec.asGraph !== undefined) {
    const m = spec.asGraph;
    if (spec.kind !== 'soma' || m.model !== 'leaky') {
      throw new CustomModuleError(
        `${spec.name}.asGraph`,
        'only somas can declare a hardware meaning, as model "leaky"',
      );
    }
    for (const role of ['tau', 'threshold', 'rest', 'reset', 'resistance'] as const) {
      const p = m[role];
      if (p !== undefined && !def.params.some((x) => x.name === p)) {
        throw new CustomModuleError(
          `${spec.name}.asGraph.${role}`,
          `"${p}" is not a parameter of ${spec.name}`,
        );
      }
    }
    let map = GRAPH_MAPPINGS.get(registry);
    if (!map) {
      map = new Map();
      GRAPH_MAPPINGS.set(registry, map);
    }
    map.set(spec.name, m);
  }
  const stored: StoredModule = {
    name: spec.name,
    className,
    kind: spec.kind,
    docs,
    definition: def,
    ...(spec.asGraph ? { asGraph: spec.asGraph } : {}),
  };
  return {
    name: spec.name,
    kind: spec.kind,
    definition: def,
    spec: registered,
    lowering,
    toJSON: () => stored,
  };
}

/** Unit-domain kinds lower exactly like the built-in equation modules. */
function unitLowering(kind: CustomModuleKind, def: ModuleDefinition): ModuleLowering {
  if (kind === 'soma') {
    return definitionLowering({
      name: def.name,
      definition: def,
      sizeFrom: 'current',
      inputs: { current: 'current' },
      outputs: { spikes: { name: 'spikes', payload: 'SpikeArray' } },
      ...(def.state.some((x) => x.name === 'potential')
        ? { properties: { potential: { state: 'potential', payload: 'PotentialArray' as const } } }
        : {}),
      signedSpikes: 'spikes',
      optionalInputs: ['inhibition_mask'],
    });
  }
  return definitionLowering({
    name: def.name,
    definition: def,
    sizeFrom: def.inputs[0]!.name,
    inputs: Object.fromEntries(def.inputs.map((x) => [x.name, x.name])),
    outputs: Object.fromEntries(
      def.outputs.map((o) => [o.name, { name: o.name, payload: o.payload as PayloadType }]),
    ),
  });
}

/** The lowering of a custom module (same mechanisms as the built-ins). */
export function customLowering(kind: CustomModuleKind, def: ModuleDefinition): ModuleLowering {
  return {
    name: def.name,
    ...(kind === 'soma' ? { optionalInputs: ['inhibition_mask'] } : {}),
    lower(args: LowerArgs): LoweredModule {
      if (kind === 'synapses') return lowerSynapses(def, args);
      if (kind === 'plasticity') return lowerPlasticity(def, args);
      return unitLowering(kind, def).lower(args);
    },
  };
}

function unitsOf(config: ConfigBody, path: string): number[] {
  const u = config.units;
  const units = Array.isArray(u) ? (u as number[]) : typeof u === 'number' ? [u] : [];
  if (units.length === 0)
    throw new CompileError(
      `${path}.config.units`,
      'custom synapses need their postsynaptic units (set by the enclosing neuron)',
    );
  return units;
}

function lowerSynapses(
  def: ModuleDefinition,
  { ctx, path, section, config, inputs }: LowerArgs,
): LoweredModule {
  const spikes = inputs.spikes;
  if (!spikes) throw new CompileError(`${path}.inputs.spikes`, `${def.name} needs its "spikes" input`);
  const units = unitsOf(config, path);
  const post = shapeSize(units);
  const isAsync = spikes.asyncSpikes === true;
  const pre = isAsync ? portSize(spikes) / post : portSize(spikes);
  const spikeDecl = def.inputs.find((i) => i.name === 'spikes')!;
  if ((spikeDecl.extent === 'synapse') !== isAsync) {
    throw new CompileError(
      `${path}.inputs.spikes`,
      `${def.name} declares ${spikeDecl.extent ?? 'synapse'} spikes but receives ${isAsync ? 'per-synapse' : 'presynaptic'} spikes`,
    );
  }
  const seed = typeof config.seed === 'number' ? config.seed : 0;
  const k = resolveValue(config.kernel ?? 1, `${path}.config.kernel`, {
    shape: [post, pre],
    seed,
    site: `${path}/kernel`,
    normAxes: [0],
  });
  const kernel = ctx.builder.addBuffer({
    name: `${path}.kernel`,
    dtype: 'float32',
    shape: [post, pre],
    init: typeof k === 'number' ? k : Float32Array.from(k),
  });
  const { buffers, op } = instantiateModule(def, {
    prefix: path,
    size: post * pre,
    nPre: pre,
    dt: ctx.dt,
    params: moduleParams(def, config, path, [post, pre]),
    streamBase: ctx.rngStreams(path, 1),
    bind: { spikes: spikes.buffer, kernel },
  });
  for (const b of buffers) ctx.builder.addBuffer(b);
  const ones = ctx.builder.addBuffer({ name: `${path}.ones`, dtype: 'float32', shape: [pre], init: 1 });
  const currents = ctx.builder.addBuffer({ name: `${path}.currents`, dtype: 'float32', shape: [post] });
  ctx.builder.addOps(section, op, {
    op: 'dense.sync',
    name: `${path}.row_sum`,
    bindings: { weights: op.bindings.current!, spikes: ones, out: currents },
    attrs: { post, pre },
  });
  const state: Record<string, string> = { kernel };
  for (const s of def.state) state[s.name] = op.bindings[s.name]!;
  return {
    outputs: { currents: { buffer: currents, shape: units, payload: 'CurrentArray' } },
    properties: { kernel: { buffer: kernel, shape: [post, pre], payload: 'FloatArray' } },
    state,
  };
}

function lowerPlasticity(
  def: ModuleDefinition,
  { ctx, path, section, config, inputs }: LowerArgs,
): LoweredModule {
  const need = (p: string): PortValue => {
    const v = inputs[p];
    if (!v) throw new CompileError(`${path}.inputs.${p}`, `${def.name} needs its "${p}" input`);
    return v;
  };
  const post = need('post_spikes');
  const preSpikes = need('pre_spikes');
  const kernel = need('kernel');
  const units = portSize(post);
  const pre = portSize(kernel) / units;
  const bind: Record<string, string> = {
    kernel: kernel.buffer,
    pre_spikes: preSpikes.buffer,
    post_spikes: post.buffer,
  };
  for (const i of def.inputs) {
    if (bind[i.name]) continue;
    bind[i.name] = need(i.name).buffer;
  }
  const { buffers, op } = instantiateModule(def, {
    prefix: `${path}.update`,
    size: units * pre,
    nPre: pre,
    dt: ctx.dt,
    params: moduleParams(def, config, path, [units, pre]),
    streamBase: ctx.rngStreams(path, 1),
    bind,
  });
  for (const b of buffers) ctx.builder.addBuffer(b);
  const write = {
    op: 'copy',
    name: `${path}.write_kernel`,
    bindings: { src: op.bindings.updated_kernel!, dst: kernel.buffer },
  };
  ctx.builder.addOps(section, op, write);
  const state: Record<string, string> = {};
  for (const s of def.state) state[s.name] = op.bindings[s.name]!;
  return {
    outputs: { kernel: { ...kernel } },
    properties: {},
    state,
    learnable: [kernel.buffer],
    learningOps: [op.name, write.name],
  };
}

/** A user-defined neuron controller carried by a model file (Spark's `register_neuron_from_config`). */
export interface CarriedNeuron {
  /** Class name, e.g. `QIFNeuron` (registry name `qif_neuron`). */
  readonly className: string;
  /** Its NeuronConfig body. */
  readonly config: ConfigBody;
}

/**
 * Where model files keep user-defined neuron controllers: registry name → NeuronConfig body in
 * Spark's wire format (the same entry the editor writes into sessions).
 */
export const CUSTOM_NEURONS_KEY = 'spark_snn_custom_neurons';

/**
 * Stores custom module definitions (and user-defined neurons built from them) in a model document,
 * as additive `__metadata__` entries that Spark ignores, so the model is one shareable file.
 */
export function attachModules(
  doc: ConfigDocument,
  modules: readonly DefinedModule[],
  options: { neurons?: readonly CarriedNeuron[]; registry?: Registry } = {},
): ConfigDocument {
  const registry = options.registry ?? defaultRegistry;
  const metadata: JsonObject = { ...(doc.config.__metadata__ ?? {}) };
  metadata[CUSTOM_MODULES_KEY] = modules.map((m) => m.toJSON()) as unknown as JsonValue;
  if (options.neurons && options.neurons.length > 0) {
    const neurons: JsonObject = {};
    for (const n of options.neurons) {
      const wire = documentToJson(
        {
          type: 'neuron_config',
          config: n.config,
          provenance: 'spark-snn',
          behaviour: 'corrected',
          compressed: false,
        },
        registry,
      );
      neurons[normalizeName(n.className)] = (wire.__cfg__ ?? wire) as JsonValue;
    }
    metadata[CUSTOM_NEURONS_KEY] = neurons;
  }
  return { ...doc, config: { ...doc.config, __metadata__: metadata } };
}

/** What {@link loadModel} returns. */
export interface LoadedModel {
  readonly document: ConfigDocument;
  /** A registry holding the built-ins plus the file's custom modules. */
  readonly registry: Registry;
  /** Lowerings holding the built-ins plus the file's custom modules. */
  readonly lowerings: LoweringRegistry;
  readonly modules: readonly DefinedModule[];
  readonly issues: readonly ConfigIssue[];
}

/**
 * Reads a model file (`.scfg`, XZ or plain JSON), registers the custom modules it carries (validated
 * as data, nothing executed) into copies of the registries, then decodes the model with them.
 * Throws a {@link CustomModuleError} for an invalid definition; file and config problems come back
 * as `issues` (an unknown module without its definition is reported by name).
 */
export function loadModel(
  file: Uint8Array | ArrayBuffer | string,
  options: { registry?: Registry; lowerings?: LoweringRegistry } = {},
): LoadedModel {
  const registry = (options.registry ?? defaultRegistry).clone();
  const lowerings = (options.lowerings ?? defaultLowerings()).clone();
  const modules: DefinedModule[] = [];
  const text = decodeFileText(file);
  if (text.ok) {
    const parsed = safeJsonParse(text.text);
    if (parsed.ok) {
      const stored = findStored(parsed.value, CUSTOM_MODULES_KEY);
      if (stored !== undefined) {
        if (!Array.isArray(stored))
          throw new CustomModuleError(
            `__metadata__.${CUSTOM_MODULES_KEY}`,
            'must be a list of module definitions',
          );
        stored.forEach((s, i) => {
          if (typeof s !== 'object' || s === null)
            throw new CustomModuleError(`__metadata__.${CUSTOM_MODULES_KEY}[${i}]`, 'must be an object');
          const m = s as Partial<StoredModule>;
          try {
            modules.push(
              defineModule(
                {
                  name: m.name as string,
                  kind: m.kind as CustomModuleKind,
                  definition: m.definition as ModuleDefinition,
                  ...(m.className ? { className: m.className } : {}),
                  ...(m.docs ? { docs: m.docs } : {}),
                },
                { registry, lowerings },
              ),
            );
          } catch (e) {
            if (e instanceof CustomModuleError)
              throw new CustomModuleError(
                `__metadata__.${CUSTOM_MODULES_KEY}[${i}].${e.path}`,
                e.message.slice(e.path.length + 2),
              );
            throw e;
          }
        });
      }
    }
  }
  if (text.ok) {
    const parsed = safeJsonParse(text.text);
    const neurons = parsed.ok ? findStored(parsed.value, CUSTOM_NEURONS_KEY) : undefined;
    if (neurons !== undefined) {
      if (typeof neurons !== 'object' || neurons === null || Array.isArray(neurons)) {
        throw new CustomModuleError(
          `__metadata__.${CUSTOM_NEURONS_KEY}`,
          'must map neuron names to their configs',
        );
      }
      for (const [name, body] of Object.entries(neurons as Record<string, unknown>)) {
        const where = `__metadata__.${CUSTOM_NEURONS_KEY}.${name}`;
        if (!NAME_RE.test(name) || FORBIDDEN.has(name))
          throw new CustomModuleError(where, 'is not a valid neuron name');
        const d = documentFromJson({ __type__: 'neuron_config', __cfg__: body }, { registry });
        if (!d.ok) {
          throw new CustomModuleError(
            where,
            `is not a valid neuron config: ${d.issues.map((x) => `${x.path}: ${x.message}`).join('; ')}`,
          );
        }
        if (!registry.has(name)) registerNeuronFromConfig(pascal(name), d.document.config, registry);
      }
    }
  }
  const r = readScfg(file, { registry });
  const unknown = r.issues.filter((i) => i.code === 'unknown_module' && i.severity === 'error');
  if (unknown.length > 0) {
    throw new CustomModuleError(
      unknown[0]!.path || 'modules_specs',
      `${unknown.map((i) => i.message).join('; ')} — register it first, or embed its definition in the file (attachModules)`,
    );
  }
  if (!r.ok) {
    const list = r.issues.map((i) => `${i.path || '(file)'}: ${i.message}`).join('; ');
    throw new CustomModuleError('file', `cannot read the model: ${list}`);
  }
  return { document: r.document, registry, lowerings, modules, issues: r.issues };
}

function findStored(json: unknown, key: string): unknown {
  let doc = json as Record<string, unknown> | null;
  if (doc && typeof doc === 'object' && '__data__' in doc) doc = doc.__data__ as Record<string, unknown>;
  const cfg =
    doc && typeof doc === 'object' ? (doc.__cfg__ as Record<string, unknown> | undefined) : undefined;
  const meta = cfg?.__metadata__ as Record<string, unknown> | undefined;
  if (!meta || typeof meta !== 'object') return undefined;
  return Object.hasOwn(meta, key) ? meta[key] : undefined;
}
