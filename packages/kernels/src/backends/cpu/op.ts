/**
 * The cpu backend's half of the op registry. A cpu op is an **emitter**: it appends JavaScript source
 * to the program's step (`emit`), which the step compiler (`program.ts`) assembles into one generated
 * run loop — no closure per op is called per step. What an emitter may use is {@link CpuEmitContext}.
 *
 * **Events.** A buffer can carry an event list: the ascending indices of its non-zero elements, kept
 * exact at every op boundary. An emitter asks `ctx.events(slot)` for the list of an input (undefined:
 * read the dense buffer) and, for an output it writes, `ctx.provideEvents(slot)` (undefined: nobody
 * reads a list of it) and then keeps that list exact. A buffer carries a list only when every op that
 * writes it provides one; host writes and `reset` rescan it.
 *
 * @module
 */

import type { DType, TypedArray } from '@spark-snn/core';
import type { HostMemory } from '../../codegen/wasm-memory.ts';
import type { OpKind, ResolvedOpOf } from '../../ops/index.ts';
import type { ResolvedOpBase } from '../../ops/registry.ts';

/** The event list of a buffer, as identifiers of the generated code. */
export interface EventList {
  /** An `Int32Array` (capacity: the buffer's length) of the indices, ascending. */
  readonly idx: string;
  /** An lvalue holding the number of indices (assign it after rewriting `idx`). */
  readonly count: string;
  /**
   * The lists themselves, one per host array of the buffer (see {@link CpuEmitContext.hosts}): the
   * indices and a one-element view of the count, so a WebAssembly kernel writing that array can
   * write its list too (given where both live in the program's memory).
   */
  readonly hosts?: readonly {
    readonly array: TypedArray;
    readonly idx: Int32Array;
    readonly count: Int32Array;
  }[];
}

/** What a cpu op's `emit` works with. Identifiers are valid in the step's code. */
export interface CpuEmitContext {
  /** The op's path in the plan (`ops[i]`), for errors. */
  readonly path: string;
  /** The plan's Philox key. */
  readonly key: readonly [number, number];
  /** The identifier of the global step counter (a u32) in the step's code. */
  readonly step: string;
  /** The typed array bound to `slot`, as an identifier valid in this op's code. */
  array(slot: string): string;
  /**
   * The host arrays that identifier may hold: one, or two when the buffer is double-buffered (then
   * element `parity` of the array is current — see {@link CpuEmitContext.parity}).
   */
  hosts(slot: string): readonly TypedArray[];
  /** The plan dtype of the buffer bound to `slot`. */
  dtype(slot: string): DType;
  /** The identifier of the step's parity (0 or 1): which of two double buffers is current. */
  readonly parity: string;
  /** A constant of the program holding `value` (typed arrays, numbers, functions, objects). */
  constant(hint: string, value: unknown): string;
  /** Appends statements to the step. */
  code(...lines: string[]): void;
  /** Statements run once when the program is created (scratch arrays of the step's code). */
  setup(...lines: string[]): void;
  /**
   * Keeps data the op derived from the contents of some bindings (lookup tables, per-row lists) in
   * step: `rebuild` runs when the program is created and after every host write or reset of any of
   * these buffers.
   */
  watch(slots: readonly string[], rebuild: () => void): void;
  /** A fresh identifier for a local of the step's code. */
  local(hint: string): string;
  /** The event list of the buffer bound to `slot`, when its writers keep one; else undefined. */
  events(slot: string): EventList | undefined;
  /**
   * The event list this op must keep for the buffer bound to `slot` (it writes that buffer), or
   * undefined when no op reads a list of it.
   */
  provideEvents(slot: string): EventList | undefined;
  /** The memory holding every host buffer (WebAssembly kernels run over it), when the program has one. */
  readonly memory: HostMemory | undefined;
  /** Whether fused groups may run as WebAssembly SIMD. */
  readonly simd: boolean;
  /**
   * A dry pass (the program's event analysis): the code is discarded, so an emitter need only ask
   * for and provide event lists — it should not build anything costly (WebAssembly modules).
   */
  readonly dry: boolean;
}

/** The cpu implementation of op kind `K`. */
export interface CpuOp<K extends OpKind = OpKind> {
  readonly op: K;
  readonly backend: 'cpu';
  /**
   * Appends the op's step to the program; an op that runs a generated kernel of its own says whether
   * it runs as JavaScript or WebAssembly (reported with the fused groups).
   */
  emit(r: ResolvedOpOf<K>, ctx: CpuEmitContext): void | 'js' | 'wasm';
  /**
   * Ops of one kind that the step schedule fuses (`OpSpec.fuse`, `ops/schedule.ts`) are emitted
   * together by `emitGroup` (one loop over their shared index space).
   */
  readonly fuse?: {
    /** Emits the group; says whether it runs as a JavaScript loop or a WebAssembly function. */
    emitGroup(rs: readonly ResolvedOpOf<K>[], ctxs: readonly CpuEmitContext[]): 'js' | 'wasm';
  };
}

/** Declares the cpu implementation of op kind `op`. */
export function cpuOp<K extends OpKind>(op: K, impl: Omit<CpuOp<K>, 'op' | 'backend'>): CpuOp<K> {
  return { op, backend: 'cpu', ...impl };
}

/**
 * A generated step whose arrays come with each call — `run(args(get), step)` — so one compiled
 * function serves several sets of arrays (see {@link emitStepKernel}).
 */
export interface StepKernel {
  /** The generated source (for inspection). */
  readonly source?: string;
  run(args: unknown, step: number): void;
  /** The arguments of `run` over the arrays `get` gives (`get(slot)`: the array bound to `slot`). */
  args(get: (slot: string) => TypedArray): unknown;
  /** Whether `run` runs these arguments as JavaScript or WebAssembly (default JavaScript). */
  engine?(args: unknown): 'js' | 'wasm';
  /**
   * What `run(args, step)` calls, where it calls one function: `fn(...lead, step)` (a WebAssembly
   * export and its table). The step then calls `fn` itself — one call target per op, none of the
   * dispatch that `run` shares between ops (which V8 would see as one polymorphic site).
   */
  call?(
    args: unknown,
  ): { readonly fn: (...a: number[]) => void; readonly lead: readonly number[] } | undefined;
}

const KERNELS = new WeakMap<
  ResolvedOpBase,
  { kernel: StepKernel; args: { arrays: readonly TypedArray[]; args: unknown }[] }
>();

/**
 * Emits a call of a step kernel over the op's host arrays — the cpu form of an op whose code is
 * generated on its own (the event-driven ops of `events/`) rather than inlined in the step. The
 * kernel is made once per resolved op (`create`); where a binding is double-buffered it gets one
 * argument record per parity and the step passes the current one, so the op sees the arrays an
 * inlined op would and one compiled function warms up for both.
 */
export function emitStepKernel(
  r: ResolvedOpBase,
  c: CpuEmitContext,
  create: () => StepKernel,
): 'js' | 'wasm' {
  const slots = Object.keys(r.op.bindings);
  let made = KERNELS.get(r);
  if (made === undefined) {
    made = { kernel: create(), args: [] };
    KERNELS.set(r, made);
  }
  const m = made;
  const hitOf = (parity: number) => {
    const arrays = slots.map((slot) => {
      const h = c.hosts(slot);
      return (h[parity] ?? h[0]) as TypedArray;
    });
    let hit = m.args.find((x) => x.arrays.every((a, k) => a === arrays[k]));
    if (hit === undefined) {
      const get = (slot: string): TypedArray => {
        const k = slots.indexOf(slot);
        if (k < 0) throw new Error(`cpu step: ${c.path} has no binding "${slot}"`);
        return arrays[k] as TypedArray;
      };
      hit = { arrays, args: m.kernel.args(get) };
      m.args.push(hit);
    }
    return hit;
  };
  const doubled = slots.some((slot) => c.hosts(slot).length > 1);
  const hits = doubled ? [hitOf(0), hitOf(1)] : [hitOf(0)];
  const calls = hits.flatMap((h) => m.kernel.call?.(h.args) ?? []);
  const pick = (names: readonly string[]) =>
    names.length > 1 ? `(${c.parity} ? ${names[1]} : ${names[0]})` : (names[0] as string);
  const c0 = calls[0];
  if (
    c0 !== undefined &&
    calls.length === hits.length &&
    calls.every((x) => x.fn === c0.fn && x.lead.length === c0.lead.length)
  ) {
    // One function for every parity: its leading arguments per parity.
    const fn = c.constant('kernelFn', c0.fn);
    const lead = c0.lead.map((_, q) => pick(calls.map((x) => c.constant('kernelArg', x.lead[q] as number))));
    c.code(`    ${fn}(${[...lead, c.step].join(', ')});`);
  } else {
    const run = c.constant('kernel', m.kernel.run);
    c.code(`    ${run}(${pick(hits.map((h) => c.constant('kernelArgs', h.args)))}, ${c.step});`);
  }
  const engines = new Set(m.args.map((x) => m.kernel.engine?.(x.args) ?? 'js'));
  return engines.size === 1 && engines.has('wasm') ? 'wasm' : 'js';
}
