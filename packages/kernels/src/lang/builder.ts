/**
 * A TypeScript builder for {@link ModuleDefinition}s. It only assembles plain data; validation
 * happens in `checkDefinition` (called by {@link defineModule}).
 *
 * @example
 * ```ts
 * const leaky = defineModule('leaky', ({ param, state, input, output, let_, assign }) => {
 *   const tau = param('tau', { default: 20, unit: 'ms', validators: ['positive'] });
 *   const v = state('v', { unit: 'mV' });
 *   const i = input('current', { payload: 'CurrentArray', unit: 'mV' });
 *   const spikes = output('spikes', { payload: 'SpikeArray' });
 *   const d = let_('d', exp(dt.neg().div(tau)));
 *   assign(v, d.mul(v).add(lit(1).sub(d).mul(i)));
 *   const z = let_('z', v.gt(10));
 *   assign(spikes, f32(z));
 *   assign(v, select(z, 0, v));
 * });
 * ```
 *
 * @module
 */

import type { PayloadType } from '@spark-snn/core';
import type {
  BinaryOp,
  Domain,
  Expr,
  Extent,
  FunctionName,
  InputDecl,
  ModuleDefinition,
  NumericType,
  OutputDecl,
  ParamDecl,
  StateDecl,
  Stmt,
  StorageType,
  Validator,
} from './ast.ts';
import { checkDefinition } from './check.ts';
import { bindSchema, type ParamSchema } from './schema.ts';

/** Something usable as an operand: an expression, a number or a boolean. */
export type ExprLike = Ex | number | boolean;

/** Converts an operand to an expression node. */
export function toExpr(x: ExprLike): Expr {
  if (x instanceof Ex) return x.node;
  if (typeof x === 'number') return { kind: 'num', value: x };
  return { kind: 'bool', value: x };
}

/** An expression under construction (immutable). */
export class Ex {
  /** The plain-data node. */
  readonly node: Expr;
  constructor(node: Expr) {
    this.node = node;
  }
  private bin(op: BinaryOp, other: ExprLike): Ex {
    return new Ex({ kind: 'binary', op, left: this.node, right: toExpr(other) });
  }
  /** `this + o` */
  add(o: ExprLike): Ex {
    return this.bin('+', o);
  }
  /** `this - o` */
  sub(o: ExprLike): Ex {
    return this.bin('-', o);
  }
  /** `this * o` */
  mul(o: ExprLike): Ex {
    return this.bin('*', o);
  }
  /** `this / o` */
  div(o: ExprLike): Ex {
    return this.bin('/', o);
  }
  /** `this % o` */
  mod(o: ExprLike): Ex {
    return this.bin('%', o);
  }
  /** `this < o` */
  lt(o: ExprLike): Ex {
    return this.bin('<', o);
  }
  /** `this <= o` */
  le(o: ExprLike): Ex {
    return this.bin('<=', o);
  }
  /** `this > o` */
  gt(o: ExprLike): Ex {
    return this.bin('>', o);
  }
  /** `this >= o` */
  ge(o: ExprLike): Ex {
    return this.bin('>=', o);
  }
  /** `this == o` */
  eq(o: ExprLike): Ex {
    return this.bin('==', o);
  }
  /** `this != o` */
  ne(o: ExprLike): Ex {
    return this.bin('!=', o);
  }
  /** `this && o` */
  and(o: ExprLike): Ex {
    return this.bin('&&', o);
  }
  /** `this || o` */
  or(o: ExprLike): Ex {
    return this.bin('||', o);
  }
  /** `-this` */
  neg(): Ex {
    return new Ex({ kind: 'unary', op: '-', arg: this.node });
  }
  /** `!this` */
  not(): Ex {
    return new Ex({ kind: 'unary', op: '!', arg: this.node });
  }
}

/** A literal. */
export function lit(x: number | boolean): Ex {
  return new Ex(toExpr(x));
}

/** A reference to a named symbol. */
export function ref(name: string): Ex {
  return new Ex({ kind: 'ref', name });
}

/** The integration step `dt` (ms). */
export const dt: Ex = ref('dt');

function call(fn: FunctionName, ...args: ExprLike[]): Ex {
  return new Ex({ kind: 'call', fn, args: args.map(toExpr) });
}

/** `cond ? a : b` */
export function select(cond: ExprLike, a: ExprLike, b: ExprLike): Ex {
  return new Ex({ kind: 'select', cond: toExpr(cond), then: toExpr(a), else: toExpr(b) });
}
/** e^x */
export const exp = (x: ExprLike): Ex => call('exp', x);
/** Natural logarithm. */
export const log = (x: ExprLike): Ex => call('log', x);
/** Square root. */
export const sqrt = (x: ExprLike): Ex => call('sqrt', x);
/** Absolute value. */
export const abs = (x: ExprLike): Ex => call('abs', x);
/** x^y */
export const pow = (x: ExprLike, y: ExprLike): Ex => call('pow', x, y);
/** Hyperbolic tangent. */
export const tanh = (x: ExprLike): Ex => call('tanh', x);
/** Sine. */
export const sin = (x: ExprLike): Ex => call('sin', x);
/** Cosine. */
export const cos = (x: ExprLike): Ex => call('cos', x);
/** Floor. */
export const floor = (x: ExprLike): Ex => call('floor', x);
/** Ceiling. */
export const ceil = (x: ExprLike): Ex => call('ceil', x);
/** Round half to even. */
export const round = (x: ExprLike): Ex => call('round', x);
/** Minimum. */
export const min = (x: ExprLike, y: ExprLike): Ex => call('min', x, y);
/** Maximum. */
export const max = (x: ExprLike, y: ExprLike): Ex => call('max', x, y);
/** `min(max(x, lo), hi)` */
export const clamp = (x: ExprLike, lo: ExprLike, hi: ExprLike): Ex => call('clamp', x, lo, hi);
/** -1, 0 or 1. */
export const signOf = (x: ExprLike): Ex => call('sign', x);
/** Conversion to f32 (bool → 0/1). */
export const f32 = (x: ExprLike): Ex => call('f32', x);
/** Conversion to i32. */
export const i32 = (x: ExprLike): Ex => call('i32', x);
/** Conversion to u32. */
export const u32 = (x: ExprLike): Ex => call('u32', x);
/** Uniform draw in [0, 1) from the counter-based RNG. */
export const uniform = (): Ex => call('uniform');
/** Standard normal draw (Box–Muller). */
export const normal = (): Ex => call('normal');
/** True with probability p. */
export const bernoulli = (p: ExprLike): Ex => call('bernoulli', p);

/**
 * Options of a parameter. In a definition bound to a config schema ({@link DefineOptions.schema})
 * give only `type` and `extent` (and `unit` to state what the equations expect): the default, unit,
 * validators and description come from the schema. `internal` parameters (computed by the
 * library's builder, not config fields) and definitions without a schema declare everything here.
 */
export interface ParamOptions {
  /** Default value; with a schema only where the field's default is null (the value standing for null). */
  default?: number;
  type?: NumericType;
  extent?: Extent;
  unit?: string;
  validators?: readonly Validator[];
  doc?: string;
  /** Not a config field: a value the library's builder computes. */
  internal?: boolean;
}

/** Options of a state variable. */
export interface StateOptions {
  type?: NumericType;
  init?: ExprLike;
  unit?: string;
  storage?: StorageType;
  doc?: string;
}

/** Options of an input port. */
export interface InputOptions {
  payload: PayloadType;
  type?: NumericType;
  extent?: Extent;
  unit?: string;
  storage?: StorageType;
  doc?: string;
}

/** Options of an output port. */
export interface OutputOptions {
  payload: PayloadType;
  type?: NumericType;
  unit?: string;
  storage?: StorageType;
  doc?: string;
}

/** Parameter declarations taken from elsewhere (e.g. a config schema in the registry). */
export type ParamSource = readonly ParamDecl[];

/** The functions handed to the body of {@link defineModule}. */
export interface ModuleBuilder {
  /** Declares a parameter and returns a reference to it. */
  param(name: string, options?: ParamOptions): Ex;
  /** Declares a state variable. */
  state(name: string, options?: StateOptions): Ex;
  /** Declares an input port. */
  input(name: string, options: InputOptions): Ex;
  /** Declares an output port (assign it before reading it). */
  output(name: string, options: OutputOptions): Ex;
  /** Declares an immutable local. */
  let_(name: string, value: ExprLike): Ex;
  /** Assigns a state variable or output. */
  assign(target: Ex | string, value: ExprLike): void;
  /** Spike/reset idiom: `spike = v > threshold`, `out = f32(spike)`, `v = spike ? reset : v`; returns the spike bool. */
  spikeReset(v: Ex, threshold: ExprLike, reset: ExprLike, out: Ex, name?: string): Ex;
}

/** Options of {@link defineModule}. */
export interface DefineOptions {
  domain?: Domain;
  doc?: string;
  /** Parameters declared elsewhere; they are added before the builder's own. */
  params?: ParamSource;
  /**
   * The module's config schema: every parameter takes its default, unit, validators and
   * description from the field of the same name ({@link bindSchema}).
   */
  schema?: ParamSchema;
  /** With `schema`: attach no units (equations that are not unit-checked). Default true. */
  schemaUnits?: boolean;
  /** Skip validation (the result is then unchecked data). */
  unchecked?: boolean;
}

/**
 * Builds a definition with the builder functions and validates it (throws `DefinitionError` listing
 * every problem). Returns the plain-data definition.
 */
export function defineModule(
  name: string,
  body: (m: ModuleBuilder) => void,
  options: DefineOptions = {},
): ModuleDefinition {
  const params: ParamDecl[] = [...(options.params ?? [])];
  const state: StateDecl[] = [];
  const inputs: InputDecl[] = [];
  const outputs: OutputDecl[] = [];
  const stmts: Stmt[] = [];
  const nameOf = (t: Ex | string): string => {
    if (typeof t === 'string') return t;
    if (t.node.kind !== 'ref')
      throw new TypeError('assign: the target must be a state variable or an output');
    return t.node.name;
  };
  const strip = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  const m: ModuleBuilder = {
    param(n, o = {}) {
      params.push(
        strip({
          name: n,
          type: o.type ?? 'f32',
          extent: o.extent,
          default: o.default,
          unit: o.unit,
          validators: o.validators,
          doc: o.doc,
          internal: o.internal === true ? true : undefined,
        }) as ParamDecl,
      );
      return ref(n);
    },
    state(n, o = {}) {
      state.push(
        strip({
          name: n,
          type: o.type ?? 'f32',
          init: o.init === undefined ? undefined : toExpr(o.init),
          unit: o.unit,
          storage: o.storage,
          doc: o.doc,
        }) as StateDecl,
      );
      return ref(n);
    },
    input(n, o) {
      inputs.push(
        strip({
          name: n,
          payload: o.payload,
          type: o.type ?? 'f32',
          extent: o.extent,
          unit: o.unit,
          storage: o.storage,
          doc: o.doc,
        }) as InputDecl,
      );
      return ref(n);
    },
    output(n, o) {
      outputs.push(
        strip({
          name: n,
          payload: o.payload,
          type: o.type ?? 'f32',
          unit: o.unit,
          storage: o.storage,
          doc: o.doc,
        }) as OutputDecl,
      );
      return ref(n);
    },
    let_(n, value) {
      stmts.push({ kind: 'let', name: n, value: toExpr(value) });
      return ref(n);
    },
    assign(target, value) {
      stmts.push({ kind: 'assign', target: nameOf(target), value: toExpr(value) });
    },
    spikeReset(v, threshold, reset, out, spikeName = 'spike') {
      const z = m.let_(spikeName, v.gt(threshold));
      m.assign(out, f32(z));
      m.assign(v, select(z, reset, v));
      return z;
    },
  };
  body(m);
  let def: ModuleDefinition = strip({
    name,
    domain: options.domain,
    params,
    state,
    inputs,
    outputs,
    body: stmts,
    doc: options.doc,
  }) as ModuleDefinition;
  if (options.schema !== undefined)
    def = bindSchema(def, options.schema, { units: options.schemaUnits !== false });
  if (options.unchecked !== true) checkDefinition(def);
  return def;
}
