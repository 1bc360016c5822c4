// The deoptimisation guard of the cpu step (issue #16): the generated run loop (`spark_run`, the
// step and record paths) must reach one optimised form and keep it. A CUBA-like workload
// (deopt-workload.ts) runs 6 runs of 500 steps in a child Node with --trace-deopt. During the first
// run the only deoptimisations allowed are "insufficient type feedback": TurboFan optimises the loop
// while it runs, before the first spike has reached a propagation loop, and then optimises it again
// with that branch's feedback — once per branch. Any other reason ("wrong map", "not a Smi", …) and
// any deoptimisation after the first run fails the test, with the trace lines in the message.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const WORKLOAD = fileURLToPath(new URL('./deopt-workload.ts', import.meta.url));
const KERNELS = fileURLToPath(new URL('../../', import.meta.url));

function trace(mode: 'simd' | 'nosimd'): { out: string; warmup: string[]; later: string[] } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--trace-deopt', WORKLOAD, mode], {
    cwd: KERNELS,
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
    timeout: 240_000,
  });
  if (r.status !== 0) throw new Error(`workload failed (${r.status}): ${r.stderr.slice(-2000)}`);
  // A deoptimisation of the run loop: "[bailout (kind: …): begin. deoptimizing … <JSFunction spark_run …>".
  const runs = r.stdout.split(/^@run \d+$/m);
  const of = (text: string): string[] =>
    text.split('\n').filter((l) => /deoptimiz/.test(l) && /spark_run/.test(l));
  return { out: r.stdout, warmup: of((runs[0] ?? '') + (runs[1] ?? '')), later: runs.slice(2).flatMap(of) };
}

describe('the cpu step is never deoptimised (--trace-deopt)', () => {
  for (const mode of ['simd', 'nosimd'] as const) {
    it(`${mode === 'simd' ? 'WebAssembly groups' : 'JavaScript groups'}: no deoptimisation of the run loop`, () => {
      const { out, warmup, later } = trace(mode);
      expect(out).toMatch(/workload done: [1-9]\d* spikes/);
      const other = warmup.filter((l) => !/reason: Insufficient type feedback/.test(l));
      expect(other, other.slice(0, 5).join('\n')).toEqual([]);
      expect(later, later.slice(0, 5).join('\n')).toEqual([]);
    }, 300_000);
  }
});
