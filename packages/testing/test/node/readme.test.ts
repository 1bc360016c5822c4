// The README example, verbatim apart from the import paths and console.log → expect (keep them in sync).
import { expect, it } from 'vitest';
import { golden } from '../../src/fixtures.ts';
import { compareTrace, rows, TraceComparison } from '../../src/index.ts';

it('README example: one flipped spike is named by step and index', () => {
  const g = golden('soma_leaky.json');
  const spikes = rows(g.outputs.spikes);
  const potential = rows(g.outputs.potential);
  const recorded = Float32Array.from(spikes.flat());
  const n = spikes[0]?.length ?? 0;
  recorded[3 * n + 5] = 1 - (recorded[3 * n + 5] ?? 0);
  const want = spikes[3]?.[5] ?? 0;
  expect(compareTrace('spikes', recorded, spikes, 'exact')).toEqual([
    `spikes step 3 [5]: got ${1 - want}, expected ${want}`,
  ]);
  const cmp = new TraceComparison().trace('potential', potential, potential, 'float32');
  expect(cmp.mismatches).toEqual([]);
  expect(cmp.checked).toBe(g.steps * n);
});
