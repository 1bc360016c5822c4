/**
 * Inspector generation: turns a config body (Spark wire JSON) and, when available, the JSON Schema
 * of its module into sections of typed field descriptors with unit, default, validators and
 * description. Without a schema, fields are inferred from their values.
 *
 * @module
 */
import { childConfigs, getAt, isInitializer, isTypedConfig } from './commands.ts';
import type { EditorRegistry, JsonSchema } from './registry.ts';
import { INITIALIZER_KINDS } from './registry.ts';
import type { Json, JsonObject } from './types.ts';
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

/** Value checks the inspector applies inline (Spark's validators and JSON Schema bounds). */
export type FieldCheck = 'positive' | 'nonnegative' | 'zero_one' | 'binary';

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
  nullable: boolean;
  units?: string;
  description?: string;
  default?: unknown;
  options?: string[];
  checks: FieldCheck[];
  /** Validator names as shown to users (`Positive (> 0)`). */
  validatorText: string[];
  /** Fixed tuple length. */
  length?: number;
  advanced: boolean;
  value: Json | undefined;
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

function schemaTypes(s: JsonSchema): string[] {
  const out: string[] = [];
  const add = (x: JsonSchema): void => {
    if (typeof x.type === 'string') out.push(x.type);
    else if (Array.isArray(x.type)) out.push(...x.type);
    for (const y of x.anyOf ?? []) add(y);
    for (const y of x.oneOf ?? []) add(y);
  };
  add(s);
  return out;
}

function checksFromText(texts: string[]): FieldCheck[] {
  const out: FieldCheck[] = [];
  for (const t of texts) {
    const l = t.toLowerCase();
    if (l.includes('nonnegative')) out.push('nonnegative');
    else if (l.includes('positive')) out.push('positive');
    else if (l.includes('zeroone') || l.includes('[0, 1]')) out.push('zero_one');
    else if (l.includes('binary')) out.push('binary');
  }
  return out;
}

/** A field descriptor from its JSON Schema property (config's metadata: unit, validators, editor). */
export function fieldFromSchema(
  name: string,
  s: JsonSchema,
  value: Json | undefined,
  path: (string | number)[],
): FieldInfo {
  const editor = isObject(s.editor as Json) ? (s.editor as JsonObject) : {};
  const sparkType = typeof s.sparkType === 'string' ? s.sparkType : '';
  const types = schemaTypes(s);
  const validatorText = Array.isArray(s.validators)
    ? (s.validators as unknown[]).filter((x): x is string => typeof x === 'string')
    : [];
  const checks = checksFromText(validatorText);
  if (typeof s.exclusiveMinimum === 'number' && s.exclusiveMinimum === 0 && !checks.includes('positive'))
    checks.push('positive');
  const options = Array.isArray(s.options)
    ? (s.options as string[])
    : Array.isArray(s.enum)
      ? (s.enum as string[])
      : undefined;
  let widget: FieldWidget;
  switch (editor.widget) {
    case 'number':
      widget = 'number';
      break;
    case 'integer':
      widget = 'integer';
      break;
    case 'checkbox':
      widget = 'boolean';
      break;
    case 'select':
      widget = 'select';
      break;
    case 'shape':
      widget = 'shape';
      break;
    case 'tuple':
      widget = 'tuple';
      break;
    case 'array':
      widget = 'array';
      break;
    case 'text':
      widget = 'text';
      break;
    default:
      widget = options
        ? 'select'
        : types.includes('boolean')
          ? 'boolean'
          : types.includes('integer')
            ? 'integer'
            : types.includes('number')
              ? 'number'
              : types.includes('string')
                ? 'text'
                : 'json';
  }
  const info: FieldInfo = {
    name,
    path,
    widget,
    allowsInit: /Initializer/.test(sparkType),
    allowsArray: /Array/.test(sparkType),
    nullable: types.includes('null') || /None/.test(sparkType),
    checks,
    validatorText,
    advanced: editor.advanced === true,
    value,
  };
  const units = typeof s.unit === 'string' ? s.unit : typeof s.units === 'string' ? s.units : undefined;
  if (units) info.units = units;
  if (typeof s.description === 'string') info.description = s.description;
  if (s.default !== undefined) info.default = s.default;
  if (options) info.options = options;
  const len = typeof s.minItems === 'number' && s.minItems === s.maxItems ? s.minItems : undefined;
  if (len !== undefined) info.length = len;
  // Values decide the widget when they do not fit it (e.g. an initializer in a number field).
  if (isInitializer(value)) info.widget = 'initializer';
  return info;
}

/** A field descriptor inferred from the value alone (no schema known). */
export function fieldFromValue(name: string, value: Json | undefined, path: (string | number)[]): FieldInfo {
  let widget: FieldWidget = 'json';
  let options: string[] | undefined;
  if (typeof value === 'number')
    widget =
      name === 'seed' || (Number.isInteger(value) && /^(num_|resolution|seed)/.test(name))
        ? 'integer'
        : 'number';
  else if (typeof value === 'boolean') widget = 'boolean';
  else if (typeof value === 'string') widget = 'text';
  else if (isObject(value) && value.__type__ === 'dtype') {
    widget = 'select';
    options = ['float16', 'float32'];
  } else if (isInitializer(value)) widget = 'initializer';
  else if (isObject(value) && (value.__type__ === 'jax_array' || value.__type__ === 'numpy_array'))
    widget = 'array';
  else if (Array.isArray(value) && value.every((x) => typeof x === 'number'))
    widget = name === 'units' || name === 'shape' ? 'shape' : 'tuple';
  const info: FieldInfo = {
    name,
    path,
    widget,
    allowsInit: isInitializer(value),
    allowsArray: false,
    nullable: value === null,
    checks: name === 'dt' ? ['positive'] : [],
    validatorText: name === 'dt' ? ['Positive (> 0)'] : [],
    advanced: name === 'seed',
    value,
  };
  if (options) info.options = options;
  if (name === 'dt') info.units = 'ms';
  return info;
}

/** Checks a value against a field's inline checks; returns a message or undefined. */
export function checkField(f: FieldInfo, value: Json | undefined): string | undefined {
  if (value === null || value === undefined) return f.nullable ? undefined : 'a value is required';
  if (isInitializer(value)) return undefined;
  const nums: number[] = [];
  const collect = (v: Json): boolean => {
    if (typeof v === 'number') nums.push(v);
    else if (Array.isArray(v)) return v.every(collect);
    else if (isObject(v) && (v.__type__ === 'jax_array' || v.__type__ === 'numpy_array'))
      return collect(v.data ?? null);
    else return false;
    return true;
  };
  if (f.widget === 'number' || f.widget === 'integer') {
    if (typeof value !== 'number' && !(f.allowsArray && collect(value))) return 'expected a number';
    if (typeof value === 'number' && !Number.isFinite(value)) return 'must be a finite number';
    if (f.widget === 'integer' && typeof value === 'number' && !Number.isInteger(value))
      return 'expected an integer';
  }
  if (f.widget === 'shape') {
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      !value.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 1)
    )
      return 'a shape is a list of 1 to 8 positive integers';
  }
  if (f.widget === 'tuple' && f.length !== undefined && Array.isArray(value) && value.length !== f.length)
    return `expected ${f.length} values`;
  collect(value);
  for (const c of f.checks) {
    for (const x of nums) {
      if (c === 'positive' && !(x > 0)) return `Positive: must be > 0 (got ${x})`;
      if (c === 'nonnegative' && !(x >= 0)) return `NonNegative: must be >= 0 (got ${x})`;
      if (c === 'zero_one' && !(x >= 0 && x <= 1)) return `ZeroOne: must be in [0, 1] (got ${x})`;
      if (c === 'binary' && x !== 0 && x !== 1) return `Binary: must be 0 or 1 (got ${x})`;
    }
  }
  return undefined;
}

/** Finds a schema for the config of a module type. */
export type SchemaLookup = (type: string) => JsonSchema | undefined;

/** Schema lookup over an editor registry. */
export function registrySchemas(registry: EditorRegistry): SchemaLookup {
  return (type) => registry.get(type)?.schema;
}

function fieldsOf(body: JsonObject, schema: JsonSchema | undefined, base: (string | number)[]): FieldInfo[] {
  const out: FieldInfo[] = [];
  const props = schema?.properties ?? {};
  const names = [
    ...Object.keys(props).filter((k) => !HIDDEN.has(k)),
    ...Object.keys(body).filter((k) => !HIDDEN.has(k) && !(k in props)),
  ];
  for (const name of names) {
    const value = body[name];
    // Non-initializer nested configs are sections, not rows.
    if (isTypedConfig(value) && !isInitializer(value)) continue;
    const s = props[name];
    out.push(
      s ? fieldFromSchema(name, s, value, [...base, name]) : fieldFromValue(name, value, [...base, name]),
    );
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
 * Builds the inspector sections of a config body: "Main" for its own fields, then one section per
 * child config (a neuron's modules, nested non-initializer configs), recursively.
 */
export function buildSections(
  body: JsonObject,
  type: string | undefined,
  schemas: SchemaLookup,
  title = 'Main',
  base: (string | number)[] = [],
): FieldSection {
  const schema = type ? schemas(type) : undefined;
  const section: FieldSection = { title, path: base, fields: fieldsOf(body, schema, base), sections: [] };
  if (type) section.type = type;
  for (const c of childConfigs(body)) {
    const i = c.path[0] === 'modules_specs' ? (c.path[1] as number) : -1;
    const childType = i >= 0 ? specType(body, i) : undefined;
    section.sections.push(buildSections(c.body, childType, schemas, c.name, [...base, ...c.path]));
  }
  return section;
}

/** The initializer kind of an initializer value (`sparse_uniform_initializer`). */
export function initializerKind(value: Json | undefined): string | undefined {
  if (!isInitializer(value)) return undefined;
  return (value as { __type__: string }).__type__.replace(/_config$/, '');
}

/** Fields of an initializer value (dtype, scale, min/max, density, …), as inspector rows. */
export function initializerFields(value: Json | undefined, base: (string | number)[]): FieldInfo[] {
  if (!isInitializer(value)) return [];
  const body = (value as { __cfg__: JsonObject }).__cfg__;
  return fieldsOf(body, undefined, [...base, '__cfg__']).map((f) => {
    if (f.name === 'density')
      return { ...f, checks: ['zero_one'], validatorText: ['ZeroOne (in [0, 1])'] } satisfies FieldInfo;
    if (f.name === 'min_value' || f.name === 'max_value')
      return { ...f, widget: 'number', nullable: true } satisfies FieldInfo;
    if (f.name === 'dtype')
      return {
        ...f,
        options: ['uint8', 'uint16', 'uint32', 'int8', 'int16', 'int32', 'float16', 'float32'],
      } satisfies FieldInfo;
    return f;
  });
}

/** Initializer choices offered by the inspector. */
export const INITIALIZER_CHOICES = INITIALIZER_KINDS;

/** Reads a value from a body by path (re-exported for components). */
export function valueAt(body: JsonObject, path: (string | number)[]): Json | undefined {
  return getAt(body, path);
}
