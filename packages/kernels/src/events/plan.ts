/**
 * The event-driven form of a plan: a transformation of plan data (no backend involved) that turns
 * every synapse-domain `module` op the event analysis admits into a `module.events` op, and a
 * per-synapse delay whose per-synapse output nobody needs any more into a `delay.ring` push. It is
 * one mechanism for every module, built-in or user-defined; whatever it cannot prove equivalent stays
 * dense, with the reason recorded.
 *
 * A module becomes event-driven when, with the parameters of its instance:
 * - every spike input is either a presynaptic spike behind a `delay.per_synapse` (read through the
 *   delay's ring: events are the presynaptic spikes of step t − d) or a spike vector of the pre or post
 *   units;
 * - every state is **shared** (held or decaying, its update reading only presynaptic, only
 *   postsynaptic or no indexed inputs: one value per (delay, pre unit, class), per (post unit, class)
 *   or per class, where a class is a set of synapses with equal per-synapse parameters of those
 *   updates), or an **integrator** (decaying without base, affine, factor the same for every synapse)
 *   whose only reader is a row sum (`dense.sync` with a vector of ones, which the event op replaces);
 * - every output is a **passthrough** of an input (a weight update) whose only reader is the `copy`
 *   back into that input (Spark's effect), which the event op replaces by updating the input in place
 *   at event sites only — the input's initial contents are clipped into the passthrough's range once,
 *   here — or a linear combination of integrators summed per row.
 *
 * The result also says, per per-synapse buffer of the dense plan that is no longer kept, how to read
 * it ({@link EventView}: gathered from its shared form, or not available with the reason).
 *
 * Shared states may be stored as float16 in the dense plan (a float16 module's traces): their compact
 * buffer is float32 and holds the value of the last update unrounded, the update rounds it to float16
 * when it loads it — the dense plan's arithmetic exactly — and views give it as half bits.
 *
 * @module
 */

import {
  fromFloat16Bits,
  type Plan,
  type PlanBuffer,
  type PlanOp,
  roundToFloat16,
  type TypedArray,
  toFloat16Bits,
} from '@spark-snn/core';
import type { CompiledModule, InstanceData } from '../lang/compile.ts';
import { compileDefinition, instantiate } from '../lang/compile.ts';
import { evalExpr, extentIndex } from '../lang/interpret.ts';
import type { TExpr } from '../lang/ir.ts';
import type { ModuleOpAttrs } from '../ops/module/op.ts';
import { analyzeEvents, type EventAnalysis, type StateKey } from './analysis.ts';
import { leaves } from './quiet.ts';

/** Where the events of a spike input come from. */
export type EventSource =
  /** Per-synapse spikes behind a delay ring: bindings `<input>@ring`, `@delays`, `@offsets`, `@posts`. */
  | { readonly source: 'delayed'; readonly slots: number }
  /** A spike vector of the presynaptic (`pre`) or postsynaptic (`unit`) units, bound as the input. */
  | { readonly source: 'direct'; readonly extent: 'pre' | 'unit' };

/** Attributes of a `module.events` op: those of the `module` op it replaces, and its event form. */
export interface ModuleEventsAttrs extends ModuleOpAttrs {
  /** Postsynaptic units (rows). */
  readonly post: number;
  /** Presynaptic units (columns), `nPre`. */
  readonly pre: number;
  /** Every spike input and its events. */
  readonly events: Readonly<Record<string, EventSource>>;
  /**
   * Shared states and their key; the state's binding holds one value per key and class:
   * `pre` behind a delay `[slots × pre × classes]` (index `(d·pre + j)·classes + c`), `pre` direct
   * `[pre × classes]`, `post` `[post × classes]`, `all` `[classes]`.
   */
  readonly shared: Readonly<Record<string, Exclude<StateKey, 'synapse'>>>;
  /** Parameter classes of the shared states (binding `@classes` [post × pre] when more than one). */
  readonly classes: number;
  /** One synapse of each class (its parameters are the class's). */
  readonly representatives: readonly number[];
  /** Integrator states: their binding holds the row sum `[post]`. */
  readonly integrators: readonly string[];
  /** What binding `@rows` receives every step: the row sum of an integrator state or of a linear output. */
  readonly rows?: { readonly state: string } | { readonly output: string };
  /** Passthrough outputs updated in place in their input (output → input name). */
  readonly inPlace: Readonly<Record<string, string>>;
}

/** Attributes of a `delay.ring` op: the push half of `delay.per_synapse` (bindings `input`, `ring`). */
export interface DelayRingAttrs {
  readonly pre: number;
  readonly slots: number;
}

/** How to read a per-synapse buffer of the dense plan that the event plan does not keep. */
export type EventView =
  | {
      readonly kind: 'shared';
      /** The compact buffer. */
      readonly buffer: string;
      readonly key: Exclude<StateKey, 'synapse'>;
      readonly post: number;
      readonly pre: number;
      /** Ring slots and delays buffer (key `pre` behind a delay). */
      readonly slots?: number;
      readonly delays?: string;
      readonly classes: number;
      /** Class of every synapse (classes > 1). */
      readonly classOf?: string;
      /**
       * `float16` when the dense plan stores the state as float16: the view then gives half bits
       * (the dense buffer's contents), the compact values rounded to float16.
       */
      readonly storage?: 'float16';
    }
  | {
      readonly kind: 'unavailable';
      readonly reason: string;
      /** For an integrator: the buffer holding its sum per postsynaptic unit. */
      readonly summedIn?: string;
    };

/** A module turned event-driven. */
export interface EventModule {
  /** Name of the `module` op (now a `module.events` op of the same name). */
  readonly op: string;
  readonly shared: readonly string[];
  readonly integrators: readonly string[];
  readonly inPlace: readonly string[];
}

/** What {@link eventPlan} returns. */
export interface EventPlan {
  readonly plan: Plan;
  readonly modules: readonly EventModule[];
  /** Synapse-domain modules left dense, and why. */
  readonly dense: readonly { readonly op: string; readonly reason: string }[];
  /** Per-synapse buffers of the dense plan no longer updated, by name. */
  readonly views: ReadonlyMap<string, EventView>;
}

/** Options of {@link eventPlan}. */
export interface EventPlanOptions {
  /** Buffers that must stay dense and current every step (recorded or read ones). */
  readonly keep?: ReadonlySet<string>;
  /** Op names (`module` ops) that must stay dense. */
  readonly denseOps?: ReadonlySet<string>;
}

class Refusal extends Error {}
function refuse(reason: string): never {
  throw new Refusal(reason);
}

/** Module ops' port kinds, by binding slot. */
function slotsOf(c: CompiledModule): Map<string, 'state' | 'input' | 'output'> {
  const m = new Map<string, 'state' | 'input' | 'output'>();
  for (const s of c.def.state) m.set(s.name, 'state');
  for (const p of c.def.inputs) m.set(p.name, 'input');
  for (const o of c.def.outputs) m.set(o.name, 'output');
  return m;
}

function asArray(v: TypedArray | number | undefined, n: number): ArrayLike<number> {
  if (v === undefined) return new Float64Array(n);
  if (typeof v === 'number') return new Float64Array(n).fill(v);
  return v;
}

/** The bucket lists of a delay: for (d mod slots, pre j) the post units i with that delay, ascending. */
function buckets(
  delays: ArrayLike<number>,
  post: number,
  pre: number,
  slots: number,
): { offsets: Int32Array; posts: Int32Array } {
  const n = post * pre;
  const bucket = new Int32Array(n);
  const offsets = new Int32Array(slots * pre + 1);
  for (let i = 0, k = 0; i < post; i++)
    for (let j = 0; j < pre; j++, k++) {
      const d = (delays[k] as number) >>> 0;
      const b = (d < slots ? d : d % slots) * pre + j;
      bucket[k] = b;
      offsets[b + 1] = (offsets[b + 1] as number) + 1;
    }
  for (let b = 0; b < slots * pre; b++) offsets[b + 1] = (offsets[b + 1] as number) + (offsets[b] as number);
  const fill = offsets.slice(0, slots * pre);
  const posts = new Int32Array(n);
  for (let i = 0, k = 0; i < post; i++)
    for (let j = 0; j < pre; j++, k++) {
      const b = bucket[k] as number;
      posts[fill[b] as number] = i;
      fill[b] = (fill[b] as number) + 1;
    }
  return { offsets, posts };
}

/** Where a shared state keeps the value of synapse k: its key (and class). */
interface KeyOf {
  readonly key: Exclude<StateKey, 'synapse'>;
  readonly post: number;
  readonly pre: number;
  readonly classes: number;
  readonly classOf: Int32Array;
  /** The synapses' delays and the ring's slots (a state keyed by delayed presynaptic unit). */
  readonly delays?: ArrayLike<number>;
  readonly slots?: number;
}

// The loops over every synapse at load are functions of their own: V8 optimises (on the stack) the
// function that holds a hot loop, and these are small — the plan's builder is not (compiling it took
// 110–140 ms of a background thread's CPU, after the load it served).

/**
 * The compact buffer of a shared state from its per-synapse initial values (`round`ed as stored), or
 * undefined where two synapses of one key start with different values.
 */
function compactState(
  init: ArrayLike<number>,
  round: (x: number) => number,
  size: number,
  at: KeyOf,
): Float32Array | undefined {
  const { key, post, pre, classes, classOf, delays, slots = 1 } = at;
  const values = new Float32Array(size);
  const set = new Uint8Array(size);
  for (let i = 0, k = 0; i < post; i++)
    for (let j = 0; j < pre; j++, k++) {
      const cls = classOf[k] as number;
      const x =
        key === 'all'
          ? cls
          : key === 'post'
            ? i * classes + cls
            : delays !== undefined
              ? ((((delays[k] as number) >>> 0) % slots) * pre + j) * classes + cls
              : j * classes + cls;
      const v = round(init[k] as number);
      if (set[x] === 1 && !Object.is(values[x], v)) return undefined;
      values[x] = v;
      set[x] = 1;
    }
  return values;
}

/** Each postsynaptic unit's sum of a per-synapse initial state, in float32 as the dense row sum adds. */
function rowSums(init: ArrayLike<number> | number | undefined, post: number, pre: number): Float32Array {
  const sums = new Float32Array(post);
  for (let i = 0; i < post; i++) {
    let s = 0;
    for (let j = 0; j < pre; j++)
      s = Math.fround(
        s + (typeof init === 'number' ? init : ((init?.[i * pre + j] as number | undefined) ?? 0)),
      );
    sums[i] = s;
  }
  return sums;
}

/** Parameters of an instance that are 0 for every element (the analysis reads them as 0). */
export function zeroParamsOf(c: CompiledModule, inst: InstanceData): string[] {
  return c.def.params
    .filter((p) =>
      p.extent === 'scalar' ? inst.scalarParams.get(p.name) === 0 : inst.uniform.get(`param:${p.name}`) === 0,
    )
    .map((p) => p.name);
}

/** Value of a per-element slot (`param:NAME` / `derived:ID`) of an instance at element `k`. */
function slotValue(inst: InstanceData, c: CompiledModule, slot: string, k: number): number {
  const [kind, name] = slot.split(':') as [string, string];
  const u = inst.uniform.get(slot);
  if (u !== undefined) return u;
  if (kind === 'param') {
    const p = c.def.params.find((x) => x.name === name);
    const a = inst.arrayParams.get(name) as Float64Array;
    return a[extentIndex(p?.extent ?? 'synapse', k, inst.nPre)] as number;
  }
  const d = c.derived[Number(name)];
  const a = inst.derived[Number(name)] as Float64Array;
  return a[extentIndex(d?.extent ?? 'synapse', k, inst.nPre)] as number;
}

/** True when every leaf of `e` is the same for every element of the instance. */
function uniformOver(e: TExpr, inst: InstanceData): boolean {
  return leaves(e).every((l) => {
    if (l.k === 'param') return l.extent === 'scalar' || inst.uniform.has(`param:${l.name}`);
    if (l.k === 'derived') return l.extent === 'scalar' || inst.uniform.has(`derived:${l.id}`);
    return l.k === 'const' || l.k === 'dt';
  });
}

/** Turns the admissible synapse-domain modules of `plan` event-driven (see the module comment). */
export function eventPlan(plan: Plan, options: EventPlanOptions = {}): EventPlan {
  const keep = options.keep ?? new Set<string>();
  const buffers = new Map(plan.buffers.map((b) => [b.name, b]));
  // Readers of every buffer (ops binding it where they read it).
  const readers = new Map<string, PlanOp[]>();
  const compiledOf = new Map<PlanOp, CompiledModule>();
  const addReader = (b: string, op: PlanOp) => {
    const list = readers.get(b) ?? [];
    list.push(op);
    readers.set(b, list);
  };
  for (const op of plan.ops) {
    if (op.op === 'module') {
      const c = compileDefinition((op.attrs as unknown as ModuleOpAttrs).definition);
      compiledOf.set(op, c);
      const kinds = slotsOf(c);
      for (const [slot, b] of Object.entries(op.bindings)) if (kinds.get(slot) !== 'output') addReader(b, op);
    } else {
      const writes = new Set(['out', 'dst', 'ring', 'indices', 'count', 'history']);
      for (const [slot, b] of Object.entries(op.bindings)) if (!writes.has(slot)) addReader(b, op);
    }
  }
  const delayOf = new Map<string, PlanOp>();
  for (const op of plan.ops) if (op.op === 'delay.per_synapse') delayOf.set(op.bindings.out as string, op);

  const replaced = new Map<PlanOp, PlanOp | null>();
  const newBuffers: PlanBuffer[] = [];
  const initOverride = new Map<string, NonNullable<PlanBuffer['init']>>();
  const modules: EventModule[] = [];
  const dense: { op: string; reason: string }[] = [];
  const views = new Map<string, EventView>();
  const ringReaders = new Map<PlanOp, number>(); // delay op → event ops reading its ring
  const bucketsOf = new Map<PlanOp, PlanBuffer[]>(); // delay op → its bucket lists
  const newBucketBuffers = new Set<PlanOp>(); // delays whose bucket lists an event op binds

  for (const op of plan.ops) {
    if (op.op !== 'module') continue;
    const c = compiledOf.get(op) as CompiledModule;
    // Synapse-domain modules driven by spikes (a place-cell encoder is synapse-domain without any).
    if (c.def.domain !== 'synapse' || !c.def.inputs.some((p) => p.payload === 'SpikeArray')) continue;
    try {
      if (options.denseOps?.has(op.name)) refuse('kept dense on request');
      const built = eventModule(op, c);
      replaced.set(op, built.op);
      for (const r of built.removes) replaced.set(r, null);
      newBuffers.push(...built.buffers);
      for (const [b, init] of built.inits) initOverride.set(b, init);
      for (const [b, v] of built.views) views.set(b, v);
      for (const d of built.delays) ringReaders.set(d, (ringReaders.get(d) ?? 0) + 1);
      modules.push(built.info);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      dense.push({ op: op.name, reason: e.message });
    }
  }

  // A delay whose per-synapse output no op reads any more only pushes its ring.
  for (const [d] of ringReaders) {
    const out = d.bindings.out as string;
    const left = (readers.get(out) ?? []).filter((r) => !replaced.has(r));
    if (left.length > 0 || keep.has(out)) continue;
    const a = d.attrs as { pre: number; slots: number };
    replaced.set(d, {
      op: 'delay.ring',
      name: d.name,
      bindings: { input: d.bindings.input as string, ring: d.bindings.ring as string },
      attrs: { pre: a.pre, slots: a.slots },
    });
    views.set(out, {
      kind: 'unavailable',
      reason: 'the event-driven form reads the delay ring directly (no per-synapse spikes are written)',
    });
  }

  const ops: PlanOp[] = [];
  for (const op of plan.ops) {
    if (!replaced.has(op)) ops.push(op);
    else {
      const r = replaced.get(op);
      if (r) ops.push(r);
    }
  }
  const used = new Set(ops.flatMap((o) => Object.values(o.bindings)));
  for (const d of newBucketBuffers) newBuffers.push(...(bucketsOf.get(d) ?? []));
  const planBuffers = [...plan.buffers, ...newBuffers]
    .filter((b) => used.has(b.name) || keep.has(b.name) || !views.has(b.name))
    .map((b): PlanBuffer => {
      const init = initOverride.get(b.name);
      return init === undefined ? b : { ...b, init };
    });
  return { plan: { ...plan, buffers: planBuffers, ops }, modules, dense, views };

  /** The event form of one module op, or a Refusal. */
  function eventModule(op: PlanOp, c: CompiledModule) {
    const attrs = op.attrs as unknown as ModuleOpAttrs;
    const nPre = attrs.nPre ?? 1;
    const post = attrs.size / nPre;
    const inst = instantiate(c, {
      size: attrs.size,
      nPre,
      dt: plan.dt,
      ...(attrs.params ? { params: attrs.params } : {}),
    });
    const analysis: EventAnalysis = analyzeEvents(
      { ...c.def, body: c.body },
      { zeroParams: zeroParamsOf(c, inst) },
    );
    const storageOf = (state: string) => c.def.state.find((s) => s.name === state)?.storage ?? 'float32';
    const removes: PlanOp[] = [];
    const buffersOut: PlanBuffer[] = [];
    const inits = new Map<string, NonNullable<PlanBuffer['init']>>();
    const viewsOut = new Map<string, EventView>();
    const bindings: Record<string, string> = {};
    const onlyReaders = (b: string, allowed: readonly PlanOp[], what: string) => {
      if (keep.has(b)) refuse(`${what} is recorded or read`);
      const others = (readers.get(b) ?? []).filter((r) => !allowed.includes(r));
      if (others.length > 0) refuse(`${what} is read by ${others.map((o) => o.name).join(', ')}`);
    };

    // Spike inputs and their events.
    const events: Record<string, EventSource> = {};
    const delays: PlanOp[] = [];
    let delayed: { input: string; d: PlanOp; slots: number } | undefined;
    for (const p of c.def.inputs) {
      const b = op.bindings[p.name] as string;
      if (p.payload !== 'SpikeArray') {
        bindings[p.name] = b;
        continue;
      }
      if (p.extent === 'synapse') {
        const d = delayOf.get(b);
        if (!d) refuse(`per-synapse spike input "${p.name}" does not come from a delay.per_synapse`);
        const da = d.attrs as { post: number; pre: number; slots: number };
        if (da.post !== post || da.pre !== nPre) refuse(`delay ${d.name} has another shape`);
        if (delayed) refuse('more than one per-synapse spike input');
        // One bucket list per delay, shared by the modules it feeds.
        const prefix = `${d.name}@buckets`;
        if (!bucketsOf.has(d)) {
          const delaysBuffer = buffers.get(d.bindings.delays as string);
          const { offsets, posts } = buckets(asArray(delaysBuffer?.init, post * nPre), post, nPre, da.slots);
          bucketsOf.set(d, [
            { name: `${prefix}.offsets`, dtype: 'int32', shape: [offsets.length], init: offsets },
            { name: `${prefix}.posts`, dtype: 'int32', shape: [posts.length], init: posts },
          ]);
        }
        newBucketBuffers.add(d);
        bindings[`${p.name}@ring`] = d.bindings.ring as string;
        bindings[`${p.name}@delays`] = d.bindings.delays as string;
        bindings[`${p.name}@offsets`] = `${prefix}.offsets`;
        bindings[`${p.name}@posts`] = `${prefix}.posts`;
        events[p.name] = { source: 'delayed', slots: da.slots };
        delayed = { input: p.name, d, slots: da.slots };
        delays.push(d);
      } else if (p.extent === 'pre' || p.extent === 'unit') {
        bindings[p.name] = b;
        events[p.name] = { source: 'direct', extent: p.extent };
      } else refuse(`spike input "${p.name}" is one value for every synapse`);
    }

    // The row sum that reads a state or an output, when there is one.
    const rowSumOf = (b: string): PlanOp | undefined => {
      const rs = (readers.get(b) ?? []).filter(
        (r) => r.op === 'dense.sync' && r.bindings.weights === b && r.attrs?.accumulate !== true,
      );
      const r = rs[0];
      if (!r) return undefined;
      const ones = buffers.get(r.bindings.spikes as string);
      const init = ones?.init;
      const allOnes =
        init === 1 ||
        (init !== undefined &&
          typeof init !== 'number' &&
          Array.prototype.every.call(init, (x: number) => x === 1));
      return allOnes ? r : undefined;
    };

    // States. A linear output summed per row makes its states candidates for integrators.
    const shared: Record<string, Exclude<StateKey, 'synapse'>> = {};
    const integrators: string[] = [];
    let rows: ModuleEventsAttrs['rows'];
    let rowSum: PlanOp | undefined;
    const inSummedOutput = new Set(
      analysis.outputs
        .filter((o) => o.linear && rowSumOf(op.bindings[o.name] as string))
        .flatMap((o) => (o.linear ?? []).map((t) => t.state)),
    );
    for (const s of analysis.states) {
      const b = op.bindings[s.name] as string;
      const decays = s.quiet.kind === 'hold' || s.quiet.kind === 'decay';
      if (decays && s.key !== 'synapse') {
        for (const sp of s.reads.spikes) {
          const ev = events[sp.name];
          if (s.key === 'pre' && ev?.source === 'direct' && ev.extent !== 'pre')
            refuse(`state "${s.name}" mixes spike sources`);
        }
        onlyReaders(b, [op], `state "${s.name}"`);
        shared[s.name] = s.key;
        continue;
      }
      const summed = rowSumOf(b);
      if (
        s.quiet.kind === 'decay' &&
        s.quiet.base === undefined &&
        s.increment !== undefined &&
        uniformOver(s.quiet.factor, inst) &&
        (summed || inSummedOutput.has(s.name))
      ) {
        onlyReaders(b, summed ? [op, summed] : [op], `state "${s.name}"`);
        // The dense row sum adds the stored (rounded) values; the kept one would add unrounded ones.
        if (storageOf(s.name) !== 'float32')
          refuse(`state "${s.name}" is summed per row but stored as ${storageOf(s.name)}`);
        integrators.push(s.name);
        if (summed) {
          rows = { state: s.name };
          rowSum = summed;
        }
        continue;
      }
      refuse(
        s.quiet.kind === 'dense'
          ? s.quiet.reason
          : `state "${s.name}" is per synapse and not summed per row by its only reader`,
      );
    }

    // Outputs.
    const inPlace: Record<string, string> = {};
    for (const o of analysis.outputs) {
      const b = op.bindings[o.name] as string;
      if (o.quiet.kind === 'passthrough') {
        const input = op.bindings[o.quiet.input] as string;
        const copies = (readers.get(b) ?? []).filter(
          (r) => r.op === 'copy' && r.bindings.src === b && r.bindings.dst === input,
        );
        const copy = copies[0];
        if (!copy) refuse(`output "${o.name}" is not copied back into "${o.quiet.input}"`);
        onlyReaders(b, [copy], `output "${o.name}"`);
        inPlace[o.name] = o.quiet.input;
        removes.push(copy);
        // Weights inside the clip range (−0 read as +0): outside events the dense update is then
        // the identity, so updating event sites only is exact.
        const wb = buffers.get(input);
        if (wb?.dtype !== 'float32') refuse(`input "${o.quiet.input}" is not stored as float32`);
        const init = asArray(wb.init, attrs.size);
        const w = init instanceof Float32Array ? init.slice() : Float32Array.from(init);
        clipIntoRange(w, o.quiet, c, inst, plan.dt);
        inits.set(input, w);
        viewsOut.set(b, { kind: 'unavailable', reason: `updated in place in "${input}"` });
        continue;
      }
      const summed = rowSumOf(b);
      if (o.linear && summed && o.linear.every((t) => integrators.includes(t.state))) {
        onlyReaders(b, [summed], `output "${o.name}"`);
        const storage = c.def.outputs.find((x) => x.name === o.name)?.storage ?? 'float32';
        if (storage !== 'float32') refuse(`output "${o.name}" is summed per row but stored as ${storage}`);
        rows = { output: o.name };
        rowSum = summed;
        continue;
      }
      refuse(o.quiet.kind === 'dense' ? `output "${o.name}": ${o.quiet.reason}` : `output "${o.name}"`);
    }
    if (integrators.length > 0 && !rowSum) refuse('integrator states without a row sum');
    // Event sites run the whole element; a per-synapse integrator is not there to run it on.
    if (integrators.length > 0 && Object.keys(inPlace).length > 0)
      refuse('integrator states and in-place outputs in one module');
    if (rowSum) {
      removes.push(rowSum);
      bindings['@rows'] = rowSum.bindings.out as string;
    }

    // Parameter classes of the shared states and their compact buffers.
    const classSlots = [
      ...new Set(
        analysis.states
          .filter((s) => shared[s.name] !== undefined)
          .flatMap((s) => s.reads.params.map((p) => p.name))
          .filter((slot) => !inst.uniform.has(slot)),
      ),
    ];
    const classOf = new Int32Array(attrs.size);
    const representatives: number[] = [];
    if (classSlots.length > 0) {
      const ids = new Map<string, number>();
      for (let k = 0; k < attrs.size; k++) {
        const key = classSlots.map((sl) => slotValue(inst, c, sl, k)).join(',');
        let id = ids.get(key);
        if (id === undefined) {
          id = ids.size;
          ids.set(key, id);
          representatives.push(k);
        }
        classOf[k] = id;
      }
    } else representatives.push(0);
    const classes = representatives.length;
    if (classes > 1) {
      const name = `${op.name}@events.classes`;
      buffersOut.push({ name, dtype: 'int32', shape: [attrs.size], init: classOf });
      bindings['@classes'] = name;
    }
    const delaysInit = delayed
      ? asArray(buffers.get(delayed.d.bindings.delays as string)?.init, attrs.size)
      : undefined;
    const keyCount = (key: Exclude<StateKey, 'synapse'>): number =>
      key === 'all' ? 1 : key === 'post' ? post : delayed ? delayed.slots * nPre : nPre;
    for (const [name, key] of Object.entries(shared)) {
      const size = keyCount(key) * classes;
      // A float16 state: the compact buffer is float32 and holds the value its update computed (what
      // the dense element's later statements read); the update rounds it to float16 when it loads it
      // (what the dense buffer holds), and views round it. Initial values are the dense buffer's.
      const storage = storageOf(name);
      if (storage !== 'float32' && storage !== 'float16')
        refuse(`state "${name}" is stored as ${storage}, not as float32 or float16`);
      const round = storage === 'float16' ? roundToFloat16 : Math.fround;
      const init = inst.initialState.get(name);
      let compact: Float32Array | number | undefined;
      if (typeof init === 'number') compact = round(init);
      else if (init !== undefined) {
        compact = compactState(init, round, size, {
          key,
          post,
          pre: nPre,
          classes,
          classOf,
          ...(delayed && delaysInit ? { delays: delaysInit, slots: delayed.slots } : {}),
        });
        if (compact === undefined) refuse(`state "${name}" starts with different values in one key`);
      }
      const sb = `${op.name}@events.${name}`;
      buffersOut.push({
        name: sb,
        dtype: 'float32',
        shape: [size],
        ...(compact !== undefined && compact !== 0 ? { init: compact } : {}),
      });
      bindings[name] = sb;
      viewsOut.set(op.bindings[name] as string, {
        kind: 'shared',
        buffer: sb,
        key,
        post,
        pre: nPre,
        classes,
        ...(key === 'pre' && delayed
          ? { slots: delayed.slots, delays: delayed.d.bindings.delays as string }
          : {}),
        ...(classes > 1 ? { classOf: `${op.name}@events.classes` } : {}),
        ...(storage === 'float16' ? { storage } : {}),
      });
    }
    for (const name of integrators) {
      const sums = rowSums(inst.initialState.get(name), post, nPre);
      const sb = `${op.name}@events.${name}`;
      buffersOut.push({ name: sb, dtype: 'float32', shape: [post], init: sums });
      bindings[name] = sb;
      viewsOut.set(op.bindings[name] as string, {
        kind: 'unavailable',
        reason: 'the event-driven form keeps only its sum per postsynaptic unit',
        summedIn: sb,
      });
    }

    const eventAttrs: ModuleEventsAttrs = {
      ...attrs,
      post,
      pre: nPre,
      events,
      shared,
      classes,
      representatives,
      integrators,
      ...(rows ? { rows } : {}),
      inPlace,
    };
    return {
      op: {
        op: 'module.events',
        name: op.name,
        bindings,
        attrs: eventAttrs as unknown as Record<string, unknown>,
      } satisfies PlanOp,
      removes,
      buffers: buffersOut,
      inits,
      views: viewsOut,
      delays,
      info: {
        op: op.name,
        shared: Object.keys(shared),
        integrators,
        inPlace: Object.keys(inPlace),
      } satisfies EventModule,
    };
  }
}

/**
 * Clips weights into a passthrough output's range in place, as the dense update would at its next
 * step (bounds read as float32, −0 made +0). The event form keeps weights in range this way when they
 * are loaded or written, so that its in-place updates at event sites equal the dense update.
 */
export function clipIntoRange(
  w: Float32Array,
  range: { readonly lo?: TExpr; readonly hi?: TExpr },
  c: CompiledModule,
  inst: InstanceData,
  dt: number,
): void {
  // Parameters and hoisted constants as evalExpr reads them; uniform ones as one number (their
  // arrays are never filled).
  const params = Object.fromEntries(
    c.def.params.map((p) => [
      p.name,
      p.extent === 'scalar'
        ? (inst.scalarParams.get(p.name) as number)
        : (inst.uniform.get(`param:${p.name}`) ?? (inst.arrayParams.get(p.name) as Float64Array)),
    ]),
  );
  const derived = c.derived.map((d) =>
    d.extent === 'scalar'
      ? (inst.derived[d.id] as number)
      : (inst.uniform.get(`derived:${d.id}`) ?? (inst.derived[d.id] as Float64Array)),
  );
  const bounds = (e: TExpr | undefined): ((k: number) => number) | undefined => {
    if (e === undefined) return undefined;
    const at = (k: number) => Math.fround(evalExpr(e, { i: k, nPre: inst.nPre, dt, params, derived }));
    if (!uniformOver(e, inst)) return at;
    const one = at(0);
    return () => one;
  };
  const lo = bounds(range.lo);
  const hi = bounds(range.hi);
  // Bounds the same everywhere (one number each) in one pass without calls.
  const uniform = (e: TExpr | undefined, f: ((k: number) => number) | undefined, none: number) =>
    e === undefined ? none : uniformOver(e, inst) ? (f as (k: number) => number)(0) : undefined;
  const l = uniform(range.lo, lo, -Infinity);
  const h = uniform(range.hi, hi, Infinity);
  if (l !== undefined && h !== undefined) {
    for (let k = 0; k < w.length; k++) {
      const x = Math.min(Math.max(w[k] as number, l), h);
      w[k] = x === 0 ? 0 : x;
    }
    return;
  }
  for (let k = 0; k < w.length; k++) {
    let x = w[k] as number;
    if (lo !== undefined) x = Math.max(x, lo(k));
    if (hi !== undefined) x = Math.min(x, hi(k));
    w[k] = x === 0 ? 0 : x;
  }
}

/**
 * Clips `data` (the new contents of `input` of a `module.events` op) into the range of the op's
 * passthrough output that updates it in place; returns false when no output updates that input.
 */
export function clipEventInput(op: PlanOp, input: string, data: Float32Array, dt: number): boolean {
  const a = op.attrs as unknown as ModuleEventsAttrs;
  const out = Object.entries(a.inPlace).find(([, i]) => i === input)?.[0];
  if (out === undefined) return false;
  const c = compileDefinition(a.definition);
  const inst = instantiate(c, {
    size: a.size,
    dt,
    ...(a.nPre !== undefined ? { nPre: a.nPre } : {}),
    ...(a.params ? { params: a.params } : {}),
  });
  const analysis = analyzeEvents({ ...c.def, body: c.body }, { zeroParams: zeroParamsOf(c, inst) });
  const q = analysis.outputs.find((o) => o.name === out)?.quiet;
  if (q?.kind !== 'passthrough') return false;
  clipIntoRange(data, q, c, inst, dt);
  return true;
}

/**
 * The per-synapse contents of a buffer the event plan keeps in shared form (`read` reads plan
 * buffers), as the dense buffer holds them: float32 values, or half bits for a float16 state.
 */
export function readView(
  view: EventView,
  read: (buffer: string) => ArrayLike<number>,
): Float32Array | Uint16Array {
  if (view.kind === 'unavailable') throw new Error(view.reason);
  const values = read(view.buffer);
  const delays = view.delays ? read(view.delays) : undefined;
  const classOf = view.classOf ? read(view.classOf) : undefined;
  const n = view.post * view.pre;
  if (view.storage === 'float16') {
    const half = new Uint16Array(n);
    for (let k = 0; k < n; k++)
      half[k] = toFloat16Bits(values[viewIndex(view, k, delays, classOf)] as number);
    return half;
  }
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) out[k] = values[viewIndex(view, k, delays, classOf)] as number;
  return out;
}

/**
 * The compact contents that give `data` (as {@link readView} gives it: half bits for a float16
 * state) as the per-synapse view, or undefined when `data` is not of that shape (two synapses of one
 * key with different values).
 */
export function writeView(
  view: Extract<EventView, { kind: 'shared' }>,
  data: ArrayLike<number>,
  read: (buffer: string) => ArrayLike<number>,
  size: number,
): Float32Array | undefined {
  const delays = view.delays ? read(view.delays) : undefined;
  const classOf = view.classOf ? read(view.classOf) : undefined;
  const out = new Float32Array(size);
  const set = new Uint8Array(size);
  const half = view.storage === 'float16';
  for (let k = 0; k < view.post * view.pre; k++) {
    const at = viewIndex(view, k, delays, classOf);
    const v = half ? fromFloat16Bits(data[k] as number) : Math.fround(data[k] as number);
    if (set[at] && !Object.is(out[at], v)) return undefined;
    out[at] = v;
    set[at] = 1;
  }
  return out;
}

function viewIndex(
  view: Extract<EventView, { kind: 'shared' }>,
  k: number,
  delays: ArrayLike<number> | undefined,
  classOf: ArrayLike<number> | undefined,
): number {
  const i = Math.floor(k / view.pre);
  const j = k % view.pre;
  const c = classOf ? (classOf[k] as number) : 0;
  if (view.key === 'all') return c;
  if (view.key === 'post') return i * view.classes + c;
  if (delays && view.slots) {
    const dm = ((delays[k] as number) >>> 0) % view.slots;
    return (dm * view.pre + j) * view.classes + c;
  }
  return j * view.classes + c;
}

/** The op kinds of the event-driven form (a backend runs it when it implements both). */
export const EVENT_OP_KINDS = ['module.events', 'delay.ring'] as const;
