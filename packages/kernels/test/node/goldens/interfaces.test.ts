// Spark golden fixtures of the interfaces (compatibility mode): linear spiker, topological linear
// spiker (incl. the ab_brain configuration), exponential integrator (plain and smooth), and the
// Poisson spiker's rates (binomial bounds, fixed seed).
import { compareTrace, flat32, rows, TraceComparison } from '@spark-snn/testing';
import { golden } from '@spark-snn/testing/fixtures';
import { describe, expect, it } from 'vitest';
import {
  buildExponentialIntegrator,
  buildSpiker,
  buildTopologicalSpiker,
} from '../../../src/interfaces/build.ts';
import { placeCellSpace } from '../../../src/interfaces/topological_spikers.ts';
import { SPARK_COMPAT } from '../../../src/library/compat.ts';
import { type Records, runCpu, runReference, type Trial } from './harness.ts';

const RUNNERS = [
  ['interpreter', async (t: Trial): Promise<Records> => runReference(t)],
  ['cpu backend', (t: Trial): Promise<Records> => runCpu(t)],
] as const;

describe('linear_spiker against Spark (interface_linear_spiker.json)', () => {
  const g = golden('interface_linear_spiker.json');
  const signal = rows(g.inputs.signal);
  const n = signal[0]?.length ?? 0;
  const f = buildSpiker('linear_spiker', n, {
    prefix: 'ls',
    dt: g.dt,
    config: g.config,
    compat: SPARK_COMPAT,
  });
  const trial: Trial = {
    fragment: f,
    dt: g.dt,
    steps: g.steps,
    inputs: { [f.inputs.signal as string]: signal },
    record: [f.outputs.spikes as string, f.state.potential as string, f.state.refractory as string],
  };
  const spikes = rows(g.outputs.spikes);
  const v = rows(g.state.per_step?.potential);
  const rho = rows(g.state.per_step?.refractory);
  for (const [name, run] of RUNNERS) {
    it(`every spike, potential and timer on the ${name}`, async () => {
      const r = await run(trial);
      const cmp = new TraceComparison()
        .trace('spikes', r[f.outputs.spikes as string] ?? [], spikes, 'exact')
        .trace('potential', r[f.state.potential as string] ?? [], v, 'float32')
        .trace('refractory', r[f.state.refractory as string] ?? [], rho, 'float32');
      expect(cmp.mismatches).toEqual([]);
    });
  }
});

describe('topological_linear_spiker against Spark', () => {
  it('the place-cell angles equal Spark float32 linspace (_space)', () => {
    const g = golden('interface_topological_linear_spiker.json');
    const space = g.state.derived?._space?.data as number[][];
    expect(placeCellSpace(16)).toEqual(space.map((row) => Math.fround(row[0] as number)));
  });
  const g = golden('interface_topological_linear_spiker.json');
  const signal = rows(g.inputs.signal);
  const n = signal[0]?.length ?? 0;
  const f = buildTopologicalSpiker('topological_linear_spiker', n, {
    prefix: 'ts',
    dt: g.dt,
    config: g.config,
    compat: SPARK_COMPAT,
  });
  const trial: Trial = {
    fragment: f,
    dt: g.dt,
    steps: g.steps,
    inputs: { [f.inputs.signal as string]: signal },
    record: [f.outputs.spikes as string, f.state.potential as string],
  };
  const spikes = rows(g.outputs.spikes);
  const v = rows(g.state.per_step?.potential);
  for (const [name, run] of RUNNERS) {
    it(`3-d input with per-dimension glue (interface_topological_linear_spiker.json) on the ${name}`, async () => {
      const r = await run(trial);
      const cmp = new TraceComparison()
        .trace('spikes', r[f.outputs.spikes as string] ?? [], spikes, 'exact')
        .trace('potential', r[f.state.potential as string] ?? [], v, 'float32');
      expect(cmp.mismatches).toEqual([]);
    });
  }
  const gb = golden('interface_topological_linear_spiker_ab_brain.json');
  const sb = rows(gb.inputs.signal);
  const fb = buildTopologicalSpiker('topological_linear_spiker', sb[0]?.length ?? 0, {
    prefix: 'ab',
    dt: gb.dt,
    config: gb.config,
    compat: SPARK_COMPAT,
  });
  const trialB: Trial = {
    fragment: fb,
    dt: gb.dt,
    steps: gb.steps,
    inputs: { [fb.inputs.signal as string]: sb },
    record: [fb.outputs.spikes as string],
  };
  const indices = gb.outputs.spike_indices as number[][];
  for (const [name, run] of RUNNERS) {
    it(`the ab_brain spiker (interface_topological_linear_spiker_ab_brain.json) on the ${name}`, async () => {
      const r = await run(trialB);
      const cmp = new TraceComparison();
      for (let t = 0; t < gb.steps; t++) {
        const row = r[fb.outputs.spikes as string]?.[t] ?? new Float64Array();
        const got: number[] = [];
        row.forEach((x, i) => {
          if (x !== 0) got.push(i);
        });
        cmp.row('spike indices', got, indices[t] ?? [], 'exact', { step: t });
      }
      expect(cmp.mismatches).toEqual([]);
      expect(cmp.checked).toBeGreaterThan(400);
    });
  }
});

describe('exponential_integrator against Spark', () => {
  for (const file of [
    'interface_exponential_integrator_plain.json',
    'interface_exponential_integrator_smooth.json',
  ]) {
    const g = golden(file);
    const spikes = rows(g.inputs.spikes);
    const f = buildExponentialIntegrator(spikes[0]?.length ?? 0, {
      prefix: 'ei',
      dt: g.dt,
      config: g.config,
      compat: SPARK_COMPAT,
    });
    const trial: Trial = {
      fragment: f,
      dt: g.dt,
      steps: g.steps,
      inputs: { [f.inputs.spikes as string]: spikes },
      record: [f.outputs.signal as string],
    };
    const expected = rows(g.outputs.signal);
    for (const [name, run] of RUNNERS) {
      it(`${file} on the ${name}`, async () => {
        const r = await run(trial);
        const cmp = new TraceComparison().trace(
          'signal',
          r[f.outputs.signal as string] ?? [],
          expected,
          'float32',
        );
        expect(cmp.mismatches).toEqual([]);
        expect(cmp.checked).toBe(g.steps * 3);
      });
    }
  }
});

describe('poisson_spiker rates (interface_poisson_spiker_rates.json)', () => {
  const g = golden('interface_poisson_spiker_rates.json');
  const levels = flat32(g.inputs.signal_levels);
  const perLevel = g.inputs.units_per_level as number;
  const steps = 2000;
  const f = buildSpiker('poisson_spiker', levels.length * perLevel, {
    prefix: 'ps',
    dt: g.dt,
    config: g.config,
    compat: SPARK_COMPAT,
  });
  const signal = levels.flatMap((x) => new Array<number>(perLevel).fill(x));
  for (const [name, run] of RUNNERS) {
    it(`spike probability 0.1·x within 5 binomial standard errors at seed 2024 on the ${name}`, async () => {
      const r = await run({
        fragment: f,
        dt: g.dt,
        seed: 2024,
        steps,
        inputs: { [f.inputs.signal as string]: [signal] },
        record: [f.outputs.spikes as string],
      });
      const rowsOut = r[f.outputs.spikes as string] as Float64Array[];
      levels.forEach((x, l) => {
        let count = 0;
        for (const row of rowsOut)
          for (let u = 0; u < perLevel; u++) count += row[l * perLevel + u] as number;
        const trials = steps * perLevel;
        const p = 0.1 * x;
        const se = Math.sqrt(trials * p * (1 - p));
        if (p === 0) expect(count).toBe(0);
        else expect(Math.abs(count - trials * p)).toBeLessThan(5 * se);
      });
    });
  }
  it('the interpreter and the cpu backend draw the same spikes', async () => {
    const trial: Trial = {
      fragment: f,
      dt: g.dt,
      seed: 7,
      steps: 50,
      inputs: { [f.inputs.signal as string]: [signal] },
      record: [f.outputs.spikes as string],
    };
    const a = runReference(trial);
    const b = await runCpu(trial);
    const spikes = f.outputs.spikes as string;
    expect(a[spikes]).toHaveLength(50);
    expect(compareTrace('spikes', b[spikes] ?? [], a[spikes] ?? [], 'exact')).toEqual([]);
  });
});
