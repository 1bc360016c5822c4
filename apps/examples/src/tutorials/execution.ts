/**
 * Spark tutorial #4, "Execution", in TypeScript: a brain is a graph (its config) plus a state.
 * `split()` takes the state out, `merge(state)` puts one back, so a run can be rewound and replayed;
 * `saveCheckpoint()` / `loadCheckpoint()` do the same through bytes (safetensors layout), and
 * `reset()` returns to the initial state. Also compares one call per step with one call for many
 * steps (Spark's `jit` of one call vs a jitted loop).
 *
 * The state tree also carries the global step counter (`_meta/step`), from which the RNG counter and
 * the delay rings' write position derive, so a merged state replays exactly whatever the window.
 *
 * @module
 */
import { createBrainConfig, moduleSpecs } from '@spark-snn/config';
import { type BackendChoice, listPaths } from '@spark-snn/core';
import { Brain } from '@spark-snn/nn';

/** A small brain: deterministic rate input (16) → ALIF (8 units) → integrator (2 outputs). */
export function executionTutorialConfig(seed = 3) {
  const specs = (name: string, cls: string, init: Parameters<typeof moduleSpecs>[2]) => {
    const r = moduleSpecs(name, cls, init);
    const errors = r.issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) throw new Error(errors.map((i) => `${i.path}: ${i.message}`).join('; '));
    return r.specs;
  };
  return createBrainConfig(
    [
      specs('encoder', 'linear_spiker', { inputs: { signal: ['__call__.signal'] } }),
      specs('neuron', 'alif_neuron', {
        inputs: { in_spikes: ['encoder.spikes', 'neuron.out_spikes'] },
        config: { _s_units: [8], synapses__kernel__scale: 2000 },
      }),
      specs('readout', 'exponential_integrator', {
        inputs: { spikes: ['neuron.out_spikes'] },
        outputs: { out: 'signal' },
        config: { num_outputs: 2 },
      }),
    ],
    { seed },
  );
}

const SIGNAL = Float32Array.from({ length: 16 }, (_, i) => (i + 1) / 16);

/** What the tutorial shows. */
export interface ExecutionResult {
  /** Number of state leaves that `split` returned, and a few of their paths. */
  readonly stateLeaves: number;
  readonly samplePaths: string[];
  /** The 50 steps after `merge(state)` repeat the 50 steps after `split()` exactly. */
  readonly replayAfterMerge: boolean;
  /** The same through a checkpoint (bytes). */
  readonly replayAfterCheckpoint: boolean;
  readonly checkpointBytes: number;
  /** After `reset()` the brain repeats its first steps from scratch. */
  readonly replayAfterReset: boolean;
  /** Spikes in the replayed window (to see that something happened). */
  readonly spikes: number;
  /** Milliseconds per step: one call per step vs one call for all steps. */
  readonly msPerStepSingle: number;
  readonly msPerStepBatched: number;
}

function same(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Runs the execution tutorial. */
export async function execution(
  options: { backend?: BackendChoice; steps?: number } = {},
): Promise<ExecutionResult> {
  // Any window length replays exactly (the step counter travels with the state).
  const steps = options.steps ?? 45;
  const brain = await Brain.fromConfig(executionTutorialConfig(), {
    backend: options.backend ?? 'cpu',
    inputShapes: { signal: [16] },
  });
  const window = async () =>
    (await brain.run({ steps, inputs: { signal: SIGNAL }, record: ['neuron.out_spikes', 'out'] })).series[
      'neuron.out_spikes'
    ]!.data;

  const fromStart = await window();
  // split: graph (the config) and state (every buffer of every module, and the one-step caches)
  const { state } = await brain.split();
  const paths = listPaths(state);
  const ckpt = await brain.saveCheckpoint();
  const next = await window();
  await brain.merge(state); // rewind
  const replay = await window();
  await brain.loadCheckpoint(ckpt); // rewind again, through bytes
  const replayCkpt = await window();
  await brain.reset();
  const afterReset = await window();

  // one call per step vs one call for many steps
  let t0 = performance.now();
  for (let t = 0; t < steps; t++) await brain.step({ signal: SIGNAL });
  const msPerStepSingle = (performance.now() - t0) / steps;
  await brain.run({ steps, inputs: { signal: SIGNAL } }); // warm-up of the batched path
  t0 = performance.now();
  await brain.run({ steps: steps * 10, inputs: { signal: SIGNAL } });
  const msPerStepBatched = (performance.now() - t0) / (steps * 10);
  brain.destroy();
  return {
    stateLeaves: paths.length,
    samplePaths: paths.slice(0, 5),
    replayAfterMerge: same(next, replay),
    replayAfterCheckpoint: same(next, replayCkpt),
    checkpointBytes: ckpt.length,
    replayAfterReset: same(fromStart, afterReset),
    spikes: next.reduce((a, v) => a + Math.abs(v), 0),
    msPerStepSingle,
    msPerStepBatched,
  };
}
