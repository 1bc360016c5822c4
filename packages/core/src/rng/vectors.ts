/**
 * Known-answer vectors for the RNG, shared with the WGSL twin's tests in `@spark-snn/kernels`
 * (import them instead of copying numbers).
 *
 * @module
 */

/** One Philox4x32 known answer: `philox4x32(counter, key, rounds) === output`. */
export interface PhiloxKnownAnswer {
  readonly counter: readonly [number, number, number, number];
  readonly key: readonly [number, number];
  readonly rounds: number;
  readonly output: readonly [number, number, number, number];
}

/** The published Random123 known-answer vectors of philox4x32-10 (`kat_vectors`). */
export const PHILOX_KNOWN_ANSWERS: readonly PhiloxKnownAnswer[] = [
  {
    counter: [0, 0, 0, 0],
    key: [0, 0],
    rounds: 10,
    output: [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8],
  },
  {
    counter: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    key: [0xffffffff, 0xffffffff],
    rounds: 10,
    output: [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  },
  {
    counter: [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    key: [0xa4093822, 0x299f31d0],
    rounds: 10,
    output: [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  },
];

/** One golden {@link CounterRng} draw at `(stream, step, index)`. */
export interface CounterRngGoldenDraw {
  readonly step: number;
  readonly index: number;
  /** `bits(stream, step, index)`. */
  readonly bits: readonly [number, number, number, number];
  /** `uniform(stream, step, index)` (exact). */
  readonly uniform: number;
  /** `int(10, stream, step, index)` (exact). */
  readonly int10: number;
  /** `normal(stream, step, index)` (float32; GPUs agree to a few ulp only). */
  readonly normal: number;
}

/**
 * Golden draws of `new CounterRng(seed)` on stream `deriveStream(streamName)`, pinning the whole layout
 * (seed → key, counter = [index, step, stream, 0], the draw formulas and the stream hash).
 */
export const COUNTER_RNG_GOLDEN = {
  seed: 0x123456789abn,
  streamName: 'A_excitatory/soma',
  stream: 0x2748de9c,
  draws: [
    {
      step: 0,
      index: 0,
      bits: [0x6f92a050, 0x66ad2a98, 0x7df3a519, 0x2471a7b4],
      uniform: 0.43583106994628906,
      int10: 4,
      normal: -1.0477750301361084,
    },
    {
      step: 0,
      index: 1,
      bits: [0x7fd1bf7b, 0x9614d134, 0x7fef5673, 0x7d9c4a6e],
      uniform: 0.4992942214012146,
      int10: 4,
      normal: -1.0097154378890991,
    },
    {
      step: 1,
      index: 0,
      bits: [0xcd3e1354, 0x706ae865, 0x3afa8179, 0x6332fe8b],
      uniform: 0.8017284274101257,
      int10: 8,
      normal: -0.6167783737182617,
    },
    {
      step: 7,
      index: 1000,
      bits: [0x76b81302, 0x965e76be, 0x83121611, 0x87cc1e03],
      uniform: 0.46374624967575073,
      int10: 4,
      normal: -1.057503581047058,
    },
    {
      step: 0xffffffff,
      index: 0xffffffff,
      bits: [0xbbec0ccb, 0x914f81f6, 0x84f26e2f, 0xbeb9921f],
      uniform: 0.7340705394744873,
      int10: 7,
      normal: -0.7164123058319092,
    },
  ] as readonly CounterRngGoldenDraw[],
  /** `permutation(10, stream, 3)`. */
  permutation10step3: [1, 3, 0, 9, 2, 5, 8, 4, 7, 6] as readonly number[],
} as const;
