/**
 * Config values → numbers: Spark fields typed `float | Array | Initializer` arrive as a number, a
 * `jax_array`/`numpy_array` object, nested number lists, or an initializer config. Initializers are
 * drawn here from the counter-based RNG (so every backend gets the same values and a run is
 * reproducible from the seed).
 *
 * @module
 */
import { CounterRng, deriveStream, shapeSize } from '@spark-snn/core';
import { CompileError } from '../compile/lowering.ts';

/** A resolved parameter: a scalar or a flat array of the requested shape. */
export type ParamArray = number | Float64Array;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function flattenList(v: unknown, out: number[], path: string): void {
  if (Array.isArray(v)) for (const x of v) flattenList(x, out, path);
  else if (typeof v === 'number') out.push(v);
  else if (typeof v === 'boolean') out.push(v ? 1 : 0);
  else throw new CompileError(path, `expected numbers, found ${JSON.stringify(v)}`);
}

/** Options of {@link resolveValue}. */
export interface ResolveOptions {
  /** Shape the value is needed in (a scalar broadcasts; an array must have this many elements). */
  readonly shape: readonly number[];
  /** Seed of the owning module (initializers draw from it). */
  readonly seed: number;
  /** Stable name of the draw site (module path + field). */
  readonly site: string;
  /** For normalized initializers: the leading axes that each sum to one (Spark's `norm_axes`). */
  readonly normAxes?: readonly number[];
  /** Spark forces some initializer fields (N2N delays: scale = B + 1, min_value = 1). */
  readonly force?: Readonly<Record<string, number>>;
}

/** Resolves a config value to a scalar or a flat `Float64Array` of `shape`. */
export function resolveValue(value: unknown, path: string, o: ResolveOptions): ParamArray {
  const size = shapeSize(o.shape);
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (Array.isArray(value)) {
    const flat: number[] = [];
    flattenList(value, flat, path);
    if (flat.length === 1) return flat[0]!;
    if (flat.length !== size)
      throw new CompileError(
        path,
        `has ${flat.length} values; expected ${size} (shape [${o.shape.join(', ')}])`,
      );
    return Float64Array.from(flat);
  }
  if (isObject(value) && (value.__type__ === 'jax_array' || value.__type__ === 'numpy_array')) {
    const data = value.data as number[];
    if (data.length === 1) return data[0]!;
    if (data.length !== size)
      throw new CompileError(
        path,
        `array has ${data.length} values; expected ${size} (shape [${o.shape.join(', ')}])`,
      );
    return Float64Array.from(data);
  }
  if (isObject(value) && typeof value.__type__ === 'string') return drawInitializer(value, path, o);
  throw new CompileError(path, `cannot use ${JSON.stringify(value)} as a number or array`);
}

/** Resolves a value that must be a scalar. */
export function resolveScalar(value: unknown, path: string): number {
  const v = resolveValue(value, path, { shape: [1], seed: 0, site: path });
  if (typeof v !== 'number') throw new CompileError(path, 'must be a single number');
  return v;
}

function num(x: unknown, fallback: number | null): number | null {
  return typeof x === 'number' ? x : x === null || x === undefined ? fallback : fallback;
}

/** Draws an initializer (spark-reference §2.7) with the counter-based RNG. */
export function drawInitializer(cfg: Record<string, unknown>, path: string, o: ResolveOptions): Float64Array {
  const kind = String(cfg.__type__).replace(/_config$/, '');
  const size = shapeSize(o.shape);
  const scale = o.force?.scale ?? num(cfg.scale, 1)!;
  const minValue = o.force?.min_value ?? num(cfg.min_value, null);
  const maxValue = o.force?.max_value ?? num(cfg.max_value, null);
  const rng = new CounterRng(o.seed >>> 0);
  const stream = deriveStream(o.site);
  const out = new Float64Array(size);
  const clip = (x: number) => {
    let y = x;
    if (minValue !== null && y < minValue) y = minValue;
    if (maxValue !== null && y > maxValue) y = maxValue;
    return y;
  };
  switch (kind) {
    case 'constant_initializer':
      out.fill(clip(scale));
      return out;
    case 'uniform_initializer':
      for (let i = 0; i < size; i++) out[i] = clip(scale * rng.uniform(stream, 0, i));
      return out;
    case 'sparse_uniform_initializer':
    case 'normalized_sparse_uniform_initializer': {
      const density = num(cfg.density, 0.2)!;
      for (let i = 0; i < size; i++) {
        const keep = rng.uniform(stream, 1, i) < density;
        out[i] = keep ? rng.uniform(stream, 0, i) : 0;
      }
      if (kind === 'normalized_sparse_uniform_initializer') {
        const axes = o.normAxes ?? [0];
        const lead = axes.length;
        const outer = shapeSize(o.shape.slice(0, lead));
        const inner = size / outer;
        for (let r = 0; r < outer; r++) {
          let sum = 0;
          for (let c = 0; c < inner; c++) sum += out[r * inner + c]!;
          if (sum !== 0) for (let c = 0; c < inner; c++) out[r * inner + c]! /= sum;
        }
      }
      for (let i = 0; i < size; i++) out[i] = out[i] === 0 ? 0 : clip(scale * out[i]!);
      return out;
    }
    default:
      throw new CompileError(path, `unknown initializer "${String(cfg.__type__)}"`);
  }
}
