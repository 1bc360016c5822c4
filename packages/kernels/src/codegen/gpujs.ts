/**
 * gpu.js code generation: gpu.js kernels are gathers with one output per thread, so a compiled
 * module becomes one kernel per written variable (every state variable the body assigns, every
 * output), each evaluating the body and returning its variable. Booleans are carried as 1.0 / 0.0
 * floats (GLSL-safe); random draws are precomputed on the host (the RNG stream is a structural op)
 * and passed as arrays. Integers (`i32`, `u32`) are carried as floats — gpu.js computes in floats —
 * with WGSL's division, remainder and conversion rules; they are exact for magnitudes below 2^24
 * (counters, indices) but do not wrap around at 2^32 as WGSL and the interpreter do. `float16`
 * storage is handled by the backend (half bits converted around each kernel call).
 *
 * The source is generated from validated identifiers and numeric literals only, never user text.
 *
 * @module
 */

import { IDENTIFIER_RE } from '../lang/ast.ts';
import type { CompiledModule } from '../lang/compile.ts';
import type { TExpr } from '../lang/ir.ts';

/** One generated gpu.js kernel. */
export interface GpujsKernelSource {
  /** `state:NAME` or `output:NAME`: what the kernel returns. */
  readonly target: string;
  /** Function source for `gpu.createKernel`. */
  readonly source: string;
}

/** The gpu.js kernels of a module and their argument order. */
export interface GpujsModule {
  readonly kernels: readonly GpujsKernelSource[];
  /**
   * Argument order shared by every kernel: `state:NAME`, `input:NAME`, `param:NAME` (array),
   * `derived:ID` (array), `rand:SITE` (array of host draws), then scalars `scalar:param:NAME`,
   * `scalar:derived:ID`, `dt`, `nPre`.
   */
  readonly args: readonly string[];
}

function id(name: string): string {
  if (!IDENTIFIER_RE.test(name)) throw new Error(`codegen: invalid identifier ${JSON.stringify(name)}`);
  return name;
}

/** Truncation toward zero, in gpu.js's subset of JavaScript. */
function trunc(x: string): string {
  return `(${x} >= 0.0 ? Math.floor(${x}) : Math.ceil(${x}))`;
}

/**
 * gpu.js types an integral literal (`1.0` parses to the number 1) as an integer, and a conditional
 * takes the type of its first branch, so `c ? 1.0 : x` became an int/float mismatch in GLSL
 * (WebGL2). Integral literals are therefore written as float-typed expressions, exact in float32
 * below 2^22: `(1 + 0.5 - 0.5)`.
 */
function lit(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`codegen: non-finite literal ${v}`);
  if (Number.isInteger(v) && Math.abs(v) < 4194304) return `(${Object.is(v, -0) ? 0 : v} + 0.5 - 0.5)`;
  let s = String(v);
  if (!/[.eE]/.test(s)) s += '.0';
  return v < 0 ? `(${s})` : s;
}

/** Float-typed 1, 0 and −1 for the branches of generated conditionals (see {@link lit}). */
const F1 = lit(1);
const F0 = lit(0);
const FM1 = lit(-1);

/**
 * Accurate sine/cosine for gpu.js kernels (GLSL's `sin`/`cos` are not accurate enough for the 1e-5
 * conformance tolerance on every driver): Cody–Waite reduction by π/2 and Taylor polynomials, as in
 * `wgsl-math.ts`. `c = 1` gives the cosine. Register it with `gpu.addFunction`.
 */
export const GPUJS_MATH_FUNCTIONS: readonly string[] = [
  `function accSinCos(x, c) {
  const k = Math.round(x * 0.6366197723675814);
  const r = ((x - k * 1.5703125) - k * 0.0004837512969970703) - k * 0.00000007549789954891882;
  const r2 = r * r;
  const s = r + r * r2 * (-0.16666666666666666 + r2 * (0.008333333333333333 + r2 * (-0.0001984126984126984 + r2 * (0.0000027557319223985893 + r2 * (-0.00000002505210838544172)))));
  const co = 1.0 + r2 * (-0.5 + r2 * (0.041666666666666664 + r2 * (-0.001388888888888889 + r2 * (0.0000248015873015873 + r2 * (-0.0000002755731922398589 + r2 * 0.00000000208767569878681)))));
  let q = k - 4.0 * Math.floor(k / 4.0) + c;
  if (q > 3.5) {
    q = q - 4.0;
  }
  if (q < 0.5) {
    return s;
  }
  if (q < 1.5) {
    return co;
  }
  if (q < 2.5) {
    return -s;
  }
  return -co;
}`,
];

/** Why a definition cannot run on gpu.js, or `undefined`. */
export function gpujsUnsupported(_c: CompiledModule): string | undefined {
  // Every definition of the language compiles to gpu.js (integers with the 2^24 caveat above).
  return undefined;
}

/** Generates the gpu.js kernels of a compiled module. */
export function generateGpujs(c: CompiledModule): GpujsModule {
  const why = gpujsUnsupported(c);
  if (why !== undefined)
    throw new Error(`not implemented yet: gpu.js code generation for ${why} in "${c.def.name}"`);
  const def = c.def;
  const synapse = def.domain === 'synapse';
  const args: string[] = [];
  const argName = new Map<string, string>();
  const add = (slot: string, name: string): void => {
    args.push(slot);
    argName.set(slot, name);
  };
  for (const s of def.state) add(`state:${s.name}`, `S_${id(s.name)}`);
  for (const p of def.inputs) add(`input:${p.name}`, `I_${id(p.name)}`);
  for (const p of def.params) if (p.extent !== 'scalar') add(`param:${p.name}`, `P_${id(p.name)}`);
  for (const d of c.derived) if (d.extent !== 'scalar') add(`derived:${d.id}`, `D${d.id}`);
  for (let k = 0; k < def.randomSites; k++) add(`rand:${k}`, `R${k}`);
  for (const p of def.params) if (p.extent === 'scalar') add(`scalar:param:${p.name}`, `p_${id(p.name)}`);
  for (const d of c.derived) if (d.extent === 'scalar') add(`scalar:derived:${d.id}`, `d${d.id}`);
  add('dt', 'dt');
  add('nPre', 'nPre');
  const idx = (extent: string): string =>
    extent === 'scalar' ? '0' : extent === 'unit' ? (synapse ? 'u' : 'i') : extent === 'pre' ? 'q' : 'i';
  const ex = (e: TExpr): string => {
    switch (e.k) {
      case 'const':
        return lit(e.value);
      case 'dt':
        return 'dt';
      case 'param':
        return e.extent === 'scalar' ? `p_${id(e.name)}` : `P_${id(e.name)}[${idx(e.extent)}]`;
      case 'derived':
        return e.extent === 'scalar' ? `d${e.id}` : `D${e.id}[${idx(e.extent)}]`;
      case 'state':
        return `s_${id(e.name)}`;
      case 'input':
        return `I_${id(e.name)}[${idx(e.extent)}]`;
      case 'output':
        return `o_${id(e.name)}`;
      case 'local':
        return `l_${id(e.name)}`;
      case 'unary':
        return e.op === '!' ? `(1.0 - ${ex(e.a)})` : `(-${ex(e.a)})`;
      case 'binary': {
        const a = ex(e.a);
        const b = ex(e.b);
        switch (e.op) {
          case '&&':
            return `(${a} * ${b})`;
          case '||':
            return `Math.max(${a}, ${b})`;
          case '<':
          case '<=':
          case '>':
          case '>=':
            return `(${a} ${e.op} ${b} ? ${F1} : ${F0})`;
          case '==':
            return `(${a} === ${b} ? ${F1} : ${F0})`;
          case '!=':
            return `(${a} !== ${b} ? ${F1} : ${F0})`;
          case '%':
            if (e.a.ty !== 'f32') return `(${b} === 0.0 ? ${F0} : ${a} - ${b} * ${trunc(`${a} / ${b}`)})`;
            return `(${a} - ${b} * ${trunc(`${a} / ${b}`)})`;
          case '/':
            if (e.a.ty !== 'f32') return `(${b} === 0.0 ? ${a} : ${trunc(`${a} / ${b}`)})`;
            return `(${a} / ${b})`;
          default:
            return `(${a} ${e.op} ${b})`;
        }
      }
      case 'select':
        return `(${ex(e.c)} > 0.5 ? ${ex(e.t)} : ${ex(e.e)})`;
      case 'cast': {
        const a = ex(e.a);
        const from = e.a.ty;
        if (from === 'bool' || from === e.fn || e.fn === 'f32') return a;
        if (from === 'f32') return e.fn === 'i32' ? trunc(a) : `Math.max(0.0, Math.floor(${a}))`;
        // i32 ↔ u32 reinterpret the bits (exact only below 2^24 in floats).
        return e.fn === 'u32'
          ? `(${a} < 0.0 ? ${a} + 4294967296.0 : ${a})`
          : `(${a} >= 2147483648.0 ? ${a} - 4294967296.0 : ${a})`;
      }
      case 'math': {
        const a = e.args.map(ex);
        switch (e.fn) {
          case 'clamp':
            return `Math.min(Math.max(${a[0]}, ${a[1]}), ${a[2]})`;
          case 'round':
            return `(Math.abs(${a[0]} - Math.floor(${a[0]}) - 0.5) < 1e-30 ? 2.0 * Math.round(${a[0]} / 2.0) : Math.round(${a[0]}))`;
          case 'sign':
            return `(${a[0]} > 0.0 ? ${F1} : (${a[0]} < 0.0 ? ${FM1} : ${F0}))`;
          case 'sin':
            return `accSinCos(${a[0]}, 0.0)`;
          case 'cos':
            return `accSinCos(${a[0]}, 1.0)`;
          case 'tanh':
            return `(${a[0]} > 0.0 ? ${F1} : ${FM1}) * (1.0 - Math.exp(-2.0 * Math.abs(${a[0]}))) / (1.0 + Math.exp(-2.0 * Math.abs(${a[0]})))`;
          default:
            return `Math.${e.fn}(${a.join(', ')})`;
        }
      }
      case 'rand':
        return e.dist === 'bernoulli'
          ? `(R${e.site}[i] < ${ex(e.args[0] as TExpr)} ? ${F1} : ${F0})`
          : `R${e.site}[i]`;
    }
  };
  const lines: string[] = [];
  const assigned = new Set<string>();
  for (const s of c.body) {
    if (s.k === 'let') lines.push(`  let l_${id(s.name)} = ${ex(s.value)};`);
    else {
      assigned.add(`${s.to}:${s.target}`);
      lines.push(`  ${s.to === 'state' ? 's' : 'o'}_${id(s.target)} = ${ex(s.value)};`);
    }
  }
  const head = [
    '  const i = this.thread.x;',
    ...(synapse ? ['  const u = Math.floor(i / nPre);', '  const q = i - u * nPre;'] : []),
    ...def.state.map((s) => `  let s_${id(s.name)} = S_${s.name}[i];`),
    ...def.outputs.map((o) => `  let o_${id(o.name)} = 0.0;`),
  ];
  const params = args.map((a) => argName.get(a) as string).join(', ');
  const targets = [
    ...def.state.filter((s) => assigned.has(`state:${s.name}`)).map((s) => `state:${s.name}`),
    ...def.outputs.map((o) => `output:${o.name}`),
  ];
  const kernels = targets.map((target) => {
    const [kind, name] = target.split(':') as [string, string];
    const ret = `${kind === 'state' ? 's' : 'o'}_${id(name)}`;
    return {
      target,
      source: [`function (${params}) {`, ...head, ...lines, `  return ${ret};`, '}'].join('\n'),
    };
  });
  return { kernels, args };
}
