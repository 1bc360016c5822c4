/**
 * WGSL code generation: a compiled module becomes one compute kernel (one invocation per element),
 * and a **group** of modules over one index space becomes one fused kernel ({@link generateWgslGroup}):
 * each buffer is loaded once into a register, every member computes in turn from the registers
 * (a value one member writes is the next member's input without a trip through memory), and every
 * written buffer is stored once. A kernel may also write the **event list** of an output (see
 * {@link WgslGroupOptions.events}).
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
import type { JsElement, JsElementAccess } from './js.ts';
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

/**
 * How the code of one element reads its leaves and writes its results (see {@link emitWgslElement}):
 * the JavaScript emitter's hooks (expressions in WGSL; `index` is a u32 expression), and where `dt` and
 * the Philox stream are read.
 */
export interface WgslElementAccess extends JsElementAccess {
  /** Expression of `dt` (default `P.dt`). */
  readonly dt?: string;
  /** Expressions of the Philox stream base and key (modules with random draws). */
  readonly random?: { readonly streamBase: string; readonly k0: string; readonly k1: string };
}

/**
 * The WGSL of one element of a compiled module (see {@link emitWgslElement}): `head` declares
 * `var s_NAME` for every state loaded and `var o_NAME` for every output, `tail` holds the stores
 * `access` asked for.
 */
export interface WgslElement extends Omit<JsElement, 'sites'> {
  /** States the statements assign. */
  readonly assigned: ReadonlySet<string>;
}

/**
 * Emits the WGSL of one element of a compiled module: locals `s_NAME` (states), `o_NAME` (outputs),
 * `l_NAME` (lets), statements in body order, stores at the end. `access` says how leaves are read and
 * results written — the module's own kernel ({@link generateWgslGroup}) and the event-driven forms
 * (`events/webgpu.ts`) emit the same arithmetic over different storage. Every `f32` operation is a
 * WGSL `f32` operation, as the JavaScript emitter rounds every one to float32.
 */
export function emitWgslElement(c: CompiledModule, access: WgslElementAccess): WgslElement {
  const def = c.def;
  const p = access.prefix ?? '';
  const index = access.index ?? 'i';
  const dtExpr = access.dt ?? 'P.dt';
  let tmp = 0;
  const lines: string[] = [];
  const ex = (e: TExpr): string => {
    switch (e.k) {
      case 'const':
        return wgslLiteral(e.value, e.ty);
      case 'dt':
        return dtExpr;
      case 'param':
        return access.param(id(e.name), e.extent);
      case 'derived':
        return access.derived(e.id, e.extent);
      case 'state':
        return `${p}s_${id(e.name)}`;
      case 'input':
        return access.input(id(e.name), e.extent);
      case 'output':
        return `${p}o_${id(e.name)}`;
      case 'local':
        return `${p}l_${id(e.name)}`;
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
        const r = access.random;
        if (r === undefined) throw new Error(`codegen: ${def.name} draws random numbers without a stream`);
        const t = `${p}r${tmp++}`;
        // Element i reads word i & 3 of block i >> 2 (core's CounterRng layout).
        lines.push(
          `  let ${t} = philox4x32_10(${index} >> 2u, ctrl.step, ${r.streamBase} + ${e.site}u, ${r.k0}, ${r.k1});`,
        );
        if (e.dist === 'normal') return `normal_at(${t}, ${index})`;
        if (e.dist === 'uniform') return `u01(${t}[${index} & 3u])`;
        return `(u01(${t}[${index} & 3u]) < ${ex(e.args[0] as TExpr)})`;
      }
    }
  };
  const assigned = new Set<string>();
  for (const st of access.statements ?? c.body) {
    const v = ex(st.value);
    if (st.k === 'let') lines.push(`  let ${p}l_${id(st.name)}: ${st.value.ty} = ${v};`);
    else if (st.to === 'state') {
      assigned.add(st.target);
      lines.push(`  ${p}s_${id(st.target)} = ${v};`);
    } else lines.push(`  ${p}o_${id(st.target)} = ${v};`);
  }
  const head: string[] = [];
  for (const x of def.state) {
    const v = access.loadState(x.name);
    if (v !== undefined) head.push(`  var ${p}s_${id(x.name)}: ${x.type} = ${v};`);
  }
  for (const x of def.outputs) head.push(`  var ${p}o_${id(x.name)}: ${x.type} = ${wgslLiteral(0, x.type)};`);
  const tail: string[] = [];
  for (const x of def.state) {
    if (!assigned.has(x.name)) continue;
    const st = access.storeState(x.name, `${p}s_${id(x.name)}`);
    if (st !== undefined) tail.push(`  ${st}`);
  }
  for (const x of def.outputs) {
    const st = access.storeOutput(x.name, `${p}o_${id(x.name)}`);
    if (st !== undefined) tail.push(`  ${st}`);
  }
  return { head, lines, tail, assigned };
}

/** One module of a fused group. */
export interface WgslMember {
  readonly compiled: CompiledModule;
  /**
   * The buffer each state, input and output is bound to, by name (an opaque key; members that share
   * a key share the buffer). Absent: every slot has its own buffer (`state:NAME`, `input:NAME`,
   * `output:NAME`).
   */
  readonly buffers?: Readonly<Record<string, string>>;
}

/** Options of {@link generateWgslGroup}. */
export interface WgslGroupOptions extends WgslOptions {
  /**
   * Buffers (keys) whose event list the kernel writes after its stores (unit domain only): the
   * indices of the non-zero elements (−0 counts as zero), in **blocks** of
   * {@link ELEMENTWISE_WORKGROUP} elements — `list[b]` is the number of non-zero elements of block
   * `b` and `list[nb + b·64 + k]` (nb = ⌈n / 64⌉) the k-th of them, ascending. One workgroup writes
   * one block, so the list is ordered and deterministic without atomics across workgroups.
   */
  readonly events?: readonly string[];
}

/** How a fused kernel touches one buffer per element and step (for byte estimates). */
export type WgslReach = 'element' | 'unit' | 'pre' | 'scalar';

/** A storage binding of a fused kernel. */
export interface WgslGroupBinding {
  readonly binding: number;
  /** `pk`, a buffer key, or `events:KEY` (the event list of buffer KEY, `array<u32>`). */
  readonly slot: string;
  readonly access: 'read' | 'read_write';
  readonly elem: 'f32' | 'i32' | 'u32' | 'f16';
  /** Elements read per step: one per element of the index space, per unit, per presynaptic unit, one. */
  readonly reads: WgslReach | undefined;
  /** Written at every element of the index space. */
  readonly writes: boolean;
}

/** One field of a fused kernel's `Params`, with the member whose value fills it. */
export interface WgslGroupParamField extends WgslParamField {
  /** Index of the member (shared fields — `n`, `n_pre`, `k0`, `k1`, `dt` — say 0). */
  readonly member: number;
}

/** A fused kernel and its host-side layout. */
export interface WgslGroupKernel {
  readonly code: string;
  readonly entryPoint: 'main';
  readonly workgroupSize: number;
  /** Fields of `Params`, in order (4 bytes each; the struct is padded to 16 bytes). */
  readonly params: readonly WgslGroupParamField[];
  /** Packed per-element arrays in `pk`, in order. */
  readonly packed: readonly { readonly member: number; readonly slot: string; readonly extent: string }[];
  /** Storage bindings from 2 on (`pk` first when present, then buffers, then event lists). */
  readonly bindings: readonly WgslGroupBinding[];
}

/** Generates the WGSL kernel of a compiled module. */
export function generateWgsl(c: CompiledModule, options: WgslOptions = {}): WgslModuleKernel {
  const k = generateWgslGroup([{ compiled: c }], options);
  return {
    code: k.code,
    entryPoint: 'main',
    workgroupSize: k.workgroupSize,
    params: k.params.map(({ field, type, source }) => ({ field, type, source })),
    packed: k.packed.map((x) => x.slot),
    bindings: k.bindings.map(({ binding, slot, access, elem }) => ({
      binding,
      slot,
      access,
      elem: elem,
    })),
  };
}

/**
 * WGSL that writes the event list `list` of the elements a workgroup of
 * {@link ELEMENTWISE_WORKGROUP} invocations handles (see {@link WgslGroupOptions.events}): `flag` is
 * this invocation's "non-zero" (false beyond `n`), `mask` a `var<workgroup> array<atomic<u32>, 2>`.
 * Needs `lid` (local_invocation_index) and the element index `i` in scope and uniform control flow;
 * the block is `block` (default: the workgroup's, from `wid` and `nwg`).
 */
export function eventListWgsl(
  flag: string,
  mask: string,
  list: string,
  n: string,
  block = 'wid.x + wid.y * nwg.x',
): string[] {
  const W = ELEMENTWISE_WORKGROUP;
  // The rank of a non-zero element within its block is the number of bits below it in the mask.
  return [
    `  if (${flag}) { atomicOr(&${mask}[lid >> 5u], 1u << (lid & 31u)); }`,
    '  workgroupBarrier();',
    '  {',
    `    let blk = ${block};`,
    `    let nb = (${n} + ${W - 1}u) / ${W}u;`,
    `    let lo = atomicLoad(&${mask}[0]);`,
    `    let hi = atomicLoad(&${mask}[1]);`,
    `    if (${flag}) {`,
    '      var rank = countOneBits(lo & ((1u << lid) - 1u));',
    '      if (lid >= 32u) { rank = countOneBits(lo) + countOneBits(hi & ((1u << (lid - 32u)) - 1u)); }',
    `      ${list}[nb + blk * ${W}u + rank] = i;`,
    '    }',
    `    if (lid == 0u && blk < nb) { ${list}[blk] = countOneBits(lo) + countOneBits(hi); }`,
    '  }',
  ];
}

interface BufferUse {
  readonly key: string;
  /** WGSL variable of the binding. */
  readonly name: string;
  readonly type: 'f32' | 'i32' | 'u32';
  readonly f16: boolean;
  reads: WgslReach | undefined;
  writes: boolean;
}

/**
 * Generates one kernel for `members`, modules of one domain over one index space (same size and,
 * in the synapse domain, the same presynaptic size), run in order per element. A buffer one member
 * writes may be read by a later member at its own element only (the grouping rule guarantees it);
 * throws otherwise. With one member and no events the kernel is {@link generateWgsl}'s.
 */
export function generateWgslGroup(
  members: readonly WgslMember[],
  options: WgslGroupOptions = {},
): WgslGroupKernel {
  if (members.length === 0) throw new Error('codegen: a group needs a member');
  const single = members.length === 1;
  const domain = (members[0] as WgslMember).compiled.def.domain;
  for (const m of members)
    if (m.compiled.def.domain !== domain) throw new Error('codegen: a group has members of two domains');
  const native = options.f16 === true;
  const synapse = domain === 'synapse';
  const events = options.events ?? [];
  if (events.length > 0 && synapse)
    throw new Error('codegen: event lists are written in the unit domain only');
  const params: WgslGroupParamField[] = [
    { field: 'n', type: 'u32', source: 'n', member: 0 },
    { field: 'n_pre', type: 'u32', source: 'n_pre', member: 0 },
    { field: 'k0', type: 'u32', source: 'k0', member: 0 },
    { field: 'k1', type: 'u32', source: 'k1', member: 0 },
  ];
  const pre = (k: number): string => (single ? '' : `m${k}_`);
  for (let k = 0; k < members.length; k++)
    params.push({ field: `${pre(k)}stream_base`, type: 'u32', source: 'stream_base', member: k });
  params.push({ field: 'dt', type: 'f32', source: 'dt', member: 0 });
  const packed: { member: number; slot: string; extent: string }[] = [];
  const arrayType = new Map<string, string>();
  members.forEach((m, k) => {
    const p = pre(k);
    for (const x of m.compiled.def.params) {
      if (x.extent === 'scalar')
        params.push({ field: `${p}p_${id(x.name)}`, type: x.type, source: `param:${x.name}`, member: k });
      else {
        params.push({
          field: `${p}o_p_${id(x.name)}`,
          type: 'u32',
          source: `offset:param:${x.name}`,
          member: k,
        });
        packed.push({ member: k, slot: `param:${x.name}`, extent: x.extent });
        arrayType.set(`${k}:param:${x.name}`, x.type);
      }
    }
    for (const d of m.compiled.derived) {
      if (d.extent === 'scalar')
        params.push({ field: `${p}d_${d.id}`, type: d.ty, source: `derived:${d.id}`, member: k });
      else {
        params.push({ field: `${p}o_d_${d.id}`, type: 'u32', source: `offset:derived:${d.id}`, member: k });
        packed.push({ member: k, slot: `derived:${d.id}`, extent: d.extent });
        arrayType.set(`${k}:derived:${d.id}`, d.ty);
      }
    }
  });

  // ---- buffers, in order of first use (state, inputs, outputs of each member) ----
  const uses = new Map<string, BufferUse>();
  const keyOf = (m: WgslMember, kind: 'state' | 'input' | 'output', name: string): string =>
    m.buffers?.[name] ?? `${kind}:${name}`;
  const legacy = { state: 'S', input: 'I', output: 'O' } as const;
  const use = (
    m: WgslMember,
    kind: 'state' | 'input' | 'output',
    name: string,
    type: 'f32' | 'i32' | 'u32',
    storage: string,
  ): BufferUse => {
    const key = keyOf(m, kind, name);
    let u = uses.get(key);
    if (u === undefined) {
      u = {
        key,
        name: single && m.buffers === undefined ? `${legacy[kind]}_${id(name)}` : `B${uses.size}`,
        type,
        f16: storage === 'float16',
        reads: undefined,
        writes: false,
      };
      uses.set(key, u);
    } else if (u.type !== type || u.f16 !== (storage === 'float16'))
      throw new Error(`codegen: buffer "${key}" is used with two element types in one group`);
    return u;
  };
  const wider = (a: WgslReach | undefined, b: WgslReach): WgslReach =>
    a === undefined || a === b ? b : 'element';
  const reachOf = (extent: string): WgslReach =>
    extent === 'scalar'
      ? 'scalar'
      : extent === 'pre'
        ? 'pre'
        : extent === 'unit' && synapse
          ? 'unit'
          : 'element';
  for (const m of members) {
    for (const x of m.compiled.def.state) use(m, 'state', x.name, x.type, x.storage);
    for (const x of m.compiled.def.inputs) use(m, 'input', x.name, x.type, x.storage);
    for (const x of m.compiled.def.outputs) use(m, 'output', x.name, x.type, x.storage);
  }
  // Buffers some member writes (a state the body assigns, an output).
  const written = new Set<string>();
  for (const m of members) {
    const assigned = new Set(
      m.compiled.body.flatMap((st) => (st.k === 'set' && st.to === 'state' ? [st.target] : [])),
    );
    for (const x of m.compiled.def.state) if (assigned.has(x.name)) written.add(keyOf(m, 'state', x.name));
    for (const x of m.compiled.def.outputs) written.add(keyOf(m, 'output', x.name));
  }
  for (const key of events) {
    const u = uses.get(key);
    if (u === undefined || u.type !== 'f32' || !written.has(key))
      throw new Error(`codegen: no f32 buffer "${key}" written by the group for an event list`);
  }

  /** A load of `arr[index]` as the f32/i32/u32 the body computes with. */
  const load = (u: BufferUse, index: string): string =>
    native && u.f16 ? `f32(${u.name}[${index}])` : `${u.name}[${index}]`;
  const idx = (extent: string): string =>
    extent === 'scalar' ? '0u' : extent === 'unit' ? (synapse ? 'u' : 'i') : extent === 'pre' ? 'q' : 'i';
  /** What a later member reads of a buffer written earlier in the group (half values rounded). */
  const latest = new Map<string, string>();
  const currentOf = (u: BufferUse): string => {
    const v = latest.get(u.key);
    if (v === undefined) return load(u, 'i');
    return u.f16 ? `q16(${v})` : v;
  };
  const lines: string[] = [];
  members.forEach((m, k) => {
    const c = m.compiled;
    const def = c.def;
    const p = pre(k);
    const packedRead = (slot: string, field: string, extent: string): string => {
      const ty = arrayType.get(`${k}:${slot}`);
      const raw = `pk[P.${p}${field} + ${idx(extent)}]`;
      return ty === 'u32' ? raw : `bitcast<${ty}>(${raw})`;
    };
    const inputs = new Map<string, string>();
    for (const x of def.inputs) {
      const u = use(m, 'input', x.name, x.type, x.storage);
      const own = idx(x.extent) === 'i';
      if (!single && !own && written.has(u.key))
        throw new Error(`codegen: "${u.key}" is written in the group and read at another element`);
      if (!latest.has(u.key)) u.reads = wider(u.reads, reachOf(x.extent));
      inputs.set(x.name, own ? currentOf(u) : load(u, x.extent === 'scalar' ? '0' : idx(x.extent)));
    }
    for (const x of def.state) {
      const u = use(m, 'state', x.name, x.type, x.storage);
      if (!latest.has(u.key)) u.reads = wider(u.reads, 'element');
    }
    const el = emitWgslElement(c, {
      prefix: p,
      param: (name, extent) =>
        extent === 'scalar' ? `P.${p}p_${id(name)}` : packedRead(`param:${name}`, `o_p_${id(name)}`, extent),
      derived: (d, extent) =>
        extent === 'scalar' ? `P.${p}d_${d}` : packedRead(`derived:${d}`, `o_d_${d}`, extent),
      input: (name) => inputs.get(name) as string,
      loadState: (name) => {
        const x = def.state.find((s) => s.name === name);
        return currentOf(use(m, 'state', name, x?.type ?? 'f32', x?.storage ?? 'float32'));
      },
      storeState: () => undefined,
      storeOutput: () => undefined,
      random: { streamBase: `P.${p}stream_base`, k0: 'P.k0', k1: 'P.k1' },
    });
    const assigned = el.assigned;
    lines.push(...el.head, ...el.lines);
    for (const x of def.state)
      if (assigned.has(x.name)) {
        const u = use(m, 'state', x.name, x.type, x.storage);
        u.writes = true;
        latest.set(u.key, `${p}s_${id(x.name)}`);
      }
    for (const x of def.outputs) {
      const u = use(m, 'output', x.name, x.type, x.storage);
      u.writes = true;
      latest.set(u.key, `${p}o_${id(x.name)}`);
    }
  });
  const stores: string[] = [];
  for (const u of uses.values()) {
    const v = latest.get(u.key);
    if (!u.writes || v === undefined) continue;
    stores.push(
      !u.f16
        ? `  ${u.name}[i] = ${v};`
        : native
          ? `  ${u.name}[i] = f16(q16(${v}));`
          : `  ${u.name}[i] = q16(${v});`,
    );
  }

  // ---- bindings ----
  const bindings: WgslGroupBinding[] = [];
  let next = 2;
  if (packed.length > 0)
    bindings.push({
      binding: next++,
      slot: 'pk',
      access: 'read',
      elem: 'u32',
      reads: 'element',
      writes: false,
    });
  for (const u of uses.values())
    bindings.push({
      binding: next++,
      slot: u.key,
      access: u.writes ? 'read_write' : 'read',
      elem: native && u.f16 ? 'f16' : u.type,
      reads: u.reads,
      writes: u.writes,
    });
  const lists = events.map((key, j) => {
    const u = uses.get(key) as BufferUse;
    const b = next++;
    bindings.push({
      binding: b,
      slot: `events:${key}`,
      access: 'read_write',
      elem: 'u32',
      reads: undefined,
      writes: true,
    });
    return { u, j, binding: b, value: latest.get(key) as string };
  });
  const fields = [...params.map((f) => `  ${f.field}: ${f.type},`)];
  for (let k = params.length; k % 4 !== 0; k++) fields.push(`  _pad${k}: u32,`);
  const usesF16 = native && [...uses.values()].some((u) => u.f16);
  const random = members.some((m) => m.compiled.def.randomSites > 0);
  const W = ELEMENTWISE_WORKGROUP;
  const decl = (b: WgslGroupBinding): string => {
    if (b.slot === 'pk') return `@group(0) @binding(${b.binding}) var<storage, read> pk: array<u32>;`;
    if (b.slot.startsWith('events:'))
      return `@group(0) @binding(${b.binding}) var<storage, read_write> EV${lists.find((l) => l.binding === b.binding)?.j}: array<u32>;`;
    const u = uses.get(b.slot) as BufferUse;
    return `@group(0) @binding(${b.binding}) var<storage, ${b.access}> ${u.name}: array<${b.elem}>;`;
  };
  const names = members.map((m) => `"${id(m.compiled.def.name)}"`).join(', ');
  const prologue = synapse ? ['  let u = i / P.n_pre;', '  let q = i % P.n_pre;'] : [];
  const main =
    lists.length === 0
      ? [
          'fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {',
          `  let i = gid.x + gid.y * nwg.x * ${W}u;`,
          '  if (i >= P.n) { return; }',
          ...prologue,
          ...lines,
          ...stores,
          '}',
        ]
      : [
          'fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,',
          '        @builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {',
          `  let i = gid.x + gid.y * nwg.x * ${W}u;`,
          ...lists.map((l) => `  var ev${l.j} = false;`),
          '  if (i < P.n) {',
          ...[...prologue, ...lines, ...stores].map((l) => `  ${l}`),
          ...lists.map((l) => `    ev${l.j} = ${l.u.f16 ? `q16(${l.value})` : l.value} != 0.0f;`),
          '  }',
          ...lists.flatMap((l) => eventListWgsl(`ev${l.j}`, `evm${l.j}`, `EV${l.j}`, 'P.n')),
          '}',
        ];
  const code = [
    ...(usesF16 ? ['enable f16;'] : []),
    single
      ? `// Generated by @spark-snn/kernels from definition ${names} (${domain} domain).`
      : `// Generated by @spark-snn/kernels: fused definitions ${names} (${domain} domain).`,
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
    ...bindings.map(decl),
    ...lists.map((l) => `var<workgroup> evm${l.j}: array<atomic<u32>, 2>;`),
    WGSL_MATH,
    random ? PHILOX_WGSL : '',
    `@compute @workgroup_size(${W}, 1, 1)`,
    ...main,
    '',
  ].join('\n');
  return { code, entryPoint: 'main', workgroupSize: W, params, packed, bindings };
}
