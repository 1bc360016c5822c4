// The structural-op case table: every structural op kind of the registry in at least one small plan,
// with the inputs to stream and the buffers to record. `test/structural.test.ts` runs every case on
// every backend (Node and browser) and compares with the float64 reference executor (the registry's
// `reference` of each op) and with the cpu backend. A new op kind adds a case here.
import type { BackendKind, Plan, TypedArray } from '@spark-snn/core';
import { fixedInDegree, fixedProbability } from '../../src/ops/sparse/connect.ts';
import { testInputs } from './conformance.ts';

/** One case of the table. */
export interface StructuralCase {
  readonly name: string;
  readonly plan: Plan;
  readonly steps: number;
  /** Per-step input streams (`steps × size`). */
  readonly inputs: Readonly<Record<string, TypedArray>>;
  /** Steps per chunk (exercises chunk boundaries). */
  readonly chunk: number;
  /**
   * Recorded buffers and how they must agree. `exact`: bit-identical to the float64 reference (moves,
   * integers, spikes) and so on every backend. `f32`: float32 sums, rel ≤ 1e-5 against the float64
   * reference; `sameOrder` adds bit-identity with the cpu on the backends listed (f32 sums taken in
   * the same order, in f32).
   */
  readonly record: Readonly<
    Record<
      string,
      { readonly exact: true } | { readonly f32: true; readonly sameOrder: readonly BackendKind[] }
    >
  >;
}

/** Spikes (0/1) with activity `p`, `steps × n`. */
function spikes(steps: number, n: number, p: number, salt: number): Float32Array {
  return testInputs(steps, n, 0, 1, salt).map((x) => (x < p ? 1 : 0));
}

// concat, reduce.group_sum (plain; abs + accumulate), compact — N > 256: the WGSL compaction walks
// more than one tile.
const N = 300;
const GROUPS = 7;
const groupOffsets = Int32Array.from({ length: GROUPS + 1 }, (_, g) => Math.round((g * N) / GROUPS));
const groupMembers = Int32Array.from({ length: N }, (_, k) => (k * 37) % N); // a permutation of 0..N-1

const moves: StructuralCase = {
  name: 'concat, reduce.group_sum (plain, abs + accumulate), compact, copy',
  steps: 5,
  chunk: 2,
  plan: {
    dt: 1,
    seed: 0,
    buffers: [
      { name: 'a', dtype: 'float32', shape: [N] },
      { name: 'b', dtype: 'float32', shape: [40] },
      { name: 'c', dtype: 'float32', shape: [N + 40] },
      { name: 'c2', dtype: 'float32', shape: [N + 40] },
      { name: 'offsets', dtype: 'int32', shape: [GROUPS + 1], init: groupOffsets },
      { name: 'members', dtype: 'int32', shape: [N], init: groupMembers },
      { name: 'sums', dtype: 'float32', shape: [GROUPS] },
      { name: 'abs', dtype: 'float32', shape: [GROUPS], init: 0.5 },
      { name: 'indices', dtype: 'uint32', shape: [N + 40] },
      { name: 'count', dtype: 'uint32', shape: [1] },
    ],
    ops: [
      { op: 'concat', name: 'cat', bindings: { out: 'c', in0: 'a', in1: 'b' }, attrs: { sizes: [N, 40] } },
      { op: 'copy', name: 'copy', bindings: { src: 'c', dst: 'c2' } },
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
        bindings: { input: 'c2', indices: 'indices', count: 'count' },
        attrs: { n: N + 40 },
      },
    ],
  },
  inputs: {
    // Signed spikes with ~20 % activity on a, and values in [-1, 1) on b.
    a: testInputs(5, N, 0, 1, 11).map((x, k) => (x < 0.2 ? (k % 3 === 0 ? -1 : 1) : x < 0.25 ? 0.375 : 0)),
    b: testInputs(5, 40, -1, 1, 12).map((x) => (x > 0.5 ? x : 0)),
  },
  record: {
    c: { exact: true },
    c2: { exact: true },
    indices: { exact: true },
    count: { exact: true },
    sums: { f32: true, sameOrder: ['webgpu'] },
    abs: { f32: true, sameOrder: ['webgpu'] },
  },
};

// delay.per_synapse (u32 delays) and delay.per_neuron (i32 delays), d = slots wrapping to zero delay;
// dense.async over the delayed per-synapse spikes, dense.sync accumulating over the delayed spikes.
const POST = 9;
const PRE = 70;
const SLOTS = 4;
const delaysAndDense: StructuralCase = {
  name: 'delay.per_synapse, delay.per_neuron, dense.async, dense.sync (accumulate)',
  steps: 10,
  chunk: 4,
  plan: {
    dt: 1,
    seed: 0,
    buffers: [
      { name: 'w', dtype: 'float32', shape: [POST, PRE], init: testInputs(1, POST * PRE, -1, 1, 5) },
      { name: 'in', dtype: 'float32', shape: [PRE] },
      {
        name: 'd',
        dtype: 'uint32',
        shape: [POST, PRE],
        init: Uint32Array.from({ length: POST * PRE }, (_, k) => (k * 7) % (SLOTS + 1)),
      },
      {
        name: 'dn',
        dtype: 'int32',
        shape: [PRE],
        init: Int32Array.from({ length: PRE }, (_, k) => k % SLOTS),
      },
      { name: 'ring', dtype: 'float32', shape: [SLOTS, PRE] },
      { name: 'ringn', dtype: 'float32', shape: [SLOTS, PRE] },
      { name: 'async', dtype: 'float32', shape: [POST, PRE] },
      { name: 'sync', dtype: 'float32', shape: [PRE] },
      { name: 'i1', dtype: 'float32', shape: [POST] },
      { name: 'i2', dtype: 'float32', shape: [POST], init: 1 },
    ],
    ops: [
      {
        op: 'delay.per_synapse',
        name: 'ds',
        bindings: { input: 'in', delays: 'd', ring: 'ring', out: 'async' },
        attrs: { post: POST, pre: PRE, slots: SLOTS },
      },
      {
        op: 'delay.per_neuron',
        name: 'dn',
        bindings: { input: 'in', delays: 'dn', ring: 'ringn', out: 'sync' },
        attrs: { n: PRE, slots: SLOTS },
      },
      {
        op: 'dense.async',
        name: 'pa',
        bindings: { weights: 'w', spikes: 'async', out: 'i1' },
        attrs: { post: POST, pre: PRE },
      },
      {
        op: 'dense.sync',
        name: 'ps',
        bindings: { weights: 'w', spikes: 'sync', out: 'i2' },
        attrs: { post: POST, pre: PRE, accumulate: true },
      },
    ],
  },
  // Spikes of both signs (inhibitory sources), ~30 % active.
  inputs: { in: testInputs(10, PRE, 0, 1, 4).map((x, k) => (x < 0.25 ? 1 : x < 0.3 ? -(k % 2) : 0)) },
  record: {
    async: { exact: true },
    sync: { exact: true },
    i1: { f32: true, sameOrder: [] },
    i2: { f32: true, sameOrder: [] },
  },
};

// sparse.csr: per-connection weights, no delay; homogeneous weight and delay, accumulating; per-connection
// delays (a history of maxDelay + 1 rows).
const SP_PRE = 150;
const SP_POST = 130;
const prob = fixedProbability({ pre: SP_PRE, post: SP_POST, p: 0.1, seed: 7, stream: 1 });
const indeg = fixedInDegree({
  pre: SP_PRE,
  post: SP_POST,
  k: 12,
  seed: 7,
  stream: 2,
  sourceRange: [100, 150],
});
const spWeights = Float32Array.from({ length: prob.sources.length }, (_, e) => ((e * 7919) % 200) / 100 - 1);
const spDelays = Uint32Array.from({ length: prob.sources.length }, (_, e) => (e * 13) % 5);
const sparse: StructuralCase = {
  name: 'sparse.csr (per-connection weights; homogeneous delay, accumulate; per-connection delays)',
  steps: 9,
  chunk: 4,
  plan: {
    dt: 1,
    seed: 0,
    buffers: [
      { name: 's', dtype: 'float32', shape: [SP_PRE] },
      { name: 'po', dtype: 'uint32', shape: [SP_POST + 1], init: prob.offsets },
      { name: 'ps', dtype: 'uint32', shape: [prob.sources.length], init: prob.sources },
      { name: 'pw', dtype: 'float32', shape: [prob.sources.length], init: spWeights },
      { name: 'pd', dtype: 'uint32', shape: [prob.sources.length], init: spDelays },
      { name: 'ko', dtype: 'int32', shape: [SP_POST + 1], init: Int32Array.from(indeg.offsets) },
      { name: 'ks', dtype: 'int32', shape: [indeg.sources.length], init: Int32Array.from(indeg.sources) },
      { name: 'hist', dtype: 'float32', shape: [4 * SP_PRE] },
      { name: 'hist2', dtype: 'float32', shape: [5 * SP_PRE] },
      { name: 'a', dtype: 'float32', shape: [SP_POST] },
      { name: 'b', dtype: 'float32', shape: [SP_POST], init: 0.25 },
      { name: 'c', dtype: 'float32', shape: [SP_POST] },
    ],
    ops: [
      {
        op: 'sparse.csr',
        name: 'weighted',
        bindings: { offsets: 'po', sources: 'ps', weights: 'pw', spikes: 's', out: 'a' },
        attrs: { post: SP_POST, pre: SP_PRE, nnz: prob.sources.length },
      },
      {
        op: 'sparse.csr',
        name: 'delayed',
        bindings: { offsets: 'ko', sources: 'ks', spikes: 's', history: 'hist', out: 'b' },
        attrs: {
          post: SP_POST,
          pre: SP_PRE,
          nnz: indeg.sources.length,
          weight: -0.5,
          delay: 3,
          accumulate: true,
        },
      },
      {
        op: 'sparse.csr',
        name: 'per-edge delays',
        bindings: {
          offsets: 'po',
          sources: 'ps',
          weights: 'pw',
          delays: 'pd',
          spikes: 's',
          history: 'hist2',
          out: 'c',
        },
        attrs: { post: SP_POST, pre: SP_PRE, nnz: prob.sources.length, maxDelay: 4 },
      },
    ],
  },
  inputs: { s: spikes(9, SP_PRE, 0.3, 5) },
  record: {
    // Per-connection weights: a GPU may fuse the multiply-add, so only the homogeneous sums are
    // bit-identical across backends.
    a: { f32: true, sameOrder: [] },
    b: { f32: true, sameOrder: ['webgpu', 'gpujs'] },
    c: { f32: true, sameOrder: [] },
  },
};

/** The table. */
export const STRUCTURAL_CASES: readonly StructuralCase[] = [moves, delaysAndDense, sparse];
