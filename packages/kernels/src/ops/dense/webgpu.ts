/**
 * Dense spike propagation in WGSL: one invocation per postsynaptic unit (a gather: deterministic,
 * no atomics). Weights are row-major `[post][pre]`. Bindings: 0 `ctrl` (unused here, kept for a
 * uniform layout), 1 `args` {post, pre, accumulate}, 2 `weights`, 3 `spikes`, 4 `out`.
 *
 * @module
 */

import { bindEntries, type WebGpuOp, webgpuOp, workgroups } from '../../backends/webgpu/op.ts';
import type { ResolvedDenseOp } from './op.ts';

function denseWgsl(async: boolean): string {
  return /* wgsl */ `
struct Ctrl { step: u32, slot: u32, _pad0: u32, _pad1: u32 }
struct Args { post: u32, pre: u32, accumulate: u32, _pad: u32 }
@group(0) @binding(0) var<uniform> ctrl: Ctrl;
@group(0) @binding(1) var<uniform> args: Args;
@group(0) @binding(2) var<storage, read> weights: array<f32>;
@group(0) @binding(3) var<storage, read> spikes: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= args.post) { return; }
  let row = i * args.pre;
  var acc = 0.0f;
  for (var j = 0u; j < args.pre; j = j + 1u) {
    let s = spikes[${async ? 'row + j' : 'j'}];
    if (s != 0.0f) {
      acc = acc + weights[row + j] * s;
    }
  }
  if (args.accumulate != 0u) {
    out[i] = out[i] + acc;
  } else {
    out[i] = acc;
  }
}
`;
}

/** `dense.sync`: `out_i (+)= Σ_j W_ij s_j`. */
export const DENSE_SYNC_WGSL: string = denseWgsl(false);
/** `dense.async`: `out_i (+)= Σ_j W_ij s_ij`. */
export const DENSE_ASYNC_WGSL: string = denseWgsl(true);

function denseWebgpu<K extends 'dense.sync' | 'dense.async'>(kind: K, code: string): WebGpuOp<K> {
  return webgpuOp(kind, {
    async create(op, c) {
      const r = op as ResolvedDenseOp;
      const { post, pre, accumulate } = r.attrs;
      const { pipeline, layout } = await c.pipeline(code, [
        'uniform',
        'uniform',
        'read-only-storage',
        'read-only-storage',
        'storage',
      ]);
      const A = c.uniform(new Uint32Array([post, pre, accumulate ? 1 : 0, 0]).buffer, `${r.op.name}.args`);
      const bindGroup = c.device.createBindGroup({
        layout,
        entries: bindEntries([c.ctrl, A, c.g('weights'), c.g('spikes'), c.g('out')]),
      });
      const [x, y] = workgroups(post, 64);
      return { cmds: [{ pipeline, bindGroup, x, y }] };
    },
  });
}

/** `dense.sync` on webgpu. */
export const denseSyncWebgpuOp: WebGpuOp<'dense.sync'> = denseWebgpu('dense.sync', DENSE_SYNC_WGSL);
/** `dense.async` on webgpu. */
export const denseAsyncWebgpuOp: WebGpuOp<'dense.async'> = denseWebgpu('dense.async', DENSE_ASYNC_WGSL);
