/**
 * Delay ring buffers as gpu.js gathers: one kernel rewrites the ring (row `t mod slots` takes the
 * input, every other cell is copied), a second gathers `out_k = ring[(t − d_k) mod slots][k mod pre]`.
 * Delays arrive as floats holding `d mod slots` (precomputed on the host). Same semantics as `cpu.ts`.
 *
 * @module
 */

import { type GpujsOp, gpujsOp } from '../../backends/gpujs/op.ts';
import { delayShape, type ResolvedDelayPerNeuronOp, type ResolvedDelayPerSynapseOp } from './op.ts';

/** Ring update: arguments `ring` [slots×pre], `input` [pre], `w` (row written this step), `pre`. */
export const RING_PUSH_GPUJS = `function (ring, input, w, pre) {
  const k = this.thread.x;
  const row = Math.floor(k / pre);
  return row === w ? input[k - row * pre] : ring[k];
}`;

/** Gather: arguments `ring` (after the push), `delays` (d mod slots), `w`, `pre`, `slots`. */
export const RING_GATHER_GPUJS = `function (ring, delays, w, pre, slots) {
  const k = this.thread.x;
  const j = k - Math.floor(k / pre) * pre;
  let r = w - delays[k];
  if (r < 0) {
    r = r + slots;
  }
  return ring[r * pre + j];
}`;

function delayGpujs<K extends 'delay.per_neuron' | 'delay.per_synapse'>(kind: K): GpujsOp<K> {
  return gpujsOp(kind, (op, c) => {
    const r = op as ResolvedDelayPerNeuronOp | ResolvedDelayPerSynapseOp;
    const { post, pre, slots } = delayShape(r);
    const push = c.kernel(RING_PUSH_GPUJS, slots * pre);
    const gather = c.kernel(RING_GATHER_GPUJS, post * pre);
    const dmod = new Float32Array(post * pre);
    return (step) => {
      const d = c.get('delays');
      for (let k = 0; k < dmod.length; k++) dmod[k] = ((d[k] as number) >>> 0) % slots;
      const w = step % slots;
      const ring = c.get<Float32Array>('ring');
      ring.set(push(ring, c.get('input'), w, pre) as Float32Array);
      c.get<Float32Array>('out').set(gather(ring, dmod, w, pre, slots) as Float32Array);
      c.stats.dispatches += 2;
    };
  });
}

/** `delay.per_neuron` on gpujs. */
export const delayPerNeuronGpujsOp: GpujsOp<'delay.per_neuron'> = delayGpujs('delay.per_neuron');
/** `delay.per_synapse` on gpujs. */
export const delayPerSynapseGpujsOp: GpujsOp<'delay.per_synapse'> = delayGpujs('delay.per_synapse');
