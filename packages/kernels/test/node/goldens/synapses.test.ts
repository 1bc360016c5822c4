// Spark golden fixtures of the synapses (sync and async spikes) on the interpreter and the cpu
// backend: currents rel ≤ 1e-5.
import { describe, expect, it } from 'vitest';
import { runCpu, runReference } from './harness.ts';
import { CASES, trialOf } from './synapses.cases.ts';

describe('synapses against Spark goldens', () => {
  for (const c of CASES) {
    it(`${c.name} (${c.file}) on the interpreter`, () => {
      const { trial, check } = trialOf(c.file, c.name);
      const cmp = check(runReference(trial));
      expect(cmp.mismatches).toEqual([]);
      expect(cmp.checked).toBe(1200);
    });
    it(`${c.name} (${c.file}) on the cpu backend`, async () => {
      const { trial, check } = trialOf(c.file, c.name);
      expect(check(await runCpu(trial)).mismatches).toEqual([]);
    });
  }
});
