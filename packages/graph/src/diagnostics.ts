/**
 * Diagnostics are values, never exceptions: every check in this package returns a list of them.
 *
 * @module
 */

import type { Issue, IssueSeverity } from '@spark-snn/core';

export { hasErrors } from '@spark-snn/core';

/** How bad a finding is (`@spark-snn/core`'s {@link IssueSeverity}). `error` means the result cannot be used as is. */
export type Severity = IssueSeverity;

/**
 * One finding of a check, type inference, reader, DRC rule or mapper step: `@spark-snn/core`'s
 * {@link Issue} (`code` e.g. `nir.type-mismatch` or the Rockpool DRC rule name; `path` the node or
 * module path, e.g. `lif1.tau` or `G.B`, empty for the whole graph), with the hardware-graph modules
 * it is about.
 */
export interface Diagnostic extends Issue {
  /** Hardware-graph modules involved (ids), when the finding is about a hardware graph. */
  readonly modules?: readonly string[];
}

/** Builds a diagnostic, leaving out an undefined hint. */
export function diag(
  severity: Severity,
  code: string,
  path: string,
  message: string,
  extra: { hint?: string | undefined; modules?: readonly string[] | undefined } = {},
): Diagnostic {
  const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = { severity, code, path, message };
  if (extra.hint !== undefined) d.hint = extra.hint;
  if (extra.modules !== undefined) d.modules = extra.modules;
  return d;
}

/** Formats a diagnostic as one line: `error nir.type-mismatch at lif1: …`. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.severity} ${d.code}${d.path ? ` at ${d.path}` : ''}: ${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`;
}

/** Error thrown by graph operations used incorrectly (arity mismatches, unknown ids); carries a diagnostic. */
export class GraphError extends Error {
  /** The diagnostic describing the failure. */
  readonly diagnostic: Diagnostic;
  constructor(diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = 'GraphError';
    this.diagnostic = diagnostic;
  }
}

/**
 * Groups diagnostics by the first segment of their path (the node or module name), so an editor
 * can badge nodes; diagnostics without a path are grouped under `''`.
 */
export function diagnosticsByNode(diagnostics: readonly Diagnostic[]): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const key = d.path.split(/[.[]/)[0] ?? '';
    let list = out.get(key);
    if (!list) {
      list = [];
      out.set(key, list);
    }
    list.push(d);
  }
  return out;
}
