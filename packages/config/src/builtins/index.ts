/**
 * Definitions of every built-in Spark module, initializer and controller config
 * (spark-reference §1.4.2, §2), with Spark's registry names, field order, defaults, units and
 * validators: one file per module family. This is the only place a module's fields, defaults,
 * units, validators and ports are written; every other package derives them from the registry.
 *
 * @module
 */
import type { ModuleDefinition } from '../registry.ts';
import { BENCHMARK_SOMAS } from './benchmark-somas.ts';
import { CONTROLLERS, NEURONS } from './controllers.ts';
import { DELAYS } from './delays.ts';
import { INITIALIZERS } from './initializers.ts';
import { INTERFACES } from './interfaces.ts';
import { PLASTICITY } from './plasticity.ts';
import { SOMAS } from './somas.ts';
import { SYNAPSES } from './synapses.ts';

export {
  DEFAULT_FIELDS,
  DT_FIELD,
  DTYPE_FIELD,
  INITIALIZER_DTYPES,
  MODULE_DTYPES,
  randomSeed,
  SEED_FIELD,
} from './common.ts';
export {
  BRAIN_FIELDS,
  defaultBody,
  MODULES_SPECS_FIELD,
  NEURON_BASE_PROPERTIES,
  NEURON_FIELDS,
} from './controllers.ts';
export { initializerDefault } from './initializers.ts';

/** Every built-in definition, in registration order. */
export const BUILTIN_DEFINITIONS: readonly ModuleDefinition[] = [
  ...CONTROLLERS,
  ...INTERFACES,
  ...DELAYS,
  ...SYNAPSES,
  ...SOMAS,
  ...BENCHMARK_SOMAS,
  ...PLASTICITY,
  ...NEURONS,
  ...INITIALIZERS,
];
