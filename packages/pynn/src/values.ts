/**
 * Config values → PyNN values. A Spark field may hold a number, an explicit array
 * (`jax_array`/`numpy_array` or nested lists) or an initializer config; PyNN takes a scalar, one
 * value per cell, or a `RandomDistribution`. What has no exact PyNN form is reported, never
 * approximated.
 *
 * @module
 */
import type { ConfigBody, Registry } from '@spark-snn/config';
import type { PyNNDiagnostic, PyValue } from './types.ts';

/** Problems found while reading values; collected by the caller. */
export type Sink = PyNNDiagnostic[];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function flatten(v: unknown, out: number[]): boolean {
  if (Array.isArray(v)) return v.every((x) => flatten(x, out));
  if (typeof v === 'number' && Number.isFinite(v)) {
    out.push(v);
    return true;
  }
  if (typeof v === 'boolean') {
    out.push(v ? 1 : 0);
    return true;
  }
  return false;
}

/**
 * The value of field `key` of a module config: the config's own value, else the registry default.
 * Returns undefined (and reports) when it has no PyNN form.
 */
export function fieldValue(
  config: ConfigBody,
  key: string,
  o: { path: string; size: number; moduleClass: string; registry: Registry; sink: Sink },
): PyValue | undefined {
  const path = `${o.path}.config.${key}`;
  let v = config[key];
  if (v === undefined || v === null) {
    const field = o.registry.get(o.moduleClass)?.fields.find((f) => f.name === key);
    v = field?.default;
  }
  if (v === undefined || v === null) {
    o.sink.push({
      severity: 'error',
      code: 'unsupported_value',
      path,
      message: `has no value and the registry has no default for "${key}"`,
    });
    return undefined;
  }
  return toPyValue(v, path, o.size, o.sink);
}

/** A config value as a {@link PyValue} of `size` cells, or undefined after reporting why not. */
export function toPyValue(v: unknown, path: string, size: number, sink: Sink): PyValue | undefined {
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return { kind: 'scalar', value: v };
    sink.push({ severity: 'error', code: 'unsupported_value', path, message: `must be finite, got ${v}` });
    return undefined;
  }
  if (typeof v === 'boolean') return { kind: 'scalar', value: v ? 1 : 0 };
  let flat: number[] | undefined;
  if (Array.isArray(v)) {
    flat = [];
    if (!flatten(v, flat)) flat = undefined;
  } else if (isObject(v) && (v.__type__ === 'jax_array' || v.__type__ === 'numpy_array')) {
    flat = [];
    if (!flatten(v.data, flat)) flat = undefined;
  }
  if (flat !== undefined) {
    if (flat.length === 1) return { kind: 'scalar', value: flat[0]! };
    if (flat.length !== size) {
      sink.push({
        severity: 'error',
        code: 'unsupported_value',
        path,
        message: `has ${flat.length} values; a PyNN population of ${size} cells needs 1 or ${size}`,
      });
      return undefined;
    }
    return flat.every((x) => x === flat[0])
      ? { kind: 'scalar', value: flat[0]! }
      : { kind: 'array', values: Float64Array.from(flat) };
  }
  if (isObject(v) && typeof v.__type__ === 'string') {
    const type = v.__type__.replace(/_config$/, '');
    const scale = typeof v.scale === 'number' ? v.scale : 1;
    const min = typeof v.min_value === 'number' ? v.min_value : -Infinity;
    const max = typeof v.max_value === 'number' ? v.max_value : Infinity;
    if (type === 'constant_initializer')
      return { kind: 'scalar', value: Math.min(max, Math.max(min, scale)) };
    if (type === 'uniform_initializer') {
      // Spark: clip(scale · U[0, 1), min_value, max_value). Unclipped it is uniform on [0, scale).
      const low = Math.min(0, scale);
      const high = Math.max(0, scale);
      if (low < min || high > max) {
        sink.push({
          severity: 'error',
          code: 'unsupported_value',
          path,
          message: `a uniform initializer on [${low}, ${high}) clipped to [${min}, ${max}] has no PyNN RandomDistribution (the clip puts mass on the bounds)`,
          hint: 'write the values as an explicit array, or export with --connectivity explicit',
        });
        return undefined;
      }
      return { kind: 'uniform', low, high };
    }
    sink.push({
      severity: 'error',
      code: 'unsupported_value',
      path,
      message: `the ${type} initializer has no PyNN RandomDistribution`,
      hint: 'export with --connectivity explicit to write the values the Brain draws',
    });
    return undefined;
  }
  sink.push({
    severity: 'error',
    code: 'unsupported_value',
    path,
    message: `cannot be read as a number, an array or an initializer (${JSON.stringify(v)?.slice(0, 60)})`,
  });
  return undefined;
}

/** A value that must be one number (used where PyNN needs a scalar, e.g. a projection weight factor). */
export function scalarOf(v: PyValue | undefined): number | undefined {
  return v?.kind === 'scalar' ? v.value : undefined;
}

/** `v + offset` (element-wise; a uniform distribution shifts its bounds). */
export function shift(v: PyValue, offset: PyValue): PyValue | undefined {
  if (offset.kind === 'scalar') {
    const d = offset.value;
    if (v.kind === 'scalar') return { kind: 'scalar', value: v.value + d };
    if (v.kind === 'uniform') return { kind: 'uniform', low: v.low + d, high: v.high + d };
    return { kind: 'array', values: v.values.map((x) => x + d) };
  }
  if (v.kind !== 'scalar') return undefined;
  if (offset.kind === 'uniform')
    return { kind: 'uniform', low: offset.low + v.value, high: offset.high + v.value };
  return { kind: 'array', values: offset.values.map((x) => x + v.value) };
}

/** `v · factor` for a scalar factor. */
export function scale(v: PyValue, factor: number): PyValue {
  if (v.kind === 'scalar') return { kind: 'scalar', value: v.value * factor };
  if (v.kind === 'uniform') {
    const a = v.low * factor;
    const b = v.high * factor;
    return { kind: 'uniform', low: Math.min(a, b), high: Math.max(a, b) };
  }
  return { kind: 'array', values: v.values.map((x) => x * factor) };
}
