/**
 * Initializer configs (spark-reference §2.8): constant, uniform, sparse uniform and normalized sparse
 * uniform, with their dtype, scale and clip bounds.
 *
 * @module
 */

import { type FieldSpec, floatField } from '../fields.ts';
import type { ModuleDefinition } from '../registry.ts';
import type { TypedConfigValue } from '../types.ts';
import { DTYPE_FIELD, INITIALIZER_DTYPES, NO_PORTS } from './common.ts';

function initializerFields(classRef: string, extra: FieldSpec[]): FieldSpec[] {
  return [
    {
      ...DTYPE_FIELD,
      options: INITIALIZER_DTYPES,
      description: 'dtype of the generated array (the using module overrides it).',
    },
    floatField('scale', 1, 'Scale of the generated values.', { intDefault: true }),
    floatField('min_value', undefined, 'Lower clip bound (none when null).', {
      nullable: true,
      default: null,
    }),
    floatField('max_value', undefined, 'Upper clip bound (none when null).', {
      nullable: true,
      default: null,
    }),
    {
      name: '__class_ref__',
      kind: 'str',
      sparkType: 'str',
      description: 'Spark class of the initializer.',
      default: classRef,
      editor: { widget: 'hidden' },
    },
    ...extra,
  ];
}

const density = floatField('density', 0.2, 'Fraction of non-zero entries.', { validators: ['zero_one'] });

export const INITIALIZERS: ModuleDefinition[] = [
  {
    name: 'constant_initializer',
    className: 'ConstantInitializer',
    kind: 'initializer',
    ports: NO_PORTS,
    fields: initializerFields('ConstantInitializer', []),
    docs: 'Every entry equals `scale`.',
  },
  {
    name: 'uniform_initializer',
    className: 'UniformInitializer',
    kind: 'initializer',
    ports: NO_PORTS,
    fields: initializerFields('UniformInitializer', []),
    docs: '`clip(scale * U[0, 1), min_value, max_value)`.',
  },
  {
    name: 'sparse_uniform_initializer',
    className: 'SparseUniformInitializer',
    kind: 'initializer',
    ports: NO_PORTS,
    fields: initializerFields('SparseUniformInitializer', [density]),
    docs: "`scale * U * [U' < density]`, then clip (zeros stay zero even if `min_value > 0`). Dense storage.",
  },
  {
    name: 'normalized_sparse_uniform_initializer',
    className: 'NormalizedSparseUniformInitializer',
    kind: 'initializer',
    ports: NO_PORTS,
    fields: initializerFields('NormalizedSparseUniformInitializer', [
      density,
      {
        name: 'norm_axes',
        kind: 'int_tuple',
        sparkType: 'tuple[int, ...]',
        description: 'Axes kept when normalising: each index along them sums to 1 over the other axes.',
        default: [0],
        editor: { widget: 'tuple' },
      },
    ]),
    docs: 'Sparse uniform values divided by their sum over all non-`norm_axes` axes, then scaled and clipped. Needs >= 2-D and a float dtype.',
  },
];

/** A fresh initializer config value with its defaults, e.g. `initializerDefault('uniform_initializer')`. */
export function initializerDefault(name: string, overrides: Record<string, unknown> = {}): TypedConfigValue {
  const def = INITIALIZERS.find((d) => d.name === name);
  if (!def) throw new Error(`unknown initializer ${name}`);
  const out: TypedConfigValue = {
    __type__: `${name}_config`,
    __metadata__: {},
    __graph_editor_metadata__: {},
  };
  for (const f of def.fields)
    out[f.name] = f.name in overrides ? overrides[f.name] : structuredClone(f.default);
  return out;
}
