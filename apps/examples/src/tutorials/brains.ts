/**
 * Spark tutorial #3, "Brains", in TypeScript: PoissonSpiker (64 signals) → ALIF pool of 256
 * (`synapses__kernel__scale` 200, inhibitory rate 0.3) → self-recurrent ALIF pool of 128 →
 * ExponentialIntegrator with 3 outputs, run for 500 steps with a fixed random signal; the spikes of
 * every module are recorded (the tutorial's `read_state` raster) and the outputs turned into action
 * probabilities with a softmax.
 *
 * @module
 */
import { createBrainConfig, moduleSpecs } from '@spark-snn/config';
import { type BackendChoice, CounterRng } from '@spark-snn/core';
import { Brain } from '@spark-snn/nn';

/** Signals in (K) and actions out (M), as in the tutorial. */
export const K = 64;
export const M = 3;

/** The tutorial's brain config, built in code with Spark's keyword folding. */
export function brainsTutorialConfig(seed = 42) {
  const specs = (name: string, cls: string, init: Parameters<typeof moduleSpecs>[2]) => {
    const r = moduleSpecs(name, cls, init);
    const errors = r.issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) throw new Error(errors.map((i) => `${i.path}: ${i.message}`).join('; '));
    return r.specs;
  };
  return createBrainConfig(
    [
      specs('spiker', 'poisson_spiker', { inputs: { signal: ['__call__.signal'] } }),
      specs('first_pool', 'alif_neuron', {
        inputs: { in_spikes: ['spiker.spikes'] },
        config: { _s_units: [256], synapses__kernel__scale: 200, inhibitory_rate: 0.3 },
      }),
      specs('second_pool', 'alif_neuron', {
        inputs: { in_spikes: ['first_pool.out_spikes', 'second_pool.out_spikes'] }, // and itself
        config: { _s_units: [128], synapses__kernel__scale: 200, inhibitory_rate: 0.3 },
      }),
      specs('integrator', 'exponential_integrator', {
        inputs: { spikes: ['second_pool.out_spikes'] },
        outputs: { my_awesome_signal: 'signal' },
        config: { num_outputs: M },
      }),
    ],
    { seed },
  );
}

/** Spike ports of the raster, top to bottom. */
export const RASTER_PORTS = ['spiker.spikes', 'first_pool.out_spikes', 'second_pool.out_spikes'] as const;

/** What the tutorial shows. */
export interface BrainsResult {
  readonly steps: number;
  /** Backend that ran it. */
  readonly backend: string;
  /** Per port: `steps × size` spikes (−1, 0, +1). */
  readonly raster: Record<(typeof RASTER_PORTS)[number], { size: number; data: Float32Array }>;
  /** `steps × M` action probabilities (softmax of the integrator's outputs). */
  readonly actionProbabilities: Float32Array;
  /** `read_state` of the last step equals the last recorded row. */
  readonly lastStepMatches: boolean;
  readonly ms: number;
}

/** Builds and runs the tutorial brain. */
export async function brains(
  options: { steps?: number; backend?: BackendChoice } = {},
): Promise<BrainsResult> {
  const steps = options.steps ?? 500;
  const rng = new CounterRng(1);
  const signal = Float32Array.from({ length: K }, (_, i) => rng.uniform(0, 0, i));
  const brain = await Brain.fromConfig(brainsTutorialConfig(), {
    backend: options.backend ?? 'cpu',
    inputShapes: { signal: [K] },
  });
  const t0 = performance.now();
  const rec = await brain.run({
    steps,
    inputs: { signal },
    record: [...RASTER_PORTS, 'my_awesome_signal'],
  });
  const ms = performance.now() - t0;
  const last = await brain.readState([...RASTER_PORTS]);
  let lastStepMatches = true;
  const raster = {} as BrainsResult['raster'];
  for (const p of RASTER_PORTS) {
    const data = rec.series[p]!.data;
    const size = data.length / steps;
    raster[p] = { size, data };
    const got = last[p]!.data;
    for (let i = 0; i < size; i++) if (got[i] !== data[(steps - 1) * size + i]) lastStepMatches = false;
  }
  const out = rec.series.my_awesome_signal!.data;
  const actionProbabilities = new Float32Array(steps * M);
  for (let t = 0; t < steps; t++) {
    let sum = 0;
    for (let k = 0; k < M; k++) sum += Math.exp(out[t * M + k]!);
    for (let k = 0; k < M; k++) actionProbabilities[t * M + k] = Math.exp(out[t * M + k]!) / sum;
  }
  const backend = brain.backend?.kind ?? 'unknown';
  brain.destroy();
  return { steps, backend, raster, actionProbabilities, lastStepMatches, ms };
}

/** A coarse text raster: one row per `rowsPer` neurons, one column per `colsPer` steps. */
export function textRaster(
  series: { size: number; data: Float32Array },
  steps: number,
  options: { rowsPer?: number; colsPer?: number } = {},
): string[] {
  const rowsPer = options.rowsPer ?? Math.max(1, Math.ceil(series.size / 16));
  const colsPer = options.colsPer ?? Math.max(1, Math.ceil(steps / 100));
  const lines: string[] = [];
  for (let r = 0; r < series.size; r += rowsPer) {
    let line = '';
    for (let c = 0; c < steps; c += colsPer) {
      let exc = 0;
      let inh = 0;
      for (let t = c; t < Math.min(steps, c + colsPer); t++)
        for (let i = r; i < Math.min(series.size, r + rowsPer); i++) {
          const s = series.data[t * series.size + i]!;
          if (s > 0) exc++;
          else if (s < 0) inh++;
        }
      line += exc + inh === 0 ? ' ' : inh > exc ? '-' : exc > 2 ? '#' : '.';
    }
    lines.push(line);
  }
  return lines;
}
