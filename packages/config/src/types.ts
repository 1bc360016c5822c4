/**
 * The in-memory shapes of Spark configuration values.
 *
 * They mirror Spark's `.scfg` grammar (spark-reference §3.3) with the JSON wrappers removed:
 * `{"__type__": "dtype", "name": "float16"}` becomes the string `'float16'`, `port_map` /
 * `module_specs` / `port_specs` objects lose their `__data__` envelope, arrays keep Spark's
 * `jax_array` / `numpy_array` tag with flat row-major data, and a nested typed config (an
 * initializer) is an object tagged with its Spark `CONFIG` registry name in `__type__`.
 *
 * @module
 */

/** Any JSON value (used for free-form blocks such as `__graph_editor_metadata__`). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

import type { Issue, PayloadType } from '@spark-snn/core';

/**
 * Payload type names and their Spark registry names come from `@spark-snn/core` (Spark's class
 * names; `AnyPayload` is Spark's abstract `SparkPayload`, used by the control interfaces `concat`,
 * `concat_reshape`, `sampler`).
 */
export {
  type ConcretePayloadType,
  hasErrors,
  PAYLOAD_REGISTRY_NAMES,
  type PayloadType,
  payloadFromRegistryName,
} from '@spark-snn/core';

/** A dense array value, as Spark serialises `jax.Array` / `numpy.ndarray` values. */
export interface SparkArray {
  /** Which Spark encoding the array came from (kept so files round-trip). */
  readonly __type__: 'jax_array' | 'numpy_array';
  /** NumPy dtype name (`float16`, `int32`, `uint8`, `bool`, …). */
  dtype: string;
  /** Shape; `[]` is a 0-d scalar array. */
  shape: number[];
  /** Row-major element values (booleans as 0/1). Length = product of `shape`. */
  data: number[];
}

/** Nested lists of numbers (a plain JSON array given for an `Array` field). */
export type NumberList = Array<number | NumberList>;

/** `PortMap(origin, port, is_property)`: "take `port` of module `origin`". */
export interface PortMap {
  /** A module name, or `'__call__'` (controller input) / `'__self__'` (controller property). */
  origin: string;
  port: string;
  is_property: boolean;
}

/** `PortSpecs`: a port's payload type, shape and dtype (all may be unknown). */
export interface PortSpecs {
  payload_type: PayloadType | null;
  shape: number[] | null;
  dtype: string | null;
  description: string | null;
}

/** Which Spark sub-registry a module class lives in. */
export type Subregistry = 'MODULES' | 'NEURONS';

/** `ModuleSpecs`: the blueprint of one child module of a controller. */
export interface ModuleSpecs {
  name: string;
  /** Registry name of the module class (`leaky_soma`, `alif_neuron`, `alif_mod_neuron`, …). */
  module_cls: { name: string; subregistry: Subregistry };
  /** Input port → sources (several sources are flattened and concatenated in order). */
  inputs: Record<string, PortMap[]>;
  /** The module's config body (class implied by `module_cls`). */
  config: ConfigBody;
  /** Controller output name → this module's output (or property) port. */
  outputs: Record<string, string>;
  /** Settable property port → sources written into it after the step (first one used). */
  effects: Record<string, PortMap[]>;
}

/**
 * A nested typed config (Spark's `TypedConfig` inside a field, e.g. a kernel initializer):
 * `__type__` is the Spark `CONFIG` registry name (`sparse_uniform_initializer_config`).
 */
export interface TypedConfigValue extends ConfigBody {
  __type__: string;
}

/** Any value a config field can hold. */
export type ConfigValue =
  | null
  | boolean
  | number
  | string
  | SparkArray
  | TypedConfigValue
  | ModuleSpecs[]
  | NumberList
  | JsonValue;

/**
 * The body of one config (Spark's `ConfigBody`): its fields by name, plus the two free metadata
 * blocks. The reserved delimiters `__config_delimiter__` (`"__"`) and
 * `__shared_config_delimiter__` (`"_s_"`) are implied and re-written on save.
 */
export interface ConfigBody {
  __metadata__?: JsonObject;
  __graph_editor_metadata__?: JsonObject;
  [field: string]: unknown;
}

/** Severity of a {@link ConfigIssue}: config reports errors and warnings (no notes). */
export type IssueSeverity = 'error' | 'warning';

/** Machine-readable kind of a {@link ConfigIssue}. */
export type IssueCode =
  | 'file'
  | 'json'
  | 'encoding'
  | 'unknown_key'
  | 'unknown_module'
  | 'unknown_config_type'
  | 'invalid_type'
  | 'invalid_value'
  | 'required'
  | 'missing_input'
  | 'unknown_input'
  | 'unknown_origin'
  | 'unknown_port'
  | 'property_mismatch'
  | 'payload_mismatch'
  | 'duplicate_name'
  | 'duplicate_output'
  | 'output_is_property'
  | 'cycle'
  | 'no_input'
  | 'no_output'
  | 'disconnected'
  | 'unreachable'
  | 'shape_mismatch'
  | 'effect'
  | 'float16_noop'
  | 'float16_underflow'
  | 'decay_limit'
  | 'out_of_range'
  | 'resources'
  | 'unsafe_key';

/**
 * One problem found while reading or validating a config: `@spark-snn/core`'s {@link Issue} with
 * config's codes and severities. Errors are values: nothing in this package throws on bad input.
 *
 * `path` follows the spark-snn convention: fields by name joined with `.`, list items by index,
 * top-level modules as `modules_specs[i]`, modules inside a neuron by their spec name, e.g.
 * `modules_specs[2].config.soma.potential_tau` or `modules_specs[1].inputs.in_spikes[0].origin`.
 */
export interface ConfigIssue extends Issue<IssueCode> {
  readonly severity: IssueSeverity;
}

/** Where a config came from, which decides how the documented upstream quirks are treated. */
export type Provenance = 'spark' | 'spark-snn';

/**
 * Behaviour for the documented Spark quirks (spark-reference §7): `'spark'` reproduces upstream
 * (files without a spark-snn marker), `'corrected'` applies spark-snn's fixes.
 */
export type Behaviour = 'spark' | 'corrected';

/** One line per issue: `error modules_specs[2].config.soma.potential_tau: must be > 0 (hint)`. */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues
    .map((i) => `${i.severity} ${i.path || '(file)'}: ${i.message}${i.hint ? ` (${i.hint})` : ''}`)
    .join('\n');
}
