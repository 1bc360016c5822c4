import { describe, expect, it } from 'vitest';
import { CORRECTED, SPARK_COMPAT } from '../library/compat.ts';
import { LIBRARY } from '../library/registry.ts';
import type { ModuleDefinition } from './ast.ts';
import { checkDefinition } from './check.ts';
import { evaluatorOf } from './evaluate.ts';
import { extentLength, interpretInitialState, interpretStep } from './interpret.ts';
import type { CheckedDefinition } from './ir.ts';
import { parseDefinition } from './parser.ts';
import { lcg, randomParams, randomValue } from './testing.ts';

/** Runs `steps` steps on the interpreter and on the evaluator from the same random start; returns both runs. */
function both(def: CheckedDefinition, seed: number, steps = 3, rngSeed = 1805829445 + seed) {
  const rnd = lcg(seed);
  const nPre = def.domain === 'synapse' ? 4 : 1;
  const size = 3 * nPre;
  const shape = { size, nPre };
  const value = (type: string, payload = ''): number =>
    payload === 'SpikeArray' ? ([-1, 0, 0, 1][Math.floor(rnd() * 4)] as number) : randomValue(rnd, type);
  const params = randomParams(def, rnd, shape);
  const initial = interpretInitialState(def, shape, params, 1);
  for (const s of def.state) {
    const a = initial[s.name] as Float64Array;
    for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) + value(s.type);
  }
  const run = (
    stepFn: (
      state: Record<string, Float64Array>,
      step: number,
      inputs: Record<string, Float64Array>,
      outputs: Record<string, Float64Array>,
    ) => void,
  ) => {
    const inputRnd = lcg(seed + 1);
    const state = Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, Float64Array.from(v)]));
    const trace: number[] = [];
    for (let t = 0; t < steps; t++) {
      const inputs: Record<string, Float64Array> = {};
      for (const p of def.inputs)
        inputs[p.name] = Float64Array.from({ length: extentLength(p.extent, shape) }, () => {
          const r = inputRnd();
          if (p.payload === 'SpikeArray') return r < 0.3 ? -1 : r < 0.6 ? 1 : 0;
          // Odd steps drive hard (somas spike and reset), even steps stay near [0, 1] (probabilities).
          return p.type === 'f32' ? (r - 0.25) * (t % 2 === 1 ? 40 : 1.5) : Math.floor(r * 10);
        });
      const outputs = Object.fromEntries(def.outputs.map((o) => [o.name, new Float64Array(size)]));
      stepFn(state, t, inputs, outputs);
      for (const a of [...Object.values(state), ...Object.values(outputs)]) trace.push(...a);
    }
    return trace;
  };
  const args = (
    state: Record<string, Float64Array>,
    step: number,
    inputs: Record<string, Float64Array>,
    outputs: Record<string, Float64Array>,
  ) => ({
    size,
    nPre,
    params,
    state,
    inputs,
    outputs,
    step,
    dt: 0.5,
    seed: rngSeed,
    streamBase: 17,
  });
  const reference = run((s, t, i, o) => interpretStep(def, args(s, t, i, o)));
  const evaluate = evaluatorOf(def);
  const compiled = run((s, t, i, o) => evaluate(args(s, t, i, o)));
  return { reference, compiled };
}

/** Bitwise equality of two float64 sequences (NaN equals NaN, 0 and −0 differ). */
function expectSameBits(a: readonly number[], b: readonly number[], what: string) {
  expect(a.length, what).toBe(b.length);
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) expect([k, a[k]], what).toEqual([k, b[k]]);
}

describe('evaluatorOf (the interpreter, compiled)', () => {
  const defs: Array<[string, ModuleDefinition]> = [];
  for (const entry of Object.values(LIBRARY))
    for (const compat of [CORRECTED, SPARK_COMPAT])
      for (const async of [false, true])
        for (const d of entry.definitions(compat, async))
          defs.push([
            `${entry.name} ${compat === CORRECTED ? 'corrected' : 'spark'}${async ? ' async' : ''} ${d.name}`,
            d,
          ]);

  it.each(defs)('equals interpretStep bit for bit: %s', (_name, def) => {
    const checked = checkDefinition(def);
    let drawsMatter = false;
    for (let seed = 1; seed <= 12; seed++) {
      const { reference, compiled } = both(checked, seed);
      expectSameBits(compiled, reference, `seed ${seed}`);
      if (checked.randomSites > 0) {
        const other = both(checked, seed, 3, 7).reference;
        drawsMatter ||= other.some((x, k) => !Object.is(x, reference[k]));
      }
    }
    // A definition that draws must show it: the comparison above covers its draws.
    expect(drawsMatter).toBe(checked.randomSites > 0);
  });

  it('follows the interpreter on integers, casts, logic, float16 storage and every draw', () => {
    const def = checkDefinition(
      parseDefinition(`
module t over synapse
param a: f32 = 1.5
param k: i32 = 3
param w: f32 per synapse = 2
state cnt: i32 = 0
state m: u32 = 7
state h: f32 = 0.1 as float16
input x: FloatArray f32 per pre
input s: SpikeArray f32
output o: FloatArray f32
output p: FloatArray f32 as float16
let c = x > 0.5 && s != 0 || !(x < -3)
let twice = f32(k) * x
cnt = cnt * k + i32(x) / 2 - cnt % 4
m = (m * 3 + u32(abs(x))) / 2
h = h + w * x
o = (c ? twice : twice - 1) + f32(cnt) + f32(m) + uniform() + normal() + (bernoulli(0.3) ? 1 : 0)
p = clamp(round(x * a), -5, 5) + sign(x) + pow(abs(x), 0.5) + min(x, a) + max(x, w)
`),
    );
    for (const seed of [4, 5, 6, 7]) {
      const { reference, compiled } = both(def, seed, 5);
      expectSameBits(compiled, reference, `seed ${seed}`);
    }
  });

  it('reports a missing value as the interpreter does', () => {
    const def = checkDefinition(
      parseDefinition('module t\ninput x: FloatArray f32\noutput o: FloatArray f32\no = x * 2'),
    );
    const run = evaluatorOf(def);
    const args = {
      size: 2,
      params: {},
      state: {},
      inputs: {},
      outputs: { o: new Float64Array(2) },
      step: 0,
      dt: 1,
    };
    expect(() => interpretStep(def, args)).toThrow(/no value for input "x"/);
    expect(() => run(args)).toThrow(/no value for input "x"/);
  });
});
