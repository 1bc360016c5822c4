/**
 * Partial evaluation of a definition's typed body for a *quiet* element — one whose spike inputs are
 * all 0 in this step — and the expression algebra the event analysis needs (inlining, structural
 * equality, additive terms).
 *
 * The simplification is exact under two conditions the event forms state and enforce: every value
 * that is not a spike is finite (so `0·x` is a zero), and a value the form keeps unchanged is not −0
 * (so `x + (±0)` is `x`). Both hold in the Spark modules: traces are bounded sums of finite terms
 * and never −0, kernels are clipped into their range (with −0 read as +0) when a brain is loaded.
 *
 * @module
 */

import { isParamOnly } from '../lang/compile.ts';
import { type CheckedDefinition, childrenOf, mapChildren, type TExpr } from '../lang/ir.ts';

/**
 * True when `e` is the same for every step: literals, parameters, `dt`, hoisted constants (a compiled
 * body's `derived`) and operations on them.
 */
export function paramOnly(e: TExpr): boolean {
  if (e.k === 'derived') return true;
  if (e.k === 'rand') return false;
  const children = childrenOf(e);
  return children.length === 0 ? isParamOnly(e) : children.every(paramOnly);
}

/** A zero constant of type f32. */
export const ZERO: TExpr = { k: 'const', ty: 'f32', value: 0 };

/** True when `e` is the constant ±0. */
export function isZero(e: TExpr): boolean {
  return e.k === 'const' && e.value === 0 && e.ty !== 'bool';
}

function bool(v: boolean): TExpr {
  return { k: 'const', ty: 'bool', value: v ? 1 : 0 };
}

/** Structural equality of two typed expressions. */
export function sameExpr(a: TExpr, b: TExpr): boolean {
  if (a.k !== b.k || a.ty !== b.ty) return false;
  switch (a.k) {
    case 'const':
      return Object.is(a.value, (b as typeof a).value);
    case 'dt':
      return true;
    case 'param':
    case 'state':
    case 'input':
    case 'output':
    case 'local':
      return a.name === (b as typeof a).name;
    case 'derived':
      return a.id === (b as typeof a).id;
    case 'unary':
      return a.op === (b as typeof a).op && sameExpr(a.a, (b as typeof a).a);
    case 'cast':
      return a.fn === (b as typeof a).fn && sameExpr(a.a, (b as typeof a).a);
    case 'binary': {
      const o = b as typeof a;
      return a.op === o.op && sameExpr(a.a, o.a) && sameExpr(a.b, o.b);
    }
    case 'math': {
      const o = b as typeof a;
      return (
        a.fn === o.fn &&
        a.args.length === o.args.length &&
        a.args.every((x, k) => sameExpr(x, o.args[k] as TExpr))
      );
    }
    case 'select': {
      const o = b as typeof a;
      return sameExpr(a.c, o.c) && sameExpr(a.t, o.t) && sameExpr(a.e, o.e);
    }
    case 'rand': {
      const o = b as typeof a;
      return (
        a.dist === o.dist && a.site === o.site && a.args.every((x, k) => sameExpr(x, o.args[k] as TExpr))
      );
    }
  }
}

/** Every leaf (parameter, state, input, random draw, …) an expression reads, depth first. */
export function leaves(e: TExpr, out: TExpr[] = []): TExpr[] {
  const children = childrenOf(e);
  if (children.length === 0 || e.k === 'rand') out.push(e);
  for (const x of children) leaves(x, out);
  return out;
}

/** True when `e` reads state `name` (its value before this step). */
export function readsState(e: TExpr, name: string): boolean {
  return leaves(e).some((l) => l.k === 'state' && l.name === name);
}

/**
 * The body with every statement's value written over the values before the step: lets are inlined
 * and a state read after the statement that assigns it becomes that statement's value, so each
 * returned expression reads states only as they were at the start of the step. With `keepStates`
 * only lets are inlined: a state then reads its latest value (the updated one after its statement).
 */
export function inlineBody(
  def: CheckedDefinition,
  options: { keepStates?: boolean } = {},
): {
  readonly states: ReadonlyMap<string, TExpr>;
  readonly outputs: ReadonlyMap<string, TExpr>;
} {
  const locals = new Map<string, TExpr>();
  const states = new Map<string, TExpr>();
  const outputs = new Map<string, TExpr>();
  const sub = (e: TExpr): TExpr => {
    switch (e.k) {
      case 'local':
        return locals.get(e.name) ?? e;
      case 'state':
        return options.keepStates ? e : (states.get(e.name) ?? e);
      case 'output':
        return outputs.get(e.name) ?? e;
      default:
        return mapChildren(e, sub);
    }
  };
  for (const st of def.body) {
    const v = sub(st.value);
    if (st.k === 'let') locals.set(st.name, v);
    else if (st.to === 'state') states.set(st.target, v);
    else outputs.set(st.target, v);
  }
  return { states, outputs };
}

/** What a quiet element looks like: which inputs are spikes (read as 0) and which parameters are known zeros. */
export interface QuietContext {
  /** Names of the spike inputs (payload `SpikeArray`): 0 in a quiet element. */
  readonly spikes: ReadonlySet<string>;
  /** Parameters whose value is 0 for every element (e.g. a trace base given as `0`). */
  readonly zeroParams: ReadonlySet<string>;
}

/**
 * `e` for a quiet element: spike inputs and zero parameters become 0 and the zeros are propagated
 * (`0·x → 0`, `x ± 0 → x`, `|0| → 0`, `0/p → 0` for a parameter-only divisor, constant comparisons,
 * logic and selects folded). Exact under the conditions of the module comment.
 */
export function quiet(e: TExpr, q: QuietContext): TExpr {
  switch (e.k) {
    case 'input':
      return q.spikes.has(e.name) ? { k: 'const', ty: e.ty === 'f32' ? 'f32' : e.ty, value: 0 } : e;
    case 'param':
      return q.zeroParams.has(e.name) ? { k: 'const', ty: e.ty, value: 0 } : e;
    case 'unary': {
      const a = quiet(e.a, q);
      if (a.k === 'const') return e.op === '!' ? bool(!a.value) : { ...a, value: -a.value };
      return { ...e, a };
    }
    case 'cast': {
      const a = quiet(e.a, q);
      if (a.k === 'const' && (e.fn === 'f32' || a.ty === 'bool'))
        return { k: 'const', ty: e.ty as 'f32', value: a.ty === 'bool' ? (a.value ? 1 : 0) : a.value };
      return { ...e, a };
    }
    case 'binary': {
      const a = quiet(e.a, q);
      const b = quiet(e.b, q);
      const both = a.k === 'const' && b.k === 'const';
      switch (e.op) {
        case '+':
          if (isZero(b) && e.ty === 'f32') return a;
          if (isZero(a) && e.ty === 'f32') return b;
          break;
        case '-':
          if (isZero(b) && e.ty === 'f32') return a;
          if (isZero(a) && e.ty === 'f32') return quiet({ k: 'unary', ty: e.ty, op: '-', a: b }, q);
          break;
        case '*':
          if ((isZero(a) || isZero(b)) && e.ty === 'f32') return ZERO;
          break;
        case '/':
          if (isZero(a) && e.ty === 'f32' && paramOnly(b)) return ZERO;
          break;
        case '&&':
          if (a.k === 'const') return a.value ? b : bool(false);
          if (b.k === 'const' && !b.value) return bool(false);
          break;
        case '||':
          if (a.k === 'const') return a.value ? bool(true) : b;
          if (b.k === 'const' && b.value) return bool(true);
          break;
        case '<':
        case '<=':
        case '>':
        case '>=':
        case '==':
        case '!=':
          if (both) {
            const x = (a as { value: number }).value;
            const y = (b as { value: number }).value;
            const r =
              e.op === '<'
                ? x < y
                : e.op === '<='
                  ? x <= y
                  : e.op === '>'
                    ? x > y
                    : e.op === '>='
                      ? x >= y
                      : e.op === '=='
                        ? x === y
                        : x !== y;
            return bool(r);
          }
          break;
      }
      return { ...e, a, b };
    }
    case 'math': {
      const args = e.args.map((x) => quiet(x, q));
      if (e.fn === 'abs' && args[0] !== undefined && isZero(args[0])) return ZERO;
      return { ...e, args };
    }
    case 'select': {
      const c = quiet(e.c, q);
      if (c.k === 'const') return quiet(c.value ? e.t : e.e, q);
      return { ...e, c, t: quiet(e.t, q), e: quiet(e.e, q) };
    }
    default:
      return mapChildren(e, (x) => quiet(x, q));
  }
}

/** The additive terms of `e` (`a + b − c` → `a`, `b`, `−c`), each with its sign. */
export function additiveTerms(e: TExpr, sign = 1, out: Array<{ sign: number; term: TExpr }> = []) {
  if (e.k === 'binary' && e.ty === 'f32' && (e.op === '+' || e.op === '-')) {
    additiveTerms(e.a, sign, out);
    additiveTerms(e.b, e.op === '+' ? sign : -sign, out);
  } else out.push({ sign, term: e });
  return out;
}

/** `factor` when `e` is `factor·x` or `x·factor` with a parameter-only factor (a decay), else undefined. */
export function decayFactor(e: TExpr, x: string): TExpr | undefined {
  if (e.k === 'state' && e.name === x) return { k: 'const', ty: 'f32', value: 1 };
  if (e.k !== 'binary' || e.op !== '*') return undefined;
  if (e.b.k === 'state' && e.b.name === x && paramOnly(e.a)) return e.a;
  if (e.a.k === 'state' && e.a.name === x && paramOnly(e.b)) return e.b;
  return undefined;
}
