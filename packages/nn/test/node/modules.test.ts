import { TraceComparison } from '@spark-snn/testing';
import { golden } from '@spark-snn/testing/fixtures';
import { describe, expect, it } from 'vitest';
import {
  AdaptiveLeakySoma,
  LeakySoma,
  PoissonSpiker,
  RefractoryLeakySoma,
  SparkModule,
} from '../../src/module.ts';

interface SomaGolden {
  config: Record<string, unknown>;
  steps: number;
  inputs: { current: number[][] };
  outputs: { spikes: number[][]; potential: number[][] };
}

describe('standalone modules with Spark’s API shape', () => {
  for (const [file, Cls] of [
    ['soma_leaky.json', LeakySoma],
    ['soma_refractory_leaky.json', RefractoryLeakySoma],
    ['soma_adaptive_leaky.json', AdaptiveLeakySoma],
  ] as const) {
    it(`new ${Cls.name}(config) reproduces ${file} step by step (Spark behaviour)`, async () => {
      const g = golden<SomaGolden>(file);
      const { seed: _s, dtype: _d, dt: _t, ...config } = g.config;
      const soma = new Cls(config, { backend: 'cpu', behaviour: 'spark' });
      expect(soma.built).toBe(false);
      const cmp = new TraceComparison();
      for (let t = 0; t < g.steps; t++) {
        const out = await soma.call({ current: g.inputs.current[t]! });
        cmp.row('spikes', out.spikes!, g.outputs.spikes[t]!, 'exact', { step: t });
        const { potential } = await soma.read(['potential']);
        cmp.row('potential', potential!.data, g.outputs.potential[t]!.map(Math.fround), 'float32', {
          step: t,
        });
      }
      expect(cmp.mismatches).toEqual([]);
      expect(cmp.checked).toBe(2 * g.steps * 8);
      expect(soma.built).toBe(true);
      soma.destroy();
    });
  }

  it('a Poisson spiker fires at dt·max_freq·x per step (binomial bounds, fixed seed)', async () => {
    const spiker = new PoissonSpiker({}, { backend: 'cpu', seed: 5 });
    const x = new Float32Array(64).fill(0.5);
    let count = 0;
    const steps = 2000;
    for (let t = 0; t < steps; t++) {
      const { spikes } = await spiker.call({ signal: x });
      for (const s of spikes!) count += s;
    }
    const n = steps * 64;
    const p = 0.05; // 1 ms · 100 Hz · 0.5
    const sd = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(count - n * p)).toBeLessThan(5 * sd);
    spiker.destroy();
  });

  it('names unknown modules, bad config values and unknown inputs', async () => {
    expect(() => new SparkModule('leaky_somma')).toThrow(/no module named "leaky_somma"/);
    expect(() => new LeakySoma({ potential_tau: -3 })).toThrow(/potential_tau/);
    const soma = new LeakySoma({}, { backend: 'cpu' });
    await expect(soma.call({ voltage: [1] })).rejects.toThrow(/leaky_soma has no input "voltage"/);
    await expect(soma.read(['potential'])).rejects.toThrow(/not built yet/);
  });
});
