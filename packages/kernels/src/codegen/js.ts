/**
 * JavaScript code generation: a compiled module becomes the source of a plain loop over typed
 * arrays (no per-step allocation), turned into a function with `new Function` — our generated source
 * only, never user text: every identifier in it comes from a validated definition
 * ({@link IDENTIFIER_RE}, checked again here) and every literal is printed from a finite number.
 *
 * **It computes in float32, as WGSL does**: every f32 literal is its float32 value and every f32
 * operation that can leave float32 — `+ − × ÷`, a cast of an integer, `exp log sqrt pow tanh sin cos`,
 * a normal draw — is rounded with `Math.fround` (for `+ − × ÷ √` the float64 result of float32
 * operands rounded once is exactly the float32 operation). `abs min max floor ceil round sign clamp`,
 * negation, `%` and selects are exact on float32 values and are not rounded. This is the interpreter's
 * `f32` mode, which the generated loop equals bit for bit; the WebAssembly groups (`wasm.ts`) equal it
 * too, so a group may run either.
 *
 * @module
 */

import { fromFloat16Bits, toFloat16Bits } from '@spark-snn/core';
import { type Extent, IDENTIFIER_RE } from '../lang/ast.ts';
import type { CompiledModule } from '../lang/compile.ts';
import type { TExpr, TStmt } from '../lang/ir.ts';
import { SCALAR_HELPERS } from '../lang/semantics.ts';
import { normalOf, philoxInto, uniformOf } from '../rng/philox.ts';

/** Arguments of a generated JS kernel, fixed per instance (arrays are reused every step). */
export interface JsKernelArgs {
  /** Number of elements. */
  n: number;
  /** Presynaptic size (1 in the unit domain). */
  nPre: number;
  /** Philox key words. */
  k0: number;
  k1: number;
  /** First RNG stream of this instance. */
  streamBase: number;
  /** dt in ms (as float32). */
  dt: number;
  /** Scalar parameters then scalar derived constants, in {@link JsKernel.scalarNames} order. */
  scalars: Float64Array;
  /** Per-element parameter and derived arrays, in {@link JsKernel.arrayNames} order. */
  arrays: readonly ArrayLike<number>[];
  /** State, input and output arrays, in {@link JsKernel.ioNames} order. */
  io: readonly (Float32Array | Int32Array | Uint32Array | Uint16Array)[];
}

/** A generated JavaScript kernel. */
export interface JsKernel {
  /** The generated source (for inspection and snapshots). */
  readonly source: string;
  /** Names of the scalar slots: `param:NAME` or `derived:ID`. */
  readonly scalarNames: readonly string[];
  /** Names of the array slots: `param:NAME` or `derived:ID`. */
  readonly arrayNames: readonly string[];
  /** Names of the io slots: `state:NAME`, `input:NAME`, `output:NAME`. */
  readonly ioNames: readonly string[];
  /** Executes one step. */
  run(args: JsKernelArgs, step: number): void;
}

/** The helpers generated JavaScript uses (its `rt` argument; {@link RUNTIME_NAMES} destructures them). */
export const RUNTIME = {
  ...SCALAR_HELPERS,
  philoxInto,
  uniformOf,
  normalOf,
  fromF16: fromFloat16Bits,
  toF16: toFloat16Bits,
};

/** Names of the runtime helpers a generated loop may call (destructured from `rt`). */
export const RUNTIME_NAMES = Object.keys(RUNTIME).join(', ');

function id(name: string): string {
  if (!IDENTIFIER_RE.test(name)) throw new Error(`codegen: invalid identifier ${JSON.stringify(name)}`);
  return name;
}

/** A JavaScript literal of a finite number (−0 kept; negative values parenthesised). */
export function jsNumber(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`codegen: non-finite literal ${v}`);
  if (Object.is(v, -0)) return '(-0)'; // String(-0) is "0"
  return v < 0 ? `(${v})` : String(v);
}

function num(v: number, ty: string): string {
  if (ty === 'bool') return v ? 'true' : 'false';
  if (!Number.isFinite(v)) throw new Error(`codegen: non-finite literal ${v}`);
  // An f32 literal is its float32 value (printed exactly: the shortest decimal that reads back as it).
  return jsNumber(ty === 'f32' ? Math.fround(v) : v);
}

/** How the code of one element reads its leaves and writes its results (see {@link emitJsElement}). */
export interface JsElementAccess {
  /** Expression reading a parameter (scalars, per-element arrays, uniform slots). */
  param(name: string, extent: Extent): string;
  /** Expression reading hoisted constant `id`. */
  derived(id: number, extent: Extent): string;
  /** Expression reading an input. */
  input(name: string, extent: Extent): string;
  /** Expression giving a state's value before the step (its local starts with it); undefined: not loaded. */
  loadState(name: string): string | undefined;
  /** Statement storing a state's new value (assigned states only), or undefined to keep it local. */
  storeState(name: string, value: string): string | undefined;
  /** Statement storing an output, or undefined to keep it local. */
  storeOutput(name: string, value: string): string | undefined;
  /** Element index of random draws (default `i`). */
  readonly index?: string;
  /**
   * Prefix of the element's identifiers — its locals (`s_`, `o_`, `l_`, draws) and the module's
   * `dt`, `k0`, `k1`, `streamBase` and draw scratch (`X`, `B`) — so a fused loop can hold several
   * modules (default `''`).
   */
  readonly prefix?: string;
  /** The statements to emit (default: the whole compiled body, in order). */
  readonly statements?: readonly TStmt[];
}

/** The code of one element of a compiled module: state loads, the statements, the stores. */
export interface JsElement {
  /** `let s_NAME = …` for every state, `let o_NAME = 0` for every output (names with the prefix). */
  readonly head: string[];
  readonly lines: string[];
  readonly tail: string[];
  /** Random draw sites used (each needs `const X<site> = new Uint32Array(4)` and `let B<site> = -1`). */
  readonly sites: ReadonlySet<number>;
}

/**
 * Emits the code of one element of a compiled module: locals `s_NAME` (states), `o_NAME` (outputs),
 * `l_NAME` (lets), statements in body order, stores at the end. `access` says how leaves are read and
 * results written — the module's own loop (`generateJs`) and the event-driven forms (`events/`) emit
 * the same arithmetic over different storage.
 */
export function emitJsElement(c: CompiledModule, access: JsElementAccess): JsElement {
  const def = c.def;
  const index = access.index ?? 'i';
  const P = access.prefix ?? '';
  if (P !== '' && !IDENTIFIER_RE.test(P)) throw new Error(`codegen: invalid prefix ${JSON.stringify(P)}`);
  let tmp = 0;
  const lines: string[] = [];
  const sites = new Set<number>();
  const ex = (e: TExpr): string => {
    switch (e.k) {
      case 'const':
        return num(e.value, e.ty);
      case 'dt':
        return `${P}dt`;
      case 'param':
        return access.param(id(e.name), e.extent);
      case 'derived':
        return access.derived(e.id, e.extent);
      case 'state':
        return `${P}s_${id(e.name)}`;
      case 'input':
        return access.input(id(e.name), e.extent);
      case 'output':
        return `${P}o_${id(e.name)}`;
      case 'local':
        return `${P}l_${id(e.name)}`;
      case 'unary':
        if (e.op === '!') return `(!${ex(e.a)})`;
        return e.ty === 'i32' ? `((-${ex(e.a)}) | 0)` : `(-${ex(e.a)})`;
      case 'binary': {
        const a = ex(e.a);
        const b = ex(e.b);
        const t = e.a.ty;
        switch (e.op) {
          case '+':
          case '-':
            return t === 'i32'
              ? `((${a} ${e.op} ${b}) | 0)`
              : t === 'u32'
                ? `((${a} ${e.op} ${b}) >>> 0)`
                : `Math.fround(${a} ${e.op} ${b})`;
          case '*':
            return t === 'i32'
              ? `Math.imul(${a}, ${b})`
              : t === 'u32'
                ? `(Math.imul(${a}, ${b}) >>> 0)`
                : `Math.fround(${a} * ${b})`;
          case '/':
            return t === 'i32'
              ? `idiv(${a}, ${b})`
              : t === 'u32'
                ? `udiv(${a}, ${b})`
                : `Math.fround(${a} / ${b})`;
          case '%':
            return t === 'i32' ? `irem(${a}, ${b})` : t === 'u32' ? `urem(${a}, ${b})` : `(${a} % ${b})`;
          case '==':
            return `(${a} === ${b})`;
          case '!=':
            return `(${a} !== ${b})`;
          default:
            return `(${a} ${e.op} ${b})`;
        }
      }
      case 'select':
        return `(${ex(e.c)} ? ${ex(e.t)} : ${ex(e.e)})`;
      case 'cast': {
        const a = ex(e.a);
        const from = e.a.ty;
        if (from === 'bool') return `(${a} ? 1 : 0)`;
        if (from === e.fn) return a;
        // An integer as f32 rounds (|x| > 2^24 is not exact).
        if (e.fn === 'f32') return `Math.fround(${a})`;
        if (e.fn === 'i32') return from === 'f32' ? `f2i(${a})` : `(${a} | 0)`;
        return from === 'f32' ? `f2u(${a})` : `(${a} >>> 0)`;
      }
      case 'math': {
        const a = e.args.map(ex);
        switch (e.fn) {
          case 'round':
            return `roundEven(${a[0]})`;
          case 'sign':
            return `sign(${a[0]})`;
          case 'clamp':
            return `Math.min(Math.max(${a[0]}, ${a[1]}), ${a[2]})`;
          case 'pow':
            return `Math.fround(${a[0]} ** ${a[1]})`;
          case 'abs':
            return e.ty === 'i32' ? `(Math.abs(${a[0]}) | 0)` : `Math.abs(${a[0]})`;
          case 'floor':
          case 'ceil':
          case 'min':
          case 'max':
            // Exact on float32 operands (and on integers).
            return `Math.${e.fn}(${a.join(', ')})`;
          default:
            // exp log sqrt tanh sin cos: Math's float64 result, rounded to float32.
            return e.ty === 'f32'
              ? `Math.fround(Math.${e.fn}(${a.join(', ')}))`
              : `Math.${e.fn}(${a.join(', ')})`;
        }
      }
      case 'rand': {
        // Element i reads word i & 3 of block i >>> 2 (core's CounterRng layout): one Philox call per
        // 4 elements, kept in X<site> while B<site> names its block.
        const t = `${P}r${tmp++}`;
        const [x, b] = [`${P}X${e.site}`, `${P}B${e.site}`];
        sites.add(e.site);
        const k = index;
        lines.push(
          `    if ((${k} >>> 2) !== ${b}) { ${b} = ${k} >>> 2; philoxInto(${b}, step, (${P}streamBase + ${e.site}) >>> 0, ${P}k0, ${P}k1, ${x}); }`,
        );
        if (e.dist === 'normal')
          lines.push(
            `    const ${t} = Math.fround(normalOf(${x}[${k} & 2], ${x}[(${k} & 2) | 1], ${k} & 1));`,
          );
        else lines.push(`    const ${t} = uniformOf(${x}[${k} & 3]);`);
        return e.dist === 'bernoulli' ? `(${t} < ${ex(e.args[0] as TExpr)})` : t;
      }
    }
  };

  const stateAssigned = new Set<string>();
  for (const s of access.statements ?? c.body) {
    const v = ex(s.value);
    if (s.k === 'let') lines.push(`    const ${P}l_${id(s.name)} = ${v};`);
    else if (s.to === 'state') {
      stateAssigned.add(s.target);
      lines.push(`    ${P}s_${id(s.target)} = ${v};`);
    } else lines.push(`    ${P}o_${id(s.target)} = ${v};`);
  }
  const head: string[] = [];
  for (const s of def.state) {
    const v = access.loadState(id(s.name));
    if (v !== undefined) head.push(`    let ${P}s_${id(s.name)} = ${v};`);
  }
  for (const o of def.outputs) head.push(`    let ${P}o_${id(o.name)} = 0;`);
  const tail: string[] = [];
  for (const s of def.state) {
    if (!stateAssigned.has(s.name)) continue;
    const st = access.storeState(id(s.name), `${P}s_${s.name}`);
    if (st !== undefined) tail.push(`    ${st}`);
  }
  for (const o of def.outputs) {
    const st = access.storeOutput(id(o.name), `${P}o_${o.name}`);
    if (st !== undefined) tail.push(`    ${st}`);
  }
  return { head, lines, tail, sites };
}

/** Options of {@link jsModuleLoop}. */
export interface JsLoopOptions {
  /**
   * Array slots (`param:NAME` / `derived:ID`) that hold one value repeated: read once per step, before
   * the loop, as a scalar — so a per-element parameter that is the same everywhere costs no memory
   * traffic per element.
   */
  readonly uniform?: ReadonlySet<string>;
  /** Prefix of every identifier of this module (a fused loop holds several modules). Default `''`. */
  readonly prefix?: string;
  /** Expression of the module's {@link JsKernelArgs} record. Default `'A'`. */
  readonly args?: string;
  /** Expression of an io array (`state:NAME`, `input:NAME`, `output:NAME`); default `io[k]` of the args. */
  readonly io?: (slot: string, k: number) => string | undefined;
}

/** The pieces of a module's loop, for a caller that writes the loop (and may fuse several modules). */
export interface JsLoopParts {
  /** Statements run once per step, before the loop (parameters, arrays, draw trackers). */
  readonly pre: readonly string[];
  /**
   * Statements run for every element: index `i`; in the synapse domain also `u` (postsynaptic unit)
   * and `q` (presynaptic index), with `i = u · nPre + q`.
   */
  readonly body: readonly string[];
  /** Statements at the scope that creates the step function (scratch of the random draws). */
  readonly setup: readonly string[];
  /** True in the synapse domain. */
  readonly synapse: boolean;
  /** Identifiers of the element count and the presynaptic size (declared in `pre`). */
  readonly n: string;
  readonly nPre: string;
  /** Output name → the local holding the element's value after `body` (for event lists). */
  readonly outputs: ReadonlyMap<string, string>;
  /** Slot names, in the order of the args record's `scalars`, `arrays` and `io`. */
  readonly scalarNames: readonly string[];
  readonly arrayNames: readonly string[];
  readonly ioNames: readonly string[];
}

/**
 * The loop of a compiled module in pieces (see {@link JsLoopParts}): the element is
 * {@link emitJsElement}'s over the module's own arrays; {@link generateJs} assembles the pieces into
 * a standalone kernel, the cpu step program into fused loops.
 */
export function jsModuleLoop(c: CompiledModule, o: JsLoopOptions = {}): JsLoopParts {
  const def = c.def;
  const synapse = def.domain === 'synapse';
  const uniform = o.uniform ?? new Set<string>();
  const P = o.prefix ?? '';
  if (P !== '' && !IDENTIFIER_RE.test(P)) throw new Error(`codegen: invalid prefix ${JSON.stringify(P)}`);
  const A = o.args ?? 'A';
  const scalarNames: string[] = [];
  const arrayNames: string[] = [];
  const ioNames: string[] = [];
  const pre: string[] = [
    `const ${P}n = ${A}.n, ${P}nPre = ${A}.nPre, ${P}k0 = ${A}.k0, ${P}k1 = ${A}.k1, ${P}streamBase = ${A}.streamBase, ${P}dt = ${A}.dt;`,
    `const ${P}sc = ${A}.scalars, ${P}ar = ${A}.arrays, ${P}io = ${A}.io;`,
  ];
  for (const p of def.params) {
    if (p.extent === 'scalar') {
      pre.push(`const ${P}p_${id(p.name)} = ${P}sc[${scalarNames.length}];`);
      scalarNames.push(`param:${p.name}`);
    } else {
      pre.push(`const ${P}P_${id(p.name)} = ${P}ar[${arrayNames.length}];`);
      if (uniform.has(`param:${p.name}`)) pre.push(`const ${P}U_${id(p.name)} = ${P}P_${id(p.name)}[0];`);
      arrayNames.push(`param:${p.name}`);
    }
  }
  for (const d of c.derived) {
    if (d.extent === 'scalar') {
      pre.push(`const ${P}d${d.id} = ${P}sc[${scalarNames.length}];`);
      scalarNames.push(`derived:${d.id}`);
    } else {
      pre.push(`const ${P}D${d.id} = ${P}ar[${arrayNames.length}];`);
      if (uniform.has(`derived:${d.id}`)) pre.push(`const ${P}UD${d.id} = ${P}D${d.id}[0];`);
      arrayNames.push(`derived:${d.id}`);
    }
  }
  const f16 = new Set<string>();
  const ioDecl = (letter: string, kind: string, name: string, storage: string): void => {
    const slot = `${kind}:${name}`;
    const k = ioNames.length;
    pre.push(`const ${P}${letter}_${id(name)} = ${o.io?.(slot, k) ?? `${P}io[${k}]`};`);
    ioNames.push(slot);
    if (storage === 'float16') f16.add(`${P}${letter}_${name}`);
  };
  for (const s of def.state) ioDecl('S', 'state', s.name, s.storage);
  for (const p of def.inputs) ioDecl('I', 'input', p.name, p.storage);
  for (const x of def.outputs) ioDecl('O', 'output', x.name, x.storage);
  const idx = (extent: string): string => {
    if (extent === 'scalar') return '0';
    if (extent === 'unit') return synapse ? 'u' : 'i';
    if (extent === 'pre') return 'q';
    return 'i';
  };
  const load = (arr: string, index: string): string =>
    f16.has(arr) ? `fromF16(${arr}[${index}])` : `${arr}[${index}]`;
  const store = (arr: string, value: string): string =>
    f16.has(arr) ? `${arr}[i] = toF16(${value});` : `${arr}[i] = ${value};`;

  const { head, lines, tail, sites } = emitJsElement(c, {
    prefix: P,
    param: (name, extent) =>
      extent === 'scalar'
        ? `${P}p_${id(name)}`
        : uniform.has(`param:${name}`)
          ? `${P}U_${id(name)}`
          : `${P}P_${id(name)}[${idx(extent)}]`,
    derived: (k, extent) =>
      extent === 'scalar'
        ? `${P}d${k}`
        : uniform.has(`derived:${k}`)
          ? `${P}UD${k}`
          : `${P}D${k}[${idx(extent)}]`,
    input: (name, extent) => load(`${P}I_${id(name)}`, idx(extent)),
    loadState: (name) => load(`${P}S_${name}`, 'i'),
    storeState: (name, value) => store(`${P}S_${name}`, value),
    storeOutput: (name, value) => store(`${P}O_${name}`, value),
  });
  for (const k of sites) pre.push(`let ${P}B${k} = -1;`);
  return {
    pre,
    body: [...head, ...lines, ...tail],
    setup: [...sites].map((k) => `const ${P}X${k} = new Uint32Array(4);`),
    synapse,
    n: `${P}n`,
    nPre: `${P}nPre`,
    outputs: new Map(def.outputs.map((x) => [x.name, `${P}o_${id(x.name)}`])),
    scalarNames,
    arrayNames,
    ioNames,
  };
}

/** The element loop of a module (or of a fused group sharing its index space) around `body`. */
export function loopOf(
  parts: Pick<JsLoopParts, 'synapse' | 'n' | 'nPre'>,
  body: readonly string[],
): string[] {
  return parts.synapse
    ? [
        `  const nU = (${parts.n} / ${parts.nPre}) | 0;`,
        '  let i = 0;',
        '  for (let u = 0; u < nU; u++) {',
        `   for (let q = 0; q < ${parts.nPre}; q++, i++) {`,
        ...body,
        '   }',
        '  }',
      ]
    : [`  for (let i = 0; i < ${parts.n}; i++) {`, ...body, '  }'];
}

/**
 * Generates the JavaScript source of a compiled module's step loop (a standalone kernel taking its
 * {@link JsKernelArgs}). Array slots named in `uniform` (`param:NAME` / `derived:ID`) hold one value
 * repeated: they are read once, before the loop, as a scalar — so, e.g., a per-synapse parameter that
 * is the same for every synapse costs no memory traffic per element.
 */
export function generateJs(
  c: CompiledModule,
  uniform: ReadonlySet<string> = new Set(),
): {
  source: string;
  scalarNames: string[];
  arrayNames: string[];
  ioNames: string[];
} {
  const parts = jsModuleLoop(c, { uniform });
  const source = [
    '"use strict";',
    `const { ${RUNTIME_NAMES} } = rt;`,
    ...parts.setup,
    `return function ${id(c.def.name)}_step(A, step) {`,
    ...parts.pre.map((l) => `  ${l}`),
    ...loopOf(parts, parts.body),
    '};',
  ].join('\n');
  return {
    source,
    scalarNames: [...parts.scalarNames],
    arrayNames: [...parts.arrayNames],
    ioNames: [...parts.ioNames],
  };
}

/**
 * Generates and compiles the JavaScript kernel of a compiled module (see {@link generateJs} for
 * `uniform`).
 */
export function createJsKernel(c: CompiledModule, uniform: ReadonlySet<string> = new Set()): JsKernel {
  const g = generateJs(c, uniform);
  // The source is generated by generateJs from validated identifiers and numeric literals only.
  const factory = new Function('rt', g.source) as (
    rt: typeof RUNTIME,
  ) => (a: JsKernelArgs, step: number) => void;
  const fn = factory(RUNTIME);
  return { ...g, run: fn };
}
