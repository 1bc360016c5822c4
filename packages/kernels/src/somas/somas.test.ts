// Corrected behaviour of the somas (default mode) and the Spark-compatibility switches, on the
// float64 reference and the cpu backend.
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../backends/cpu/index.ts';
import { CORRECTED, SPARK_COMPAT } from '../library/compat.ts';
import { moduleFragment } from '../library/fragment.ts';
import { runFragmentOn, runFragmentReference } from '../library/testing.ts';
import { adaptiveExponentialSoma } from './adaptive_exponential_soma.ts';
import { izhikevichSomaDefinition } from './izhikevich_soma.ts';
import { refractoryExponentialSomaDefinition } from './refractory_exponential_soma.ts';
import { refractoryLeakySomaDefinition } from './refractory_leaky_soma.ts';

const RS = {
  potential_rest: -65,
  potential_reset: -65,
  resistance: 1,
  threshold: 30,
  recovery_timescale: 0.02,
  recovery_sensitivity: 0.2,
  recovery_update: 8,
};

function spikeTimes(rows: readonly Float64Array[]): number[] {
  return rows.flatMap((r, t) => (r[0] !== 0 ? [t] : []));
}

describe('izhikevich_soma', () => {
  it('corrected: the regular-spiking neuron at I = 10 fires tonically with spike-frequency adaptation', () => {
    const f = moduleFragment(izhikevichSomaDefinition(CORRECTED), {
      prefix: 's',
      size: 1,
      dt: 1,
      params: RS,
    });
    const r = runFragmentReference(f, {
      dt: 1,
      steps: 500,
      inputs: { 's.current': [[10]] },
      record: ['s.spikes', 's.potential'],
    });
    const t = spikeTimes(r['s.spikes'] as Float64Array[]);
    const isi = t.slice(1).map((x, i) => x - (t[i] as number));
    // Textbook RS pattern: a first spike within a few ms, then intervals that lengthen and settle.
    expect(t[0]).toBeLessThan(10);
    expect(t.length).toBeGreaterThanOrEqual(5);
    expect(t.length).toBeLessThan(40);
    expect(isi[0]).toBeLessThan(isi.at(-1) as number);
    const tail = isi.slice(-3);
    expect(Math.max(...tail) - Math.min(...tail)).toBeLessThanOrEqual(1);
    // Reset to c = −65 mV (rebased 0) right after every spike.
    for (const s of t) expect((r['s.potential'] as Float64Array[])[s]?.[0]).toBe(0);
  });
  it('corrected: silent at rest without input; Spark compatibility fires on every step', () => {
    const c = runFragmentReference(
      moduleFragment(izhikevichSomaDefinition(CORRECTED), { prefix: 's', size: 1, dt: 1, params: RS }),
      {
        dt: 1,
        steps: 200,
        inputs: { 's.current': [[0]] },
        record: ['s.spikes'],
      },
    );
    expect(spikeTimes(c['s.spikes'] as Float64Array[])).toEqual([]);
    const s = runFragmentReference(
      moduleFragment(izhikevichSomaDefinition(SPARK_COMPAT), { prefix: 's', size: 1, dt: 1 }),
      {
        dt: 1,
        steps: 50,
        inputs: { 's.current': [[0]] },
        record: ['s.spikes'],
      },
    );
    expect(spikeTimes(s['s.spikes'] as Float64Array[]).length).toBe(50);
  });
});

describe('refractory somas', () => {
  it('corrected: ready at step 0; Spark compatibility: not ready at step 0', () => {
    for (const def of [refractoryLeakySomaDefinition, refractoryExponentialSomaDefinition]) {
      const run = (compat: typeof CORRECTED): number[] =>
        spikeTimes(
          runFragmentReference(
            moduleFragment(def(compat), { prefix: 's', size: 1, dt: 1, params: { resistance: 1 } }),
            {
              dt: 1,
              steps: 3,
              inputs: { 's.current': [[1e4], [0], [0]] },
              record: ['s.spikes'],
            },
          )['s.spikes'] as Float64Array[],
        );
      expect(run(CORRECTED)).toEqual([0]);
      expect(run(SPARK_COMPAT)).toEqual([]);
    }
  });
  it('corrected: the counter never wraps; Spark compatibility: the uint16 counter wraps after 65 535 quiet steps', async () => {
    const steps = 65_540;
    const record = async (compat: typeof CORRECTED): Promise<number[]> => {
      const f = moduleFragment(refractoryLeakySomaDefinition(compat), { prefix: 's', size: 1, dt: 1 });
      const r = await runFragmentOn(cpuBackend(), f, {
        dt: 1,
        steps,
        inputs: { 's.current': [[0]] },
        record: ['s.refractory'],
      });
      return (r['s.refractory'] as Float64Array[]).map((x) => x[0] as number);
    };
    const fixed = await record(CORRECTED);
    expect(Math.max(...fixed)).toBe(3);
    expect(fixed.at(-1)).toBe(3);
    const spark = await record(SPARK_COMPAT);
    expect(spark.indexOf(0)).toBe(65_536 - 2 - 1);
  });
});

describe('adaptive_exponential_soma (no golden: hand-computed steps)', () => {
  it('matches the AdEx equations step by step, spike and adaptation jump included', () => {
    const p = {
      potential_rest: -70,
      potential_reset: -51,
      potential_tau: 5,
      resistance: 0.5,
      threshold: -30,
      rheobase_threshold: -50,
      spike_slope: 2,
      adaptation_tau: 100,
      adaptation_delta: 7,
      adaptation_subthreshold: 0.5,
    };
    const current = [0, 30, 60, 80, 120, 150, 150, 0];
    const f = moduleFragment(adaptiveExponentialSoma, { prefix: 's', size: 1, dt: 1, params: p });
    const r = runFragmentReference(f, {
      dt: 1,
      steps: current.length,
      inputs: { 's.current': current.map((c) => [c]) },
      record: ['s.potential', 's.adaptation', 's.spikes'],
    });
    let v = 0;
    let w = 0;
    let spikes = 0;
    current.forEach((I, t) => {
      v =
        v +
        (1 / p.potential_tau) *
          (-v +
            p.spike_slope * Math.exp((v - (p.rheobase_threshold - p.potential_rest)) / p.spike_slope) -
            p.resistance * w +
            p.resistance * I);
      const z = v > p.threshold - p.potential_rest;
      if (z) {
        v = p.potential_reset - p.potential_rest;
        spikes++;
      }
      w = w + (1 / p.adaptation_tau) * (-w + p.adaptation_subthreshold * v) + (z ? p.adaptation_delta : 0);
      expect(r['s.potential']?.[t]?.[0]).toBeCloseTo(v, 10);
      expect(r['s.adaptation']?.[t]?.[0]).toBeCloseTo(w, 10);
      expect(r['s.spikes']?.[t]?.[0]).toBe(z ? 1 : 0);
    });
    expect(spikes).toBeGreaterThan(0);
  });
});
