// The structural-op case table (test/common/structural-cases.ts) on every backend, Node and browser:
// every recorded buffer agrees with the float64 reference executor (each op's registered
// `reference`): moves, integers and spikes exactly, float32 sums to rel ≤ 1e-5; sums taken in the same
// order in f32 are bit-identical to the cpu where the case says so. Every op kind of the registry has
// a case, and every backend implements every op kind.
import { BACKEND_KINDS, type Backend, type BackendKind, type Plan, type TypedArray } from '@spark-snn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import { CPU_OPS } from '../src/backends/cpu/ops.ts';
import { gpujsBackend } from '../src/backends/gpujs/index.ts';
import { GPUJS_OPS } from '../src/backends/gpujs/ops.ts';
import { webgpuBackend } from '../src/backends/webgpu/index.ts';
import { WEBGPU_OPS } from '../src/backends/webgpu/ops.ts';
import { EVENT_OP_KINDS } from '../src/events/plan.ts';
import { ReferenceProgram } from '../src/library/fragment.ts';
import { OP_KINDS } from '../src/ops/index.ts';
import { STRUCTURAL_CASES, type StructuralCase } from './common/structural-cases.ts';

const backends = new Map<BackendKind, Backend>();
beforeAll(async () => {
  backends.set('cpu', cpuBackend());
  backends.set('webgpu', await webgpuBackend());
  backends.set('gpujs', await gpujsBackend());
});
afterAll(() => {
  for (const b of backends.values()) b.destroy();
});

async function run(b: Backend, c: StructuralCase): Promise<Record<string, TypedArray>> {
  const p = await b.load(c.plan);
  const r = await p.run({ steps: c.steps, chunk: c.chunk, inputs: c.inputs, record: Object.keys(c.record) });
  p.destroy();
  return r.records as Record<string, TypedArray>;
}

/** The float64 reference: records of every step. */
function reference(c: StructuralCase): Record<string, Float64Array> {
  const p = new ReferenceProgram(c.plan);
  const out: Record<string, Float64Array> = {};
  for (const name of Object.keys(c.record)) out[name] = new Float64Array(c.steps * p.get(name).length);
  for (let t = 0; t < c.steps; t++) {
    const inputs: Record<string, ArrayLike<number>> = {};
    for (const [name, v] of Object.entries(c.inputs)) {
      const n = p.get(name).length;
      inputs[name] = v.subarray(t * n, (t + 1) * n) as ArrayLike<number> as Float32Array;
    }
    p.run(inputs);
    for (const name of Object.keys(c.record)) {
      const a = p.get(name);
      (out[name] as Float64Array).set(a, t * a.length);
    }
  }
  return out;
}

// The event-driven synapse domain's ops run on cpu and webgpu; gpujs runs the dense plan (gpu.js
// kernels cannot update event sites in place: docs/decisions.md). They are tested against the dense
// plan they replace (src/events/plan.test.ts, test/webgpu-events.test.ts), not in this table.
const EVENT_KINDS: readonly string[] = EVENT_OP_KINDS;

describe('the op registry', () => {
  it('every backend implements every op kind', () => {
    for (const table of [CPU_OPS, WEBGPU_OPS]) expect(table.kinds().sort()).toEqual([...OP_KINDS].sort());
    expect(GPUJS_OPS.kinds().sort()).toEqual(OP_KINDS.filter((k) => !EVENT_KINDS.includes(k)).sort());
    expect(BACKEND_KINDS.length).toBe(3);
  });

  it('every structural op kind has a case in the table', () => {
    const covered = new Set(STRUCTURAL_CASES.flatMap((c) => c.plan.ops.map((o) => o.op)));
    expect(OP_KINDS.filter((k) => k !== 'module' && !EVENT_KINDS.includes(k) && !covered.has(k))).toEqual([]);
  });
});

describe.each(STRUCTURAL_CASES.map((c) => [c.name, c] as const))('structural ops: %s', (_name, c) => {
  const ref = reference(c);
  let cpu: Record<string, TypedArray>;

  it.each(['cpu', 'webgpu', 'gpujs'] as const)('%s agrees with the float64 reference', async (kind) => {
    const got = await run(backends.get(kind) as Backend, c);
    if (kind === 'cpu') cpu = got;
    for (const [name, how] of Object.entries(c.record)) {
      const x = got[name] as TypedArray;
      const y = ref[name] as Float64Array;
      expect(x.length, name).toBe(y.length);
      if ('exact' in how) {
        expect(Array.from(x), `${kind} ${name}`).toEqual(Array.from(y));
        continue;
      }
      let worst = 0;
      for (let i = 0; i < x.length; i++) {
        const rel = Math.abs((x[i] as number) - (y[i] as number)) / Math.max(1, Math.abs(y[i] as number));
        if (!(rel <= worst)) worst = rel;
      }
      expect(worst, `${kind} ${name}: worst relative error`).toBeLessThanOrEqual(1e-5);
      if (kind !== 'cpu' && how.sameOrder.includes(kind))
        expect(Array.from(x), `${kind} ${name} bit-identical to cpu`).toEqual(
          Array.from(cpu[name] as TypedArray),
        );
    }
  });
});

describe('structural op validation', () => {
  it('rejects a CSR structure that points outside the input', async () => {
    const plan = STRUCTURAL_CASES[0]?.plan as Plan;
    const bad: Plan = {
      ...plan,
      buffers: plan.buffers.map((b) =>
        b.name === 'members' ? { ...b, init: Int32Array.from(b.init as Int32Array, (x) => x + 1) } : b,
      ),
    };
    await expect(cpuBackend().load(bad)).rejects.toThrow(/members: member \d+ = 300 is outside \[0, 300\)/);
  });
});
