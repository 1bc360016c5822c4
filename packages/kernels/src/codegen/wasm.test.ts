import {
  CounterRng,
  float32Bits,
  fromFloat16Array,
  fromFloat16Bits,
  roundToFloat16,
  toFloat16Array,
  toFloat16Bits,
} from '@spark-snn/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testInputs } from '../../test/common/conformance.ts';
import { allDefinitions } from '../../test/common/library-cases.ts';
import { expectedHalfBits, float16Conversion } from '../../test/common/wasm-float16.ts';
import { poissonDrive } from '../interfaces/poisson_drive.ts';
import type { Expr, ModuleDefinition } from '../lang/ast.ts';
import { checkDefinition } from '../lang/check.ts';
import { type CompiledModule, compileDefinition, type InstanceData, instantiate } from '../lang/compile.ts';
import { interpretStep, type ParamValue } from '../lang/interpret.ts';
import { parseDefinition } from '../lang/parser.ts';
import { moduleKernelArgs } from '../ops/module/cpu.ts';
import type { ResolvedModuleOp } from '../plan.ts';
import { createJsKernel, type JsKernelArgs } from './js.ts';
import { createWasmGroup, MATH_IMPORTS, nativeExpAgrees, type WasmRun, wasmGroupBytes } from './wasm.ts';
import { HostMemory, wasmSimdSupported } from './wasm-memory.ts';

interface Case {
  readonly def: ModuleDefinition;
  readonly size: number;
  readonly nPre?: number;
  readonly steps: number;
  readonly params?: Record<string, ParamValue>;
  readonly seed?: number;
  /** Start from random states (this salt). */
  readonly randomState?: number;
  readonly dt?: number;
  /** Range of the float inputs (default [-1, 4)). */
  readonly range?: readonly [number, number];
}

type Io = Float32Array | Int32Array | Uint32Array | Uint16Array;

/** Runs a module through its WebAssembly group and through the interpreter's float32 mode. */
async function compareWithF32(
  o: Case,
): Promise<{ mismatches: string[]; checked: number; unsupported?: string }> {
  const compiled: CompiledModule = compileDefinition(o.def);
  const dt = o.dt ?? 0.5;
  const nPre = o.nPre ?? 1;
  const inst: InstanceData = instantiate(compiled, {
    size: o.size,
    ...(o.nPre !== undefined ? { nPre } : {}),
    dt,
    ...(o.params ? { params: o.params } : {}),
  });
  const def = compiled.def;
  const js = createJsKernel(compiled);
  const lengthOf = (name: string): number => {
    const [kind, n] = name.split(':') as [string, string];
    if (kind !== 'input') return o.size;
    const ext = def.inputs.find((p) => p.name === n)?.extent;
    return ext === 'scalar' ? 1 : ext === 'unit' ? o.size / nPre : ext === 'pre' ? nPre : o.size;
  };
  const declOf = (name: string): { type: string; storage: string } => {
    const [kind, n] = name.split(':') as [string, string];
    const list = kind === 'state' ? def.state : kind === 'input' ? def.inputs : def.outputs;
    return list.find((p) => p.name === n) ?? { type: 'f32', storage: 'float32' };
  };
  const half = (name: string) => declOf(name).storage === 'float16';
  const ioBytes = js.ioNames.reduce((s, n) => s + 16 + 4 * lengthOf(n), 0);
  const fake = { instance: inst, compiled, streamBase: 11 } as unknown as ResolvedModuleOp;
  const seed = o.seed ?? 5;
  const key = new CounterRng(seed).key;
  const probe = moduleKernelArgs(fake, key, [], js);
  const mem = new HostMemory(
    ioBytes + wasmGroupBytes([{ compiled, uniform: new Set(), names: js, args: probe }]) + 4096,
  );
  const io: Io[] = js.ioNames.map((n) => {
    const t = declOf(n).type;
    if (half(n)) return mem.array('float16', lengthOf(n));
    return mem.array(t === 'f32' ? 'float32' : t === 'i32' ? 'int32' : 'uint32', lengthOf(n)) as Io;
  });
  const args: JsKernelArgs = moduleKernelArgs(fake, key, io, js);
  // Slots with one value everywhere come as that value (moduleKernelArgs passes them as one element).
  const uniform = new Set(js.arrayNames.filter((n) => inst.uniform.has(n)));
  const g = createWasmGroup([{ compiled, uniform, names: js, args }], mem);
  if ('unsupported' in g) return { mismatches: [], checked: 0, unsupported: g.unsupported };

  // Reference state (float64 arrays holding float32 values).
  const state: Record<string, Float64Array> = {};
  def.state.forEach((s, k) => {
    const init = inst.initialState.get(s.name) as Float64Array | number;
    let v = typeof init === 'number' ? new Float64Array(o.size).fill(init) : Float64Array.from(init);
    if (o.randomState !== undefined) {
      const r = testInputs(1, o.size, -1, 3, o.randomState * 101 + k);
      v = s.type === 'f32' ? Float64Array.from(r) : Float64Array.from(r, (x) => Math.floor((x + 1) * 1.5));
    }
    const slot = `state:${s.name}`;
    if (half(slot)) {
      v = v.map(roundToFloat16);
      (io[js.ioNames.indexOf(slot)] as Io).set(toFloat16Array(v));
    } else (io[js.ioNames.indexOf(slot)] as Io).set(v);
    state[s.name] = v;
  });
  const params: Record<string, ParamValue> = {};
  for (const [k, v] of inst.scalarParams) params[k] = v;
  for (const [k, v] of inst.arrayParams) params[k] = v;
  const outputs: Record<string, Float64Array> = {};
  for (const x of def.outputs) outputs[x.name] = new Float64Array(o.size);
  const mismatches: string[] = [];
  let checked = 0;
  for (let t = 0; t < o.steps; t++) {
    const inputs: Record<string, Float32Array | Int32Array> = {};
    def.inputs.forEach((p, k) => {
      const len = lengthOf(`input:${p.name}`);
      const raw = testInputs(1, len, o.range?.[0] ?? -1, o.range?.[1] ?? 4, t * 17 + k + 1);
      const a = io[js.ioNames.indexOf(`input:${p.name}`)] as Io;
      if (p.storage === 'float16') {
        a.set(toFloat16Array(raw));
        inputs[p.name] = fromFloat16Array(a as Uint16Array);
        return;
      }
      if (p.type === 'f32') a.set(raw);
      else a.set(Array.from(raw, (x) => Math.floor(x * 3) - 2));
      inputs[p.name] = a.slice() as Float32Array;
    });
    g.run(t);
    interpretStep(def, {
      size: o.size,
      nPre,
      params,
      state,
      inputs,
      outputs,
      step: t,
      dt: Math.fround(dt),
      seed,
      streamBase: 11,
      f32: true,
      compiled: { body: compiled.body, derived: inst.derived },
    });
    for (const name of js.ioNames) {
      const [kind, n] = name.split(':') as [string, string];
      if (kind === 'input') continue;
      const want = (kind === 'state' ? state[n] : outputs[n]) as Float64Array;
      const got = io[js.ioNames.indexOf(name)] as Io;
      // float16 storage: the stored half bits themselves (NaN's included)
      const ref = half(name) ? Array.from(want, toFloat16Bits) : want;
      for (let i = 0; i < o.size; i++) {
        checked++;
        if (!Object.is(got[i], ref[i]) && mismatches.length < 8)
          mismatches.push(`step ${t} ${name}[${i}]: wasm ${got[i]} vs f32 interpreter ${ref[i]}`);
      }
    }
  }
  return { mismatches, checked };
}

const num = (value: number): Expr => ({ kind: 'num', value });
const ref = (name: string): Expr => ({ kind: 'ref', name });
const bin = (op: string, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right }) as Expr;
const call = (fn: string, ...args: Expr[]): Expr => ({ kind: 'call', fn: fn as 'exp', args });
const sel = (cond: Expr, t: Expr, e: Expr): Expr => ({ kind: 'select', cond, then: t, else: e });

/** Random f32, i32, u32 and bool expressions over every operation the language has. */
function typedArb() {
  return fc.letrec<{ f: Expr; i: Expr; u: Expr; b: Expr }>((tie) => ({
    f: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.double({ min: -3, max: 3, noNaN: true }).map((v) => num(Math.round(v * 1000) / 1000)),
      fc.constantFrom('a', 'b', 'x', 'I').map(ref),
      fc.constantFrom(call('uniform'), call('normal')),
      fc.tuple(fc.constantFrom('+', '-', '*'), tie('f'), tie('f')).map(([op, l, r]) => bin(op, l, r)),
      // A divisor that is never a constant (the checker refuses a constant that may be zero).
      fc
        .tuple(fc.constantFrom('/', '%'), tie('f'), fc.constantFrom('x', 'I'), tie('f'))
        .map(([op, l, v, r]) => bin(op, l, bin('+', ref(v), r))),
      tie('f').map((x) => ({ kind: 'unary', op: '-', arg: x }) as Expr),
      fc
        .tuple(
          fc.constantFrom(
            'exp',
            'log',
            'sqrt',
            'tanh',
            'sin',
            'cos',
            'floor',
            'ceil',
            'round',
            'abs',
            'sign',
          ),
          tie('f'),
        )
        // (+ I: never folded to a constant — the JS generator refuses a folded log(0) = -Infinity)
        .map(([fn, x0]) => {
          const x = bin('+', x0, ref('I'));
          return call(fn, fn === 'exp' ? call('clamp', x, num(-20), num(20)) : x);
        }),
      fc.tuple(fc.constantFrom('min', 'max'), tie('f'), tie('f')).map(([fn, l, r]) => call(fn, l, r)),
      fc.tuple(tie('f'), tie('f')).map(([l, r]) => call('pow', bin('+', l, ref('I')), r)),
      fc.tuple(tie('f'), tie('f'), tie('f')).map(([x, l, h]) => call('clamp', x, l, h)),
      fc.tuple(tie('b'), tie('f'), tie('f')).map(([c, t, e]) => sel(c, t, e)),
      tie('i').map((x) => call('f32', x)),
      tie('u').map((x) => call('f32', x)),
      tie('b').map((x) => call('f32', x)),
    ),
    i: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.integer({ min: -5, max: 5 }).map((v) => call('i32', num(v))),
      fc.constantFrom(ref('k'), ref('J')),
      fc.tuple(fc.constantFrom('+', '-', '*'), tie('i'), tie('i')).map(([op, l, r]) => bin(op, l, r)),
      fc
        .tuple(fc.constantFrom('/', '%'), tie('i'), fc.constantFrom('k', 'J'), tie('i'))
        .map(([op, l, v, r]) => bin(op, l, bin('+', ref(v), r))),
      tie('i').map((x) => ({ kind: 'unary', op: '-', arg: x }) as Expr),
      fc.tuple(fc.constantFrom('abs', 'sign'), tie('i')).map(([fn, x]) => call(fn, x)),
      fc.tuple(fc.constantFrom('min', 'max'), tie('i'), tie('i')).map(([fn, l, r]) => call(fn, l, r)),
      fc.tuple(tie('b'), tie('i'), tie('i')).map(([c, t, e]) => sel(c, t, e)),
      tie('f').map((x) => call('i32', bin('*', bin('+', x, ref('I')), num(1e9)))),
      tie('u').map((x) => call('i32', x)),
      tie('b').map((x) => call('i32', x)),
    ),
    u: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.integer({ min: 0, max: 7 }).map((v) => call('u32', num(v))),
      fc.tuple(fc.constantFrom('+', '-', '*'), tie('u'), tie('u')).map(([op, l, r]) => bin(op, l, r)),
      fc
        .tuple(fc.constantFrom('/', '%'), tie('u'), tie('u'))
        .map(([op, l, r]) => bin(op, l, bin('+', call('u32', ref('J')), r))),
      fc.tuple(fc.constantFrom('min', 'max'), tie('u'), tie('u')).map(([fn, l, r]) => call(fn, l, r)),
      tie('i').map((x) => call('u32', x)),
      tie('f').map((x) => call('u32', bin('*', bin('+', x, ref('I')), num(1e9)))),
    ),
    b: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc
        .tuple(fc.constantFrom('<', '<=', '>', '>=', '==', '!='), tie('f'), tie('f'))
        .map(([op, l, r]) => bin(op, l, r)),
      fc.tuple(fc.constantFrom('<', '>=', '==', '!='), tie('i'), tie('i')).map(([op, l, r]) => bin(op, l, r)),
      fc.tuple(fc.constantFrom('<', '>'), tie('u'), tie('u')).map(([op, l, r]) => bin(op, l, r)),
      fc
        .tuple(fc.constantFrom('&&', '||', '==', '!='), tie('b'), tie('b'))
        .map(([op, l, r]) => bin(op, l, r)),
      tie('b').map((x) => ({ kind: 'unary', op: '!', arg: x }) as Expr),
      fc.constant(call('bernoulli', num(0.4))),
    ),
  }));
}

/** A random definition over f32 state x, i32 state k, f32 input I, i32 input J, outputs of every type. */
function wideDefinitionArb(domain: 'unit' | 'synapse'): fc.Arbitrary<ModuleDefinition> {
  const t = typedArb();
  return fc.tuple(t.f, t.i, t.f, t.u, t.b, fc.boolean()).map(([ex, ek, eo, eu, eb, useLet]) => {
    const def: ModuleDefinition = {
      name: 'wide_def',
      domain,
      params: [
        {
          name: 'a',
          type: 'f32',
          extent: domain === 'synapse' ? 'pre' : 'unit',
          default: 1,
          validators: ['positive'],
        },
        { name: 'b', type: 'f32', default: 0.5 },
      ],
      state: [
        { name: 'x', type: 'f32', init: ref('b') },
        { name: 'k', type: 'i32' },
      ],
      inputs: [
        {
          name: 'I',
          payload: 'FloatArray',
          type: 'f32',
          ...(domain === 'synapse' ? { extent: 'unit' } : {}),
        },
        { name: 'J', payload: 'IntegerMask', type: 'i32' },
      ],
      outputs: [
        { name: 'out', payload: 'FloatArray', type: 'f32' },
        { name: 'cnt', payload: 'IntegerMask', type: 'u32' },
        { name: 'flag', payload: 'FloatArray', type: 'f32' },
      ],
      body: [
        ...(useLet ? [{ kind: 'let' as const, name: 'tmp', value: ex }] : []),
        { kind: 'assign', target: 'x', value: useLet ? ref('tmp') : ex },
        { kind: 'assign', target: 'k', value: ek },
        { kind: 'assign', target: 'out', value: eo },
        { kind: 'assign', target: 'cnt', value: eu },
        { kind: 'assign', target: 'flag', value: call('f32', eb) },
      ],
    };
    checkDefinition(def);
    return def;
  });
}

describe.runIf(wasmSimdSupported())('WebAssembly SIMD groups', () => {
  it('random definitions over every operation equal the float32 interpreter bit for bit (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        wideDefinitionArb('unit'),
        fc.integer({ min: 1, max: 23 }),
        fc.integer({ min: 0, max: 1000 }),
        async (def, size, salt) => {
          const r = await compareWithF32({ def, size, steps: 3, seed: salt, randomState: salt });
          expect(r.unsupported).toBeUndefined();
          expect(r.mismatches).toEqual([]);
        },
      ),
      { numRuns: typeof window === 'undefined' ? 150 : 40 },
    );
  });

  it('synapse-domain definitions: unit, pre and synapse extents, tails in every row (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        wideDefinitionArb('synapse'),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(1, 3, 4, 6, 8),
        fc.integer({ min: 0, max: 1000 }),
        async (def, units, nPre, salt) => {
          const r = await compareWithF32({
            def,
            size: units * nPre,
            nPre,
            steps: 2,
            seed: salt,
            randomState: salt,
          });
          if (nPre % 4 !== 0 && JSON.stringify(def).includes('"fn":"normal"'))
            expect(r.unsupported).toMatch(/normal draws in a synapse domain/);
          else expect(r.unsupported).toBeUndefined();
          expect(r.mismatches).toEqual([]);
        },
      ),
      { numRuns: typeof window === 'undefined' ? 80 : 20 },
    );
  });

  it('every library definition equals the float32 interpreter', async () => {
    let ran = 0;
    for (const [k, def] of allDefinitions().entries()) {
      const synapse = checkDefinition(def).domain === 'synapse';
      const r = await compareWithF32({
        def,
        size: synapse ? 5 * 8 : 37,
        ...(synapse ? { nPre: 8 } : {}),
        steps: 8,
        seed: 100 + k,
        ...(k % 2 === 1 ? { randomState: k } : {}),
      });
      expect(r.unsupported, def.name).toBeUndefined();
      ran++;
      expect(r.mismatches, def.name).toEqual([]);
    }
    expect(ran).toBe(allDefinitions().length);
  });

  it("Brunel's Poisson drive: one Philox block per vector, the draws of core", async () => {
    const r = await compareWithF32({
      def: poissonDrive,
      size: 1001,
      steps: 4,
      dt: 0.1,
      params: { rate: 0.04, sources: 1000, weight: 0.1 },
    });
    expect(r.mismatches).toEqual([]);
    expect(r.checked).toBe(4004);
  });

  it('exp: fdlibm in the module rounds like Math.exp (probe set), and a random sample of float32s', async () => {
    // V8 (Node, Deno, Chromium) and SpiderMonkey compute Math.exp with fdlibm; the exhaustive check
    // over all float32 inputs is in docs/decisions.md. An engine that disagrees keeps Math.exp imported.
    expect(nativeExpAgrees()).toBe(true);
    const def = parseDefinition(
      'module e over unit\ninput x: FloatArray f32\noutput y: FloatArray f32\ny = exp(x)',
    );
    const r = await compareWithF32({ def, size: 4099, steps: 40, range: [-115, 95] });
    expect(r.mismatches).toEqual([]);
  });

  it('tanh: in the module where the engine agrees, else imported — equal to Math.tanh either way', async () => {
    const def = parseDefinition(
      'module t over unit\ninput x: FloatArray f32\noutput y: FloatArray f32\ny = tanh(x) + tanh(0.25 * x)',
    );
    const r = await compareWithF32({ def, size: 4099, steps: 40, range: [-25, 25] });
    expect(r.mismatches).toEqual([]);
    expect(r.checked).toBe(4099 * 40);
  });

  it('a step split into row ranges (as threads would run it) equals the whole step', () => {
    const cases = [
      { def: poissonDrive, size: 103, params: { rate: 0.04, sources: 1000, weight: 0.1 } },
      {
        def: parseDefinition(
          [
            'module syn over synapse',
            'param g: f32 per pre = 0.5',
            'state w: f32 = g',
            'input s: SpikeArray f32 per pre',
            'input post: SpikeArray f32 per unit',
            'output o: FloatArray f32',
            'w = clamp(w + 0.1 * s - 0.05 * post, 0, 1)',
            'o = w * s',
          ].join('\n'),
        ),
        size: 7 * 5,
        nPre: 5,
        params: { g: [0.1, 0.2, 0.3, 0.4, 0.5] },
      },
    ];
    for (const k of cases) {
      const compiled = compileDefinition(k.def);
      const inst = instantiate(compiled, {
        size: k.size,
        ...(k.nPre ? { nPre: k.nPre } : {}),
        dt: 0.1,
        params: k.params,
      });
      const js = createJsKernel(compiled);
      const fake = { instance: inst, compiled, streamBase: 3 } as unknown as ResolvedModuleOp;
      const mem = new HostMemory(1 << 20);
      const io = js.ioNames.map((name) => {
        const a = mem.array(
          'float32',
          name === 'input:s' ? (k.nPre ?? 1) : name === 'input:post' ? 7 : k.size,
        );
        a.set(testInputs(1, a.length, 0, 1, a.length));
        return a;
      });
      const args = moduleKernelArgs(fake, [7, 9], io, js);
      const uniform = new Set(js.arrayNames.filter((n) => inst.uniform.has(n)));
      const g = createWasmGroup([{ compiled, uniform, names: js, args }], mem);
      if ('unsupported' in g) throw new Error(g.unsupported);
      const run = new WebAssembly.Instance(g.module, { env: { memory: mem.memory }, math: MATH_IMPORTS })
        .exports.run as WasmRun;
      const before = io.map((a) => a.slice());
      g.run(5);
      const whole = io.map((a) => a.slice());
      for (const [j, a] of io.entries()) a.set(before[j] as Float32Array);
      const scratch = mem.alloc(g.scratchBytes);
      const cut = Math.floor(g.rows / 2 / g.granule) * g.granule;
      run(g.table, 5, cut, g.rows, scratch);
      run(g.table, 5, 0, cut, scratch);
      expect(cut).toBeGreaterThan(0);
      for (const [j, a] of io.entries())
        expect(Array.from(a), js.ioNames[j]).toEqual(Array.from(whole[j] as Float32Array));
    }
  });

  it('a group of two members (a trace feeding a soma through memory) equals the two run one after the other', () => {
    const trace = parseDefinition(
      [
        'module trace over unit',
        'param tau: f32 = 5 [ms] positive',
        'state x: f32 = 0',
        'input s: SpikeArray f32',
        'output out: FloatArray f32',
        'x = x * exp(-dt / tau) + s',
        'out = x',
      ].join('\n'),
    );
    const soma = parseDefinition(
      [
        'module soma over unit',
        'param th: f32 = 1.5',
        'state v: f32 = 0',
        'input cur: FloatArray f32',
        'output spikes: SpikeArray f32',
        'v = v * 0.9 + cur',
        'let sp = v > th',
        'spikes = f32(sp)',
        'v = sp ? 0 : v',
      ].join('\n'),
    );
    const n = 23;
    const run = (fused: boolean) => {
      const mem = new HostMemory(1 << 20);
      const s = mem.array('float32', n);
      s.set(testInputs(1, n, 0, 1).map((x) => (x < 0.3 ? 1 : 0)));
      const link = mem.array('float32', n);
      const [x, v, spikes] = [mem.array('float32', n), mem.array('float32', n), mem.array('float32', n)];
      const member = (def: ModuleDefinition, io: Float32Array[]) => {
        const compiled = compileDefinition(def);
        const inst = instantiate(compiled, { size: n, dt: 0.5 });
        const js = createJsKernel(compiled);
        const fake = { instance: inst, compiled, streamBase: 0 } as unknown as ResolvedModuleOp;
        const uniform = new Set(js.arrayNames.filter((k) => inst.uniform.has(k)));
        return { compiled, uniform, names: js, args: moduleKernelArgs(fake, [1, 2], io, js) };
      };
      const a = member(trace, [x, s, link]);
      const b = member(soma, [v, link, spikes]);
      const groups = fused
        ? [createWasmGroup([a, b], mem)]
        : [createWasmGroup([a], mem), createWasmGroup([b], mem)];
      for (let t = 0; t < 20; t++)
        for (const g of groups) {
          if ('unsupported' in g) throw new Error(g.unsupported);
          g.run(t);
        }
      return [x, v, spikes, link].map((arr) => Array.from(arr));
    };
    expect(run(true)).toEqual(run(false));
    expect(run(true)[2]?.some((k) => k === 1)).toBe(true);
  });

  it("refuses a group in which a member reads another member's output at another element", () => {
    const writer = parseDefinition(['module w over unit', 'output o: FloatArray f32', 'o = 1'].join('\n'));
    const reader = parseDefinition(
      ['module r over synapse', 'input x: FloatArray f32 per unit', 'output o: FloatArray f32', 'o = x'].join(
        '\n',
      ),
    );
    const mem = new HostMemory(1 << 20);
    const shared = mem.array('float32', 8);
    const mk = (def: ModuleDefinition, io: Float32Array[], nPre?: number) => {
      const compiled = compileDefinition(def);
      const inst = instantiate(compiled, { size: 8, ...(nPre ? { nPre } : {}), dt: 1 });
      const js = createJsKernel(compiled);
      const fake = { instance: inst, compiled, streamBase: 0 } as unknown as ResolvedModuleOp;
      return {
        compiled,
        uniform: new Set<string>(),
        names: js,
        args: moduleKernelArgs(fake, [1, 2], io, js),
      };
    };
    const out = mem.array('float32', 8);
    // another index space is refused outright; the same domain with a broadcast read too
    expect(createWasmGroup([mk(writer, [shared]), mk(reader, [shared, out], 2)], mem)).toEqual({
      unsupported: 'members differ in size',
    });
    const scalarReader = parseDefinition(
      ['module s over unit', 'input x: FloatArray f32 per scalar', 'output o: FloatArray f32', 'o = x'].join(
        '\n',
      ),
    );
    const g = createWasmGroup([mk(writer, [shared]), mk(scalarReader, [shared.subarray(0, 1), out])], mem);
    expect('unsupported' in g && g.unsupported).toMatch(/at another element/);
  });

  it('writes event lists: the ascending indices of the non-zero elements of an output, tails included', () => {
    const def = parseDefinition(
      [
        'module ev over unit',
        'output spikes: SpikeArray f32',
        'output k: IntegerMask i32',
        'spikes = f32(uniform() < 0.2)',
        'k = i32(uniform() < 0.5)',
      ].join('\n'),
    );
    for (const n of [1, 3, 4, 37, 1000]) {
      const compiled = compileDefinition(def);
      const inst = instantiate(compiled, { size: n, dt: 1 });
      const js = createJsKernel(compiled);
      const mem = new HostMemory(1 << 20);
      const spikes = mem.array('float32', n);
      const k = mem.array('int32', n);
      const lists = [0, 1].map(() => ({ idx: mem.array('int32', n), count: mem.array('int32', 1) }));
      const fake = { instance: inst, compiled, streamBase: 0 } as unknown as ResolvedModuleOp;
      const g = createWasmGroup(
        [
          {
            compiled,
            uniform: new Set(),
            names: js,
            args: moduleKernelArgs(fake, [3, 4], [spikes, k], js),
            events: [
              { output: 'spikes', ...(lists[0] as { idx: Int32Array; count: Int32Array }) },
              { output: 'k', ...(lists[1] as { idx: Int32Array; count: Int32Array }) },
            ],
          },
        ],
        mem,
      );
      if ('unsupported' in g) throw new Error(g.unsupported);
      for (let t = 0; t < 5; t++) {
        g.run(t);
        [spikes, k].forEach((out, j) => {
          const want = Array.from(out).flatMap((v, i) => (v !== 0 ? [i] : []));
          const l = lists[j] as { idx: Int32Array; count: Int32Array };
          expect(Array.from(l.idx.subarray(0, l.count[0]))).toEqual(want);
        });
      }
    }
  });

  it('float16 storage: loads exact, stores rounded to nearest even (subnormals, overflow, NaN, ±0)', async () => {
    const f16 = parseDefinition(
      [
        'module half over unit',
        'param g: f32 = 1',
        'state v: f32 = 0 as float16',
        'input x: FloatArray f32 as float16',
        'output o: FloatArray f32 as float16',
        'output w: FloatArray f32',
        'output tiny: FloatArray f32 as float16',
        'output half_x: FloatArray f32 as float16',
        'output nan: FloatArray f32 as float16',
        'v = v * g + x',
        'o = x * 1000000 - v / 100000',
        'w = v',
        'tiny = x * 0.01',
        'half_x = x * 0.5',
        'nan = v - v',
      ].join('\n'),
    );
    // wide inputs: overflow to ±infinity, subnormal results, NaN from ∞ − ∞
    for (const range of [
      [-1, 4],
      [-70000, 70000],
      [-0.001, 0.001],
      [-0.0001, 0.0001],
    ] as const) {
      const r = await compareWithF32({ def: f16, size: 37, steps: 12, range, randomState: 3 });
      expect(r.unsupported).toBeUndefined();
      expect(r.mismatches).toEqual([]);
    }
  });

  it('float16 conversions: every half loads exactly; every tie between halves and its neighbours, and random float32 patterns, store as core rounds them (fast-check)', () => {
    const n = 3 * 0x10000;
    const g = float16Conversion(n);
    if ('unsupported' in g) throw new Error(g.unsupported);
    // loads: all 2^16 half patterns
    for (let b = 0; b < 0x10000; b++) g.h[b] = b;
    // stores: the float32 midpoint between each half and the next one away from zero, ± 1 ulp
    for (let b = 0; b < 0x10000; b++) {
      const mid = float32Bits((fromFloat16Bits(b) + fromFloat16Bits(b + 1)) / 2);
      g.xBits.set([mid - 1, mid, mid + 1], 3 * b);
    }
    g.run();
    const bad: string[] = [];
    for (let b = 0; b < 0x10000 && bad.length < 8; b++)
      if (!Object.is(g.y[b], fromFloat16Bits(b))) bad.push(`load ${b.toString(16)}: ${g.y[b]}`);
    const check = (count: number) => {
      for (let i = 0; i < count && bad.length < 8; i++) {
        const bits = g.xBits[i] as number;
        if (g.o[i] !== expectedHalfBits(bits))
          bad.push(
            `store ${bits.toString(16)}: ${g.o[i]?.toString(16)} vs ${expectedHalfBits(bits).toString(16)}`,
          );
      }
    };
    check(n);
    expect(bad).toEqual([]);
    fc.assert(
      fc.property(fc.uint32Array({ minLength: 1, maxLength: 4096 }), (patterns) => {
        g.xBits.set(patterns);
        g.run();
        check(patterns.length);
        expect(bad).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });

  it('says why it cannot take a group', async () => {
    const draws = parseDefinition(
      [
        'module d over synapse',
        'output o: FloatArray f32',
        'output z: FloatArray f32',
        'o = uniform()',
        'z = normal()',
      ].join('\n'),
    );
    expect((await compareWithF32({ def: draws, size: 6, nPre: 3, steps: 1 })).unsupported).toMatch(
      /normal draws .* not a multiple of 4/,
    );
    expect((await compareWithF32({ def: draws, size: 8, nPre: 4, steps: 2 })).mismatches).toEqual([]);
  });
});
