// Spark golden fixture for leaky_soma: our definition, run on the cpu backend and in the
// interpreter, against what Spark computed (spikes exact, potentials rel ≤ 1e-5).
import { goldenParams, rows, TraceComparison } from '@spark-snn/testing';
import { golden } from '@spark-snn/testing/fixtures';
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../../src/backends/cpu/index.ts';
import { checkDefinition } from '../../src/lang/check.ts';
import { interpretInitialState, interpretStep } from '../../src/lang/interpret.ts';
import { instantiateModule } from '../../src/ops.ts';
import { leakySoma } from '../../src/somas/leaky_soma.ts';

const g = golden('soma_leaky.json');
const current = rows(g.inputs.current, 'inputs.current');
const units = current[0]?.length ?? 0;
const params = goldenParams(g.config, [
  'potential_rest',
  'potential_reset',
  'potential_tau',
  'resistance',
  'threshold',
]);
const spikes = rows(g.outputs.spikes, 'outputs.spikes');
const potential = rows(g.outputs.potential, 'outputs.potential');

describe('leaky_soma against Spark (soma_leaky.json)', () => {
  it('interpreter reproduces every spike and potential', () => {
    const def = checkDefinition(leakySoma);
    const state = interpretInitialState(def, { size: units }, params, 1);
    const outputs = { spikes: new Float64Array(units) };
    const cmp = new TraceComparison();
    for (let t = 0; t < g.steps; t++) {
      const inputs = { current: current[t] as number[] };
      interpretStep(def, { size: units, params, state, inputs, outputs, step: t, dt: 1 });
      cmp.row('spikes', outputs.spikes, spikes[t] ?? [], 'exact', { step: t });
      cmp.row('potential', state.potential as Float64Array, potential[t] ?? [], 'float32', { step: t });
    }
    expect(cmp.mismatches).toEqual([]);
    expect(cmp.checked).toBe(2 * g.steps * units);
  });

  it('cpu backend reproduces every spike and potential', async () => {
    const { buffers, op } = instantiateModule(leakySoma, { prefix: 'soma', size: units, dt: 1, params });
    const program = await cpuBackend().load({ buffers, ops: [op], dt: 1, seed: 0 });
    const res = await program.run({
      steps: g.steps,
      inputs: { 'soma.current': Float32Array.from(current.flat()) },
      record: ['soma.spikes', 'soma.potential'],
    });
    const cmp = new TraceComparison()
      .trace('spikes', res.records['soma.spikes'] ?? [], spikes, 'exact')
      .trace('potential', res.records['soma.potential'] ?? [], potential, 'float32');
    expect(cmp.mismatches).toEqual([]);
    expect(cmp.checked).toBe(2 * g.steps * units);
  });
});
