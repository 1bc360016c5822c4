// The spark-snn benchmark modules (cuba_lif, coba_lif, brunel_lif, poisson_drive) lowered through the
// generic library lowering: their config schemas agree with their equation definitions, a Brain
// delivers a spike of step s at step s + delay/dt + 2, several currents on one input add up,
// per-unit initializers are drawn, and the Poisson drive has the right moments.
import {
  createBrainConfig,
  defaultRegistry,
  initializerDefault,
  type ModuleSpecs,
  moduleSpecs,
  validateDocument,
} from '@spark-snn/config';
import { LIBRARY } from '@spark-snn/kernels';
import { describe, expect, it } from 'vitest';
import { Brain } from '../../src/brain.ts';
import { drawInitializer } from '../../src/lowerings/values.ts';

const NAMES = ['cuba_lif', 'coba_lif', 'brunel_lif', 'poisson_drive'] as const;

function spec(
  name: string,
  module: string,
  config: Record<string, unknown>,
  inputs: Record<string, string[]> = {},
  outputs: Record<string, string> = {},
): ModuleSpecs {
  const r = moduleSpecs(name, module, {
    config: { seed: 3, dtype: 'float32', dt: 0.1, ...config },
    inputs,
    outputs,
  });
  expect(r.issues).toEqual([]);
  return r.specs;
}

/** Two cuba_lif units: unit 0 starts above threshold (spikes at step 0), unit 1 at v_reset. */
function kick(extra: ModuleSpecs[], delay = 0) {
  return createBrainConfig(
    [
      spec(
        'neurons',
        'cuba_lif',
        { units: [2], v_offset: [10.5, 0] },
        { exc: ['exc.currents'], inh: ['inh.currents'] },
        { spikes: 'spikes' },
      ),
      spec(
        'exc',
        'sparse_synapses',
        { units: [2], p: 1, source_start: 0, source_stop: 1, weight: 1, delay },
        { spikes: ['neurons.spikes'] },
      ),
      spec(
        'inh',
        'sparse_synapses',
        { units: [2], p: 1, source_start: 1, source_stop: 2, weight: -1 },
        { spikes: ['neurons.spikes'] },
      ),
      ...extra,
    ],
    { seed: 3, dt: 0.1 },
  );
}

describe('benchmark modules: config schema ↔ equation definition', () => {
  for (const name of NAMES) {
    it(`${name}: every parameter is a config field with the same default, unit and validators; ports agree`, () => {
      const spec = defaultRegistry.get(name)!;
      const entry = LIBRARY[name]!;
      expect(entry.sizedByUnits).toBe(true);
      const [def] = entry.definitions();
      const params = def!.params.filter((p) => !p.name.startsWith('_'));
      expect(params.length).toBeGreaterThan(2);
      for (const p of params) {
        const f = spec.field(p.name);
        expect(f, p.name).toBeDefined();
        expect(f!.default, p.name).toBe(p.default);
        expect(f!.units, p.name).toBe(p.unit);
        expect([...(f!.validators ?? [])].sort(), p.name).toEqual([...(p.validators ?? [])].sort());
        expect(f!.allowsInit === true, `${p.name} takes initializers only when per unit`).toBe(
          (p.extent ?? 'scalar') === 'unit',
        );
      }
      const own = spec.fields.map((f) => f.name).filter((n) => !['seed', 'dtype', 'dt', 'units'].includes(n));
      expect(own.sort()).toEqual(params.map((p) => p.name).sort());
      expect(spec.ports.inputs.map((p) => p.name)).toEqual(def!.inputs.map((p) => p.name));
      expect(spec.ports.outputs.map((p) => p.name)).toEqual(def!.outputs.map((p) => p.name));
      expect(spec.ports.inputs.map((p) => p.payload)).toEqual(def!.inputs.map((p) => p.payload));
    });
  }
});

describe('benchmark modules in a Brain (cpu)', () => {
  it('validates without caller inputs and with a soma ↔ synapse cycle (no errors, no warnings)', () => {
    expect(validateDocument(kick([]), defaultRegistry)).toEqual([]);
  });

  for (const delay of [0, 0.3]) {
    it(`a spike of step 0 reaches the soma at step delay/dt + 2 (delay ${delay} ms)`, async () => {
      const brain = await Brain.fromConfig(kick([], delay), { backend: 'cpu', inputShapes: {} });
      const rec = await brain.run({ steps: 12, record: ['neurons.spikes', 'neurons/ge'] });
      const spikes = rec.series['neurons.spikes']!.data;
      expect(Array.from(spikes.subarray(0, 2))).toEqual([1, 0]);
      const ge = rec.series['neurons/ge']!.data;
      const first = Array.from({ length: 12 }, (_, t) => ge[2 * t + 1]!).findIndex((x) => x > 0);
      expect(first).toBe(Math.round(delay / 0.1) + 2);
      // ge jumps by the weight, then decays by e^(−dt/τe) within the step.
      expect(ge[2 * first + 1]).toBeCloseTo(Math.exp(-0.1 / 5), 6);
      brain.destroy();
    });
  }

  it('several currents on one input add up (brunel_lif.current ← exc + inh2); a zero-rate drive adds nothing', async () => {
    const doc = kick([
      spec(
        'e2',
        'sparse_synapses',
        { units: [2], p: 1, source_start: 0, source_stop: 1, weight: 0.5 },
        { spikes: ['neurons.spikes'] },
      ),
      spec('drive', 'poisson_drive', { units: [2], rate: 0 }),
      spec(
        'probe',
        'brunel_lif',
        { units: [2], theta: 100 },
        { current: ['exc.currents', 'e2.currents'], external: ['drive.current'] },
      ),
    ]);
    const brain = await Brain.fromConfig(doc, { backend: 'cpu', inputShapes: {} });
    const rec = await brain.run({ steps: 4, record: ['probe/v'] });
    const v = rec.series['probe/v']!.data;
    // exc (1) and e2 (0.5) carry the step-0 spike at step 1; the probe reads them at step 2.
    expect(Array.from(v.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(v[4]).toBeCloseTo(1.5, 6);
    expect(v[5]).toBeCloseTo(1.5, 6);
    expect(v[6]).toBeCloseTo(1.5 * Math.exp(-0.1 / 20), 6);
    brain.destroy();
  });

  it('a per-unit initializer (cuba_lif.v_offset) is drawn per unit from the module seed', async () => {
    const init = initializerDefault('uniform_initializer', { scale: 10, dtype: 'float32' });
    const doc = createBrainConfig(
      [
        spec('quiet', 'poisson_drive', { units: [64], rate: 0 }),
        spec(
          'neurons',
          'cuba_lif',
          { units: [64], v_offset: init, v_rest: -70 },
          { exc: ['quiet.current'], inh: ['quiet.current'] },
          { spikes: 'spikes' },
        ),
      ],
      { seed: 3, dt: 0.1 },
    );
    const brain = await Brain.fromConfig(doc, { backend: 'cpu', inputShapes: {} });
    const { 'neurons/v': v } = await brain.readState(['neurons/v']);
    const want = drawInitializer(init, 'v_offset', { shape: [64], seed: 3, site: 'neurons/v_offset' });
    for (let i = 0; i < 64; i++) expect(v!.data[i]).toBeCloseTo(Math.fround(-60 + want[i]!), 4);
    expect(new Set(v!.data).size).toBe(64);
    expect(Math.min(...v!.data)).toBeGreaterThanOrEqual(-60);
    expect(Math.max(...v!.data)).toBeLessThan(-50);
    brain.destroy();
  });

  it('an initializer on a population-wide parameter is an error with its path', async () => {
    const doc = createBrainConfig(
      [
        spec('quiet', 'poisson_drive', { units: [4], rate: 0 }),
        spec(
          'neurons',
          'cuba_lif',
          { units: [4], tau_m: initializerDefault('uniform_initializer') },
          { exc: ['quiet.current'], inh: ['quiet.current'] },
          { spikes: 'spikes' },
        ),
      ],
      { seed: 3, dt: 0.1 },
    );
    await expect(Brain.fromConfig(doc, { backend: 'cpu', inputShapes: {} })).rejects.toThrow(
      /modules_specs\[1\]\.config\.tau_m/,
    );
  });

  it('poisson_drive: mean and variance of weight · Poisson(rate · sources · dt)', async () => {
    const n = 1000;
    const doc = createBrainConfig(
      [
        spec(
          'drive',
          'poisson_drive',
          { units: [n], rate: 0.02, sources: 1000, weight: 0.1 },
          {},
          { current: 'current' },
        ),
      ],
      { seed: 3, dt: 0.1 },
    );
    const brain = await Brain.fromConfig(doc, { backend: 'cpu', inputShapes: {} });
    const steps = 50;
    const rec = await brain.run({ steps, record: ['drive.current'] });
    const x = rec.series['drive.current']!.data;
    let s = 0;
    let s2 = 0;
    for (const c of x) {
      s += c;
      s2 += c * c;
    }
    const m = s / x.length;
    const variance = s2 / x.length - m * m;
    // λ = 0.02 kHz · 1000 · 0.1 ms = 2 arrivals: mean 0.2 mV, variance 0.1² · 2 = 0.02 mV².
    const se = Math.sqrt(0.02 / x.length);
    expect(Math.abs(m - 0.2)).toBeLessThan(5 * se);
    expect(variance).toBeGreaterThan(0.02 * 0.95);
    expect(variance).toBeLessThan(0.02 * 1.05);
    // every value is a whole number of jumps
    for (let i = 0; i < 200; i++) expect(Math.abs(x[i]! / 0.1 - Math.round(x[i]! / 0.1))).toBeLessThan(1e-4);
    brain.destroy();
  });
});
