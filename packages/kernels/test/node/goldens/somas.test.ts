// Spark golden fixtures of the somas: every definition in Spark-compatibility mode, on the float64
// interpreter and on the cpu backend, against what Spark computed (spikes exact, continuous values
// rel ≤ 1e-5 — README tolerances).
import { describe, expect, it } from 'vitest';
import { runCpu, runReference } from './harness.ts';
import { CASES, trialOf } from './somas.cases.ts';

describe('somas against Spark goldens (compatibility mode)', () => {
  for (const c of CASES) {
    it(`${c.def.name} (${c.file}) on the interpreter`, () => {
      const { trial, check } = trialOf(c);
      const cmp = check(runReference(trial));
      expect(cmp.mismatches).toEqual([]);
      expect(cmp.checked).toBeGreaterThan(1000);
    });
    it(`${c.def.name} (${c.file}) on the cpu backend`, async () => {
      const { trial, check } = trialOf(c);
      const cmp = check(await runCpu(trial));
      expect(cmp.mismatches).toEqual([]);
    });
  }
});
