/**
 * The cpu form of `module.events` and `delay.ring` (see `plan.ts`): one generated JavaScript function
 * per op over the statements of its event form (`form.ts`) — the reference form; where the program's
 * buffers live in a WebAssembly memory the op runs the same form compiled to WebAssembly (`wasm.ts`),
 * bit for bit the same. Every element's arithmetic is emitted by the JS code generator's element emitter
 * (`emitJsElement`), the one the module's own loop uses, over other storage — so an event site
 * computes what the dense loop computes for that element, bit for bit:
 *
 * 1. shared states: every key (delay and pre unit, post unit, or class) runs the state's statements
 *    once, in place;
 * 2. integrators: the row sums decay by their factor, then every presynaptic event adds its
 *    increment to the row of each synapse it reaches (one per (pre unit, delay) bucket entry);
 *    `@rows` receives the sums (or their linear combination);
 * 3. event sites — every synapse of a row whose post unit spiked, every synapse of a column whose pre
 *    unit spiked, every synapse whose delayed presynaptic spike arrives — run the module's element
 *    but the shared states' statements, reading their values of this step (the dense element's
 *    locals: float32 values, since the generated code rounds every operation), and write their
 *    passthrough outputs into the input in place. Elsewhere the dense update is the identity.
 *
 * float16 storage: a float16 shared state's buffer holds its last update unrounded and step 1 loads
 * it rounded to float16 (what the dense buffer holds); float16 inputs are decoded as the dense loop
 * decodes them.
 *
 * @module
 */

import { type DType, float16Values, roundToFloat16, type TypedArray } from '@spark-snn/core';
import type { StepKernel } from '../backends/cpu/op.ts';
import { emitJsElement, type JsElementAccess, RUNTIME, RUNTIME_NAMES } from '../codegen/js.ts';
import type { HostMemory } from '../codegen/wasm-memory.ts';
import type { Extent } from '../lang/ast.ts';
import type { CompiledModule, InstanceData } from '../lang/compile.ts';
import type { TStmt } from '../lang/ir.ts';
import { slotOne, slotType } from '../ops/module/op.ts';
import { type EventForm, eventForm, eventInputAt } from './form.ts';
import type { ModuleEventsAttrs } from './plan.ts';
import {
  bindEventsWasm,
  generateEventsWasm,
  type WasmEventsCall,
  type WasmEventsModule,
  WasmEventsUnsupported,
} from './wasm.ts';

/** What the cpu form of a `module.events` op works with. */
export interface ModuleEventsHost {
  readonly attrs: ModuleEventsAttrs;
  readonly bindings: Readonly<Record<string, string>>;
  readonly compiled: CompiledModule;
  readonly instance: InstanceData;
  /** Philox key of the plan. */
  readonly key: readonly [number, number];
  readonly streamBase: number;
  /**
   * The program's memory and its bindings' storage: given, the op runs its WebAssembly form
   * (`wasm.ts`) over arrays in that memory, else (or where that form says it cannot) this JavaScript.
   */
  readonly memory?: HostMemory;
  readonly dtype?: (slot: string) => DType;
}

/** Index variables of an emission context (undefined: not available there). */
interface Vars {
  readonly k?: string;
  readonly i?: string;
  readonly j?: string;
}

/** The generated step of a `module.events` op. */
export function moduleEventsCpu(h: ModuleEventsHost): StepKernel {
  const { attrs: a, compiled: c, instance: inst } = h;
  const form = eventForm(a, c, inst);
  let wasm: WasmEventsModule | undefined;
  if (h.memory !== undefined && h.dtype !== undefined) {
    const dtypeOf = h.dtype;
    try {
      wasm = generateEventsWasm({
        attrs: a,
        compiled: c,
        instance: inst,
        form,
        dtype: (slot) => {
          if (h.bindings[slot] === undefined) throw new WasmEventsUnsupported(`no binding "${slot}"`);
          return dtypeOf(slot);
        },
        shared: h.memory.shared,
      });
    } catch (e) {
      if (!(e instanceof WasmEventsUnsupported)) throw e;
    }
  }
  const memory = h.memory;
  // The JavaScript form, generated when first needed (a program whose arrays are all in its
  // WebAssembly memory never needs it).
  let js: JsForm | undefined;
  const jsForm = (): JsForm => {
    js ??= moduleEventsJs(h, form);
    return js;
  };
  const delayed = form.delayedInput;
  return {
    get source() {
      return jsForm().source;
    },
    run: (A, step) => {
      const w = (A as { wasm?: WasmEventsCall }).wasm;
      if (w !== undefined) w.fn(w.table, step);
      else (js as JsForm).fn(A, step);
    },
    engine: (A) => ((A as { wasm?: unknown }).wasm !== undefined ? 'wasm' : 'js'),
    call: (A) => {
      const w = (A as { wasm?: WasmEventsCall }).wasm;
      return w === undefined ? undefined : { fn: w.fn, lead: [w.table] };
    },
    args: (get) => {
      if (wasm !== undefined && memory !== undefined) {
        const delays = delayed !== undefined ? reduceDelays(get(`${delayed}@delays`), form.slots) : undefined;
        const call = bindEventsWasm(wasm, { attrs: a, ...(delays ? { delays } : {}) }, memory, get);
        if (call !== undefined) return { wasm: call };
      }
      return jsForm().args(get);
    },
  };
}

/** The JavaScript form of a `module.events` op: its source, function and arguments. */
interface JsForm {
  readonly source: string;
  readonly fn: (A: unknown, step: number) => void;
  args(get: (slot: string) => TypedArray): unknown;
}

function moduleEventsJs(h: ModuleEventsHost, form: EventForm): JsForm {
  const { attrs: a, compiled: c, instance: inst } = h;
  const C = a.classes;
  const scalars: number[] = [];
  const arrays: ArrayLike<number>[] = [];
  const slotIndex = new Map<string, string>();
  const owner = { compiled: c, instance: inst };
  const typeOf = (slot: string): string => slotType(owner, slot);
  const f32 = (slot: string, v: number) => (typeOf(slot) === 'f32' ? Math.fround(v) : v);
  // A parameter or hoisted constant, read at the element of `v` (scalars and uniform slots once).
  const slotRead = (slot: string, extent: Extent, v: Vars): string => {
    const one = slotOne(owner, slot, extent);
    if (one !== undefined) {
      let name = slotIndex.get(slot);
      if (name === undefined) {
        name = `sc${scalars.length}`;
        scalars.push(f32(slot, one));
        slotIndex.set(slot, name);
      }
      return name;
    }
    let name = slotIndex.get(slot);
    if (name === undefined) {
      name = `ar${arrays.length}`;
      const [kind, n] = slot.split(':') as [string, string];
      const values = kind === 'param' ? inst.arrayParams.get(n) : inst.derived[Number(n)];
      const t = typeOf(slot);
      arrays.push(
        t === 'f32'
          ? Float32Array.from(values as Float64Array)
          : t === 'i32'
            ? Int32Array.from(values as Float64Array)
            : Uint32Array.from(values as Float64Array),
      );
      slotIndex.set(slot, name);
    }
    const index = extent === 'synapse' ? v.k : extent === 'unit' ? v.i : v.j;
    if (index === undefined)
      throw new Error(`events: ${slot} (${extent}) read where that index is not known`);
    return `${name}[${index}]`;
  };

  // Buffers, by binding slot, as generated-code names.
  const bufSlots: string[] = [];
  const bufName = new Map<string, string>();
  const buf = (slot: string): string => {
    let n = bufName.get(slot);
    if (n === undefined) {
      if (h.bindings[slot] === undefined)
        throw new Error(`events: ${a.definition.name} has no binding "${slot}"`);
      n = `bf${bufSlots.length}`;
      bufSlots.push(slot);
      bufName.set(slot, n);
    }
    return n;
  };

  const delayedInput = form.delayedInput;
  const { slots, postInputs, preInputs } = form;
  const cls = (k: string) => (C > 1 ? `${buf('@classes')}[${k}]` : '0');
  const keyOfSite = (state: string): string => {
    const key = a.shared[state];
    if (key === 'all') return cls('k');
    if (key === 'post') return `i * ${C} + ${cls('k')}`;
    if (delayedInput !== undefined) return `(DM[k] * pre + j) * ${C} + ${cls('k')}`;
    return `j * ${C} + ${cls('k')}`;
  };

  // Inputs stored as float16 (a spike vector of a float16 module) are loaded as the dense loop loads
  // them: decoded from their half bits (a table of the half values: `fromF16`'s numbers).
  const halfInputs = form.halfInputs;
  const load = (name: string, index: string) =>
    halfInputs.has(name) ? `H16[${buf(name)}[${index}]]` : `${buf(name)}[${index}]`;
  const access = (v: Vars, spike: string | undefined, extra: Partial<JsElementAccess>): JsElementAccess => ({
    param: (name, extent) => slotRead(`param:${name}`, extent, v),
    derived: (id, extent) => slotRead(`derived:${id}`, extent, v),
    input: (name, extent) => {
      const at = eventInputAt(a, name, extent, v, spike, '0');
      return 'spike' in at ? at.spike : load(name, at.index);
    },
    loadState: () => undefined,
    storeState: () => undefined,
    storeOutput: () => undefined,
    ...(v.k !== undefined ? { index: v.k } : {}),
    ...extra,
  });

  const lines: string[] = [];
  const sites = new Set<number>();
  // One element's code in a block of its own (its locals and temporaries stay there); `then` lines
  // run inside it after the element (to use its lets). Output locals only where outputs are assigned.
  const emit = (e: ReturnType<typeof emitJsElement>, indent: string, then: readonly string[] = []) => {
    for (const s of e.sites) sites.add(s);
    const assigns = e.lines.some((l) => /^\s*o_/.test(l));
    const head = assigns ? e.head : e.head.filter((l) => !/^\s*let o_/.test(l));
    lines.push(`${indent}{`);
    for (const l of [...head, ...e.lines, ...e.tail, ...then]) lines.push(`${indent}  ${l.trimStart()}`);
    lines.push(`${indent}}`);
  };
  // The delayed spike of a site: ring row of its delay.
  // (Ring row offsets of this step by delay: RO; the delay of each synapse modulo slots: DM.)
  const siteSpike = delayedInput !== undefined ? `${buf(`${delayedInput}@ring`)}[RO[DM[k]] + j]` : undefined;

  // 1. Shared states: each state's statements once per key, in place. A float16 state's buffer
  //    holds the float32 value of its last update (what event sites read, as the dense element's
  //    later statements read its local); loaded here it is rounded to float16, as the dense buffer
  //    stored it.
  for (const { state, key, statements } of form.shared) {
    const sh = buf(state);
    const loaded = form.halfStates.has(state) ? `roundF16(${sh}[at])` : `${sh}[at]`;
    const rep = { k: 'rk', i: 'ri', j: 'rj' };
    const el = (v: Vars, spike?: string) =>
      emitJsElement(c, {
        ...access(
          {
            k: rep.k,
            ...(v.i !== undefined ? { i: v.i } : { i: rep.i }),
            ...(v.j !== undefined ? { j: v.j } : { j: rep.j }),
          },
          spike,
          {},
        ),
        // Parameters of the class's representative; inputs of the key.
        param: (name, extent) => slotRead(`param:${name}`, extent, rep),
        derived: (id, extent) => slotRead(`derived:${id}`, extent, rep),
        loadState: (name) => (name === state ? loaded : undefined),
        storeState: (name, value) => (name === state ? `${sh}[at] = ${value};` : undefined),
        statements,
      });
    const classLoop = (at: string, body: () => void, indent: string) => {
      lines.push(`${indent}for (let c = 0; c < ${C}; c++) {`);
      lines.push(`${indent}  const at = ${at}, rk = REP[c], ri = (rk / pre) | 0, rj = rk % pre;`);
      body();
      lines.push(`${indent}}`);
    };
    if (key === 'pre' && delayedInput !== undefined) {
      const ring = buf(`${delayedInput}@ring`);
      lines.push(`  for (let dm = 0; dm < ${slots}; dm++) {`);
      lines.push('    const r = RO[dm];');
      lines.push('    for (let j = 0; j < pre; j++) {');
      lines.push(`      const sv = ${ring}[r + j];`);
      classLoop('(dm * pre + j) * C + c', () => emit(el({ j: 'j' }, 'sv'), '        '), '      ');
      lines.push('    }', '  }');
    } else if (key === 'pre') {
      lines.push('  for (let j = 0; j < pre; j++) {');
      classLoop('j * C + c', () => emit(el({ j: 'j' }), '      '), '    ');
      lines.push('  }');
    } else if (key === 'post') {
      lines.push('  for (let i = 0; i < post; i++) {');
      classLoop('i * C + c', () => emit(el({ i: 'i' }), '      '), '    ');
      lines.push('  }');
    } else classLoop('c', () => emit(el({}), '    '), '  ');
  }

  // 2. Integrators: decay the row sums, add the increments of the arriving events.
  if (form.integrators.length > 0) {
    const exprLine = (statements: readonly TStmt[], v: Vars, spike?: string) =>
      emitJsElement(c, { ...access(v, spike, {}), statements });
    for (const g of form.integrators)
      emit(exprLine(g.factor, { k: '0', i: '0', j: '0' }), '  ', [
        `for (let i = 0; i < post; i++) ${buf(g.name)}[i] = l_f_${g.name} * ${buf(g.name)}[i];`,
      ]);
    const addAt = (indent: string, spike: string) => {
      for (const g of form.integrators)
        emit(exprLine(g.increment, { k: 'k', i: 'i', j: 'j' }, spike), indent, [
          `${buf(g.name)}[i] += l_d_${g.name};`,
        ]);
    };
    if (delayedInput !== undefined) {
      lines.push(`  for (let dm = 0; dm < ${slots}; dm++) {`);
      lines.push('    const r = RO[dm];');
      lines.push('    for (let j = 0; j < pre; j++) {');
      lines.push(`      const sv = ${buf(`${delayedInput}@ring`)}[r + j];`);
      lines.push('      if (sv === 0) continue;');
      lines.push(`      const bEnd = ${buf(`${delayedInput}@offsets`)}[dm * pre + j + 1];`);
      lines.push(`      for (let b = ${buf(`${delayedInput}@offsets`)}[dm * pre + j]; b < bEnd; b++) {`);
      lines.push(`        const i = ${buf(`${delayedInput}@posts`)}[b], k = i * pre + j;`);
      addAt('        ', 'sv');
      lines.push('      }', '    }', '  }');
    } else {
      const spikes = preInputs.map((n) => `${load(n, 'j')} !== 0`).join(' || ');
      lines.push('  for (let j = 0; j < pre; j++) {', `    if (!(${spikes})) continue;`);
      lines.push('    for (let i = 0, k = j; i < post; i++, k += pre) {');
      addAt('      ', '0');
      lines.push('    }', '  }');
    }
    const rows = a.rows;
    if (rows && 'state' in rows) lines.push(`  ${buf('@rows')}.set(${buf(rows.state)});`);
    else if (form.rowTerms) {
      // Σ coefficient·state per row, term by term in the output's order.
      lines.push(`  ${buf('@rows')}.fill(0);`);
      for (const [n, t] of form.rowTerms.entries())
        emit(exprLine(t.coefficient, { k: '0', i: '0', j: '0' }), '  ', [
          `for (let i = 0; i < post; i++) ${buf('@rows')}[i] += l_c${n} * ${buf(t.state)}[i];`,
        ]);
    }
  }

  // 3. Event sites: whole rows of spiking post units, whole columns of spiking (direct) pre units,
  //    synapses whose delayed spike arrives; each once.
  if (form.site !== undefined) {
    const siteOf = (statements: readonly TStmt[]) =>
      emitJsElement(c, {
        ...access({ k: 'k', i: 'i', j: 'j' }, 'sv', {}),
        statements,
        loadState: (name) => (a.shared[name] !== undefined ? `${buf(name)}[${keyOfSite(name)}]` : undefined),
        storeOutput: (name, value) => {
          const input = a.inPlace[name];
          return input === undefined ? undefined : `${buf(input)}[k] = ${value};`;
        },
      });
    const site = siteOf(form.site);
    const siteQuiet = form.siteQuiet ? siteOf(form.siteQuiet) : undefined;
    const siteNoPost = form.siteNoPost ? siteOf(form.siteNoPost) : site;
    // A site of a spiking row (`split` by its delayed spike), or outside the spiking rows.
    const body = (indent: string, split = false) => {
      if (siteSpike) lines.push(`${indent}const sv = ${siteSpike};`);
      else lines.push(`${indent}const sv = 0;`);
      if (split && siteQuiet) {
        lines.push(`${indent}if (sv === 0)`);
        emit(siteQuiet, indent);
        lines.push(`${indent}else`);
      }
      emit(split ? site : siteNoPost, indent);
    };
    const rowSpike = postInputs.map((n) => `${load(n, 'i')} !== 0`).join(' || ') || 'false';
    const colSpike = preInputs.map((n) => `${load(n, 'j')} !== 0`).join(' || ') || 'false';
    lines.push(`  for (let i = 0; i < post; i++) ROW[i] = (${rowSpike}) ? 1 : 0;`);
    lines.push(`  for (let j = 0; j < pre; j++) COL[j] = (${colSpike}) ? 1 : 0;`);
    lines.push('  for (let i = 0; i < post; i++) {', '    if (ROW[i] === 0) continue;');
    lines.push('    for (let j = 0, k = i * pre; j < pre; j++, k++) {');
    body('      ', true);
    lines.push('    }', '  }');
    if (preInputs.length > 0) {
      lines.push('  for (let j = 0; j < pre; j++) {', '    if (COL[j] === 0) continue;');
      lines.push(
        '    for (let i = 0, k = j; i < post; i++, k += pre) {',
        '      if (ROW[i] !== 0) continue;',
      );
      body('      ');
      lines.push('    }', '  }');
    }
    if (delayedInput !== undefined) {
      const input = delayedInput;
      lines.push(`  for (let dm = 0; dm < ${slots}; dm++) {`);
      lines.push('    const r = RO[dm];');
      lines.push('    for (let j = 0; j < pre; j++) {');
      lines.push(`      if (COL[j] !== 0 || ${buf(`${input}@ring`)}[r + j] === 0) continue;`);
      lines.push(`      const bEnd = ${buf(`${input}@offsets`)}[dm * pre + j + 1];`);
      lines.push(`      for (let b = ${buf(`${input}@offsets`)}[dm * pre + j]; b < bEnd; b++) {`);
      lines.push(`        const i = ${buf(`${input}@posts`)}[b];`, '        if (ROW[i] !== 0) continue;');
      lines.push('        const k = i * pre + j;');
      body('        ');
      lines.push('      }', '    }', '  }');
    }
  }

  // The step's invariants, emitted last (they were collected above) and run first.
  const prologue = emitJsElement(c, {
    ...access({ k: '0', i: '0', j: '0' }, undefined, {}),
    statements: form.hoisted,
  });
  for (const site of prologue.sites) sites.add(site);
  const names = [...bufName.values()];
  const source = [
    '"use strict";',
    `const { ${RUNTIME_NAMES} } = rt;`,
    ...[...sites].map((s) => `const X${s} = new Uint32Array(4);`),
    'const roundF16 = rt.roundF16, H16 = rt.H16;',
    `return function ${a.definition.name}_events(A, step) {`,
    `  const post = ${a.post}, pre = ${a.pre}, C = ${C}, S = ${slots}, w = step % S;`,
    '  const k0 = A.k0, k1 = A.k1, streamBase = A.streamBase, dt = A.dt;',
    '  const REP = A.rep, ROW = A.row, COL = A.col, DM = A.dm, RO = A.ro;',
    ...scalars.map((_, n) => `  const sc${n} = A.scalars[${n}];`),
    '  for (let d = 0; d < S; d++) RO[d] = ((w + S - d) % S) * pre;',
    ...arrays.map((_, n) => `  const ar${n} = A.arrays[${n}];`),
    ...names.map((n, k) => `  const ${n} = A.buffers[${k}];`),
    ...[...sites].map((s) => `  let B${s} = -1;`),
    ...prologue.lines.map((l) => `  ${l.trimStart()}`),
    ...lines,
    '};',
  ].join('\n');
  // Generated from validated identifiers, slot indices and finite literals only (as the JS backend).
  const fn = (
    new Function('rt', source) as (
      rt: typeof RUNTIME & { roundF16: (x: number) => number; H16: Float32Array },
    ) => (A: unknown, step: number) => void
  )({ ...RUNTIME, roundF16: roundToFloat16, H16: float16Values() });
  const args = (get: (slot: string) => TypedArray) => ({
    k0: h.key[0],
    k1: h.key[1],
    streamBase: h.streamBase,
    dt: Math.fround(inst.dt),
    scalars: Float64Array.from(scalars),
    arrays,
    buffers: bufSlots.map(get),
    rep: Int32Array.from(a.representatives),
    row: new Uint8Array(a.post),
    col: new Uint8Array(a.pre),
    // The delays are fixed while the op runs (the Brain refuses to change them): each synapse's
    // delay modulo the ring, once.
    dm: delayedInput !== undefined ? reduceDelays(get(`${delayedInput}@delays`), slots) : new Uint8Array(0),
    ro: new Int32Array(slots),
  });
  return { source, fn, args };
}

const reduced = new WeakMap<TypedArray, Map<number, Uint8Array | Int32Array>>();

/** Every delay modulo the ring length (the ring row offset it reads); once per delays array. */
function reduceDelays(delays: TypedArray, slots: number): Uint8Array | Int32Array {
  const bySlots = reduced.get(delays) ?? new Map<number, Uint8Array | Int32Array>();
  reduced.set(delays, bySlots);
  const hit = bySlots.get(slots);
  if (hit) return hit;
  const out = slots <= 256 ? new Uint8Array(delays.length) : new Int32Array(delays.length);
  for (let k = 0; k < delays.length; k++) out[k] = ((delays[k] as number) >>> 0) % slots;
  bySlots.set(slots, out);
  return out;
}
