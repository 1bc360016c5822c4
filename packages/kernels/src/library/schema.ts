/**
 * The config schemas the library's definitions bind to: every built-in definition names its
 * parameters and takes their defaults, units, validators and descriptions from its module's entry
 * in `@spark-snn/config`'s registry (architecture §3: parameters are declared once, there).
 *
 * @module
 */

import { defaultRegistry, type Registry } from '@spark-snn/config';
import type { ParamSchema } from '../lang/schema.ts';

/** The config schema of the registered module `name` (throws when the registry lacks it). */
export function configSchema(name: string, registry: Registry = defaultRegistry): ParamSchema {
  const spec = registry.get(name);
  if (spec === undefined)
    throw new RangeError(
      `no config schema "${name}" in the @spark-snn/config registry: register the module's fields there first`,
    );
  return { module: name, fields: spec.fields };
}
