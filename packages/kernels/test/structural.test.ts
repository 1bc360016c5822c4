// Structural ops on every backend: agree with a naive reference and with each other — bit for bit
// where integer (and for the in-order f32 group sums), to 1e-6 where float. Node and browser.
import type { Backend, Plan, TypedArray } from '@spark-snn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import { gpujsBackend } from '../src/backends/gpujs/index.ts';
import { webgpuBackend } from '../src/backends/webgpu/index.ts';
import { testInputs } from './common/conformance.ts';

const N = 300; // > 256: the WGSL compaction walks more than one tile
const STEPS = 5;
const GROUPS = 7;
const offsets = Int32Array.from({ length: GROUPS + 1 }, (_, g) => Math.round((g * N) / GROUPS));
const members = Int32Array.from({ length: N }, (_, k) => (k * 37) % N); // a permutation of 0..N-1

const plan: Plan = {
  dt: 1,
  seed: 0,
  buffers: [
    { name: 'a', dtype: 'float32', shape: [N] },
    { name: 'b', dtype: 'float32', shape: [40] },
    { name: 'c', dtype: 'float32', shape: [N + 40] },
    { name: 'offsets', dtype: 'int32', shape: [GROUPS + 1], init: offsets },
    { name: 'members', dtype: 'int32', shape: [N], init: members },
    { name: 'sums', dtype: 'float32', shape: [GROUPS] },
    { name: 'abs', dtype: 'float32', shape: [GROUPS], init: 0.5 },
    { name: 'indices', dtype: 'uint32', shape: [N + 40] },
    { name: 'count', dtype: 'uint32', shape: [1] },
  ],
  ops: [
    { op: 'concat', name: 'cat', bindings: { out: 'c', in0: 'a', in1: 'b' }, attrs: { sizes: [N, 40] } },
    {
      op: 'reduce.group_sum',
      name: 'sum',
      bindings: { input: 'a', offsets: 'offsets', members: 'members', out: 'sums' },
      attrs: { n: N, groups: GROUPS },
    },
    {
      op: 'reduce.group_sum',
      name: 'abs',
      bindings: { input: 'a', offsets: 'offsets', members: 'members', out: 'abs' },
      attrs: { n: N, groups: GROUPS, abs: true, accumulate: true },
    },
    {
      op: 'compact',
      name: 'compact',
      bindings: { input: 'c', indices: 'indices', count: 'count' },
      attrs: { n: N + 40 },
    },
  ],
};

// Signed spikes with ~20 % activity on a, and values in [-1, 1) on b.
const aIn = testInputs(STEPS, N, 0, 1, 11).map((x, k) =>
  x < 0.2 ? (k % 3 === 0 ? -1 : 1) : x < 0.25 ? 0.375 : 0,
);
const bIn = testInputs(STEPS, 40, -1, 1, 12).map((x) => (x > 0.5 ? x : 0));

let backends: Backend[] = [];
beforeAll(async () => {
  backends = [cpuBackend(), await webgpuBackend(), await gpujsBackend()];
});
afterAll(() => {
  for (const b of backends) b.destroy();
});

async function run(b: Backend): Promise<Record<string, TypedArray>> {
  const p = await b.load(plan);
  const r = await p.run({
    steps: STEPS,
    chunk: 2,
    inputs: { a: aIn, b: bIn },
    record: ['c', 'sums', 'abs', 'indices', 'count'],
  });
  p.destroy();
  return r.records as Record<string, TypedArray>;
}

describe('structural ops: concat, reduce.group_sum, compact', () => {
  it('cpu matches a naive reference', async () => {
    const r = await run(backends[0] as Backend);
    let absAcc = new Float64Array(GROUPS).fill(0.5);
    for (let t = 0; t < STEPS; t++) {
      const a = aIn.subarray(t * N, (t + 1) * N);
      const b = bIn.subarray(t * 40, (t + 1) * 40);
      const c = [...a, ...b];
      expect(Array.from((r.c as Float32Array).subarray(t * (N + 40), (t + 1) * (N + 40)))).toEqual(c);
      const nz = c.flatMap((x, i) => (x !== 0 ? [i] : []));
      expect((r.count as Uint32Array)[t]).toBe(nz.length);
      expect(Array.from((r.indices as Uint32Array).subarray(t * (N + 40), t * (N + 40) + nz.length))).toEqual(
        nz,
      );
      absAcc = absAcc.map((v, g) => {
        let s = 0;
        for (let m = offsets[g] as number; m < (offsets[g + 1] as number); m++)
          s += Math.abs(a[members[m] as number] as number);
        return v + s;
      });
      for (let g = 0; g < GROUPS; g++) {
        let s = 0;
        for (let m = offsets[g] as number; m < (offsets[g + 1] as number); m++)
          s += a[members[m] as number] as number;
        expect((r.sums as Float32Array)[t * GROUPS + g]).toBeCloseTo(s, 5);
        expect((r.abs as Float32Array)[t * GROUPS + g]).toBeCloseTo(absAcc[g] as number, 4);
      }
    }
  });

  it('webgpu and gpujs agree with cpu (integers and in-order f32 sums bit for bit on webgpu)', async () => {
    const [c, g, j] = await Promise.all(backends.map(run));
    for (const [name, other] of [
      ['webgpu', g],
      ['gpujs', j],
    ] as const) {
      const o = other as Record<string, TypedArray>;
      const ref = c as Record<string, TypedArray>;
      expect(Array.from(o.c as Float32Array), `${name} concat`).toEqual(Array.from(ref.c as Float32Array));
      expect(Array.from(o.count as Uint32Array), `${name} count`).toEqual(
        Array.from(ref.count as Uint32Array),
      );
      expect(Array.from(o.indices as Uint32Array), `${name} indices`).toEqual(
        Array.from(ref.indices as Uint32Array),
      );
      for (const k of ['sums', 'abs']) {
        const x = o[k] as Float32Array;
        const y = ref[k] as Float32Array;
        if (name === 'webgpu') expect(Array.from(x), `${name} ${k}`).toEqual(Array.from(y));
        else
          for (let i = 0; i < x.length; i++)
            expect(
              Math.abs((x[i] as number) - (y[i] as number)) / Math.max(1, Math.abs(y[i] as number)),
            ).toBeLessThanOrEqual(1e-6);
      }
    }
  });

  it('rejects a CSR structure that points outside the input', async () => {
    const bad: Plan = {
      ...plan,
      buffers: plan.buffers.map((b) =>
        b.name === 'members' ? { ...b, init: Int32Array.from(members, (x) => x + 1) } : b,
      ),
    };
    await expect(cpuBackend().load(bad)).rejects.toThrow(/members: member \d+ = 300 is outside \[0, 300\)/);
  });
});
