import { describe, expect, it } from 'vitest';
import { caseMatrix } from '../../src/index.ts';

const cases = [
  { name: 'moves', features: ['copy', 'concat'] },
  { name: 'events', features: ['events.scatter', 'copy'] },
];

describe('caseMatrix', () => {
  it('pairs every case with every backend and gives the reason of an exclusion', () => {
    const m = caseMatrix(cases, [
      { name: 'cpu' },
      { name: 'gpujs', excluded: { 'events.scatter': 'not written yet (issue 16)' } },
    ]);
    expect(m.map((c) => [c.case.name, c.backend.name, c.excluded])).toEqual([
      ['moves', 'cpu', undefined],
      ['moves', 'gpujs', undefined],
      ['events', 'cpu', undefined],
      ['events', 'gpujs', 'events.scatter: not written yet (issue 16)'],
    ]);
  });

  it('refuses duplicate names and stale exclusions', () => {
    expect(() => caseMatrix([...cases, cases[0]!], [{ name: 'cpu' }])).toThrow(/two cases are named "moves"/);
    expect(() => caseMatrix(cases, [{ name: 'cpu' }, { name: 'cpu' }])).toThrow(
      /two backends are named "cpu"/,
    );
    expect(() => caseMatrix(cases, [{ name: 'webgpu', excluded: { 'dense.sync': 'x' } }])).toThrow(
      /backend "webgpu" excludes "dense.sync", which no case exercises/,
    );
  });
});
