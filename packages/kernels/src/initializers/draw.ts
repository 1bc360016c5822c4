/**
 * Drawing initializer values: on a device (a one-step plan fragment whose `value` buffer is read
 * back) or on the host with the equation interpreter (compiled, `evaluatorOf`) — both use the same
 * counter-based draws, so they agree up to float32 rounding.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { compileDefinition } from '../lang/compile.ts';
import { evaluatorOf } from '../lang/evaluate.ts';
import { paramsFromConfig, type SparkConfigValues } from '../library/config.ts';
import { type Fragment, f32Buffer, mergeFragments, moduleFragment } from '../library/fragment.ts';
import {
  constantInitializer,
  normalizedSparseUniformDraw,
  normalizedSparseUniformScale,
  normalizeRows,
  sparseUniformInitializer,
  uniformInitializer,
} from './initializers.ts';

/** Registry names of the initializers. */
export const INITIALIZER_NAMES = [
  'constant_initializer',
  'uniform_initializer',
  'sparse_uniform_initializer',
  'normalized_sparse_uniform_initializer',
] as const;

/** An initializer registry name. */
export type InitializerName = (typeof INITIALIZER_NAMES)[number];

const CLASS_TO_NAME: Record<string, InitializerName> = {
  ConstantInitializer: 'constant_initializer',
  UniformInitializer: 'uniform_initializer',
  SparseUniformInitializer: 'sparse_uniform_initializer',
  NormalizedSparseUniformInitializer: 'normalized_sparse_uniform_initializer',
};

/** The registry name of an initializer config (`__class_ref__` class name, or `__type__`/`name` registry name). */
export function initializerName(config: SparkConfigValues): InitializerName {
  const ref = config.__class_ref__;
  if (typeof ref === 'string' && ref in CLASS_TO_NAME) return CLASS_TO_NAME[ref] as InitializerName;
  for (const k of ['__type__', 'name', '__class_ref__']) {
    const v = config[k];
    if (typeof v === 'string' && (INITIALIZER_NAMES as readonly string[]).includes(v))
      return v as InitializerName;
  }
  throw new TypeError(
    `initializer config: unknown initializer ${JSON.stringify(ref ?? config.__type__ ?? config.name)}`,
  );
}

/** The definition(s) of an initializer (the normalized one has two passes). */
export function initializerDefinitions(name: InitializerName): readonly ModuleDefinition[] {
  switch (name) {
    case 'constant_initializer':
      return [constantInitializer];
    case 'uniform_initializer':
      return [uniformInitializer];
    case 'sparse_uniform_initializer':
      return [sparseUniformInitializer];
    case 'normalized_sparse_uniform_initializer':
      return [normalizedSparseUniformDraw, normalizedSparseUniformScale];
  }
}

/** Shape of a draw: `rows × cols` (cols = 1 for a vector); rows are normalised by the normalized initializer. */
export interface DrawShape {
  readonly rows: number;
  readonly cols: number;
}

/**
 * A one-step plan fragment that draws an initializer into `outputs.value` on a device. Run it for
 * one step (with the plan's seed) and read the buffer back.
 */
export function initializerFragment(
  config: SparkConfigValues,
  shape: DrawShape,
  prefix: string,
  dt = 1,
): Fragment {
  const name = initializerName(config);
  const size = shape.rows * shape.cols;
  if (name !== 'normalized_sparse_uniform_initializer') {
    const def = initializerDefinitions(name)[0] as ModuleDefinition;
    const f = moduleFragment(def, { prefix, size, dt, params: paramsFromConfig(def, config) });
    return f;
  }
  const draw = moduleFragment(normalizedSparseUniformDraw, {
    prefix: `${prefix}.draw`,
    size,
    dt,
    params: paramsFromConfig(normalizedSparseUniformDraw, config),
  });
  const ones = f32Buffer(`${prefix}.ones`, [shape.cols], 1);
  const rowSum = f32Buffer(`${prefix}.row_sum`, [shape.rows]);
  const scale = moduleFragment(normalizedSparseUniformScale, {
    prefix,
    size,
    nPre: shape.cols,
    dt,
    params: paramsFromConfig(normalizedSparseUniformScale, config),
    bind: { raw: draw.outputs.value as string, row_sum: rowSum.name },
  });
  const sum = {
    op: 'dense.sync',
    name: `${prefix}.row_sum`,
    bindings: { weights: draw.outputs.value as string, spikes: ones.name, out: rowSum.name },
    attrs: { post: shape.rows, pre: shape.cols },
  };
  return mergeFragments(
    [draw, { buffers: [ones, rowSum], ops: [sum], inputs: {}, outputs: {}, state: {} }, scale],
    { inputs: {}, outputs: { value: scale.outputs.value as string }, state: {} },
  );
}

function runOnce(
  def: ModuleDefinition,
  size: number,
  nPre: number,
  params: SparkConfigValues,
  seed: number | bigint,
  inputs: Record<string, ArrayLike<number>> = {},
): Float64Array {
  // The interpreter's semantics, compiled (same bits): a kernel of half a million synapses is drawn
  // in milliseconds.
  const value = new Float64Array(size);
  evaluatorOf(compileDefinition(def).def)({
    size,
    ...(nPre !== 1 ? { nPre } : {}),
    params: paramsFromConfig(def, params),
    state: {},
    inputs,
    outputs: { value },
    step: 0,
    dt: 1,
    seed,
    streamBase: 0,
  });
  return value;
}

/** Draws an initializer on the host (equation interpreter), rounded to float32. */
export function drawInitializer(
  config: SparkConfigValues,
  shape: DrawShape,
  seed: number | bigint,
): Float32Array {
  const name = initializerName(config);
  const size = shape.rows * shape.cols;
  if (name !== 'normalized_sparse_uniform_initializer')
    return Float32Array.from(
      runOnce(initializerDefinitions(name)[0] as ModuleDefinition, size, 1, config, seed),
    );
  const raw = Float32Array.from(runOnce(normalizedSparseUniformDraw, size, 1, config, seed));
  const rowSum = new Float64Array(shape.rows);
  for (let i = 0; i < shape.rows; i++)
    for (let j = 0; j < shape.cols; j++)
      rowSum[i] = (rowSum[i] as number) + (raw[i * shape.cols + j] as number);
  void normalizeRows;
  return Float32Array.from(
    runOnce(normalizedSparseUniformScale, size, shape.cols, config, seed, { raw, row_sum: rowSum }),
  );
}
