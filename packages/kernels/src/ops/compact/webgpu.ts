/**
 * Spike compaction in WGSL: one workgroup of 256 invocations walks the input in tiles; a
 * Hillis–Steele scan in workgroup memory gives each non-zero element its slot, so the output is in
 * ascending order and identical to `cpu.ts` (no atomics, deterministic). Bindings: 0 `ctrl`,
 * 1 `args` {n}, 2 `input`, 3 `indices`, 4 `count`. Dispatch exactly one workgroup.
 *
 * @module
 */

import { wgslKernel } from '../../backends/webgpu/kernel.ts';
import { EXPECTED_ACTIVITY, type WebGpuOp, webgpuOp } from '../../backends/webgpu/op.ts';

function compactWgsl(index: 'i32' | 'u32'): string {
  const cast = index === 'u32' ? '' : 'i32';
  return wgslKernel({
    args: 'n: u32, _pad0: u32, _pad1: u32, _pad2: u32',
    storage: [
      ['input', 'f32'],
      ['indices', index, 'read_write'],
      ['count', index, 'read_write'],
    ],
    decls: 'var<workgroup> scan: array<u32, 256>;',
    workgroup: 256,
    body: /* wgsl */ `
  let t = lid;
  var base = 0u;
  for (var start = 0u; start < args.n; start = start + 256u) {
    let i = start + t;
    var flag = 0u;
    if (i < args.n) {
      if (input[i] != 0.0f) { flag = 1u; }
    }
    scan[t] = flag;
    workgroupBarrier();
    for (var off = 1u; off < 256u; off = off * 2u) {
      var v = 0u;
      if (t >= off) { v = scan[t - off]; }
      workgroupBarrier();
      scan[t] = scan[t] + v;
      workgroupBarrier();
    }
    if (flag == 1u) {
      indices[base + scan[t] - 1u] = ${cast}(i);
    }
    let total = scan[255];
    workgroupBarrier();
    base = base + total;
  }
  if (t == 0u) {
    count[0] = ${cast}(base);
  }`,
  });
}

/** Compaction kernel writing u32 indices and count. */
export const COMPACT_WGSL_U32: string = compactWgsl('u32');
/** Compaction kernel writing i32 indices and count. */
export const COMPACT_WGSL_I32: string = compactWgsl('i32');

/** `compact` on webgpu: exactly one workgroup. */
export const compactWebgpuOp: WebGpuOp<'compact'> = webgpuOp('compact', {
  async create(r, c) {
    const { pipeline, layout } = await c.pipeline(
      c.dtypeOf('indices') === 'int32' ? COMPACT_WGSL_I32 : COMPACT_WGSL_U32,
    );
    const A = c.uniform(new Uint32Array([r.attrs.n, 0, 0, 0]).buffer, `${r.op.name}.args`);
    const bindGroups = c.bindGroup(layout, [c.ctrl, A, c.g('input'), c.g('indices'), c.g('count')]);
    // Reads the whole input; writes one index per non-zero element (expected activity 1 %) and the count.
    const n = r.attrs.n;
    return {
      cmds: [
        {
          pipeline,
          bindGroups,
          x: 1,
          y: 1,
          bytes: { read: 4 * n, write: 4 * Math.ceil(n * EXPECTED_ACTIVITY) + 4 },
        },
      ],
    };
  },
});
