// Spark golden fixture for leaky_soma: our definition, run on the cpu backend and in the
// interpreter, against what Spark computed (spikes exact, potentials rel ≤ 1e-5).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../../src/backends/cpu/index.ts';
import { checkDefinition } from '../../src/lang/check.ts';
import { interpretInitialState, interpretStep } from '../../src/lang/interpret.ts';
import { instantiateModule } from '../../src/ops.ts';
import { leakySoma } from '../../src/somas/leaky_soma.ts';

const FIXTURES = new URL('../../../../fixtures/spark-golden/', import.meta.url);

interface Golden {
  config: Record<string, number | number[]>;
  steps: number;
  inputs: { current: number[][] };
  outputs: { spikes: number[][]; potential: number[][] };
}

const golden = JSON.parse(readFileSync(new URL('soma_leaky.json', FIXTURES), 'utf8')) as Golden;
const units = golden.inputs.current[0]?.length ?? 0;
const params: Record<string, number | number[]> = {};
for (const k of ['potential_rest', 'potential_reset', 'potential_tau', 'resistance', 'threshold']) {
  const v = golden.config[k];
  if (v !== undefined) params[k] = typeof v === 'number' ? v : v.map(Math.fround);
}

function compare(spikes: ArrayLike<number>, potential: ArrayLike<number>, t: number): void {
  for (let i = 0; i < units; i++) {
    expect(spikes[i], `spike t=${t} i=${i}`).toBe(golden.outputs.spikes[t]?.[i]);
    const ref = golden.outputs.potential[t]?.[i] as number;
    const rel = Math.abs((potential[i] as number) - ref) / Math.max(Math.abs(ref), 1);
    expect(rel, `potential t=${t} i=${i}`).toBeLessThanOrEqual(1e-5);
  }
}

describe('leaky_soma against Spark (soma_leaky.json)', () => {
  it('interpreter reproduces every spike and potential', () => {
    const def = checkDefinition(leakySoma);
    const state = interpretInitialState(def, { size: units }, params, 1);
    const outputs = { spikes: new Float64Array(units) };
    for (let t = 0; t < golden.steps; t++) {
      const current = (golden.inputs.current[t] as number[]).map(Math.fround);
      interpretStep(def, { size: units, params, state, inputs: { current }, outputs, step: t, dt: 1 });
      compare(outputs.spikes, state.potential as Float64Array, t);
    }
  });

  it('cpu backend reproduces every spike and potential', async () => {
    const { buffers, op } = instantiateModule(leakySoma, { prefix: 'soma', size: units, dt: 1, params });
    const program = await cpuBackend().load({ buffers, ops: [op], dt: 1, seed: 0 });
    const current = Float32Array.from(golden.inputs.current.flat());
    const res = await program.run({
      steps: golden.steps,
      inputs: { 'soma.current': current },
      record: ['soma.spikes', 'soma.potential'],
    });
    for (let t = 0; t < golden.steps; t++) {
      compare(
        (res.records['soma.spikes'] as Float32Array).subarray(t * units, (t + 1) * units),
        (res.records['soma.potential'] as Float32Array).subarray(t * units, (t + 1) * units),
        t,
      );
    }
  });
});
