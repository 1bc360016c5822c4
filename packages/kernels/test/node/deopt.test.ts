// The deoptimisation guard of the cpu step (issue #16): the generated run loop (`spark_run`, the
// step and record paths) must reach one optimised form and keep it. A CUBA-like workload
// (deopt-workload.ts) runs 6 runs of 500 steps in a child Node with --trace-deopt. The only
// deoptimisations allowed are "insufficient type feedback", each at most once per place in the loop:
// TurboFan optimises the loop while it runs, before the first spike has reached a propagation loop,
// and optimises it again with that branch's feedback (when that happens depends on the machine's
// load, as compilation is concurrent). Any other reason ("wrong map", "not a Smi", …), a place that
// deoptimises twice (a deopt loop), or more than a handful fails the test, with the trace lines.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const WORKLOAD = fileURLToPath(new URL('./deopt-workload.ts', import.meta.url));
const KERNELS = fileURLToPath(new URL('../../', import.meta.url));

function trace(mode: 'simd' | 'nosimd'): { out: string; deopts: string[] } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--trace-deopt', WORKLOAD, mode], {
    cwd: KERNELS,
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
    timeout: 240_000,
  });
  if (r.status !== 0) throw new Error(`workload failed (${r.status}): ${r.stderr.slice(-2000)}`);
  // A deoptimisation of the run loop: "[bailout (kind: …): begin. deoptimizing … <JSFunction spark_run …>".
  const deopts = r.stdout.split('\n').filter((l) => /deoptimiz/.test(l) && /spark_run/.test(l));
  return { out: r.stdout, deopts };
}

describe('the cpu step is never deoptimised (--trace-deopt)', () => {
  for (const mode of ['simd', 'nosimd'] as const) {
    it(`${mode === 'simd' ? 'WebAssembly groups' : 'JavaScript groups'}: no deoptimisation of the run loop`, () => {
      const { out, deopts } = trace(mode);
      expect(out).toMatch(/workload done: [1-9]\d* spikes/);
      const other = deopts.filter((l) => !/reason: Insufficient type feedback/.test(l));
      expect(other, other.slice(0, 5).join('\n')).toEqual([]);
      const places = deopts.map((l) => /bytecode offset (\d+)/.exec(l)?.[1]);
      expect(new Set(places).size, `a place deoptimised twice:\n${deopts.join('\n')}`).toBe(places.length);
      expect(deopts.length, deopts.join('\n')).toBeLessThanOrEqual(6);
    }, 300_000);
  }
});
