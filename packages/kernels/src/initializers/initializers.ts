/**
 * Spark's initializers as equation definitions, drawn from the counter-based RNG (Philox4x32-10;
 * element e reads word e & 3 of block [e >>> 2, step 0, stream, 0], key = the seed), so the same
 * values come out on every backend and on the host:
 * ```
 * constant_initializer:                value = clip(scale, min_value, max_value)
 * uniform_initializer:                 value = clip(scale·U, min_value, max_value)
 * sparse_uniform_initializer:          value = U' < density ? clip(scale·U, min_value, max_value) : 0
 * normalized_sparse_uniform_initializer:
 *   raw    = U' < density ? U : 0
 *   value  = clip(scale·raw_ij / Σ_k raw_ik, min_value, max_value)   (rows with a zero sum stay 0)
 * ```
 * `min_value`/`max_value` = None are ±FLT_MAX. The row sum of the normalized initializer is a
 * reduction the language lacks: on a device it is the dense op with a vector of ones (see
 * {@link initializerFragment}); on the host it is {@link normalizeRows}. Only the normalisation of
 * a 2-D `[post][pre]` kernel over its presynaptic axis (`norm_axes` = the postsynaptic axes, as
 * synapses pass it) is supported.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { clamp, defineModule, select, uniform } from '../lang/builder.ts';
import { configSchema } from '../library/schema.ts';

/** ±FLT_MAX, standing for Spark's `None` bounds. */
export const FLT_MAX = 3.4028234663852886e38;

function bounds(m: Parameters<Parameters<typeof defineModule>[1]>[0]) {
  return {
    scale: m.param('scale'),
    // The schema's default is None (no bound): the definition says what it stands for.
    lo: m.param('min_value', { default: -FLT_MAX }),
    hi: m.param('max_value', { default: FLT_MAX }),
  };
}

/** `constant_initializer`. */
export const constantInitializer: ModuleDefinition = defineModule(
  'constant_initializer',
  (m) => {
    const b = bounds(m);
    const value = m.output('value', { payload: 'FloatArray' });
    m.assign(value, clamp(b.scale, b.lo, b.hi));
  },
  {
    schema: configSchema('constant_initializer'),
    domain: 'unit',
    doc: "Spark's ConstantInitializer: every entry is `scale` (clipped).",
  },
);

/** `uniform_initializer`. */
export const uniformInitializer: ModuleDefinition = defineModule(
  'uniform_initializer',
  (m) => {
    const b = bounds(m);
    const value = m.output('value', { payload: 'FloatArray' });
    m.assign(value, clamp(b.scale.mul(uniform()), b.lo, b.hi));
  },
  {
    schema: configSchema('uniform_initializer'),
    domain: 'unit',
    doc: "Spark's UniformInitializer: clip(scale·U[0,1), min, max).",
  },
);

/** `sparse_uniform_initializer`. */
export const sparseUniformInitializer: ModuleDefinition = defineModule(
  'sparse_uniform_initializer',
  (m) => {
    const b = bounds(m);
    const density = m.param('density');
    const value = m.output('value', { payload: 'FloatArray' });
    const u = m.let_('u', uniform());
    const keep = m.let_('keep', uniform().lt(density));
    m.assign(value, select(keep, clamp(b.scale.mul(u), b.lo, b.hi), 0));
  },
  {
    schema: configSchema('sparse_uniform_initializer'),
    domain: 'unit',
    doc: "Spark's SparseUniformInitializer: sparse uniform draws (zeros stay zero).",
  },
);

/** First pass of `normalized_sparse_uniform_initializer`: the sparse raw draw. */
export const normalizedSparseUniformDraw: ModuleDefinition = defineModule(
  'normalized_sparse_uniform_initializer',
  (m) => {
    const density = m.param('density');
    const raw = m.output('value', { payload: 'FloatArray' });
    const u = m.let_('u', uniform());
    m.assign(raw, select(uniform().lt(density), u, 0));
  },
  {
    schema: configSchema('normalized_sparse_uniform_initializer'),
    domain: 'unit',
    doc: 'NormalizedSparseUniformInitializer, pass 1: raw = U′ < density ? U : 0.',
  },
);

/** Second pass of `normalized_sparse_uniform_initializer`: scale by the row sum and clip. */
export const normalizedSparseUniformScale: ModuleDefinition = defineModule(
  'normalized_sparse_uniform_scale',
  (m) => {
    const b = bounds(m);
    const raw = m.input('raw', { payload: 'FloatArray', extent: 'synapse' });
    const rowSum = m.input('row_sum', { payload: 'FloatArray', extent: 'unit' });
    const value = m.output('value', { payload: 'FloatArray' });
    m.assign(
      value,
      select(rowSum.ne(0), clamp(b.scale.mul(raw).div(select(rowSum.ne(0), rowSum, 1)), b.lo, b.hi), 0),
    );
  },
  {
    schema: configSchema('normalized_sparse_uniform_initializer'),
    domain: 'synapse',
    doc: 'NormalizedSparseUniformInitializer, pass 2: value = clip(scale·raw / row sum).',
  },
);

/** Host form of the row normalisation (rows with a zero sum are left alone). */
export function normalizeRows(raw: ArrayLike<number>, post: number, pre: number): Float64Array {
  const out = new Float64Array(post * pre);
  for (let i = 0; i < post; i++) {
    let s = 0;
    for (let j = 0; j < pre; j++) s += raw[i * pre + j] as number;
    for (let j = 0; j < pre; j++) out[i * pre + j] = s === 0 ? 0 : (raw[i * pre + j] as number) / s;
  }
  return out;
}
