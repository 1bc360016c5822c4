/**
 * Delay ring buffers as gpu.js gathers: one kernel rewrites the ring (row `t mod slots` takes the
 * input, every other cell is copied), a second gathers `out_k = ring[(t − d_k) mod slots][k mod pre]`.
 * Delays arrive as floats holding `d mod slots` (precomputed on the host). Same semantics as `cpu.ts`.
 *
 * @module
 */

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
