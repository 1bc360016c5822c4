/**
 * A small WebAssembly binary writer: just what the SIMD code generator (`wasm.ts`) emits — one memory
 * import, function imports, functions with locals, structured control flow, i32/i64/f32/f64 scalar ops
 * and the fixed-width SIMD (`v128`) ops. Hand-written (≈ 250 lines) rather than a dependency: the
 * generator needs a few dozen opcodes and no text format, parser or optimiser.
 *
 * Encoding: https://webassembly.github.io/spec/core/binary/ (LEB128 integers, sections 1–3, 7, 10 in
 * order; SIMD opcodes are `0xFD` followed by the opcode as an unsigned LEB128).
 *
 * @module
 */

/** A value type. */
export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** Appends `items` to `out` (no spread: bodies can exceed the argument-count limit). */
function append(out: number[], items: ArrayLike<number>): void {
  for (let k = 0; k < items.length; k++) out.push(items[k] as number);
}

/** Appends the unsigned LEB128 encoding of `v` (an integer in [0, 2^32)). */
function uleb(out: number[], v: number): void {
  let x = v >>> 0;
  do {
    const b = x & 0x7f;
    x >>>= 7;
    out.push(x === 0 ? b : b | 0x80);
  } while (x !== 0);
}

/** Appends the signed LEB128 encoding of a 32-bit integer. */
function sleb32(out: number[], v: number): void {
  let x = v | 0;
  for (;;) {
    const b = x & 0x7f;
    x >>= 7;
    if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

/** Appends the signed LEB128 encoding of a 64-bit integer. */
function sleb64(out: number[], v: bigint): void {
  let x = BigInt.asIntN(64, v);
  for (;;) {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    if ((x === 0n && (b & 0x40) === 0) || (x === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

const F32 = new Float32Array(1);
const F64 = new Float64Array(1);

/** Scalar opcodes used by the generator (one byte each). */
export const Op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  call: 0x10,
  drop: 0x1a,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i32Load16U: 0x2f,
  f32Load: 0x2a,
  i32Store: 0x36,
  f32Store: 0x38,
  i32Const: 0x41,
  i64Const: 0x42,
  f32Const: 0x43,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32GeS: 0x4e,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32DivS: 0x6d,
  i32DivU: 0x6e,
  i32RemS: 0x6f,
  i32RemU: 0x70,
  i32And: 0x71,
  i32Or: 0x72,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i32ShrS: 0x75,
  i32ShrU: 0x76,
  i64Mul: 0x7e,
  i64ShrU: 0x88,
  i32WrapI64: 0xa7,
  i64ExtendI32U: 0xad,
  f32DemoteF64: 0xb6,
  f64PromoteF32: 0xbb,
  // Scalar f32/f64/i64 arithmetic and conversions (the event kernels' scalar code).
  i32Load8U: 0x2d,
  i32Store8: 0x3a,
  i32GtS: 0x4a,
  i32GtU: 0x4b,
  i32LeS: 0x4c,
  i32LeU: 0x4d,
  f32Eq: 0x5b,
  f32Ne: 0x5c,
  f32Lt: 0x5d,
  f32Gt: 0x5e,
  f32Le: 0x5f,
  f32Ge: 0x60,
  f64Lt: 0x63,
  f64Ge: 0x66,
  i64Add: 0x7c,
  i64And: 0x83,
  f32Abs: 0x8b,
  f32Neg: 0x8c,
  f32Ceil: 0x8d,
  f32Floor: 0x8e,
  f32Nearest: 0x90,
  f32Sqrt: 0x91,
  f32Add: 0x92,
  f32Sub: 0x93,
  f32Mul: 0x94,
  f32Div: 0x95,
  f32Min: 0x96,
  f32Max: 0x97,
  f32Copysign: 0x98,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f32ConvertI32S: 0xb2,
  f32ConvertI32U: 0xb3,
  i32ReinterpretF32: 0xbc,
  i64ReinterpretF64: 0xbd,
  f32ReinterpretI32: 0xbe,
  f64ReinterpretI64: 0xbf,
  /** Prefix of the saturating truncations (`0xFC 0x00` i32.trunc_sat_f32_s, `0xFC 0x01` _u). */
  prefixFC: 0xfc,
} as const;

/** SIMD opcodes (after the 0xFD prefix). */
export const Simd = {
  v128Load: 0x00,
  v128Load16x4U: 0x04,
  v128Store: 0x0b,
  v128Const: 0x0c,
  i8x16Shuffle: 0x0d,
  i32x4Splat: 0x11,
  f32x4Splat: 0x13,
  i32x4ExtractLane: 0x1b,
  i32x4ReplaceLane: 0x1c,
  f32x4ExtractLane: 0x1f,
  f32x4ReplaceLane: 0x20,
  i32x4Eq: 0x37,
  i32x4Ne: 0x38,
  i32x4LtS: 0x39,
  i32x4LtU: 0x3a,
  i32x4GtS: 0x3b,
  i32x4GtU: 0x3c,
  i32x4LeS: 0x3d,
  i32x4LeU: 0x3e,
  i32x4GeS: 0x3f,
  i32x4GeU: 0x40,
  f32x4Eq: 0x41,
  f32x4Ne: 0x42,
  f32x4Lt: 0x43,
  f32x4Gt: 0x44,
  f32x4Le: 0x45,
  f32x4Ge: 0x46,
  f64x2Eq: 0x47,
  f64x2Ne: 0x48,
  f64x2Lt: 0x49,
  f64x2Gt: 0x4a,
  v128Not: 0x4d,
  v128And: 0x4e,
  v128Or: 0x50,
  v128Xor: 0x51,
  v128Bitselect: 0x52,
  v128AnyTrue: 0x53,
  v128Store64Lane: 0x5b,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  f32x4Ceil: 0x67,
  f32x4Floor: 0x68,
  f32x4Nearest: 0x6a,
  i16x8NarrowI32x4U: 0x86,
  i32x4Abs: 0xa0,
  i32x4Neg: 0xa1,
  i32x4Shl: 0xab,
  i32x4ShrS: 0xac,
  i32x4ShrU: 0xad,
  i32x4Add: 0xae,
  i32x4Sub: 0xb1,
  i32x4Mul: 0xb5,
  i32x4MinS: 0xb6,
  i32x4MinU: 0xb7,
  i32x4MaxS: 0xb8,
  i32x4MaxU: 0xb9,
  i64x2AllTrue: 0xc3,
  i64x2ExtendLowI32x4S: 0xc7,
  i64x2Shl: 0xcb,
  i64x2Add: 0xce,
  i64x2ExtmulLowI32x4U: 0xde,
  i64x2ExtmulHighI32x4U: 0xdf,
  f32x4Abs: 0xe0,
  f32x4Neg: 0xe1,
  f32x4Sqrt: 0xe3,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Min: 0xe8,
  f32x4Max: 0xe9,
  f64x2Abs: 0xec,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Div: 0xf3,
  i32x4TruncSatF32x4S: 0xf8,
  i32x4TruncSatF32x4U: 0xf9,
  f32x4ConvertI32x4S: 0xfa,
  f32x4ConvertI32x4U: 0xfb,
  i32x4TruncSatF64x2SZero: 0xfc,
  f64x2ConvertLowI32x4S: 0xfe,
} as const;

/** A float64 from its high and low 32-bit words (fdlibm writes its constants so). */
export function f64FromWords(hi: number, lo: number): number {
  const w = new Uint32Array([lo, hi]);
  return new Float64Array(w.buffer)[0] as number;
}

/** Instruction stream of one function body. */
export class Code {
  readonly bytes: number[] = [];

  /** Plain opcode(s) without immediates. */
  op(...ops: number[]): this {
    this.bytes.push(...ops);
    return this;
  }

  /** An opcode with unsigned LEB128 immediates (local/function indices, branch depths, lane). */
  opU(op: number, ...imm: number[]): this {
    this.bytes.push(op);
    for (const v of imm) uleb(this.bytes, v);
    return this;
  }

  /** A scalar load/store with memarg (`align` as log2, `offset` in bytes). */
  mem(op: number, align: number, offset = 0): this {
    this.bytes.push(op);
    uleb(this.bytes, align);
    uleb(this.bytes, offset);
    return this;
  }

  /** A SIMD opcode (prefix 0xFD) with unsigned immediates (lane index). */
  simd(op: number, ...imm: number[]): this {
    this.bytes.push(0xfd);
    uleb(this.bytes, op);
    // Lane indices are single bytes, not LEB128 (identical for 0–3).
    this.bytes.push(...imm);
    return this;
  }

  /** A SIMD load/store with memarg. */
  simdMem(op: number, align: number, offset = 0): this {
    this.bytes.push(0xfd);
    uleb(this.bytes, op);
    uleb(this.bytes, align);
    uleb(this.bytes, offset);
    return this;
  }

  i32(v: number): this {
    this.bytes.push(Op.i32Const);
    sleb32(this.bytes, v);
    return this;
  }

  i64(v: bigint): this {
    this.bytes.push(Op.i64Const);
    sleb64(this.bytes, v);
    return this;
  }

  f32(v: number): this {
    F32[0] = v;
    this.bytes.push(Op.f32Const, ...new Uint8Array(F32.buffer));
    return this;
  }

  f64(v: number): this {
    F64[0] = v;
    this.bytes.push(Op.f64Const, ...new Uint8Array(F64.buffer));
    return this;
  }

  /** `v128.const` of four 32-bit lanes (given as int32 bit patterns). */
  v128i32(a: number, b: number, c: number, d: number): this {
    const lanes = new Int32Array([a, b, c, d]);
    this.simd(Simd.v128Const);
    this.bytes.push(...new Uint8Array(lanes.buffer));
    return this;
  }

  /** `v128.const` of two equal f64 lanes. */
  v128f64(v: number): this {
    F64[0] = v;
    const b = new Uint8Array(F64.buffer);
    this.simd(Simd.v128Const);
    for (let k = 0; k < 2; k++) for (let j = 0; j < 8; j++) this.bytes.push(b[j] as number);
    return this;
  }

  get(local: number): this {
    return this.opU(Op.localGet, local);
  }

  set(local: number): this {
    return this.opU(Op.localSet, local);
  }

  tee(local: number): this {
    return this.opU(Op.localTee, local);
  }

  /** `block`/`loop`/`if` with an empty block type. */
  open(op: typeof Op.block | typeof Op.loop | typeof Op.if): this {
    this.bytes.push(op, 0x40);
    return this;
  }
}

/** A function type. */
interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

/** Options of the imported memory. */
export interface MemoryImport {
  readonly module: string;
  readonly name: string;
  /** Minimum size in 64 KiB pages. */
  readonly minPages: number;
  /** Maximum size in pages (required when shared). */
  readonly maxPages?: number;
  readonly shared: boolean;
}

/** Builds one module: an imported memory, imported functions, defined functions, exports. */
export class ModuleBuilder {
  private readonly types: FuncType[] = [];
  private readonly funcImports: { module: string; name: string; type: number }[] = [];
  private readonly funcs: { type: number; locals: ValType[]; code: Code }[] = [];
  private readonly exports: { name: string; func: number }[] = [];
  private memory: MemoryImport | undefined;

  private typeIndex(params: readonly ValType[], results: readonly ValType[]): number {
    const key = `${params.join(',')}>${results.join(',')}`;
    const k = this.types.findIndex((t) => `${t.params.join(',')}>${t.results.join(',')}` === key);
    if (k >= 0) return k;
    this.types.push({ params, results });
    return this.types.length - 1;
  }

  importMemory(m: MemoryImport): void {
    this.memory = m;
  }

  /** Imports a function; returns its function index. All imports must precede {@link addFunction}. */
  importFunction(
    module: string,
    name: string,
    params: readonly ValType[],
    results: readonly ValType[],
  ): number {
    if (this.funcs.length > 0) throw new Error('wasm-emit: import functions before defining any');
    this.funcImports.push({ module, name, type: this.typeIndex(params, results) });
    return this.funcImports.length - 1;
  }

  /** Adds a function (its locals after the parameters); returns its function index. */
  addFunction(
    params: readonly ValType[],
    results: readonly ValType[],
    locals: ValType[],
    code: Code,
  ): number {
    this.funcs.push({ type: this.typeIndex(params, results), locals, code });
    return this.funcImports.length + this.funcs.length - 1;
  }

  exportFunction(name: string, func: number): void {
    this.exports.push({ name, func });
  }

  /** The module's binary. */
  toBytes(): Uint8Array {
    const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const section = (id: number, body: number[]) => {
      out.push(id);
      uleb(out, body.length);
      append(out, body);
    };
    const name = (b: number[], s: string) => {
      const u = new TextEncoder().encode(s);
      uleb(b, u.length);
      append(b, u);
    };
    const vec = <T>(b: number[], items: readonly T[], f: (x: T) => void) => {
      uleb(b, items.length);
      items.forEach(f);
    };
    const types: number[] = [];
    vec(types, this.types, (t) => {
      types.push(0x60);
      vec(types, t.params, (p) => types.push(VALTYPE[p]));
      vec(types, t.results, (r) => types.push(VALTYPE[r]));
    });
    section(1, types);
    const imports: number[] = [];
    const nImports = this.funcImports.length + (this.memory ? 1 : 0);
    uleb(imports, nImports);
    if (this.memory) {
      const m = this.memory;
      name(imports, m.module);
      name(imports, m.name);
      imports.push(0x02);
      if (m.shared) {
        imports.push(0x03);
        uleb(imports, m.minPages);
        uleb(imports, m.maxPages ?? m.minPages);
      } else if (m.maxPages !== undefined) {
        imports.push(0x01);
        uleb(imports, m.minPages);
        uleb(imports, m.maxPages);
      } else {
        imports.push(0x00);
        uleb(imports, m.minPages);
      }
    }
    for (const f of this.funcImports) {
      name(imports, f.module);
      name(imports, f.name);
      imports.push(0x00);
      uleb(imports, f.type);
    }
    section(2, imports);
    const funcs: number[] = [];
    vec(funcs, this.funcs, (f) => uleb(funcs, f.type));
    section(3, funcs);
    const exps: number[] = [];
    vec(exps, this.exports, (e) => {
      name(exps, e.name);
      exps.push(0x00);
      uleb(exps, e.func);
    });
    section(7, exps);
    const code: number[] = [];
    vec(code, this.funcs, (f) => {
      const body: number[] = [];
      // Locals, run-length grouped by type.
      const groups: [number, ValType][] = [];
      for (const t of f.locals) {
        const last = groups[groups.length - 1];
        if (last !== undefined && last[1] === t) last[0]++;
        else groups.push([1, t]);
      }
      vec(body, groups, ([n, t]) => {
        uleb(body, n);
        body.push(VALTYPE[t]);
      });
      append(body, f.code.bytes);
      body.push(Op.end);
      uleb(code, body.length);
      append(code, body);
    });
    section(10, code);
    return new Uint8Array(out);
  }
}
