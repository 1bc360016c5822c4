/**
 * Field descriptors: the single source of every config field's name, Spark type, default, unit,
 * validators and editor hints. Zod schemas, JSON Schema, the inspector and docs/modules.md are all
 * generated from them.
 *
 * @module
 */
import type { NumberList, SparkArray, TypedConfigValue } from './types.ts';

/**
 * Spark's value validators (spark-reference §1.3.5), plus spark-snn's `nonnegative` (≥ 0, for
 * refractory periods and rates of the spark-snn modules). `TypeValidator` is implied by `kind`.
 */
export type Validator = 'positive' | 'nonnegative' | 'zero_one' | 'binary';

/** What kind of value a field holds. */
export type FieldKind =
  | 'float'
  | 'int'
  | 'bool'
  | 'str'
  | 'dtype'
  | 'shape'
  | 'float_tuple'
  | 'int_tuple'
  | 'array'
  | 'modules_specs'
  | 'io_specs';

/** Hints for generated editors (the studio inspector). */
export interface EditorHint {
  widget: 'number' | 'integer' | 'checkbox' | 'select' | 'shape' | 'tuple' | 'array' | 'text' | 'hidden';
  /** Suggested step of a number spinner. */
  step?: number;
  /** Shown only in an "advanced" section. */
  advanced?: boolean;
  /** The field may be linked to the same field of sibling modules (Spark's inheritance "link"). */
  linkable?: boolean;
}

/** Describes one config field. */
export interface FieldSpec {
  /** Field name as in Spark (and in `.scfg` files). */
  readonly name: string;
  readonly kind: FieldKind;
  /** Spark's type annotation, e.g. `float | Array | Initializer`. */
  readonly sparkType: string;
  /**
   * Default value (JSON-compatible; initializer defaults are {@link TypedConfigValue}s). Absent
   * for required fields and for fields with a {@link FieldSpec.defaultFactory}.
   */
  readonly default?: unknown;
  /** Produces a fresh default (e.g. a random seed). */
  readonly defaultFactory?: () => unknown;
  /** True when the field has no default and must be given. */
  readonly required?: boolean;
  /** `None` is a legal value. */
  readonly nullable?: boolean;
  /** Accepts a full array (`Array` in the Spark type). */
  readonly allowsArray?: boolean;
  /** Accepts an initializer config (`Initializer` in the Spark type). */
  readonly allowsInit?: boolean;
  /** Display unit (`mV`, `ms`, `Hz`, `GΩ`, `pA`, `nS`). */
  readonly units?: string;
  readonly validators?: readonly Validator[];
  readonly description: string;
  /** Allowed values (dtype choices). */
  readonly options?: readonly string[];
  /** Required length for tuples. */
  readonly length?: number;
  /** Spark's Python default is an `int` literal (written without `.0`, as Spark does). */
  readonly intDefault?: boolean;
  /** spark-snn extension not present in Spark (documented; only written when set). */
  readonly extension?: boolean;
  readonly editor: EditorHint;
}

/** Description of a validator for docs and messages. */
export const VALIDATOR_TEXT: Readonly<Record<Validator, string>> = {
  positive: 'Positive (> 0)',
  nonnegative: 'NonNegative (>= 0)',
  zero_one: 'ZeroOne (in [0, 1])',
  binary: 'Binary (0 or 1)',
};

/** True when `v` is a {@link SparkArray}. */
export function isSparkArray(v: unknown): v is SparkArray {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const t = (v as { __type__?: unknown }).__type__;
  return t === 'jax_array' || t === 'numpy_array';
}

/** True when `v` is a nested typed config (an object with a `__type__` ending in `_config`). */
export function isTypedConfig(v: unknown): v is TypedConfigValue {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const t = (v as { __type__?: unknown }).__type__;
  return typeof t === 'string' && t.endsWith('_config');
}

/** True when `v` is a (possibly nested) list of numbers. */
export function isNumberList(v: unknown): v is NumberList {
  if (!Array.isArray(v)) return false;
  return v.every((x) => typeof x === 'number' || isNumberList(x));
}

/** Flattens a scalar, number list or SparkArray into its numbers (or undefined if not numeric). */
export function numericElements(v: unknown): number[] | undefined {
  if (typeof v === 'number') return [v];
  if (isSparkArray(v)) return v.data;
  if (isNumberList(v)) {
    const out: number[] = [];
    const walk = (x: NumberList): void => {
      for (const e of x) {
        if (typeof e === 'number') out.push(e);
        else walk(e);
      }
    };
    walk(v);
    return out;
  }
  return undefined;
}

/** Shape of a rectangular nested list, or undefined when ragged. */
export function listShape(v: NumberList | number): number[] | undefined {
  if (typeof v === 'number') return [];
  if (v.length === 0) return [0];
  const inner = v.map((e) => listShape(e));
  const first = inner[0];
  if (first === undefined) return undefined;
  for (const s of inner) {
    if (s === undefined || s.length !== first.length || s.some((d, i) => d !== first[i])) return undefined;
  }
  return [v.length, ...first];
}

/** Checks the Spark validators on numeric elements; returns a message or undefined. */
export function checkValidators(
  validators: readonly Validator[] | undefined,
  value: unknown,
): string | undefined {
  if (!validators || validators.length === 0) return undefined;
  const els = numericElements(value);
  if (!els) return undefined;
  for (const v of validators) {
    for (let i = 0; i < els.length; i++) {
      const x = els[i]!;
      const where = els.length > 1 ? ` (element ${i} is ${x})` : ` (got ${x})`;
      if (v === 'positive' && !(x > 0)) return `must be > 0${where}`;
      if (v === 'nonnegative' && !(x >= 0)) return `must be >= 0${where}`;
      if (v === 'zero_one' && !(x >= 0 && x <= 1)) return `must be in [0, 1]${where}`;
      if (v === 'binary' && x !== 0 && x !== 1) return `must be 0 or 1${where}`;
    }
  }
  return undefined;
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (isSparkArray(v)) return `an array (${v.dtype})`;
  if (isTypedConfig(v)) return `a ${v.__type__}`;
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** What the field accepts, in words (for messages and docs). */
export function acceptsText(f: FieldSpec): string {
  switch (f.kind) {
    case 'float': {
      const parts = ['a number'];
      if (f.allowsArray) parts.push('an array');
      if (f.allowsInit) parts.push('an initializer config');
      return parts.join(', ') + (f.nullable ? ' or null' : '');
    }
    case 'int':
      return 'an integer' + (f.nullable ? ' or null' : '');
    case 'bool':
      return 'true or false';
    case 'str':
      return f.options ? `one of ${f.options.map((o) => `"${o}"`).join(', ')}` : 'a string';
    case 'dtype':
      return `a dtype name (${(f.options ?? []).join(', ')})`;
    case 'shape':
      return 'a shape (list of positive integers)';
    case 'float_tuple':
      return f.length === undefined ? 'a list of numbers' : `a list of ${f.length} numbers`;
    case 'int_tuple':
      return 'a list of integers';
    case 'array':
      return (
        'a number, a list of numbers or an array' +
        (f.allowsInit ? ' or an initializer config' : '') +
        (f.nullable ? ' or null' : '')
      );
    case 'modules_specs':
      return 'a list of module specs';
    case 'io_specs':
      return 'an object {"inputs": {name: PortSpecs}, "outputs": {name: PortSpecs}}';
  }
}

/**
 * Checks one field value against its descriptor (type, shape, validators). Nested initializer
 * configs and module specs are checked elsewhere (they need the registry). Returns a message, or
 * undefined when the value is fine.
 */
export function checkFieldValue(f: FieldSpec, v: unknown): string | undefined {
  if (v === null) return f.nullable ? undefined : `expected ${acceptsText(f)}, got null`;
  const bad = (): string => `expected ${acceptsText(f)}, got ${describeType(v)}`;
  switch (f.kind) {
    case 'float': {
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) return `must be a finite number (got ${v})`;
        return checkValidators(f.validators, v);
      }
      if (f.allowsInit && isTypedConfig(v)) return undefined;
      if (f.allowsArray && (isSparkArray(v) || isNumberList(v))) return checkArray(f, v);
      return bad();
    }
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) return bad();
      return checkValidators(f.validators, v);
    case 'bool':
      return typeof v === 'boolean' ? undefined : bad();
    case 'str':
      if (typeof v !== 'string') return bad();
      if (f.options && !f.options.includes(v))
        return `unknown value "${v}"; expected one of ${f.options.join(', ')}`;
      return undefined;
    case 'dtype':
      if (typeof v !== 'string') return bad();
      if (f.options && !f.options.includes(v))
        return `unknown dtype "${v}"; expected one of ${f.options.join(', ')}`;
      return undefined;
    case 'shape':
      if (!Array.isArray(v)) return bad();
      if (v.length === 0) return 'must have at least one dimension';
      if (!v.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0))
        return 'every dimension must be a positive integer';
      return undefined;
    case 'float_tuple':
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) return bad();
      if (f.length !== undefined && v.length !== f.length)
        return `must have exactly ${f.length} elements (got ${v.length})`;
      return checkValidators(f.validators, v);
    case 'int_tuple':
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isInteger(x))) return bad();
      return undefined;
    case 'array':
      if (typeof v === 'number') return checkValidators(f.validators, v);
      if (f.allowsInit && isTypedConfig(v)) return undefined;
      if (isSparkArray(v) || isNumberList(v)) return checkArray(f, v);
      return bad();
    case 'modules_specs':
      return Array.isArray(v) ? undefined : bad();
    case 'io_specs':
      return typeof v === 'object' && !Array.isArray(v) ? undefined : bad();
  }
}

function checkArray(f: FieldSpec, v: SparkArray | NumberList): string | undefined {
  if (isSparkArray(v)) {
    const n = v.shape.reduce((a, b) => a * b, 1);
    if (n !== v.data.length)
      return `array data has ${v.data.length} elements but its shape [${v.shape.join(', ')}] needs ${n}`;
  } else if (listShape(v) === undefined) return 'nested list is ragged (rows of different lengths)';
  return checkValidators(f.validators, v);
}

/** The default value of a field (fresh copy), or undefined when it is required. */
export function fieldDefault(f: FieldSpec): unknown {
  if (f.defaultFactory) return f.defaultFactory();
  if (f.default === undefined) return undefined;
  return structuredClone(f.default);
}

// ---------------------------------------------------------------------------------------------
// builders (used by the built-in module definitions and by custom modules)
// ---------------------------------------------------------------------------------------------

/** Options shared by the field constructors (`floatField`, `arrayField`, …): everything of a {@link FieldSpec} but its name, kind and description. */
export type FieldOptions = Partial<Omit<FieldSpec, 'name' | 'kind' | 'description' | 'editor'>> & {
  editor?: EditorHint;
};

/** A `float` field (`float | Array | Initializer` when `allowsArray`/`allowsInit` are set). */
export function floatField(
  name: string,
  def: number | undefined,
  description: string,
  o: FieldOptions = {},
): FieldSpec {
  const sparkType =
    o.sparkType ??
    ['float', o.allowsArray ? 'Array' : '', o.allowsInit ? 'Initializer' : ''].filter(Boolean).join(' | ');
  return {
    name,
    kind: 'float',
    description,
    ...(def !== undefined ? { default: def } : { required: true }),
    editor: { widget: 'number', linkable: true },
    ...o,
    sparkType,
  };
}

/** A per-unit model parameter: `float | Array | Initializer`. */
export function paramField(
  name: string,
  def: number,
  units: string | undefined,
  description: string,
  o: FieldOptions = {},
): FieldSpec {
  return floatField(name, def, description, {
    allowsArray: true,
    allowsInit: true,
    ...(units ? { units } : {}),
    ...o,
  });
}

/** An `int` field. */
export function intField(
  name: string,
  def: number | undefined,
  description: string,
  o: FieldOptions = {},
): FieldSpec {
  return {
    name,
    kind: 'int',
    sparkType: 'int',
    description,
    ...(def !== undefined ? { default: def } : { required: true }),
    editor: { widget: 'integer' },
    ...o,
  };
}

/** A `bool` field. */
export function boolField(name: string, def: boolean, description: string, o: FieldOptions = {}): FieldSpec {
  return {
    name,
    kind: 'bool',
    sparkType: 'bool',
    description,
    default: def,
    editor: { widget: 'checkbox' },
    ...o,
  };
}

/** A `tuple[int, ...]` shape field. */
export function shapeField(name: string, description: string, o: FieldOptions = {}): FieldSpec {
  return {
    name,
    kind: 'shape',
    sparkType: 'tuple[int, ...]',
    description,
    required: true,
    editor: { widget: 'shape', linkable: true },
    ...o,
  };
}

/** A fixed-length tuple of floats. */
export function floatTupleField(
  name: string,
  def: number[],
  description: string,
  o: FieldOptions = {},
): FieldSpec {
  return {
    name,
    kind: 'float_tuple',
    sparkType: `tuple[${def.map(() => 'float').join(', ')}]`,
    description,
    default: def,
    length: def.length,
    editor: { widget: 'tuple' },
    ...o,
  };
}

/** An `Array` field (scalar or array; `Array | Initializer` with `allowsInit`). */
export function arrayField(name: string, def: unknown, description: string, o: FieldOptions = {}): FieldSpec {
  return {
    name,
    kind: 'array',
    sparkType: ['Array', o.allowsInit ? 'Initializer' : '', o.nullable ? 'None' : '']
      .filter(Boolean)
      .join(' | '),
    description,
    ...(def !== undefined ? { default: def } : o.extension ? {} : { required: true }),
    editor: { widget: 'array' },
    ...o,
  };
}
