/**
 * Delay ring buffers in WGSL, one dispatch per op. Each invocation handles one output element;
 * the invocations of the first row push the input into row `t mod slots`, and an element whose
 * delay maps to that same row (d ≡ 0 mod slots) reads the input directly, so no invocation reads a
 * ring cell written in the same dispatch. Same semantics as `cpu.ts`.
 * Bindings: 0 `ctrl`, 1 `args` {post, pre, slots}, 2 `input`, 3 `delays`, 4 `ring`, 5 `out`.
 * `delay.per_neuron` is the case post = 1 with one delay per presynaptic unit.
 *
 * @module
 */

import { type WebGpuOp, webgpuOp, workgroups } from '../../backends/webgpu/op.ts';
import { delayShape, type ResolvedDelayPerNeuronOp, type ResolvedDelayPerSynapseOp } from './op.ts';

function delayWgsl(delayType: 'i32' | 'u32'): string {
  return /* wgsl */ `
struct Ctrl { step: u32, slot: u32, _pad0: u32, _pad1: u32 }
struct Args { post: u32, pre: u32, slots: u32, _pad: u32 }
@group(0) @binding(0) var<uniform> ctrl: Ctrl;
@group(0) @binding(1) var<uniform> args: Args;
@group(0) @binding(2) var<storage, read> input: array<f32>;
@group(0) @binding(3) var<storage, read> delays: array<${delayType}>;
@group(0) @binding(4) var<storage, read_write> ring: array<f32>;
@group(0) @binding(5) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let k = gid.x + gid.y * nwg.x * 64u;
  if (k >= args.post * args.pre) { return; }
  let j = k % args.pre;
  let w = ctrl.step % args.slots;
  let x = input[j];
  if (k < args.pre) {
    ring[w * args.pre + j] = x;
  }
  let d = u32(delays[k]) % args.slots;
  let r = (w + args.slots - d) % args.slots;
  if (r == w) {
    out[k] = x;
  } else {
    out[k] = ring[r * args.pre + j];
  }
}
`;
}

/** Ring-buffer delay kernel with i32 delays. */
export const DELAY_RING_WGSL_I32: string = delayWgsl('i32');
/** Ring-buffer delay kernel with u32 delays. */
export const DELAY_RING_WGSL_U32: string = delayWgsl('u32');

function delayWebgpu<K extends 'delay.per_neuron' | 'delay.per_synapse'>(kind: K): WebGpuOp<K> {
  return webgpuOp(kind, {
    async create(op, c) {
      const r = op as ResolvedDelayPerNeuronOp | ResolvedDelayPerSynapseOp;
      const { post, pre, slots } = delayShape(r);
      const { pipeline, layout } = await c.pipeline(
        c.dtypeOf('delays') === 'int32' ? DELAY_RING_WGSL_I32 : DELAY_RING_WGSL_U32,
        ['uniform', 'uniform', 'read-only-storage', 'read-only-storage', 'storage', 'storage'],
      );
      const A = c.uniform(new Uint32Array([post, pre, slots, 0]).buffer, `${r.op.name}.args`);
      const bindGroups = c.bindGroup(layout, [
        c.ctrl,
        A,
        c.g('input'),
        c.g('delays'),
        c.g('ring'),
        c.g('out'),
      ]);
      const [x, y] = workgroups(post * pre, 64);
      // Input row and ring row written once; per output element its delay, one ring cell and the output.
      const bytes = { read: 4 * pre + 8 * post * pre, write: 4 * pre + 4 * post * pre };
      return { cmds: [{ pipeline, bindGroups, x, y, bytes }] };
    },
  });
}

/** `delay.per_neuron` on webgpu. */
export const delayPerNeuronWebgpuOp: WebGpuOp<'delay.per_neuron'> = delayWebgpu('delay.per_neuron');
/** `delay.per_synapse` on webgpu. */
export const delayPerSynapseWebgpuOp: WebGpuOp<'delay.per_synapse'> = delayWebgpu('delay.per_synapse');
