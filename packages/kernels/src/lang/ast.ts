/**
 * The equation language: plain-data definitions of per-element dynamics.
 *
 * A {@link ModuleDefinition} declares parameters, state variables, inputs and outputs, and a body
 * of statements executed once per element and step. It is JSON-serialisable data (build it with
 * the builder in `builder.ts` or parse it from text with `parser.ts`); it is never evaluated with
 * `eval`. Validate it with `checkDefinition` before use.
 *
 * @module
 */

import type { PayloadType } from '@spark-snn/core';

/** Scalar value types of the language (WGSL's `f32`, `i32`, `u32`, `bool`). */
export type ScalarType = 'f32' | 'i32' | 'u32' | 'bool';

/** Numeric types a parameter, state variable or port may have. */
export type NumericType = 'f32' | 'i32' | 'u32';

/** The element space a definition runs over: one invocation per unit, or per synapse (post × pre). */
export type Domain = 'unit' | 'synapse';

/**
 * How many values a parameter or input has: one (`scalar`), one per postsynaptic unit (`unit`),
 * one per synapse (`synapse`, only in the synapse domain) or one per presynaptic unit (`pre`,
 * only in the synapse domain).
 */
export type Extent = 'scalar' | 'unit' | 'synapse' | 'pre';

/** Constraints on a parameter's value, checked when a module is instantiated. */
export type Validator =
  | 'positive'
  | 'nonnegative'
  | 'negative'
  | 'nonzero'
  | 'zero_one'
  | 'binary'
  | 'integer';

/** Every validator name. */
export const VALIDATORS: readonly Validator[] = [
  'positive',
  'nonnegative',
  'negative',
  'nonzero',
  'zero_one',
  'binary',
  'integer',
];

/** Storage element type of a state variable or port buffer. */
export type StorageType = 'float32' | 'float16' | 'int32' | 'uint32';

/**
 * A parameter: a constant of the module, given when the module is instantiated.
 *
 * A definition of a registered module names its parameters (with `type` and `extent`) and leaves
 * `default`, `unit`, `validators` and `doc` to the module's config schema: `bindSchema` (`schema.ts`)
 * fills them in, and `checkDefinition` rejects a parameter without a default. `internal` parameters
 * are not config fields (values the library's builder computes) and are declared completely.
 */
export interface ParamDecl {
  readonly name: string;
  readonly type: NumericType;
  /** Default `scalar`. `unit`/`synapse`/`pre` parameters accept a scalar (broadcast) or an array. */
  readonly extent?: Extent;
  /** Value used when the instantiation gives none (from the config schema once bound). */
  readonly default?: number;
  /** Not a config field: computed by the library's builder (declared completely in the definition). */
  readonly internal?: boolean;
  /** Physical unit, e.g. `"mV"`, `"ms"`, `"GOhm"`, `"pA"` (see `units.ts`); absent = unchecked. */
  readonly unit?: string;
  readonly validators?: readonly Validator[];
  readonly doc?: string;
}

/** A state variable: one value per element of the domain, kept from step to step. */
export interface StateDecl {
  readonly name: string;
  readonly type: NumericType;
  /** Initial value: an expression over parameters, `dt` and constants (default 0). */
  readonly init?: Expr;
  readonly unit?: string;
  /** Storage type (default from `type`; `float16` stores f32 values rounded to half precision). */
  readonly storage?: StorageType;
  readonly doc?: string;
}

/** An input port. */
export interface InputDecl {
  readonly name: string;
  /** Payload type of the port (Spark's names, e.g. `CurrentArray`). */
  readonly payload: PayloadType;
  readonly type: NumericType;
  /** Default `unit` in the unit domain and `synapse` in the synapse domain. */
  readonly extent?: Extent;
  readonly unit?: string;
  readonly storage?: StorageType;
  readonly doc?: string;
}

/** An output port: one value per element, assigned by the body every step. */
export interface OutputDecl {
  readonly name: string;
  readonly payload: PayloadType;
  readonly type: NumericType;
  readonly unit?: string;
  readonly storage?: StorageType;
  readonly doc?: string;
}

/** Binary operators. */
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||';

/** Unary operators. */
export type UnaryOp = '-' | '!';

/** Deterministic math functions. */
export const MATH_FUNCTIONS = [
  'exp',
  'log',
  'sqrt',
  'abs',
  'pow',
  'tanh',
  'sin',
  'cos',
  'floor',
  'ceil',
  'round',
  'min',
  'max',
  'clamp',
  'sign',
] as const;

/** Conversions between scalar types (`f32(b)` turns a bool into 0 or 1). */
export const CAST_FUNCTIONS = ['f32', 'i32', 'u32'] as const;

/**
 * Random draws from the counter-based RNG (Philox4x32-10; element e reads word e & 3 of the block of
 * counter [e >>> 2, step, stream, 0], core's `CounterRng` layout).
 * `uniform()` ∈ [0, 1), `normal()` standard normal (Box–Muller), `bernoulli(p)` = `uniform() < p`.
 */
export const RANDOM_FUNCTIONS = ['uniform', 'normal', 'bernoulli'] as const;

/** A math function name. */
export type MathFunction = (typeof MATH_FUNCTIONS)[number];
/** A cast function name. */
export type CastFunction = (typeof CAST_FUNCTIONS)[number];
/** A random-draw function name. */
export type RandomFunction = (typeof RANDOM_FUNCTIONS)[number];
/** Any callable name. */
export type FunctionName = MathFunction | CastFunction | RandomFunction;

/** An expression. */
export type Expr =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  /** A parameter, state variable, input, output, local or `dt`. */
  | { readonly kind: 'ref'; readonly name: string }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly arg: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'call'; readonly fn: FunctionName; readonly args: readonly Expr[] }
  /** `cond ? then : else` (both branches are evaluated; no side effects exist). */
  | { readonly kind: 'select'; readonly cond: Expr; readonly then: Expr; readonly else: Expr };

/** A statement of the body. */
export type Stmt =
  /** Declares an immutable local. */
  | { readonly kind: 'let'; readonly name: string; readonly value: Expr }
  /** Assigns a state variable or an output (later statements see the new value). */
  | { readonly kind: 'assign'; readonly target: string; readonly value: Expr };

/** A complete definition of a module's per-element dynamics. */
export interface ModuleDefinition {
  /** Registry name, e.g. `leaky_soma`. */
  readonly name: string;
  /** Element space (default `unit`). */
  readonly domain?: Domain;
  readonly params: readonly ParamDecl[];
  readonly state: readonly StateDecl[];
  readonly inputs: readonly InputDecl[];
  readonly outputs: readonly OutputDecl[];
  readonly body: readonly Stmt[];
  readonly doc?: string;
}

/** Identifiers: ASCII letter or `_`, then letters, digits, `_`; at most 64 characters. */
export const IDENTIFIER_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Words that cannot name a symbol (language keywords, WGSL/JS reserved words we might collide with). */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'dt',
  'let',
  'var',
  'const',
  'fn',
  'if',
  'else',
  'for',
  'while',
  'loop',
  'return',
  'true',
  'false',
  'param',
  'state',
  'input',
  'output',
  'module',
  'per',
  'function',
  'new',
  'this',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  'arguments',
  'eval',
  '__proto__',
  'constructor',
  'prototype',
  'select',
  'array',
  'struct',
  'i',
  'n',
  'f32',
  'f16',
  'i32',
  'u32',
  'bool',
  ...MATH_FUNCTIONS,
  ...RANDOM_FUNCTIONS,
]);
