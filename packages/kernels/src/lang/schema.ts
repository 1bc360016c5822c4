/**
 * Parameters declared once: a definition names its parameters (with the type and extent only the
 * equations know), and {@link bindSchema} takes each one's default, unit, validators and
 * description from the module's config schema (the `fields` of a `@spark-snn/config` registry
 * entry). The library binds every built-in definition when it is built, so a parameter the schema
 * lacks, a second declaration of what the schema says, or a unit the equations disagree with is a
 * {@link DefinitionError} naming the parameter, never a silent divergence.
 *
 * Rules (each violation is an issue at `params[i]`):
 * - a parameter must be a field of the schema, unless it is `internal` (a value the library's
 *   builder computes, declared completely in the definition; it must then *not* be a field);
 * - default: the field's default (a number; a boolean as 0/1; a list whose entries are all equal,
 *   e.g. a per-type tuple expanded per synapse, as that value). A field whose default is null
 *   (Spark's `None`) needs the definition's `default`, the value that stands for null; anywhere
 *   else a `default` in the definition is an error;
 * - unit: the field's unit. A `unit` in the definition states what the equations expect and must
 *   equal the field's (the same dimension and scale: `GOhm` = `GΩ`). With `units: false` the
 *   definition's equations are not unit-checked and no units are attached;
 * - validators and description: the field's; the definition declares none.
 *
 * @module
 */

import { type ModuleDefinition, type ParamDecl, VALIDATORS, type Validator } from './ast.ts';
import { DefinitionError, type DefinitionIssue, definitionIssue } from './check.ts';
import { parseUnit, unitEquals } from './units.ts';

/** A config field as a definition sees it (structurally a `FieldSpec` of `@spark-snn/config`). */
export interface SchemaField {
  readonly name: string;
  /** Default value (JSON); `null` or absent when the field has none. */
  readonly default?: unknown;
  /** Unit in the equation language's notation (`mV`, `ms`, `GΩ`, `Hz`). */
  readonly units?: string;
  readonly validators?: readonly string[];
  readonly description?: string;
}

/** The config schema of one module. */
export interface ParamSchema {
  /** Registry name (for messages). */
  readonly module: string;
  readonly fields: readonly SchemaField[];
}

/** Options of {@link bindSchema}. */
export interface BindOptions {
  /**
   * Attach the schema's units (default true). False for equations that are not unit-checked
   * (constants with units the language cannot write, such as Izhikevich's 0.04 /(mV·ms)).
   */
  readonly units?: boolean;
}

function schemaDefault(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && x === v[0]))
    return v[0] as number;
  return undefined;
}

/**
 * Fills the parameters of `def` from `schema` (see the module comment for the rules). Returns a new
 * definition; throws {@link DefinitionError} listing every problem.
 */
export function bindSchema(
  def: ModuleDefinition,
  schema: ParamSchema,
  options: BindOptions = {},
): ModuleDefinition {
  const issues: DefinitionIssue[] = [];
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  const where = `the ${schema.module} config schema`;
  const params = def.params.map((p, i): ParamDecl => {
    const path = `params[${i}]`;
    const err = (message: string): void => {
      issues.push(definitionIssue(path, `parameter "${p.name}" ${message}`, 'schema'));
    };
    const field = byName.get(p.name);
    if (p.internal === true) {
      if (field !== undefined)
        err(`is a field of ${where}; drop "internal" and its own default, unit and validators`);
      return p;
    }
    if (field === undefined) {
      const names = schema.fields.map((f) => f.name).join(', ');
      err(`is not a field of ${where} (fields: ${names}); add it there, or mark it internal`);
      return p;
    }
    if (p.validators !== undefined) err(`declares validators; they come from ${where}`);
    if (p.doc !== undefined) err(`declares a description; it comes from ${where}`);
    let dflt: number | undefined;
    if (field.default === null || field.default === undefined) {
      if (p.default === undefined)
        err(`needs a default: the value that stands for null (the field's default in ${where} is null)`);
      dflt = p.default;
    } else {
      if (p.default !== undefined)
        err(`declares a default (${p.default}); it comes from ${where} (${JSON.stringify(field.default)})`);
      dflt = schemaDefault(field.default);
      if (dflt === undefined)
        err(`has a default in ${where} that is not a number: ${JSON.stringify(field.default)}`);
    }
    let unit: string | undefined;
    if (options.units !== false) {
      unit = field.units;
      const su = unit === undefined ? undefined : parseUnit(unit);
      if (unit !== undefined && su === undefined)
        err(`has the unit "${unit}" in ${where}, which the equation language does not know`);
      if (p.unit !== undefined) {
        const du = parseUnit(p.unit);
        if (unit === undefined) err(`needs the unit [${p.unit}]; the field of ${where} has no unit`);
        else if (du !== undefined && su !== undefined && !unitEquals(du, su))
          err(`needs the unit [${p.unit}]; the field of ${where} is in [${unit}]`);
      }
    }
    const validators: Validator[] = [];
    for (const v of field.validators ?? []) {
      if ((VALIDATORS as readonly string[]).includes(v)) validators.push(v as Validator);
      else err(`has the validator "${v}" in ${where}, which the equation language does not know`);
    }
    return {
      name: p.name,
      type: p.type,
      ...(p.extent !== undefined ? { extent: p.extent } : {}),
      ...(dflt !== undefined ? { default: dflt } : {}),
      ...(unit !== undefined ? { unit } : {}),
      ...(validators.length > 0 ? { validators } : {}),
      ...(field.description !== undefined ? { doc: field.description } : {}),
    };
  });
  if (issues.length > 0) throw new DefinitionError(def.name, issues);
  return { ...def, params };
}
