import { describe, expect, it } from 'vitest';
import { encoderPool, registry, validatingStore } from '../../test/common/models.ts';
import { listProblems, problemText } from './problems.ts';

describe('Problems list', () => {
  it('a wired model with a fresh LIF neuron has no problem (no false inhibition_mask error)', () => {
    const s = encoderPool();
    expect(s.getState().validate()).toEqual([]);
    expect(s.getState().log.at(-1)?.message).toBe('Validation: the model is valid.');
  });

  it('lists each problem once, in words, with its module and field', () => {
    const s = encoderPool(['enc-pool', 'pool-out']);
    const st = s.getState();
    st.setField('pool', ['modules_specs', 2, '__data__', 'config', 'potential_tau'], -1);
    const first = s.getState().validate().map(problemText);
    expect(first).toContain('pool › soma › potential_tau: Must be > 0 (got -1)');
    expect(first.filter((l) => l.includes('input signal'))).toEqual(['enc › input signal: Not connected']);
    st.setField('pool', ['modules_specs', 2, '__data__', 'config', 'potential_tau'], 20);
    st.setField(null, ['dt'], -1);
    const problems = s.getState().validate();
    const lines = problems.map(problemText);
    // The brain's dt is reported where it is set, not again at each child it is re-applied to.
    expect(lines.filter((l) => l.includes('dt:'))).toEqual(['Brain › dt: Must be > 0 (got -1)']);
    // Each once, and no internal path in the words.
    expect(new Set(lines).size).toBe(lines.length);
    for (const p of problems) expect(p.message).not.toMatch(/modules_specs\[/);
    // The place is a node and a field the inspector can focus.
    expect(problems.find((p) => p.where[0] === 'Brain')).toMatchObject({ field: 'dt' });
    expect(problems.find((p) => p.where[0] === 'Brain')?.nodeId).toBeUndefined();
    // Errors first, and the export refuses with the same list.
    expect(problems[0]?.level).toBe('error');
    const r = s.getState().exportModel();
    expect(r.json).toBeUndefined();
    expect(r.problems.map(problemText)).toEqual(s.getState().validate().map(problemText));
  });

  it('an empty document says what is missing once', () => {
    const s = validatingStore();
    const lines = listProblems(s.getState().doc, registry, []).map(problemText);
    expect(lines).toEqual(['Model: No source node was found', 'Model: No sink node was found']);
  });
});
