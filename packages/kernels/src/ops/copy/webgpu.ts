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

import { EVENT_BLOCK, eventBlocks } from '../../backends/webgpu/events.ts';
import { wgslKernel } from '../../backends/webgpu/kernel.ts';
import { EXPECTED_ACTIVITY, type WebGpuOp, webgpuOp, workgroups } from '../../backends/webgpu/op.ts';

/** WGSL source of the copy kernel over elements of `elem` (`u32`: any 4-byte element; `f16`: halves). */
export function copyWgsl(elem: 'u32' | 'f16'): string {
  return wgslKernel({
    ...(elem === 'f16' ? { enable: 'f16' } : {}),
    args: 'n: u32, src_offset: u32, src_stride: u32, dst_offset: u32, dst_stride: u32, _p0: u32, _p1: u32, _p2: u32',
    storage: [
      ['src', elem],
      ['dst', elem, 'read_write'],
    ],
    workgroup: 64,
    index: 'i',
    body: /* wgsl */ `
  if (i >= args.n) { return; }
  dst[args.dst_offset + ctrl.slot * args.dst_stride + i] = src[args.src_offset + ctrl.slot * args.src_stride + i];`,
  });
}

/** WGSL source of the 4-byte element copy kernel. */
export const COPY_WGSL: string = copyWgsl('u32');

/**
 * A copy of an f32 buffer together with its event list (the layout of `backends/webgpu/op.ts`): every
 * element, every block count, the listed indices of every block. Bindings: 0 `ctrl`, 1 `args` {n},
 * 2 `src`, 3 `dst`, 4 `ev_src` (the source's list), 5 `ev_dst` (the destination's).
 */
export const COPY_EVENTS_WGSL: string = wgslKernel({
  args: 'n: u32, _p0: u32, _p1: u32, _p2: u32',
  storage: [
    ['src', 'f32'],
    ['dst', 'f32', 'read_write'],
    ['ev_src', 'u32'],
    ['ev_dst', 'u32', 'read_write'],
  ],
  workgroup: EVENT_BLOCK,
  index: 'i',
  body: /* wgsl */ `
  if (i >= args.n) { return; }
  dst[i] = src[i];
  let nb = (args.n + ${EVENT_BLOCK - 1}u) / ${EVENT_BLOCK}u;
  if (i < nb) { ev_dst[i] = ev_src[i]; }
  if (i % ${EVENT_BLOCK}u < ev_src[i / ${EVENT_BLOCK}u]) { ev_dst[nb + i] = ev_src[nb + i]; }`,
});

/** `copy` on webgpu: one copy dispatch (that also copies the event list when both sides keep one). */
export const copyWebgpuOp: WebGpuOp<'copy'> = webgpuOp('copy', {
  provides: (_r, listed) => (listed('src') ? ['dst'] : []),
  reads: (_r, listed) => (listed('dst') ? ['src'] : []),
  async create(r, c) {
    const src = c.buffer('src');
    const from = c.events('src');
    const to = c.provideEvents('dst');
    if (from === undefined || to === undefined)
      return { cmds: [c.copy(src, c.g('dst'), { n: src.res.size }, `${r.op.name}.args`)] };
    const n = src.res.size;
    const { pipeline, layout } = await c.pipeline(COPY_EVENTS_WGSL);
    const A = c.uniform(new Uint32Array([n, 0, 0, 0]).buffer, `${r.op.name}.args`);
    const [x, y] = workgroups(n, EVENT_BLOCK);
    const lists = 4 * eventBlocks(n) + 4 * Math.ceil(n * EXPECTED_ACTIVITY);
    return {
      cmds: [
        {
          pipeline,
          bindGroups: c.bindGroup(layout, [c.ctrl, A, src.gpu, c.g('dst'), from, to]),
          x,
          y,
          bytes: { read: 4 * n + lists, write: 4 * n + lists },
        },
      ],
    };
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
