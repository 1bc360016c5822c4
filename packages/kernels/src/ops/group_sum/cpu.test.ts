import type { Plan } from '@spark-snn/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../../backends/cpu/index.ts';
import { parseDefinition } from '../../lang/parser.ts';
import { instantiateModule } from '../../ops.ts';

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

/** A module that passes its input on: its output carries an event list on the cpu backend. */
const PASS = parseDefinition('module pass\ninput x: SpikeArray f32\noutput y: SpikeArray f32\ny = x');

/**
 * One step of `reduce.group_sum` on the cpu backend: over a streamed input (the dense form) or over
 * a module's output (the event form, where the CSR allows it).
 */
async function groupSum(
  input: Float32Array,
  offsets: Int32Array,
  members: Int32Array,
  out: Float32Array,
  abs: boolean,
  accumulate: boolean,
  events: boolean,
): Promise<Float32Array> {
  const groups = offsets.length - 1;
  const n = input.length;
  const pass = instantiateModule(PASS, { prefix: 'p', size: n, dt: 1 });
  const plan: Plan = {
    dt: 1,
    seed: 0,
    buffers: [
      ...(events ? pass.buffers : [{ name: 'p.y', dtype: 'float32' as const, shape: [n] }]),
      { name: 'offsets', dtype: 'int32', shape: [groups + 1], init: offsets },
      {
        name: 'members',
        dtype: 'int32',
        shape: [Math.max(1, members.length)],
        init: members.length ? members : 0,
      },
      { name: 'out', dtype: 'float32', shape: [groups], init: Float32Array.from(out) },
    ],
    ops: [
      ...(events ? [pass.op] : []),
      {
        op: 'reduce.group_sum',
        name: 'sum',
        bindings: { input: 'p.y', offsets: 'offsets', members: 'members', out: 'out' },
        attrs: { n, groups, abs, accumulate },
      },
    ],
  };
  const p = await cpuBackend().load(plan);
  // Written, not streamed: a run refuses NaN inputs, the property includes them.
  await p.write(events ? 'p.x' : 'p.y', input);
  await p.run({ steps: 1 });
  const r = (await p.read('out')) as Float32Array;
  p.destroy();
  return r;
}

describe('reduce.group_sum on cpu', () => {
  it('skipping zero inputs leaves every sum bit-identical, dense and event forms (±0, NaN, mixed signs, accumulate)', async () => {
    const value = fc.oneof(
      fc.constant(0),
      fc.constant(-0),
      fc.constant(0),
      fc.constant(1),
      fc.constant(-1),
      fc.float({ noDefaultInfinity: true }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(value, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat({ max: 39 }), { maxLength: 60 }),
        fc.nat({ max: 5 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        async (xs, picks, groups, abs, accumulate, sorted) => {
          const input = Float32Array.from(xs);
          // Sorted unique members per group give the event form a CSR it can use; others fall back.
          let m = picks.map((p) => p % xs.length);
          if (sorted) m = [...new Set(m)].sort((a, b) => a - b);
          const members = Int32Array.from(m);
          const offsets = Int32Array.from({ length: groups + 2 }, (_, g) =>
            Math.round((g * members.length) / (groups + 1)),
          );
          const out = Float32Array.from({ length: groups + 1 }, (_, g) => (g % 2 ? -0 : 0.5));
          const want = reference(input, offsets, members, out, abs, accumulate);
          for (const events of [false, true]) {
            const got = await groupSum(input, offsets, members, out, abs, accumulate, events);
            // Object.is per element: distinguishes -0 from +0 and matches NaN.
            expect(Array.from(got, (x, g) => Object.is(x, want[g]))).toEqual(Array.from(got, () => true));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('counts the spikes of each population from the spike list', async () => {
    const spikes = new Float32Array(10);
    spikes[2] = 1;
    spikes[7] = 1;
    spikes[9] = 1;
    const members = Int32Array.from({ length: 10 }, (_, i) => i);
    const got = await groupSum(
      spikes,
      Int32Array.of(0, 8, 10),
      members,
      new Float32Array(2),
      false,
      false,
      true,
    );
    expect(Array.from(got)).toEqual([2, 1]);
  });
});
