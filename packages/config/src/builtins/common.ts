/**
 * What every built-in definition shares: the dtypes, the `seed`/`dtype`/`dt` fields of Spark's
 * `DefaultSparkConfig`, and the port constructor.
 *
 * Field order matters: it is Spark's dataclass definition order, which is the key order of `.scfg`
 * files (`seed`, `dtype`, `dt` first, then the parent class's fields, then the class's own).
 *
 * @module
 */
import type { DType } from '@spark-snn/core';
import { type FieldSpec, floatField } from '../fields.ts';
import type { PortDef } from '../registry.ts';

/** dtype names Spark modules may run in (a subset of `@spark-snn/core`'s `DTYPES`). */
export const MODULE_DTYPES = ['float16', 'float32'] as const satisfies readonly DType[];
/**
 * dtype names Spark initializers accept. `uint16`, `int8` and `int16` have no `@spark-snn/core`
 * storage type; the kernels package widens them.
 */
export const INITIALIZER_DTYPES = [
  'uint8',
  'uint16',
  'uint32',
  'int8',
  'int16',
  'int32',
  'float16',
  'float32',
] as const;

/** A random 32-bit seed (Spark draws one from `os.urandom` when none is given). */
export function randomSeed(): number {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
  if (c?.getRandomValues) return c.getRandomValues(new Uint32Array(1))[0]!;
  return Math.floor(Math.random() * 2 ** 32);
}

/** `seed` field (random default). */
export const SEED_FIELD: FieldSpec = {
  name: 'seed',
  kind: 'int',
  sparkType: 'int',
  description: "Seed of the module's random number generator (random when not given).",
  defaultFactory: randomSeed,
  editor: { widget: 'integer', advanced: true },
};

/** `dtype` field of modules. */
export const DTYPE_FIELD: FieldSpec = {
  name: 'dtype',
  kind: 'dtype',
  sparkType: 'dtype',
  description: "State precision: float32 (spark-snn's default) or float16 storage (Spark's default).",
  default: 'float32',
  options: MODULE_DTYPES,
  editor: { widget: 'select', linkable: true },
};

/** `dt` field. */
export const DT_FIELD: FieldSpec = floatField('dt', 1.0, 'Integration time step.', {
  units: 'ms',
  validators: ['positive'],
  editor: { widget: 'number', linkable: true, step: 0.1 },
});

/** Fields of Spark's `DefaultSparkConfig`, in order. */
export const DEFAULT_FIELDS: readonly FieldSpec[] = [SEED_FIELD, DTYPE_FIELD, DT_FIELD];

/** A port of a built-in module (mandatory unless `extra` says otherwise). */
export const p = (name: string, payload: PortDef['payload'], extra: Partial<PortDef> = {}): PortDef => ({
  name,
  payload,
  optional: false,
  ...extra,
});

/** No ports (initializers). */
export const NO_PORTS = { inputs: [], outputs: [], properties: [] };
