/**
 * The draws of generated JavaScript loops and of host-side draw buffers: Philox4x32-10 blocks of
 * counter `[block, step, stream, 0]`, allocation-free, through `@spark-snn/core`'s generator (the spec;
 * the WGSL twin is in `philox.wgsl.ts`).
 *
 * The layout is core's (`CounterRng`): element `i` of a stream reads word `i & 3` of block `i >>> 2`,
 * so a loop computes one block per 4 elements and keeps it; a normal uses the Box–Muller pair
 * `(x[i & 2], x[(i & 2) + 1])`, cosine branch for even `i`, sine for odd.
 *
 * @module
 */

import { boxMuller, philoxInto as corePhiloxInto, PHILOX_ROUNDS, u32ToUniform } from '@spark-snn/core';

/**
 * Philox4x32-10 of counter `[c0, c1, c2, 0]` and key `[k0, k1]`, written into `out[0..3]`.
 * spark-snn's draws use counter `[block, step, stream, 0]` with `block = element >>> 2`.
 */
export function philoxInto(
  c0: number,
  c1: number,
  c2: number,
  k0: number,
  k1: number,
  out: Uint32Array,
): void {
  corePhiloxInto(c0 | 0, c1 | 0, c2 | 0, 0, k0 | 0, k1 | 0, PHILOX_ROUNDS, out);
}

/** Uniform float32 in [0, 1) of word `x`: `(x >>> 8) * 2^-24` (core's `u32ToUniform`). */
export const uniformOf: (x: number) => number = u32ToUniform;

/**
 * Box–Muller normal of the words x0, x1, rounded to float32 (core's `boxMuller`): the cosine branch
 * for `odd` = 0 (even elements), the sine branch for `odd` = 1.
 */
export const normalOf: (x0: number, x1: number, odd?: number | boolean) => number = boxMuller;

/**
 * Fills `out[i]` with the draw of element `i` (`uniform` or `normal`) of `(stream, step)` under key
 * `[k0, k1]`, one Philox call per 4 elements. `words` is a 4-word scratch array.
 */
export function fillDraws(
  out: Float32Array,
  dist: 'uniform' | 'normal',
  k0: number,
  k1: number,
  stream: number,
  step: number,
  words: Uint32Array = new Uint32Array(4),
): Float32Array {
  const n = out.length;
  for (let b = 0; 4 * b < n; b++) {
    philoxInto(b, step, stream, k0, k1, words);
    const end = Math.min(n, 4 * b + 4);
    for (let i = 4 * b; i < end; i++) {
      const j = i & 2;
      out[i] =
        dist === 'normal'
          ? normalOf(words[j] as number, words[j + 1] as number, i & 1)
          : uniformOf(words[i & 3] as number);
    }
  }
  return out;
}
