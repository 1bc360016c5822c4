/**
 * The draws of generated JavaScript loops: Philox4x32-10 of counter `[index, step, stream, 0]`,
 * allocation-free, through `@spark-snn/core`'s generator (the spec; the WGSL twin is in
 * `philox.wgsl.ts`).
 *
 * @module
 */

import { boxMuller, philoxInto as corePhiloxInto, PHILOX_ROUNDS, u32ToUniform } from '@spark-snn/core';

/**
 * Philox4x32-10 of counter `[c0, c1, c2, 0]` and key `[k0, k1]`, written into `out[0..3]`.
 * spark-snn's draws use counter `[index, step, stream, 0]`.
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

/** Box–Muller normal of words x0, x1, rounded to float32 (core's `boxMuller`). */
export const normalOf: (x0: number, x1: number) => number = boxMuller;
