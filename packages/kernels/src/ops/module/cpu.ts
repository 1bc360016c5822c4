/**
 * `module` on cpu: the definition's generated loop (`codegen/js.ts`), fused with the other module ops
 * of its index space into one loop, or — where `createWasmGroup` takes the group — one WebAssembly
 * SIMD function over the same memory (`codegen/wasm.ts`; both compute the same float32 values).
 * Per-element parameters that hold one value everywhere are read once per step. A group keeps the
 * event lists of its outputs that some op reads (the indices of the elements it set non-zero).
 *
 * @module
 */

import { type CpuEmitContext, type CpuOp, cpuOp, type EventList } from '../../backends/cpu/op.ts';
import { type JsKernelArgs, type JsLoopParts, jsModuleLoop, loopOf } from '../../codegen/js.ts';
import {
  createWasmGroup,
  type WasmEvents,
  type WasmGroup,
  type WasmMember,
  wasmGroupBytes,
} from '../../codegen/wasm.ts';
import type { HostMemory } from '../../codegen/wasm-memory.ts';
import { type ResolvedModuleOp, slotType, slotValue } from './op.ts';

/** True when every element equals the first (0 and −0 differ; NaN never counts as equal). */
function isUniform(a: ArrayLike<number>): boolean {
  if (a.length < 2) return false;
  const x = a[0]!;
  const neg = Object.is(x, -0);
  for (let i = 1; i < a.length; i++) if (a[i] !== x || (x === 0 && Object.is(a[i], -0) !== neg)) return false;
  return true;
}

/** Float32 parameter/derived arrays and scalars of a module instance, in the JS kernel's slot order. */
export function moduleKernelArgs(
  r: ResolvedModuleOp,
  key: readonly [number, number],
  io: JsKernelArgs['io'],
  names: { scalarNames: readonly string[]; arrayNames: readonly string[] },
): JsKernelArgs {
  const inst = r.instance;
  const value = (slot: string): number | Float64Array => slotValue(r, slot);
  const typeOf = (slot: string): string => slotType(r, slot);
  const scalars = new Float64Array(names.scalarNames.length);
  names.scalarNames.forEach((s, i) => {
    const v = value(s) as number;
    scalars[i] = typeOf(s) === 'f32' ? Math.fround(v) : v;
  });
  const arrays = names.arrayNames.map((s) => {
    // A slot with one value everywhere is passed as that value (the kernel reads element 0 once).
    const one = inst.uniform.get(s);
    const v = one === undefined ? (value(s) as Float64Array) : Float64Array.of(one);
    const t = typeOf(s);
    return t === 'f32' ? Float32Array.from(v) : t === 'i32' ? Int32Array.from(v) : Uint32Array.from(v);
  });
  return {
    n: inst.size,
    nPre: inst.nPre,
    k0: key[0],
    k1: key[1],
    streamBase: r.streamBase,
    dt: Math.fround(inst.dt),
    scalars,
    arrays,
    io,
  };
}

interface Prepared {
  readonly names: Pick<JsLoopParts, 'scalarNames' | 'arrayNames' | 'ioNames'>;
  /** The kernel's arguments without io arrays (per-element parameters as float32 arrays). */
  readonly args: JsKernelArgs;
  /** Array slots holding one value everywhere (read once per step). */
  readonly uniform: ReadonlySet<string>;
}

const PREPARED = new WeakMap<ResolvedModuleOp, Prepared>();

/** The kernel arguments and uniform slots of a module op (computed once per op). */
function prepare(r: ResolvedModuleOp, key: readonly [number, number]): Prepared {
  let p = PREPARED.get(r);
  if (p === undefined) {
    const names = jsModuleLoop(r.compiled);
    const args = moduleKernelArgs(r, key, [], names);
    // Per-element parameters that are the same everywhere are read once per step, not per element.
    const uniform = new Set(
      names.arrayNames.filter(
        (s, k) => r.instance.uniform.has(s) || isUniform(args.arrays[k] as ArrayLike<number>),
      ),
    );
    p = { names, args, uniform };
    PREPARED.set(r, p);
  }
  return p;
}

/** An output of a group member whose event list some op reads. */
interface ListedOutput {
  readonly output: string;
  readonly e: EventList;
}

/**
 * The WebAssembly members of a group whose io arrays are the `parity`-th of their bindings' hosts;
 * each writes the event lists of its listed outputs (`events`) when the lists are in the memory,
 * else `wired` is false and the step scans the outputs itself.
 */
function wasmMembers(
  rs: readonly ResolvedModuleOp[],
  ctxs: readonly CpuEmitContext[],
  parity: number,
  listed: readonly (readonly ListedOutput[])[],
  memory: HostMemory,
): { members: WasmMember[]; wired: boolean } {
  let wired = true;
  const members = rs.map((r, k) => {
    const c = ctxs[k] as CpuEmitContext;
    const p = prepare(r, c.key);
    const io = p.names.ioNames.map((slot) => {
      const h = c.hosts(slot.slice(slot.indexOf(':') + 1));
      return (h[parity] ?? h[0]) as JsKernelArgs['io'][number];
    });
    const events: WasmEvents[] = [];
    for (const { output, e } of listed[k] ?? []) {
      const h = c.hosts(output);
      const array = h[parity] ?? h[0];
      const list = e.hosts?.find((x) => x.array === array);
      if (list === undefined || !memory.holds(list.idx) || !memory.holds(list.count)) wired = false;
      else events.push({ output, idx: list.idx, count: list.count });
    }
    return {
      compiled: r.compiled,
      uniform: p.uniform,
      names: p.names,
      args: { ...p.args, io },
      ...(events.length > 0 ? { events } : {}),
    };
  });
  return { members, wired };
}

/** Bytes a module op's WebAssembly group may take in the program's memory (both parities). */
export function moduleWasmBytes(r: ResolvedModuleOp, key: readonly [number, number]): number {
  const p = prepare(r, key);
  return 2 * wasmGroupBytes([{ compiled: r.compiled, uniform: p.uniform, names: p.names, args: p.args }]);
}

/** The WebAssembly groups of a fused group (one per parity of its double buffers), memoised per group. */
const WASM = new WeakMap<ResolvedModuleOp, Map<string, WasmGroups | string>>();

function wasmGroups(
  rs: readonly ResolvedModuleOp[],
  ctxs: readonly CpuEmitContext[],
  listed: readonly (readonly ListedOutput[])[],
): WasmGroups | string {
  const c0 = ctxs[0] as CpuEmitContext;
  const memory = c0.memory;
  if (memory === undefined || !c0.simd) return 'no WebAssembly memory';
  // The groups write these event lists: the key names them (a program's lists are its own).
  const lists = listed.flatMap((l) => l.flatMap(({ e }) => (e.hosts ?? []).map((h) => idOf(h.idx))));
  const key = `${rs.map((r) => r.op.name).join('\u0001')}\u0002${lists.join(',')}`;
  const byOp = WASM.get(rs[0] as ResolvedModuleOp) ?? new Map<string, WasmGroups | string>();
  WASM.set(rs[0] as ResolvedModuleOp, byOp);
  const hit = byOp.get(key);
  if (hit !== undefined) return hit;
  const doubled = rs.some((r, k) =>
    prepare(r, (ctxs[k] as CpuEmitContext).key).names.ioNames.some(
      (slot) => (ctxs[k] as CpuEmitContext).hosts(slot.slice(slot.indexOf(':') + 1)).length > 1,
    ),
  );
  const out: WasmGroup[] = [];
  let why: string | undefined;
  let wired = true;
  const parities = doubled ? [0, 1] : [0];
  // Lists written by the module only when every parity's group writes them.
  const made = parities.map((parity) => wasmMembers(rs, ctxs, parity, listed, memory));
  if (made.some((m) => !m.wired)) wired = false;
  for (const m of made) {
    const members = wired ? m.members : m.members.map(({ events: _, ...x }) => x);
    const g = createWasmGroup(members, memory);
    if ('unsupported' in g) {
      why = g.unsupported;
      break;
    }
    out.push(g);
  }
  const result = why ?? { groups: out, wired };
  byOp.set(key, result);
  return result;
}

/** Fused groups as WebAssembly, one per parity, and whether they write their outputs' event lists. */
interface WasmGroups {
  readonly groups: readonly WasmGroup[];
  readonly wired: boolean;
}

const IDS = new WeakMap<object, number>();
let nextId = 0;
function idOf(o: object): number {
  let id = IDS.get(o);
  if (id === undefined) {
    id = nextId++;
    IDS.set(o, id);
  }
  return id;
}

/** Emits a fused group of module ops: one WebAssembly function where it applies, else one JS loop. */
function emitGroup(rs: readonly ResolvedModuleOp[], ctxs: readonly CpuEmitContext[]): 'js' | 'wasm' {
  const c0 = ctxs[0] as CpuEmitContext;
  const synapse = (rs[0] as ResolvedModuleOp).compiled.def.domain === 'synapse';
  // Event lists of the outputs some op reads a list of (unit domain).
  const events = rs.map((r, k) =>
    synapse
      ? []
      : r.compiled.def.outputs.flatMap((o) => {
          const e = (ctxs[k] as CpuEmitContext).provideEvents(o.name);
          return e === undefined
            ? []
            : [{ output: o.name, e, array: (ctxs[k] as CpuEmitContext).array(o.name) }];
        }),
  );
  // A dry pass keeps no code: nothing to build (the lists asked and provided are known).
  if (c0.dry) return 'js';
  const wasm = wasmGroups(rs, ctxs, events);
  c0.code('    {');
  if (typeof wasm !== 'string') {
    // The exported function itself (one per module and memory, whatever the parity): its table and
    // scratch by parity.
    const gs = wasm.groups;
    const g0 = gs[0] as WasmGroup;
    const byParity = (f: (g: WasmGroup) => number) => {
      const ids = gs.map((g) => c0.constant('wasmArg', f(g)));
      return ids.length === 1 ? ids[0] : `${c0.parity} ? ${ids[1]} : ${ids[0]}`;
    };
    if (gs.every((g) => g.fn === g0.fn)) {
      const fn = c0.constant('wasmRun', g0.fn);
      const rows = c0.constant('wasmRows', g0.rows);
      c0.code(
        `      ${fn}(${byParity((g) => g.table)}, ${c0.step}, 0, ${rows}, ${byParity((g) => g.scratch)});`,
      );
    } else {
      const ids = gs.map((g) => c0.constant('wasmGroup', g));
      c0.code(
        ids.length === 1
          ? `      ${ids[0]}.run(${c0.step});`
          : `      (${c0.parity} ? ${ids[1]} : ${ids[0]}).run(${c0.step});`,
      );
    }
    // The lists of its outputs, where the module does not write them: the bits of 4 elements at a
    // time (a block of 4 zeros, the usual case, costs one test), then a branch-free append inside a
    // block with a non-zero (−0 counts as zero).
    const n = (rs[0] as ResolvedModuleOp).instance.size;
    if (!wasm.wired)
      events.forEach((list, k) => {
        const c = ctxs[k] as CpuEmitContext;
        for (const { output, e } of list) {
          const views = c
            .hosts(output)
            .map((a) => c.constant('bits', new Uint32Array(a.buffer, a.byteOffset, a.length)));
          const O = views.length === 1 ? views[0] : `(${c0.parity} ? ${views[1]} : ${views[0]})`;
          c0.code(
            `      { const L = ${e.idx}, O = ${O}; let m = 0, i = 0;`,
            `        for (; i + 4 <= ${n}; i += 4) {`,
            '          if (((O[i] | O[i + 1] | O[i + 2] | O[i + 3]) & 0x7fffffff) === 0) continue;',
            '          for (let j = i; j < i + 4; j++) { L[m] = j; m += (O[j] & 0x7fffffff) !== 0 ? 1 : 0; }',
            '        }',
            '        for (; i < ' + n + '; i++) { L[m] = i; m += (O[i] & 0x7fffffff) !== 0 ? 1 : 0; }',
            `        ${e.count} = m; }`,
          );
        }
      });
    c0.code('    }');
    return 'wasm';
  }
  const partsOf = rs.map((r, k) => {
    const c = ctxs[k] as CpuEmitContext;
    const p = prepare(r, c.key);
    const A = c.constant('moduleArgs', p.args);
    return jsModuleLoop(r.compiled, {
      uniform: p.uniform,
      prefix: `${c.local('m')}_`,
      args: A,
      io: (slot) => c.array(slot.slice(slot.indexOf(':') + 1)),
    });
  });
  const body: string[] = [];
  partsOf.forEach((parts, k) => {
    c0.setup(...parts.setup);
    c0.code(...parts.pre.map((l) => `      ${l}`));
    body.push(...parts.body);
    for (const [j, { output, e }] of (events[k] ?? []).entries()) {
      const L = `L${k}_${j}`;
      c0.code(`      const ${L} = ${e.idx}; let ${L}n = 0;`);
      // Branch-free: the store runs for every element (so the loop is optimised with its type feedback
      // before the first spike) and the count moves on only past a non-zero value.
      body.push(`    ${L}[${L}n] = i; ${L}n += ${parts.outputs.get(output)} !== 0 ? 1 : 0;`);
    }
  });
  c0.code(...loopOf(partsOf[0] as JsLoopParts, body).map((l) => `    ${l}`));
  events.forEach((list, k) => {
    for (const [j, { e }] of list.entries()) c0.code(`      ${e.count} = L${k}_${j}n;`);
  });
  c0.code('    }');
  return 'js';
}

/** `module` on cpu: fused with the module ops of its index space (`moduleOp.fuse`, `ops/schedule.ts`). */
export const moduleCpuOp: CpuOp<'module'> = cpuOp('module', {
  emit(r, c) {
    emitGroup([r], [c]);
  },
  fuse: { emitGroup },
});
