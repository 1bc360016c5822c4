import { CounterRng, philox4x32 } from '@spark-snn/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalOf, philoxInto, uniformOf } from './philox.ts';

describe('scalar Philox4x32-10 of the generated JS', () => {
  it('is bit-identical to core philox4x32 and CounterRng', () => {
    const out = new Uint32Array(4);
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.nat(), (c0, c1, c2, k0, k1) => {
        const [a, b, c, i] = [c0 >>> 0, c1 >>> 0, c2 >>> 0, k0 >>> 0];
        philoxInto(a, b, c, i, k1 >>> 0, out);
        expect(Array.from(out)).toEqual(Array.from(philox4x32([a, b, c, 0], [i, k1 >>> 0])));
      }),
      { numRuns: 500 },
    );
    const rng = new CounterRng(0x1234_5678_9abcn);
    const [k0, k1] = rng.key;
    for (let i = 0; i < 100; i++) {
      philoxInto(i, 7, 3, k0, k1, out);
      expect(uniformOf(out[0] as number)).toBe(rng.uniform(3, 7, i));
      expect(normalOf(out[0] as number, out[1] as number)).toBe(rng.normal(3, 7, i));
    }
  });
});
