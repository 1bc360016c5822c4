/**
 * Spark tutorial #2, "Neurons", in TypeScript: a Neuron controller (ALIF: delays → traced synapses →
 * adaptive leaky soma, with plasticity) is itself a module. It is created with its number of units,
 * builds from the shape of its first input and is stepped like any other module; its inhibitory
 * units (drawn from `inhibitory_rate`) emit −1 spikes.
 *
 * @module
 */
import type { BackendChoice } from '@spark-snn/core';
import { ALIFNeuron, PoissonSpiker } from '@spark-snn/nn';

/** What the tutorial prints. */
export interface NeuronsResult {
  readonly units: number;
  readonly inputs: number;
  /** Spikes per unit over the run (absolute values). */
  readonly spikesPerUnit: number[];
  /** Units that spiked with sign −1 (inhibitory). */
  readonly inhibitoryUnits: number[];
  /** Raster: per step, the indices of the units that spiked. */
  readonly raster: number[][];
  /** Mean wall-clock milliseconds per controller step (call + read back). */
  readonly msPerStep: number;
}

/** Drives an 8-unit ALIF neuron with 16 Poisson inputs for `steps` steps. */
export async function neurons(
  options: { steps?: number; backend?: BackendChoice } = {},
): Promise<NeuronsResult> {
  const steps = options.steps ?? 200;
  const backend = options.backend ?? 'cpu';
  const units = 8;
  const inputs = 16;
  const spiker = new PoissonSpiker({ max_freq: 200 }, { backend, seed: 11 });
  const neuron = new ALIFNeuron(
    { _s_units: [units], inhibitory_rate: 0.25, synapses__kernel__scale: 2000 },
    { backend, seed: 5 },
  );
  const spikesPerUnit = new Array<number>(units).fill(0);
  const inhibitory = new Set<number>();
  const raster: number[][] = [];
  const signal = Array.from({ length: inputs }, (_, i) => (i + 1) / inputs);
  let ms = 0;
  for (let t = 0; t < steps; t++) {
    const { spikes } = await spiker.call({ signal });
    const t0 = performance.now();
    const { out_spikes } = await neuron.call({ in_spikes: spikes! });
    ms += performance.now() - t0;
    const row: number[] = [];
    out_spikes!.forEach((s, i) => {
      if (s === 0) return;
      row.push(i);
      spikesPerUnit[i]! += 1;
      if (s < 0) inhibitory.add(i);
    });
    raster.push(row);
  }
  spiker.destroy();
  neuron.destroy();
  return {
    units,
    inputs,
    spikesPerUnit,
    inhibitoryUnits: [...inhibitory].sort((a, b) => a - b),
    raster,
    msPerStep: ms / steps,
  };
}
