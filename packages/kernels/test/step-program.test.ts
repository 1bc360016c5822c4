// The cpu step program's transformations keep the plan's semantics exactly: event lists (spikes →
// sparse.csr without/with delays, dense.sync, concat, compact, group_sum, delays, copies), double
// buffers for latency copies, fusion of module ops across structural ops, streams and records inside
// the generated loop, host writes and reset between runs. Checked against the float64 reference
// executor (spikes and integers exact, floats rel ≤ 1e-5) and between the JavaScript and WebAssembly
// forms of the fused groups (bit for bit). Node and browser. The plan: test/common/step-plan.ts.
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import { onReference, referenceProblems, runThree, stepPlan } from './common/step-plan.ts';

const onCpu = (simd: boolean) => runThree(cpuBackend({ simd, chunk: 7 }));

describe('cpu step program: events, double buffers and fusion keep the plan’s semantics', () => {
  it('equals the float64 reference on every recorded buffer, across host writes and reset', async () => {
    const want = onReference();
    const got = await onCpu(true);
    const problems = referenceProblems(got, want, 'cpu');
    expect(problems).toEqual([]);
    // The runs are not trivial: spikes flow into every consumer.
    expect(
      ((got[0] as Record<string, number[]>).rate as number[]).reduce((s, x) => s + x, 0),
    ).toBeGreaterThan(100);
    expect(((got[0] as Record<string, number[]>)['l.spikes'] as number[]).some((x) => x !== 0)).toBe(true);
  });

  it('JavaScript and WebAssembly groups give the same bits', async () => {
    expect(await onCpu(false)).toEqual(await onCpu(true));
  });

  it('fuses gen and trace across the ops between them', async () => {
    const p = (await cpuBackend().load(stepPlan())) as unknown as {
      groups: readonly { ops: readonly string[] }[];
    };
    expect(p.groups.map((g) => g.ops)).toContainEqual(['g', 't']);
  });
});
