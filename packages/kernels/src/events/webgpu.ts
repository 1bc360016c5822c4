/**
 * The webgpu form of `module.events` (see `plan.ts`): WGSL kernels generated from the same event form
 * as the cpu's (`cpu.ts`) — the same slices of the module's statements (`slice`), the same keys of
 * the shared states, the same event sites — emitted by the WGSL element emitter (`emitWgslElement`),
 * the one the module's own dense kernel uses, so an event site computes what the dense kernel computes
 * for that element. Up to three dispatches per op, in this order:
 *
 * 1. **shared** (shared states): one invocation per key and class, running the state's statements
 *    once, in place (a float16 state is loaded rounded to float16, as `cpu.ts` does);
 * 2. **rows** (integrators): one invocation per postsynaptic row: the row sums decay by their factor,
 *    then every presynaptic event whose synapse in this row has the event's delay adds its increment —
 *    events in ascending (delay, pre unit) order, the cpu form's order of additions for that row, so
 *    the sums are the cpu event form's bit for bit; `@rows` receives the sums (or their linear
 *    combination);
 * 3. **sites** (in-place outputs): one workgroup per block of 64 units of each event source — the
 *    postsynaptic units (whole rows of the spiking ones), the direct presynaptic units (whole columns
 *    of the spiking ones, rows already visited skipped), the cells of the delay ring (the synapses a
 *    delayed spike reaches, through the delay's bucket lists, skipping visited rows and columns). The
 *    workgroup gathers its block's events into workgroup memory (from the buffer's event list where
 *    the program keeps one, else by testing its 64 units) and its invocations share each event's
 *    synapses. Every synapse is visited at most once per step, so the in-place updates never race.
 *
 * A fixed number of workgroups (one per block, most of them finding no event and returning) rather
 * than an indirect dispatch sized by an event count: the count would need a dispatch of its own
 * before every sites dispatch, and the blocks' lists are what the spiking dispatch already writes
 * (`docs/decisions.md`).
 *
 * @module
 */

import type { DType } from '@spark-snn/core';
import { EVENT_BLOCK, eventBlocks } from '../backends/webgpu/events.ts';
import { wgslKernel } from '../backends/webgpu/kernel.ts';
import { type DispatchBytes, EXPECTED_ACTIVITY } from '../backends/webgpu/op.ts';
import { emitWgslElement, type WgslElementAccess } from '../codegen/wgsl.ts';
import { WGSL_MATH } from '../codegen/wgsl-math.ts';
import type { Extent } from '../lang/ast.ts';
import { childrenOf, type TExpr, type TStmt } from '../lang/ir.ts';
import type { ResolvedModuleEventsOp } from '../ops/events/op.ts';
import { slotOne, slotType } from '../ops/module/op.ts';
import { PHILOX_WGSL } from '../rng/philox.wgsl.ts';
import { eventForm, eventInputAt } from './form.ts';

/** What the webgpu form of a `module.events` op needs besides the op. */
export interface ModuleEventsWgslOptions {
  /** Philox key of the plan. */
  readonly key: readonly [number, number];
  /** float16 buffers are `array<f16>`. */
  readonly native16: boolean;
  /** The slots whose buffer carries an event list (of those {@link moduleEventsListSlots} names). */
  readonly listed: ReadonlySet<string>;
  /** The plan dtype of the buffer bound to a slot. */
  dtypeOf(slot: string): DType;
  /**
   * The contents of the buffer bound to a slot (a number: every element): the op's static integer
   * tables — delays, bucket lists, classes — are read from here into `pk`.
   */
  initial(slot: string): ArrayLike<number> | number | undefined;
}

/** One dispatch of a `module.events` op. */
export interface EventKernel {
  readonly name: 'shared' | 'rows' | 'sites';
  readonly code: string;
  /**
   * Its storage bindings from binding 2 on: `pk` (the packed parameters), a binding slot of the op,
   * or `SLOT#events` (the event list of the slot's buffer).
   */
  readonly storage: readonly string[];
  /** Workgroups of {@link EVENT_BLOCK} invocations. */
  readonly workgroups: number;
  /** Estimated device bytes per step (at the expected activity). */
  readonly bytes: DispatchBytes;
}

/** The generated kernels of a `module.events` op and their data. */
export interface ModuleEventsWgsl {
  readonly kernels: readonly EventKernel[];
  /** The `Args` block of every kernel: post, pre, slots, classes. */
  readonly args: Uint32Array<ArrayBuffer>;
  /** Parameters, hoisted constants, representatives, dt and the Philox key, as 32-bit words. */
  readonly pk: Uint32Array;
}

/** Index expressions of an emission context (undefined: not available there). */
interface Vars {
  readonly k?: string;
  readonly i?: string;
  readonly j?: string;
}

/** The slots of a `module.events` op whose event list its kernels read where the program keeps one. */
export function moduleEventsListSlots(r: Pick<ResolvedModuleEventsOp, 'attrs'>): string[] {
  const a = r.attrs;
  const out: string[] = [];
  const direct = (extent: 'unit' | 'pre') =>
    Object.entries(a.events).filter(([, e]) => e.source === 'direct' && e.extent === extent);
  for (const [name, e] of Object.entries(a.events)) if (e.source === 'delayed') out.push(`${name}@ring`);
  // A side with one spike input reads its list; several are tested unit by unit (their union).
  for (const side of ['unit', 'pre'] as const) {
    const inputs = direct(side);
    if (inputs.length === 1) out.push((inputs[0] as [string, unknown])[0]);
  }
  return out;
}

const W = EVENT_BLOCK;

/** The slots of a `module.events` op whose contents its kernels read from `pk` (static tables). */
export function moduleEventsStaticSlots(r: Pick<ResolvedModuleEventsOp, 'attrs'>): string[] {
  const a = r.attrs;
  const out = a.classes > 1 ? ['@classes'] : [];
  for (const [name, e] of Object.entries(a.events))
    if (e.source === 'delayed') out.push(`${name}@delays`, `${name}@offsets`, `${name}@posts`);
  return out;
}

/** The kernels of a `module.events` op (see the module comment). */
export function moduleEventsWgsl(r: ResolvedModuleEventsOp, h: ModuleEventsWgslOptions): ModuleEventsWgsl {
  const { attrs: a, compiled: c, instance: inst } = r;
  const bindings = r.op.bindings;
  // The event form as statements (`form.ts`): what the cpu's JavaScript and WebAssembly run too.
  const form = eventForm(a, c, inst);
  const { delayedInput, slots, postInputs, preInputs } = form;
  const C = a.classes;
  const post = a.post;
  const pre = a.pre;

  // ---- packed words: scalars, uniform slots, arrays, representatives ----
  const words: number[] = [];
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  const i32 = new Int32Array(f32.buffer);
  const word = (v: number, ty: string): number => {
    if (ty === 'f32') f32[0] = v;
    else if (ty === 'i32') i32[0] = v;
    else u32[0] = v >>> 0;
    return u32[0] as number;
  };
  const packedAt = new Map<string, number>();
  const pack = (key: string, values: ArrayLike<number>, ty: string): number => {
    let at = packedAt.get(key);
    if (at === undefined) {
      at = words.length;
      for (let n = 0; n < values.length; n++) words.push(word(values[n] as number, ty));
      packedAt.set(key, at);
    }
    return at;
  };
  const read = (at: string, ty: string): string => (ty === 'u32' ? `pk[${at}]` : `bitcast<${ty}>(pk[${at}])`);
  const owner = { compiled: c, instance: inst };
  const typeOf = (slot: string): string => slotType(owner, slot);
  // A parameter or hoisted constant, read at the element of `v` (scalars and uniform slots: one word).
  const slotRead = (slot: string, extent: Extent, v: Vars): string => {
    const ty = typeOf(slot);
    const one = slotOne(owner, slot, extent);
    if (one !== undefined) return read(`${pack(slot, [one], ty)}u`, ty);
    const [kind, n] = slot.split(':') as [string, string];
    const values = (kind === 'param' ? inst.arrayParams.get(n) : inst.derived[Number(n)]) as Float64Array;
    const at = pack(slot, values, ty);
    const index = extent === 'synapse' ? v.k : extent === 'unit' ? v.i : v.j;
    if (index === undefined)
      throw new Error(`events: ${slot} (${extent}) read where that index is not known`);
    return read(`${at}u + ${index}`, ty);
  };
  const dtAt = pack('dt', [inst.dt], 'f32');
  const keyAt = pack('key', [h.key[0], h.key[1], r.streamBase], 'u32');
  const random = { streamBase: `pk[${keyAt + 2}u]`, k0: `pk[${keyAt}u]`, k1: `pk[${keyAt + 1}u]` };
  const repAt = pack('rep', a.representatives, 'u32');

  const written = new Set<string>([
    ...Object.keys(a.shared),
    ...a.integrators,
    ...(a.rows ? ['@rows'] : []),
    ...Object.values(a.inPlace),
  ]);

  /** The storage bindings of one kernel, named on first use. */
  class Binder {
    readonly order: string[] = [];
    readonly names = new Map<string, string>();
    /** WGSL variable of slot `slot` (or `pk`, or `SLOT#events`). */
    of(slot: string): string {
      let n = this.names.get(slot);
      if (n === undefined) {
        if (slot !== 'pk' && !slot.endsWith('#events') && bindings[slot] === undefined)
          throw new Error(`events: ${a.definition.name} has no binding "${slot}"`);
        n = slot === 'pk' ? 'pk' : `b${this.order.length}`;
        this.order.push(slot);
        this.names.set(slot, n);
      }
      return n;
    }
    /** `<name>[<index>]` as the f32/i32/u32 the body computes with (a native half widened). */
    load(slot: string, index: string): string {
      const e = `${this.of(slot)}[${index}]`;
      return h.native16 && h.dtypeOf(slot) === 'float16' ? `f32(${e})` : e;
    }
    storage(): [string, string, 'read' | 'read_write'][] {
      return this.order.map((slot) => {
        const name = this.names.get(slot) as string;
        if (slot === 'pk' || slot.endsWith('#events')) return [name, 'u32', 'read'];
        const d = h.dtypeOf(slot);
        const elem =
          d === 'float16'
            ? h.native16
              ? 'f16'
              : 'f32'
            : d === 'int32'
              ? 'i32'
              : d === 'uint32'
                ? 'u32'
                : 'f32';
        return [name, elem, written.has(slot) ? 'read_write' : 'read'];
      });
    }
  }

  const access = (
    B: Binder,
    v: Vars,
    spike: string | undefined,
    extra: Partial<WgslElementAccess>,
  ): WgslElementAccess => ({
    param: (name, extent) => {
      B.of('pk');
      return slotRead(`param:${name}`, extent, v);
    },
    derived: (id, extent) => {
      B.of('pk');
      return slotRead(`derived:${id}`, extent, v);
    },
    input: (name, extent) => {
      const at = eventInputAt(a, name, extent, v, spike, '0u');
      return 'spike' in at ? at.spike : B.load(name, at.index);
    },
    loadState: () => undefined,
    storeState: () => undefined,
    storeOutput: () => undefined,
    dt: `bitcast<f32>(pk[${dtAt}u])`,
    random,
    ...(v.k !== undefined ? { index: v.k } : {}),
    ...extra,
  });
  /** An element's code in a block of its own; `then` lines run inside it after the element. */
  const block = (
    B: Binder,
    e: ReturnType<typeof emitWgslElement>,
    indent: string,
    then: readonly string[] = [],
  ) => {
    B.of('pk'); // dt and the key live there
    return [
      `${indent}{`,
      ...[...e.head, ...e.lines, ...e.tail, ...then].map((l) => `${indent}  ${l.trimStart()}`),
      `${indent}}`,
    ];
  };
  // The static integer tables (each synapse's delay modulo the ring, the bucket lists, the classes)
  // live in `pk` too: one binding instead of four, within the 10 storage buffers per stage a browser
  // grants by default. `STATIC_SLOTS` names the bindings they come from (a host write re-packs them).
  const table = (slot: string, n: number, map: (x: number) => number = (x) => x): number => {
    const init = h.initial(slot);
    const values = new Uint32Array(n);
    for (let k = 0; k < n; k++)
      values[k] = map(typeof init === 'number' ? init : ((init?.[k] as number) ?? 0));
    return pack(slot, values, 'u32');
  };
  const size = post * pre;
  const dmAt = delayedInput ? table(`${delayedInput}@delays`, size, (d) => (d >>> 0) % slots) : 0;
  const offAt = delayedInput ? table(`${delayedInput}@offsets`, slots * pre + 1) : 0;
  const postsAt = delayedInput ? table(`${delayedInput}@posts`, size) : 0;
  const clsAt = C > 1 ? table('@classes', size) : 0;
  const cls = (B: Binder, k: string) => (C > 1 ? `${B.of('pk')}[${clsAt}u + ${k}]` : '0u');
  const dm = (B: Binder, k: string) => (delayedInput ? `${B.of('pk')}[${dmAt}u + ${k}]` : '0u');
  /** Ring row read by delay `d` this step. */
  const ringRow = (d: string) => `((w + ${slots}u - ${d}) % ${slots}u)`;
  /**
   * A kernel's first lines: the ring row of this step and the step's invariants (`form.hoisted`) that
   * `statements` read, once per invocation.
   */
  const prologue = (B: Binder, statements: readonly TStmt[]): string[] => {
    const used = new Set<string>();
    const visit = (e: TExpr) => {
      if (e.k === 'local') used.add(e.name);
      for (const x of childrenOf(e)) visit(x);
    };
    for (const st of statements) visit(st.value);
    const hoisted = form.hoisted.filter((st) => st.k === 'let' && used.has(st.name));
    const invariants = emitWgslElement(c, {
      ...access(B, { k: '0u', i: '0u', j: '0u' }, undefined, {}),
      statements: hoisted,
    });
    return [`  let w = ctrl.step % ${slots}u;`, ...invariants.lines];
  };
  const draws = c.def.randomSites > 0;
  const needsMath = (code: string) => (draws || /\bacc_|\bq16\(/.test(code) ? WGSL_MATH : '');
  const frame = (body: string, B: Binder, workgroup: boolean): string => {
    const decls = [
      workgroup
        ? 'var<workgroup> evm: array<atomic<u32>, 2>;\nvar<workgroup> evs: array<u32, 64>;\nvar<workgroup> evn: u32;'
        : '',
      needsMath(body),
      draws ? PHILOX_WGSL : '',
    ]
      .filter((x) => x !== '')
      .join('\n');
    return wgslKernel({
      ...(h.native16 && B.storage().some(([, e]) => e === 'f16') ? { enable: 'f16' } : {}),
      args: 'post: u32, pre: u32, slots: u32, classes: u32',
      storage: B.storage(),
      ...(decls ? { decls } : {}),
      workgroup: W,
      ...(workgroup ? {} : { index: 'x' }),
      body,
    });
  };
  /** Estimated per-synapse bytes of an event site's element: its per-synapse reads and writes. */
  const synapseReads = (statements: readonly TStmt[]): number => {
    const seen = new Set<string>();
    const walk = (e: TExpr) => {
      if ((e.k === 'param' || e.k === 'input') && e.extent === 'synapse') seen.add(`${e.k}:${e.name}`);
      if (e.k === 'derived' && e.extent === 'synapse') seen.add(`derived:${e.id}`);
      for (const x of childrenOf(e)) walk(x);
    };
    for (const st of statements) walk(st.value);
    return 4 * seen.size;
  };

  const kernels: EventKernel[] = [];

  // 1. Shared states: each state's statements once per key, in place.
  if (Object.keys(a.shared).length > 0) {
    const B = new Binder();
    const lines: string[] = prologue(
      B,
      form.shared.flatMap((x) => x.statements),
    );
    let most = 0;
    let bytes = 0;
    let stored = 0;
    for (const { state, key, statements } of form.shared) {
      const keys = key === 'all' ? 1 : key === 'post' ? post : delayedInput ? slots * pre : pre;
      most = Math.max(most, keys * C);
      bytes += 8 * keys * C;
      stored += 4 * keys * C;
      const sh = B.of(state);
      const loaded = form.halfStates.has(state) ? `q16(${sh}[x])` : `${sh}[x]`;
      const rep = { k: 'rk', i: 'ri', j: 'rj' };
      const v: Vars = { k: 'rk', i: key === 'post' ? 'i' : 'ri', j: key === 'pre' ? 'j' : 'rj' };
      const spike = key === 'pre' && delayedInput ? 'sv' : undefined;
      const el = emitWgslElement(c, {
        ...access(B, v, spike, {}),
        param: (name, extent) => {
          B.of('pk');
          return slotRead(`param:${name}`, extent, rep);
        },
        derived: (id, extent) => {
          B.of('pk');
          return slotRead(`derived:${id}`, extent, rep);
        },
        loadState: (name) => (name === state ? loaded : undefined),
        storeState: (name, value) => (name === state ? `${sh}[x] = ${value};` : undefined),
        statements,
      });
      lines.push(`  if (x < ${keys * C}u) {`);
      lines.push(`    let c = x % ${C}u;`, `    let rk = pk[${repAt}u + c];`);
      lines.push(`    let ri = rk / ${pre}u;`, `    let rj = rk % ${pre}u;`);
      if (key === 'pre' && delayedInput) {
        lines.push(`    let j = (x / ${C}u) % ${pre}u;`, `    let d = x / ${C * pre}u;`);
        lines.push(`    let sv = ${B.of(`${delayedInput}@ring`)}[${ringRow('d')} * ${pre}u + j];`);
        bytes += 4 * slots * pre;
      } else if (key === 'pre') lines.push(`    let j = x / ${C}u;`);
      else if (key === 'post') lines.push(`    let i = x / ${C}u;`);
      lines.push(...block(B, el, '    '), '  }');
    }
    kernels.push({
      name: 'shared',
      code: frame(lines.join('\n'), B, false),
      storage: B.order,
      workgroups: Math.ceil(most / W),
      bytes: { read: bytes - stored, write: stored },
    });
  }

  // 2. Integrators: decay the row sums, add the increments of the arriving events, row by row.
  if (a.integrators.length > 0) {
    const incs = form.integrators;
    const B = new Binder();
    const exprLine = (statements: readonly TStmt[], v: Vars, spike?: string) =>
      emitWgslElement(c, { ...access(B, v, spike, {}), statements });
    const lines: string[] = [
      ...prologue(B, [
        ...incs.flatMap((g) => [...g.factor, ...g.increment]),
        ...(form.rowTerms ?? []).flatMap((t) => t.coefficient),
      ]),
      `  let i = x;`,
      `  if (i >= ${post}u) { return; }`,
    ];
    for (const [n, g] of incs.entries()) {
      lines.push(`  var q${n}: f32;`);
      lines.push(
        ...block(B, exprLine(g.factor, { k: '0u', i: '0u', j: '0u' }), '  ', [
          `q${n} = l_f_${g.name} * ${B.of(g.name)}[i];`,
        ]),
      );
    }
    const addAt = (indent: string, spike: string) =>
      incs.flatMap((g, n) =>
        block(B, exprLine(g.increment, { k: 'k', i: 'i', j: 'j' }, spike), indent, [
          `q${n} = q${n} + l_d_${g.name};`,
        ]),
      );
    let perEvent = 0;
    for (const g of incs) perEvent += synapseReads(g.increment);
    let listWords = 0;
    if (delayedInput) {
      const ring = `${delayedInput}@ring`;
      lines.push(`  for (var d = 0u; d < ${slots}u; d = d + 1u) {`, `    let r = ${ringRow('d')};`);
      const body = [
        `      let k = i * ${pre}u + j;`,
        `      if (${dm(B, 'k')} != d) { continue; }`,
        ...addAt('      ', 'sv'),
      ];
      if (h.listed.has(ring)) {
        const L = B.of(`${ring}#events`);
        const nb = eventBlocks(slots * pre);
        listWords = nb;
        lines.push(
          `    let lo = r * ${pre}u;`,
          `    for (var b = lo / ${W}u; b * ${W}u < lo + ${pre}u; b = b + 1u) {`,
          `     let cnt = ${L}[b];`,
          `     for (var e = 0u; e < cnt; e = e + 1u) {`,
          `      let at = ${L}[${nb}u + b * ${W}u + e];`,
          `      if (at < lo || at >= lo + ${pre}u) { continue; }`,
          `      let j = at - lo;`,
          `      let sv = ${B.of(ring)}[at];`,
          ...body,
          '     }',
          '    }',
        );
      } else {
        lines.push(
          `    for (var j = 0u; j < ${pre}u; j = j + 1u) {`,
          `      let sv = ${B.of(ring)}[r * ${pre}u + j];`,
          '      if (sv == 0.0f) { continue; }',
          ...body,
          '    }',
        );
        listWords = slots * pre;
      }
      lines.push('  }');
    } else {
      const body = [`      let k = i * ${pre}u + j;`, ...addAt('      ', '0.0f')];
      const only = preInputs.length === 1 ? (preInputs[0] as string) : undefined;
      if (only !== undefined && h.listed.has(only)) {
        const L = B.of(`${only}#events`);
        const nb = eventBlocks(pre);
        listWords = nb;
        lines.push(
          `  for (var b = 0u; b < ${nb}u; b = b + 1u) {`,
          `    let cnt = ${L}[b];`,
          `    for (var e = 0u; e < cnt; e = e + 1u) {`,
          `      let j = ${L}[${nb}u + b * ${W}u + e];`,
          ...body,
          '    }',
          '  }',
        );
      } else {
        const spikes = preInputs.map((n) => `${B.load(n, 'j')} != 0.0f`).join(' || ');
        lines.push(`  for (var j = 0u; j < ${pre}u; j = j + 1u) {`, `    if (!(${spikes})) { continue; }`);
        lines.push(...body, '  }');
        listWords = pre;
      }
    }
    for (const [n, g] of incs.entries()) lines.push(`  ${B.of(g.name)}[i] = q${n};`);
    const rows = a.rows;
    if (rows && 'state' in rows) lines.push(`  ${B.of('@rows')}[i] = q${a.integrators.indexOf(rows.state)};`);
    else if (rows) {
      // Σ coefficient·state per row, term by term in the output's order.
      lines.push('  var acc = 0.0f;');
      for (const [n, t] of (form.rowTerms ?? []).entries())
        lines.push(
          ...block(B, exprLine(t.coefficient, { k: '0u', i: '0u', j: '0u' }), '  ', [
            `acc = acc + l_c${n} * q${a.integrators.indexOf(t.state)};`,
          ]),
        );
      lines.push(`  ${B.of('@rows')}[i] = acc;`);
    }
    // Per row: its sums, the list (or the presynaptic values), and per expected event its delay and
    // the increment's per-synapse reads.
    const events = Math.ceil(EXPECTED_ACTIVITY * pre);
    kernels.push({
      name: 'rows',
      code: frame(lines.join('\n'), B, false),
      storage: B.order,
      workgroups: Math.ceil(post / W),
      bytes: {
        read: post * (4 * incs.length + 4 * listWords + events * (perEvent + (delayedInput ? 8 : 0))),
        write: post * 4 * (incs.length + (rows ? 1 : 0)),
      },
    });
  }

  // 3. Event sites: whole rows of spiking post units, whole columns of spiking (direct) pre units,
  //    the synapses whose delayed spike arrives; each once.
  const inPlace = Object.entries(a.inPlace);
  if (inPlace.length > 0) {
    const B = new Binder();
    const keyOfSite = (state: string): string => {
      const key = a.shared[state];
      const cl = cls(B, 'k');
      if (key === 'all') return cl;
      if (key === 'post') return `i * ${C}u + ${cl}`;
      if (delayedInput) return `(${dm(B, 'k')} * ${pre}u + j) * ${C}u + ${cl}`;
      return `j * ${C}u + ${cl}`;
    };
    const statements = form.site ?? [];
    const site = emitWgslElement(c, {
      ...access(B, { k: 'k', i: 'i', j: 'j' }, 'sv', {}),
      statements,
      loadState: (name) => (a.shared[name] !== undefined ? `${B.of(name)}[${keyOfSite(name)}]` : undefined),
      storeOutput: (name, value) => {
        const input = a.inPlace[name];
        return input === undefined ? undefined : `${B.of(input)}[k] = ${value};`;
      },
    });
    const visit = (indent: string): string[] => [
      `${indent}let k = i * ${pre}u + j;`,
      delayedInput
        ? `${indent}let sv = ${B.of(`${delayedInput}@ring`)}[${ringRow(dm(B, 'k'))} * ${pre}u + j];`
        : `${indent}let sv = 0.0f;`,
      ...block(B, site, indent),
    ];
    const any = (inputs: readonly string[], index: string) =>
      inputs.map((n) => `${B.load(n, index)} != 0.0f`).join(' || ') || 'false';
    /**
     * Gathers the events of block `b` of a source of `n` units into `evs` / `evn`: from the list of
     * `only` where the program keeps one, else by testing `flag(e)` for the block's units.
     */
    const gather = (
      b: string,
      n: number,
      only: string | undefined,
      flag: (e: string) => string,
    ): string[] => {
      if (only !== undefined && h.listed.has(only)) {
        const L = B.of(`${only}#events`);
        const nb = eventBlocks(n);
        return [
          `    let cnt0 = ${L}[${b}];`,
          `    if (lid < cnt0) { evs[lid] = ${L}[${nb}u + ${b} * ${W}u + lid]; }`,
          '    if (lid == 0u) { evn = cnt0; }',
          '    workgroupBarrier();',
        ];
      }
      return [
        `    let e0 = ${b} * ${W}u + lid;`,
        '    var f = false;',
        `    if (e0 < ${n}u) { f = ${flag('e0')}; }`,
        '    if (f) { atomicOr(&evm[lid >> 5u], 1u << (lid & 31u)); }',
        '    workgroupBarrier();',
        '    let lo = atomicLoad(&evm[0]);',
        '    let hi = atomicLoad(&evm[1]);',
        '    if (f) {',
        '      var rank = countOneBits(lo & ((1u << lid) - 1u));',
        '      if (lid >= 32u) { rank = countOneBits(lo) + countOneBits(hi & ((1u << (lid - 32u)) - 1u)); }',
        '      evs[rank] = e0;',
        '    }',
        '    if (lid == 0u) { evn = countOneBits(lo) + countOneBits(hi); }',
        '    workgroupBarrier();',
      ];
    };
    const nbPost = postInputs.length > 0 ? eventBlocks(post) : 0;
    const nbPre = preInputs.length > 0 ? eventBlocks(pre) : 0;
    const nbRing = delayedInput ? eventBlocks(slots * pre) : 0;
    const lines: string[] = [...prologue(B, statements), '  let g = wid.x + wid.y * nwg.x;'];
    // Rows of spiking postsynaptic units.
    if (nbPost > 0) {
      lines.push(`  if (g < ${nbPost}u) {`);
      lines.push(
        ...gather(
          'g',
          post,
          postInputs.length === 1 ? postInputs[0] : undefined,
          (e) => `(${any(postInputs, e)})`,
        ),
      );
      lines.push(
        '    for (var e = 0u; e < evn; e = e + 1u) {',
        '      let i = evs[e];',
        `      for (var j = lid; j < ${pre}u; j = j + ${W}u) {`,
        ...visit('        '),
        '      }',
        '    }',
        '    return;',
        '  }',
      );
    }
    // Columns of spiking (direct) presynaptic units, rows already visited skipped.
    if (nbPre > 0) {
      lines.push(`  if (g < ${nbPost + nbPre}u) {`, `    let bq = g - ${nbPost}u;`);
      lines.push(
        ...gather(
          'bq',
          pre,
          preInputs.length === 1 ? preInputs[0] : undefined,
          (e) => `(${any(preInputs, e)})`,
        ),
      );
      lines.push(
        '    for (var e = 0u; e < evn; e = e + 1u) {',
        '      let j = evs[e];',
        `      for (var i = lid; i < ${post}u; i = i + ${W}u) {`,
        `        if (${any(postInputs, 'i')}) { continue; }`,
        ...visit('        '),
        '      }',
        '    }',
        '    return;',
        '  }',
      );
    }
    // Synapses whose delayed spike arrives (the delay's bucket list of the event's delay and pre unit).
    if (delayedInput) {
      const input = delayedInput;
      const ring = `${input}@ring`;
      lines.push(`  if (g < ${nbPost + nbPre + nbRing}u) {`, `    let br = g - ${nbPost + nbPre}u;`);
      lines.push(...gather('br', slots * pre, ring, (e) => `${B.of(ring)}[${e}] != 0.0f`));
      const offsets = (x: string) => `${B.of('pk')}[${offAt}u + ${x}]`;
      lines.push(
        '    for (var e = 0u; e < evn; e = e + 1u) {',
        '      let at = evs[e];',
        `      let j = at % ${pre}u;`,
        `      let d = (w + ${slots}u - at / ${pre}u) % ${slots}u;`,
        ...(preInputs.length > 0 ? [`      if (${any(preInputs, 'j')}) { continue; }`] : []),
        `      let o1 = ${offsets(`d * ${pre}u + j + 1u`)};`,
        `      for (var o = ${offsets(`d * ${pre}u + j`)} + lid; o < o1; o = o + ${W}u) {`,
        `        let i = ${B.of('pk')}[${postsAt}u + o];`,
        `        if (${any(postInputs, 'i')}) { continue; }`,
        ...visit('        '),
        '      }',
        '    }',
        '  }',
      );
    }
    // Sites: a row per expected postsynaptic spike, a column per presynaptic one, the synapses
    // reached by the expected delayed spikes; per site its per-synapse reads and the in-place write.
    const perSite = synapseReads(statements) + (delayedInput ? 8 : 0) + (C > 1 ? 4 : 0);
    const sites =
      Math.ceil(EXPECTED_ACTIVITY * post) * pre +
      (preInputs.length > 0 ? Math.ceil(EXPECTED_ACTIVITY * pre) * post : 0) +
      (delayedInput ? Math.ceil(EXPECTED_ACTIVITY * pre) * post : 0);
    const scanned = 4 * (post + (nbPre > 0 ? pre : 0) + (delayedInput ? slots * pre : 0));
    kernels.push({
      name: 'sites',
      code: frame(lines.join('\n'), B, true),
      storage: B.order,
      workgroups: nbPost + nbPre + nbRing,
      bytes: { read: scanned + sites * perSite, write: sites * 4 * inPlace.length },
    });
  }
  return {
    kernels,
    args: Uint32Array.of(post, pre, slots, C),
    pk: Uint32Array.from(words.length > 0 ? words : [0]),
  };
}
