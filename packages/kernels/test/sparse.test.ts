// sparse.csr: connectors are deterministic and follow their rule; the cpu (event-driven push) matches a
// naive float32 reference bit for bit. The other backends run the sparse case of the structural-op
// table (test/structural.test.ts).
import type { Backend, Plan, TypedArray } from '@spark-snn/core';
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import { edgeList, fixedInDegree, fixedProbability } from '../src/ops/sparse/connect.ts';
import { testInputs } from './common/conformance.ts';

const PRE = 150;
const POST = 130;
const STEPS = 9;
const DELAY = 3;

const prob = fixedProbability({ pre: PRE, post: POST, p: 0.1, seed: 7, stream: 1 });
const indeg = fixedInDegree({ pre: PRE, post: POST, k: 12, seed: 7, stream: 2, sourceRange: [100, 150] });
const weights = Float32Array.from({ length: prob.sources.length }, (_, e) => ((e * 7919) % 200) / 100 - 1);

const plan: Plan = {
  dt: 1,
  seed: 0,
  buffers: [
    { name: 's', dtype: 'float32', shape: [PRE] },
    { name: 'po', dtype: 'uint32', shape: [POST + 1], init: prob.offsets },
    { name: 'ps', dtype: 'uint32', shape: [prob.sources.length], init: prob.sources },
    { name: 'pw', dtype: 'float32', shape: [prob.sources.length], init: weights },
    { name: 'ko', dtype: 'int32', shape: [POST + 1], init: Int32Array.from(indeg.offsets) },
    { name: 'ks', dtype: 'int32', shape: [indeg.sources.length], init: Int32Array.from(indeg.sources) },
    { name: 'hist', dtype: 'float32', shape: [(DELAY + 1) * PRE] },
    { name: 'a', dtype: 'float32', shape: [POST] },
    { name: 'b', dtype: 'float32', shape: [POST], init: 0.25 },
  ],
  ops: [
    {
      op: 'sparse.csr',
      name: 'weighted',
      bindings: { offsets: 'po', sources: 'ps', weights: 'pw', spikes: 's', out: 'a' },
      attrs: { post: POST, pre: PRE, nnz: prob.sources.length },
    },
    {
      op: 'sparse.csr',
      name: 'delayed',
      bindings: { offsets: 'ko', sources: 'ks', spikes: 's', history: 'hist', out: 'b' },
      attrs: {
        post: POST,
        pre: PRE,
        nnz: indeg.sources.length,
        weight: -0.5,
        delay: DELAY,
        accumulate: true,
      },
    },
  ],
};

const sIn = testInputs(STEPS, PRE, 0, 1, 5).map((x) => (x < 0.3 ? 1 : 0));

function reference(): { a: Float32Array; b: Float32Array } {
  const a = new Float32Array(STEPS * POST);
  const b = new Float32Array(STEPS * POST);
  const bs = new Float32Array(POST).fill(0.25);
  for (let t = 0; t < STEPS; t++) {
    const sNow = sIn.subarray(t * PRE, (t + 1) * PRE);
    const sOld = t >= DELAY ? sIn.subarray((t - DELAY) * PRE, (t - DELAY + 1) * PRE) : new Float32Array(PRE);
    for (let i = 0; i < POST; i++) {
      let acc = 0;
      for (let e = prob.offsets[i] as number; e < (prob.offsets[i + 1] as number); e++) {
        const x = sNow[prob.sources[e] as number] as number;
        if (x !== 0) acc = Math.fround(acc + Math.fround((weights[e] as number) * x));
      }
      a[t * POST + i] = acc;
      let acc2 = 0;
      for (let e = indeg.offsets[i] as number; e < (indeg.offsets[i + 1] as number); e++) {
        const x = sOld[indeg.sources[e] as number] as number;
        if (x !== 0) acc2 = Math.fround(acc2 + Math.fround(-0.5 * x));
      }
      bs[i] = Math.fround((bs[i] as number) + acc2);
      b[t * POST + i] = bs[i] as number;
    }
  }
  return { a, b };
}

async function run(b: Backend): Promise<Record<string, TypedArray>> {
  const p = await b.load(plan);
  const r = await p.run({ steps: STEPS, chunk: 4, inputs: { s: sIn }, record: ['a', 'b'] });
  p.destroy();
  return r.records as Record<string, TypedArray>;
}

describe('sparse connectors', () => {
  it('are deterministic, sorted and follow their rule', () => {
    const again = fixedProbability({ pre: PRE, post: POST, p: 0.1, seed: 7, stream: 1 });
    expect(again.sources).toEqual(prob.sources);
    const big = fixedProbability({ pre: 2000, post: 2000, p: 0.02, seed: 3 });
    expect(Math.abs(big.sources.length / 4e6 - 0.02)).toBeLessThan(0.001);
    for (let i = 0; i < POST; i++) {
      expect(indeg.offsets[i + 1]! - indeg.offsets[i]!).toBe(12);
      for (let e = indeg.offsets[i]!; e < indeg.offsets[i + 1]!; e++) {
        expect(indeg.sources[e]).toBeGreaterThanOrEqual(100);
        expect(indeg.sources[e]).toBeLessThan(150);
        if (e > indeg.offsets[i]!) expect(indeg.sources[e]).toBeGreaterThanOrEqual(indeg.sources[e - 1]!);
      }
    }
    const el = edgeList({ pre: 3, post: 2, sources: [2, 0, 1, 0], targets: [1, 1, 0, 1] });
    expect([...el.offsets]).toEqual([0, 1, 4]);
    expect([...el.sources]).toEqual([1, 0, 0, 2]);
    expect([...el.perm]).toEqual([2, 1, 3, 0]);
  });
});

describe('sparse.csr', () => {
  it('cpu (event-driven) matches a naive reference bit for bit', async () => {
    const got = await run(cpuBackend());
    const ref = reference();
    expect(got.a).toEqual(ref.a);
    expect(got.b).toEqual(ref.b);
  });

  it('rejects unsorted rows and out-of-range sources', async () => {
    const bad: Plan = {
      ...plan,
      buffers: plan.buffers.map((x) =>
        x.name === 'ps' ? { ...x, init: Uint32Array.from(prob.sources).reverse() } : x,
      ),
    };
    await expect(cpuBackend().load(bad)).rejects.toThrow(/sorted|outside/);
  });
});
