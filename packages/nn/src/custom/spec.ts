/**
 * What a custom module is: its declaration (as a user writes it and as a model file stores it), the
 * error that names a problem in one, and the naming rules both share.
 *
 * @module
 */
import type { ModuleDefinition } from '@spark-snn/kernels/lang';

/** What kind of module a custom definition is; it fixes the port conventions. */
export type CustomModuleKind = 'soma' | 'synapses' | 'plasticity' | 'interface' | 'generic';

/** A custom module as declared by a user (and as stored in a model file). */
export interface CustomModuleSpec {
  /** Registry name (snake_case), e.g. `quadratic_soma`. */
  readonly name: string;
  /** Class name for code and menus (default: PascalCase of the name). */
  readonly className?: string;
  readonly kind: CustomModuleKind;
  /** The equations: a definition (AST) or its text form. */
  readonly definition: ModuleDefinition | string;
  /** Description shown in the inspector and docs. */
  readonly docs?: string;
  /**
   * What the module means on hardware / in NIR (Rockpool's `as_graph`): for a soma, which of its
   * parameters play the roles of a leaky integrate-and-fire neuron's. Without it, `asGraph` reports
   * the module as inexpressible.
   */
  readonly asGraph?: GraphMapping;
}

/**
 * A custom soma's hardware meaning: a leaky integrate-and-fire neuron whose membrane time constant,
 * threshold, rest, reset and resistance are the named parameters (names of the definition's params).
 */
export interface GraphMapping {
  readonly model: 'leaky';
  readonly tau: string;
  readonly threshold: string;
  readonly rest?: string;
  readonly reset?: string;
  readonly resistance?: string;
}

/** A custom module as stored in a model file (`__metadata__.spark_snn_modules`). */
export interface StoredModule {
  readonly name: string;
  readonly className: string;
  readonly kind: CustomModuleKind;
  readonly docs: string;
  readonly definition: ModuleDefinition;
  readonly asGraph?: GraphMapping;
}

/** Error for an invalid custom module, with the path of the problem. */
export class CustomModuleError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'CustomModuleError';
    this.path = path;
  }
}

/** A valid registry name: snake_case, at most 64 characters. */
export const NAME_RE = /^[a-z][a-z0-9_]{0,63}$/;
/** Names a definition may not use (prototype keys). */
export const FORBIDDEN: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
]);

/** PascalCase of a snake_case name (`quadratic_soma` → `QuadraticSoma`). */
export function pascal(name: string): string {
  return name.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}
