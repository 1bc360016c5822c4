/**
 * The WebAssembly form of a `module.events` op: the phases of `cpu.ts` (shared states, integrators,
 * event sites) over the same {@link EventForm}, as one scalar WebAssembly function over the program's
 * memory. float32 operations are WebAssembly's own (IEEE single precision, what the JavaScript form
 * computes with `Math.fround` after every operation), so the two forms agree bit for bit — where the
 * JavaScript form rounds a fused `a + b·c` from float64 (the `@rows` sums), this one computes it in
 * float64 too. `exp log tanh sin cos pow` and float `%` call the engine's `Math` (as the JavaScript form
 * does). float16 shared states are rounded on load by float64 arithmetic (core's `roundToFloat16`),
 * float16 inputs decoded from their bits.
 *
 * What it does not take (random draws, integer division, storage other than float32/float16 where a
 * float is read, a buffer outside the program's memory) it says, and the op keeps the JavaScript form.
 * The bytes depend only on the op's structure (sizes, slots, access), the values sit in an argument
 * table in memory: instances of one structure share a compiled module.
 *
 * @module
 */

import type { DType } from '@spark-snn/core';
import { callsMath, importHost, instanceOver, mathIndex, mathNatives } from '../codegen/wasm.ts';
import { Code, ModuleBuilder, Op, Simd, type ValType } from '../codegen/wasm-emit.ts';
import { type HostMemory, wasmSimdSupported } from '../codegen/wasm-memory.ts';
import type { Extent } from '../lang/ast.ts';
import type { CompiledModule, InstanceData } from '../lang/compile.ts';
import type { TExpr, TStmt } from '../lang/ir.ts';
import { slotOne, slotType } from '../ops/module/op.ts';
import type { EventForm } from './form.ts';
import type { ModuleEventsAttrs } from './plan.ts';

/** Why an op keeps the JavaScript form. */
export class WasmEventsUnsupported extends Error {}

/** `f64x2.ge` (not in the emitter's table). */
const F64X2_GE = 0x4c;

/** What the float32x4 form of a site lacks (it then runs the scalar site). */
class VectorLacks extends Error {}
function lacks(why: string): never {
  throw new VectorLacks(why);
}

/** What the WebAssembly form of a `module.events` op is made from. */
export interface WasmEventsInput {
  readonly attrs: ModuleEventsAttrs;
  readonly compiled: CompiledModule;
  readonly instance: InstanceData;
  readonly form: EventForm;
  /** Storage of every binding. */
  readonly dtype: (slot: string) => DType;
  /** Whether the program's memory is shared (the module imports it as such). */
  readonly shared: boolean;
}

/** One 4-byte entry of the argument table. */
type Entry =
  | { readonly kind: 'scalar'; readonly slot: string; readonly ty: string; readonly value: number }
  | { readonly kind: 'array'; readonly slot: string; readonly ty: string; readonly values: ArrayLike<number> }
  | { readonly kind: 'buffer'; readonly slot: string }
  | { readonly kind: 'aux'; readonly name: 'rep' | 'row' | 'col' | 'dm' | 'ro' }
  | { readonly kind: 'dt'; readonly value: number };

/** The compiled structure of an op's WebAssembly form. */
export interface WasmEventsModule {
  readonly bytes: Uint8Array;
  /** Argument table entries, in order (entry n at byte 4·n). */
  readonly entries: readonly Entry[];
  /** Element type of the delay-slot array (`dm`): one byte while the ring has at most 256 slots. */
  readonly dmBytes: 1 | 4;
  /** Ring slots (the length of the `ro` array). */
  readonly slots: number;
}

/** Generates the WebAssembly form of a `module.events` op, or throws {@link WasmEventsUnsupported}. */
export function generateEventsWasm(x: WasmEventsInput): WasmEventsModule {
  const { attrs: a, compiled: cm, instance: inst, form } = x;
  const def = cm.def;
  const C = a.classes;
  const S = form.slots;
  const post = a.post;
  const pre = a.pre;
  const no = (why: string): never => {
    throw new WasmEventsUnsupported(`${def.name}: ${why}`);
  };
  const natives = mathNatives((name) => cm.body.some((st) => callsMath(st.value, name)));

  const locals: ValType[] = [];
  const L = (t: ValType): number => {
    locals.push(t);
    return 2 + locals.length - 1; // params: 0 table, 1 step
  };
  const TABLE = 0;
  const STEP = 1;
  const body = new Code();
  // The code being written (a vector form is written aside first: it may find a construct it lacks).
  let c = body;
  /** The code `emit` writes, kept aside (undefined where the vector form lacks a construct). */
  const aside = (emit: () => void): number[] | undefined => {
    const saved = c;
    c = new Code();
    try {
      emit();
      return c.bytes;
    } catch (e) {
      if (e instanceof VectorLacks) return undefined;
      throw e;
    } finally {
      c = saved;
    }
  };
  const pro = new Code(); // loads of the table, emitted before the body

  // ---- argument table: one local per entry, loaded once at the start --------------------------
  const entries: Entry[] = [];
  const entryLocal = new Map<string, number>();
  const entry = (key: string, e: Entry, t: ValType): number => {
    let l = entryLocal.get(key);
    if (l === undefined) {
      l = L(t);
      pro
        .get(TABLE)
        .mem(t === 'f32' ? Op.f32Load : Op.i32Load, 2, 4 * entries.length)
        .set(l);
      entries.push(e);
      entryLocal.set(key, l);
    }
    return l;
  };
  const owner = { compiled: cm, instance: inst };
  const typeOf = (slot: string): string => slotType(owner, slot);
  const vt = (ty: string): ValType => (ty === 'f32' ? 'f32' : 'i32');
  const ptr = (slot: string): number => entry(`buffer:${slot}`, { kind: 'buffer', slot }, 'i32');
  const aux = (name: 'rep' | 'row' | 'col' | 'dm' | 'ro'): number =>
    entry(`aux:${name}`, { kind: 'aux', name }, 'i32');
  const dtL = entry('dt', { kind: 'dt', value: Math.fround(inst.dt) }, 'f32');

  // ---- memory access ----------------------------------------------------------------------
  /** Pushes the address `p + index·size` (`index` pushed by `idx`). */
  const addr = (p: number, idx: () => void, size: number) => {
    c.get(p);
    idx();
    if (size > 1) c.i32(Math.log2(size)).op(Op.i32Shl);
    c.op(Op.i32Add);
  };
  const sizeOf = (d: DType): number =>
    d === 'float32' || d === 'int32' || d === 'uint32' ? 4 : d === 'float16' ? 2 : 1;
  /** Pushes element `idx` of binding `slot` as IR type `ty` (f32 → f32 local value, else i32). */
  const loadAs = (slot: string, idx: () => void, ty: string) => {
    const d = x.dtype(slot);
    const p = ptr(slot);
    addr(p, idx, sizeOf(d));
    if (ty === 'f32') {
      if (d === 'float32') c.mem(Op.f32Load, 2, 0);
      else if (d === 'float16') {
        c.mem(Op.i32Load16U, 1, 0);
        halfToF32();
      } else if (d === 'uint8' || d === 'bool') c.mem(Op.i32Load8U, 0, 0).op(Op.f32ConvertI32U);
      else no(`${slot}: a float read from ${d}`);
    } else if (d === 'int32' || d === 'uint32') c.mem(Op.i32Load, 2, 0);
    else if (d === 'uint8' || d === 'bool') c.mem(Op.i32Load8U, 0, 0);
    else no(`${slot}: an integer read from ${d}`);
  };
  /** Pushes element `idx` of an index binding (offsets, posts, classes) as i32. */
  const loadIndex = (slot: string, idx: () => void) => loadAs(slot, idx, 'i32');
  /** Stores the f32 in local `v` at element `idx` of a float32 binding. */
  const storeF32 = (slot: string, idx: () => void, v: number) => {
    if (x.dtype(slot) !== 'float32') no(`${slot}: written in place, stored as ${x.dtype(slot)}`);
    addr(ptr(slot), idx, 4);
    c.get(v).mem(Op.f32Store, 2, 0);
  };
  const loadF32 = (slot: string, idx: () => void) => {
    if (x.dtype(slot) !== 'float32') no(`${slot}: stored as ${x.dtype(slot)}`);
    addr(ptr(slot), idx, 4);
    c.mem(Op.f32Load, 2, 0);
  };
  const i32At = (p: number, idx: () => void) => {
    addr(p, idx, 4);
    c.mem(Op.i32Load, 2, 0);
  };
  const u8At = (p: number, idx: () => void) => {
    addr(p, idx, 1);
    c.mem(Op.i32Load8U, 0, 0);
  };
  const local = (l: number) => () => {
    c.get(l);
  };

  /** Half bits (i32 on the stack) → float32, exactly (core's `fromFloat16Bits`). */
  const halfToF32 = () => {
    const h = L('i32');
    const bits = L('i32');
    const f = L('f32');
    c.set(h);
    c.get(h).i32(0x7fff).op(Op.i32And).i32(13).op(Op.i32Shl).set(bits);
    c.get(bits)
      .op(Op.f32ReinterpretI32)
      .f32(2 ** 112)
      .op(Op.f32Mul)
      .set(f); // normals, subnormals
    c.get(h).i32(0x7c00).op(Op.i32And).i32(0x7c00).op(Op.i32Eq);
    c.open(Op.if);
    c.get(bits).i32(0x7f800000).op(Op.i32Or).op(Op.f32ReinterpretI32).set(f); // infinity, NaN
    c.op(Op.end);
    c.get(f).op(Op.i32ReinterpretF32);
    c.get(h).i32(0x8000).op(Op.i32And).i32(16).op(Op.i32Shl).op(Op.i32Or).op(Op.f32ReinterpretI32);
  };
  /** The f32 on the stack rounded to float16 (a float32 value), as core's `roundToFloat16`. */
  const roundHalf = () => {
    const v = L('f32');
    const av = L('f64');
    const r = L('f64');
    c.set(v);
    c.get(v).op(Op.f32Abs).op(Op.f64PromoteF32).set(av);
    c.get(av)
      .f64(2 ** -14)
      .op(Op.f64Lt);
    c.open(Op.if);
    // subnormal halves: units of 2^-24, rounded to nearest even by the 2^52 addend
    c.get(av)
      .f64(2 ** 24)
      .op(Op.f64Mul)
      .f64(2 ** 52)
      .op(Op.f64Add)
      .f64(2 ** 52)
      .op(Op.f64Sub);
    c.f64(2 ** -24)
      .op(Op.f64Mul)
      .set(r);
    c.op(Op.else);
    // the binade's magic addend 2^(e − 1023 + 42): the exponent field plus 42
    const m = L('f64');
    c.get(av).op(Op.i64ReinterpretF64).i64(0x7ff0000000000000n).op(Op.i64And);
    c.i64(42n << 52n)
      .op(Op.i64Add)
      .op(Op.f64ReinterpretI64)
      .set(m);
    c.get(av).get(m).op(Op.f64Add).get(m).op(Op.f64Sub).set(r);
    c.op(Op.end);
    c.get(av).f64(65520).op(Op.f64Ge);
    c.open(Op.if);
    c.f64(Number.POSITIVE_INFINITY).set(r);
    c.op(Op.end);
    c.get(r).op(Op.f32DemoteF64).get(v).op(Op.f32Copysign);
  };

  // ---- control flow -----------------------------------------------------------------------
  /** `for (iv = from; iv < to; iv++) body` (no `br` out of `body`). */
  const forLoop = (iv: number, from: () => void, to: () => void, inner: () => void) => {
    from();
    c.set(iv);
    c.open(Op.block).open(Op.loop);
    c.get(iv);
    to();
    c.op(Op.i32GeS).opU(Op.brIf, 1);
    inner();
    c.get(iv).i32(1).op(Op.i32Add).set(iv).opU(Op.br, 0);
    c.op(Op.end).op(Op.end);
  };
  const konst = (v: number) => () => {
    c.i32(v);
  };
  /** `if (cond) then` */
  const when = (cond: () => void, then: () => void, otherwise?: () => void) => {
    cond();
    c.open(Op.if);
    then();
    if (otherwise) {
      c.op(Op.else);
      otherwise();
    }
    c.op(Op.end);
  };

  // ---- expressions --------------------------------------------------------------------------
  interface Vars {
    readonly k: number;
    readonly i: number;
    readonly j: number;
  }
  interface Env {
    /** Index locals of inputs (and of parameters unless `at` says otherwise). */
    readonly v: Vars;
    /** Index locals of parameters (the class's representative in the shared phase). */
    readonly at: Vars;
    /** The delayed spike of the element. */
    readonly spike?: number;
    readonly states: Map<string, number>;
    readonly outputs: Map<string, number>;
    readonly lets: Map<string, number>;
  }
  const globalLets = new Map<string, number>();
  const callMath = (name: string, args: readonly TExpr[], e: Env) => {
    for (const arg of args) {
      ex(arg, e);
      c.op(Op.f64PromoteF32);
    }
    c.opU(Op.call, mathIndex(name as Parameters<typeof mathIndex>[0], natives)).op(Op.f32DemoteF64);
  };
  const slotValue = (slot: string, extent: Extent, at: Vars) => {
    const [kind, name] = slot.split(':') as [string, string];
    const one = slotOne(owner, slot, extent);
    const ty = typeOf(slot);
    if (one !== undefined) {
      c.get(entry(`scalar:${slot}`, { kind: 'scalar', slot, ty, value: one }, vt(ty)));
      return;
    }
    const values = kind === 'param' ? inst.arrayParams.get(name) : inst.derived[Number(name)];
    if (values === undefined || typeof values === 'number') {
      no(`${slot}: no values`);
      return;
    }
    const p = entry(`array:${slot}`, { kind: 'array', slot, ty, values }, 'i32');
    const index = extent === 'synapse' ? at.k : extent === 'unit' ? at.i : at.j;
    addr(p, local(index), 4);
    c.mem(ty === 'f32' ? Op.f32Load : Op.i32Load, 2, 0);
  };
  const ex = (e: TExpr, env: Env): void => {
    switch (e.k) {
      case 'const':
        if (e.ty === 'f32') c.f32(Math.fround(e.value));
        else if (e.ty === 'bool') c.i32(e.value ? 1 : 0);
        else c.i32(e.value | 0);
        return;
      case 'dt':
        c.get(dtL);
        return;
      case 'param':
        slotValue(`param:${e.name}`, e.extent, env.at);
        return;
      case 'derived':
        slotValue(`derived:${e.id}`, e.extent, env.at);
        return;
      case 'state': {
        const l = env.states.get(e.name);
        if (l === undefined) no(`state ${e.name} read where it is not loaded`);
        c.get(l as number);
        return;
      }
      case 'output':
        c.get(env.outputs.get(e.name) as number);
        return;
      case 'local': {
        const l = env.lets.get(e.name) ?? globalLets.get(e.name);
        if (l === undefined) no(`let ${e.name} read before it is set`);
        c.get(l as number);
        return;
      }
      case 'input': {
        const ev = a.events[e.name];
        if (ev?.source === 'delayed') {
          if (env.spike === undefined) no(`spike ${e.name} read where it is not known`);
          c.get(env.spike as number);
          return;
        }
        const index = e.extent === 'synapse' ? env.v.k : e.extent === 'unit' ? env.v.i : env.v.j;
        loadAs(e.name, e.extent === 'scalar' ? konst(0) : local(index), e.ty);
        return;
      }
      case 'unary':
        if (e.op === '!') {
          ex(e.a, env);
          c.op(Op.i32Eqz);
        } else if (e.ty === 'f32') {
          ex(e.a, env);
          c.op(Op.f32Neg);
        } else if (e.ty === 'i32') {
          c.i32(0);
          ex(e.a, env);
          c.op(Op.i32Sub);
        } else no(`negation of ${e.ty}`);
        return;
      case 'binary':
        binary(e, env);
        return;
      case 'select':
        ex(e.t, env);
        ex(e.e, env);
        ex(e.c, env);
        c.op(Op.select);
        return;
      case 'cast': {
        ex(e.a, env);
        const from = e.a.ty;
        if (from === e.fn || (from === 'bool' && e.fn !== 'f32')) return;
        if (e.fn === 'f32') c.op(from === 'i32' ? Op.f32ConvertI32S : Op.f32ConvertI32U);
        else if (from === 'f32') c.op(Op.prefixFC, e.fn === 'i32' ? 0x00 : 0x01);
        // i32 ↔ u32: the same bits
        return;
      }
      case 'math':
        math(e, env);
        return;
      case 'rand':
        no('random draws');
    }
  };
  const binary = (e: Extract<TExpr, { k: 'binary' }>, env: Env) => {
    const t = e.a.ty;
    const f = t === 'f32';
    const u = t === 'u32';
    if (e.op === '%' && f) {
      callMath('fmod', [e.a, e.b], env);
      return;
    }
    if ((e.op === '/' || e.op === '%') && !f) no(`integer ${e.op}`);
    ex(e.a, env);
    ex(e.b, env);
    const op = {
      '+': f ? Op.f32Add : Op.i32Add,
      '-': f ? Op.f32Sub : Op.i32Sub,
      '*': f ? Op.f32Mul : Op.i32Mul,
      '/': Op.f32Div,
      '==': f ? Op.f32Eq : Op.i32Eq,
      '!=': f ? Op.f32Ne : Op.i32Ne,
      '<': f ? Op.f32Lt : u ? Op.i32LtU : Op.i32LtS,
      '<=': f ? Op.f32Le : u ? Op.i32LeU : Op.i32LeS,
      '>': f ? Op.f32Gt : u ? Op.i32GtU : Op.i32GtS,
      '>=': f ? Op.f32Ge : u ? Op.i32GeU : Op.i32GeS,
      '&&': Op.i32And,
      '||': Op.i32Or,
    }[e.op as string];
    if (op === undefined) no(`operator ${e.op}`);
    c.op(op as number);
  };
  const math = (e: Extract<TExpr, { k: 'math' }>, env: Env) => {
    const f = e.ty === 'f32';
    const u = e.ty === 'u32';
    const arg = (k: number) => ex(e.args[k] as TExpr, env);
    /** min/max of the two values on the stack (integers: by a compare and a select). */
    const pick = (max: boolean) => {
      if (f) {
        c.op(max ? Op.f32Max : Op.f32Min);
        return;
      }
      const [p, q] = [L('i32'), L('i32')];
      c.set(q).set(p);
      c.get(p).get(q).get(p).get(q);
      c.op(max ? (u ? Op.i32GtU : Op.i32GtS) : u ? Op.i32LtU : Op.i32LtS).op(Op.select);
    };
    switch (e.fn) {
      case 'exp':
      case 'log':
      case 'tanh':
      case 'sin':
      case 'cos':
      case 'pow':
        if (!f) no(`${e.fn} of ${e.ty}`);
        callMath(e.fn, e.args, env);
        return;
      case 'sqrt':
      case 'floor':
      case 'ceil':
      case 'round':
        if (!f) no(`${e.fn} of ${e.ty}`);
        arg(0);
        c.op({ sqrt: Op.f32Sqrt, floor: Op.f32Floor, ceil: Op.f32Ceil, round: Op.f32Nearest }[e.fn]);
        return;
      case 'abs':
        arg(0);
        if (f) c.op(Op.f32Abs);
        else if (!u) {
          const p = L('i32');
          c.set(p);
          c.i32(0).get(p).op(Op.i32Sub).get(p).get(p).i32(0).op(Op.i32LtS).op(Op.select);
        }
        return;
      case 'min':
      case 'max':
        arg(0);
        arg(1);
        pick(e.fn === 'max');
        return;
      case 'clamp':
        arg(0);
        arg(1);
        pick(true);
        arg(2);
        pick(false);
        return;
      case 'sign': {
        const p = L(f ? 'f32' : 'i32');
        arg(0);
        c.set(p);
        const one = (v: number) => (f ? c.f32(v) : c.i32(v));
        one(1);
        one(-1);
        one(0);
        c.get(p);
        if (f) c.f32(0).op(Op.f32Lt);
        else c.i32(0).op(Op.i32LtS);
        c.op(Op.select);
        c.get(p);
        if (f) c.f32(0).op(Op.f32Gt);
        else c.i32(0).op(Op.i32GtS);
        c.op(Op.select);
        return;
      }
      default:
        no(`math ${e.fn}`);
    }
  };

  /** How an element's states and outputs are read and written. */
  interface ElementAccess {
    readonly v: Vars;
    readonly at?: Vars;
    readonly spike?: number;
    /** Pushes a state's value before the step, or returns false (not loaded). */
    loadState?(name: string): boolean;
    storeState?(name: string, value: number): void;
    storeOutput?(name: string, value: number): void;
  }
  /** One element: states loaded, the statements, states and outputs stored; returns its lets. */
  const element = (statements: readonly TStmt[], acc: ElementAccess, lets = new Map<string, number>()) => {
    const env: Env = {
      v: acc.v,
      at: acc.at ?? acc.v,
      ...(acc.spike !== undefined ? { spike: acc.spike } : {}),
      states: new Map(),
      outputs: new Map(),
      lets,
    };
    for (const s of def.state) {
      const l = L(vt(s.type));
      if (acc.loadState?.(s.name)) {
        c.set(l);
        env.states.set(s.name, l);
      }
    }
    for (const o of def.outputs) {
      const l = L(vt(o.type));
      if (o.type === 'f32') c.f32(0);
      else c.i32(0);
      c.set(l);
      env.outputs.set(o.name, l);
    }
    const assigned = new Set<string>();
    for (const st of statements) {
      ex(st.value, env);
      if (st.k === 'let') {
        const l = L(vt(st.value.ty));
        c.set(l);
        lets.set(st.name, l);
      } else if (st.to === 'state') {
        let l = env.states.get(st.target);
        if (l === undefined) {
          l = L(vt(st.value.ty));
          env.states.set(st.target, l);
        }
        c.set(l);
        assigned.add(st.target);
      } else c.set(env.outputs.get(st.target) as number);
    }
    for (const s of def.state)
      if (assigned.has(s.name)) acc.storeState?.(s.name, env.states.get(s.name) as number);
    for (const o of def.outputs) acc.storeOutput?.(o.name, env.outputs.get(o.name) as number);
    return lets;
  };

  // ---- the step ---------------------------------------------------------------------------
  let zeroV: number | undefined;
  const zero = L('i32');
  const zeroF = L('f32');
  const i32 = () => L('i32');
  const [k, i, j, b, bEnd, dm, r] = [i32(), i32(), i32(), i32(), i32(), i32(), i32()];
  const [cl, at, rk, ri, rj, w, dk] = [i32(), i32(), i32(), i32(), i32(), i32(), i32()];
  const sv = L('f32');
  const VARS: Vars = { k, i, j };
  const RO = aux('ro');
  const DM = form.delayedInput !== undefined ? aux('dm') : -1;
  const dmBytes: 1 | 4 = S <= 256 ? 1 : 4;
  const dmAt = (idx: () => void) => (dmBytes === 1 ? u8At(DM, idx) : i32At(DM, idx));
  const ring = form.delayedInput !== undefined ? `${form.delayedInput}@ring` : '';
  const offsets = form.delayedInput !== undefined ? `${form.delayedInput}@offsets` : '';
  const posts = form.delayedInput !== undefined ? `${form.delayedInput}@posts` : '';

  // Ring row offsets of this step by delay: RO[d] = ((w + S − d) mod S) · pre.
  c.get(STEP).i32(S).op(Op.i32RemU).set(w);
  forLoop(dm, konst(0), konst(S), () => {
    addr(RO, local(dm), 4);
    c.get(w).i32(S).op(Op.i32Add).get(dm).op(Op.i32Sub).i32(S).op(Op.i32RemU).i32(pre).op(Op.i32Mul);
    c.mem(Op.i32Store, 2, 0);
  });
  // The step's invariants.
  element(form.hoisted, { v: { k: zero, i: zero, j: zero } }, globalLets);

  /** `r = RO[dm]` */
  const ringRow = () => i32At(RO, local(dm));
  /**
   * For every ring cell (dm, j) with a spike that `admit` lets through (the spike's value on the
   * stack is kept in `sv`), every synapse of its bucket: `i` its post unit, `k = i·pre + j`.
   */
  const arrivals = (admit: (() => void) | undefined, each: () => void) =>
    forLoop(dm, konst(0), konst(S), () => {
      ringRow();
      c.set(r);
      forLoop(j, konst(0), konst(pre), () => {
        loadAs(ring, () => c.get(r).get(j).op(Op.i32Add), 'f32');
        c.tee(sv).f32(0).op(Op.f32Ne);
        if (admit) {
          admit();
          c.op(Op.i32And);
        }
        c.open(Op.if);
        loadIndex(offsets, () => c.get(dm).i32(pre).op(Op.i32Mul).get(j).op(Op.i32Add).i32(1).op(Op.i32Add));
        c.set(bEnd);
        forLoop(
          b,
          () => loadIndex(offsets, () => c.get(dm).i32(pre).op(Op.i32Mul).get(j).op(Op.i32Add)),
          local(bEnd),
          () => {
            loadIndex(posts, local(b));
            c.tee(i).i32(pre).op(Op.i32Mul).get(j).op(Op.i32Add).set(k);
            each();
          },
        );
        c.op(Op.end);
      });
    });
  const cls = () => {
    if (C > 1) loadIndex('@classes', local(k));
    else c.i32(0);
  };

  // 1. Shared states, once per key (and class), in place.
  const REP = aux('rep');
  for (const { state, key, statements } of form.shared) {
    const half = form.halfStates.has(state);
    const run = (atExpr: () => void, v: Vars, spike?: number) => {
      forLoop(cl, konst(0), konst(C), () => {
        atExpr();
        c.set(at);
        i32At(REP, local(cl));
        c.tee(rk).i32(pre).op(Op.i32DivU).set(ri);
        c.get(rk).i32(pre).op(Op.i32RemU).set(rj);
        element(statements, {
          v,
          at: { k: rk, i: ri, j: rj },
          ...(spike !== undefined ? { spike } : {}),
          loadState: (name) => {
            if (name !== state) return false;
            loadF32(state, local(at));
            if (half) roundHalf();
            return true;
          },
          storeState: (name, value) => {
            if (name === state) storeF32(state, local(at), value);
          },
        });
      });
    };
    // four keys at a time where the vector form takes the statements; the scalar loop from `from`
    const vector = key === 'pre' || key === 'post' ? sharedVector(state, key, statements, half) : undefined;
    if (vector !== undefined) c.bytes.push(...vector.code);
    const from = konst(vector?.end ?? 0);
    if (key === 'pre' && form.delayedInput !== undefined)
      forLoop(dm, konst(0), konst(S), () => {
        ringRow();
        c.set(r);
        forLoop(j, from, konst(pre), () => {
          loadAs(ring, () => c.get(r).get(j).op(Op.i32Add), 'f32');
          c.set(sv);
          run(
            () =>
              c
                .get(dm)
                .i32(pre)
                .op(Op.i32Mul)
                .get(j)
                .op(Op.i32Add)
                .i32(C)
                .op(Op.i32Mul)
                .get(cl)
                .op(Op.i32Add),
            { k: rk, i: ri, j },
            sv,
          );
        });
      });
    else if (key === 'pre')
      forLoop(j, from, konst(pre), () =>
        run(() => c.get(j).i32(C).op(Op.i32Mul).get(cl).op(Op.i32Add), { k: rk, i: ri, j }),
      );
    else if (key === 'post')
      forLoop(i, from, konst(post), () =>
        run(() => c.get(i).i32(C).op(Op.i32Mul).get(cl).op(Op.i32Add), { k: rk, i, j: rj }),
      );
    else run(local(cl), { k: rk, i: ri, j: rj });
  }

  // 2. Integrators: decay the row sums, add the increments of the arriving events.
  if (form.integrators.length > 0) {
    for (const g of form.integrators) {
      const lets = element(g.factor, { v: { k: zero, i: zero, j: zero } });
      const f = lets.get(`f_${g.name}`) as number;
      forLoop(i, konst(0), konst(post), () => {
        addr(ptr(g.name), local(i), 4);
        c.get(f);
        loadF32(g.name, local(i));
        c.op(Op.f32Mul).mem(Op.f32Store, 2, 0);
      });
    }
    const addAt = (spike: number) => {
      for (const g of form.integrators) {
        const lets = element(g.increment, { v: VARS, spike });
        const d = lets.get(`d_${g.name}`) as number;
        addr(ptr(g.name), local(i), 4);
        loadF32(g.name, local(i));
        c.get(d).op(Op.f32Add).mem(Op.f32Store, 2, 0);
      }
    };
    if (form.delayedInput !== undefined) arrivals(undefined, () => addAt(sv));
    else
      forLoop(j, konst(0), konst(pre), () => {
        anySpike(form.preInputs, j);
        c.open(Op.if);
        forLoop(i, konst(0), konst(post), () => {
          c.get(i).i32(pre).op(Op.i32Mul).get(j).op(Op.i32Add).set(k);
          addAt(zeroF);
        });
        c.op(Op.end);
      });
    const rows = a.rows;
    if (rows && 'state' in rows)
      forLoop(i, konst(0), konst(post), () => {
        const v = L('f32');
        loadF32(rows.state, local(i));
        c.set(v);
        storeF32('@rows', local(i), v);
      });
    else if (form.rowTerms) {
      forLoop(i, konst(0), konst(post), () => storeF32('@rows', local(i), zeroF));
      for (const t of form.rowTerms) {
        const n = form.rowTerms.indexOf(t);
        const lets = element(t.coefficient, { v: { k: zero, i: zero, j: zero } });
        const co = lets.get(`c${n}`) as number;
        // rows[i] += c·state[i], rounded once from float64 (as the JavaScript form's `+=`).
        forLoop(i, konst(0), konst(post), () => {
          addr(ptr('@rows'), local(i), 4);
          loadF32('@rows', local(i));
          c.op(Op.f64PromoteF32).get(co).op(Op.f64PromoteF32);
          loadF32(t.state, local(i));
          c.op(Op.f64PromoteF32).op(Op.f64Mul).op(Op.f64Add).op(Op.f32DemoteF64);
          c.mem(Op.f32Store, 2, 0);
        });
      }
    }
  }

  /** Pushes whether any of `inputs` is non-zero at index local `ix` (i32 0/1). */
  function anySpike(inputs: readonly string[], ix: number) {
    if (inputs.length === 0) {
      c.i32(0);
      return;
    }
    inputs.forEach((n, q) => {
      loadAs(n, local(ix), 'f32');
      c.f32(0).op(Op.f32Ne);
      if (q > 0) c.op(Op.i32Or);
    });
  }

  // 3. Event sites: rows of spiking post units, columns of spiking (direct) pre units, synapses
  //    whose delayed spike arrives; each once.
  if (form.site !== undefined) {
    const ROW = aux('row');
    const COL = aux('col');
    const siteKey = (state: string) => {
      const key = a.shared[state];
      if (key === 'all') cls();
      else if (key === 'post') {
        c.get(i).i32(C).op(Op.i32Mul);
        cls();
        c.op(Op.i32Add);
      } else if (form.delayedInput !== undefined) {
        c.get(dk);
        c.i32(pre).op(Op.i32Mul).get(j).op(Op.i32Add).i32(C).op(Op.i32Mul);
        cls();
        c.op(Op.i32Add);
      } else {
        c.get(j).i32(C).op(Op.i32Mul);
        cls();
        c.op(Op.i32Add);
      }
    };
    const siteAccess: ElementAccess = {
      v: VARS,
      spike: sv,
      loadState: (name) => {
        if (a.shared[name] === undefined) return false;
        loadF32(name, () => siteKey(name));
        return true;
      },
      storeOutput: (name, value) => {
        const input = a.inPlace[name];
        if (input !== undefined) storeF32(input, local(k), value);
      },
    };
    // The site's delay slot `dk` and delayed spike `sv`, from its synapse's delay (rows and columns;
    // an arrival knows both: its bucket's slot and the spike that arrived).
    const siteSpike = () => {
      if (form.delayedInput !== undefined) {
        dmAt(local(k));
        c.set(dk);
        loadAs(
          ring,
          () => {
            i32At(RO, local(dk));
            c.get(j).op(Op.i32Add);
          },
          'f32',
        );
        c.set(sv);
      } else c.f32(0).set(sv);
    };
    /** A site: `split` into its quiet and full forms by its delayed spike (a row), or with no post spike. */
    const site = (split: boolean, arrival = false) => {
      if (arrival) c.get(dm).set(dk);
      else siteSpike();
      if (!split) {
        element((form.siteNoPost ?? form.site) as readonly TStmt[], siteAccess);
        return;
      }
      if (form.siteQuiet !== undefined) {
        const quiet = form.siteQuiet;
        const full = form.site as readonly TStmt[];
        when(
          () => c.get(sv).f32(0).op(Op.f32Eq),
          () => element(quiet, siteAccess),
          () => element(full, siteAccess),
        );
      } else element(form.site as readonly TStmt[], siteAccess);
    };
    forLoop(i, konst(0), konst(post), () => {
      addr(ROW, local(i), 1);
      anySpike(form.postInputs, i);
      c.mem(Op.i32Store8, 0, 0);
    });
    forLoop(j, konst(0), konst(pre), () => {
      addr(COL, local(j), 1);
      anySpike(form.preInputs, j);
      c.mem(Op.i32Store8, 0, 0);
    });
    const rowVector = quietRowVector();
    forLoop(i, konst(0), konst(post), () =>
      when(
        () => u8At(ROW, local(i)),
        () => {
          // Four sites at a time where every delayed spike of the four is 0 (the quiet element as
          // float32x4 — the same operations lane by lane), else and in the tail the scalar site.
          let from = konst(0);
          if (rowVector !== undefined && pre >= 4) {
            c.bytes.push(...rowVector);
            from = konst(pre - (pre % 4));
          }
          forLoop(j, from, konst(pre), () => {
            c.get(i).i32(pre).op(Op.i32Mul).get(j).op(Op.i32Add).set(k);
            site(true);
          });
        },
      ),
    );
    /**
     * The vector part of a spiking row (`j` below `pre − pre mod 4`, in steps of 4), or undefined
     * where the quiet element uses what the vector form lacks (or the engine has no SIMD).
     */
    function quietRowVector(): number[] | undefined {
      const quiet = form.siteQuiet;
      if (quiet === undefined || C > 1 || !wasmSimdSupported()) return undefined;
      return aside(() => {
        const dks = [i32(), i32(), i32(), i32()];
        const j0 = i32();
        const bits = i32();
        const ringBytes = sizeOf(x.dtype(ring));
        const end = pre - (pre % 4);
        c.i32(0).set(j);
        c.open(Op.block).open(Op.loop);
        c.get(j).i32(end).op(Op.i32GeS).opU(Op.brIf, 1);
        c.get(i).i32(pre).op(Op.i32Mul).get(j).op(Op.i32Add).set(k);
        // the four delay slots, and whether any of the four delayed spikes is not +0 (its bits)
        c.i32(0).set(bits);
        dks.forEach((d, l) => {
          u8OrI32At(DM, () => c.get(k).i32(l).op(Op.i32Add));
          c.set(d);
          addr(
            ptr(ring),
            () => {
              i32At(RO, local(d));
              c.get(j).op(Op.i32Add).i32(l).op(Op.i32Add);
            },
            ringBytes,
          );
          c.mem(
            ringBytes === 4 ? Op.i32Load : ringBytes === 2 ? Op.i32Load16U : Op.i32Load8U,
            ringBytes === 4 ? 2 : ringBytes === 2 ? 1 : 0,
            0,
          );
          c.get(bits).op(Op.i32Or).set(bits);
        });
        c.get(bits);
        c.open(Op.if);
        // a spike among the four: the scalar site for each
        c.get(j).set(j0);
        for (let l = 0; l < 4; l++) {
          c.get(j0).i32(l).op(Op.i32Add).set(j);
          c.get(i).i32(pre).op(Op.i32Mul).get(j).op(Op.i32Add).set(k);
          site(true);
        }
        c.get(j0).set(j);
        c.op(Op.else);
        elementV(quiet, { kind: 'row', dks });
        c.op(Op.end);
        c.get(j).i32(4).op(Op.i32Add).set(j).opU(Op.br, 0);
        c.op(Op.end).op(Op.end);
      });
    }
    if (form.preInputs.length > 0)
      forLoop(j, konst(0), konst(pre), () =>
        when(
          () => u8At(COL, local(j)),
          () =>
            forLoop(i, konst(0), konst(post), () =>
              when(
                () => {
                  u8At(ROW, local(i));
                  c.op(Op.i32Eqz);
                },
                () => {
                  c.get(i).i32(pre).op(Op.i32Mul).get(j).op(Op.i32Add).set(k);
                  site(false);
                },
              ),
            ),
        ),
      );
    if (form.delayedInput !== undefined)
      arrivals(
        () => {
          u8At(COL, local(j));
          c.op(Op.i32Eqz);
        },
        () =>
          when(
            () => {
              u8At(ROW, local(i));
              c.op(Op.i32Eqz);
            },
            () => site(false, true),
          ),
      );
  }

  // ---- float32x4 elements (four sites of a row: k, j the first; i shared) ----------------
  /** The delay slot array's element at the index pushed by `idx` (u8 or i32). */
  function u8OrI32At(p: number, idx: () => void) {
    if (dmBytes === 1) u8At(p, idx);
    else i32At(p, idx);
  }
  /** Emits the quiet element for four sites as float32x4; `dks`: the four delay slots. */
  function elementV(statements: readonly TStmt[], lanes: VectorLanes) {
    const lets = new Map<string, number>();
    const states = new Map<string, number>();
    const outputs = new Map<string, number>();
    const V = () => L('v128');
    const splatF = () => c.simd(Simd.f32x4Splat);
    const lanesOf = (load: (l: number) => void): void => {
      const v = V();
      const t = L('f32');
      for (let l = 0; l < 4; l++) {
        load(l);
        if (l === 0) {
          splatF();
          c.set(v);
        } else {
          c.set(t);
          c.get(v).get(t).simd(Simd.f32x4ReplaceLane, l).set(v);
        }
      }
      c.get(v);
    };
    const vecLoad = (p: number, idx: () => void) => {
      addr(p, idx, 4);
      c.simdMem(Simd.v128Load, 0, 0);
    };
    const f32Only = (slot: string) => {
      if (x.dtype(slot) !== 'float32') lacks(`${slot} stored as ${x.dtype(slot)}`);
    };
    // shared states, as the site reads them (the shared phase: its own state's vector only)
    if (lanes.kind === 'shared') states.set(lanes.state, lanes.vec);
    const dks = lanes.kind === 'row' ? lanes.dks : [];
    for (const st of lanes.kind === 'row' ? def.state : []) {
      const key = a.shared[st.name];
      if (key === undefined) continue;
      const v = V();
      const p = ptr(st.name);
      if (key === 'all') {
        loadF32(st.name, konst(0));
        splatF();
      } else if (key === 'post') {
        loadF32(st.name, local(i));
        splatF();
      } else if (form.delayedInput !== undefined)
        lanesOf((l) => {
          addr(
            p,
            () =>
              c
                .get(dks[l] as number)
                .i32(pre)
                .op(Op.i32Mul)
                .get(j)
                .op(Op.i32Add)
                .i32(l)
                .op(Op.i32Add),
            4,
          );
          c.mem(Op.f32Load, 2, 0);
        });
      else vecLoad(p, local(j));
      c.set(v);
      states.set(st.name, v);
    }
    for (const o of def.outputs) {
      if (o.type !== 'f32') lacks(`output ${o.name} of type ${o.type}`);
      const v = V();
      c.get(kZero()).set(v);
      outputs.set(o.name, v);
    }
    const slotV = (slot: string, extent: Extent) => {
      const one = slotOne(owner, slot, extent);
      const ty = typeOf(slot);
      if (ty !== 'f32') lacks(`${slot} of type ${ty}`);
      if (one !== undefined) {
        c.get(entry(`scalar:${slot}`, { kind: 'scalar', slot, ty, value: one }, 'f32'));
        splatF();
        return;
      }
      const [kind, name] = slot.split(':') as [string, string];
      const values = kind === 'param' ? inst.arrayParams.get(name) : inst.derived[Number(name)];
      if (values === undefined || typeof values === 'number') lacks(`${slot}: no values`);
      const p = entry(
        `array:${slot}`,
        { kind: 'array', slot, ty, values: values as ArrayLike<number> },
        'i32',
      );
      if (extent === 'scalar') lacks(`${slot}: a scalar with values`);
      if (lanes.kind === 'shared') {
        // the class's representative (one class): the same element in every lane
        addr(p, local(extent === 'synapse' ? rk : extent === 'unit' ? ri : rj), 4);
        c.mem(Op.f32Load, 2, 0);
        splatF();
      } else if (extent === 'unit') {
        addr(p, local(i), 4);
        c.mem(Op.f32Load, 2, 0);
        splatF();
      } else vecLoad(p, local(extent === 'synapse' ? k : j));
    };
    const exV = (e: TExpr): void => {
      switch (e.k) {
        case 'const':
          if (e.ty === 'f32') {
            c.f32(Math.fround(e.value));
            splatF();
          } else if (e.ty === 'bool') c.i32(e.value ? -1 : 0).simd(Simd.i32x4Splat);
          else lacks(`an ${e.ty} constant`);
          return;
        case 'dt':
          c.get(dtL);
          splatF();
          return;
        case 'param':
          slotV(`param:${e.name}`, e.extent);
          return;
        case 'derived':
          slotV(`derived:${e.id}`, e.extent);
          return;
        case 'state': {
          const l = states.get(e.name);
          if (l === undefined) lacks(`state ${e.name} not loaded`);
          c.get(l as number);
          return;
        }
        case 'output':
          c.get(outputs.get(e.name) as number);
          return;
        case 'local': {
          const l = lets.get(e.name);
          if (l !== undefined) {
            c.get(l);
            return;
          }
          const g = globalLets.get(e.name);
          if (g === undefined || e.ty !== 'f32') lacks(`let ${e.name}`);
          c.get(g as number);
          splatF();
          return;
        }
        case 'input': {
          const ev = a.events[e.name];
          if (lanes.kind === 'shared' && e.ty === 'f32') {
            if (ev?.source === 'delayed') {
              if (lanes.spike === undefined) lacks(`spike ${e.name}`);
              c.get(lanes.spike as number);
              return;
            }
            // the lanes' own elements of their extent (i or j), the representative's of the others
            const own = e.extent === (lanes.over === 'j' ? 'pre' : 'unit');
            if (own && x.dtype(e.name) === 'float32') {
              vecLoad(ptr(e.name), local(lanes.over === 'j' ? j : i));
              return;
            }
            const at = (l: number) =>
              e.extent === 'scalar'
                ? konst(0)
                : own
                  ? () =>
                      c
                        .get(lanes.over === 'j' ? j : i)
                        .i32(l)
                        .op(Op.i32Add)
                  : local(e.extent === 'synapse' ? rk : e.extent === 'unit' ? ri : rj);
            if (own) lanesOf((l) => loadAs(e.name, at(l), 'f32'));
            else {
              loadAs(e.name, at(0), 'f32');
              splatF();
            }
            return;
          }
          if (ev?.source === 'delayed' || e.ty !== 'f32') lacks(`input ${e.name}`);
          if (e.extent === 'unit' || e.extent === 'scalar') {
            loadAs(e.name, e.extent === 'scalar' ? konst(0) : local(i), 'f32');
            splatF();
          } else {
            f32Only(e.name);
            vecLoad(ptr(e.name), local(e.extent === 'synapse' ? k : j));
          }
          return;
        }
        case 'unary':
          exV(e.a);
          if (e.op === '!') c.simd(Simd.v128Not);
          else if (e.ty === 'f32') c.simd(Simd.f32x4Neg);
          else lacks(`negation of ${e.ty}`);
          return;
        case 'binary': {
          const f = e.a.ty === 'f32';
          const op = f
            ? {
                '+': Simd.f32x4Add,
                '-': Simd.f32x4Sub,
                '*': Simd.f32x4Mul,
                '/': Simd.f32x4Div,
                '==': Simd.f32x4Eq,
                '!=': Simd.f32x4Ne,
                '<': Simd.f32x4Lt,
                '<=': Simd.f32x4Le,
                '>': Simd.f32x4Gt,
                '>=': Simd.f32x4Ge,
              }[e.op as string]
            : e.a.ty === 'bool'
              ? { '&&': Simd.v128And, '||': Simd.v128Or }[e.op as string]
              : undefined;
          if (op === undefined) lacks(`${e.a.ty} ${e.op}`);
          exV(e.a);
          exV(e.b);
          c.simd(op as number);
          return;
        }
        case 'select':
          if (e.c.ty !== 'bool') lacks('a select on a number');
          exV(e.t);
          exV(e.e);
          exV(e.c);
          c.simd(Simd.v128Bitselect);
          return;
        case 'math': {
          if (e.ty !== 'f32') lacks(`${e.fn} of ${e.ty}`);
          const arg = (n: number) => exV(e.args[n] as TExpr);
          const unary = {
            abs: Simd.f32x4Abs,
            sqrt: Simd.f32x4Sqrt,
            floor: Simd.f32x4Floor,
            ceil: Simd.f32x4Ceil,
            round: Simd.f32x4Nearest,
          }[e.fn as string];
          if (unary !== undefined) {
            arg(0);
            c.simd(unary);
          } else if (e.fn === 'min' || e.fn === 'max') {
            arg(0);
            arg(1);
            c.simd(e.fn === 'max' ? Simd.f32x4Max : Simd.f32x4Min);
          } else if (e.fn === 'clamp') {
            arg(0);
            arg(1);
            c.simd(Simd.f32x4Max);
            arg(2);
            c.simd(Simd.f32x4Min);
          } else if (e.fn === 'sign') {
            const p = V();
            arg(0);
            c.set(p);
            // (x < 0 ? −1 : x > 0 ? 1 : 0), as the scalar form's selects: NaN → 0
            c.f32(-1);
            splatF();
            c.f32(1);
            splatF();
            c.get(kZero());
            c.get(p).get(kZero()).simd(Simd.f32x4Gt).simd(Simd.v128Bitselect);
            c.get(p).get(kZero()).simd(Simd.f32x4Lt).simd(Simd.v128Bitselect);
          } else lacks(`math ${e.fn}`);
          return;
        }
        default:
          lacks(e.k);
      }
    };
    for (const st of statements) {
      exV(st.value);
      if (st.k === 'let') {
        const l = V();
        c.set(l);
        lets.set(st.name, l);
      } else if (lanes.kind === 'shared') {
        if (st.to !== 'state' || st.target !== lanes.state) lacks(`${st.to} ${st.target} assigned`);
        c.set(lanes.vec);
      } else if (st.to === 'output') c.set(outputs.get(st.target) as number);
      else lacks(`state ${st.target} assigned at a site`);
    }
    for (const o of lanes.kind === 'row' ? def.outputs : []) {
      const input = a.inPlace[o.name];
      if (input === undefined) continue;
      f32Only(input);
      addr(ptr(input), local(k), 4);
      c.get(outputs.get(o.name) as number).simdMem(Simd.v128Store, 0, 0);
    }
  }
  /**
   * The lanes of a vector element: four sites of a spiking row (`k`, `j` the first; `dks` their
   * delay slots), or four keys of a shared state's update (`over` j or i from the current one; `vec`
   * the state's values, `spike` the delayed spikes).
   */
  type VectorLanes =
    | { readonly kind: 'row'; readonly dks: readonly number[] }
    | {
        readonly kind: 'shared';
        readonly over: 'i' | 'j';
        readonly state: string;
        readonly vec: number;
        readonly spike?: number;
      };

  /**
   * The f32x4 in local `v` rounded to float16 values, lane by lane as `roundHalf` (float64: the
   * subnormal halves' 2^-24 grid by the 2^52 addend, the normal ones by their binade's magic addend,
   * ≥ 65520 to infinity, the sign copied). Leaves the f32x4 on the stack.
   */
  function roundHalfV(v: number) {
    const halves = [L('v128'), L('v128')];
    const av = L('v128');
    const m = L('v128');
    c.get(v)
      .simd(Simd.f64x2PromoteLowF32x4)
      .set(halves[0] as number);
    c.get(v).get(v).simd(Simd.i8x16Shuffle, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15);
    c.simd(Simd.f64x2PromoteLowF32x4).set(halves[1] as number);
    for (const h of halves) {
      c.get(h).simd(Simd.f64x2Abs).set(av);
      // subnormal halves: ((|v|·2^24 + 2^52) − 2^52)·2^-24
      c.get(av)
        .v128f64(2 ** 24)
        .simd(Simd.f64x2Mul)
        .v128f64(2 ** 52)
        .simd(Simd.f64x2Add);
      c.v128f64(2 ** 52)
        .simd(Simd.f64x2Sub)
        .v128f64(2 ** -24)
        .simd(Simd.f64x2Mul);
      // normal ones: (|v| + m) − m, m = the exponent field plus 42
      c.get(av).v128i32(0, 0x7ff00000, 0, 0x7ff00000).simd(Simd.v128And);
      c.v128i32(0, 42 << 20, 0, 42 << 20)
        .simd(Simd.i64x2Add)
        .set(m);
      c.get(av).get(m).simd(Simd.f64x2Add).get(m).simd(Simd.f64x2Sub);
      c.get(av)
        .v128f64(2 ** -14)
        .simd(Simd.f64x2Lt)
        .simd(Simd.v128Bitselect);
      // ≥ 65520: infinity
      c.set(m);
      c.v128f64(Number.POSITIVE_INFINITY).get(m).get(av).v128f64(65520).simd(F64X2_GE);
      c.simd(Simd.v128Bitselect).simd(Simd.f32x4DemoteF64x2Zero).set(h);
    }
    c.get(halves[0] as number).get(halves[1] as number);
    c.simd(Simd.i8x16Shuffle, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
    // the sign of v
    c.v128i32(0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff).simd(Simd.v128And);
    c.get(v).v128i32(-0x80000000, -0x80000000, -0x80000000, -0x80000000).simd(Simd.v128And);
    c.simd(Simd.v128Or);
  }

  /**
   * A shared state's update four keys at a time (one class; keys by presynaptic unit — per delay
   * slot — or by post unit): the lanes' states, spikes and inputs are consecutive, parameters the
   * representative's. Returns the loop's bytes and the first key the scalar tail starts at, or
   * undefined where the vector form lacks a construct.
   */
  function sharedVector(
    state: string,
    key: 'pre' | 'post',
    statements: readonly TStmt[],
    half: boolean,
  ): { readonly code: number[]; readonly end: number } | undefined {
    if (C > 1 || !wasmSimdSupported()) return undefined;
    const delayed = key === 'pre' && form.delayedInput !== undefined;
    const n = key === 'pre' ? pre : post;
    const end = n - (n % 4);
    if (end === 0) return undefined;
    const code = aside(() => {
      if (delayed && x.dtype(ring) !== 'float32') lacks(`ring stored as ${x.dtype(ring)}`);
      const vec = L('v128');
      const spike = delayed ? L('v128') : undefined;
      const iv = key === 'pre' ? j : i;
      // the representative of the one class
      i32At(REP, konst(0));
      c.tee(rk).i32(pre).op(Op.i32DivU).set(ri);
      c.get(rk).i32(pre).op(Op.i32RemU).set(rj);
      const base = () => {
        if (delayed) c.get(dm).i32(pre).op(Op.i32Mul).get(j).op(Op.i32Add);
        else c.get(iv);
      };
      const body = () => {
        c.i32(0).set(iv);
        c.open(Op.block).open(Op.loop);
        c.get(iv).i32(end).op(Op.i32GeS).opU(Op.brIf, 1);
        if (spike !== undefined) {
          addr(ptr(ring), () => c.get(r).get(j).op(Op.i32Add), 4);
          c.simdMem(Simd.v128Load, 0, 0).set(spike);
        }
        addr(ptr(state), base, 4);
        c.simdMem(Simd.v128Load, 0, 0).set(vec);
        if (half) {
          roundHalfV(vec);
          c.set(vec);
        }
        elementV(statements, {
          kind: 'shared',
          over: key === 'pre' ? 'j' : 'i',
          state,
          vec,
          ...(spike !== undefined ? { spike } : {}),
        });
        addr(ptr(state), base, 4);
        c.get(vec).simdMem(Simd.v128Store, 0, 0);
        c.get(iv).i32(4).op(Op.i32Add).set(iv).opU(Op.br, 0);
        c.op(Op.end).op(Op.end);
      };
      if (delayed)
        forLoop(dm, konst(0), konst(S), () => {
          ringRow();
          c.set(r);
          body();
        });
      else body();
    });
    return code === undefined ? undefined : { code, end };
  }

  /** A local holding the zero vector (set in the prologue). */
  function kZero(): number {
    if (zeroV === undefined) {
      zeroV = L('v128');
      pro.v128i32(0, 0, 0, 0).set(zeroV);
    }
    return zeroV;
  }

  // ---- the module -------------------------------------------------------------------------
  const mb = new ModuleBuilder();
  importHost(mb, x.shared, natives);
  const code = new Code();
  code.bytes.push(...pro.bytes, ...body.bytes);
  mb.exportFunction('run', mb.addFunction(['i32', 'i32'], [], locals, code));
  return { bytes: mb.toBytes(), entries, dmBytes, slots: S };
}

/**
 * Bytes the WebAssembly form of a `module.events` op may take in the program's memory, per set of
 * arrays (the table, parameter arrays, the delay slots of every synapse, the row and column flags).
 */
export function eventsWasmBytes(a: ModuleEventsAttrs, cm: CompiledModule, inst: InstanceData): number {
  // Per-element parameters and constants that are not one repeated value (`uniform`), by extent.
  const size = (e: Extent) =>
    e === 'synapse' ? a.post * a.pre : e === 'unit' ? a.post : e === 'pre' ? a.pre : 0;
  let arrays = 0;
  for (const p of cm.def.params) if (!inst.uniform.has(`param:${p.name}`)) arrays += 4 * size(p.extent) + 16;
  for (const d of cm.derived) if (!inst.uniform.has(`derived:${d.id}`)) arrays += 4 * size(d.extent) + 16;
  const delayed = Object.values(a.events).some((e) => e.source === 'delayed');
  const slots = Math.max(1, ...Object.values(a.events).map((e) => (e.source === 'delayed' ? e.slots : 1)));
  const dm = delayed ? a.post * a.pre * (slots <= 256 ? 1 : 4) + 16 : 0;
  const scratch = 4 * a.classes + a.post + a.pre + 4 * slots + 4 * 16;
  // the static part once; a table per set of arrays (the two parities of double-buffered bindings)
  return arrays + dm + scratch + 2 * 4096;
}

/**
 * An op's WebAssembly form bound to one set of arrays: the step calls `fn(table, step)` (every set of
 * arrays of the op shares `fn`: one instance per memory, its arrays named by the table).
 */
export interface WasmEventsCall {
  readonly fn: (table: number, step: number) => void;
  readonly table: number;
}

/**
 * Binds the WebAssembly form to the op's arrays in `memory` (`get(slot)`), or returns undefined when an
 * array is not in the memory or the memory has no room left (the op then runs its JavaScript form).
 */
export function bindEventsWasm(
  m: WasmEventsModule,
  x: { readonly attrs: ModuleEventsAttrs; readonly delays?: ArrayLike<number> },
  memory: HostMemory,
  get: (slot: string) => ArrayBufferView & ArrayLike<number>,
): WasmEventsCall | undefined {
  for (const e of m.entries) if (e.kind === 'buffer' && !memory.holds(get(e.slot))) return undefined;
  const statics = staticsOf(m, x, memory);
  if (statics === undefined || memory.free < 4 * m.entries.length + 16) return undefined;
  const table = memory.alloc(4 * m.entries.length);
  const buf = memory.memory.buffer;
  const i32 = new Int32Array(buf, table, m.entries.length);
  const f32 = new Float32Array(buf, table, m.entries.length);
  m.entries.forEach((e, n) => {
    if (e.kind === 'dt') f32[n] = e.value;
    else if (e.kind === 'scalar') {
      if (e.ty === 'f32') f32[n] = e.value;
      else i32[n] = e.value | 0;
    } else if (e.kind === 'buffer') i32[n] = get(e.slot).byteOffset;
    else i32[n] = statics.at[n] as number;
  });
  return { fn: statics.fn, table };
}

/** The arrays every binding of an op shares (parameters, delay slots, scratch) and its instance. */
interface Statics {
  /** Address per table entry (arrays and scratch). */
  readonly at: readonly number[];
  readonly fn: (table: number, step: number) => void;
}

const STATICS = new WeakMap<WasmEventsModule, Map<HostMemory, Statics>>();

/** The shared arrays of `m` in `memory`, made once (undefined: no room). */
function staticsOf(
  m: WasmEventsModule,
  x: { readonly attrs: ModuleEventsAttrs; readonly delays?: ArrayLike<number> },
  memory: HostMemory,
): Statics | undefined {
  const byMemory = STATICS.get(m) ?? new Map<HostMemory, Statics>();
  STATICS.set(m, byMemory);
  const hit = byMemory.get(memory);
  if (hit) return hit;
  const a = x.attrs;
  const synapses = a.post * a.pre;
  const need =
    m.entries.reduce((s, e) => s + (e.kind === 'array' ? 4 * e.values.length + 16 : 0), 0) +
    4 * a.classes +
    a.post +
    a.pre +
    (x.delays ? synapses * m.dmBytes : 0) +
    4 * m.slots +
    6 * 16;
  if (memory.free < need) return undefined;
  const buf = memory.memory.buffer;
  const at = m.entries.map((e) => {
    if (e.kind === 'array') {
      const p = memory.alloc(4 * e.values.length);
      if (e.ty === 'f32') new Float32Array(buf, p, e.values.length).set(e.values);
      else if (e.ty === 'u32') new Uint32Array(buf, p, e.values.length).set(e.values);
      else new Int32Array(buf, p, e.values.length).set(e.values);
      return p;
    }
    if (e.kind !== 'aux') return 0;
    if (e.name === 'rep') {
      const p = memory.alloc(4 * a.classes);
      new Int32Array(buf, p, a.classes).set(a.representatives);
      return p;
    }
    if (e.name === 'row') return memory.alloc(a.post);
    if (e.name === 'col') return memory.alloc(a.pre);
    if (e.name === 'ro') return memory.alloc(4 * m.slots);
    const p = memory.alloc(synapses * m.dmBytes);
    const d = x.delays as ArrayLike<number>;
    (m.dmBytes === 1 ? new Uint8Array(buf, p, synapses) : new Int32Array(buf, p, synapses)).set(d);
    return p;
  });
  const inst = instanceOver(m.bytes, memory);
  const s: Statics = { at, fn: inst.exports.run as Statics['fn'] };
  byMemory.set(memory, s);
  return s;
}
