/**
 * The bridge to `@spark-snn/config`: module descriptors (ports, palette paths, JSON Schemas,
 * defaults) from its registry, full BrainConfig/NeuronConfig validation, and `.scfg`/`.sge` bytes.
 *
 * Every call into config is guarded: a failure there becomes a diagnostic, never a crash of the
 * editor.
 *
 * @module
 */
import {
  type ConfigIssue,
  decodeFileText,
  defaultRegistry,
  documentFromJson,
  drivesItself,
  encodeBody,
  fillDefaults,
  type ModuleSpec,
  pyJsonDumps,
  type Registry,
  registerNeuronFromConfig,
  validateDocument,
  xzCompress,
} from '@spark-snn/config';
import { className } from './model/commands.ts';
import type { EditorRegistry, InitializerDescriptor, ModuleDescriptor } from './model/registry.ts';
import { createRegistry, labelOf, portOf, propertyOf } from './model/registry.ts';
import type { ConfigValidator } from './model/store.ts';
import type { Diagnostic, Json, JsonObject } from './model/types.ts';
import { isObject } from './model/types.ts';

/** Spark wire JSON (plain JSON, Python float spelling resolved) of an encoded value. */
function wire(v: unknown): JsonObject {
  return JSON.parse(pyJsonDumps(v)) as JsonObject;
}

/** Module descriptors for every module and neuron in a config registry (the palette). */
export function configDescriptors(registry: Registry = defaultRegistry): ModuleDescriptor[] {
  const out: ModuleDescriptor[] = [];
  for (const spec of registry.list()) {
    if (spec.subregistry !== 'MODULES' && spec.subregistry !== 'NEURONS') continue;
    if (spec.kind === 'brain' || spec.kind === 'initializer') continue;
    const d: ModuleDescriptor = {
      name: spec.name,
      label: spec.menuName ?? labelOf(spec.name),
      subregistry: spec.subregistry,
      path: spec.path.split('/').filter((x) => x !== ''),
      inputs: spec.ports.inputs.map(portOf),
      outputs: spec.ports.outputs.map(portOf),
      properties: spec.ports.properties.map(propertyOf),
      fields: spec.fields,
      defaults: () => wire(encodeBody(spec, fillDefaults(spec, {}, registry), registry)),
    };
    if (drivesItself(spec)) d.drivesItself = true;
    out.push(d);
  }
  return out;
}

/** Initializer descriptors (fields and default values) of a config registry. */
export function initializerDescriptors(registry: Registry = defaultRegistry): InitializerDescriptor[] {
  return registry.list('initializer').map((spec: ModuleSpec) => ({
    name: spec.name,
    label: spec.menuName ?? labelOf(spec.name),
    fields: spec.fields,
    defaults: () => ({
      __type__: spec.configName,
      __cfg__: wire(encodeBody(spec, fillDefaults(spec, {}, registry), registry)),
    }),
  }));
}

/**
 * The editor registry of a config registry: palette, ports, fields, defaults, neuron templates and
 * initializers all come from `@spark-snn/config` (custom modules registered there included).
 */
export function createConfigRegistry(registry: Registry = defaultRegistry): EditorRegistry {
  return createRegistry(registry, configDescriptors(registry), initializerDescriptors(registry));
}

function issueToDiagnostic(i: ConfigIssue): Diagnostic {
  const d: Diagnostic = {
    level: i.severity === 'error' ? 'error' : 'warning',
    message: `${i.message}${i.hint ? ` (${i.hint})` : ''}`,
  };
  if (i.path) d.path = i.path;
  return d;
}

/** Neuron types used in `json` that `registry` does not know, with their template bodies. */
function unknownNeurons(json: JsonObject, registry: Registry): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  const cfg = isObject(json.__cfg__) ? json.__cfg__ : {};
  const meta = isObject(cfg.__metadata__) ? cfg.__metadata__ : {};
  const custom = isObject(meta.spark_snn_custom_neurons) ? meta.spark_snn_custom_neurons : {};
  for (const [k, v] of Object.entries(custom)) if (isObject(v) && !registry.has(k)) out.set(k, v);
  const specs = Array.isArray(cfg.modules_specs) ? cfg.modules_specs : [];
  for (const s of specs) {
    const d = isObject(s) && isObject(s.__data__) ? s.__data__ : undefined;
    const cls = d && isObject(d.module_cls) ? d.module_cls : undefined;
    const type = cls?.__module_type__;
    if (typeof type !== 'string' || cls?.__subregistry__ !== 'NEURONS' || registry.has(type) || out.has(type))
      continue;
    if (d && isObject(d.config) && Array.isArray(d.config.modules_specs)) out.set(type, d.config);
  }
  return out;
}

/**
 * Registers the custom neurons a document uses (as Spark's `register_neuron_from_config` would)
 * into a copy of `registry`, so the document can be validated.
 */
export function registryWithNeuronsOf(
  json: JsonObject,
  registry: Registry = defaultRegistry,
): { registry: Registry; issues: Diagnostic[] } {
  const missing = unknownNeurons(json, registry);
  if (missing.size === 0) return { registry, issues: [] };
  const reg = registry.clone();
  const issues: Diagnostic[] = [];
  for (const [name, body] of missing) {
    try {
      const r = documentFromJson(
        { __type__: 'neuron_config', __cfg__: body },
        { registry: reg, fillDefaults: false, partial: true },
      );
      if (!r.ok) {
        issues.push(...r.issues.map(issueToDiagnostic));
        continue;
      }
      registerNeuronFromConfig(className(name), r.document.config, reg, { replace: true });
    } catch (e) {
      issues.push({
        level: 'error',
        message: `Could not register the custom neuron "${name}": ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  }
  return { registry: reg, issues };
}

/** Full validation of a Spark JSON document with config (custom neurons registered first). */
export function validateSparkJson(json: JsonObject, registry: Registry = defaultRegistry): Diagnostic[] {
  try {
    const { registry: reg, issues } = registryWithNeuronsOf(json, registry);
    const r = documentFromJson(json, { registry: reg });
    const out = [...issues, ...r.issues.map(issueToDiagnostic)];
    if (r.ok) {
      for (const i of validateDocument(r.document, reg)) {
        const d = issueToDiagnostic(i);
        if (!out.some((x) => x.message === d.message)) out.push(d);
      }
    }
    return out;
  } catch (e) {
    // TODO(config): validation threw instead of returning issues; reported as one error.
    return [
      { level: 'error', message: `Config validation failed: ${e instanceof Error ? e.message : String(e)}` },
    ];
  }
}

/** A {@link ConfigValidator} for the store. */
export function configValidator(registry: Registry = defaultRegistry): ConfigValidator {
  return (json) => validateSparkJson(json, registry);
}

/** Reads `.scfg`/`.sge` bytes (XZ or plain JSON) into JSON. */
export function readSparkFile(
  bytes: Uint8Array | ArrayBuffer | string,
): { ok: true; json: Json; compressed: boolean } | { ok: false; message: string } {
  const t = decodeFileText(bytes);
  if (!t.ok) return { ok: false, message: t.message };
  try {
    return { ok: true, json: JSON.parse(t.text) as Json, compressed: t.compressed };
  } catch (e) {
    return { ok: false, message: `invalid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Writes Spark JSON as Spark does (4-space indented JSON; XZ-compressed unless `compress` is false). */
export function writeSparkFile(json: Json, compress = true): Uint8Array {
  const bytes = new TextEncoder().encode(pyJsonDumps(json));
  return compress ? xzCompress(bytes) : bytes;
}
