/**
 * WebAssembly SIMD code generation: a group of compiled modules that share one index space (a single
 * module, or the element-wise members of a fused loop) becomes one WebAssembly function that processes
 * 4 elements per iteration in `f32x4`/`i32x4` lanes over buffers in one linear memory
 * ({@link HostMemory}), with a tail iteration for the last 1–3 elements.
 *
 * **It computes exactly what the JavaScript loop computes in float32** — the semantics of the generated
 * code, stated by the interpreter's `f32` mode: every f32 operation rounds to float32 (wasm `f32x4` ops
 * are IEEE single-precision), `exp log pow sin cos tanh` call the engine's own `Math` functions on the
 * float32 value and round the result (so they agree with JavaScript bit for bit in every engine), `%`
 * of floats calls JavaScript's `%`, integer `/` and `%` follow WGSL per lane, and random draws use the
 * Philox4x32-10 block of the vector — core's layout puts 4 consecutive elements in one block, so a
 * vector is exactly one call (`i64` multiplies for the high words).
 *
 * What it does not take, it says ({@link WasmUnsupported}) and the caller keeps the JavaScript loop:
 * normal draws in a synapse-domain module whose presynaptic size is not a multiple of 4, or members of
 * a group that read another member's output at another element. float16 storage is converted on
 * load and store (exactly, and rounding to nearest even, as core's conversions).
 *
 * The bytes depend only on the group's structure (definitions, uniform slots, access kinds); buffer
 * addresses, sizes and parameter values live in an argument table in memory, so one compiled module
 * serves every instance of a structure ({@link compileCached}).
 *
 * @module
 */

import { PHILOX_M0, PHILOX_M1, PHILOX_W0, PHILOX_W1 } from '@spark-snn/core';
import type { Extent } from '../lang/ast.ts';
import { type CompiledModule, compileDefinition } from '../lang/compile.ts';
import { childrenOf, type TExpr } from '../lang/ir.ts';
import { parseDefinition } from '../lang/parser.ts';
import type { JsKernelArgs } from './js.ts';
import { Code, f64FromWords, ModuleBuilder, Op, Simd, type ValType } from './wasm-emit.ts';
import { align16, HostMemory, MAX_HOST_MEMORY, WASM_PAGE, wasmSimdSupported } from './wasm-memory.ts';
import { addTanh, nativeTanhAgrees } from './wasm-tanh.ts';

/** One member of a group: a compiled module with the same arguments its JavaScript kernel takes. */
export interface WasmMember {
  readonly compiled: CompiledModule;
  /** Array slots holding one repeated value, read once per step (as for the JS kernel). */
  readonly uniform: ReadonlySet<string>;
  /** The slot names of the JS kernel (`generateJs`): the order of `args.scalars/arrays/io`. */
  readonly names: {
    readonly scalarNames: readonly string[];
    readonly arrayNames: readonly string[];
    readonly ioNames: readonly string[];
  };
  /** The JS kernel's arguments; every `io` array must be a view of the group's memory. */
  readonly args: JsKernelArgs;
  /**
   * Event lists to write: for each named output, the ascending indices of its non-zero elements this
   * step into `idx` and their number into `count[0]` (both views of the group's memory; `idx` holds
   * at least n indices).
   */
  readonly events?: readonly WasmEvents[];
}

/** An event list a member writes (see {@link WasmMember.events}). */
export interface WasmEvents {
  /** The output's name. */
  readonly output: string;
  readonly idx: Int32Array;
  readonly count: Int32Array;
}

/** Why a group runs its JavaScript loop instead. */
export interface WasmUnsupported {
  readonly unsupported: string;
}

/**
 * The exported function of a group's module: one step over rows `[from, to)` — elements in the unit
 * domain (`from` a multiple of 4), postsynaptic units in the synapse domain — with a private 16-byte
 * aligned tail scratch area of {@link WasmGroup.scratchBytes} at `scratch`.
 */
export type WasmRun = (table: number, step: number, from: number, to: number, scratch: number) => void;

/** A group compiled to WebAssembly, bound to its buffers. */
export interface WasmGroup {
  /** Executes one step (all members, every element): `fn(table, step, 0, rows, scratch)`. */
  run(step: number): void;
  /** The exported function (shared by every binding of the module in this memory). */
  readonly fn: WasmRun;
  /** Address of this binding's tail scratch. */
  readonly scratch: number;
  /** The module's bytes (for inspection and tests). */
  readonly bytes: Uint8Array;
  /** The compiled module (another thread instantiates it over the same shared memory). */
  readonly module: WebAssembly.Module;
  /** Address of the argument table (the first argument of {@link WasmRun}). */
  readonly table: number;
  /** Rows of a step: elements (unit domain) or postsynaptic units (synapse domain). */
  readonly rows: number;
  /** A partition of the rows starts at a multiple of this (4 in the unit domain: whole blocks). */
  readonly granule: number;
  /** Bytes of tail scratch each caller of {@link WasmRun} needs. */
  readonly scratchBytes: number;
}

/** How an array slot is read for element i (u = i / nPre, q = i % nPre in the synapse domain). */
type Access = 'vi' | 'vq' | 'su' | 's0';

function accessOf(extent: Extent, synapse: boolean): Access {
  if (extent === 'scalar') return 's0';
  if (extent === 'pre') return synapse ? 'vq' : 's0';
  if (extent === 'unit') return synapse ? 'su' : 'vi';
  return 'vi';
}

/** One array or io slot of a member in the argument table. */
interface Slot {
  readonly name: string;
  readonly access: Access;
  /** Byte offset of its pointer in the argument table. */
  readonly at: number;
  /** Index of its 16-byte tail scratch (vector slots). */
  scratch: number;
  /** float16 storage: 2 bytes per element, converted to and from float32 on load and store. */
  readonly half: boolean;
}

/** Layout and access facts of one member (structure only). */
interface MemberLayout {
  readonly base: number;
  readonly scalars: Map<string, number>;
  readonly arrays: Map<string, Slot>;
  readonly io: Map<string, Slot>;
  /** Draw site → table offset of its word buffer (one u32 per element, filled each step). */
  readonly rand: Map<number, number>;
  /** Event output → table offsets of its `idx` and `count` pointers. */
  readonly events: Map<string, readonly [number, number]>;
  readonly end: number;
}

/** Header of the argument table: n, nPre. */
const HEADER = 8;

function layoutOf(members: readonly WasmMember[]): {
  layouts: MemberLayout[];
  bytes: number;
  scratch: number;
} {
  let at = HEADER;
  let scratch = 0;
  const layouts = members.map((m): MemberLayout => {
    const synapse = m.compiled.def.domain === 'synapse';
    const base = at;
    at += 16; // k0, k1, streamBase, dt
    const scalars = new Map<string, number>();
    for (const s of m.names.scalarNames) {
      scalars.set(s, at);
      at += 4;
    }
    const extentOfArray = (slot: string): Extent => {
      const [kind, name] = slot.split(':') as [string, string];
      if (kind === 'param') return m.compiled.def.params.find((p) => p.name === name)?.extent ?? 'scalar';
      return m.compiled.derived[Number(name)]?.extent ?? 'scalar';
    };
    const arrays = new Map<string, Slot>();
    for (const s of m.names.arrayNames) {
      arrays.set(s, { name: s, access: accessOf(extentOfArray(s), synapse), at, scratch: -1, half: false });
      at += 4;
    }
    const io = new Map<string, Slot>();
    for (const s of m.names.ioNames) {
      const [kind, name] = s.split(':') as [string, string];
      const decl = (
        kind === 'state'
          ? m.compiled.def.state
          : kind === 'input'
            ? m.compiled.def.inputs
            : m.compiled.def.outputs
      ).find((p) => p.name === name);
      const extent =
        kind === 'input' ? ((decl as { extent?: Extent } | undefined)?.extent ?? 'synapse') : 'synapse';
      io.set(s, {
        name: s,
        access: accessOf(extent, synapse),
        at,
        scratch: -1,
        half: decl?.storage === 'float16',
      });
      at += 4;
    }
    for (const s of [...arrays.values(), ...io.values()]) {
      if ((s.access === 'vi' || s.access === 'vq') && !m.uniform.has(s.name)) s.scratch = scratch++;
    }
    const rand = new Map<number, number>();
    for (const site of usage(m.compiled).sites) {
      rand.set(site, at);
      at += 4;
    }
    const events = new Map<string, readonly [number, number]>();
    for (const ev of m.events ?? []) {
      events.set(ev.output, [at, at + 4]);
      at += 8;
    }
    return { base, scalars, arrays, io, rand, events, end: at };
  });
  return { layouts, bytes: align16(at), scratch };
}

/** Names read and written by a member's body. */
function usage(c: CompiledModule): {
  reads: Set<string>;
  assigned: Set<string>;
  rand: boolean;
  normal: boolean;
  exp: boolean;
  sites: Set<number>;
} {
  const reads = new Set<string>();
  const sites = new Set<number>();
  let rand = false;
  let normal = false;
  let exp = false;
  const visit = (e: TExpr): void => {
    switch (e.k) {
      case 'param':
        reads.add(`param:${e.name}`);
        return;
      case 'derived':
        reads.add(`derived:${e.id}`);
        return;
      case 'state':
        reads.add(`state:${e.name}`);
        return;
      case 'input':
        reads.add(`input:${e.name}`);
        return;
      case 'unary':
      case 'cast':
        visit(e.a);
        return;
      case 'binary':
        visit(e.a);
        visit(e.b);
        return;
      case 'select':
        visit(e.c);
        visit(e.t);
        visit(e.e);
        return;
      case 'math':
        if (e.fn === 'exp') exp = true;
        e.args.forEach(visit);
        return;
      case 'rand':
        rand = true;
        sites.add(e.site);
        if (e.dist === 'normal') normal = true;
        e.args.forEach(visit);
        return;
      default:
        return;
    }
  };
  const assigned = new Set<string>();
  for (const s of c.body) {
    visit(s.value);
    if (s.k === 'set' && s.to === 'state') assigned.add(`state:${s.target}`);
  }
  return { reads, assigned, rand, normal, exp, sites };
}

/** Whether expression `e` calls math function `name`. */
export function callsMath(e: TExpr, name: string): boolean {
  return (e.k === 'math' && e.fn === name) || childrenOf(e).some((x) => callsMath(x, name));
}

/** Philox constants. */
const [M0, M1, W0, W1] = [PHILOX_M0, PHILOX_M1, PHILOX_W0, PHILOX_W1];

/** The low and high words of a float64, as int32s. */
function f64Words(v: number): [number, number] {
  const w = new Int32Array(new Float64Array([v]).buffer);
  return [w[0] as number, w[1] as number];
}

/** The float32 bits of `v` as an int32. */
function f32Bits(v: number): number {
  const f = new Float32Array([v]);
  return new Int32Array(f.buffer)[0] as number;
}

/** Imported JavaScript functions, in import order (so function index = position). */
const IMPORTS = [
  ['exp', 1],
  ['log', 1],
  ['tanh', 1],
  ['sin', 1],
  ['cos', 1],
  ['pow', 2],
  ['fmod', 2],
] as const;
type ImportName = (typeof IMPORTS)[number][0];
/** Function index of each imported `math` function in a module made with {@link importHost}. */
export const IMPORT_INDEX = Object.fromEntries(IMPORTS.map(([n], k) => [n, k])) as Record<ImportName, number>;

/** The JavaScript functions a group's module imports (`math.*`; with `env.memory`). */
export const MATH_IMPORTS: Record<ImportName, (...a: number[]) => number> = {
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  sin: Math.sin,
  cos: Math.cos,
  pow: Math.pow,
  fmod: (a: number, b: number) => a % b,
};

/**
 * Imports what a module over the program's memory imports: `env.memory` (any memory of at most
 * MAX_HOST_MEMORY fits these limits, so the bytes do not depend on its size) and the `math`
 * functions of {@link MATH_IMPORTS}, function index = position (see `IMPORT_INDEX`).
 */
export function importHost(mb: ModuleBuilder, shared: boolean, natives: MathNatives = NO_NATIVES): void {
  mb.importMemory({
    module: 'env',
    name: 'memory',
    minPages: 1,
    ...(shared ? { maxPages: MAX_HOST_MEMORY / WASM_PAGE } : {}),
    shared,
  });
  for (const [name, arity] of IMPORTS) {
    mb.importFunction('math', name, arity === 1 ? ['f64'] : ['f64', 'f64'], ['f64']);
  }
  if (natives.tanh && addTanh(mb) !== TANH_INDEX) throw new Error('wasm: tanh is not at its index');
}

/** Math functions a module defines itself instead of importing them (see `wasm-tanh.ts`). */
export interface MathNatives {
  readonly tanh: boolean;
}
const NO_NATIVES: MathNatives = { tanh: false };
/** `expm1` then `tanh`, right after the imports. */
const TANH_INDEX = IMPORTS.length + 1;

/** Function index of math function `name` (float64 → float64) in a module made by {@link importHost}. */
export function mathIndex(name: ImportName, natives: MathNatives): number {
  return name === 'tanh' && natives.tanh ? TANH_INDEX : IMPORT_INDEX[name];
}

/** The natives a module whose code calls `calls` defines (those this engine's math agrees with). */
export function mathNatives(calls: (name: ImportName) => boolean): MathNatives {
  return { tanh: calls('tanh') && nativeTanhAgrees() };
}

/**
 * Generates the module of a group (structure only: no sizes, addresses or values), or says why it
 * cannot.
 */
export function generateWasm(
  members: readonly WasmMember[],
  memory: { readonly shared: boolean },
  options: { readonly nativeExp?: boolean } = {},
):
  | { bytes: Uint8Array; layouts: MemberLayout[]; tableBytes: number; scratchSlots: number }
  | WasmUnsupported {
  if (members.length === 0) return { unsupported: 'empty group' };
  const domain = members[0]?.compiled.def.domain;
  if (members.some((m) => m.compiled.def.domain !== domain)) return { unsupported: 'mixed domains' };
  const synapse = domain === 'synapse';
  for (const m of members) {
    const d = m.compiled.def;
    const odd = [...d.state, ...d.inputs, ...d.outputs].find(
      (p) =>
        p.storage !== (p.type === 'f32' ? 'float32' : p.type === 'i32' ? 'int32' : 'uint32') &&
        !(p.type === 'f32' && p.storage === 'float16'),
    );
    if (odd !== undefined)
      return { unsupported: `${d.name}.${odd.name}: ${odd.type} stored as ${odd.storage}` };
  }
  const { layouts, bytes: tableBytes, scratch: scratchSlots } = layoutOf(members);
  const uses = members.map((m) => usage(m.compiled));
  const natives = mathNatives((name) =>
    members.some((m) => m.compiled.body.some((st) => callsMath(st.value, name))),
  );

  const mb = new ModuleBuilder();
  importHost(mb, memory.shared, natives);

  const c = new Code();
  const locals: ValType[] = [];
  const L = (t: ValType): number => {
    locals.push(t);
    return 5 + locals.length - 1; // params: 0 args, 1 step, 2 from, 3 to, 4 scratch
  };
  const ARGS = 0;
  const STEP = 1;
  const FROM = 2;
  const TO = 3;
  const SCRATCH = 4;
  const n = L('i32');
  const nPre = L('i32');
  const scr = L('i32');
  const i4 = L('i32'); // byte offset of element i
  const q4 = L('i32');
  const u4 = L('i32');
  const tail = L('i32');
  const rem4 = L('i32');
  const loadArg = (off: number) => c.get(ARGS).mem(Op.i32Load, 2, off);
  loadArg(0).set(n);
  loadArg(4).set(nPre);
  c.get(SCRATCH).set(scr);

  // Per member: scalars splatted, uniform arrays splatted, pointers of the other slots.
  interface MemberEnv {
    readonly m: WasmMember;
    readonly lay: MemberLayout;
    readonly scalar: Map<string, number>;
    readonly uniform: Map<string, number>;
    readonly ptr: Map<string, number>;
    readonly dt: number;
    readonly k0: number;
    readonly k1: number;
    readonly sb: number;
    readonly words: Map<number, number>;
    readonly events: Map<string, { readonly idx: number; readonly count: number; readonly n: number }>;
    readonly state: Map<string, number>;
    readonly output: Map<string, number>;
    readonly local: Map<string, number>;
  }
  const envs: MemberEnv[] = members.map((m, k) => {
    const lay = layouts[k] as MemberLayout;
    const u = uses[k] as ReturnType<typeof usage>;
    const scalar = new Map<string, number>();
    for (const [name, off] of lay.scalars) {
      if (!u.reads.has(name)) continue;
      const v = L('v128');
      c.get(ARGS).simdMem(0x09, 2, off).set(v); // v128.load32_splat
      scalar.set(name, v);
    }
    const uniform = new Map<string, number>();
    const ptr = new Map<string, number>();
    for (const s of [...lay.arrays.values(), ...lay.io.values()]) {
      const isIo = lay.io.has(s.name);
      const used = u.reads.has(s.name) || (isIo && !s.name.startsWith('input:'));
      if (!used) continue;
      if (m.uniform.has(s.name)) {
        const v = L('v128');
        loadArg(s.at).simdMem(0x09, 2, 0).set(v);
        uniform.set(s.name, v);
      } else {
        const p = L('i32');
        loadArg(s.at).set(p);
        ptr.set(s.name, p);
      }
    }
    const dt = L('v128');
    c.get(ARGS)
      .simdMem(0x09, 2, lay.base + 12)
      .set(dt);
    const [k0, k1, sb] = u.rand ? [L('i32'), L('i32'), L('i32')] : [-1, -1, -1];
    if (u.rand) {
      loadArg(lay.base).set(k0);
      loadArg(lay.base + 4).set(k1);
      loadArg(lay.base + 8).set(sb);
    }
    const words = new Map<number, number>();
    for (const [site, off] of lay.rand) {
      const p = L('i32');
      loadArg(off).set(p);
      words.set(site, p);
    }
    const events = new Map<string, { idx: number; count: number; n: number }>();
    for (const [name, [ia, ca]] of lay.events) {
      const ev = { idx: L('i32'), count: L('i32'), n: L('i32') };
      loadArg(ia).set(ev.idx);
      loadArg(ca).set(ev.count);
      c.i32(0).set(ev.n);
      events.set(name, ev);
    }
    const state = new Map<string, number>();
    for (const s of m.compiled.def.state) state.set(s.name, L('v128'));
    const output = new Map<string, number>();
    for (const o of m.compiled.def.outputs) output.set(o.name, L('v128'));
    return { m, lay, scalar, uniform, ptr, dt, k0, k1, sb, words, events, state, output, local: new Map() };
  });

  /** Vector slots with a pointer (re-pointed to scratch in the tail). */
  const vecSlots = envs.flatMap((e) =>
    [...e.lay.arrays.values(), ...e.lay.io.values()]
      .filter((s) => e.ptr.has(s.name) && (s.access === 'vi' || s.access === 'vq'))
      .map((s) => ({ env: e, slot: s, p: e.ptr.get(s.name) as number })),
  );

  // ---- expressions: each leaves one v128 on the stack ----------------------------------------
  const tmp = (): number => L('v128');
  const load = (e: MemberEnv, name: string): void => {
    const u = e.uniform.get(name);
    if (u !== undefined) {
      c.get(u);
      return;
    }
    const s = (e.lay.arrays.get(name) ?? e.lay.io.get(name)) as Slot;
    const p = e.ptr.get(name) as number;
    c.get(p);
    if (s.half) {
      // 4 half words → i32 lanes → float32
      const off = s.access === 'vi' ? i4 : s.access === 'vq' ? q4 : s.access === 'su' ? u4 : -1;
      if (off >= 0) c.get(off).i32(1).op(Op.i32ShrU).op(Op.i32Add);
      if (s.access === 'vi' || s.access === 'vq') c.simdMem(Simd.v128Load16x4U, 1, 0);
      else c.mem(Op.i32Load16U, 1, 0).simd(Simd.i32x4Splat);
      halfToF32();
      return;
    }
    if (s.access === 'vi') c.get(i4).op(Op.i32Add).simdMem(Simd.v128Load, 2, 0);
    else if (s.access === 'vq') c.get(q4).op(Op.i32Add).simdMem(Simd.v128Load, 2, 0);
    else if (s.access === 'su') c.get(u4).op(Op.i32Add).simdMem(0x09, 2, 0);
    else c.simdMem(0x09, 2, 0);
  };
  /** Pushes the i32 constant `v` in every lane (a pooled local). */
  const M = (v: number) => c.get(K(v | 0, v | 0, v | 0, v | 0));
  /**
   * Half bits (i32 lanes) → float32, exactly (core's `fromFloat16Bits`): the 15 low bits shifted into
   * a float32's exponent and mantissa and scaled by 2^112 (normals and subnormals), exponent 31 →
   * infinity or NaN, then the sign.
   */
  const halfToF32 = () => {
    const h = tmp();
    const bits = tmp();
    c.set(h);
    c.get(h);
    M(0x7fff);
    c.simd(Simd.v128And).i32(13).simd(Simd.i32x4Shl).set(bits);
    c.get(bits);
    M(0x7f800000);
    c.simd(Simd.v128Or); // exponent 31: infinity or NaN
    c.get(bits)
      .get(kF32(2 ** 112))
      .simd(Simd.f32x4Mul); // normals and subnormals, exactly
    c.get(h);
    M(0x7c00);
    c.simd(Simd.v128And);
    M(0x7c00);
    c.simd(Simd.i32x4Eq).simd(Simd.v128Bitselect);
    c.get(h);
    M(0x8000);
    c.simd(Simd.v128And).i32(16).simd(Simd.i32x4Shl).simd(Simd.v128Or);
  };
  /**
   * float32 → half bits in i32 lanes, rounding to nearest, ties to even (core's `toFloat16Bits`;
   * F. Giesen's branch-free float_to_half_fast3_rtne): NaN → 0x7e00, ≥ 65520 → ±infinity, below
   * 2^-14 by a float32 addition of 0.5 (subnormals, rounded by the adder), else rebias and round.
   */
  const f32ToHalf = () => {
    const f = tmp();
    const a = tmp();
    const o = tmp();
    /** `o = a <cmp> limit ? value : o` (unsigned lanes), left on the stack. */
    const unless = (value: number, cmp: number, limit: number) => {
      M(value);
      c.get(o).get(a);
      M(limit);
      c.simd(cmp).simd(Simd.v128Bitselect);
    };
    c.set(f);
    c.get(f);
    M(0x7fffffff);
    c.simd(Simd.v128And).set(a);
    // subnormal: bits(a + 0.5) − bits(0.5)
    c.get(a).get(kF32(0.5)).simd(Simd.f32x4Add);
    M(0x3f000000);
    c.simd(Simd.i32x4Sub);
    // normal: (a + ((15 − 127) << 23) + 0xfff + ((a >> 13) & 1)) >> 13
    c.get(a);
    M(0xc8000fff);
    c.simd(Simd.i32x4Add).get(a).i32(13).simd(Simd.i32x4ShrU);
    M(1);
    c.simd(Simd.v128And).simd(Simd.i32x4Add).i32(13).simd(Simd.i32x4ShrU);
    c.get(a);
    M(0x38800000);
    c.simd(Simd.i32x4LtU).simd(Simd.v128Bitselect).set(o);
    // ≥ 2^16 → infinity; the sign; NaN → 0x7e00 (no sign, as toFloat16Bits)
    unless(0x7c00, Simd.i32x4GeU, 0x47800000);
    c.get(f).i32(16).simd(Simd.i32x4ShrU);
    M(0x8000);
    c.simd(Simd.v128And).simd(Simd.v128Or).set(o);
    unless(0x7e00, Simd.i32x4GtU, 0x7f800000);
  };
  // Constants live in locals set once before the loop (a v128.const in the loop is rematerialised on
  // every iteration).
  const pool = new Map<string, number>();
  const init = new Code();
  const K = (a: number, b: number, cc: number, d: number): number => {
    const key = `${a},${b},${cc},${d}`;
    let l = pool.get(key);
    if (l === undefined) {
      l = L('v128');
      pool.set(key, l);
      init.v128i32(a, b, cc, d).set(l);
    }
    return l;
  };
  const kF32 = (v: number): number => {
    const b = f32Bits(v);
    return K(b, b, b, b);
  };
  const kF64 = (v: number): number => {
    const [lo, hi] = f64Words(v);
    return K(lo, hi, lo, hi);
  };
  const splatF32 = (v: number) => c.get(kF32(v));
  const splatI32 = (v: number) => c.get(K(v | 0, v | 0, v | 0, v | 0));
  /** Applies an imported f64 function to each f32 lane of the vector(s) on `ts`. */
  const lanewiseImport = (fn: number, ts: readonly number[]) => {
    c.get(ts[0] as number);
    for (let k = 0; k < 4; k++) {
      for (const t of ts) c.get(t).simd(Simd.f32x4ExtractLane, k).op(Op.f64PromoteF32);
      c.opU(Op.call, fn).op(Op.f32DemoteF64).simd(Simd.f32x4ReplaceLane, k);
    }
  };
  /** Integer division/remainder per lane, WGSL semantics (see semantics.ts). */
  const lanewiseIntDiv = (ta: number, tb: number, signed: boolean, rem: boolean) => {
    const a = L('i32');
    const b = L('i32');
    c.get(ta);
    for (let k = 0; k < 4; k++) {
      c.get(ta).simd(Simd.i32x4ExtractLane, k).set(a);
      c.get(tb).simd(Simd.i32x4ExtractLane, k).set(b);
      // bad: division by zero, or (signed) MIN / -1; then divide by 1 (→ a for /, 0 for %).
      c.get(a).i32(1).get(b);
      c.get(b).op(Op.i32Eqz);
      if (signed)
        c.get(a).i32(-2147483648).op(Op.i32Eq).get(b).i32(-1).op(Op.i32Eq).op(Op.i32And).op(Op.i32Or);
      c.op(Op.select);
      c.op(signed ? (rem ? Op.i32RemS : Op.i32DivS) : rem ? Op.i32RemU : Op.i32DivU);
      c.simd(Simd.i32x4ReplaceLane, k);
    }
  };
  /**
   * `exp` of the f32x4 in local `t` by fdlibm's `__ieee754_exp` in float64, two f64x2 halves
   * interleaved statement by statement (two independent dependency chains): the three argument
   * reductions (|x| < ½ln2: k = 0; < 1.5 ln2: k = ±1; else k = trunc(x/ln2 ± ½)) are selected per
   * lane, then the same polynomial and reconstruction as fdlibm. Only float32 arguments reach it, so
   * only the rounding to float32 must agree: x > 89 gives +∞, x < −110 gives +0 (fdlibm's values
   * round there too), and fdlibm's `1 + x` for |x| < 2^-28 becomes the k = 0 formula (equal after
   * rounding). Leaves the f32x4 result on the stack.
   */
  const nativeExp = (t: number) => {
    const halves = [0, 1].map(() => ({
      x: L('v128'),
      k: L('v128'),
      hi: L('v128'),
      lo: L('v128'),
      xr: L('v128'),
      tt: L('v128'),
      cc: L('v128'),
    }));
    const [A, B] = halves as [(typeof halves)[0], (typeof halves)[0]];
    const SIGN = K(0, -(2 ** 31), 0, -(2 ** 31));
    /** c = r − tt·(P1 + tt·(P2 + tt·(P3 + tt·(P4 + tt·P5)))) with r = xr (or x when k = 0). */
    const poly =
      (r: 'x' | 'xr') =>
      (h: (typeof halves)[0]): void => {
        c.get(h[r]).get(h.tt);
        for (let j = 0; j < 4; j++) c.get(kF64(EXP.P[j] as number)).get(h.tt);
        c.get(kF64(EXP.P[4] as number));
        for (let j = 0; j < 4; j++) c.simd(Simd.f64x2Mul).simd(Simd.f64x2Add);
        c.simd(Simd.f64x2Mul).simd(Simd.f64x2Sub).set(h.cc);
      };
    const steps: ((h: (typeof halves)[0]) => void)[] = [
      // k = f64(trunc(x·invln2 + copysign(½, x)))
      (h) => {
        c.get(h.x).get(kF64(EXP.INVLN2)).simd(Simd.f64x2Mul).get(h.x).get(kF64(0.5)).get(SIGN);
        c.simd(Simd.v128Bitselect).simd(Simd.f64x2Add);
        c.simd(Simd.i32x4TruncSatF64x2SZero).simd(Simd.f64x2ConvertLowI32x4S).set(h.k);
      },
      // |x| < 1.5 ln2: k = copysign(1, x); |x| < ½ln2: k = 0
      (h) => {
        c.get(h.x).get(kF64(1)).get(SIGN).simd(Simd.v128Bitselect).get(h.k);
        c.get(h.x)
          .simd(Simd.f64x2Abs)
          .get(kF64(EXP.B15))
          .simd(Simd.f64x2Lt)
          .simd(Simd.v128Bitselect)
          .set(h.k);
        c.get(K(0, 0, 0, 0)).get(h.k);
        c.get(h.x)
          .simd(Simd.f64x2Abs)
          .get(kF64(EXP.B05P))
          .simd(Simd.f64x2Lt)
          .simd(Simd.v128Bitselect)
          .set(h.k);
      },
      (h) => {
        c.get(h.x).get(kF64(EXP.LN2HI)).get(h.k).simd(Simd.f64x2Mul).simd(Simd.f64x2Sub).set(h.hi);
        c.get(h.k).get(kF64(EXP.LN2LO)).simd(Simd.f64x2Mul).set(h.lo);
      },
      (h) => {
        c.get(h.hi).get(h.lo).simd(Simd.f64x2Sub).tee(h.xr).get(h.xr).simd(Simd.f64x2Mul).set(h.tt);
      },
      poly('xr'),
      // y = 1 − ((lo − (xr·c)/(2 − c)) − hi), times 2^k (bits (k + 1023) << 52) — into cc
      (h) => {
        c.get(kF64(1)).get(h.lo).get(h.xr).get(h.cc).simd(Simd.f64x2Mul).get(kF64(2)).get(h.cc);
        c.simd(Simd.f64x2Sub).simd(Simd.f64x2Div).simd(Simd.f64x2Sub).get(h.hi).simd(Simd.f64x2Sub);
        c.simd(Simd.f64x2Sub);
        c.get(h.k).simd(Simd.i32x4TruncSatF64x2SZero).simd(Simd.i64x2ExtendLowI32x4S);
        c.get(K(1023, 0, 1023, 0))
          .simd(Simd.i64x2Add)
          .i32(52)
          .simd(Simd.i64x2Shl);
        c.simd(Simd.f64x2Mul).set(h.cc);
      },
    ];
    const R = tmp();
    // NaN or outside [−110, 89] in any lane: the vector goes through Math.exp (rare).
    c.get(t).get(t).simd(Simd.f32x4Ne).get(t).get(kF32(89)).simd(Simd.f32x4Gt).simd(Simd.v128Or);
    c.get(t).get(kF32(-110)).simd(Simd.f32x4Lt).simd(Simd.v128Or).simd(Simd.v128AnyTrue).open(Op.if);
    lanewiseImport(IMPORT_INDEX.exp, [t]);
    c.set(R).op(Op.else);
    c.get(t).simd(Simd.f64x2PromoteLowF32x4).set(A.x);
    c.get(t).get(t).simd(Simd.i8x16Shuffle, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15);
    c.simd(Simd.f64x2PromoteLowF32x4).set(B.x);
    // Every lane |x| < ½ln2 (k = 0: hi = xr = x, lo = +0, no scaling): the short form of the same
    // arithmetic; else the three reductions.
    c.get(A.x).simd(Simd.f64x2Abs).get(kF64(EXP.B05P)).simd(Simd.f64x2Lt);
    c.get(B.x).simd(Simd.f64x2Abs).get(kF64(EXP.B05P)).simd(Simd.f64x2Lt);
    c.simd(Simd.v128And).simd(Simd.i64x2AllTrue).open(Op.if);
    const short: ((h: (typeof halves)[0]) => void)[] = [
      (h) => {
        c.get(h.x).get(h.x).simd(Simd.f64x2Mul).set(h.tt);
      },
      poly('x'),
      (h) => {
        c.get(kF64(1))
          .get(K(0, 0, 0, 0))
          .get(h.x)
          .get(h.cc)
          .simd(Simd.f64x2Mul)
          .get(kF64(2))
          .get(h.cc);
        c.simd(Simd.f64x2Sub).simd(Simd.f64x2Div).simd(Simd.f64x2Sub).get(h.x).simd(Simd.f64x2Sub);
        c.simd(Simd.f64x2Sub).set(h.cc);
      },
    ];
    for (const st of short) {
      st(A);
      st(B);
    }
    c.op(Op.else);
    for (const st of steps) {
      st(A);
      st(B);
    }
    c.op(Op.end);
    c.get(A.cc).simd(Simd.f32x4DemoteF64x2Zero).get(B.cc).simd(Simd.f32x4DemoteF64x2Zero);
    c.simd(Simd.i8x16Shuffle, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23).set(R);
    c.op(Op.end).get(R);
  };

  const ex = (e: MemberEnv, x: TExpr): void => {
    switch (x.k) {
      case 'const':
        if (x.ty === 'f32') splatF32(x.value);
        else if (x.ty === 'bool') splatI32(x.value ? -1 : 0);
        else splatI32(x.value);
        return;
      case 'dt':
        c.get(e.dt);
        return;
      case 'param':
        if (x.extent === 'scalar') c.get(e.scalar.get(`param:${x.name}`) as number);
        else load(e, `param:${x.name}`);
        return;
      case 'derived':
        if (x.extent === 'scalar') c.get(e.scalar.get(`derived:${x.id}`) as number);
        else load(e, `derived:${x.id}`);
        return;
      case 'state':
        c.get(e.state.get(x.name) as number);
        return;
      case 'output':
        c.get(e.output.get(x.name) as number);
        return;
      case 'local':
        c.get(e.local.get(x.name) as number);
        return;
      case 'input':
        load(e, `input:${x.name}`);
        return;
      case 'unary':
        ex(e, x.a);
        if (x.op === '!') c.simd(Simd.v128Not);
        else c.simd(x.ty === 'f32' ? Simd.f32x4Neg : Simd.i32x4Neg);
        return;
      case 'binary':
        binary(e, x);
        return;
      case 'select':
        if (x.ty === 'f32' && (importCall(x.t) || importCall(x.e))) {
          selectLanewise(e, x);
          return;
        }
        ex(e, x.t);
        ex(e, x.e);
        ex(e, x.c);
        c.simd(Simd.v128Bitselect);
        return;
      case 'cast':
        cast(e, x);
        return;
      case 'math':
        math(e, x);
        return;
      case 'rand':
        rand(e, x);
        return;
    }
  };

  const binary = (e: MemberEnv, x: Extract<TExpr, { k: 'binary' }>) => {
    const t = x.a.ty;
    if (x.op === '&&' || x.op === '||') {
      ex(e, x.a);
      ex(e, x.b);
      c.simd(x.op === '&&' ? Simd.v128And : Simd.v128Or);
      return;
    }
    if ((x.op === '/' || x.op === '%') && t !== 'f32') {
      const [ta, tb] = [tmp(), tmp()];
      ex(e, x.a);
      c.set(ta);
      ex(e, x.b);
      c.set(tb);
      lanewiseIntDiv(ta, tb, t === 'i32', x.op === '%');
      return;
    }
    if (x.op === '%') {
      const [ta, tb] = [tmp(), tmp()];
      ex(e, x.a);
      c.set(ta);
      ex(e, x.b);
      c.set(tb);
      lanewiseImport(IMPORT_INDEX.fmod, [ta, tb]);
      return;
    }
    ex(e, x.a);
    ex(e, x.b);
    const f = t === 'f32';
    const u = t === 'u32';
    switch (x.op) {
      case '+':
        c.simd(f ? Simd.f32x4Add : Simd.i32x4Add);
        return;
      case '-':
        c.simd(f ? Simd.f32x4Sub : Simd.i32x4Sub);
        return;
      case '*':
        c.simd(f ? Simd.f32x4Mul : Simd.i32x4Mul);
        return;
      case '/':
        c.simd(Simd.f32x4Div);
        return;
      case '==':
        c.simd(f ? Simd.f32x4Eq : Simd.i32x4Eq);
        return;
      case '!=':
        c.simd(f ? Simd.f32x4Ne : Simd.i32x4Ne);
        return;
      case '<':
        c.simd(f ? Simd.f32x4Lt : u ? Simd.i32x4LtU : Simd.i32x4LtS);
        return;
      case '<=':
        c.simd(f ? Simd.f32x4Le : u ? Simd.i32x4LeU : Simd.i32x4LeS);
        return;
      case '>':
        c.simd(f ? Simd.f32x4Gt : u ? Simd.i32x4GtU : Simd.i32x4GtS);
        return;
      case '>=':
        c.simd(f ? Simd.f32x4Ge : u ? Simd.i32x4GeU : Simd.i32x4GeS);
        return;
    }
  };

  const cast = (e: MemberEnv, x: Extract<TExpr, { k: 'cast' }>) => {
    ex(e, x.a);
    const from = x.a.ty;
    if (from === 'bool') {
      if (x.fn === 'f32') splatF32(1);
      else splatI32(1);
      c.simd(Simd.v128And);
      return;
    }
    if (from === x.fn) return;
    if (x.fn === 'f32') c.simd(from === 'u32' ? Simd.f32x4ConvertI32x4U : Simd.f32x4ConvertI32x4S);
    else if (from === 'f32') c.simd(x.fn === 'u32' ? Simd.i32x4TruncSatF32x4U : Simd.i32x4TruncSatF32x4S);
    // i32 ↔ u32: the same bits.
  };

  /** The imported function a math node calls per lane (not `exp` where it runs natively). */
  const importCall = (x: TExpr): x is Extract<TExpr, { k: 'math' }> =>
    x.k === 'math' &&
    x.ty === 'f32' &&
    x.fn in IMPORT_INDEX &&
    !(x.fn === 'exp' && options.nativeExp === true);
  /**
   * `select(c, t, e)` where a branch calls an imported function (per lane, a call into JavaScript):
   * the arguments as vectors, then per lane the call of the branch its condition picks only — the
   * same values as both branches and a bitselect (the calls are pure), with half the calls where
   * both branches call (the topological spiker's `glue ? sin(…) : tanh(…)`).
   */
  const selectLanewise = (e: MemberEnv, x: Extract<TExpr, { k: 'select' }>) => {
    const branch = (b: TExpr) => {
      const vectors = (importCall(b) ? b.args : [b]).map((a) => {
        const t = tmp();
        ex(e, a);
        c.set(t);
        return t;
      });
      return { fn: importCall(b) ? mathIndex(b.fn as ImportName, natives) : undefined, vectors };
    };
    const t = branch(x.t);
    const f = branch(x.e);
    const cond = tmp();
    ex(e, x.c);
    c.set(cond);
    const acc = tmp();
    const lane = L('f32');
    c.get(t.vectors[0] as number).set(acc);
    const one = (b: ReturnType<typeof branch>, k: number) => {
      for (const v of b.vectors) {
        c.get(v).simd(Simd.f32x4ExtractLane, k);
        if (b.fn !== undefined) c.op(Op.f64PromoteF32);
      }
      if (b.fn !== undefined) c.opU(Op.call, b.fn).op(Op.f32DemoteF64);
      c.set(lane);
    };
    for (let k = 0; k < 4; k++) {
      c.get(cond).simd(Simd.i32x4ExtractLane, k);
      c.open(Op.if);
      one(t, k);
      c.op(Op.else);
      one(f, k);
      c.op(Op.end);
      c.get(acc).get(lane).simd(Simd.f32x4ReplaceLane, k).set(acc);
    }
    c.get(acc);
  };

  const math = (e: MemberEnv, x: Extract<TExpr, { k: 'math' }>) => {
    const f = x.ty === 'f32';
    const u = x.ty === 'u32';
    const arg = (k: number) => ex(e, x.args[k] as TExpr);
    switch (x.fn) {
      case 'exp':
      case 'log':
      case 'tanh':
      case 'sin':
      case 'cos':
      case 'pow': {
        const ts = x.args.map((a) => {
          const t = tmp();
          ex(e, a);
          c.set(t);
          return t;
        });
        const t = ts[0] as number;
        if (x.fn === 'exp' && options.nativeExp === true) {
          nativeExp(t);
          return;
        }
        lanewiseImport(mathIndex(x.fn, natives), ts);
        return;
      }
      case 'sqrt':
        arg(0);
        c.simd(Simd.f32x4Sqrt);
        return;
      case 'floor':
        arg(0);
        c.simd(Simd.f32x4Floor);
        return;
      case 'ceil':
        arg(0);
        c.simd(Simd.f32x4Ceil);
        return;
      case 'round':
        arg(0);
        c.simd(Simd.f32x4Nearest);
        return;
      case 'abs':
        arg(0);
        if (f) c.simd(Simd.f32x4Abs);
        else if (!u) c.simd(Simd.i32x4Abs);
        return;
      case 'min':
        arg(0);
        arg(1);
        c.simd(f ? Simd.f32x4Min : u ? Simd.i32x4MinU : Simd.i32x4MinS);
        return;
      case 'max':
        arg(0);
        arg(1);
        c.simd(f ? Simd.f32x4Max : u ? Simd.i32x4MaxU : Simd.i32x4MaxS);
        return;
      case 'clamp':
        arg(0);
        arg(1);
        c.simd(f ? Simd.f32x4Max : u ? Simd.i32x4MaxU : Simd.i32x4MaxS);
        arg(2);
        c.simd(f ? Simd.f32x4Min : u ? Simd.i32x4MinU : Simd.i32x4MinS);
        return;
      case 'sign': {
        // x > 0 ? 1 : (x < 0 ? -1 : 0) — 0 for ±0 and NaN, as semantics.ts's sign.
        const t = tmp();
        arg(0);
        c.set(t);
        if (f) splatF32(1);
        else splatI32(1);
        if (f) splatF32(-1);
        else splatI32(-1);
        splatI32(0);
        c.get(t);
        splatI32(0);
        c.simd(f ? Simd.f32x4Lt : Simd.i32x4LtS).simd(Simd.v128Bitselect);
        c.get(t);
        splatI32(0);
        c.simd(f ? Simd.f32x4Gt : Simd.i32x4GtS).simd(Simd.v128Bitselect);
        return;
      }
    }
  };

  const rand = (e: MemberEnv, x: Extract<TExpr, { k: 'rand' }>) => {
    // The words of elements i … i + 3, drawn before the loop (drawPass).
    const w = tmp();
    c.get(e.words.get(x.site) as number)
      .get(i4)
      .op(Op.i32Add)
      .simdMem(Simd.v128Load, 2, 0)
      .set(w);
    if (x.dist === 'normal') {
      normal(w);
      return;
    }
    // uniform: f32(x >> 8) · 2^-24 (exact); bernoulli: uniform < p.
    c.get(w).i32(8).simd(Simd.i32x4ShrU).simd(Simd.f32x4ConvertI32x4U);
    splatF32(2 ** -24);
    c.simd(Simd.f32x4Mul);
    if (x.dist === 'bernoulli') {
      ex(e, x.args[0] as TExpr);
      c.simd(Simd.f32x4Lt);
    }
  };

  /** Box–Muller of core's boxMuller, in float64 like it: lanes (0, 1) from words (0, 1), (2, 3) from (2, 3). */
  const normal = (w: number) => {
    const r = L('f64');
    const th = L('f64');
    const res = tmp();
    splatI32(0);
    c.set(res);
    for (const j of [0, 2]) {
      // u1 = ((x_j >>> 8) + 1)·2^-24, r = sqrt(-2 ln u1); θ = 2π·((x_{j+1} >>> 8)·2^-24)
      c.f64(-2);
      c.get(w).simd(Simd.i32x4ExtractLane, j).i32(8).op(Op.i32ShrU).i32(1).op(Op.i32Add);
      c.op(0xb8); // f64.convert_i32_u
      c.f64(2 ** -24).op(0xa2); // f64.mul
      c.opU(Op.call, IMPORT_INDEX.log).op(0xa2).op(0x9f).set(r); // f64.mul, f64.sqrt
      c.f64(2 * Math.PI);
      c.get(w)
        .simd(Simd.i32x4ExtractLane, j + 1)
        .i32(8)
        .op(Op.i32ShrU)
        .op(0xb8);
      c.f64(2 ** -24)
        .op(0xa2)
        .op(0xa2)
        .set(th);
      c.get(res).get(r).get(th).opU(Op.call, IMPORT_INDEX.cos).op(0xa2).op(Op.f32DemoteF64);
      c.simd(Simd.f32x4ReplaceLane, j);
      c.get(r).get(th).opU(Op.call, IMPORT_INDEX.sin).op(0xa2).op(Op.f32DemoteF64);
      c.simd(Simd.f32x4ReplaceLane, j + 1).set(res);
    }
    c.get(res);
  };

  /**
   * Appends the indices of the non-zero lanes of output `name` (element i + k, below the call's last
   * element in the tail) to its event list: one test of the whole vector, lanes only when one is set.
   */
  const appendEvents = (e: MemberEnv, name: string, ev: { idx: number; count: number; n: number }) => {
    const ty = e.m.compiled.def.outputs.find((o) => o.name === name)?.type;
    const mask = tmp();
    const end4 = L('i32');
    c.get(e.output.get(name) as number)
      .get(K(0, 0, 0, 0))
      .simd(ty === 'f32' ? Simd.f32x4Ne : Simd.i32x4Ne);
    c.tee(mask).simd(Simd.v128AnyTrue).open(Op.if);
    if (synapse) c.get(i4).get(q4).op(Op.i32Sub).get(nPre).i32(2).op(Op.i32Shl).op(Op.i32Add).set(end4);
    else c.get(TO).i32(2).op(Op.i32Shl).set(end4);
    for (let k = 0; k < 4; k++) {
      c.get(mask)
        .simd(Simd.i32x4ExtractLane, k)
        .get(i4)
        .i32(4 * k)
        .op(Op.i32Add)
        .get(end4)
        .op(Op.i32LtU);
      c.op(Op.i32And).open(Op.if);
      c.get(ev.idx).get(ev.n).i32(2).op(Op.i32Shl).op(Op.i32Add);
      c.get(i4).i32(2).op(Op.i32ShrU).i32(k).op(Op.i32Add).mem(Op.i32Store, 2, 0);
      c.get(ev.n).i32(1).op(Op.i32Add).set(ev.n);
      c.op(Op.end);
    }
    c.op(Op.end);
  };

  // ---- one vector of every member -----------------------------------------------------------
  const body = () => {
    for (const e of envs) {
      const u = uses[envs.indexOf(e)] as ReturnType<typeof usage>;
      for (const s of e.m.compiled.def.state) {
        if (!u.reads.has(`state:${s.name}`)) continue;
        load(e, `state:${s.name}`);
        c.set(e.state.get(s.name) as number);
      }
      for (const o of e.m.compiled.def.outputs) {
        splatI32(0);
        c.set(e.output.get(o.name) as number);
      }
      for (const st of e.m.compiled.body) {
        ex(e, st.value);
        if (st.k === 'let') {
          let l = e.local.get(st.name);
          if (l === undefined) {
            l = L('v128');
            e.local.set(st.name, l);
          }
          c.set(l);
        } else if (st.to === 'state') c.set(e.state.get(st.target) as number);
        else c.set(e.output.get(st.target) as number);
      }
      const store = (name: string, v: number) => {
        if ((e.lay.io.get(name) as Slot).half) {
          // float32 → 4 half words in the low 64 bits → one 8-byte store
          const h = tmp();
          c.get(e.ptr.get(name) as number)
            .get(i4)
            .i32(1)
            .op(Op.i32ShrU)
            .op(Op.i32Add);
          c.get(v);
          f32ToHalf();
          c.tee(h).get(h).simd(Simd.i16x8NarrowI32x4U).simdMem(Simd.v128Store64Lane, 1, 0);
          c.bytes.push(0); // lane 0
          return;
        }
        c.get(e.ptr.get(name) as number)
          .get(i4)
          .op(Op.i32Add)
          .get(v)
          .simdMem(Simd.v128Store, 2, 0);
      };
      for (const s of e.m.compiled.def.state)
        if (u.assigned.has(`state:${s.name}`)) store(`state:${s.name}`, e.state.get(s.name) as number);
      for (const o of e.m.compiled.def.outputs) store(`output:${o.name}`, e.output.get(o.name) as number);
      for (const [name, ev] of e.events) appendEvents(e, name, ev);
    }
  };

  /**
   * Before the loop, every draw site's words of this call's elements: Philox4x32-10 of 4 blocks at a
   * time (lanes = blocks; the 32×32→64 high words from i64x2 extended multiplies), transposed so that
   * block b's 4 words land at elements 4b … 4b + 3 of the site's buffer. A group of 4 blocks may run
   * past the call's last element: into the buffer's padding, or into a neighbouring row range with the
   * very same values.
   */
  function drawPass(): void {
    const b = L('i32');
    const bEnd = L('i32');
    const [X0, X1, X2, X3, A, B, lo0, hi0, t0, t1] = Array.from({ length: 10 }, () =>
      L('v128'),
    ) as number[] as [number, number, number, number, number, number, number, number, number, number];
    const M0s = K(M0, M0, M0, M0);
    const M1s = K(M1, M1, M1, M1);
    const W0s = K(W0 | 0, W0 | 0, W0 | 0, W0 | 0);
    const W1s = K(W1 | 0, W1 | 0, W1 | 0, W1 | 0);
    const HI = [4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31];
    /** 32-bit lanes (a, b, c, d) of two vectors (0–3 first, 4–7 second) as a byte shuffle. */
    const lanes = (...l: number[]) => l.flatMap((k) => [4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3]);
    for (const e of envs) {
      for (const [site, wp] of e.words) {
        // elements [el0, el1) of this call → blocks [el0 >> 2, (el1 + 3) >> 2)
        if (synapse) {
          c.get(FROM).get(nPre).op(Op.i32Mul).i32(2).op(Op.i32ShrU).set(b);
          c.get(TO).get(nPre).op(Op.i32Mul).i32(3).op(Op.i32Add).i32(2).op(Op.i32ShrU).set(bEnd);
        } else {
          c.get(FROM).i32(2).op(Op.i32ShrU).set(b);
          c.get(TO).i32(3).op(Op.i32Add).i32(2).op(Op.i32ShrU).set(bEnd);
        }
        c.open(Op.block).open(Op.loop);
        c.get(b).get(bEnd).op(Op.i32GeU).opU(Op.brIf, 1);
        c.get(b)
          .simd(Simd.i32x4Splat)
          .get(K(0, 1, 2, 3))
          .simd(Simd.i32x4Add)
          .set(X0);
        c.get(STEP).simd(Simd.i32x4Splat).set(X1);
        c.get(e.sb).i32(site).op(Op.i32Add).simd(Simd.i32x4Splat).set(X2);
        c.get(K(0, 0, 0, 0)).set(X3);
        c.get(e.k0).simd(Simd.i32x4Splat).set(A);
        c.get(e.k1).simd(Simd.i32x4Splat).set(B);
        for (let r = 0; r < 10; r++) {
          if (r > 0) {
            c.get(A).get(W0s).simd(Simd.i32x4Add).set(A);
            c.get(B).get(W1s).simd(Simd.i32x4Add).set(B);
          }
          const hiOf = (x: number, m: number) => {
            c.get(x).get(m).simd(Simd.i64x2ExtmulLowI32x4U).get(x).get(m).simd(Simd.i64x2ExtmulHighI32x4U);
            c.simd(Simd.i8x16Shuffle, ...HI);
          };
          hiOf(X0, M0s);
          c.set(hi0);
          c.get(X0).get(M0s).simd(Simd.i32x4Mul).set(lo0);
          // x0 = hi(M1·x2) ^ x1 ^ a; x1 = lo(M1·x2); x2 = hi0 ^ x3 ^ b; x3 = lo0
          hiOf(X2, M1s);
          c.get(X1).simd(Simd.v128Xor).get(A).simd(Simd.v128Xor).set(X0);
          c.get(X2).get(M1s).simd(Simd.i32x4Mul).set(X1);
          c.get(hi0).get(X3).simd(Simd.v128Xor).get(B).simd(Simd.v128Xor).set(X2);
          c.get(lo0).set(X3);
        }
        // transpose: block k's words (x0, x1, x2, x3) → elements 4(b + k) …
        const pick = (x: number, y: number, sel: number[], into: number) =>
          c
            .get(x)
            .get(y)
            .simd(Simd.i8x16Shuffle, ...lanes(...sel))
            .set(into);
        pick(X0, X1, [0, 4, 1, 5], t0);
        pick(X2, X3, [0, 4, 1, 5], t1);
        pick(X0, X1, [2, 6, 3, 7], X0);
        pick(X2, X3, [2, 6, 3, 7], X2);
        const store = (k: number, x: number, y: number, sel: number[]) => {
          c.get(wp).get(b).i32(4).op(Op.i32Shl).op(Op.i32Add);
          c.get(x)
            .get(y)
            .simd(Simd.i8x16Shuffle, ...lanes(...sel))
            .simdMem(Simd.v128Store, 2, 16 * k);
        };
        store(0, t0, t1, [0, 1, 4, 5]);
        store(1, t0, t1, [2, 3, 6, 7]);
        store(2, X0, X2, [0, 1, 4, 5]);
        store(3, X0, X2, [2, 3, 6, 7]);
        c.get(b).i32(4).op(Op.i32Add).set(b);
        c.opU(Op.br, 0);
        c.op(Op.end).op(Op.end);
      }
    }
  }

  /** memory.copy(dst, src, rem4). */
  const copy = () => c.op(0xfc).opU(0x0a, 0, 0);
  const scratchAddr = (s: Slot) =>
    c
      .get(scr)
      .i32(16 * s.scratch)
      .op(Op.i32Add);
  /** The byte offset of the current element in a slot (`i4`/`q4`, halved for float16 storage). */
  const offsetIn = (slot: Slot) => {
    c.get(slot.access === 'vq' ? q4 : i4);
    if (slot.half) c.i32(1).op(Op.i32ShrU);
  };
  const remIn = (slot: Slot) => {
    c.get(rem4);
    if (slot.half) c.i32(1).op(Op.i32ShrU);
  };
  const tailIn = () => {
    for (const { slot, p } of vecSlots) {
      scratchAddr(slot);
      c.get(p);
      offsetIn(slot);
      c.op(Op.i32Add);
      remIn(slot);
      copy();
      scratchAddr(slot);
      offsetIn(slot);
      c.op(Op.i32Sub).set(p);
    }
  };
  const tailOut = () => {
    for (const { env, slot, p } of vecSlots) {
      loadArg(slot.at).set(p);
      const written = slot.name.startsWith('output:') || uses[envs.indexOf(env)]?.assigned.has(slot.name);
      if (!written) continue;
      c.get(p);
      offsetIn(slot);
      c.op(Op.i32Add);
      scratchAddr(slot);
      remIn(slot);
      copy();
    }
  };

  /**
   * The vector loop over `pos4` (byte offset) up to `count` elements, with a tail; `depth` is the
   * number of enclosing blocks to leave on exit (the loop's own block).
   */
  const vectorLoop = (pos4: number, start: () => void, count: number, setI4: () => void) => {
    start();
    c.set(pos4).i32(0).set(tail);
    c.open(Op.block).open(Op.loop);
    // if (pos4 >= (count & -4) * 4) { if (pos4 >= count * 4) exit; tail setup }
    c.get(pos4).get(count).i32(-4).op(Op.i32And).i32(2).op(Op.i32Shl).op(Op.i32GeU).open(Op.if);
    c.get(pos4).get(count).i32(2).op(Op.i32Shl).op(Op.i32GeU).opU(Op.brIf, 2);
    setI4();
    c.get(count).i32(2).op(Op.i32Shl).get(pos4).op(Op.i32Sub).set(rem4);
    tailIn();
    c.i32(1).set(tail);
    c.op(Op.end);
    setI4();
    body();
    c.get(tail).open(Op.if);
    tailOut();
    c.opU(Op.br, 2);
    c.op(Op.end);
    c.get(pos4).i32(16).op(Op.i32Add).set(pos4);
    c.opU(Op.br, 0);
    c.op(Op.end).op(Op.end);
  };

  const loopStart = c.bytes.length;
  drawPass();
  if (!synapse) {
    // elements [from, to): from is a multiple of 4 (a partition of whole vectors), to ≤ n.
    vectorLoop(
      i4,
      () => c.get(FROM).i32(2).op(Op.i32Shl),
      TO,
      () => {},
    );
  } else {
    // for u in [0, n / nPre): row base rb4 = u·nPre·4; inner vector loop over q.
    const nU = L('i32');
    const rb4 = L('i32');
    // rows (postsynaptic units) [from, to)
    c.get(TO).set(nU);
    c.get(FROM).i32(2).op(Op.i32Shl).set(u4);
    c.get(FROM).get(nPre).op(Op.i32Mul).i32(2).op(Op.i32Shl).set(rb4);
    c.open(Op.block).open(Op.loop);
    c.get(u4).get(nU).i32(2).op(Op.i32Shl).op(Op.i32GeU).opU(Op.brIf, 1);
    vectorLoop(
      q4,
      () => c.i32(0),
      nPre,
      () => c.get(rb4).get(q4).op(Op.i32Add).set(i4),
    );
    c.get(u4).i32(4).op(Op.i32Add).set(u4);
    c.get(rb4).get(nPre).i32(2).op(Op.i32Shl).op(Op.i32Add).set(rb4);
    c.opU(Op.br, 0);
    c.op(Op.end).op(Op.end);
  }

  for (const e of envs) for (const ev of e.events.values()) c.get(ev.count).get(ev.n).mem(Op.i32Store, 2, 0);
  // The constant pool, set once before the loop.
  c.bytes.splice(loopStart, 0, ...init.bytes);
  const run = mb.addFunction(['i32', 'i32', 'i32', 'i32', 'i32'], [], locals, c);
  mb.exportFunction('run', run);
  return { bytes: mb.toBytes(), layouts, tableBytes, scratchSlots };
}

/** The float64 constants of fdlibm's `__ieee754_exp` (e_exp.c), by their bit patterns. */
const EXP = {
  LN2HI: f64FromWords(0x3fe62e42, 0xfee00000),
  LN2LO: f64FromWords(0x3dea39ef, 0x35793c76),
  INVLN2: f64FromWords(0x3ff71547, 0x652b82fe),
  P: [
    f64FromWords(0x3fc55555, 0x5555553e),
    f64FromWords(0xbf66c16c, 0x16bebd93),
    f64FromWords(0x3f11566a, 0xaf25de2c),
    f64FromWords(0xbebbbd41, 0xc5d26bf1),
    f64FromWords(0x3e663769, 0x72bea4d0),
  ],
  /** |x| below this: k = 0 (fdlibm: high word ≤ 0x3fd62e42). */
  B05P: f64FromWords(0x3fd62e43, 0),
  /** |x| below this: k = ±1 (fdlibm: high word < 0x3ff0a2b2). */
  B15: f64FromWords(0x3ff0a2b2, 0),
} as const;

const moduleCache = new Map<string, WebAssembly.Module>();

/**
 * Compiles module bytes once per distinct byte string (instances of one structure share it).
 * Synchronous: the modules are a few KB (browsers refuse synchronous compiles only of large modules
 * on the main thread), and the backends' op constructors are synchronous.
 */
export function compileCached(bytes: Uint8Array): WebAssembly.Module {
  let key = '';
  for (let k = 0; k < bytes.length; k += 4096)
    key += String.fromCharCode(...bytes.subarray(k, Math.min(bytes.length, k + 4096)));
  let m = moduleCache.get(key);
  if (m === undefined) {
    m = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    moduleCache.set(key, m);
  }
  return m;
}

// By memory, weakly: a program's instances go with its memory (the modules themselves are cached).
const instances = new WeakMap<HostMemory, Map<WebAssembly.Module, WebAssembly.Instance>>();

/**
 * The instance of a module made with {@link importHost} over `memory`, one per (module, memory): the
 * module's functions name their arrays by a table address, so every binding of a module (the two
 * parities of double-buffered arrays, equal structures) calls the same exported function.
 */
export function instanceOver(bytes: Uint8Array, memory: HostMemory): WebAssembly.Instance {
  const module = compileCached(bytes);
  const ofMemory = instances.get(memory) ?? new Map<WebAssembly.Module, WebAssembly.Instance>();
  instances.set(memory, ofMemory);
  let inst = ofMemory.get(module);
  if (inst === undefined) {
    inst = new WebAssembly.Instance(module, { env: { memory: memory.memory }, math: MATH_IMPORTS });
    ofMemory.set(module, inst);
  }
  return inst;
}

/** Bytes a group needs in its memory besides its buffers: argument table, tail scratch, parameter arrays. */
export function wasmGroupBytes(members: readonly WasmMember[]): number {
  const { bytes, scratch, layouts } = layoutOf(members);
  let total = bytes + 16 * scratch + 16;
  members.forEach((m, k) => {
    for (const a of m.args.arrays) total += align16(4 * a.length);
    total += (layouts[k] as MemberLayout).rand.size * wordBufferBytes(m.args.n);
  });
  return total;
}

/** Bytes of a draw site's word buffer: whole groups of 4 blocks (16 elements) past n. */
function wordBufferBytes(n: number): number {
  return 64 * Math.ceil(n / 16) + 64;
}

/**
 * Compiles a group and binds it to its buffers (every `io` array must live in `memory`; the
 * per-element parameter arrays are copied into it). Returns the group, or the reason it runs its
 * JavaScript loop.
 */
export function createWasmGroup(
  members: readonly WasmMember[],
  memory: HostMemory,
): WasmGroup | WasmUnsupported {
  if (!wasmSimdSupported()) return { unsupported: 'no WebAssembly SIMD in this engine' };
  const first = members[0];
  if (first === undefined) return { unsupported: 'empty group' };
  const { n, nPre } = first.args;
  if (members.some((m) => m.args.n !== n || m.args.nPre !== nPre))
    return { unsupported: 'members differ in size' };
  for (const m of members) {
    for (const [k, a] of m.args.io.entries())
      if (!memory.holds(a)) return { unsupported: `${m.names.ioNames[k]} is not in the group's memory` };
    for (const ev of m.events ?? []) {
      if (!m.compiled.def.outputs.some((o) => o.name === ev.output))
        throw new Error(`createWasmGroup: ${m.compiled.def.name} has no output "${ev.output}" for events`);
      if (!memory.holds(ev.idx) || !memory.holds(ev.count) || ev.idx.length < n || ev.count.length < 1)
        return {
          unsupported: `the event list of ${m.compiled.def.name}.${ev.output} is not in the group's memory`,
        };
    }
  }
  const uses = members.map((m) => usage(m.compiled));
  if (first.compiled.def.domain === 'synapse' && nPre % 4 !== 0 && uses.some((u) => u.normal))
    return { unsupported: 'normal draws in a synapse domain whose presynaptic size is not a multiple of 4' };
  if (memory.free < wasmGroupBytes(members)) return { unsupported: 'memory full' };
  const nativeExp = uses.some((u) => u.exp) && nativeExpAgrees();
  return bindGroup(members, memory, { nativeExp });
}

function bindGroup(
  members: readonly WasmMember[],
  memory: HostMemory,
  options: { readonly nativeExp: boolean },
): WasmGroup | WasmUnsupported {
  const g = generateWasm(members, memory, options);
  if ('unsupported' in g) return g;
  const hazard = crossElementHazard(members, g.layouts);
  if (hazard !== undefined) return { unsupported: hazard };
  const { n, nPre } = (members[0] as WasmMember).args;
  const table = memory.alloc(g.tableBytes);
  const scratch = memory.alloc(16 * g.scratchSlots);
  const buf = memory.memory.buffer;
  const i32 = new Int32Array(buf, table, g.tableBytes / 4);
  const f32 = new Float32Array(buf, table, g.tableBytes / 4);
  i32[0] = n;
  i32[1] = nPre;
  members.forEach((m, k) => {
    const lay = g.layouts[k] as MemberLayout;
    const w = lay.base / 4;
    i32[w] = m.args.k0;
    i32[w + 1] = m.args.k1;
    i32[w + 2] = m.args.streamBase;
    f32[w + 3] = m.args.dt;
    m.names.scalarNames.forEach((s, j) => {
      const v = m.args.scalars[j] as number;
      const at = (lay.scalars.get(s) as number) / 4;
      if (scalarType(m.compiled, s) === 'f32') f32[at] = v;
      else i32[at] = v;
    });
    m.names.arrayNames.forEach((s, j) => {
      const src = m.args.arrays[j] as ArrayLike<number> & ArrayBufferView;
      const at = memory.alloc(4 * src.length);
      new Uint8Array(buf, at, 4 * src.length).set(new Uint8Array(src.buffer, src.byteOffset, 4 * src.length));
      i32[((lay.arrays.get(s) as Slot).at / 4) | 0] = at;
    });
    m.names.ioNames.forEach((s, j) => {
      const a = m.args.io[j] as ArrayBufferView;
      i32[((lay.io.get(s) as Slot).at / 4) | 0] = a.byteOffset;
    });
    for (const off of lay.rand.values()) i32[off / 4] = memory.alloc(wordBufferBytes(n));
    for (const ev of m.events ?? []) {
      const [ia, ca] = lay.events.get(ev.output) as readonly [number, number];
      i32[ia / 4] = ev.idx.byteOffset;
      i32[ca / 4] = ev.count.byteOffset;
    }
  });
  let inst: WebAssembly.Instance;
  try {
    inst = instanceOver(g.bytes, memory);
  } catch (e) {
    return { unsupported: `WebAssembly refused the module: ${(e as Error).message}` };
  }
  const fn = inst.exports.run as WasmRun;
  const synapse = (members[0] as WasmMember).compiled.def.domain === 'synapse';
  const rows = synapse ? n / nPre : n;
  return {
    run: (step) => fn(table, step, 0, rows, scratch),
    fn,
    scratch,
    bytes: g.bytes,
    module: compileCached(g.bytes),
    table,
    rows,
    granule: synapse ? 1 : 4,
    scratchBytes: 16 * g.scratchSlots,
  };
}

let expCheck: boolean | undefined;

/**
 * Whether the in-module `exp` (`nativeExp` in {@link generateWasm}) rounds to the same float32 as this engine's
 * `Math.exp` on a probe set (a sweep of [−111, 90], both sides of every reduction boundary and
 * multiple of ln 2, pseudo-random float32s, ±0, ±∞, NaN: ≈ 14,000 probes). Engines whose `Math.exp` is
 * not fdlibm's (or is compiled with fused multiply-adds) keep the imported `Math.exp`. Checked once per
 * engine, at the first load that needs it (≈ 5 ms; it was 137,000 probes and ≈ 55 ms of every cold
 * load: two double-accurate `exp`s differ after rounding to float32 only within ≈ 2^−28 of a rounding
 * boundary, which no affordable random set finds, so the boundaries are what the probes are for).
 */
export function nativeExpAgrees(): boolean {
  expCheck ??= (() => {
    const xs = expProbes();
    const memory = new HostMemory(8 * xs.length + 65536);
    const x = memory.array('float32', xs.length);
    const y = memory.array('float32', xs.length);
    x.set(xs);
    const compiled = compileDefinition(
      parseDefinition(
        'module exp_probe over unit\ninput x: FloatArray f32\noutput y: FloatArray f32\ny = exp(x)',
      ),
    );
    const member: WasmMember = {
      compiled,
      uniform: new Set(),
      names: { scalarNames: [], arrayNames: [], ioNames: ['input:x', 'output:y'] },
      args: {
        n: xs.length,
        nPre: 1,
        k0: 0,
        k1: 0,
        streamBase: 0,
        dt: 1,
        scalars: new Float64Array(0),
        arrays: [],
        io: [x, y],
      },
    };
    const g = bindGroup([member], memory, { nativeExp: true });
    if ('unsupported' in g) return false;
    g.run(0);
    for (let i = 0; i < xs.length; i++)
      if (!Object.is(y[i], Math.fround(Math.exp(x[i] as number)))) return false;
    return true;
  })();
  return expCheck;
}

/** The probe arguments of {@link nativeExpAgrees}. */
function expProbes(): Float32Array {
  const out: number[] = [0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN];
  for (let k = 0; k <= 4096; k++) out.push(-111 + (201 * k) / 4096);
  const f = new Float32Array(1);
  const b = new Int32Array(f.buffer);
  const around = (v: number) => {
    f[0] = v;
    const c = b[0] as number;
    for (let d = -3; d <= 3; d++) {
      b[0] = c + d;
      out.push(f[0] as number);
    }
  };
  for (const v of [EXP.B05P, EXP.B15, 89, -110, 2 ** -28]) for (const s of [1, -1]) around(s * v);
  for (let k = -160; k <= 130; k++) for (const h of [-0.5, 0, 0.5]) around((k + h) * Math.LN2);
  let r = 0x2545f491;
  for (let k = 0; k < 4096; k++) {
    r = (Math.imul(r ^ (r >>> 15), 0x2c1b3c6d) + 0x9e3779b9) | 0;
    b[0] = r;
    const v = f[0] as number;
    if (v > -111 && v < 90) out.push(v);
  }
  return Float32Array.from(out);
}

function scalarType(c: CompiledModule, slot: string): string {
  const [kind, name] = slot.split(':') as [string, string];
  if (kind === 'param') return c.def.params.find((p) => p.name === name)?.type ?? 'f32';
  return c.derived[Number(name)]?.ty ?? 'f32';
}

/**
 * A group may run 4 elements at a time only if no member reads, at another element, memory that a
 * member writes: every read of a written buffer must be the same vector access at the same address.
 */
function crossElementHazard(
  members: readonly WasmMember[],
  layouts: readonly MemberLayout[],
): string | undefined {
  interface Range {
    readonly what: string;
    readonly start: number;
    readonly end: number;
    readonly access: Access;
  }
  const writes: Range[] = [];
  const reads: Range[] = [];
  members.forEach((m, k) => {
    const lay = layouts[k] as MemberLayout;
    const u = usage(m.compiled);
    m.names.ioNames.forEach((s, j) => {
      const a = m.args.io[j] as ArrayBufferView;
      const r = {
        what: `${m.compiled.def.name}.${s}`,
        start: a.byteOffset,
        end: a.byteOffset + a.byteLength,
        access: (lay.io.get(s) as Slot).access,
      };
      if (s.startsWith('output:') || u.assigned.has(s)) writes.push(r);
      if (u.reads.has(s)) reads.push(r);
    });
  });
  for (const w of writes) {
    for (const r of [...reads, ...writes]) {
      if (r === w || r.end <= w.start || w.end <= r.start) continue;
      if (r.start !== w.start || r.access !== 'vi' || w.access !== 'vi')
        return `${r.what} reads or writes ${w.what} at another element`;
    }
  }
  return undefined;
}
