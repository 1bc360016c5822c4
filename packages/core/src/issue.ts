/**
 * Problems are values: every package that checks something (config validation, equation
 * definitions, graph readers and rules, the editor, the CLI) reports an {@link Issue} with a path,
 * so one formatter, one filter and one UI serve them all.
 *
 * @module
 */

/** How bad a problem is. `error` means the input cannot be used as it is. */
export type IssueSeverity = 'error' | 'warning' | 'info';

/**
 * One problem found in a user's input, with where it is.
 *
 * `path` names the place in the input the way its package does (`modules_specs[2].config.soma.potential_tau`
 * in a config, `body[2].value.left` in an equation definition, `lif1.tau` in a graph); it is empty when
 * the problem concerns the input as a whole. `code` is a stable machine-readable name (each package
 * narrows it to its own union).
 */
export interface Issue<Code extends string = string> {
  /** Where the problem is (empty for the whole input). */
  readonly path: string;
  /** Stable machine-readable name of the problem. */
  readonly code: Code;
  /** Human-readable description. */
  readonly message: string;
  /** How bad it is. */
  readonly severity: IssueSeverity;
  /** A suggestion how to fix it. */
  readonly hint?: string;
}

/** True when any issue is an error (warnings and notes alone do not count). */
export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
