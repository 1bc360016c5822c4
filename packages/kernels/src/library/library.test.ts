// Modules without golden fixtures (hand-computed expectations) and the corrected behaviour of the
// modules with compatibility switches, on the float64 reference and the cpu backend.

import { defaultRegistry } from '@spark-snn/config';
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../backends/cpu/index.ts';
import { drawInitializer, initializerFragment } from '../initializers/draw.ts';
import {
  buildConcat,
  buildExponentialIntegrator,
  buildSampler,
  buildTopologicalSpiker,
} from '../interfaces/build.ts';
import { buildPlasticity } from '../plasticity/build.ts';
import { quadrupletTensorParams } from '../plasticity/quadruplet_rule_tensor.ts';
import { buildSynapses } from '../synapses/build.ts';
import { CORRECTED, SPARK_COMPAT } from './compat.ts';
import { LIBRARY, sparkModule } from './registry.ts';
import { runFragmentOn, runFragmentReference } from './testing.ts';

describe('rfs_traced_synapses (no golden: closed form)', () => {
  it('one spike gives α·(D_f − R_f) + (1 − α)·(D_s − R_s) with the closed-form traces', async () => {
    const cfg = { kernel: [[2, 0]], alpha: 0.7, tau_rise: 1, tau_fast_decay: 5, tau_slow_decay: 50 };
    const f = buildSynapses('rfs_traced_synapses', {
      prefix: 'syn',
      dt: 1,
      units: 1,
      pre: 2,
      async: false,
      config: cfg,
    });
    const steps = 20;
    const spikes = Array.from({ length: steps }, (_, t) => [t === 0 ? 1 : 0, 0]);
    const expected = Array.from({ length: steps }, (_, t) => {
      const branch = (tauD: number): number => {
        const tauR = (1 * tauD) / (1 + tauD);
        return 2 * (Math.exp(-t / tauD) - Math.exp(-t / tauR));
      };
      return 0.7 * branch(5) + 0.3 * branch(50);
    });
    const ref = runFragmentReference(f, {
      dt: 1,
      steps,
      inputs: { 'syn.spikes': spikes },
      record: ['syn.currents'],
    });
    const cpu = await runFragmentOn(cpuBackend(), f, {
      dt: 1,
      steps,
      inputs: { 'syn.spikes': spikes },
      record: ['syn.currents'],
    });
    expected.forEach((e, t) => {
      expect(ref['syn.currents']?.[t]?.[0]).toBeCloseTo(e, 6);
      expect(cpu['syn.currents']?.[t]?.[0]).toBeCloseTo(e, 5);
    });
  });
});

describe('plasticity rules without goldens and corrected rules', () => {
  const units = 2;
  const pre = 3;
  const kernel = [0.5, 0.2, 0.1, 0.3, 0.4, 0.6];
  const steps = 6;
  const preSpikes = [
    [1, 0, 0],
    [0, 1, 0],
    [1, 1, 0],
    [0, 0, 1],
    [0, 0, 0],
    [1, 0, 1],
  ];
  const postSpikes = [
    [0, 1],
    [1, 0],
    [0, 0],
    [1, 1],
    [0, 1],
    [0, 0],
  ];

  it('zenke_rule follows the hand-computed triplet rule with its per-synapse target', async () => {
    const cfg = {
      eta: 0.1,
      a: 1,
      b: -1,
      c: -1,
      d: 1,
      p: 20,
      pre_tau: 20,
      post_tau: 10,
      post_slow_tau: 40,
      target_tau: 200,
    };
    const f = buildPlasticity('zenke_rule', {
      prefix: 'z',
      dt: 1,
      units,
      pre,
      async: false,
      config: cfg,
      compat: CORRECTED,
      initialKernel: kernel,
    });
    const inputs = { 'z.pre_spikes': preSpikes, 'z.post_spikes': postSpikes };
    const r = runFragmentReference(f, { dt: 1, steps, inputs, record: ['z.kernel'] });
    const W = [...kernel];
    const target = new Array<number>(units * pre).fill(0);
    const x = new Array<number>(pre).fill(0);
    const y = new Array<number>(units).fill(0);
    const ys = new Array<number>(units).fill(0);
    for (let t = 0; t < steps; t++) {
      const s = preSpikes[t] as number[];
      const z = postSpikes[t] as number[];
      for (let j = 0; j < pre; j++) x[j] = Math.exp(-1 / 20) * (x[j] as number) + (s[j] as number) / 20;
      for (let i = 0; i < units; i++) {
        y[i] = Math.exp(-1 / 10) * (y[i] as number) + (z[i] as number) / 10;
        ys[i] = Math.exp(-1 / 40) * (ys[i] as number) + (z[i] as number) / 40;
      }
      for (let i = 0; i < units; i++) {
        for (let j = 0; j < pre; j++) {
          const k = i * pre + j;
          const w = W[k] as number;
          const tw = target[k] as number;
          const delta = w - 20 * tw * (0.25 - tw) * (0.5 - tw);
          const nt = Math.exp(-1 / 200) * tw + delta / 200;
          target[k] = nt;
          const yi = y[i] as number;
          const dw =
            0.1 *
            ((ys[i] as number) * (z[i] as number) * (x[j] as number) -
              yi * (s[j] as number) -
              (w - nt) * yi ** 3 * (z[i] as number) +
              (s[j] as number));
          W[k] = Math.max(0, w + dw);
        }
      }
      r['z.kernel']?.[t]?.forEach((v, k) => {
        expect(v).toBeCloseTo(W[k] as number, 6);
      });
    }
    const cpu = await runFragmentOn(cpuBackend(), f, { dt: 1, steps, inputs, record: ['z.kernel'] });
    cpu['z.kernel']?.at(-1)?.forEach((v, k) => {
      expect(v).toBeCloseTo(W[k] as number, 5);
    });
  });

  it('quadruplet_rule (intended rule; upstream cannot build it) follows the hand-computed update', () => {
    const cfg = { gamma: 0.1, q_alpha: 0.5, q_beta: -1, q_gamma: 0.25, q_delta: 2, pre_tau: 10, post_tau: 5 };
    const f = buildPlasticity('quadruplet_rule', {
      prefix: 'q',
      dt: 1,
      units,
      pre,
      async: false,
      config: cfg,
      compat: CORRECTED,
      initialKernel: kernel,
    });
    const mod = 0.5;
    const r = runFragmentReference(f, {
      dt: 1,
      steps,
      inputs: { 'q.pre_spikes': preSpikes, 'q.post_spikes': postSpikes, 'q.modulation': [[mod]] },
      record: ['q.kernel'],
    });
    const W = [...kernel];
    const x = new Array<number>(pre).fill(0);
    const y = new Array<number>(units).fill(0);
    for (let t = 0; t < steps; t++) {
      const s = preSpikes[t] as number[];
      const z = postSpikes[t] as number[];
      for (let j = 0; j < pre; j++) x[j] = Math.exp(-1 / 10) * (x[j] as number) + (s[j] as number) / 10;
      for (let i = 0; i < units; i++) y[i] = Math.exp(-1 / 5) * (y[i] as number) + (z[i] as number) / 5;
      for (let i = 0; i < units; i++)
        for (let j = 0; j < pre; j++) {
          const k = i * pre + j;
          const dw =
            0.1 *
            mod *
            (0.5 * (s[j] as number) -
              (y[i] as number) * (s[j] as number) +
              0.25 * (z[i] as number) +
              2 * (z[i] as number) * (x[j] as number));
          W[k] = Math.max(0, (W[k] as number) + dw);
        }
      r['q.kernel']?.[t]?.forEach((v, k) => {
        expect(v).toBeCloseTo(W[k] as number, 6);
      });
    }
  });

  it('three_factor_hebbian_rule builds with sync spikes and equals the async rule fed the same spikes', () => {
    const cfg = { gamma: 0.2, pre_tau: 10, post_tau: 10 };
    const reward = [[0.3]];
    const sync = buildPlasticity('three_factor_hebbian_rule', {
      prefix: 's',
      dt: 1,
      units,
      pre,
      async: false,
      config: cfg,
      compat: CORRECTED,
      initialKernel: kernel,
    });
    const asyncF = buildPlasticity('three_factor_hebbian_rule', {
      prefix: 'a',
      dt: 1,
      units,
      pre,
      async: true,
      config: cfg,
      compat: CORRECTED,
      initialKernel: kernel,
    });
    const rs = runFragmentReference(sync, {
      dt: 1,
      steps,
      inputs: { 's.pre_spikes': preSpikes, 's.post_spikes': postSpikes, 's.reward': reward },
      record: ['s.kernel'],
    });
    const perSynapse = preSpikes.map((row) => [...row, ...row]);
    const ra = runFragmentReference(asyncF, {
      dt: 1,
      steps,
      inputs: { 'a.pre_spikes': perSynapse, 'a.post_spikes': postSpikes, 'a.reward': reward },
      record: ['a.kernel'],
    });
    for (let t = 0; t < steps; t++)
      ra['a.kernel']?.[t]?.forEach((v, k) => {
        expect(rs['s.kernel']?.[t]?.[k]).toBeCloseTo(v, 14);
      });
    expect(rs['s.kernel']?.at(-1)).not.toEqual(Float64Array.from(kernel));
  });

  it('three_factor_hebbian_rule: no change at zero reward (corrected); Spark adds +0.1 to the reward', () => {
    const run = (compat: typeof CORRECTED): Float64Array => {
      const f = buildPlasticity('three_factor_hebbian_rule', {
        prefix: 'r',
        dt: 1,
        units,
        pre,
        async: true,
        config: {},
        compat,
        initialKernel: kernel,
      });
      const r = runFragmentReference(f, {
        dt: 1,
        steps,
        inputs: {
          'r.pre_spikes': preSpikes.map((row) => [...row, ...row]),
          'r.post_spikes': postSpikes,
          'r.reward': [[0]],
        },
        record: ['r.kernel'],
      });
      return r['r.kernel']?.at(-1) as Float64Array;
    };
    expect(Array.from(run(CORRECTED))).toEqual(kernel.map(Math.fround));
    expect(Array.from(run(SPARK_COMPAT))).not.toEqual(kernel.map(Math.fround));
  });

  it('quadruplet_rule_tensor: synapse types from the masks (corrected), all EE inside a Neuron in Spark compatibility', () => {
    const cfg = { q_alpha: [1, 2, 3, 4] };
    const common = { units: 2, pre: 2, dt: 1, inhibitionPost: [0, 1], inhibitionPre: [0, 1] };
    const types = quadrupletTensorParams(cfg, { ...common, float16: false, masksMissing: false });
    expect(Array.from(types.q_alpha as Float64Array)).toEqual([1, 2, 3, 4]);
    // All EE: one value for every synapse.
    const allEE = quadrupletTensorParams(cfg, { ...common, float16: true, masksMissing: true });
    expect(allEE.q_alpha).toBe(1);
    const f16 = quadrupletTensorParams(
      { pre_tau: [10.7527, 10, 10, 10] },
      { ...common, float16: true, masksMissing: false },
    );
    expect((f16.pre_decay as Float64Array)[0]).toBe(Math.fround(0.9111328));
    expect((f16.pre_scale as Float64Array)[0]).toBe(Math.fround(0.09301758));
    // A tuple the config does not give takes the config schema's default (declared only there).
    const schema = defaultRegistry.get('quadruplet_rule_tensor');
    const dflt = (name: string) => schema?.fields.find((f) => f.name === name)?.default as number[];
    const defaults = quadrupletTensorParams({}, { ...common, float16: false, masksMissing: false });
    expect(dflt('max_clip')).toHaveLength(4);
    expect(defaults.max_clip).toBe(dflt('max_clip')[0]);
    expect(defaults.pre_tau).toBe(dflt('pre_tau')[0]);
  });
});

describe('interfaces: corrected behaviour and control modules', () => {
  it('exponential_integrator smooth trace (corrected) ≈ population rate / saturation_freq, Spark differs', () => {
    const n = 50;
    const steps = 1500;
    const fsat = 50;
    const config = { num_outputs: 1, saturation_freq: fsat, tau: 5, shuffle: false, smooth_trace: true };
    // Every unit fires regularly at fsat (every 20 steps, staggered): population rate = fsat.
    const spikes = Array.from({ length: steps }, (_, t) =>
      Array.from({ length: n }, (_, i) => ((t + i) % 20 === 0 ? 1 : 0)),
    );
    const mean = (compat: typeof CORRECTED): number => {
      const f = buildExponentialIntegrator(n, { prefix: 'ei', dt: 1, config, compat });
      const r = runFragmentReference(f, {
        dt: 1,
        steps,
        inputs: { 'ei.spikes': spikes },
        record: ['ei.signal'],
      });
      const tail = (r['ei.signal'] as Float64Array[]).slice(500);
      return tail.reduce((a, x) => a + (x[0] as number), 0) / tail.length;
    };
    expect(mean(CORRECTED)).toBeCloseTo(1, 1);
    expect(Math.abs(mean(SPARK_COMPAT) - 1)).toBeGreaterThan(0.2);
  });

  it('exponential_integrator: an output_map sets the real group sizes (corrected), the even split in Spark compatibility', () => {
    const config = {
      num_outputs: 2,
      output_map: [0, 0, 0, 1],
      shuffle: false,
      smooth_trace: false,
      tau: 5,
      saturation_freq: 50,
    };
    const f = buildExponentialIntegrator(4, { prefix: 'ei', dt: 1, config, compat: CORRECTED });
    const g = buildExponentialIntegrator(4, { prefix: 'ei', dt: 1, config, compat: SPARK_COMPAT });
    const params = (fr: typeof f): unknown => {
      const attrs = fr.ops.find((o) => o.op === 'module' && o.name === 'ei')?.attrs as {
        params: Record<string, unknown>;
      };
      return attrs.params._group_size;
    };
    expect(params(f)).toEqual([3, 1]);
    expect(params(g)).toEqual([2, 2]);
  });

  it('topological_linear_spiker: Spark drops dt (differs at dt = 0.5 ms, identical at dt = 1 ms)', () => {
    const config = { resolution: 8, tau: 20, cd: 2, max_freq: 128, sigma: 0.05 };
    const count = (compat: typeof CORRECTED, dt: number): number => {
      const f = buildTopologicalSpiker('topological_linear_spiker', 1, { prefix: 't', dt, config, compat });
      const r = runFragmentReference(f, {
        dt,
        steps: Math.round(200 / dt),
        inputs: { 't.signal': [[0.5]] },
        record: ['t.spikes'],
      });
      return (r['t.spikes'] as Float64Array[]).reduce((a, row) => a + row.reduce((b, x) => b + x, 0), 0);
    };
    expect(count(CORRECTED, 1)).toBe(count(SPARK_COMPAT, 1));
    expect(count(CORRECTED, 0.5)).not.toBe(count(SPARK_COMPAT, 0.5));
    // Corrected: the rate in Hz does not depend on dt (within one spike per place cell).
    expect(Math.abs(count(CORRECTED, 0.5) - count(CORRECTED, 1))).toBeLessThanOrEqual(8);
  });

  it('concat, concat_reshape and sampler gather values on the cpu backend', async () => {
    const c = buildConcat('c', [2, 3]);
    const r = await runFragmentOn(cpuBackend(), c, {
      dt: 1,
      steps: 1,
      inputs: { 'c.inputs_0': [[1, -2]], 'c.inputs_1': [[3, 0, 5.5]] },
      record: ['c.output'],
    });
    expect(Array.from(r['c.output']?.[0] ?? [])).toEqual([1, -2, 3, 0, 5.5]);
    expect(() => buildConcat('c', [2, 3], [2, 2])).toThrow(/does not hold 5/);
    const s = buildSampler('s', 4, 6, 11);
    const rs = await runFragmentOn(cpuBackend(), s, {
      dt: 1,
      steps: 1,
      inputs: { 's.inputs': [[10, 20, 30, 40]] },
      record: ['s.output'],
    });
    expect(Array.from(rs['s.output']?.[0] ?? [])).toEqual(s.indices.map((i) => [10, 20, 30, 40][i]));
  });
});

describe('initializers drawn from the counter-based RNG', () => {
  it('the device fragment (cpu backend) and the host draw agree', async () => {
    for (const cfg of [
      { __class_ref__: 'UniformInitializer', scale: 3 },
      { __class_ref__: 'SparseUniformInitializer', density: 0.3, max_value: 0.5 },
      { __class_ref__: 'NormalizedSparseUniformInitializer', density: 0.5, scale: 2 },
      { __class_ref__: 'ConstantInitializer', scale: 0.25 },
    ]) {
      const shape = { rows: 8, cols: 16 };
      const host = drawInitializer(cfg, shape, 42);
      const f = initializerFragment(cfg, shape, 'init');
      const r = await runFragmentOn(cpuBackend(), f, {
        dt: 1,
        steps: 1,
        seed: 42,
        record: [f.outputs.value as string],
      });
      for (const [k, v] of Array.from(r[f.outputs.value as string]?.[0] ?? []).entries()) {
        expect(v).toBeCloseTo(host[k] as number, 6);
      }
    }
  });
  it('sparse density, clipping and row normalisation', () => {
    const shape = { rows: 40, cols: 250 };
    const sparse = drawInitializer(
      { __class_ref__: 'SparseUniformInitializer', density: 0.2, scale: 2, max_value: 1.5 },
      shape,
      3,
    );
    const nz = sparse.filter((x) => x !== 0).length;
    const n = shape.rows * shape.cols;
    expect(Math.abs(nz - 0.2 * n)).toBeLessThan(5 * Math.sqrt(n * 0.2 * 0.8));
    expect(Math.max(...sparse)).toBeLessThanOrEqual(1.5);
    const norm = drawInitializer(
      { __class_ref__: 'NormalizedSparseUniformInitializer', density: 0.2 },
      shape,
      3,
    );
    for (let i = 0; i < shape.rows; i++) {
      let s = 0;
      for (let j = 0; j < shape.cols; j++) s += norm[i * shape.cols + j] as number;
      expect(s).toBeCloseTo(1, 5);
    }
  });
});

describe('library registry', () => {
  it('every entry has definitions that check, ports, and a known category', () => {
    for (const e of Object.values(LIBRARY)) {
      expect(e.outputs.length + e.inputs.length).toBeGreaterThan(0);
      for (const compat of [CORRECTED, SPARK_COMPAT])
        for (const d of e.definitions(compat)) expect(d.name).toMatch(/^[a-z_]+$/);
    }
    expect(() => sparkModule('nope')).toThrow(/unknown Spark module "nope"/);
  });
  it('builds somas, synapses, delays, rules and spikers from configs with Spark defaults', async () => {
    const soma = sparkModule('adaptive_leaky_soma').build({ prefix: 'soma', dt: 1, config: {}, units: 4 });
    const syn = sparkModule('traced_synapses').build({
      prefix: 'syn',
      dt: 1,
      config: { seed: 5 },
      units: 4,
      pre: 6,
    });
    const delays = sparkModule('n2n_delays').build({
      prefix: 'd',
      dt: 1,
      config: { seed: 5 },
      units: 4,
      pre: 6,
    });
    const rule = sparkModule('hebbian_rule').build({
      prefix: 'h',
      dt: 1,
      config: {},
      units: 4,
      pre: 6,
      async: true,
      kernel: syn.state.kernel as string,
    });
    const spiker = sparkModule('poisson_spiker').build({ prefix: 'p', dt: 1, config: {}, inputs: 6 });
    for (const f of [soma, syn, delays, rule, spiker]) expect(f.ops.length).toBeGreaterThan(0);
    const r = await runFragmentOn(cpuBackend(), soma, {
      dt: 1,
      steps: 3,
      inputs: { 'soma.current': [[0, 1, 2, 3]] },
      record: ['soma.spikes'],
    });
    expect(r['soma.spikes']?.length).toBe(3);
  });
});
