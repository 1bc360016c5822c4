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

import { wgslKernel } from '../../backends/webgpu/kernel.ts';
import { type WebGpuOp, webgpuOp, workgroups } from '../../backends/webgpu/op.ts';
import { delayShape, type ResolvedDelayPerNeuronOp, type ResolvedDelayPerSynapseOp } from './op.ts';

function delayWgsl(delayType: 'i32' | 'u32'): string {
  return wgslKernel({
    args: 'post: u32, pre: u32, slots: u32, _pad: u32',
    storage: [
      ['input', 'f32'],
      ['delays', delayType],
      ['ring', 'f32', 'read_write'],
      ['out', 'f32', 'read_write'],
    ],
    workgroup: 64,
    index: 'k',
    body: /* wgsl */ `
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
  }`,
  });
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
