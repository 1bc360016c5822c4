/**
 * `tanh` as WebAssembly functions: fdlibm's `tanh` and the `expm1` it calls, operation by operation as
 * V8 implements `Math.tanh` (its `base::ieee754`, adapted from fdlibm), so a module calls them instead
 * of importing `Math.tanh` — a call into JavaScript per element, whose float64 argument and result are
 * allocated on the JavaScript heap (the topological spiker calls it for every place cell).
 *
 * Equal to Node 20's `Math.tanh` for every float32 argument (all 2^32, compared as float64 bits: see
 * docs/decisions.md); {@link nativeTanhAgrees} checks probes once per process, and a module keeps the
 * import where they differ (another engine).
 *
 * @module
 */

import { Code, f64FromWords, ModuleBuilder, Op, type ValType } from './wasm-emit.ts';

// float64 opcodes only these functions use
const F64 = {
  gt: 0x64,
  abs: 0x99,
  neg: 0x9a,
  div: 0xa3,
  i32TruncF64S: 0xaa,
  convertI32S: 0xb7,
  i64Shl: 0x86,
} as const;

/** Adds `expm1` and `tanh` to `mb` (in that order); returns `tanh`'s function index. */
export function addTanh(mb: ModuleBuilder): number {
  const e = expm1Body();
  const expm1 = mb.addFunction(['f64'], ['f64'], e.locals, e.code);
  const t = tanhBody(expm1);
  return mb.addFunction(['f64'], ['f64'], t.locals, t.code);
}

/** Pushes the high word of the f64 in local `x` (as i32). */
function highWord(c: Code, x: number): Code {
  return c.get(x).op(Op.i64ReinterpretF64).i64(32n).op(Op.i64ShrU).op(Op.i32WrapI64);
}

/** Pushes the f64 whose high word is the i32 `push`es and whose low word is 0. */
function fromHighWord(c: Code, push: () => void): Code {
  push();
  return c.op(Op.i64ExtendI32U).i64(32n).op(F64.i64Shl).op(Op.f64ReinterpretI64);
}

function expm1Body(): { locals: ValType[]; code: Code } {
  const c = new Code();
  const X = 0;
  const locals: ValType[] = [];
  const L = (t: ValType) => 1 + locals.push(t) - 1;
  const [hx, xsb, k] = [L('i32'), L('i32'), L('i32')];
  const [hi, lo, cc, t, e] = [L('f64'), L('f64'), L('f64'), L('f64'), L('f64')];
  const [hxs, hfx, r1, twopk, y] = [L('f64'), L('f64'), L('f64'), L('f64'), L('f64')];
  const one = 1.0;
  const tiny = 1.0e-300;
  const huge = 1.0e300;
  // fdlibm's constants by their bit patterns
  const oThreshold = f64FromWords(0x40862e42, 0xfefa39ef);
  const ln2Hi = f64FromWords(0x3fe62e42, 0xfee00000);
  const ln2Lo = f64FromWords(0x3dea39ef, 0x35793c76);
  const invln2 = f64FromWords(0x3ff71547, 0x652b82fe);
  const Q = [
    f64FromWords(0xbfa11111, 0x111110f4),
    f64FromWords(0x3f5a01a0, 0x19fe5585),
    f64FromWords(0xbf14ce19, 0x9eaadbb7),
    f64FromWords(0x3ed0cfca, 0x86e65239),
    f64FromWords(0xbe8afdb7, 0x6e09c32d),
  ] as const;
  const ret = () => c.op(Op.return);

  highWord(c, X).set(hx);
  c.get(hx)
    .i32(0x80000000 | 0)
    .op(Op.i32And)
    .set(xsb);
  c.get(hx).i32(0x7fffffff).op(Op.i32And).set(hx);
  // filter out huge and non-finite arguments
  c.get(hx).i32(0x4043687a).op(Op.i32GeU).open(Op.if);
  c.get(hx).i32(0x40862e42).op(Op.i32GeU).open(Op.if);
  c.get(hx).i32(0x7ff00000).op(Op.i32GeU).open(Op.if);
  // NaN: x + x; ±∞: x or −1
  c.get(X).op(Op.i64ReinterpretF64).i64(0x000fffffffffffffn).op(Op.i64And).i64(0n);
  c.op(0x52 /* i64.ne */).open(Op.if);
  c.get(X).get(X).op(Op.f64Add);
  ret();
  c.op(Op.end);
  c.get(xsb).op(Op.i32Eqz).open(Op.if);
  c.get(X);
  ret();
  c.op(Op.end);
  c.f64(-1);
  ret();
  c.op(Op.end);
  c.get(X).f64(oThreshold).op(F64.gt).open(Op.if);
  c.f64(huge).f64(huge).op(Op.f64Mul);
  ret();
  c.op(Op.end);
  c.op(Op.end);
  c.get(xsb).open(Op.if);
  c.get(X).f64(tiny).op(Op.f64Add).f64(0).op(Op.f64Lt).open(Op.if);
  c.f64(tiny).f64(one).op(Op.f64Sub);
  ret();
  c.op(Op.end);
  c.op(Op.end);
  c.op(Op.end);
  // argument reduction
  c.get(hx).i32(0x3fd62e42).op(Op.i32GtU).open(Op.if);
  c.get(hx).i32(0x3ff0a2b2).op(Op.i32LtU).open(Op.if);
  c.get(xsb).op(Op.i32Eqz).open(Op.if);
  c.get(X).f64(ln2Hi).op(Op.f64Sub).set(hi);
  c.f64(ln2Lo).set(lo);
  c.i32(1).set(k);
  c.op(Op.else);
  c.get(X).f64(ln2Hi).op(Op.f64Add).set(hi);
  c.f64(-ln2Lo).set(lo);
  c.i32(-1).set(k);
  c.op(Op.end);
  c.op(Op.else);
  c.f64(invln2).get(X).op(Op.f64Mul);
  c.f64(0.5).f64(-0.5).get(xsb).op(Op.i32Eqz).op(Op.select);
  c.op(Op.f64Add).op(F64.i32TruncF64S).set(k);
  c.get(k).op(F64.convertI32S).set(t);
  c.get(X).get(t).f64(ln2Hi).op(Op.f64Mul).op(Op.f64Sub).set(hi);
  c.get(t).f64(ln2Lo).op(Op.f64Mul).set(lo);
  c.op(Op.end);
  c.get(hi).get(lo).op(Op.f64Sub).set(X);
  c.get(hi).get(X).op(Op.f64Sub).get(lo).op(Op.f64Sub).set(cc);
  c.op(Op.else);
  c.get(hx).i32(0x3c900000).op(Op.i32LtU).open(Op.if);
  // |x| < 2^-54: x
  c.f64(huge).get(X).op(Op.f64Add).set(t);
  c.get(X).get(t).f64(huge).get(X).op(Op.f64Add).op(Op.f64Sub).op(Op.f64Sub);
  ret();
  c.op(Op.end);
  c.i32(0).set(k);
  c.op(Op.end);
  // x is now in the primary range
  c.f64(0.5).get(X).op(Op.f64Mul).set(hfx);
  c.get(X).get(hfx).op(Op.f64Mul).set(hxs);
  // r1 = one + hxs*(Q1 + hxs*(Q2 + hxs*(Q3 + hxs*(Q4 + hxs*Q5))))
  c.f64(one).get(hxs);
  for (let q = 0; q < 4; q++) c.f64(Q[q] as number).get(hxs);
  c.f64(Q[4]);
  for (let q = 0; q < 4; q++) c.op(Op.f64Mul).op(Op.f64Add);
  c.op(Op.f64Mul).op(Op.f64Add).set(r1);
  c.f64(3.0).get(r1).get(hfx).op(Op.f64Mul).op(Op.f64Sub).set(t);
  c.get(hxs).get(r1).get(t).op(Op.f64Sub).f64(6.0).get(X).get(t).op(Op.f64Mul).op(Op.f64Sub);
  c.op(F64.div).op(Op.f64Mul).set(e);
  c.get(k).op(Op.i32Eqz).open(Op.if);
  c.get(X).get(X).get(e).op(Op.f64Mul).get(hxs).op(Op.f64Sub).op(Op.f64Sub);
  ret();
  c.op(Op.end);
  fromHighWord(c, () => c.i32(0x3ff00000).get(k).i32(20).op(Op.i32Shl).op(Op.i32Add)).set(twopk);
  c.get(X).get(e).get(cc).op(Op.f64Sub).op(Op.f64Mul).get(cc).op(Op.f64Sub).set(e);
  c.get(e).get(hxs).op(Op.f64Sub).set(e);
  c.get(k).i32(-1).op(Op.i32Eq).open(Op.if);
  c.f64(0.5).get(X).get(e).op(Op.f64Sub).op(Op.f64Mul).f64(0.5).op(Op.f64Sub);
  ret();
  c.op(Op.end);
  c.get(k).i32(1).op(Op.i32Eq).open(Op.if);
  c.get(X).f64(-0.25).op(Op.f64Lt).open(Op.if);
  c.f64(-2.0).get(e).get(X).f64(0.5).op(Op.f64Add).op(Op.f64Sub).op(Op.f64Mul);
  ret();
  c.op(Op.end);
  c.f64(one).f64(2.0).get(X).get(e).op(Op.f64Sub).op(Op.f64Mul).op(Op.f64Add);
  ret();
  c.op(Op.end);
  c.get(k).i32(-2).op(Op.i32LeS).get(k).i32(56).op(Op.i32GtS).op(Op.i32Or).open(Op.if);
  c.f64(one).get(e).get(X).op(Op.f64Sub).op(Op.f64Sub).set(y);
  c.get(k).i32(1024).op(Op.i32Eq).open(Op.if);
  c.get(y)
    .f64(2.0)
    .op(Op.f64Mul)
    .f64(2 ** 1023)
    .op(Op.f64Mul)
    .set(y);
  c.op(Op.else);
  c.get(y).get(twopk).op(Op.f64Mul).set(y);
  c.op(Op.end);
  c.get(y).f64(one).op(Op.f64Sub);
  ret();
  c.op(Op.end);
  c.get(k).i32(20).op(Op.i32LtS).open(Op.if);
  // t = 1 − 2^-k
  fromHighWord(c, () => c.i32(0x3ff00000).i32(0x200000).get(k).op(Op.i32ShrS).op(Op.i32Sub)).set(t);
  c.get(t).get(e).get(X).op(Op.f64Sub).op(Op.f64Sub).get(twopk).op(Op.f64Mul).set(y);
  c.op(Op.else);
  // t = 2^-k
  fromHighWord(c, () => c.i32(0x3ff).get(k).op(Op.i32Sub).i32(20).op(Op.i32Shl)).set(t);
  c.get(X).get(e).get(t).op(Op.f64Add).op(Op.f64Sub).set(y);
  c.get(y).f64(one).op(Op.f64Add).get(twopk).op(Op.f64Mul).set(y);
  c.op(Op.end);
  c.get(y);
  return { locals, code: c };
}

function tanhBody(expm1: number): { locals: ValType[]; code: Code } {
  const c = new Code();
  const X = 0;
  const locals: ValType[] = [];
  const L = (t: ValType) => 1 + locals.push(t) - 1;
  const [jx, ix] = [L('i32'), L('i32')];
  const [t, z] = [L('f64'), L('f64')];
  const ret = () => c.op(Op.return);
  highWord(c, X).set(jx);
  c.get(jx).i32(0x7fffffff).op(Op.i32And).set(ix);
  // x is ±∞ or NaN
  c.get(ix).i32(0x7ff00000).op(Op.i32GeS).open(Op.if);
  c.get(jx).i32(0).op(Op.i32GeS).open(Op.if);
  c.f64(1).get(X).op(F64.div).f64(1).op(Op.f64Add);
  ret();
  c.op(Op.end);
  c.f64(1).get(X).op(F64.div).f64(1).op(Op.f64Sub);
  ret();
  c.op(Op.end);
  c.get(ix).i32(0x40360000).op(Op.i32LtS).open(Op.if);
  // |x| < 22
  c.get(ix).i32(0x3e300000).op(Op.i32LtS).open(Op.if);
  // |x| < 2^-28: x
  c.f64(1.0e300).get(X).op(Op.f64Add).f64(1).op(F64.gt).open(Op.if);
  c.get(X);
  ret();
  c.op(Op.end);
  c.op(Op.end);
  c.get(ix).i32(0x3ff00000).op(Op.i32GeS).open(Op.if);
  c.f64(2).get(X).op(F64.abs).op(Op.f64Mul).opU(Op.call, expm1).set(t);
  c.f64(1).f64(2).get(t).f64(2).op(Op.f64Add).op(F64.div).op(Op.f64Sub).set(z);
  c.op(Op.else);
  c.f64(-2).get(X).op(F64.abs).op(Op.f64Mul).opU(Op.call, expm1).set(t);
  c.get(t).op(F64.neg).get(t).f64(2).op(Op.f64Add).op(F64.div).set(z);
  c.op(Op.end);
  c.op(Op.else);
  c.f64(1).f64(1.0e-300).op(Op.f64Sub).set(z);
  c.op(Op.end);
  c.get(z).get(z).op(F64.neg).get(jx).i32(0).op(Op.i32GeS).op(Op.select);
  return { locals, code: c };
}

/** A module of its own exporting `tanh` (for the agreement check and tests). */
export function tanhModuleBytes(): Uint8Array {
  const mb = new ModuleBuilder();
  mb.exportFunction('tanh', addTanh(mb));
  return mb.toBytes();
}

let agrees: boolean | undefined;

/**
 * Whether the WebAssembly `tanh` equals this engine's `Math.tanh` (float64 bits) on probes covering
 * every branch of fdlibm's `tanh` and `expm1` (checked once per process).
 */
export function nativeTanhAgrees(): boolean {
  agrees ??= (() => {
    try {
      const inst = new WebAssembly.Instance(
        new WebAssembly.Module(tanhModuleBytes() as Uint8Array<ArrayBuffer>),
      );
      const tanh = inst.exports.tanh as (x: number) => number;
      for (const x of tanhProbes()) if (!Object.is(tanh(x), Math.tanh(x))) return false;
      return true;
    } catch {
      return false;
    }
  })();
  return agrees;
}

/** float32 probes: specials, both sides of every threshold, and a spread of each binade in use. */
export function tanhProbes(): Float32Array {
  const out: number[] = [0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN];
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (let e = 97; e <= 133; e++) {
    // binades 2^-30 … 2^6 (|x| ≥ 22 is ±1); 64 mantissas each, both signs
    for (let m = 0; m < 64; m++) {
      u[0] = (e << 23) | ((m * 131071 + (m >> 1)) & 0x7fffff);
      out.push(f[0] as number, -(f[0] as number));
    }
  }
  for (const x of [
    0.5 * Math.LN2,
    1.5 * Math.LN2,
    0.25,
    0.5,
    1,
    1.0000001,
    0.9999999,
    22,
    21.999998,
    2 ** -28,
  ])
    for (const d of [-2, -1, 0, 1, 2]) {
      f[0] = x;
      u[0] = (u[0] as number) + d;
      out.push(f[0] as number, -(f[0] as number));
    }
  return Float32Array.from(out);
}
