/**
 * A small sequential PRNG for host-side data that only has to be reproducible from a seed (generated
 * input signals, test data), not identical across backends: those draws use the counter-based
 * {@link CounterRng}.
 *
 * @module
 */

/**
 * Mulberry32: a 32-bit state generator returning uniform numbers in [0, 1), the same sequence for
 * the same seed on every runtime.
 *
 * @example
 * ```ts
 * const next = mulberry32(42);
 * next(); // 0.6011037519201636
 * ```
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
