import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from './text.ts';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('', 'ab')).toBe(2);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('potential_tau', 'potentail_tau')).toBe(2);
    expect(editDistance('run', 'run')).toBe(0);
  });
  it('is symmetric', () => {
    for (const [a, b] of [
      ['flaw', 'lawn'],
      ['validate', 'valdiate'],
      ['spike', 'spikes'],
    ] as const)
      expect(editDistance(a, b)).toBe(editDistance(b, a));
  });
});

describe('closestName', () => {
  it('takes the nearest candidate within a third of the word (at least two edits)', () => {
    expect(closestName('potentail_tau', ['threshold', 'potential_tau', 'potential_rest'])).toBe(
      'potential_tau',
    );
    expect(closestName('xyz', ['threshold', 'resistance'])).toBeUndefined();
    // 'vlidate' is 1 edit from 'validate'; 'map' is far.
    expect(closestName('vlidate', ['map', 'validate'])).toBe('validate');
  });
  it('keeps the first candidate on ties and honours maxDistance and ignoreCase', () => {
    expect(closestName('ab', ['ac', 'ad'])).toBe('ac');
    expect(closestName('runn', ['run'], { maxDistance: 0 })).toBeUndefined();
    expect(closestName('LEAKY_SOMA', ['leaky_soma'])).toBeUndefined();
    expect(closestName('LEAKY_SOMA', ['leaky_soma'], { ignoreCase: true })).toBe('leaky_soma');
  });
});
