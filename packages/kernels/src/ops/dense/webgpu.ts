/**
 * Dense spike propagation in WGSL: one invocation per postsynaptic unit (a gather: deterministic,
 * no atomics). Weights are row-major `[post][pre]`. Bindings: 0 `ctrl` (unused here, kept for a
 * uniform layout), 1 `args` {post, pre, accumulate}, 2 `weights`, 3 `spikes`, 4 `out`.
 *
 * @module
 */

import { EVENT_BLOCK, eventBlocks } from '../../backends/webgpu/events.ts';
import { storeWgsl, type WgslStorage, wgslKernel } from '../../backends/webgpu/kernel.ts';
import { EXPECTED_ACTIVITY, type WebGpuOp, webgpuOp, workgroups } from '../../backends/webgpu/op.ts';
import type { ResolvedDenseOp } from './op.ts';

/** The kernel of `dense.sync` (`sync`), `dense.async` (`async`), or `dense.sync` over an event list (`events`). */
function denseWgsl(mode: 'sync' | 'async' | 'events'): string {
  const events: readonly WgslStorage[] = mode === 'events' ? [['events', 'u32']] : [];
  // Per listed spike in ascending order, or per presynaptic unit skipping zero spikes.
  const loop =
    mode === 'events'
      ? /* wgsl */ `
  let nb = (args.pre + ${EVENT_BLOCK - 1}u) / ${EVENT_BLOCK}u;
  for (var b = 0u; b < nb; b = b + 1u) {
    let count = events[b];
    for (var k = 0u; k < count; k = k + 1u) {
      let j = events[nb + b * ${EVENT_BLOCK}u + k];
      acc = acc + weights[row + j] * spikes[j];
    }
  }`
      : /* wgsl */ `
  for (var j = 0u; j < args.pre; j = j + 1u) {
    let s = spikes[${mode === 'async' ? 'row + j' : 'j'}];
    if (s != 0.0f) {
      acc = acc + weights[row + j] * s;
    }
  }`;
  return wgslKernel({
    args: 'post: u32, pre: u32, accumulate: u32, _pad: u32',
    storage: [['weights', 'f32'], ['spikes', 'f32'], ...events, ['out', 'f32', 'read_write']],
    workgroup: 64,
    index: 'i',
    body: /* wgsl */ `
  if (i >= args.post) { return; }
  let row = i * args.pre;
  var acc = 0.0f;${loop}
${storeWgsl('args.accumulate != 0u', 'out[i]', 'acc')}`,
  });
}

/** `dense.sync`: `out_i (+)= Σ_j W_ij s_j`. */
export const DENSE_SYNC_WGSL: string = denseWgsl('sync');

/**
 * `dense.sync` over the spikes' event list (the layout of `backends/webgpu/op.ts`): per
 * postsynaptic unit the listed spikes in ascending order — the terms and the order of the dense loop,
 * which skips zero spikes too, so the f32 sum is bit-identical. Bindings: 0 `ctrl`, 1 `args`,
 * 2 `weights`, 3 `spikes`, 4 `events`, 5 `out`.
 */
export const DENSE_SYNC_EVENTS_WGSL: string = denseWgsl('events');
/** `dense.async`: `out_i (+)= Σ_j W_ij s_ij`. */
export const DENSE_ASYNC_WGSL: string = denseWgsl('async');

function denseWebgpu<K extends 'dense.sync' | 'dense.async'>(kind: K, code: string): WebGpuOp<K> {
  const sync = kind === 'dense.sync';
  return webgpuOp(kind, {
    ...(sync ? { reads: () => ['spikes'] } : {}),
    async create(op, c) {
      const r = op as ResolvedDenseOp;
      const { post, pre, accumulate } = r.attrs;
      const events = sync ? c.events('spikes') : undefined;
      const { pipeline, layout } = events ? await c.pipeline(DENSE_SYNC_EVENTS_WGSL) : await c.pipeline(code);
      const A = c.uniform(new Uint32Array([post, pre, accumulate ? 1 : 0, 0]).buffer, `${r.op.name}.args`);
      const bindGroups = c.bindGroup(layout, [
        c.ctrl,
        A,
        c.g('weights'),
        c.g('spikes'),
        ...(events ? [events] : []),
        c.g('out'),
      ]);
      const [x, y] = workgroups(post, 64);
      // Every weight (benchmarks.md §4.1: 4 B per potential synapse per step) — or, from the event
      // list, the column of every expected spike and the list —, the spikes (once for dense.sync, per
      // synapse for dense.async), the output (read too when accumulating).
      const spikes = 4 * (kind === 'dense.async' ? post * pre : pre);
      const weights = events
        ? 4 * post * Math.ceil(EXPECTED_ACTIVITY * pre) + 4 * eventBlocks(pre)
        : 4 * post * pre;
      const bytes = { read: weights + spikes + (accumulate ? 4 * post : 0), write: 4 * post };
      return { cmds: [{ pipeline, bindGroups, x, y, bytes }] };
    },
  });
}

/** `dense.sync` on webgpu. */
export const denseSyncWebgpuOp: WebGpuOp<'dense.sync'> = denseWebgpu('dense.sync', DENSE_SYNC_WGSL);
/** `dense.async` on webgpu. */
export const denseAsyncWebgpuOp: WebGpuOp<'dense.async'> = denseWebgpu('dense.async', DENSE_ASYNC_WGSL);
