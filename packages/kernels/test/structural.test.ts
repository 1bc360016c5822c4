// The op registry against the backend case table (test/common/backend-cases.ts): every backend
// implements every op kind but the ones its row of the table excludes, and every op kind has a case.
// The table itself runs on every backend in test/backends.test.ts (Node and browser) and
// test/deno/backends_test.ts.
import { BACKEND_KINDS, type Plan } from '@spark-snn/core';
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import { CPU_OPS } from '../src/backends/cpu/ops.ts';
import { GPUJS_OPS } from '../src/backends/gpujs/ops.ts';
import { WEBGPU_OPS } from '../src/backends/webgpu/ops.ts';
import { EVENT_OP_KINDS } from '../src/events/plan.ts';
import { OP_KINDS } from '../src/ops/index.ts';
import { BACKEND_CASES, TABLE_BACKENDS } from './common/backend-cases.ts';
import { STRUCTURAL_CASES } from './common/structural-cases.ts';

const OP_TABLES = { cpu: CPU_OPS, webgpu: WEBGPU_OPS, gpujs: GPUJS_OPS };

describe('the op registry', () => {
  it('every backend implements every op kind but the ones the backend case table excludes on it', () => {
    expect(Object.keys(OP_TABLES).sort()).toEqual([...BACKEND_KINDS].sort());
    for (const b of TABLE_BACKENDS) {
      const excluded = Object.keys(b.excluded ?? {});
      expect(OP_TABLES[b.kind].kinds().sort(), b.name).toEqual(
        OP_KINDS.filter((k) => !excluded.includes(k)).sort(),
      );
    }
    // gpujs runs the event-driven synapse domain's ops as the dense plan (docs/decisions.md).
    expect(Object.keys(TABLE_BACKENDS.find((b) => b.kind === 'gpujs')?.excluded ?? {})).toEqual([
      ...EVENT_OP_KINDS,
    ]);
  });

  it('every op kind but module has a plan case in the table (module ops have the module and library cases)', () => {
    const covered = new Set(BACKEND_CASES.flatMap((c) => c.features));
    expect(OP_KINDS.filter((k) => !covered.has(k))).toEqual([]);
    expect(STRUCTURAL_CASES.length).toBeGreaterThanOrEqual(3);
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
