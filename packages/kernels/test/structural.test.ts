// The op registry and the structural-op case table (test/common/structural-cases.ts): every backend
// implements every op kind and every op kind has a case. The table itself runs on every backend as
// part of the backend case table (test/backends.test.ts, Node and browser; test/deno/backends_test.ts).
import { BACKEND_KINDS, type Plan } from '@spark-snn/core';
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import { CPU_OPS } from '../src/backends/cpu/ops.ts';
import { GPUJS_OPS } from '../src/backends/gpujs/ops.ts';
import { WEBGPU_OPS } from '../src/backends/webgpu/ops.ts';
import { EVENT_OP_KINDS } from '../src/events/plan.ts';
import { OP_KINDS } from '../src/ops/index.ts';
import { STRUCTURAL_CASES } from './common/structural-cases.ts';

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
