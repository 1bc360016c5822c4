// sparse.csr with per-connection weights and delays, 2-byte indices, the webgpu scatter (i32
// fixed-point atomics) against the gather, and connectivity split over several bindings when the
// device limits are lowered. Oracles: a naive float64/f32 reference written here, and the cpu backend.
import type { Backend, Plan } from '@spark-snn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import { gpujsBackend } from '../src/backends/gpujs/index.ts';
import { webgpuBackend, webgpuSparseInfo } from '../src/backends/webgpu/index.ts';
import { fixedInDegree, fixedProbability } from '../src/ops/sparse/connect.ts';
import { chooseDelivery, fixedPointShift, packU16, segmentRows } from '../src/ops/sparse/layout.ts';
import type { SparseCsrAttrs } from '../src/ops.ts';
import { testInputs } from './common/conformance.ts';

const PRE = 170;
const POST = 140;
const STEPS = 12;
const MAXD = 4;

const prob = fixedProbability({ pre: PRE, post: POST, p: 0.08, seed: 11, stream: 3 });
const NNZ = prob.sources.length;
const MAX_ROW = Math.max(...Array.from({ length: POST }, (_, i) => prob.offsets[i + 1]! - prob.offsets[i]!));
const indeg = fixedInDegree({ pre: PRE, post: POST, k: 9, seed: 5, stream: 4 });
/** Float weights in [−1, 1), integer weights in {−3 … 3}, delays in [0, MAXD]. */
const fw = Float32Array.from({ length: NNZ }, (_, e) => ((e * 7919) % 200) / 100 - 1);
const iw = Float32Array.from({ length: NNZ }, (_, e) => ((e * 31) % 7) - 3);
const dl = Int32Array.from({ length: NNZ }, (_, e) => (e * 13) % (MAXD + 1));
/** Spikes 0/±1 (inhibitory sources spike −1). */
const sIn = testInputs(STEPS, PRE, 0, 1, 9).map((x, k) => (x < 0.25 ? ((k % PRE) % 5 === 0 ? -1 : 1) : 0));

interface Case {
  readonly weights?: Float32Array;
  readonly weight?: number;
  readonly delays?: Int32Array;
  readonly delay?: number;
  readonly accumulate?: boolean;
  readonly extra?: Partial<SparseCsrAttrs>;
  readonly csr?: { offsets: Uint32Array; sources: Uint32Array };
}

function makePlan(c: Case): Plan {
  const csr = c.csr ?? prob;
  const nnz = csr.sources.length;
  const D = c.delays ? MAXD : (c.delay ?? 0);
  const bindings: Record<string, string> = { offsets: 'o', sources: 'src', spikes: 's', out: 'out' };
  const buffers: Plan['buffers'][number][] = [
    { name: 's', dtype: 'float32', shape: [PRE] },
    { name: 'o', dtype: 'uint32', shape: [POST + 1], init: csr.offsets },
    { name: 'src', dtype: 'uint32', shape: [nnz], init: csr.sources },
    { name: 'out', dtype: 'float32', shape: [POST], ...(c.accumulate ? { init: 0.5 } : {}) },
  ];
  if (c.weights) {
    buffers.push({ name: 'w', dtype: 'float32', shape: [nnz], init: c.weights });
    bindings.weights = 'w';
  }
  if (c.delays) {
    buffers.push({ name: 'd', dtype: 'int32', shape: [nnz], init: c.delays });
    bindings.delays = 'd';
  }
  if (D > 0) {
    buffers.push({ name: 'h', dtype: 'float32', shape: [(D + 1) * PRE] });
    bindings.history = 'h';
  }
  return {
    dt: 1,
    seed: 0,
    buffers,
    ops: [
      {
        op: 'sparse.csr',
        name: 'syn',
        bindings,
        attrs: {
          post: POST,
          pre: PRE,
          nnz,
          ...(c.weights ? {} : { weight: c.weight ?? 1 }),
          ...(c.delays ? { maxDelay: MAXD } : c.delay ? { delay: c.delay } : {}),
          ...(c.accumulate ? { accumulate: true } : {}),
          ...c.extra,
        },
      },
    ],
  };
}

/** Naive reference: f32 sums over each incoming row in order (the cpu/gather order), and the exact float64 sums. */
function reference(c: Case): { f32: Float32Array; f64: Float64Array; terms: Int32Array } {
  const csr = c.csr ?? prob;
  const f32 = new Float32Array(STEPS * POST);
  const f64 = new Float64Array(STEPS * POST);
  const terms = new Int32Array(STEPS * POST);
  const state = new Float32Array(POST).fill(c.accumulate ? 0.5 : 0);
  for (let t = 0; t < STEPS; t++) {
    for (let i = 0; i < POST; i++) {
      let acc = 0;
      let exact = 0;
      for (let e = csr.offsets[i]!; e < csr.offsets[i + 1]!; e++) {
        const d = c.delays ? c.delays[e]! : (c.delay ?? 0);
        if (t - d < 0) continue;
        const x = sIn[(t - d) * PRE + csr.sources[e]!]!;
        if (x === 0) continue;
        const w = c.weights ? c.weights[e]! : Math.fround(c.weight ?? 1);
        acc = Math.fround(acc + Math.fround(w * x));
        exact += w * x;
        terms[t * POST + i]!++;
      }
      if (c.accumulate) state[i] = Math.fround(state[i]! + acc);
      else state[i] = acc;
      f32[t * POST + i] = state[i]!;
      f64[t * POST + i] = (c.accumulate ? 0.5 : 0) + exact;
    }
  }
  return { f32, f64, terms };
}

let cpu: Backend;
let gpu: Backend | undefined;
let gpujs: Backend | undefined;
const extra: Backend[] = [];
beforeAll(async () => {
  cpu = cpuBackend();
  try {
    gpu = await webgpuBackend();
  } catch {
    // no WebGPU here
  }
  try {
    gpujs = await gpujsBackend();
  } catch {
    // no gpu.js here
  }
});
afterAll(() => {
  gpu?.destroy();
  gpujs?.destroy();
  for (const b of extra) b.destroy();
});

async function run(
  b: Backend,
  plan: Plan,
): Promise<{ out: Float32Array; info: ReturnType<typeof webgpuSparseInfo> }> {
  const p = await b.load(plan);
  const r = await p.run({ steps: STEPS, chunk: 5, inputs: { s: sIn }, record: ['out'] });
  const info = webgpuSparseInfo(p);
  p.destroy();
  return { out: r.records.out as Float32Array, info };
}

const CASES: Record<string, Case> = {
  'per-connection weights and delays': { weights: fw, delays: dl },
  'integer weights, per-connection delays, accumulate': { weights: iw, delays: dl, accumulate: true },
  'homogeneous weight, per-connection delays': { weight: -0.75, delays: dl },
  'homogeneous weight and delay (fast path)': { weight: 2, delay: 3, accumulate: true },
  'per-connection weights, no delay': { weights: fw },
};

describe('sparse.csr: per-connection weights and delays', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`cpu matches the naive reference bit for bit: ${name}`, async () => {
      const { out } = await run(cpu, makePlan(c));
      expect(out).toEqual(reference(c).f32);
    });
    it(`webgpu gather (u16 and u32 indices) and gpujs match the cpu: ${name}`, async () => {
      const want = (await run(cpu, makePlan(c))).out;
      const exact = c.weights === undefined || c.weights === iw;
      const check = (got: Float32Array, label: string): void => {
        if (exact) expect(got, label).toEqual(want);
        else
          for (let k = 0; k < got.length; k++)
            expect(Math.abs(got[k]! - want[k]!), `${label}[${k}]`).toBeLessThan(1e-6);
      };
      if (gpu) {
        for (const indexWidth of [16, 32] as const) {
          const r = await run(gpu, makePlan({ ...c, extra: { delivery: 'gather', indexWidth } }));
          expect(r.info[0]).toMatchObject({ delivery: 'gather', indexWidth, segments: 1 });
          check(r.out, `webgpu gather u${indexWidth}`);
        }
      }
      if (gpujs) check((await run(gpujs, makePlan(c))).out, 'gpujs');
    });
    it(`cpu with 32-bit targets equals cpu with 16-bit targets: ${name}`, async () => {
      const a = await run(cpu, makePlan({ ...c, extra: { indexWidth: 16 } }));
      const b = await run(cpu, makePlan({ ...c, extra: { indexWidth: 32 } }));
      expect(a.out).toEqual(b.out);
    });
  }
});

describe('sparse.csr on webgpu: atomic scatter vs gather', () => {
  it('is exact with integer weights (equal to the gather and the cpu)', async (ctx) => {
    if (!gpu) return ctx.skip('no WebGPU adapter here');
    for (const c of [
      CASES['integer weights, per-connection delays, accumulate']!,
      CASES['homogeneous weight and delay (fast path)']!,
    ]) {
      const want = (await run(cpu, makePlan(c))).out;
      for (const indexWidth of [16, 32] as const) {
        const s = await run(gpu, makePlan({ ...c, extra: { delivery: 'scatter', indexWidth } }));
        expect(s.info[0]).toMatchObject({ delivery: 'scatter', indexWidth, dispatches: 3 });
        expect(s.info[0]!.shift).toBe(fixedPointShift(MAX_ROW, c.weights ? 3 : 2));
        expect(s.out).toEqual(want);
      }
    }
  });

  it('stays within the fixed-point error bound with float weights', async (ctx) => {
    if (!gpu) return ctx.skip('no WebGPU adapter here');
    const c = CASES['per-connection weights and delays']!;
    const ref = reference(c);
    const s = await run(gpu, makePlan({ ...c, extra: { delivery: 'scatter' } }));
    const k = s.info[0]!.shift as number;
    expect(k).toBeGreaterThan(20);
    let worst = 0;
    for (let q = 0; q < s.out.length; q++) {
      const bound = ref.terms[q]! * 2 ** -(k + 1) + Math.abs(ref.f64[q]!) * 2 ** -24;
      const err = Math.abs(s.out[q]! - ref.f64[q]!);
      expect(err, `out[${q}]`).toBeLessThanOrEqual(bound);
      worst = Math.max(worst, err);
    }
    // The bound is tight enough to matter: quantisation at this scale is below f32 resolution.
    expect(worst).toBeLessThan(1e-6);
  });

  it('the backend option overrides the op (sparseDelivery)', async (ctx) => {
    if (!gpu) return ctx.skip('no WebGPU adapter here');
    const forced = await webgpuBackend({ sparseDelivery: 'scatter' });
    extra.push(forced);
    const c = CASES['homogeneous weight and delay (fast path)']!;
    const r = await run(forced, makePlan({ ...c, extra: { delivery: 'gather' } }));
    expect(r.info[0]!.delivery).toBe('scatter');
    expect(r.out).toEqual((await run(cpu, makePlan(c))).out);
  });
});

describe('sparse.csr on webgpu: connectivity over several bindings', () => {
  it('splits under a lowered binding limit and still matches the cpu (gather and scatter)', async (ctx) => {
    if (!gpu) return ctx.skip('no WebGPU adapter here');
    // 4096 B per binding: the history (5 × 170 × 4 = 3400 B) fits, the ~1900 f32 weights do not.
    const low = await webgpuBackend({ limits: { maxStorageBufferBindingSize: 4096 } });
    extra.push(low);
    const c = CASES['integer weights, per-connection delays, accumulate']!;
    const want = (await run(cpu, makePlan(c))).out;
    for (const delivery of ['gather', 'scatter'] as const) {
      const r = await run(low, makePlan({ ...c, extra: { delivery } }));
      expect(r.info[0]!.segments, delivery).toBeGreaterThan(1);
      expect(r.out, delivery).toEqual(want);
    }
    // 1024 B (maxBufferSize): fixed in-degree, homogeneous weight: 1260 u16 sources over 3+ bindings.
    const lower = await webgpuBackend({ limits: { maxBufferSize: 1024 } });
    extra.push(lower);
    const h: Case = { weight: 1.5, csr: indeg };
    const wantH = (await run(cpu, makePlan(h))).out;
    for (const delivery of ['gather', 'scatter'] as const) {
      const r = await run(lower, makePlan({ ...h, extra: { delivery } }));
      expect(r.info[0]!.segments, delivery).toBeGreaterThanOrEqual(3);
      expect(r.out, delivery).toEqual(wantH);
    }
    // A plan buffer cannot be split: the history (3400 B) over 1024 B is the clear limit error.
    await expect(lower.load(makePlan(c))).rejects.toMatchObject({ code: 'limit-exceeded' });
    await expect(lower.load(makePlan(c))).rejects.toThrow(/buffer "h" needs 3400 bytes/);
  });

  it('rejects a row that does not fit one binding with a clear error', () => {
    expect(() => segmentRows(Uint32Array.of(0, 3, 200), 2, 4, 400)).toThrow(/row 1 has 197 edges/);
    const s = segmentRows(Uint32Array.of(0, 3, 6, 9, 12), 4, 4, 24);
    expect(s).toEqual([
      { row0: 0, row1: 2, edge0: 0, edge1: 6 },
      { row0: 2, row1: 4, edge0: 6, edge1: 12 },
    ]);
  });
});

describe('sparse layout helpers', () => {
  it('packs u16 pairs little end first', () => {
    expect([...packU16([1, 2, 0xffff], 0, 3)]).toEqual([0x00020001, 0x0000ffff]);
    expect([...packU16([9, 1, 2, 3], 1, 4)]).toEqual([0x00020001, 3]);
  });

  it('fixed-point shift keeps the worst row within 2^30', () => {
    expect(fixedPointShift(100, 1)).toBe(23); // 100 · 2^23 = 8.4e8 ≤ 2^30 < 100 · 2^24
    expect(fixedPointShift(1000, 0.5)).toBe(21);
    expect(fixedPointShift(0, 1)).toBe(40);
    expect(fixedPointShift(10, 1e9)).toBe(-4);
  });

  it('the delivery rule picks gather for small or busy networks and scatter for large sparse activity', () => {
    const base = {
      pre: 4000,
      post: 4000,
      nnz: 320_000,
      edgeBytes: 2,
      activity: 0.001,
      windowRows: 1,
      shift: 20,
    };
    expect(chooseDelivery(base)).toBe('gather');
    expect(chooseDelivery({ ...base, pre: 125_000, post: 125_000, nnz: 125e6 })).toBe('scatter');
    expect(chooseDelivery({ ...base, pre: 125_000, post: 125_000, nnz: 125e6, activity: 0.9 })).toBe(
      'gather',
    );
    expect(chooseDelivery({ ...base, pre: 125_000, post: 125_000, nnz: 125e6, shift: 4 })).toBe('gather');
  });
});

describe('sparse.csr validation', () => {
  const bad = async (c: Case, edit: (p: Plan) => Plan, msg: RegExp): Promise<void> => {
    await expect(cpu.load(edit(makePlan(c)))).rejects.toThrow(msg);
  };
  it('rejects delays outside [0, maxDelay], a missing maxDelay and a delay next to delays', async () => {
    const c = { weights: fw, delays: dl };
    await bad(
      c,
      (p) => ({
        ...p,
        buffers: p.buffers.map((b) =>
          b.name === 'd' ? { ...b, init: Int32Array.from(dl, (x, e) => (e === 7 ? 9 : x)) } : b,
        ),
      }),
      /delay 7 = 9 is outside \[0, maxDelay = 4\]/,
    );
    await bad(
      c,
      (p) => ({ ...p, ops: p.ops.map((o) => ({ ...o, attrs: { ...o.attrs, maxDelay: undefined } })) }),
      /maxDelay/,
    );
    await bad(
      c,
      (p) => ({ ...p, ops: p.ops.map((o) => ({ ...o, attrs: { ...o.attrs, delay: 2 } })) }),
      /exclude/,
    );
    await bad(
      c,
      (p) => ({ ...p, ops: p.ops.map((o) => ({ ...o, attrs: { ...o.attrs, delivery: 'push' } })) }),
      /delivery/,
    );
  });

  it('webgpu keeps the connectivity on the host: read returns it, a changing write is refused', async (ctx) => {
    if (!gpu) return ctx.skip('no WebGPU adapter here');
    const p = await gpu.load(makePlan({ weights: fw, delays: dl }));
    expect(await p.read('w')).toEqual(fw);
    expect(await p.read('d')).toEqual(dl);
    await p.write('w', fw); // the same contents: a no-op (programs copied buffer by buffer)
    await expect(
      p.write(
        'w',
        fw.map((x) => x + 1),
      ),
    ).rejects.toThrow(/static sparse connectivity/);
    p.destroy();
  });
});
