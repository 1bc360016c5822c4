/**
 * The float64 interpreter of the equation language: the oracle for every compiler target.
 *
 * It walks the typed form of a definition directly (no code generation, no hoisting, no float32
 * rounding: every float operation is done in double precision), so a code-generation bug cannot
 * hide by being the same on every backend. Random draws use `CounterRng` of `@spark-snn/core`.
 *
 * With `f32: true` it is instead the scalar statement of the generated code's float32 semantics
 * (cpu JavaScript, WebAssembly SIMD): every f32 value — literal, parameter, `dt`, and the result of
 * every operation, math function and cast to f32 — is rounded to float32 (`Math.fround` of the float64
 * result of float32 operands, which for + − × ÷ √ is the float32 operation itself); `exp`, `log`,
 * `pow`, `sin`, `cos`, `tanh` are `Math`'s. Run over a compiled body (`body` + `derived`, the hoisted
 * constants as instantiated), it must equal those code generators bit for bit.
 *
 * @module
 */

import { CounterRng, roundToFloat16, type Seed } from '@spark-snn/core';
import type { Extent } from './ast.ts';
import type { CheckedDefinition, TExpr, TParam, TStmt } from './ir.ts';
import { f2i, f2u, idiv, irem, roundEven, sign, udiv, urem } from './semantics.ts';

/** Per-element values of a parameter: a scalar (broadcast) or one value per element of its extent. */
export type ParamValue = number | ArrayLike<number>;

/** Environment in which an expression is evaluated for one element. */
export interface EvalEnv {
  /** Element index in the domain. */
  readonly i: number;
  /** Presynaptic size (synapse domain), else 1. */
  readonly nPre: number;
  readonly dt: number;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly state?: Readonly<Record<string, ArrayLike<number>>>;
  readonly inputs?: Readonly<Record<string, ArrayLike<number>>>;
  readonly locals?: Map<string, number>;
  readonly rng?: { readonly rng: CounterRng; readonly step: number; readonly streamBase: number };
  /** Called with both operands of every float comparison (lets tests find near-ties). */
  readonly onCompare?: (a: number, b: number) => void;
  /** Float32 semantics (see the module comment) instead of float64. */
  readonly f32?: boolean;
  /** Values of the hoisted constants of a compiled body (`InstanceData.derived`). */
  readonly derived?: readonly (number | ArrayLike<number>)[];
}

/** Index into an array of the given extent for element `i`. */
export function extentIndex(extent: Extent, i: number, nPre: number): number {
  switch (extent) {
    case 'scalar':
      return 0;
    case 'unit':
      return nPre === 1 ? i : Math.floor(i / nPre);
    case 'pre':
      return i % nPre;
    case 'synapse':
      return i;
  }
}

function at(v: ParamValue | ArrayLike<number> | undefined, idx: number, what: string): number {
  if (v === undefined) throw new Error(`interpreter: no value for ${what}`);
  if (typeof v === 'number') return v;
  const x = v.length === 1 ? v[0] : v[idx];
  if (x === undefined) throw new Error(`interpreter: ${what} has no element ${idx}`);
  return x;
}

function toType(ty: string, x: number): number {
  if (ty === 'i32') return x | 0;
  if (ty === 'u32') return x >>> 0;
  return x;
}

/** The value kept by a storage type: float16 storage rounds (the only storage rounding the oracle models). */
function stored(storage: string, v: number): number {
  return storage === 'float16' ? roundToFloat16(v) : v;
}

/** Evaluates a typed expression in float64 (integers wrap like WGSL). Booleans are 1/0. */
export function evalExpr(e: TExpr, env: EvalEnv): number {
  const v = evalNode(e, env);
  return env.f32 === true && e.ty === 'f32' ? Math.fround(v) : v;
}

function evalNode(e: TExpr, env: EvalEnv): number {
  switch (e.k) {
    case 'const':
      return e.value;
    case 'dt':
      return env.dt;
    case 'param':
      return at(env.params[e.name], extentIndex(e.extent, env.i, env.nPre), `parameter "${e.name}"`);
    case 'derived':
      if (env.derived === undefined)
        throw new Error('interpreter: derived constants are a compiler artefact');
      return at(env.derived[e.id], extentIndex(e.extent, env.i, env.nPre), `derived constant ${e.id}`);
    case 'state':
      return at(env.locals?.get(e.name) ?? env.state?.[e.name], env.i, `state "${e.name}"`);
    case 'output':
    case 'local': {
      const v = env.locals?.get(e.name);
      if (v === undefined) throw new Error(`interpreter: "${e.name}" read before assignment`);
      return v;
    }
    case 'input':
      return at(env.inputs?.[e.name], extentIndex(e.extent, env.i, env.nPre), `input "${e.name}"`);
    case 'unary': {
      const a = evalExpr(e.a, env);
      if (e.op === '!') return a ? 0 : 1;
      return toType(e.ty, -a);
    }
    case 'binary': {
      const a = evalExpr(e.a, env);
      if (e.op === '&&') return a && evalExpr(e.b, env) ? 1 : 0;
      if (e.op === '||') return a || evalExpr(e.b, env) ? 1 : 0;
      const b = evalExpr(e.b, env);
      const t = e.a.ty;
      if (env.onCompare !== undefined && t === 'f32' && e.ty === 'bool') env.onCompare(a, b);
      switch (e.op) {
        case '+':
          return toType(t, a + b);
        case '-':
          return toType(t, a - b);
        case '*':
          return t === 'f32' ? a * b : toType(t, Math.imul(a, b));
        case '/':
          return t === 'f32' ? a / b : t === 'i32' ? idiv(a, b) : udiv(a, b);
        case '%':
          return t === 'f32' ? a % b : t === 'i32' ? irem(a, b) : urem(a, b);
        case '<':
          return a < b ? 1 : 0;
        case '<=':
          return a <= b ? 1 : 0;
        case '>':
          return a > b ? 1 : 0;
        case '>=':
          return a >= b ? 1 : 0;
        case '==':
          return a === b ? 1 : 0;
        case '!=':
          return a !== b ? 1 : 0;
      }
      throw new Error(`interpreter: unknown operator ${e.op}`);
    }
    case 'select':
      return evalExpr(e.c, env) ? evalExpr(e.t, env) : evalExpr(e.e, env);
    case 'cast': {
      const a = evalExpr(e.a, env);
      const from = e.a.ty;
      if (e.fn === 'f32') return a;
      if (e.fn === 'i32') return from === 'f32' ? f2i(a) : a | 0;
      return from === 'f32' ? f2u(a) : a >>> 0;
    }
    case 'math': {
      const v = e.args.map((x) => evalExpr(x, env));
      const [a = 0, b = 0, c = 0] = v;
      switch (e.fn) {
        case 'exp':
          return Math.exp(a);
        case 'log':
          return Math.log(a);
        case 'sqrt':
          return Math.sqrt(a);
        case 'abs':
          return toType(e.ty, Math.abs(a));
        case 'pow':
          return a ** b;
        case 'tanh':
          return Math.tanh(a);
        case 'sin':
          return Math.sin(a);
        case 'cos':
          return Math.cos(a);
        case 'floor':
          return Math.floor(a);
        case 'ceil':
          return Math.ceil(a);
        case 'round':
          return roundEven(a);
        case 'min':
          return Math.min(a, b);
        case 'max':
          return Math.max(a, b);
        case 'clamp':
          return Math.min(Math.max(a, b), c);
        case 'sign':
          return sign(a);
      }
      throw new Error(`interpreter: unknown function ${(e as unknown as { fn: string }).fn}`);
    }
    case 'rand': {
      const r = env.rng;
      if (r === undefined) throw new Error('interpreter: random draw without an RNG');
      const stream = (r.streamBase + e.site) >>> 0;
      if (e.dist === 'uniform') return r.rng.uniform(stream, r.step >>> 0, env.i);
      if (e.dist === 'normal') return r.rng.normal(stream, r.step >>> 0, env.i);
      const p = evalExpr(e.args[0] as TExpr, env);
      return r.rng.uniform(stream, r.step >>> 0, env.i) < p ? 1 : 0;
    }
  }
}

/** Sizes of an instance: elements of the domain and the presynaptic extent (synapse domain). */
export interface InstanceShape {
  /** Number of elements (units, or synapses = units × nPre). */
  readonly size: number;
  /** Presynaptic size for the synapse domain (default 1). */
  readonly nPre?: number;
}

/** Length of the array of a given extent. */
export function extentLength(extent: Extent, shape: InstanceShape): number {
  const nPre = shape.nPre ?? 1;
  switch (extent) {
    case 'scalar':
      return 1;
    case 'unit':
      return shape.size / nPre;
    case 'pre':
      return nPre;
    case 'synapse':
      return shape.size;
  }
}

/** Parameter values with defaults filled in. */
export function paramsWithDefaults(
  params: readonly TParam[],
  values: Readonly<Record<string, ParamValue>> = {},
): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const p of params) out[p.name] = values[p.name] ?? p.default;
  return out;
}

/** Initial state of an instance, in float64. */
export function interpretInitialState(
  def: CheckedDefinition,
  shape: InstanceShape,
  params: Readonly<Record<string, ParamValue>>,
  dt: number,
): Record<string, Float64Array> {
  const full = paramsWithDefaults(def.params, params);
  const nPre = shape.nPre ?? 1;
  const out: Record<string, Float64Array> = {};
  for (const s of def.state) {
    const a = new Float64Array(shape.size);
    for (let i = 0; i < shape.size; i++)
      a[i] = stored(s.storage, toType(s.type, evalExpr(s.init, { i, nPre, dt, params: full })));
    out[s.name] = a;
  }
  return out;
}

/** Everything one interpreted step reads and writes. */
export interface InterpretStepArgs extends InstanceShape {
  readonly params: Readonly<Record<string, ParamValue>>;
  /** State arrays (float64), updated in place. */
  readonly state: Record<string, Float64Array>;
  readonly inputs: Readonly<Record<string, ArrayLike<number>>>;
  /** Output arrays, written. */
  readonly outputs: Record<string, Float64Array>;
  readonly step: number;
  readonly dt: number;
  readonly seed?: Seed;
  /** First RNG stream of this instance; draw site k uses stream `streamBase + k`. */
  readonly streamBase?: number;
  /** Called with the element index and both operands of every float comparison. */
  readonly onCompare?: (i: number, a: number, b: number) => void;
  /** Float32 semantics instead of float64 (see the module comment). */
  readonly f32?: boolean;
  /** A compiled body to run instead of the definition's, with its hoisted constants' values. */
  readonly compiled?: {
    readonly body: readonly TStmt[];
    readonly derived: readonly (number | ArrayLike<number>)[];
  };
}

/** Executes one step of `def` over every element, in float64. */
export function interpretStep(def: CheckedDefinition, a: InterpretStepArgs): void {
  const full = paramsWithDefaults(def.params, a.params);
  const nPre = a.nPre ?? 1;
  const rng =
    def.randomSites > 0
      ? { rng: new CounterRng(a.seed ?? 0), step: a.step, streamBase: a.streamBase ?? 0 }
      : undefined;
  for (let i = 0; i < a.size; i++) {
    const locals = new Map<string, number>();
    const cb = a.onCompare;
    const env: EvalEnv = {
      i,
      nPre,
      dt: a.dt,
      params: full,
      state: a.state,
      inputs: a.inputs,
      locals,
      ...(rng !== undefined ? { rng } : {}),
      ...(cb !== undefined ? { onCompare: (x: number, y: number) => cb(i, x, y) } : {}),
      ...(a.f32 === true ? { f32: true } : {}),
      ...(a.compiled !== undefined ? { derived: a.compiled.derived } : {}),
    };
    for (const st of a.compiled?.body ?? def.body) {
      const v = evalExpr(st.value, env);
      locals.set(st.k === 'let' ? st.name : st.target, v);
    }
    for (const s of def.state) {
      const v = locals.get(s.name);
      if (v !== undefined) (a.state[s.name] as Float64Array)[i] = stored(s.storage, v);
    }
    for (const o of def.outputs) {
      const out = a.outputs[o.name];
      if (out === undefined) throw new Error(`interpreter: no array for output "${o.name}"`);
      out[i] = stored(o.storage, locals.get(o.name) ?? 0);
    }
  }
}
