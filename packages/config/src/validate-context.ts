/**
 * What every validation pass shares: the issue collector, path joining and the names JavaScript
 * objects reserve.
 *
 * @module
 */
import type { Registry } from './registry.ts';
import type { Behaviour, ConfigIssue, IssueCode } from './types.ts';

/** State of one validation run. */
export interface Ctx {
  readonly registry: Registry;
  readonly behaviour: Behaviour;
  readonly issues: ConfigIssue[];
  /**
   * The top-level config is a neuron template (a `neuron_config` file such as Spark's
   * `alif_mod_neuron.scfg`): its `units` are `[]` until a brain instantiates it.
   */
  readonly template: boolean;
}

/** Keys every config body may carry besides its fields. */
export const RESERVED = new Set([
  '__config_delimiter__',
  '__shared_config_delimiter__',
  '__metadata__',
  '__graph_editor_metadata__',
]);

/** True for a plain (non-array) object. */
export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `a.b`, `a[3]`. */
export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** Records an issue. */
export function add(
  ctx: Ctx,
  path: string,
  code: IssueCode,
  message: string,
  hint?: string,
  severity: 'error' | 'warning' = 'error',
): void {
  ctx.issues.push({ path, message, severity, code, ...(hint ? { hint } : {}) });
}

/**
 * True when `name` cannot be a key of a plain JavaScript object: `__proto__` and the members of
 * `Object.prototype` (`constructor`, `toString`, …). Module, port, input and output names become
 * object keys in every consumer (`inputs[name]`), where such a name reads or replaces the
 * prototype instead of an entry.
 */
export function isUnsafeName(name: string): boolean {
  return name === '__proto__' || name in Object.prototype;
}

/** Reports `name` when it is {@link isUnsafeName}; returns true when it did. */
export function checkName(ctx: Ctx, path: string, name: string, what: string): boolean {
  if (!isUnsafeName(name)) return false;
  add(
    ctx,
    path,
    'unsafe_key',
    `"${name}" cannot be used as ${what}: JavaScript objects reserve it`,
    'choose another name',
  );
  return true;
}
