/** The Spark brains tutorial network (spark-reference §6.2), shared by the Node, browser and Deno tests. */
import { createBrainConfig, moduleSpecs } from '@spark-snn/config';

/** PoissonSpiker(64) → ALIF 256 → recurrent ALIF 128 → ExponentialIntegrator(3) (spark-reference §6.2). */
export function tutorialBrain(seed = 42) {
  const m = (name: string, cls: string, init: Parameters<typeof moduleSpecs>[2]) => {
    const r = moduleSpecs(name, cls, init);
    if (r.issues.some((i) => i.severity === 'error')) throw new Error(JSON.stringify(r.issues));
    return r.specs;
  };
  return createBrainConfig(
    [
      m('spiker', 'poisson_spiker', { inputs: { signal: ['__call__.signal'] } }),
      m('pool_a', 'alif_neuron', {
        inputs: { in_spikes: ['spiker.spikes'] },
        config: { _s_units: [256], inhibitory_rate: 0.3, synapses__kernel__scale: 200, _s_seed: seed },
      }),
      m('pool_b', 'alif_neuron', {
        inputs: { in_spikes: ['pool_a.out_spikes', 'pool_b.out_spikes'] },
        config: { _s_units: [128], synapses__kernel__scale: 200, _s_seed: seed + 1 },
      }),
      m('readout', 'exponential_integrator', {
        inputs: { spikes: ['pool_b.out_spikes'] },
        outputs: { action: 'signal' },
        config: { num_outputs: 3 },
      }),
    ],
    { seed },
  );
}
