// Shared conformance helpers: random definitions (fast-check) and a comparison of any backend with
// the float64 interpreter. Used by src/**/*.test.ts (Node + browser) and test/node/*.test.ts.
import { type Backend, CounterRng, fromFloat16Array, toFloat16Array } from '@spark-snn/core';
import { relDiff } from '@spark-snn/testing';
import fc from 'fast-check';
import type { Expr, ModuleDefinition, Stmt } from '../../src/lang/ast.ts';
import { checkDefinition } from '../../src/lang/check.ts';
import {
  type CompiledModule,
  compileDefinition,
  type InstanceData,
  instantiate,
} from '../../src/lang/compile.ts';
import { interpretInitialState, interpretStep, type ParamValue } from '../../src/lang/interpret.ts';
import { parseDefinition } from '../../src/lang/parser.ts';
import { instantiateModule } from '../../src/ops.ts';

const num = (value: number): Expr => ({ kind: 'num', value });
const ref = (name: string): Expr => ({ kind: 'ref', name });
const bin = (op: '+' | '-' | '*' | '/' | '>' | '<' | '>=' | '<=', left: Expr, right: Expr): Expr => ({
  kind: 'binary',
  op,
  left,
  right,
});
const call = (fn: string, ...args: Expr[]): Expr => ({ kind: 'call', fn: fn as 'exp', args });

/** A bounded random f32 expression over params a (>0, per unit), b (scalar), state x, y, input I. */
export function exprArb(withRandom: boolean): fc.Arbitrary<Expr> {
  const leaf = fc.oneof(
    fc.double({ min: -2, max: 2, noNaN: true }).map((v) => num(Math.round(v * 1000) / 1000)),
    fc.constantFrom('a', 'b', 'x', 'y', 'I').map(ref),
    ...(withRandom
      ? [
          fc.constantFrom(
            call('uniform'),
            call('normal'),
            bin('*', num(2), call('f32', call('bernoulli', num(0.3)))),
          ),
        ]
      : []),
  );
  const { e } = fc.letrec<{ e: Expr }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(tie('e'), tie('e')).map(([l, r]) => bin('+', l, r)),
      fc.tuple(tie('e'), tie('e')).map(([l, r]) => bin('-', l, r)),
      fc.tuple(tie('e'), tie('e')).map(([l, r]) => bin('*', l, call('tanh', r))),
      tie('e').map((x) => bin('/', x, ref('a'))),
      tie('e').map((x) => call('exp', call('clamp', x, num(-4), num(4)))),
      tie('e').map((x) => call('sin', x)),
      tie('e').map((x) => call('sqrt', bin('+', call('abs', x), num(0.25)))),
      tie('e').map((x) => call('log', bin('+', call('abs', x), num(0.5)))),
      fc.tuple(tie('e'), tie('e')).map(([l, r]) => call('max', l, r)),
      fc
        .tuple(tie('e'), tie('e'), tie('e'), tie('e'))
        .map(([c1, c2, t, f]) => ({ kind: 'select', cond: bin('>', c1, c2), then: t, else: f }) as Expr),
    ),
  }));
  return e;
}

/** A random valid definition with state x, y, output out and optional RNG draws. */
export function definitionArb(withRandom = true): fc.Arbitrary<ModuleDefinition> {
  return fc
    .tuple(exprArb(withRandom), exprArb(withRandom), exprArb(withRandom), fc.boolean())
    .map(([ex, ey, eo, useLet]) => {
      const body: Stmt[] = [];
      if (useLet) body.push({ kind: 'let', name: 'tmp', value: ex });
      body.push({
        kind: 'assign',
        target: 'x',
        value: call('clamp', useLet ? ref('tmp') : ex, num(-10), num(10)),
      });
      body.push({ kind: 'assign', target: 'y', value: call('clamp', ey, num(-10), num(10)) });
      body.push({ kind: 'assign', target: 'out', value: eo });
      const def: ModuleDefinition = {
        name: 'random_def',
        params: [
          { name: 'a', type: 'f32', extent: 'unit', default: 1, validators: ['positive'] },
          { name: 'b', type: 'f32', default: 0.5 },
        ],
        state: [
          { name: 'x', type: 'f32', init: ref('b') },
          { name: 'y', type: 'f32' },
        ],
        inputs: [{ name: 'I', payload: 'FloatArray', type: 'f32' }],
        outputs: [{ name: 'out', payload: 'FloatArray', type: 'f32' }],
        body,
      };
      checkDefinition(def);
      return def;
    });
}

/** Options of {@link compareWithInterpreter}. */
export interface CompareOptions {
  def: ModuleDefinition;
  /** Elements of the domain (units, or synapses = units × nPre). */
  size: number;
  /** Presynaptic size (synapse domain). */
  nPre?: number;
  steps: number;
  params?: Record<string, ParamValue>;
  /** steps × (input length) values per input name. */
  inputs: Record<string, Float32Array>;
  seed?: number;
  streamBase?: number;
  dt?: number;
  chunk?: number;
  /** Start from random state values (this salt) instead of the initial state. */
  randomState?: number;
  /** Relative tolerance (default 1e-5), rel = |a − b| / max(|b|, 1). */
  tol?: number;
  /**
   * Compare with the interpreter's float32 mode (the semantics of the generated JavaScript and
   * WebAssembly) bit for bit instead of with its float64 mode at `tol`.
   */
  f32?: boolean;
}

/** Runs `def` on `backend` and in the interpreter; returns the mismatches (empty when they agree). */
export async function compareWithInterpreter(
  backend: Backend,
  o: CompareOptions,
): Promise<{ mismatches: string[]; checked: number; skipped: number }> {
  const dt = o.dt ?? 1;
  const tol = o.tol ?? 1e-5;
  const { buffers, op } = instantiateModule(o.def, {
    prefix: 'm',
    size: o.size,
    ...(o.nPre !== undefined ? { nPre: o.nPre } : {}),
    dt,
    ...(o.params ? { params: o.params } : {}),
    ...(o.streamBase !== undefined ? { streamBase: o.streamBase } : {}),
  });
  const checked = checkDefinition(o.def);
  const names = [...checked.state.map((s) => s.name), ...checked.outputs.map((x) => x.name)];
  const program = await backend.load({ buffers, ops: [op], dt, seed: o.seed ?? 0 });
  // Random initial states: float states in [-1, 3), integer states in 0..5, written to the program.
  const start: Record<string, Float64Array> = {};
  if (o.randomState !== undefined) {
    for (const [k, s] of checked.state.entries()) {
      const v = testInputs(1, o.size, -1, 3, o.randomState * 101 + k);
      let typed: Float32Array | Int32Array | Uint32Array | Uint16Array;
      if (s.type !== 'f32') {
        const ints = Array.from(v, (x) => Math.floor((x + 1) * 1.5));
        typed = s.type === 'i32' ? Int32Array.from(ints) : Uint32Array.from(ints);
      } else typed = s.storage === 'float16' ? toFloat16Array(v) : v;
      await program.write(`m.${s.name}`, typed);
      start[s.name] = Float64Array.from(
        s.storage === 'float16' ? fromFloat16Array(typed as Uint16Array) : typed,
      );
    }
  }
  const inputs: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(o.inputs)) inputs[`m.${k}`] = v;
  const res = await program.run({
    steps: o.steps,
    inputs,
    record: names.map((n) => `m.${n}`),
    ...(o.chunk ? { chunk: o.chunk } : {}),
  });
  program.destroy();
  const shape = o.nPre !== undefined ? { size: o.size, nPre: o.nPre } : { size: o.size };
  const state = interpretInitialState(checked, shape, o.params ?? {}, dt);
  Object.assign(state, start);
  let compiled: { body: CompiledModule['body']; derived: InstanceData['derived'] } | undefined;
  if (o.f32) {
    const c = compileDefinition(o.def);
    const inst = instantiate(c, { ...shape, dt, ...(o.params ? { params: o.params } : {}) });
    compiled = { body: c.body, derived: inst.derived };
    // The program stores its initial state as float32.
    for (const s of checked.state)
      if (s.type === 'f32' && s.storage === 'float32') state[s.name] = state[s.name]!.map(Math.fround);
  }
  const outputs: Record<string, Float64Array> = {};
  for (const x of checked.outputs) outputs[x.name] = new Float64Array(o.size);
  const tainted = new Uint8Array(o.size);
  const mismatches: string[] = [];
  let count = 0;
  let skipped = 0;
  for (let t = 0; t < o.steps; t++) {
    const stepInputs: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(o.inputs)) {
      const len = v.length / o.steps;
      stepInputs[k] = v.subarray(t * len, (t + 1) * len);
    }
    interpretStep(checked, {
      ...shape,
      params: o.params ?? {},
      state,
      inputs: stepInputs,
      outputs,
      step: t,
      dt,
      seed: o.seed ?? 0,
      streamBase: o.streamBase ?? 0,
      ...(compiled !== undefined
        ? { f32: true, compiled }
        : {
            // Float64 vs float32: a comparison this close may go either way; skip that element from
            // then on. Equal integers (counters, timers at 0, literal operands) are exact in float32
            // too and decide the same way: without this, `refractory > 0` at rest skipped every unit
            // of every refractory soma, and those cases compared nothing.
            onCompare: (i: number, a: number, b: number) => {
              if (a === b && Number.isInteger(a) && Math.abs(a) <= 2 ** 24) return;
              if (relDiff(a, b) < 1e-4) tainted[i] = 1;
            },
          }),
    });
    for (const n of names) {
      const ref = (state[n] ?? outputs[n]) as Float64Array;
      const raw = res.records[`m.${n}`] as Float32Array | Int32Array | Uint32Array | Uint16Array;
      const f16 = [...checked.state, ...checked.outputs].find((x) => x.name === n)?.storage === 'float16';
      const got = f16 ? fromFloat16Array(raw as Uint16Array) : raw;
      // float16 storage rounds every step; the float64 interpreter does not.
      const tolN = f16 ? Math.max(tol, 2e-3) : tol;
      for (let i = 0; i < o.size; i++) {
        if (tainted[i]) {
          skipped++;
          continue;
        }
        count++;
        const b = ref[i] as number;
        const a = got[t * o.size + i] as number;
        const rel = relDiff(a, b);
        const bad = compiled !== undefined ? !Object.is(a, b) : !(rel <= tolN);
        if (bad && mismatches.length < 10)
          mismatches.push(
            `step ${t} ${n}[${i}]: backend ${a} vs interpreter ${b} (rel ${rel.toExponential(2)})`,
          );
      }
    }
  }
  return { mismatches, checked: count, skipped };
}

/** Deterministic pseudo-random inputs (no RNG dependency): steps × size values in [lo, hi). */
export function testInputs(steps: number, size: number, lo: number, hi: number, salt = 1): Float32Array {
  const a = new Float32Array(steps * size);
  let s = (salt * 2654435761) >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    a[i] = lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  }
  return a;
}

/**
 * Runs a module drawing `u = uniform()`, `z = normal()`, `b = f32(bernoulli(0.25))` (streams 100, 101,
 * 102) for 2 steps on `backend` and checks them against core's `CounterRng`, element by element and
 * against the raw block words (element i reads word i & 3 of block i >>> 2): u and b bit for bit.
 * Returns the largest |z − CounterRng.normal| (GPUs compute the normal in f32).
 */
export async function checkRandomStreams(backend: Backend, size: number): Promise<number> {
  const def = parseDefinition(
    [
      'module draws over unit',
      'output u: FloatArray f32',
      'output z: FloatArray f32',
      'output b: FloatArray f32',
      'u = uniform()',
      'z = normal()',
      'b = f32(bernoulli(0.25))',
    ].join('\n'),
  );
  const seed = 987654321;
  const { buffers, op } = instantiateModule(def, { prefix: 'r', size, dt: 1, streamBase: 100 });
  const p = await backend.load({ buffers, ops: [op], dt: 1, seed });
  const res = await p.run({ steps: 2, record: ['r.u', 'r.z', 'r.b'] });
  p.destroy();
  const rng = new CounterRng(seed);
  const [u, z, b] = ['r.u', 'r.z', 'r.b'].map((k) => res.records[k] as Float32Array) as [
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  let maxErr = 0;
  const fail = (what: string, t: number, i: number, got: number, want: number) => {
    throw new Error(`${backend.kind}: ${what} at step ${t}, element ${i}: ${got}, expected ${want}`);
  };
  for (let t = 0; t < 2; t++) {
    for (let i = 0; i < size; i++) {
      const k = t * size + i;
      const word = rng.bits(100, t, i >>> 2)[i & 3] as number;
      const want = rng.uniform(100, t, i);
      if (want !== (word >>> 8) / 2 ** 24) fail('CounterRng layout', t, i, want, (word >>> 8) / 2 ** 24);
      if (u[k] !== want) fail('uniform', t, i, u[k] as number, want);
      const bw = rng.uniform(102, t, i) < 0.25 ? 1 : 0;
      if (b[k] !== bw) fail('bernoulli', t, i, b[k] as number, bw);
      maxErr = Math.max(maxErr, Math.abs((z[k] as number) - rng.normal(101, t, i)));
    }
  }
  return maxErr;
}
