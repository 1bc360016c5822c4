import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WgslReflect } from 'wgsl_reflect/wgsl_reflect.module.js';
import { definitionArb } from '../../test/common/conformance.ts';
import { compileDefinition } from '../lang/compile.ts';
import { parseDefinition } from '../lang/parser.ts';
import { COMPACT_WGSL_I32, COMPACT_WGSL_U32 } from '../ops/compact/webgpu.ts';
import { COPY_WGSL, copyWgsl } from '../ops/copy/webgpu.ts';
import { DELAY_RING_WGSL_I32, DELAY_RING_WGSL_U32 } from '../ops/delay/webgpu.ts';
import { DENSE_ASYNC_WGSL, DENSE_SYNC_WGSL } from '../ops/dense/webgpu.ts';
import { DELAY_RING_LIST_WGSL, DELAY_RING_WGSL } from '../ops/events/webgpu.ts';
import { GROUP_SUM_WGSL_I32, GROUP_SUM_WGSL_U32 } from '../ops/group_sum/webgpu.ts';
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

  it('float16 storage: emulated as f32 with q16, or native array<f16> with f32 loads and exact stores', () => {
    const def = parseDefinition(
      'module half\nstate v: f32 = 0.1 as float16\nstate w: f32\ninput I: FloatArray f32 as float16\noutput o: FloatArray f32 as float16\nv = v * 0.5 + I\nw = w + v\no = v * 3',
    );
    const emulated = generateWgsl(compileDefinition(def));
    checkModuleKernel(emulated);
    expect(emulated.bindings.map((b) => b.elem)).toEqual(['f32', 'f32', 'f32', 'f32']);
    expect(emulated.code).not.toContain('enable f16');
    expect(emulated.code).toContain('S_v[i] = q16(s_v);');
    const native = generateWgsl(compileDefinition(def), { f16: true });
    checkModuleKernel(native);
    expect(native.bindings.map((b) => [b.slot, b.elem])).toEqual([
      ['state:v', 'f16'],
      ['state:w', 'f32'],
      ['input:I', 'f16'],
      ['output:o', 'f16'],
    ]);
    expect(native.code.startsWith('enable f16;\n')).toBe(true);
    expect(native.code).toContain('var s_v: f32 = f32(S_v[i]);');
    expect(native.code).toContain('f32(I_I[i])');
    // Rounded by q16 (round to nearest even) first, so the f16 conversion is exact.
    expect(native.code).toContain('S_v[i] = f16(q16(s_v));');
    expect(native.code).toContain('O_o[i] = f16(q16(o_o));');
    expect(native.code).toContain('S_w[i] = s_w;');
    // Without float16 storage the native option changes nothing.
    expect(generateWgsl(compileDefinition(leakySoma), { f16: true }).code).toBe(
      generateWgsl(compileDefinition(leakySoma)).code,
    );
    expect(reflect(copyWgsl('f16')).bindings.map((b) => b.elem)).toEqual([
      undefined,
      undefined,
      'f16',
      'f16',
    ]);
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
      DELAY_RING_WGSL,
      DELAY_RING_LIST_WGSL,
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
