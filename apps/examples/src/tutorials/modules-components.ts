/**
 * Spark tutorial #1, "Modules and components", in TypeScript: Spark modules used on their own.
 * A module is created from its config (Spark's keyword folding applies), builds itself lazily from
 * the shape of its first input, and is then called once per step with same-step inputs.
 *
 * @module
 */
import type { BackendChoice } from '@spark-snn/core';
import { LeakySoma, PoissonSpiker, TracedSynapses } from '@spark-snn/nn';

/** What the tutorial prints. */
export interface ModulesComponentsResult {
  /** LeakySoma: membrane potential of each of the 3 units over the steps. */
  readonly potential: number[][];
  /** LeakySoma: spikes per unit. */
  readonly somaSpikes: number[];
  /** PoissonSpiker: spikes per input channel (rates 0 … 1 of max_freq). */
  readonly poissonSpikes: number[];
  /** TracedSynapses: current into each of the 4 postsynaptic units over the steps. */
  readonly currents: number[][];
  /** Shape of the synaptic kernel (units × presynaptic). */
  readonly kernelShape: readonly number[];
}

/** Runs the three standalone modules for `steps` steps. */
export async function modulesAndComponents(
  options: { steps?: number; backend?: BackendChoice } = {},
): Promise<ModulesComponentsResult> {
  const steps = options.steps ?? 100;
  const backend = options.backend ?? 'cpu';

  // 1. A soma: potential integrates the input current, spikes at threshold, resets.
  const soma = new LeakySoma({ potential_tau: 10 }, { backend });
  const current = [0, 100, 400]; // one constant current per unit
  const potential: number[][] = [];
  const somaSpikes = [0, 0, 0];
  for (let t = 0; t < steps; t++) {
    const { spikes } = await soma.call({ current });
    const { potential: v } = await soma.read(['potential']);
    potential.push(Array.from(v!.data));
    spikes!.forEach((s, i) => {
      if (s !== 0) somaSpikes[i]! += 1;
    });
  }
  soma.destroy();

  // 2. An input interface: rates in [0, 1] become Poisson spike trains.
  const spiker = new PoissonSpiker({ max_freq: 200 }, { backend, seed: 7 });
  const rates = [0, 0.25, 0.5, 1];
  const poissonSpikes = [0, 0, 0, 0];
  const trains: Float32Array[] = [];
  for (let t = 0; t < steps; t++) {
    const { spikes } = await spiker.call({ signal: rates });
    trains.push(spikes!.slice());
    spikes!.forEach((s, i) => {
      if (s !== 0) poissonSpikes[i]! += 1;
    });
  }
  spiker.destroy();

  // 3. Synapses: spikes through a traced kernel become currents (units × presynaptic kernel).
  const synapses = new TracedSynapses(
    { units: [4], kernel: { __type__: 'uniform_initializer_config', scale: 50 }, tau: 5 },
    { backend, seed: 3 },
  );
  const currents: number[][] = [];
  for (const train of trains) {
    const { currents: c } = await synapses.call({ spikes: train });
    currents.push(Array.from(c!));
  }
  const { kernel } = await synapses.read(['kernel']);
  synapses.destroy();
  return { potential, somaSpikes, poissonSpikes, currents, kernelShape: kernel!.shape };
}
