import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupSumCpu } from './cpu.ts';

/** The definition, term by term: every member added (zeros included) with float32 rounding. */
function reference(
  input: Float32Array,
  offsets: Int32Array,
  members: Int32Array,
  out: Float32Array,
  abs: boolean,
  accumulate: boolean,
): Float32Array {
  const r = Float32Array.from(out);
  for (let g = 0; g + 1 < offsets.length; g++) {
    let acc = 0;
    for (let m = offsets[g] as number; m < (offsets[g + 1] as number); m++) {
      const x = input[members[m] as number] as number;
      acc = Math.fround(acc + (abs ? Math.abs(x) : x));
    }
    r[g] = accumulate ? Math.fround((r[g] as number) + acc) : acc;
  }
  return r;
}

describe('groupSumCpu', () => {
  it('skipping zero inputs leaves every sum bit-identical (±0, NaN, mixed signs, accumulate)', () => {
    const value = fc.oneof(
      fc.constant(0),
      fc.constant(-0),
      fc.constant(0),
      fc.constant(1),
      fc.constant(-1),
      fc.float({ noDefaultInfinity: true }),
    );
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat({ max: 39 }), { maxLength: 60 }),
        fc.nat({ max: 5 }),
        fc.boolean(),
        fc.boolean(),
        (xs, picks, groups, abs, accumulate) => {
          const input = Float32Array.from(xs);
          const members = Int32Array.from(picks.map((p) => p % xs.length));
          const offsets = Int32Array.from({ length: groups + 2 }, (_, g) =>
            Math.round((g * members.length) / (groups + 1)),
          );
          const out = Float32Array.from({ length: groups + 1 }, (_, g) => (g % 2 ? -0 : 0.5));
          const want = reference(input, offsets, members, out, abs, accumulate);
          groupSumCpu(input, offsets, members, out, groups + 1, abs, accumulate);
          // Object.is per element: distinguishes -0 from +0 and matches NaN.
          expect(Array.from(out, (x, g) => Object.is(x, want[g]))).toEqual(Array.from(out, () => true));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('counts the spikes of each population', () => {
    const spikes = new Float32Array(10);
    spikes[2] = 1;
    spikes[7] = 1;
    spikes[9] = 1;
    const out = new Float32Array(2);
    groupSumCpu(
      spikes,
      Int32Array.of(0, 8, 10),
      Int32Array.from({ length: 10 }, (_, i) => i),
      out,
      2,
      false,
      false,
    );
    expect(Array.from(out)).toEqual([2, 1]);
  });
});
