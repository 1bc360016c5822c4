/**
 * Every module definition of this package, by registry name.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { leakySoma } from './leaky_soma.ts';

/** Registry name → definition. */
export const definitions: Readonly<Record<string, ModuleDefinition>> = { leaky_soma: leakySoma };
