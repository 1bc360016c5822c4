/**
 * Counter-based random numbers (Philox4x32-10) shared bit for bit by the TypeScript and WGSL backends,
 * and a small seeded sequential generator (mulberry32) for host-side data.
 *
 * @module
 */

export { mulberry32 } from './mulberry32.ts';
export {
  boxMuller,
  CounterRng,
  deriveStream,
  mulhi32,
  mullo32,
  PHILOX_M0,
  PHILOX_M1,
  PHILOX_ROUNDS,
  PHILOX_W0,
  PHILOX_W1,
  philox4x32,
  philoxInto,
  type Seed,
  seedToKey,
  u32ToUniform,
} from './philox.ts';
export {
  COUNTER_RNG_GOLDEN,
  type CounterRngGoldenDraw,
  PHILOX_KNOWN_ANSWERS,
  type PhiloxKnownAnswer,
} from './vectors.ts';
