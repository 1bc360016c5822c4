/**
 * Setting up a training run, the same in Node, Deno and the browser's worker: which network, which
 * starting states, which backend. The caller supplies the files (read from disk or fetched).
 *
 * - network `file`: the tutorial's `ab_brain.scfg` as shipped, its kernels drawn by spark-snn's
 *   random streams from the file's seeds (not JAX's: a different network than the notebook's), on
 *   starting states drawn from `seed`;
 * - network `spark`: Spark's own network (the frozen float32 ab_brain of the Spark golden run, drawn
 *   by JAX from the same file) on the starting states Gymnasium draws after `env.reset(seed=42)` —
 *   the run Spark itself makes in float32, step for step comparable.
 *
 * @module
 */

import { createRegistry } from '@spark-snn/config';
import type { BackendChoice } from '@spark-snn/core';
import {
  CartPoleAgent,
  type CartPoleDtype,
  gymnasiumStarts,
  loadAbBrain,
  loadSparkNetwork,
  withDtype,
} from './agent.ts';
import { CartPole } from './env.ts';

/** The networks a run can train (see the module doc). */
export const CARTPOLE_NETWORKS = ['file', 'spark'] as const;
/** A network a run can train. */
export type CartPoleNetwork = (typeof CARTPOLE_NETWORKS)[number];

/** Gymnasium's seed of the tutorial (`env.reset(seed=42)`); the only seed of the `spark` network. */
export const GYMNASIUM_SEED = 42;

/** Where the files of a run come from (read lazily: a run needs only its network's files). */
export interface NetworkSources {
  /** The bytes of the tutorial's `ab_brain.scfg` (network `file`). */
  abBrain(): Uint8Array | Promise<Uint8Array>;
  /** The parsed `brain_ab_float32.json` Spark golden (network `spark`). */
  sparkGolden(): unknown;
  /** The parsed `gymnasium_seed42_initial_states.json` (network `spark`). */
  gymnasiumStarts(): unknown;
}

/** What a run trains. */
export interface TrainingSetup {
  readonly network: CartPoleNetwork;
  /** Seed of the starting states (network `file`); must be 42 for network `spark`. */
  readonly seed: number;
  readonly backend: BackendChoice;
  /** Brain steps per environment step (50). */
  readonly brainSteps: number;
  /** Episode cap (500). */
  readonly maxSteps: number;
  /**
   * Module precision of network `file` (default `'file'`: as the file says — float16, Spark's
   * default); network `spark` is float32 by construction and takes only `'file'` or `'float32'`.
   */
  readonly dtype?: CartPoleDtype;
}

/**
 * Compiles the agent of a setup, makes its environment and runs the tutorial's build call
 * ({@link CartPoleAgent.prime}); the first episode starts with the environment's next reset.
 */
export async function setUpTraining(
  setup: TrainingSetup,
  sources: NetworkSources,
): Promise<{ agent: CartPoleAgent; env: CartPole }> {
  if (setup.network === 'spark' && setup.seed !== GYMNASIUM_SEED)
    throw new Error(
      `network spark: runs Gymnasium's starting states of seed ${GYMNASIUM_SEED}, got seed ${setup.seed}`,
    );
  const dtype = setup.dtype ?? 'file';
  if (setup.network === 'spark' && dtype === 'float16')
    throw new Error(
      "network spark: Spark's frozen network is float32; --dtype float16 applies to network file",
    );
  const registry = createRegistry();
  const doc =
    setup.network === 'spark'
      ? loadSparkNetwork(await sources.sparkGolden(), registry)
      : withDtype(loadAbBrain(await sources.abBrain(), registry), dtype);
  const agent = await CartPoleAgent.create(doc, {
    backend: setup.backend,
    registry,
    brainStepsPerEnvStep: setup.brainSteps,
  });
  try {
    const env =
      setup.network === 'spark'
        ? new CartPole({
            suttonBartoReward: true,
            maxEpisodeSteps: setup.maxSteps,
            starts: gymnasiumStarts(await sources.gymnasiumStarts()),
          })
        : new CartPole({ seed: setup.seed, suttonBartoReward: true, maxEpisodeSteps: setup.maxSteps });
    await agent.prime(env);
    return { agent, env };
  } catch (e) {
    agent.destroy();
    throw e;
  }
}
