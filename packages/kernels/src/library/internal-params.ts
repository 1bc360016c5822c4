/**
 * Internal parameters the library's definitions share (declared completely, not config fields).
 *
 * @module
 */

import type { Ex, ModuleBuilder } from '../lang/builder.ts';

/**
 * The internal parameter `_ms` = 1 ms, which gives `dt` (a plain number of milliseconds where the
 * rule wants one) its unit back or takes it away; `doc` says what it is for in the definition.
 */
export function msParam(m: ModuleBuilder, doc: string): Ex {
  return m.param('_ms', { default: 1, unit: 'ms', validators: ['positive'], doc, internal: true });
}
