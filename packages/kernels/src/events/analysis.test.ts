import { describe, expect, it } from 'vitest';
import { checkDefinition } from '../lang/check.ts';
import {
  evalExpr,
  extentLength,
  interpretInitialState,
  interpretStep,
  type ParamValue,
} from '../lang/interpret.ts';
import type { CheckedDefinition, TExpr } from '../lang/ir.ts';
import { lcg, randomParams, randomValue } from '../lang/testing.ts';
import { CORRECTED, SPARK_COMPAT } from '../library/compat.ts';
import { PLASTICITY_NAMES, plasticityDefinition } from '../plasticity/build.ts';
import { SYNAPSE_NAMES, synapseDefinition } from '../synapses/build.ts';
import { analyzeEvents, type EventAnalysis } from './analysis.ts';

const rule = (name: (typeof PLASTICITY_NAMES)[number], async: boolean, compat = SPARK_COMPAT) =>
  checkDefinition(plasticityDefinition(name, async, compat));
const synapses = (name: (typeof SYNAPSE_NAMES)[number], async: boolean) =>
  checkDefinition(synapseDefinition(name, async)!);

const summary = (a: EventAnalysis) => ({
  gated: a.gated,
  states: Object.fromEntries(
    a.states.map((s) => [s.name, `${s.quiet.kind}/${s.key}${s.increment ? '/affine' : ''}`]),
  ),
  outputs: Object.fromEntries(a.outputs.map((o) => [o.name, o.quiet.kind])),
});

describe('event analysis of the Spark rules and synapses', () => {
  it('says which plasticity rules change weights only at events (per-synapse pre spikes, as inside neurons)', () => {
    const table = Object.fromEntries(PLASTICITY_NAMES.map((n) => [n, summary(analyzeEvents(rule(n, true)))]));
    expect(table).toEqual({
      // ΔW = η(y_i s_ij + z_i x_ij): 0 without spikes; x per synapse, fed by the delayed pre spike.
      hebbian_rule: {
        gated: true,
        states: { pre_trace: 'decay/pre/affine' },
        outputs: { updated_kernel: 'passthrough' },
      },
      // ΔW = η(y_i s_ij − W_ij y_i²): the decay term moves every weight every step.
      oja_rule: { gated: false, states: {}, outputs: { updated_kernel: 'dense' } },
      three_factor_hebbian_rule: {
        gated: true,
        states: { pre_trace: 'decay/pre/affine' },
        outputs: { updated_kernel: 'passthrough' },
      },
      quadruplet_rule: {
        gated: true,
        states: { pre_trace: 'decay/pre/affine' },
        outputs: { updated_kernel: 'passthrough' },
      },
      quadruplet_rule_tensor: {
        gated: true,
        states: { pre_trace: 'decay/pre/affine', post_trace: 'decay/post/affine' },
        outputs: { updated_kernel: 'passthrough' },
      },
      // ΔW is 0 without spikes, but the target W̃ follows W every step (δ = W − p·W̃(¼ − W̃)(½ − W̃)).
      zenke_rule: {
        gated: false,
        states: { pre_trace: 'decay/pre/affine', target: 'dense/synapse' },
        outputs: { updated_kernel: 'passthrough' },
      },
    });
    // Presynaptic spikes per neuron (sync): the pre trace is a unit-domain spike_trace outside the rule.
    expect(analyzeEvents(rule('hebbian_rule', false)).gated).toBe(true);
    expect(analyzeEvents(rule('oja_rule', false)).gated).toBe(false);
    expect(analyzeEvents(rule('quadruplet_rule_tensor', false, CORRECTED)).gated).toBe(true);
    const zenke = analyzeEvents(rule('zenke_rule', true));
    expect(zenke.reasons).toEqual([
      'state "target": without spikes "target" is not held or decayed by parameters alone',
    ]);
  });

  it('finds the traced synapses to be decaying traces with an event increment (row-sum integrators)', () => {
    const traced = analyzeEvents(synapses('traced_synapses', true));
    expect(summary(traced).states).toEqual({ current_trace: 'decay/synapse/affine' });
    const q = traced.states[0]!;
    expect(q.quiet.kind === 'decay' && q.quiet.base?.k).toBe('param'); // base + λ·(q − base)
    const zeroBase = analyzeEvents(synapses('traced_synapses', true), { zeroParams: ['base'] });
    const z = zeroBase.states[0]!;
    expect(z.quiet.kind === 'decay' && z.quiet.base).toBeUndefined(); // λ·q
    const rd = analyzeEvents(synapses('rd_traced_synapses', true));
    expect(summary(rd).states).toEqual({
      rise_trace: 'decay/synapse/affine',
      decay_trace: 'decay/synapse/affine',
    });
    expect(rd.outputs[0]!.linear?.map((t) => t.state)).toEqual(['decay_trace', 'rise_trace']);
    const rfs = analyzeEvents(synapses('rfs_traced_synapses', false));
    expect(rfs.outputs[0]!.linear?.map((t) => t.state).sort()).toEqual([
      'fast_decay_trace',
      'fast_rise_trace',
      'slow_decay_trace',
      'slow_rise_trace',
    ]);
  });
});

/** Every synapse-domain definition of the library with an analysis. */
const DEFINITIONS: Array<[string, CheckedDefinition]> = [
  ...PLASTICITY_NAMES.flatMap((n) =>
    [true, false].flatMap((async) =>
      [CORRECTED, SPARK_COMPAT].map((c): [string, CheckedDefinition] => [
        `${n}${async ? ' async' : ''} ${c === CORRECTED ? 'corrected' : 'spark'}`,
        rule(n, async, c),
      ]),
    ),
  ),
  ...SYNAPSE_NAMES.filter((n) => n !== 'linear_synapses').flatMap((n) =>
    [true, false].map((async): [string, CheckedDefinition] => [
      `${n}${async ? ' async' : ''}`,
      synapses(n, async),
    ]),
  ),
];

/** A random instance: post 5 × pre 6, parameters from 2 classes, states and non-spike inputs random. */
function instance(def: CheckedDefinition, seed: number) {
  const rnd = lcg(seed);
  const shape = { size: 30, nPre: 6 };
  const params = randomParams(def, rnd, shape, 2);
  const state = interpretInitialState(def, shape, params, 1);
  for (const s of def.state) {
    const a = state[s.name] as Float64Array;
    // Traces are ≥ 0 in the Spark modules; any finite value works for the algebra.
    for (let i = 0; i < a.length; i++) a[i] = Math.abs(randomValue(rnd, 'f32'));
  }
  return { rnd, shape, params, state };
}

describe('the analysis agrees with the interpreter', () => {
  it.each(DEFINITIONS)(
    '%s: quiet elements hold/decay their states, pass their weights through, increments add up',
    (_n, def) => {
      const analysis = analyzeEvents(def);
      for (let seed = 1; seed <= 5; seed++) {
        const { rnd, shape, params, state } = instance(def, seed);
        // Sparse random spikes: many elements quiet, some not.
        const inputs: Record<string, Float64Array> = {};
        for (const p of def.inputs) {
          const n = extentLength(p.extent, shape);
          inputs[p.name] = Float64Array.from({ length: n }, () => {
            if (p.payload === 'SpikeArray') return rnd() < 0.15 ? (rnd() < 0.5 ? -1 : 1) : 0;
            // Weights inside [0, 20] (the clip range of every rule's defaults and of these draws' ≥ 0.5).
            return p.name === 'kernel' ? rnd() * 0.5 : (rnd() - 0.2) * 2;
          });
        }
        const before = Object.fromEntries(Object.entries(state).map(([k, v]) => [k, Float64Array.from(v)]));
        const outputs = Object.fromEntries(def.outputs.map((o) => [o.name, new Float64Array(shape.size)]));
        interpretStep(def, { ...shape, params, state, inputs, outputs, step: 3, dt: 1, seed: 7 });
        const env = (i: number, locals?: Map<string, number>) => ({
          i,
          nPre: shape.nPre,
          dt: 1,
          params: params as Record<string, ParamValue>,
          state: before,
          inputs,
          ...(locals ? { locals } : {}),
        });
        const quietAt = (i: number, reads: { spikes: readonly { name: string; extent: string }[] }) =>
          reads.spikes.every((r) => {
            const k =
              r.extent === 'unit' ? Math.floor(i / shape.nPre) : r.extent === 'pre' ? i % shape.nPre : i;
            return (inputs[r.name] as Float64Array)[k] === 0;
          });
        for (const s of analysis.states) {
          const after = state[s.name] as Float64Array;
          for (let i = 0; i < shape.size; i++) {
            const x = (before[s.name] as Float64Array)[i] as number;
            const ev = (e: TExpr) => evalExpr(e, env(i));
            if (quietAt(i, s.reads)) {
              if (s.quiet.kind === 'hold') expect(after[i]).toBe(x);
              if (s.quiet.kind === 'decay') {
                const b = s.quiet.base ? ev(s.quiet.base) : 0;
                expect(after[i]).toBe(
                  s.quiet.base ? b + ev(s.quiet.factor) * (x - b) : ev(s.quiet.factor) * x,
                );
              }
            }
            if (s.increment && s.quiet.kind === 'decay') {
              const b = s.quiet.base ? ev(s.quiet.base) : 0;
              const quietPart = s.quiet.base ? b + ev(s.quiet.factor) * (x - b) : ev(s.quiet.factor) * x;
              const sum = quietPart + ev(s.increment);
              expect(Math.abs((after[i] as number) - sum)).toBeLessThanOrEqual(
                1e-12 * Math.max(1, Math.abs(sum)),
              );
            }
          }
        }
        for (const o of analysis.outputs) {
          if (o.quiet.kind !== 'passthrough') continue;
          const q = o.quiet;
          for (let i = 0; i < shape.size; i++) {
            if (!quietAt(i, o.reads)) continue;
            const w = (inputs[q.input] as Float64Array)[i] as number;
            const lo = q.lo ? evalExpr(q.lo, env(i)) : -Infinity;
            const hi = q.hi ? evalExpr(q.hi, env(i)) : Infinity;
            if (w >= lo && w <= hi) expect((outputs[o.name] as Float64Array)[i]).toBe(w);
          }
        }
      }
    },
  );
});

describe('shared traces', () => {
  it('a "pre" state is one sequence per (pre unit, delay, parameter class) and a "post" state one per (post unit, class)', () => {
    const def = rule('quadruplet_rule_tensor', true, CORRECTED);
    const analysis = analyzeEvents(def);
    expect(analysis.states.map((s) => [s.name, s.key])).toEqual([
      ['pre_trace', 'pre'],
      ['post_trace', 'post'],
    ]);
    const post = 6;
    const pre = 7;
    const shape = { size: post * pre, nPre: pre };
    const rnd = lcg(11);
    // Two classes: parameters depend on (post unit parity, pre unit parity) like E/I types.
    const cls = (i: number, j: number) => 2 * (i % 2) + (j % 2);
    const table = randomParams(def, rnd, { size: 4, nPre: 1 });
    const params: Record<string, ParamValue> = {};
    for (const p of def.params)
      params[p.name] =
        p.extent === 'scalar'
          ? (table[p.name] as number)
          : Float64Array.from(
              { length: post * pre },
              (_, k) => (table[p.name] as Float64Array)[cls(Math.floor(k / pre), k % pre)] as number,
            );
    const delays = Int32Array.from({ length: post * pre }, () => 1 + Math.floor(rnd() * 3));
    const state = interpretInitialState(def, shape, params, 1);
    const history: Float64Array[] = [];
    for (let t = 0; t < 60; t++) {
      const preSpikes = Float64Array.from({ length: pre }, () => (rnd() < 0.2 ? 1 : 0));
      history.unshift(preSpikes);
      const delayed = Float64Array.from({ length: post * pre }, (_, k) => {
        const d = delays[k] as number;
        return (history[d] as Float64Array | undefined)?.[k % pre] ?? 0;
      });
      const inputs = {
        pre_spikes: delayed,
        post_spikes: Float64Array.from({ length: post }, () => (rnd() < 0.2 ? 1 : 0)),
        modulation: [0.5],
        kernel: new Float64Array(post * pre).fill(1),
      };
      const outputs = { updated_kernel: new Float64Array(post * pre) };
      interpretStep(def, { ...shape, params, state, inputs, outputs, step: t, dt: 1 });
      const seen = new Map<string, number>();
      for (let k = 0; k < post * pre; k++) {
        const i = Math.floor(k / pre);
        const j = k % pre;
        const keys = {
          pre_trace: `pre ${j} ${delays[k]} ${cls(i, j)}`,
          post_trace: `post ${i} ${cls(i, j)}`,
        };
        for (const [s, key] of Object.entries(keys)) {
          const v = (state[s] as Float64Array)[k] as number;
          const first = seen.get(key);
          if (first === undefined) seen.set(key, v);
          else expect(Object.is(v, first)).toBe(true);
        }
      }
    }
  });
});
