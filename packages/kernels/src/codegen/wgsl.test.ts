import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WgslReflect } from 'wgsl_reflect/wgsl_reflect.module.js';
import { definitionArb } from '../../test/shared/conformance.ts';
import { COPY_WGSL } from '../backends/webgpu/copy.wgsl.ts';
import { COMPACT_WGSL_I32, COMPACT_WGSL_U32 } from '../compact/wgsl.ts';
import { DELAY_RING_WGSL_I32, DELAY_RING_WGSL_U32 } from '../delays/ring/wgsl.ts';
import { compileDefinition } from '../lang/compile.ts';
import { DENSE_ASYNC_WGSL, DENSE_SYNC_WGSL } from '../propagation/dense/wgsl.ts';
import { GROUP_SUM_WGSL_I32, GROUP_SUM_WGSL_U32 } from '../reduce/group_sum/wgsl.ts';
import { PHILOX_TEST_WGSL } from '../rng/philox.wgsl.ts';
import { leakySoma } from '../somas/leaky_soma.ts';
import { generateWgsl, type WgslModuleKernel } from './wgsl.ts';

interface Reflected {
  binding: number;
  uniform: boolean;
  access: string;
  elem: string | undefined;
  size: number;
}

function reflect(code: string): { bindings: Reflected[]; workgroup: number[] } {
  const r = new WgslReflect(code);
  const group = r.getBindGroups()[0] ?? [];
  const bindings = group
    .filter((v) => v !== undefined)
    .map((v) => ({
      binding: v.binding,
      uniform: v.resourceType === 0,
      access: String(v.access),
      elem: (v.type as { format?: { name?: string } }).format?.name,
      size: v.size,
    }));
  return { bindings, workgroup: r.entry.compute[0]?.workgroupSize ?? [] };
}

function checkModuleKernel(k: WgslModuleKernel): void {
  const { bindings, workgroup } = reflect(k.code);
  expect(workgroup).toEqual([k.workgroupSize, 1, 1]);
  expect(bindings[0]).toMatchObject({ binding: 0, uniform: true, size: 16 });
  // The host writes ceil(fields / 4) * 16 bytes of Params.
  expect(bindings[1]).toMatchObject({ binding: 1, uniform: true, size: Math.ceil(k.params.length / 4) * 16 });
  expect(bindings.slice(2)).toEqual(
    k.bindings.map((b) => ({ binding: b.binding, uniform: false, access: b.access, elem: b.elem, size: 0 })),
  );
}

describe('generated WGSL passes the reflection check (bindings match the host layout)', () => {
  it('leaky_soma', () => {
    const k = generateWgsl(compileDefinition(leakySoma));
    checkModuleKernel(k);
    expect(k.code).toContain('exp');
    // The decay factor is hoisted: no exp() call is left in the kernel body.
    expect(k.code.split('fn main')[1]).not.toMatch(/\bexp\(/);
  });

  it('random definitions', () => {
    fc.assert(
      fc.property(definitionArb(true), (def) => {
        checkModuleKernel(generateWgsl(compileDefinition(def)));
      }),
      { numRuns: 60 },
    );
  });

  it('hand-written structural kernels have the layouts the webgpu backend binds', () => {
    for (const code of [DENSE_SYNC_WGSL, DENSE_ASYNC_WGSL]) {
      const { bindings } = reflect(code);
      expect(bindings.map((b) => [b.binding, b.uniform, b.access])).toEqual([
        [0, true, 'read'],
        [1, true, 'read'],
        [2, false, 'read'],
        [3, false, 'read'],
        [4, false, 'read_write'],
      ]);
    }
    for (const code of [DELAY_RING_WGSL_I32, DELAY_RING_WGSL_U32]) {
      const { bindings } = reflect(code);
      expect(bindings.map((b) => [b.binding, b.uniform, b.access])).toEqual([
        [0, true, 'read'],
        [1, true, 'read'],
        [2, false, 'read'],
        [3, false, 'read'],
        [4, false, 'read_write'],
        [5, false, 'read_write'],
      ]);
    }
  });

  it('group-sum and compaction kernels have the layouts the webgpu backend binds', () => {
    for (const code of [GROUP_SUM_WGSL_I32, GROUP_SUM_WGSL_U32]) {
      expect(reflect(code).bindings.map((b) => [b.binding, b.uniform, b.access])).toEqual([
        [0, true, 'read'],
        [1, true, 'read'],
        [2, false, 'read'],
        [3, false, 'read'],
        [4, false, 'read'],
        [5, false, 'read_write'],
      ]);
    }
    expect(reflect(COPY_WGSL).bindings.map((b) => [b.binding, b.uniform, b.access, b.size])).toEqual([
      [0, true, 'read', 16],
      [1, true, 'read', 32],
      [2, false, 'read', 0],
      [3, false, 'read_write', 0],
    ]);
    for (const code of [COMPACT_WGSL_I32, COMPACT_WGSL_U32]) {
      const { bindings, workgroup } = reflect(code);
      expect(workgroup).toEqual([256, 1, 1]);
      expect(bindings.map((b) => [b.binding, b.uniform, b.access])).toEqual([
        [0, true, 'read'],
        [1, true, 'read'],
        [2, false, 'read'],
        [3, false, 'read_write'],
        [4, false, 'read_write'],
      ]);
    }
  });

  it('every kernel writes @workgroup_size with three numbers (wgsl_reflect bug)', () => {
    const sources = [
      COPY_WGSL,
      GROUP_SUM_WGSL_I32,
      GROUP_SUM_WGSL_U32,
      COMPACT_WGSL_I32,
      COMPACT_WGSL_U32,
      DENSE_SYNC_WGSL,
      DENSE_ASYNC_WGSL,
      DELAY_RING_WGSL_I32,
      DELAY_RING_WGSL_U32,
      PHILOX_TEST_WGSL,
      generateWgsl(compileDefinition(leakySoma)).code,
    ];
    for (const code of sources) {
      const sizes = [...code.matchAll(/@workgroup_size\(([^)]*)\)/g)].map(
        (m) => (m[1] as string).split(',').length,
      );
      expect(sizes.length).toBeGreaterThan(0);
      for (const n of sizes) expect(n).toBe(3);
    }
  });
});
