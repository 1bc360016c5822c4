/**
 * Node/Deno helpers of the CartPole example: the bundled `ab_brain.scfg`, the repository's fixtures
 * (Spark's network, Gymnasium's starting states) and command-line flags.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { BackendChoice } from '@spark-snn/core';
import { type CartPoleDtype, TUTORIAL } from './agent.ts';
import {
  CARTPOLE_NETWORKS,
  type CartPoleNetwork,
  GYMNASIUM_SEED,
  type NetworkSources,
  setUpTraining,
  type TrainingSetup,
} from './training.ts';

/** Spark's `tutorials/ab_brain.scfg`, byte-exact, as shipped in `apps/examples/assets/`. */
export const AB_BRAIN_URL = new URL('../../assets/ab_brain.scfg', import.meta.url);

/** SHA-256 of {@link AB_BRAIN_URL} (spark-reference.md §3.5). */
export const AB_BRAIN_SHA256 = '88828fa41c0aba73939e30ea219cdc4ec186ab234835656fbff14482d26a4aed';

/** The repository's `fixtures/` folder (Spark goldens, Gymnasium's CartPole starts). */
export const FIXTURES_URL = new URL('../../../../fixtures/', import.meta.url);

/** The bytes of the bundled `ab_brain.scfg`. */
export function abBrainBytes(): Uint8Array {
  return new Uint8Array(readFileSync(AB_BRAIN_URL));
}

function readFixtureJson(path: string): unknown {
  const url = new URL(path, FIXTURES_URL);
  let text: string;
  try {
    text = readFileSync(url, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${url.pathname}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${url.pathname}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** The files of a run, read from this checkout. */
export const fileSources: NetworkSources = {
  abBrain: abBrainBytes,
  sparkGolden: () => readFixtureJson('spark-golden/brain_ab_float32.json'),
  gymnasiumStarts: () => readFixtureJson('cartpole/gymnasium_seed42_initial_states.json'),
};

/** Flags of the CartPole command. */
export interface CartPoleArgs {
  episodes: number;
  /** Number of runs; run k uses seed `seed + k`. */
  seeds: number;
  /** Seed of the first run (the starting states; 42 as the tutorial's `env.reset(seed=42)`). */
  seed: number;
  network: CartPoleNetwork;
  /** Module precision of network `file`: as the file says (float16), or every module float32/float16. */
  dtype: CartPoleDtype;
  backend: BackendChoice;
  brainSteps: number;
  maxSteps: number;
  /** Folder of `curve.csv`, `curve.svg`, `summary.json` (and checkpoints). */
  out: string;
  /** A learning-curve CSV (e.g. Spark's, from `spark_cartpole.py`) drawn as an extra panel. */
  reference: string | undefined;
  /** Label of the reference panel. */
  referenceLabel: string;
  /** Stop after the episode that passes this many seconds (0 = no limit). */
  timeLimit: number;
  /** Write each run's trained state as `<out>/seed-<seed>.safetensors`. */
  saveCheckpoint: boolean;
}

const BACKENDS = ['cpu', 'webgpu', 'gpujs', 'auto'] as const;
const DTYPES: readonly CartPoleDtype[] = ['file', 'float32', 'float16'];

/** The flags, for the help and error texts. */
export const CARTPOLE_FLAGS =
  '--episodes N (150) --seeds N (1) --seed S (42) --network file|spark (file) --dtype file|float32|float16 (file) --backend cpu|webgpu|gpujs|auto (cpu) ' +
  '--brain-steps N (50) --max-steps N (500) --out DIR (cartpole-out) --reference CSV --reference-label TEXT ' +
  '--time-limit SECONDS --save-checkpoint';

/** Parses the command's flags (see {@link CARTPOLE_FLAGS}). */
export function parseCartPoleArgs(argv: readonly string[]): CartPoleArgs {
  const args: CartPoleArgs = {
    episodes: TUTORIAL.episodes,
    seeds: 1,
    seed: GYMNASIUM_SEED,
    network: 'file',
    dtype: 'file',
    backend: 'cpu',
    brainSteps: TUTORIAL.brainStepsPerEnvStep,
    maxSteps: 500,
    out: 'cartpole-out',
    reference: undefined,
    referenceLabel: 'Spark (upstream)',
    timeLimit: 0,
    saveCheckpoint: false,
  };
  const int = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (v === undefined || v.trim() === '' || !Number.isInteger(n) || n < min)
      throw new Error(`${name}: expected an integer ≥ ${min}, got ${v}`);
    return n;
  };
  const text = (name: string, v: string | undefined): string => {
    if (!v || v.startsWith('--')) throw new Error(`${name}: expected a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    let takesValue = true;
    switch (flag) {
      case '--episodes':
        args.episodes = int(flag, value, 1);
        break;
      case '--seeds':
        args.seeds = int(flag, value, 1);
        break;
      case '--seed':
        args.seed = int(flag, value, 0);
        break;
      case '--brain-steps':
        args.brainSteps = int(flag, value, 1);
        break;
      case '--max-steps':
        args.maxSteps = int(flag, value, 1);
        break;
      case '--network':
        if (!CARTPOLE_NETWORKS.includes(value as CartPoleNetwork))
          throw new Error(`--network: expected one of ${CARTPOLE_NETWORKS.join(', ')}, got ${value}`);
        args.network = value as CartPoleNetwork;
        break;
      case '--dtype':
        if (!DTYPES.includes(value as CartPoleDtype))
          throw new Error(`--dtype: expected one of ${DTYPES.join(', ')}, got ${value}`);
        args.dtype = value as CartPoleDtype;
        break;
      case '--backend':
        if (!BACKENDS.includes(value as (typeof BACKENDS)[number]))
          throw new Error(`--backend: expected one of ${BACKENDS.join(', ')}, got ${value}`);
        args.backend = value as BackendChoice;
        break;
      case '--out':
        args.out = text(flag, value);
        break;
      case '--reference':
        args.reference = text(flag, value);
        break;
      case '--reference-label':
        args.referenceLabel = text(flag, value);
        break;
      case '--time-limit':
        args.timeLimit = int(flag, value, 0);
        break;
      case '--save-checkpoint':
        args.saveCheckpoint = true;
        takesValue = false;
        break;
      default:
        throw new Error(`unknown flag ${flag} (flags: ${CARTPOLE_FLAGS})`);
    }
    if (takesValue) i += 1;
  }
  if (args.network === 'spark') {
    if (args.seeds !== 1 || args.seed !== GYMNASIUM_SEED)
      throw new Error(
        `--network spark: trains on Gymnasium's starting states of seed ${GYMNASIUM_SEED} only (no --seed, --seeds 1)`,
      );
    if (args.dtype === 'float16')
      throw new Error("--dtype float16: Spark's frozen network (--network spark) is float32");
  }
  return args;
}

/** Compiles the agent of a run and its environment from this checkout's files. */
export function createTraining(setup: TrainingSetup) {
  return setUpTraining(setup, fileSources);
}
