// Spark golden fixtures of the plasticity rules (compatibility mode): kernels and traces after
// every step, rel ≤ 1e-5, on the interpreter and the cpu backend.
import { describe, expect, it } from 'vitest';
import { runCpu, runReference } from './harness.ts';
import { CASES, trialOf } from './plasticity.cases.ts';

describe('plasticity rules against Spark goldens (compatibility mode)', () => {
  for (const c of CASES) {
    it(`${c.name} (${c.file}) on the interpreter`, () => {
      const { trial, check } = trialOf(c.file, c.name);
      const cmp = check(runReference(trial));
      expect(cmp.mismatches).toEqual([]);
      expect(cmp.checked).toBeGreaterThan(12000);
    });
    it(`${c.name} (${c.file}) on the cpu backend`, async () => {
      const { trial, check } = trialOf(c.file, c.name);
      expect(check(await runCpu(trial)).mismatches).toEqual([]);
    });
  }
});
