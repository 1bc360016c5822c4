import { CounterRng, philox4x32 } from '@spark-snn/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillDraws, normalOf, philoxInto, uniformOf } from './philox.ts';

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
      philoxInto(i >>> 2, 7, 3, k0, k1, out);
      const j = i & 2;
      expect(uniformOf(out[i & 3] as number)).toBe(rng.uniform(3, 7, i));
      expect(normalOf(out[j] as number, out[j + 1] as number, i & 1)).toBe(rng.normal(3, 7, i));
    }
  });

  it('fillDraws equals CounterRng element by element (uniform and normal, any length)', () => {
    const rng = new CounterRng(77);
    const [k0, k1] = rng.key;
    for (const n of [0, 1, 3, 4, 5, 37]) {
      const u = fillDraws(new Float32Array(n), 'uniform', k0, k1, 9, 4);
      const z = fillDraws(new Float32Array(n), 'normal', k0, k1, 9, 4);
      expect(Array.from(u)).toEqual(Array.from(rng.fillUniform(new Float32Array(n), 9, 4)));
      expect(Array.from(z)).toEqual(Array.from(rng.fillNormal(new Float32Array(n), 9, 4)));
    }
  });
});
