/**
 * WGSL code generation: a compiled module becomes one compute kernel (one invocation per element).
 *
 * Layout (shared with the webgpu backend, checked by reflection in tests):
 * - `@binding(0)` `ctrl: Ctrl` (uniform): `step` (global step) and `slot` (step within the chunk);
 * - `@binding(1)` `P: Params` (uniform): `n`, `n_pre`, `k0`, `k1`, `stream_base`, `dt`, then one
 *   field per scalar parameter (`p_NAME`), per scalar derived constant (`d_ID`) and per array offset
 *   (`o_SLOT`);
 * - `@binding(2)` `pk: array<u32>` (read-only storage) holding every per-element parameter and
 *   derived array (bit patterns), only when there is at least one;
 * - then one storage binding per state variable (read_write), input (read), output (read_write), in
 *   declaration order.
 *
 * `float16` storage has two forms, chosen by {@link WgslOptions.f16}. Emulated (default): the device
 * buffer holds f32 values rounded to the nearest half value (`q16`, round to nearest even) on store.
 * Native (`shader-f16`): the buffer is `array<f16>` (2-byte elements, `enable f16;`), loads widen to
 * f32 and stores write `f16(q16(x))` — the rounding is done by `q16`, so the conversion is exact and
 * both forms hold bit-identical half values. Arithmetic is f32 in both.
 *
 * @module
 */

import { IDENTIFIER_RE } from '../lang/ast.ts';
import type { CompiledModule } from '../lang/compile.ts';
import type { TExpr } from '../lang/ir.ts';
import { PHILOX_WGSL } from '../rng/philox.wgsl.ts';
import { WGSL_MATH } from './wgsl-math.ts';

/** Workgroup size of generated element-wise kernels. */
export const ELEMENTWISE_WORKGROUP = 64;

/** One field of the `Params` uniform struct. */
export interface WgslParamField {
  /** Field name in WGSL. */
  readonly field: string;
  readonly type: 'f32' | 'i32' | 'u32';
  /** What fills it: `n`, `n_pre`, `k0`, `k1`, `stream_base`, `dt`, `param:NAME`, `derived:ID`, `offset:SLOT`. */
  readonly source: string;
}

/** A storage binding of a generated kernel. */
export interface WgslBinding {
  readonly binding: number;
  /** `pk`, or `state:NAME`, `input:NAME`, `output:NAME`. */
  readonly slot: string;
  readonly access: 'read' | 'read_write';
  /** Element type in WGSL (`f16` only for native float16 storage). */
  readonly elem: 'f32' | 'i32' | 'u32' | 'f16';
}

/** Options of {@link generateWgsl}. */
export interface WgslOptions {
  /**
   * Store `float16` state, inputs and outputs as `array<f16>` (needs the device feature
   * `shader-f16`). Default false: f32 storage with emulated half rounding.
   */
  readonly f16?: boolean;
}

/** A generated WGSL kernel and its host-side layout. */
export interface WgslModuleKernel {
  readonly code: string;
  readonly entryPoint: 'main';
  readonly workgroupSize: number;
  /** Fields of `Params`, in order (4 bytes each; the struct is padded to 16 bytes). */
  readonly params: readonly WgslParamField[];
  /** Packed per-element arrays in `pk`, in order (`param:NAME` / `derived:ID`). */
  readonly packed: readonly string[];
  /** Storage bindings (binding 2 is `pk` when present). */
  readonly bindings: readonly WgslBinding[];
}

function id(name: string): string {
  if (!IDENTIFIER_RE.test(name)) throw new Error(`codegen: invalid identifier ${JSON.stringify(name)}`);
  return name;
}

/** Formats a literal of a WGSL scalar type. */
export function wgslLiteral(v: number, ty: string): string {
  if (ty === 'bool') return v ? 'true' : 'false';
  if (!Number.isFinite(v)) throw new Error(`codegen: non-finite literal ${v}`);
  if (ty === 'i32') return v < 0 ? `(${v}i)` : `${v}i`;
  if (ty === 'u32') return `${v}u`;
  const f = Math.fround(v);
  if (!Number.isFinite(f)) throw new Error(`codegen: literal ${v} overflows f32`);
  let s = String(v);
  if (!/[.eE]/.test(s)) s += '.0';
  return v < 0 || Object.is(v, -0) ? `(${s}f)` : `${s}f`;
}

/** Generates the WGSL kernel of a compiled module. */
export function generateWgsl(c: CompiledModule, options: WgslOptions = {}): WgslModuleKernel {
  const def = c.def;
  const native = options.f16 === true;
  const elemOf = (type: 'f32' | 'i32' | 'u32', storage: string | undefined): WgslBinding['elem'] =>
    native && storage === 'float16' ? 'f16' : type;
  const synapse = def.domain === 'synapse';
  const params: WgslParamField[] = [
    { field: 'n', type: 'u32', source: 'n' },
    { field: 'n_pre', type: 'u32', source: 'n_pre' },
    { field: 'k0', type: 'u32', source: 'k0' },
    { field: 'k1', type: 'u32', source: 'k1' },
    { field: 'stream_base', type: 'u32', source: 'stream_base' },
    { field: 'dt', type: 'f32', source: 'dt' },
  ];
  const packed: string[] = [];
  const arrayType = new Map<string, string>();
  for (const p of def.params) {
    if (p.extent === 'scalar')
      params.push({ field: `p_${id(p.name)}`, type: p.type, source: `param:${p.name}` });
    else {
      params.push({ field: `o_p_${id(p.name)}`, type: 'u32', source: `offset:param:${p.name}` });
      packed.push(`param:${p.name}`);
      arrayType.set(`param:${p.name}`, p.type);
    }
  }
  for (const d of c.derived) {
    if (d.extent === 'scalar') params.push({ field: `d_${d.id}`, type: d.ty, source: `derived:${d.id}` });
    else {
      params.push({ field: `o_d_${d.id}`, type: 'u32', source: `offset:derived:${d.id}` });
      packed.push(`derived:${d.id}`);
      arrayType.set(`derived:${d.id}`, d.ty);
    }
  }
  const bindings: WgslBinding[] = [];
  let next = 2;
  if (packed.length > 0) bindings.push({ binding: next++, slot: 'pk', access: 'read', elem: 'u32' });
  const f16 = new Set<string>();
  for (const s of def.state) {
    bindings.push({
      binding: next++,
      slot: `state:${s.name}`,
      access: 'read_write',
      elem: elemOf(s.type, s.storage),
    });
    if (s.storage === 'float16') f16.add(`S_${s.name}`);
  }
  for (const p of def.inputs) {
    bindings.push({
      binding: next++,
      slot: `input:${p.name}`,
      access: 'read',
      elem: elemOf(p.type, p.storage),
    });
    if (p.storage === 'float16') f16.add(`I_${p.name}`);
  }
  for (const o of def.outputs) {
    bindings.push({
      binding: next++,
      slot: `output:${o.name}`,
      access: 'read_write',
      elem: elemOf(o.type, o.storage),
    });
    if (o.storage === 'float16') f16.add(`O_${o.name}`);
  }
  /** A load of `arr[index]` as the f32/i32/u32 the body computes with. */
  const load = (arr: string, index: string): string =>
    native && f16.has(arr) ? `f32(${arr}[${index}])` : `${arr}[${index}]`;
  const varName = (slot: string): string => {
    const [k, n] = slot.split(':') as [string, string];
    return k === 'state' ? `S_${id(n)}` : k === 'input' ? `I_${id(n)}` : `O_${id(n)}`;
  };

  const idx = (extent: string): string =>
    extent === 'scalar' ? '0u' : extent === 'unit' ? (synapse ? 'u' : 'i') : extent === 'pre' ? 'q' : 'i';
  const packedRead = (slot: string, field: string, extent: string): string => {
    const ty = arrayType.get(slot);
    const raw = `pk[P.${field} + ${idx(extent)}]`;
    return ty === 'u32' ? raw : `bitcast<${ty}>(${raw})`;
  };
  let tmp = 0;
  const lines: string[] = [];
  const ex = (e: TExpr): string => {
    switch (e.k) {
      case 'const':
        return wgslLiteral(e.value, e.ty);
      case 'dt':
        return 'P.dt';
      case 'param':
        return e.extent === 'scalar'
          ? `P.p_${id(e.name)}`
          : packedRead(`param:${e.name}`, `o_p_${id(e.name)}`, e.extent);
      case 'derived':
        return e.extent === 'scalar' ? `P.d_${e.id}` : packedRead(`derived:${e.id}`, `o_d_${e.id}`, e.extent);
      case 'state':
        return `s_${id(e.name)}`;
      case 'input':
        return load(`I_${id(e.name)}`, e.extent === 'scalar' ? '0' : idx(e.extent));
      case 'output':
        return `o_${id(e.name)}`;
      case 'local':
        return `l_${id(e.name)}`;
      case 'unary':
        return `(${e.op}${ex(e.a)})`;
      case 'binary':
        return `(${ex(e.a)} ${e.op} ${ex(e.b)})`;
      case 'select':
        return `select(${ex(e.e)}, ${ex(e.t)}, ${ex(e.c)})`;
      case 'cast':
        return e.a.ty === e.fn ? ex(e.a) : `${e.fn}(${ex(e.a)})`;
      case 'math': {
        const fn = e.fn === 'sin' || e.fn === 'cos' || e.fn === 'tanh' ? `acc_${e.fn}` : e.fn;
        return `${fn}(${e.args.map(ex).join(', ')})`;
      }
      case 'rand': {
        const t = `r${tmp++}`;
        // Element i reads word i & 3 of block i >> 2 (core's CounterRng layout).
        lines.push(`  let ${t} = philox4x32_10(i >> 2u, ctrl.step, P.stream_base + ${e.site}u, P.k0, P.k1);`);
        if (e.dist === 'normal') return `normal_at(${t}, i)`;
        if (e.dist === 'uniform') return `u01(${t}[i & 3u])`;
        return `(u01(${t}[i & 3u]) < ${ex(e.args[0] as TExpr)})`;
      }
    }
  };
  const assigned = new Set<string>();
  for (const s of c.body) {
    const v = ex(s.value);
    if (s.k === 'let') lines.push(`  let l_${id(s.name)}: ${s.value.ty} = ${v};`);
    else if (s.to === 'state') {
      assigned.add(s.target);
      lines.push(`  s_${id(s.target)} = ${v};`);
    } else lines.push(`  o_${id(s.target)} = ${v};`);
  }
  const store = (arr: string, v: string): string =>
    !f16.has(arr)
      ? `  ${arr}[i] = ${v};`
      : native
        ? `  ${arr}[i] = f16(q16(${v}));`
        : `  ${arr}[i] = q16(${v});`;
  const fields = [...params.map((f) => `  ${f.field}: ${f.type},`)];
  for (let k = params.length; k % 4 !== 0; k++) fields.push(`  _pad${k}: u32,`);
  const code = [
    ...(native && f16.size > 0 ? ['enable f16;'] : []),
    `// Generated by @spark-snn/kernels from definition "${id(def.name)}" (${def.domain} domain).`,
    'struct Ctrl {',
    '  step: u32,',
    '  slot: u32,',
    '  _pad0: u32,',
    '  _pad1: u32,',
    '}',
    'struct Params {',
    ...fields,
    '}',
    '@group(0) @binding(0) var<uniform> ctrl: Ctrl;',
    '@group(0) @binding(1) var<uniform> P: Params;',
    ...bindings.map((b) =>
      b.slot === 'pk'
        ? `@group(0) @binding(${b.binding}) var<storage, read> pk: array<u32>;`
        : `@group(0) @binding(${b.binding}) var<storage, ${b.access}> ${varName(b.slot)}: array<${b.elem}>;`,
    ),
    WGSL_MATH,
    def.randomSites > 0 ? PHILOX_WGSL : '',
    `@compute @workgroup_size(${ELEMENTWISE_WORKGROUP}, 1, 1)`,
    'fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {',
    `  let i = gid.x + gid.y * nwg.x * ${ELEMENTWISE_WORKGROUP}u;`,
    '  if (i >= P.n) { return; }',
    ...(synapse ? ['  let u = i / P.n_pre;', '  let q = i % P.n_pre;'] : []),
    ...def.state.map((s) => `  var s_${id(s.name)}: ${s.type} = ${load(`S_${s.name}`, 'i')};`),
    ...def.outputs.map((o) => `  var o_${id(o.name)}: ${o.type} = ${wgslLiteral(0, o.type)};`),
    ...lines,
    ...def.state.filter((s) => assigned.has(s.name)).map((s) => store(`S_${s.name}`, `s_${s.name}`)),
    ...def.outputs.map((o) => store(`O_${o.name}`, `o_${o.name}`)),
    '}',
    '',
  ].join('\n');
  return { code, entryPoint: 'main', workgroupSize: ELEMENTWISE_WORKGROUP, params, packed, bindings };
}
