/**
 * Target-independent compilation of a definition: constant folding, hoisting of parameter-only
 * subexpressions (decay factors such as `exp(-dt / tau)`) into precomputed constants, the port
 * signature, and instantiation (parameter values checked, derived constants computed in float64 and
 * rounded once, initial state).
 *
 * @module
 */

import type { DType } from '@spark-snn/core';
import type { Extent, ModuleDefinition, NumericType, StorageType } from './ast.ts';
import { checkDefinition, paramValueProblem } from './check.ts';
import { evalExpr, extentIndex, extentLength, type ParamValue } from './interpret.ts';
import {
  type CheckedDefinition,
  childrenOf,
  EXTENT_RANK,
  isParamOnly,
  mapChildren,
  type TDerived,
  type TExpr,
  type TStmt,
} from './ir.ts';

export { isParamOnly };

/** A port of a compiled module, as seen from outside. */
export interface PortSignature {
  readonly name: string;
  readonly payload: string;
  readonly type: NumericType;
  readonly extent: Extent;
  readonly dtype: DType;
  readonly unit: string | undefined;
}

/** The ports of a module. */
export interface ModuleSignature {
  readonly inputs: readonly PortSignature[];
  readonly outputs: readonly PortSignature[];
}

/** A definition ready for code generation. */
export interface CompiledModule {
  readonly def: CheckedDefinition;
  /** Body with parameter-only subexpressions replaced by `derived` references. */
  readonly body: readonly TStmt[];
  /** The hoisted constants. */
  readonly derived: readonly TDerived[];
  readonly signature: ModuleSignature;
}

/** Host dtype of a storage type. */
export function storageDType(s: StorageType): DType {
  return s;
}

function combineExtent(a: Extent, b: Extent): Extent {
  if (a === b) return a;
  if (a === 'scalar') return b;
  if (b === 'scalar') return a;
  return EXTENT_RANK[a] >= EXTENT_RANK[b] && a === 'synapse' ? a : 'synapse';
}

function extentOf(e: TExpr): Extent {
  switch (e.k) {
    case 'param':
      return e.extent;
    case 'unary':
    case 'cast':
      return extentOf(e.a);
    case 'binary':
      return combineExtent(extentOf(e.a), extentOf(e.b));
    case 'math':
      return e.args.map(extentOf).reduce(combineExtent, 'scalar');
    case 'select':
      return combineExtent(combineExtent(extentOf(e.c), extentOf(e.t)), extentOf(e.e));
    default:
      return 'scalar';
  }
}

function usesParamOrDt(e: TExpr): boolean {
  switch (e.k) {
    case 'param':
    case 'dt':
      return true;
    case 'unary':
    case 'cast':
      return usesParamOrDt(e.a);
    case 'binary':
      return usesParamOrDt(e.a) || usesParamOrDt(e.b);
    case 'math':
      return e.args.some(usesParamOrDt);
    case 'select':
      return usesParamOrDt(e.c) || usesParamOrDt(e.t) || usesParamOrDt(e.e);
    default:
      return false;
  }
}

/** Rounds a float64 value to the given type (float32 rounding for f32). */
export function roundToType(ty: string, v: number): number {
  if (ty === 'f32') return Math.fround(v);
  if (ty === 'i32') return v | 0;
  if (ty === 'u32') return v >>> 0;
  return v ? 1 : 0;
}

/**
 * Compiled modules by definition object. Definitions are plain data that nobody mutates after they
 * were built; a definition that comes back (the same object, as every built-in module's does) is
 * compiled once per process.
 */
const compiledByDefinition = new WeakMap<object, CompiledModule>();

/** Compiles (checks, folds, hoists) a definition; the result is cached per definition object. */
export function compileDefinition(input: ModuleDefinition | CheckedDefinition): CompiledModule {
  const cached = compiledByDefinition.get(input);
  if (cached !== undefined) return cached;
  const compiled = compileUncached(input);
  compiledByDefinition.set(input, compiled);
  return compiled;
}

function compileUncached(input: ModuleDefinition | CheckedDefinition): CompiledModule {
  const def = 'source' in input ? input : checkDefinition(input);
  const derived: TDerived[] = [];
  const keys = new Map<string, number>();
  const hoist = (e: TExpr): TExpr => {
    if (e.k === 'const' || e.k === 'param' || e.k === 'dt') return e;
    if (e.ty !== 'bool' && isParamOnly(e)) {
      if (!usesParamOrDt(e)) {
        const v = evalExpr(e, { i: 0, nPre: 1, dt: 0, params: {} });
        return { k: 'const', ty: e.ty, value: roundToType(e.ty, v) };
      }
      const key = JSON.stringify(e);
      let id = keys.get(key);
      if (id === undefined) {
        id = derived.length;
        keys.set(key, id);
        derived.push({ id, ty: e.ty as NumericType, extent: extentOf(e), expr: e });
      }
      const d = derived[id] as TDerived;
      return { k: 'derived', ty: d.ty, id, extent: d.extent };
    }
    return mapChildren(e, hoist);
  };
  const body = def.body.map((s): TStmt => ({ ...s, value: hoist(s.value) }));
  const defaultExtent: Extent = def.domain === 'unit' ? 'unit' : 'synapse';
  const signature: ModuleSignature = {
    inputs: def.inputs.map((p) => ({
      name: p.name,
      payload: p.payload,
      type: p.type,
      extent: p.extent,
      dtype: storageDType(p.storage),
      unit: p.unit,
    })),
    outputs: def.outputs.map((p) => ({
      name: p.name,
      payload: p.payload,
      type: p.type,
      extent: defaultExtent,
      dtype: storageDType(p.storage),
      unit: p.unit,
    })),
  };
  return { def, body, derived, signature };
}

/** Error in the values given to an instance (bad parameter value, wrong array length). */
export class InstanceError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'InstanceError';
    this.path = path;
  }
}

/** Values of one instance of a compiled module. */
export interface InstanceData {
  readonly size: number;
  readonly nPre: number;
  readonly dt: number;
  /** Scalar parameter values by name (float64, unrounded). */
  readonly scalarParams: ReadonlyMap<string, number>;
  /**
   * Per-element parameter arrays (float64) by name. Those in {@link InstanceData.uniform} are filled
   * on first access only.
   */
  readonly arrayParams: ReadonlyMap<string, Float64Array>;
  /**
   * Derived constants: scalar value or per-extent array, rounded once to their type. Arrays of those
   * in {@link InstanceData.uniform} are filled on first access only.
   */
  readonly derived: readonly (number | Float64Array)[];
  /**
   * Per-element slots (`param:NAME`, `derived:ID`) that hold one value for every element — a
   * parameter given as one number, a decay computed from one: a backend reads the value here instead
   * of materialising (and scanning) an array of them.
   */
  readonly uniform: ReadonlyMap<string, number>;
  /**
   * Initial state (float64, rounded to each variable's type): one number when every element starts
   * the same (a trace at 0, a potential at its rest), else one value per element.
   */
  readonly initialState: ReadonlyMap<string, Float64Array | number>;
}

/** Options of {@link instantiate}. */
export interface InstanceOptions {
  /** Number of elements of the domain. */
  readonly size: number;
  /** Presynaptic size (synapse domain). */
  readonly nPre?: number;
  readonly dt: number;
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** Prefix of error paths, e.g. `ops[3].attrs.params`. */
  readonly path?: string;
}

/**
 * Instances by compiled module and parameter object: a plan is instantiated when it is built (for the
 * initial state of its buffers) and again when a backend loads it (for the derived constants), both
 * times with the same parameter object. Parameter values are treated as immutable once given to an
 * instance (as plan attributes are).
 */
const instances = new WeakMap<CompiledModule, WeakMap<object, Map<string, InstanceData>>>();
const NO_PARAMS = {};

/**
 * Checks parameter values and precomputes derived constants and initial state. The result is cached
 * per (compiled module, parameter object, size, nPre, dt); callers must not mutate it.
 */
export function instantiate(c: CompiledModule, o: InstanceOptions): InstanceData {
  const byParams = instances.get(c) ?? new WeakMap<object, Map<string, InstanceData>>();
  instances.set(c, byParams);
  const paramsKey = o.params ?? NO_PARAMS;
  const bySize = byParams.get(paramsKey) ?? new Map<string, InstanceData>();
  byParams.set(paramsKey, bySize);
  const key = `${o.size}/${o.nPre ?? 1}/${o.dt}`;
  const hit = bySize.get(key);
  if (hit !== undefined) return hit;
  const inst = instantiateUncached(c, o);
  bySize.set(key, inst);
  return inst;
}

/** A per-element parameter array read at the extent index of an element. */
interface ParamRead {
  readonly values: Float64Array;
  readonly extent: Extent;
}

/** The per-element parameters an expression reads (scalars are fixed for the whole instance). */
function arrayParamsOf(e: TExpr, arrays: ReadonlyMap<string, Float64Array>, out: Map<string, ParamRead>) {
  if (e.k === 'param') {
    const values = arrays.get(e.name);
    if (values !== undefined) out.set(e.name, { values, extent: e.extent });
  }
  for (const x of childrenOf(e)) arrayParamsOf(x, arrays, out);
}

/**
 * Evaluates a parameter-only expression at `count` elements (`elementOf(k)` is the domain element of
 * the k-th), rounded to `ty`: one number when every element reads the same parameter values (they
 * were given as one number), else an array. An element whose parameters read the same values as the
 * previous element's gets the previous result without evaluating again (the interpreter is a pure
 * function of them), so blockwise-constant parameter arrays cost one evaluation per run.
 */
function evaluateOver(
  expr: TExpr,
  ty: string,
  count: number,
  elementOf: (k: number) => number,
  nPre: number,
  dt: number,
  env: Readonly<Record<string, ParamValue>>,
  arrays: ReadonlyMap<string, Float64Array>,
): number | Float64Array {
  const readsMap = new Map<string, ParamRead>();
  arrayParamsOf(expr, arrays, readsMap);
  const reads = [...readsMap.values()];
  if (reads.every((r) => isUniform(r.values)))
    return roundToType(ty, evalExpr(expr, { i: count > 0 ? elementOf(0) : 0, nPre, dt, params: env }));
  const out = new Float64Array(count);
  const last = new Float64Array(reads.length);
  let have = false;
  let value = 0;
  for (let k = 0; k < count; k++) {
    const i = elementOf(k);
    let same = have;
    for (let r = 0; r < reads.length; r++) {
      const rd = reads[r] as ParamRead;
      const v = rd.values[extentIndex(rd.extent, i, nPre)] as number;
      // -0 and 0 are different arguments (1/x tells them apart).
      if (v !== last[r] || (v === 0 && 1 / v !== 1 / (last[r] as number))) {
        same = false;
        last[r] = v;
      }
    }
    if (!same) {
      value = roundToType(ty, evalExpr(expr, { i, nPre, dt, params: env }));
      have = true;
    }
    out[k] = value;
  }
  return out;
}

/**
 * A map of per-element arrays whose uniform entries are filled when first read (a per-synapse
 * parameter given as one number would otherwise be half a million copies of it).
 */
class LazyArrays extends Map<string, Float64Array> {
  private readonly pending = new Map<string, { length: number; value: number }>();
  /** Registers `name` as `length` copies of `value`, filled on first access. */
  defer(name: string, length: number, value: number): void {
    this.pending.set(name, { length, value });
  }
  private fill(name: string): void {
    const p = this.pending.get(name);
    if (p === undefined) return;
    this.pending.delete(name);
    super.set(name, new Float64Array(p.length).fill(p.value));
  }
  private fillAll(): void {
    for (const name of [...this.pending.keys()]) this.fill(name);
  }
  override get(name: string): Float64Array | undefined {
    this.fill(name);
    return super.get(name);
  }
  override has(name: string): boolean {
    return this.pending.has(name) || super.has(name);
  }
  override get size(): number {
    return this.pending.size + super.size;
  }
  override entries(): MapIterator<[string, Float64Array]> {
    this.fillAll();
    return super.entries();
  }
  override keys(): MapIterator<string> {
    this.fillAll();
    return super.keys();
  }
  override values(): MapIterator<Float64Array> {
    this.fillAll();
    return super.values();
  }
  override forEach(
    f: (v: Float64Array, k: string, m: Map<string, Float64Array>) => void,
    self?: unknown,
  ): void {
    this.fillAll();
    super.forEach(f, self);
  }
  override [Symbol.iterator](): MapIterator<[string, Float64Array]> {
    return this.entries();
  }
}

/** True when every element is the same number (0 and −0 differ; NaN never repeats). */
function isUniform(a: Float64Array): boolean {
  const x = a[0] as number;
  if (x === 0) {
    const neg = Object.is(x, -0);
    for (let i = 1; i < a.length; i++) if (a[i] !== 0 || Object.is(a[i], -0) !== neg) return false;
    return true;
  }
  for (let i = 1; i < a.length; i++) if (a[i] !== x) return false;
  return a.length === 0 || !Number.isNaN(x);
}

function instantiateUncached(c: CompiledModule, o: InstanceOptions): InstanceData {
  const path = o.path ?? 'params';
  const nPre = o.nPre ?? 1;
  if (!Number.isInteger(o.size) || o.size < 0)
    throw new InstanceError('size', `must be a non-negative integer, got ${o.size}`);
  if (c.def.domain === 'synapse') {
    if (!Number.isInteger(nPre) || nPre < 1 || o.size % nPre !== 0)
      throw new InstanceError('nPre', `must be a positive divisor of size ${o.size}, got ${nPre}`);
  } else if (nPre !== 1) throw new InstanceError('nPre', 'only the synapse domain has a presynaptic extent');
  if (typeof o.dt !== 'number' || !(o.dt > 0) || !Number.isFinite(o.dt))
    throw new InstanceError('dt', `must be a positive finite number, got ${o.dt}`);
  const given = o.params ?? {};
  for (const k of Object.keys(given)) {
    if (!c.def.params.some((p) => p.name === k))
      throw new InstanceError(
        `${path}.${k}`,
        `unknown parameter (known: ${c.def.params.map((p) => p.name).join(', ') || 'none'})`,
      );
  }
  const scalarParams = new Map<string, number>();
  const arrayParams = new LazyArrays();
  // The per-element parameters given as arrays (those given as one number are scalars below).
  const arrays: Map<string, Float64Array> = new Map();
  const uniform = new Map<string, number>();
  const shape = { size: o.size, nPre };
  const env: Record<string, ParamValue> = {};
  for (const p of c.def.params) {
    const v = given[p.name] ?? p.default;
    if (typeof v === 'number') {
      const msg = paramValueProblem(v, p.type, p.validators);
      if (msg !== undefined) throw new InstanceError(`${path}.${p.name}`, msg);
      if (p.extent === 'scalar') scalarParams.set(p.name, v);
      else {
        arrayParams.defer(p.name, extentLength(p.extent, shape), v);
        uniform.set(`param:${p.name}`, v);
      }
      env[p.name] = v;
    } else {
      if (p.extent === 'scalar')
        throw new InstanceError(`${path}.${p.name}`, 'is a scalar parameter; give a number');
      const len = extentLength(p.extent, shape);
      if (v.length !== len)
        throw new InstanceError(
          `${path}.${p.name}`,
          `expected ${len} values (one per ${p.extent}), got ${v.length}`,
        );
      const a = Float64Array.from(v);
      for (let i = 0; i < a.length; i++) {
        // A value equal to the previous one was checked already.
        if (i > 0 && a[i] === a[i - 1]) continue;
        const msg = paramValueProblem(a[i] as number, p.type, p.validators);
        if (msg !== undefined) throw new InstanceError(`${path}.${p.name}[${i}]`, msg);
      }
      arrayParams.set(p.name, a);
      arrays.set(p.name, a);
      if (a.length > 0 && isUniform(a)) uniform.set(`param:${p.name}`, a[0] as number);
      env[p.name] = a;
    }
  }
  const derived: (number | Float64Array)[] = [];
  for (const d of c.derived) {
    if (d.extent === 'scalar') {
      derived.push(roundToType(d.ty, evalExpr(d.expr, { i: 0, nPre, dt: o.dt, params: env })));
      continue;
    }
    const len = extentLength(d.extent, shape);
    // Element index whose extent index is k: units map to k*nPre, pre to k, synapses to k.
    const elementOf = d.extent === 'unit' ? (k: number) => k * nPre : (k: number) => k;
    const v = evaluateOver(d.expr, d.ty, len, elementOf, nPre, o.dt, env, arrays);
    if (typeof v !== 'number') {
      derived.push(v);
      continue;
    }
    uniform.set(`derived:${d.id}`, v);
    derived.push(0);
    // Filled on first access (backends that read `uniform` never touch it).
    let filled: Float64Array | undefined;
    Object.defineProperty(derived, d.id, {
      enumerable: true,
      get: () => {
        filled ??= new Float64Array(len).fill(v);
        return filled;
      },
    });
  }
  const initialState = new Map<string, Float64Array | number>();
  for (const s of c.def.state)
    initialState.set(
      s.name,
      evaluateOver(s.init, s.type, o.size, (k) => k, nPre, o.dt, env, arrays),
    );
  return { size: o.size, nPre, dt: o.dt, scalarParams, arrayParams, derived, uniform, initialState };
}
