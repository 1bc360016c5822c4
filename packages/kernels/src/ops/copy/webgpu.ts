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
import { type WgslStorage, wgslKernel } from '../../backends/webgpu/kernel.ts';
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

/**
 * WGSL of `concat` over `k` inputs in one dispatch: `out[i]` from the input whose range holds `i`.
 * Bindings: 0 `ctrl`, 1 `args` {n, o1 … o(k−1): the inputs' offsets}, 2 … k+1 `in0` … `in(k−1)`, k+2
 * `out`. Elements as in {@link copyWgsl}.
 */
export function concatWgsl(k: number, elem: 'u32' | 'f16'): string {
  const fields = ['n: u32', ...Array.from({ length: k - 1 }, (_, m) => `o${m + 1}: u32`)];
  while (fields.length % 4 !== 0) fields.push(`_p${fields.length}: u32`);
  const pick = Array.from({ length: k }, (_, m) => {
    const value = m === 0 ? 'in0[i]' : `in${m}[i - args.o${m}]`;
    if (m === k - 1) return `  ${m > 0 ? '} else {' : '{'}\n    out[i] = ${value};\n  }`;
    return `  ${m > 0 ? '} else ' : ''}if (i < args.o${m + 1}) {\n    out[i] = ${value};`;
  });
  return wgslKernel({
    ...(elem === 'f16' ? { enable: 'f16' } : {}),
    args: fields.join(', '),
    storage: [
      ...Array.from({ length: k }, (_, m): WgslStorage => [`in${m}`, elem]),
      ['out', elem, 'read_write'],
    ],
    workgroup: 64,
    index: 'i',
    body: `  if (i >= args.n) { return; }\n${pick.join('\n')}`,
  });
}

/**
 * `concat` on webgpu: one dispatch for all inputs (one copy dispatch per input where they and the
 * output exceed the device's storage buffers per stage).
 */
export const concatWebgpuOp: WebGpuOp<'concat'> = webgpuOp('concat', {
  async create(r, c) {
    const out = c.g('out');
    const { sizes } = r.attrs;
    const k = sizes.length;
    if (k === 1 || k + 1 > c.limits.maxStorageBuffersPerShaderStage)
      return {
        cmds: sizes.map((n, m) =>
          c.copy(c.buffer(`in${m}`), out, { n, dstOffset: r.offsets[m] as number }, `${r.op.name}.args${m}`),
        ),
      };
    const elem = c.native16 && c.dtypeOf('out') === 'float16' ? 'f16' : 'u32';
    const { pipeline, layout } = await c.pipeline(concatWgsl(k, elem));
    const n = sizes.reduce((a, b) => a + b, 0);
    const words = new Uint32Array(Math.ceil(k / 4) * 4);
    words[0] = n;
    for (let m = 1; m < k; m++) words[m] = r.offsets[m] as number;
    const A = c.uniform(words.buffer, `${r.op.name}.args`);
    const ins = sizes.map((_, m) => c.g(`in${m}`));
    const [x, y] = workgroups(n, 64);
    const eb = elem === 'f16' ? 2 : 4;
    return {
      cmds: [
        {
          pipeline,
          bindGroups: c.bindGroup(layout, [c.ctrl, A, ...ins, out]),
          x,
          y,
          bytes: { read: eb * n, write: eb * n },
        },
      ],
    };
  },
});
