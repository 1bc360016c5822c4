/**
 * The generic 4-byte element copy kernel of the webgpu backend. It moves per-step input rows into
 * their buffers, recorded buffers into the chunk's record buffer, and implements `copy`/`concat`,
 * so a whole chunk of steps is one compute pass (no copy commands between steps):
 * `dst[dst_offset + slot·dst_stride + i] = src[src_offset + slot·src_stride + i]` for `i < n`,
 * with `slot` the step's index within the chunk (from `ctrl`). Bindings: 0 `ctrl` (dynamic offset),
 * 1 `args`, 2 `src`, 3 `dst`. Offsets, strides and `n` count elements: 4-byte words, or 2-byte
 * halves in the `f16` variant (native float16 buffers, `shader-f16`).
 *
 * @module
 */

import { type WebGpuOp, webgpuOp } from '../../backends/webgpu/op.ts';

/** WGSL source of the copy kernel over elements of `elem` (`u32`: any 4-byte element; `f16`: halves). */
export function copyWgsl(elem: 'u32' | 'f16'): string {
  return `${elem === 'f16' ? 'enable f16;\n' : ''}struct Ctrl { step: u32, slot: u32, _pad0: u32, _pad1: u32 }
struct Args { n: u32, src_offset: u32, src_stride: u32, dst_offset: u32, dst_stride: u32, _p0: u32, _p1: u32, _p2: u32 }
@group(0) @binding(0) var<uniform> ctrl: Ctrl;
@group(0) @binding(1) var<uniform> args: Args;
@group(0) @binding(2) var<storage, read> src: array<${elem}>;
@group(0) @binding(3) var<storage, read_write> dst: array<${elem}>;
@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= args.n) { return; }
  dst[args.dst_offset + ctrl.slot * args.dst_stride + i] = src[args.src_offset + ctrl.slot * args.src_stride + i];
}
`;
}

/** WGSL source of the 4-byte element copy kernel. */
export const COPY_WGSL: string = copyWgsl('u32');

/** `copy` on webgpu: one copy dispatch. */
export const copyWebgpuOp: WebGpuOp<'copy'> = webgpuOp('copy', {
  async create(r, c) {
    const src = c.buffer('src');
    return { cmds: [c.copy(src, c.g('dst'), { n: src.res.size }, `${r.op.name}.args`)] };
  },
});

/** `concat` on webgpu: one copy dispatch per input. */
export const concatWebgpuOp: WebGpuOp<'concat'> = webgpuOp('concat', {
  async create(r, c) {
    const out = c.g('out');
    return {
      cmds: r.attrs.sizes.map((n, k) =>
        c.copy(c.buffer(`in${k}`), out, { n, dstOffset: r.offsets[k] as number }, `${r.op.name}.args${k}`),
      ),
    };
  },
});
