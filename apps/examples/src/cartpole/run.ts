/**
 * Node/Deno helpers of the CartPole example: the bundled `ab_brain.scfg`, command-line flags.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRegistry } from '@spark-snn/config';
import type { BackendChoice } from '@spark-snn/core';
import { CartPoleAgent, loadAbBrain, TUTORIAL } from './agent.ts';

/** Spark's `tutorials/ab_brain.scfg`, byte-exact, as shipped in `apps/examples/assets/`. */
export const AB_BRAIN_URL = new URL('../../assets/ab_brain.scfg', import.meta.url);

/** SHA-256 of {@link AB_BRAIN_URL} (spark-reference.md §3.5). */
export const AB_BRAIN_SHA256 = '88828fa41c0aba73939e30ea219cdc4ec186ab234835656fbff14482d26a4aed';

/** The bytes of the bundled `ab_brain.scfg`. */
export function abBrainBytes(): Uint8Array {
  return new Uint8Array(readFileSync(AB_BRAIN_URL));
}

/** Flags of the CartPole command. */
export interface CartPoleArgs {
  episodes: number;
  backend: BackendChoice;
  brainSteps: number;
  maxSteps: number;
  seed: number;
  json: string | undefined;
  /** Stop after the episode that passes this many seconds (0 = no limit). */
  timeLimit: number;
}

const BACKENDS = ['cpu', 'webgpu', 'gpujs', 'auto'] as const;

/** Parses `--episodes N --backend B --brain-steps N --max-steps N --seed N --time-limit S --json FILE`. */
export function parseCartPoleArgs(argv: readonly string[]): CartPoleArgs {
  const args: CartPoleArgs = {
    episodes: TUTORIAL.episodes,
    backend: 'cpu',
    brainSteps: TUTORIAL.brainStepsPerEnvStep,
    maxSteps: 500,
    seed: 42,
    json: undefined,
    timeLimit: 0,
  };
  const int = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name}: expected an integer ≥ ${min}, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    switch (flag) {
      case '--episodes':
        args.episodes = int(flag, value, 1);
        break;
      case '--brain-steps':
        args.brainSteps = int(flag, value, 1);
        break;
      case '--max-steps':
        args.maxSteps = int(flag, value, 1);
        break;
      case '--seed':
        args.seed = int(flag, value, 0);
        break;
      case '--backend':
        if (!BACKENDS.includes(value as (typeof BACKENDS)[number]))
          throw new Error(`--backend: expected one of ${BACKENDS.join(', ')}, got ${value}`);
        args.backend = value as BackendChoice;
        break;
      case '--time-limit':
        args.timeLimit = int(flag, value, 0);
        break;
      case '--json':
        if (!value) throw new Error('--json: expected a file name');
        args.json = value;
        break;
      default:
        throw new Error(
          `unknown flag ${flag} (flags: --episodes --backend --brain-steps --max-steps --seed --time-limit --json)`,
        );
    }
    i += 1;
  }
  return args;
}

/** Loads `ab_brain` into a fresh registry and compiles the agent. */
export async function createAgent(bytes: Uint8Array, args: Pick<CartPoleArgs, 'backend' | 'brainSteps'>) {
  const registry = createRegistry();
  const doc = loadAbBrain(bytes, registry);
  return CartPoleAgent.create(doc, {
    backend: args.backend,
    registry,
    brainStepsPerEnvStep: args.brainSteps,
  });
}
