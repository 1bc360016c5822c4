/**
 * The cpu step compiler: a resolved plan becomes one generated **run loop** — per step, the input
 * stream rows in, every op's emitted source, the recorded rows out — compiled once per structure
 * (the source names buffers by index and holds no value or size, so equal structures share one
 * compiled function) and called once per chunk of steps. No closure per op is called per step and the
 * step allocates nothing.
 *
 * Before emitting, it works on the plan's structure:
 * - **fusion** (the schedule shared with the webgpu backend, `ops/schedule.ts`): ops that declare
 *   equal fusion keys (module ops over one index space) are brought next to each other where the
 *   dependency analysis allows and emitted as one group (one loop);
 * - **double buffers** (`ops/schedule.ts`): a copy `dst = src` whose source is fully rewritten every
 *   step by one earlier op (and read by no op before that writer) becomes a swap of two arrays at the
 *   end of the step; both names hold the copied value after every step, as the plan says;
 * - **events**: which buffers carry an event list (every writer keeps one) and which lists some op
 *   reads (see `op.ts`), by iterating the emitters' answers to a fixed point.
 *
 * @module
 */

import type { DType, TypedArray } from '@spark-snn/core';
import { RUNTIME, RUNTIME_NAMES } from '../../codegen/js.ts';
import type { HostMemory } from '../../codegen/wasm-memory.ts';
import type { ResolvedOp } from '../../ops/index.ts';
import { type AccessMap, accessMaps, findSwaps, scheduleOps } from '../../ops/schedule.ts';
import type { ResolvedPlan } from '../../plan.ts';
import type { CpuEmitContext, CpuOp, EventList } from './op.ts';
import { CPU_OPS } from './ops.ts';

/** A double-buffered pair: `dst = src` by a swap of two arrays at the end of every step. */
export interface SwapPair {
  readonly src: string;
  readonly dst: string;
  /** The two arrays: `arrays[parity]` is current (both names' value after a step). */
  readonly arrays: readonly [TypedArray, TypedArray];
}

/** The event list of a buffer, host side (for rescans after host writes). */
export interface HostEvents {
  readonly buffer: string;
  /** One list per array of the buffer (two for a double-buffered buffer), with its count slot. */
  readonly lists: readonly { readonly array: TypedArray; readonly idx: Int32Array; readonly count: number }[];
}

/** A compiled cpu program: the run loop and what the host side keeps in step with it. */
export interface CompiledStep {
  /** The step's source (for inspection and tests). */
  readonly source: string;
  /** Executes `count` steps (see `HostProgram.runChunk`). */
  run(
    step: number,
    count: number,
    done: number,
    streams: readonly { readonly name: string; readonly data: TypedArray }[],
    records: readonly { readonly name: string; readonly out: TypedArray }[],
  ): void;
  /** Double-buffered pairs. */
  readonly swaps: readonly SwapPair[];
  /** The current parity (0 or 1) of the double buffers. */
  parity(): number;
  /** Buffers with event lists. */
  readonly events: readonly HostEvents[];
  /** The event count slots (`count` of {@link HostEvents}). */
  readonly eventCounts: Int32Array;
  /** Items emitted per step (ops, with each fused group counted once). */
  readonly itemsPerStep: number;
  /** How each fused group runs (`js` or `wasm`), for reports and tests. */
  /** How each fused group and each op with a kernel of its own (`module.events`) runs. */
  readonly groups: readonly { readonly ops: readonly string[]; readonly engine: 'js' | 'wasm' }[];
  /** Derived data to rebuild when the host writes these buffers (see `CpuEmitContext.watch`). */
  readonly watchers: readonly { readonly buffers: readonly string[]; readonly rebuild: () => void }[];
}

/** Options of {@link compileStep}. */
export interface CompileStepOptions {
  readonly memory: HostMemory | undefined;
  readonly simd: boolean;
}

/** Compiled run loops by source, shared by programs of the same structure. */
const FACTORIES = new Map<string, Factory>();

type Factory = (
  C: readonly unknown[],
  EVN: Int32Array,
  st: { p: number },
  rt: typeof RUNTIME,
) => (steps: number, t0: number, done: number, S: readonly TypedArray[], R: readonly TypedArray[]) => void;

/**
 * Compiles a resolved plan over its host buffers (`host`: name → storage; a swapped pair's second
 * array is allocated with `alloc`).
 */
export function compileStep(
  r: ResolvedPlan,
  host: ReadonlyMap<string, TypedArray>,
  alloc: (dtype: DType, n: number) => TypedArray,
  o: CompileStepOptions,
): CompiledStep {
  void alloc; // a swapped pair uses the two buffers' own arrays
  const impls = r.ops.map((op, i) => CPU_OPS.get(op.kind, `ops[${i}]`) as CpuOp);
  const access = accessMaps(r.ops);
  const items = scheduleOps(r.ops, access, (i) => impls[i]?.fuse !== undefined);
  const flat = items.flatMap((it) => it.ops);
  const pos = new Map<number, number>(flat.map((i, p) => [i, p]));
  // A swapped pair's arrays: [dst's, src's] (element `parity` is current).
  const swaps = findSwaps(r.ops, access, flat, pos).map((x) => ({
    ...x,
    pair: { src: x.src, dst: x.dst, arrays: [host.get(x.dst), host.get(x.src)] as [TypedArray, TypedArray] },
  }));
  const swapOf = new Map<
    string,
    { pair: SwapPair; k: number; role: 'src' | 'dst'; posW: number; posC: number }
  >();
  swaps.forEach((s, k) => {
    swapOf.set(s.pair.src, { ...s, k, role: 'src' });
    swapOf.set(s.pair.dst, { ...s, k, role: 'dst' });
  });
  const skipped = new Set(swaps.map((s) => s.copy));

  // ---- events: which buffers carry lists, which lists are read (a fixed point of the emitters) ----
  const writers = new Map<string, number[]>();
  r.ops.forEach((_, i) => {
    for (const [name, a] of access[i] as AccessMap)
      if (a !== 'r' && !skipped.has(i)) writers.set(name, [...(writers.get(name) ?? []), i]);
  });
  // Lists are kept for float32 buffers (spikes, currents) that some op writes.
  let tracked = new Set<string>(
    [...r.buffers]
      .filter(([n, b]) => b.spec.dtype === 'float32' && (writers.has(n) || swapOf.get(n)?.role === 'dst'))
      .map(([n]) => n),
  );
  let demanded = new Set<string>(tracked);
  for (let round = 0; round < 8; round++) {
    const provided = new Map<string, Set<number>>();
    const asked = new Set<string>();
    emitAll({ dry: { tracked, demanded, provided, asked } });
    const next = new Set<string>();
    for (const name of tracked) {
      const sw = swapOf.get(name);
      if (sw?.role === 'dst') continue;
      const ws = writers.get(name) ?? [];
      if (ws.length > 0 && ws.every((i) => provided.get(name)?.has(i))) next.add(name);
    }
    for (const s of swaps) if (next.has(s.pair.src)) next.add(s.pair.dst);
    for (const s of swaps) if (asked.has(s.pair.dst)) asked.add(s.pair.src);
    const same =
      next.size === tracked.size && asked.size === demanded.size && [...asked].every((n) => demanded.has(n));
    tracked = next;
    demanded = asked;
    if (same) break;
    if (round === 7) throw new Error('cpu step: the event analysis did not settle (a bug)');
  }
  const listed = new Set([...tracked].filter((n) => demanded.has(n)));
  return emitAll({ dry: undefined }) as CompiledStep;

  function emitAll(mode: {
    dry:
      | {
          tracked: ReadonlySet<string>;
          demanded: ReadonlySet<string>;
          provided: Map<string, Set<number>>;
          asked: Set<string>;
        }
      | undefined;
  }): CompiledStep | undefined {
    const dry = mode.dry;
    const constants: unknown[] = [];
    const constIds = new Map<unknown, string>();
    const constant = (_hint: string, value: unknown): string => {
      const hit = constIds.get(value);
      if (hit !== undefined && (typeof value === 'object' || typeof value === 'function')) return hit;
      const idn = `c${constants.length}`;
      constants.push(value);
      if (typeof value === 'object' || typeof value === 'function') constIds.set(value, idn);
      return idn;
    };
    let locals = 0;
    const local = (hint: string): string => `${hint.replace(/[^A-Za-z0-9_]/g, '_')}_${locals++}`;
    const body: string[] = [];
    const setup: string[] = [];
    const watchers: { buffers: string[]; rebuild: () => void }[] = [];
    const groups: { ops: string[]; engine: 'js' | 'wasm' }[] = [];
    // Buffer identifiers: plain buffers are constants; a swapped pair is `cur`/`nxt` per step.
    const plain = new Map<string, string>();
    const pairIds = swaps.map((s, k) => {
      const a0 = constant(`sw${k}a`, s.pair.arrays[0]);
      const a1 = constant(`sw${k}b`, s.pair.arrays[1]);
      return { cur: `sw${k}c`, nxt: `sw${k}n`, a0, a1 };
    });
    const counts: number[] = [];
    const eventLists = new Map<
      string,
      { lists: { idx: Int32Array; count: number; ids: string; array: TypedArray }[] }
    >();
    const hostEvents: HostEvents[] = [];
    // The lists and their counts live in the program's memory when it has room, so a WebAssembly
    // kernel can write them as it writes the buffer.
    const mem = o.memory;
    const listsOf = dry ? [] : [...listed].filter((n) => swapOf.get(n)?.role !== 'dst');
    const listBytes = listsOf.reduce(
      (b, n) => b + (swapOf.has(n) ? 2 : 1) * (4 * Math.max(1, host.get(n)?.length ?? 1) + 16),
      0,
    );
    const inMemory = !dry && mem !== undefined && mem.free >= listBytes + 4 * listsOf.length * 2 + 64;
    const eventCounts = inMemory
      ? (mem as HostMemory).array('int32', Math.max(1, 2 * listsOf.length))
      : new Int32Array(Math.max(1, 2 * listsOf.length));
    if (!dry) {
      for (const name of listed) {
        const sw = swapOf.get(name);
        if (sw?.role === 'dst') continue; // shares the source's lists
        const arrays = sw ? sw.pair.arrays : [host.get(name) as TypedArray];
        const lists = arrays.map((array, j) => {
          const n = Math.max(1, array.length);
          const idx = inMemory ? (mem as HostMemory).array('int32', n) : new Int32Array(n);
          const count = counts.length;
          counts.push(0);
          return { idx, count, ids: constant(`ev_${name}_${j}`, idx), array };
        });
        eventLists.set(name, { lists });
        if (sw) eventLists.set(sw.pair.dst, { lists });
        hostEvents.push({
          buffer: name,
          lists: lists.map(({ array, idx, count }) => ({ array, idx, count })),
        });
        if (sw)
          hostEvents.push({
            buffer: sw.pair.dst,
            lists: lists.map(({ array, idx, count }) => ({ array, idx, count })),
          });
      }
    }
    /** Which array of a buffer an op at position `p` sees: `cur`, `nxt` or the plain array. */
    const which = (name: string, p: number): 'cur' | 'nxt' | 'plain' => {
      const sw = swapOf.get(name);
      if (sw === undefined) return 'plain';
      if (p > sw.posC) return 'nxt';
      if (sw.role === 'src') return p >= sw.posW ? 'nxt' : 'cur';
      return 'cur';
    };
    const arrayId = (name: string, p: number): string => {
      const w = which(name, p);
      if (w === 'plain') {
        let idn = plain.get(name);
        if (idn === undefined) {
          idn = constant(`b_${name}`, host.get(name));
          plain.set(name, idn);
        }
        return idn;
      }
      const k = swapOf.get(name)?.k as number;
      return (pairIds[k] as { cur: string; nxt: string })[w];
    };
    const listAt = (name: string, p: number): EventList | undefined => {
      const ev = eventLists.get(name);
      if (ev === undefined) return undefined;
      const w = which(name, p);
      const hosts = ev.lists.map((l) => ({
        array: l.array,
        idx: l.idx,
        count: eventCounts.subarray(l.count, l.count + 1),
      }));
      if (w === 'plain') {
        const l = ev.lists[0] as { ids: string; count: number };
        return { idx: l.ids, count: `EVN[${l.count}]`, hosts };
      }
      // Lists of a pair follow its arrays: list j belongs to array j, current = parity.
      const [l0, l1] = ev.lists as unknown as [
        { ids: string; count: number },
        { ids: string; count: number },
      ];
      const cur = w === 'cur';
      return {
        idx: cur ? `(P ? ${l1.ids} : ${l0.ids})` : `(P ? ${l0.ids} : ${l1.ids})`,
        count: `EVN[${l0.count} + ${cur ? 'P' : '(1 - P)'}]`,
        hosts,
      };
    };
    const dummy: EventList = { idx: 'EVD', count: 'EVD_N' };
    const ctxFor = (i: number): CpuEmitContext => {
      const op = r.ops[i] as ResolvedOp;
      const p = pos.get(i) as number;
      const nameOf = (slot: string): string => {
        const n = op.op.bindings[slot];
        if (n === undefined) throw new Error(`cpu step: ops[${i}] has no binding "${slot}"`);
        return n;
      };
      return {
        path: `ops[${i}]`,
        key: r.key,
        step: 'step',
        parity: 'P',
        memory: o.memory,
        simd: o.simd,
        dry: dry !== undefined,
        array: (slot) => arrayId(nameOf(slot), p),
        hosts: (slot) => {
          const name = nameOf(slot);
          const sw = swapOf.get(name);
          if (sw === undefined) return [host.get(name) as TypedArray];
          const w = which(name, p);
          const [a0, a1] = sw.pair.arrays;
          // Element `parity` is what the identifier holds: cur = arrays[P], nxt = arrays[1 − P].
          return w === 'cur' ? [a0, a1] : [a1, a0];
        },
        dtype: (slot) => (r.buffers.get(nameOf(slot)) as { spec: { dtype: DType } }).spec.dtype,
        constant,
        local,
        code: (...lines) => body.push(...lines),
        setup: (...lines) => setup.push(...lines),
        watch: (slots, rebuild) => {
          if (!dry) watchers.push({ buffers: slots.map(nameOf), rebuild });
        },
        events: (slot) => {
          const name = nameOf(slot);
          if (dry) {
            if (!dry.tracked.has(name)) return undefined;
            dry.asked.add(name);
            return dummy;
          }
          return listAt(name, p);
        },
        provideEvents: (slot) => {
          const name = nameOf(slot);
          if (dry) {
            if (!dry.tracked.has(name) || !dry.demanded.has(name)) return undefined;
            const s = dry.provided.get(name) ?? new Set<number>();
            dry.provided.set(name, s);
            s.add(i);
            return dummy;
          }
          return listed.has(name) ? listAt(name, p) : undefined;
        },
      };
    };
    for (const it of items) {
      const first = it.ops[0] as number;
      const impl = impls[first] as CpuOp;
      if (it.ops.length === 1 && skipped.has(first)) continue;
      body.push(`    // ${it.ops.map((i) => `${r.ops[i]?.kind} ${r.ops[i]?.op.name}`).join(' + ')}`);
      if (impl.fuse !== undefined && it.key !== undefined) {
        const engine = impl.fuse.emitGroup(
          it.ops.map((i) => r.ops[i] as never),
          it.ops.map(ctxFor),
        );
        groups.push({ ops: it.ops.map((i) => r.ops[i]?.op.name as string), engine });
      } else {
        const engine = impl.emit(r.ops[first] as never, ctxFor(first));
        if (engine !== undefined) groups.push({ ops: [r.ops[first]?.op.name as string], engine });
      }
    }
    if (dry) return undefined;
    const itemsPerStep = items.filter(
      (it) => !(it.ops.length === 1 && skipped.has(it.ops[0] as number)),
    ).length;
    const st = { p: 0 };
    const pairLines = pairIds.map(
      (x) => `    const ${x.cur} = P ? ${x.a1} : ${x.a0}, ${x.nxt} = P ? ${x.a0} : ${x.a1};`,
    );
    const stepBody = [
      '    const P = st.p;',
      ...pairLines,
      ...body.filter((l) => l !== ''),
      ...(swaps.length > 0 ? ['    st.p = P ^ 1;'] : []),
    ];
    const variants = new Map<string, ReturnType<Factory>>();
    const args: { S: TypedArray[]; R: TypedArray[] } = { S: [], R: [] };
    const lastPos = flat.length;
    const variant = (
      streams: readonly { readonly name: string; readonly data: TypedArray }[],
      records: readonly { readonly name: string; readonly out: TypedArray }[],
    ): ReturnType<Factory> => {
      const key = `${streams.map((s) => `${s.name}:${s.data.constructor.name}`).join('\u0001')}\u0002${records.map((x) => `${x.name}:${x.out.constructor.name}`).join('\u0001')}`;
      let fn = variants.get(key);
      if (fn !== undefined) return fn;
      // Streams go into the array the step's first op sees; records read what both names hold after
      // the step (a swapped pair: the array written this step).
      const streamLines = streams.map((x, k) => {
        // A stream into a pair's source goes to the array its writer rewrites (no op reads it before).
        const sw = swapOf.get(x.name);
        const dst = sw?.role === 'src' ? (pairIds[sw.k] as { nxt: string }).nxt : arrayAt(x.name, 0);
        return `      { const n = ${dst}.length, o = (done + s) * n; for (let e = 0; e < n; e++) ${dst}[e] = S${k}[o + e]; }`;
      });
      const recordLines = records.map((x, k) => {
        const src = arrayAt(x.name, lastPos);
        return `      R${k}.set(${src}, (done + s) * ${src}.length);`;
      });
      function arrayAt(name: string, p: number): string {
        return arrayId(name, p);
      }
      const source = [
        '"use strict";',
        `const { ${RUNTIME_NAMES} } = rt;`,
        ...constants.map((_, k) => `const c${k} = C[${k}];`),
        ...setup,
        'return function spark_run(steps, t0, done, S, R) {',
        ...streams.map((_, k) => `  const S${k} = S[${k}];`),
        ...records.map((_, k) => `  const R${k} = R[${k}];`),
        '  for (let s = 0; s < steps; s++) {',
        '    const step = t0 + s;',
        ...(streams.length > 0
          ? ['    {', '    const P = st.p;', ...pairLines, ...streamLines, '    }']
          : []),
        ...stepBody,
        ...(records.length > 0
          ? ['    {', '    const P = st.p ^ 1;', ...pairLines, ...recordLines, '    }']
          : []),
        '  }',
        '};',
      ].join('\n');
      let factory = FACTORIES.get(source);
      if (factory === undefined) {
        // Generated from validated identifiers, numeric literals and the emitters' own text only.
        factory = new Function('C', 'EVN', 'st', 'rt', source) as Factory;
        FACTORIES.set(source, factory);
      }
      fn = factory(constants, eventCounts, st, RUNTIME);
      variants.set(key, fn);
      return fn;
    };
    const hostEventsFinal = hostEvents;
    return {
      get source() {
        return stepBody.join('\n');
      },
      run(step, count, done, streams, records) {
        // The stream and record arrays go in two arrays kept for the program's life: fresh ones
        // (`map`) have another elements kind where the caller is optimised, and the run loop,
        // optimised for one, would deoptimise ("wrong map") on the other.
        const S = args.S;
        const R = args.R;
        S.length = streams.length;
        R.length = records.length;
        for (let k = 0; k < streams.length; k++) S[k] = (streams[k] as { data: TypedArray }).data;
        for (let k = 0; k < records.length; k++) R[k] = (records[k] as { out: TypedArray }).out;
        variant(streams, records)(count, step, done, S, R);
      },
      swaps: swaps.map((s) => s.pair),
      parity: () => st.p,
      events: hostEventsFinal,
      eventCounts,
      itemsPerStep,
      groups,
      watchers,
    };
  }
}
