/**
 * Inspector generation: turns a config body (Spark wire JSON) and the field descriptors of its
 * module (`@spark-snn/config`'s `FieldSpec`s: type, default, unit, validators, editor hints) into
 * sections of typed rows. Values are checked with config's own `checkFieldValue`, so the inspector
 * and validation agree. Without descriptors (an unknown module) rows are inferred from the values.
 *
 * @module
 */
import {
  BRAIN_FIELDS,
  checkFieldValue,
  DEFAULT_FIELDS,
  type FieldSpec,
  NEURON_FIELDS,
  VALIDATOR_TEXT,
} from '@spark-snn/config';
import { childConfigs, getAt, isInitializer, isTypedConfig } from './commands.ts';
import type { EditorRegistry } from './registry.ts';
import type { EditorMode, FieldPath, Json, JsonObject } from './types.ts';
import { isObject } from './types.ts';

/** Widget kinds of the inspector. */
export type FieldWidget =
  | 'number'
  | 'integer'
  | 'boolean'
  | 'text'
  | 'select'
  | 'shape'
  | 'tuple'
  | 'array'
  | 'initializer'
  | 'json';

/** One inspector row. */
export interface FieldInfo {
  name: string;
  /** Path from the node config body (wire form). */
  path: (string | number)[];
  widget: FieldWidget;
  /** The field may also hold an initializer config (float | Array | Initializer). */
  allowsInit: boolean;
  /** The field may also hold a full array. */
  allowsArray: boolean;
  /** `None` is a legal value. */
  nullable: boolean;
  /** The field may be absent (it has a default, or it is an optional spark-snn extension). */
  optional: boolean;
  units?: string;
  description?: string;
  default?: unknown;
  options?: string[];
  /** Validator names as shown to users (`Positive (> 0)`). */
  validatorText: string[];
  /** Fixed tuple length. */
  length?: number;
  advanced: boolean;
  value: Json | undefined;
  /** Config's descriptor of the field (undefined when inferred from the value). */
  spec?: FieldSpec;
}

/** A collapsible inspector section (Main, then one per child config, recursively). */
export interface FieldSection {
  title: string;
  /** Module type of the section, when known (`adaptive_leaky_soma`). */
  type?: string;
  path: (string | number)[];
  fields: FieldInfo[];
  sections: FieldSection[];
}

const HIDDEN = new Set([
  '__config_delimiter__',
  '__shared_config_delimiter__',
  '__metadata__',
  '__graph_editor_metadata__',
  '__class_ref__',
  'modules_specs',
]);

const WIDGETS: Record<FieldSpec['editor']['widget'], FieldWidget | undefined> = {
  number: 'number',
  integer: 'integer',
  checkbox: 'boolean',
  select: 'select',
  shape: 'shape',
  tuple: 'tuple',
  array: 'array',
  text: 'text',
  hidden: undefined,
};

/** A row from config's field descriptor; undefined for fields the editor hides. */
export function fieldFromSpec(
  spec: FieldSpec,
  value: Json | undefined,
  path: (string | number)[],
): FieldInfo | undefined {
  const widget = WIDGETS[spec.editor.widget];
  if (widget === undefined) return undefined;
  const info: FieldInfo = {
    name: spec.name,
    path,
    widget: isInitializer(value) ? 'initializer' : widget,
    allowsInit: spec.allowsInit === true,
    allowsArray: spec.allowsArray === true,
    nullable: spec.nullable === true,
    optional: spec.required !== true,
    validatorText: (spec.validators ?? []).map((v) => VALIDATOR_TEXT[v]),
    advanced: spec.editor.advanced === true,
    value,
    spec,
    description: spec.description,
  };
  if (spec.units) info.units = spec.units;
  if (spec.default !== undefined) info.default = spec.default;
  if (spec.options) info.options = [...spec.options];
  if (spec.length !== undefined) info.length = spec.length;
  return info;
}

/** Config's descriptors of the fields every module and controller shares (seed, dtype, dt), by name. */
const COMMON = new Map<string, FieldSpec>(DEFAULT_FIELDS.map((f) => [f.name, f]));

/** A row inferred from the value alone (no descriptor known; `seed`, `dtype`, `dt` use config's). */
export function fieldFromValue(name: string, value: Json | undefined, path: (string | number)[]): FieldInfo {
  const common = COMMON.get(name);
  const known = common ? fieldFromSpec(common, value, path) : undefined;
  if (known) return known;
  let widget: FieldWidget = 'json';
  if (typeof value === 'number') widget = 'number';
  else if (typeof value === 'boolean') widget = 'boolean';
  else if (typeof value === 'string') widget = 'text';
  else if (isInitializer(value)) widget = 'initializer';
  else if (isObject(value) && (value.__type__ === 'jax_array' || value.__type__ === 'numpy_array'))
    widget = 'array';
  else if (Array.isArray(value) && value.every((x) => typeof x === 'number'))
    widget = name === 'units' || name === 'shape' ? 'shape' : 'tuple';
  return {
    name,
    path,
    widget,
    allowsInit: isInitializer(value),
    allowsArray: false,
    nullable: value === null,
    optional: true,
    validatorText: [],
    advanced: false,
    value,
  };
}

/** A wire-form value as config's checks read it (`{"__type__": "dtype", "name"}` → the name). */
function configValue(v: Json): unknown {
  return isObject(v) && v.__type__ === 'dtype' && typeof v.name === 'string' ? v.name : v;
}

/** Checks a value against its row: config's checks when the descriptor is known; a message or undefined. */
export function checkField(f: FieldInfo, value: Json | undefined): string | undefined {
  if (value === undefined) return f.optional ? undefined : 'a value is required';
  if (f.spec) return checkFieldValue(f.spec, configValue(value));
  if (value === null) return f.nullable ? undefined : 'a value is required';
  if (f.widget === 'number' && typeof value !== 'number') return 'expected a number';
  if (f.widget === 'boolean' && typeof value !== 'boolean') return 'expected true or false';
  if (
    f.widget === 'shape' &&
    !(
      Array.isArray(value) &&
      value.length > 0 &&
      value.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 1)
    )
  )
    return 'every dimension must be a positive integer';
  return undefined;
}

/** Outcome of reading what a user typed into a field. */
export type ParsedField = { ok: true; value: Json } | { ok: false; message: string };

/**
 * Reads the text typed into a field's box as a value of the field's type: a number for number
 * fields (scientific notation accepted), an integer for integer fields, JSON (a list, an array)
 * where the field also accepts those. Text that is not of the field's type is refused with a
 * message, so a typed field never stores a value of the wrong type; values of the right type that
 * break a validator (a negative time constant) are accepted and shown as problems, as in Spark.
 */
export function parseFieldText(f: FieldInfo, text: string): ParsedField {
  const t = text.trim();
  if (t === '') {
    if (f.nullable) return { ok: true, value: null };
    return { ok: false, message: 'a value is required' };
  }
  let value: Json;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) value = Number(t);
  else {
    try {
      value = JSON.parse(t) as Json;
    } catch {
      const want = f.widget === 'integer' ? 'an integer' : f.widget === 'number' ? 'a number' : 'JSON';
      return { ok: false, message: `"${t}" is not ${want}` };
    }
  }
  const problem = typeProblem(f, value);
  return problem ? { ok: false, message: problem } : { ok: true, value };
}

/** A message when `value` is not of the field's type (validators aside), else undefined. */
export function typeProblem(f: FieldInfo, value: Json): string | undefined {
  if (f.spec) {
    const { validators: _ignored, ...typeOnly } = f.spec;
    return checkFieldValue(typeOnly, configValue(value));
  }
  return checkField({ ...f, nullable: true }, value);
}

/** Finds the field descriptors of a module type. */
export type FieldLookup = (type: string) => readonly FieldSpec[] | undefined;

/** Field lookup over an editor registry. */
export function registryFields(registry: EditorRegistry): FieldLookup {
  return (type) => registry.get(type)?.fields;
}

/** Config's controller fields: BrainConfig's, or NeuronConfig's in Neuron mode. */
export function controllerFields(mode: EditorMode): readonly FieldSpec[] {
  return mode === 'brain' ? BRAIN_FIELDS : NEURON_FIELDS;
}

function rowsOf(
  body: JsonObject,
  specs: readonly FieldSpec[] | undefined,
  base: (string | number)[],
): FieldInfo[] {
  const out: FieldInfo[] = [];
  const byName = new Map((specs ?? []).map((f) => [f.name, f]));
  const names = [
    ...[...byName.keys()].filter((k) => !HIDDEN.has(k)),
    ...Object.keys(body).filter((k) => !HIDDEN.has(k) && !byName.has(k)),
  ];
  for (const name of names) {
    const value = body[name];
    // Non-initializer nested configs are sections, not rows.
    if (isTypedConfig(value) && !isInitializer(value)) continue;
    const spec = byName.get(name);
    const row = spec
      ? fieldFromSpec(spec, value, [...base, name])
      : fieldFromValue(name, value, [...base, name]);
    if (row) out.push(row);
  }
  return out;
}

function specType(body: JsonObject, i: number): string | undefined {
  const s = (body.modules_specs as Json[] | undefined)?.[i];
  const d = isObject(s) && isObject(s.__data__) ? s.__data__ : undefined;
  const cls = d && isObject(d.module_cls) ? d.module_cls : undefined;
  return typeof cls?.__module_type__ === 'string' ? cls.__module_type__ : undefined;
}

/**
 * Builds the inspector sections of a config body: "Main" for its own fields (described by
 * `fields`), then one section per child config (a neuron's modules, nested non-initializer
 * configs), recursively, each described through `lookup`.
 */
export function buildSections(
  body: JsonObject,
  fields: readonly FieldSpec[] | undefined,
  lookup: FieldLookup,
  title = 'Main',
  base: (string | number)[] = [],
  type?: string,
): FieldSection {
  const section: FieldSection = { title, path: base, fields: rowsOf(body, fields, base), sections: [] };
  if (type) section.type = type;
  for (const c of childConfigs(body)) {
    const i = c.path[0] === 'modules_specs' ? (c.path[1] as number) : -1;
    const childType = i >= 0 ? specType(body, i) : undefined;
    section.sections.push(
      buildSections(
        c.body,
        childType ? lookup(childType) : undefined,
        lookup,
        c.name,
        [...base, ...c.path],
        childType,
      ),
    );
  }
  return section;
}

/** The sections of a module node's config (its registry fields first). */
export function moduleSections(body: JsonObject, type: string, lookup: FieldLookup): FieldSection {
  return buildSections(body, lookup(type), lookup, 'Main', [], type);
}

/** The initializer kind of an initializer value (`sparse_uniform_initializer`). */
export function initializerKind(value: Json | undefined): string | undefined {
  if (!isInitializer(value)) return undefined;
  return (value as { __type__: string }).__type__.replace(/_config$/, '');
}

/** Fields of an initializer value (dtype, scale, min/max, density, …), as rows described by config. */
export function initializerFields(
  value: Json | undefined,
  base: (string | number)[],
  registry: EditorRegistry,
): FieldInfo[] {
  if (!isInitializer(value)) return [];
  const body = (value as { __cfg__: JsonObject }).__cfg__;
  const kind = initializerKind(value) ?? '';
  return rowsOf(body, registry.initializers.get(kind)?.fields, [...base, '__cfg__']);
}

/** Reads a value from a body by path (re-exported for components). */
export function valueAt(body: JsonObject, path: FieldPath): Json | undefined {
  return getAt(body, path);
}
