/**
 * Custom modules inside model files: {@link attachModules} stores definitions (and user neurons
 * built from them) in a document's `__metadata__`; {@link loadModel} reads a file, registers what it
 * carries (validated as data, nothing executed) and decodes the model with them.
 *
 * @module
 */
import {
  type ConfigBody,
  type ConfigDocument,
  type ConfigIssue,
  decodeFileText,
  defaultRegistry,
  documentFromJson,
  documentToJson,
  type JsonObject,
  type JsonValue,
  normalizeName,
  type Registry,
  readScfg,
  registerNeuronFromConfig,
  safeJsonParse,
} from '@spark-snn/config';
import type { ModuleDefinition } from '@spark-snn/kernels/lang';
import type { LoweringRegistry } from '../compile/registry.ts';
import { defaultLowerings } from '../lowerings/index.ts';
import { type DefinedModule, defineModule } from './define.ts';
import {
  CustomModuleError,
  type CustomModuleKind,
  FORBIDDEN,
  NAME_RE,
  pascal,
  type StoredModule,
} from './spec.ts';

/** Where model files keep custom module definitions (an additive `__metadata__` entry Spark ignores). */
export const CUSTOM_MODULES_KEY = 'spark_snn_modules';

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
  const text = decodeFileText(file);
  const parsed = text.ok ? safeJsonParse(text.text) : undefined;
  const json = parsed?.ok ? parsed.value : undefined;
  const modules = defineStoredModules(findStored(json, CUSTOM_MODULES_KEY), registry, lowerings);
  registerStoredNeurons(findStored(json, CUSTOM_NEURONS_KEY), registry);
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

/** Defines the modules a file stores (`__metadata__.spark_snn_modules`) in `registry` and `lowerings`. */
function defineStoredModules(
  stored: unknown,
  registry: Registry,
  lowerings: LoweringRegistry,
): DefinedModule[] {
  if (stored === undefined) return [];
  const where = `__metadata__.${CUSTOM_MODULES_KEY}`;
  if (!Array.isArray(stored)) throw new CustomModuleError(where, 'must be a list of module definitions');
  return stored.map((s, i) => {
    if (typeof s !== 'object' || s === null)
      throw new CustomModuleError(`${where}[${i}]`, 'must be an object');
    const m = s as Partial<StoredModule>;
    try {
      return defineModule(
        {
          name: m.name as string,
          kind: m.kind as CustomModuleKind,
          definition: m.definition as ModuleDefinition,
          ...(m.className ? { className: m.className } : {}),
          ...(m.docs ? { docs: m.docs } : {}),
          ...(m.asGraph ? { asGraph: m.asGraph } : {}),
        },
        { registry, lowerings },
      );
    } catch (e) {
      if (e instanceof CustomModuleError)
        throw new CustomModuleError(`${where}[${i}].${e.path}`, e.message.slice(e.path.length + 2));
      throw e;
    }
  });
}

/** Registers the user neurons a file stores (`__metadata__.spark_snn_custom_neurons`) in `registry`. */
function registerStoredNeurons(neurons: unknown, registry: Registry): void {
  if (neurons === undefined) return;
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

/** The `__metadata__` entry `key` of a model file's JSON (a Brain document or a wrapped one). */
function findStored(json: unknown, key: string): unknown {
  let doc = json as Record<string, unknown> | null;
  if (doc && typeof doc === 'object' && '__data__' in doc) doc = doc.__data__ as Record<string, unknown>;
  const cfg =
    doc && typeof doc === 'object' ? (doc.__cfg__ as Record<string, unknown> | undefined) : undefined;
  const meta = cfg?.__metadata__ as Record<string, unknown> | undefined;
  if (!meta || typeof meta !== 'object') return undefined;
  return Object.hasOwn(meta, key) ? meta[key] : undefined;
}
