/**
 * Reading Spark config values (plain JSON: scalars, nested arrays) into parameter values of the
 * equation definitions. Values are rounded to float32, the working precision of spark-snn.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import type { ParamValue } from '../lang/interpret.ts';

/** A Spark config as plain data (field name → value). */
export type SparkConfigValues = Readonly<Record<string, unknown>>;

/** Flattens nested arrays of numbers/booleans (row-major), rounding to float32. */
export function flattenValues(x: unknown, path = 'value'): number[] {
  const out: number[] = [];
  // The element path is spelled out only for an error (a kernel has half a million elements).
  const walk = (v: unknown, where: () => string): void => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const e: unknown = v[i];
        if (typeof e === 'number') out.push(Math.fround(e));
        else walk(e, () => `${where()}[${i}]`);
      }
    } else if (typeof v === 'number') out.push(Math.fround(v));
    else if (typeof v === 'boolean') out.push(v ? 1 : 0);
    else
      throw new TypeError(`${where()}: expected a number or an array of numbers, got ${JSON.stringify(v)}`);
  };
  walk(x, () => path);
  return out;
}

/** {@link flattenValues} as a `Float32Array`; a flat list of numbers (a kernel) is copied in one pass. */
export function float32Values(x: unknown, path = 'value'): Float32Array {
  if (Array.isArray(x)) {
    const out = new Float32Array(x.length);
    let i = 0;
    for (; i < x.length; i++) {
      const e: unknown = x[i];
      if (typeof e !== 'number') break;
      out[i] = e;
    }
    if (i === x.length) return out;
  }
  return Float32Array.from(flattenValues(x, path));
}

/** A config value as a parameter value (a number, or a flat float32-rounded array). */
export function paramValue(x: unknown, path: string): ParamValue {
  if (typeof x === 'number') return Math.fround(x);
  if (typeof x === 'boolean') return x ? 1 : 0;
  const a = float32Values(x, path);
  return a.length === 1 ? (a[0] as number) : a;
}

/** Parameter values of `def` found in `config` (other fields are ignored; missing ones take the defaults). */
export function paramsFromConfig(
  def: ModuleDefinition,
  config: SparkConfigValues,
  path = 'config',
): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const p of def.params) {
    const v = config[p.name];
    if (v === undefined || v === null) continue;
    if (typeof v === 'object' && !Array.isArray(v)) continue; // initializer configs are drawn elsewhere
    out[p.name] = paramValue(v, `${path}.${p.name}`);
  }
  return out;
}

/** A number field of a config, or its default. */
export function numberField(config: SparkConfigValues, name: string, dflt: number): number {
  const v = config[name];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number')
    throw new TypeError(`config.${name}: expected a number, got ${JSON.stringify(v)}`);
  return v;
}
