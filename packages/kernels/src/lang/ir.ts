/**
 * The typed intermediate form produced by `checkDefinition`: every node carries its concrete
 * scalar type, literals are folded, symbols are resolved to their kind. Code generators and the
 * interpreter work on this form only.
 *
 * @module
 */

import type {
  BinaryOp,
  CastFunction,
  Domain,
  Extent,
  MathFunction,
  ModuleDefinition,
  NumericType,
  RandomFunction,
  ScalarType,
  StorageType,
  UnaryOp,
} from './ast.ts';

/** A typed expression. */
export type TExpr =
  | { readonly k: 'const'; readonly ty: ScalarType; readonly value: number }
  | { readonly k: 'param'; readonly ty: NumericType; readonly name: string; readonly extent: Extent }
  /** A hoisted parameter-only subexpression, precomputed on the host (see `hoist.ts`). */
  | { readonly k: 'derived'; readonly ty: NumericType; readonly id: number; readonly extent: Extent }
  | { readonly k: 'state'; readonly ty: NumericType; readonly name: string }
  | { readonly k: 'input'; readonly ty: NumericType; readonly name: string; readonly extent: Extent }
  | { readonly k: 'output'; readonly ty: NumericType; readonly name: string }
  | { readonly k: 'local'; readonly ty: ScalarType; readonly name: string }
  | { readonly k: 'dt'; readonly ty: 'f32' }
  | { readonly k: 'unary'; readonly ty: ScalarType; readonly op: UnaryOp; readonly a: TExpr }
  | {
      readonly k: 'binary';
      readonly ty: ScalarType;
      readonly op: BinaryOp;
      readonly a: TExpr;
      readonly b: TExpr;
    }
  | {
      readonly k: 'math';
      readonly ty: ScalarType;
      readonly fn: MathFunction;
      readonly args: readonly TExpr[];
    }
  | { readonly k: 'cast'; readonly ty: NumericType; readonly fn: CastFunction; readonly a: TExpr }
  | { readonly k: 'select'; readonly ty: ScalarType; readonly c: TExpr; readonly t: TExpr; readonly e: TExpr }
  /** A random draw; `site` numbers the draw sites of a definition (it selects the RNG stream). */
  | {
      readonly k: 'rand';
      readonly ty: 'f32' | 'bool';
      readonly dist: RandomFunction;
      readonly site: number;
      readonly args: readonly TExpr[];
    };

/** A typed statement. */
export type TStmt =
  | { readonly k: 'let'; readonly name: string; readonly value: TExpr }
  | { readonly k: 'set'; readonly target: string; readonly to: 'state' | 'output'; readonly value: TExpr };

/** A resolved parameter. */
export interface TParam {
  readonly name: string;
  readonly type: NumericType;
  readonly extent: Extent;
  readonly default: number;
  readonly validators: readonly string[];
  readonly unit: string | undefined;
}

/** A resolved state variable (its `init` is a parameter-only expression). */
export interface TState {
  readonly name: string;
  readonly type: NumericType;
  readonly storage: StorageType;
  readonly init: TExpr;
  readonly unit: string | undefined;
}

/** A resolved input port. */
export interface TInput {
  readonly name: string;
  readonly type: NumericType;
  readonly extent: Extent;
  readonly storage: StorageType;
  readonly payload: string;
  readonly unit: string | undefined;
}

/** A resolved output port. */
export interface TOutput {
  readonly name: string;
  readonly type: NumericType;
  readonly storage: StorageType;
  readonly payload: string;
  readonly unit: string | undefined;
}

/** A hoisted constant: a parameter-only expression, computed in float64 on the host and rounded once. */
export interface TDerived {
  readonly id: number;
  readonly ty: NumericType;
  readonly extent: Extent;
  readonly expr: TExpr;
}

/** A validated definition in typed form. */
export interface CheckedDefinition {
  readonly source: ModuleDefinition;
  readonly name: string;
  readonly domain: Domain;
  readonly params: readonly TParam[];
  readonly state: readonly TState[];
  readonly inputs: readonly TInput[];
  readonly outputs: readonly TOutput[];
  readonly body: readonly TStmt[];
  /** Number of random draw sites (RNG streams used per element and step). */
  readonly randomSites: number;
}

/** Order of extents from narrowest to widest (a derived value takes the widest extent of its parameters). */
export const EXTENT_RANK: Record<Extent, number> = { scalar: 0, pre: 1, unit: 1, synapse: 2 };

/** Storage type implied by a numeric type. */
export function defaultStorage(t: NumericType): StorageType {
  return t === 'f32' ? 'float32' : t === 'i32' ? 'int32' : 'uint32';
}

/** The sub-expressions of `e`, in evaluation order. */
export function childrenOf(e: TExpr): readonly TExpr[] {
  switch (e.k) {
    case 'unary':
    case 'cast':
      return [e.a];
    case 'binary':
      return [e.a, e.b];
    case 'math':
    case 'rand':
      return e.args;
    case 'select':
      return [e.c, e.t, e.e];
    default:
      return [];
  }
}

/** `e` with every sub-expression replaced by `f(sub-expression)` (leaves are returned as they are). */
export function mapChildren(e: TExpr, f: (x: TExpr) => TExpr): TExpr {
  switch (e.k) {
    case 'unary':
    case 'cast':
      return { ...e, a: f(e.a) };
    case 'binary':
      return { ...e, a: f(e.a), b: f(e.b) };
    case 'math':
    case 'rand':
      return { ...e, args: e.args.map(f) };
    case 'select':
      return { ...e, c: f(e.c), t: f(e.t), e: f(e.e) };
    default:
      return e;
  }
}

/** True when `e` depends only on literals, parameters and dt. */
export function isParamOnly(e: TExpr): boolean {
  switch (e.k) {
    case 'const':
    case 'param':
    case 'dt':
      return true;
    case 'unary':
    case 'cast':
      return isParamOnly(e.a);
    case 'binary':
      return isParamOnly(e.a) && isParamOnly(e.b);
    case 'math':
      return e.args.every(isParamOnly);
    case 'select':
      return isParamOnly(e.c) && isParamOnly(e.t) && isParamOnly(e.e);
    default:
      return false;
  }
}
