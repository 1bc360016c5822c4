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
  /** `bits(stream, step, index >>> 2)`: the block the element reads. */
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
 * (seed → key, counter = [index >>> 2, step, stream, 0], word index & 3, the draw formulas and the
 * stream hash).
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
      bits: [0x6f92a050, 0x66ad2a98, 0x7df3a519, 0x2471a7b4],
      uniform: 0.40107977390289307,
      int10: 4,
      normal: 0.7504453659057617,
    },
    {
      step: 0,
      index: 3,
      bits: [0x6f92a050, 0x66ad2a98, 0x7df3a519, 0x2471a7b4],
      uniform: 0.14235919713974,
      int10: 1,
      normal: 0.9288583397865295,
    },
    {
      step: 0,
      index: 6,
      bits: [0x7fd1bf7b, 0x9614d134, 0x7fef5673, 0x7d9c4a6e],
      uniform: 0.4997457265853882,
      int10: 4,
      normal: -1.1758168935775757,
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
      bits: [0x7c1d59cf, 0x41ab907d, 0x6bff4e56, 0x3fc83926],
      uniform: 0.4848228096961975,
      int10: 4,
      normal: -0.04931212216615677,
    },
    {
      step: 0xffffffff,
      index: 0xffffffff,
      bits: [0x9e688c33, 0xac116880, 0x22e086cc, 0x2103ee64],
      uniform: 0.12896621227264404,
      int10: 1,
      normal: 1.4466019868850708,
    },
  ] as readonly CounterRngGoldenDraw[],
  /** `permutation(10, stream, 3)`. */
  permutation10step3: [2, 9, 3, 1, 8, 6, 4, 7, 0, 5] as readonly number[],
} as const;
