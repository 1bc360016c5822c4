/**
 * `linear_synapses` (Spark's dense kernel, `I_i = Σ_j W_ij s_j`) → a PyNN Projection over the whole
 * presynaptic population with one connection per non-zero kernel entry and its own weight
 * (`FromListConnector` with a weight column). The kernel is read from the compiled Brain (so an
 * initializer gives exactly the values the Brain draws) and written to the `.npz`.
 *
 * @module
 */
import { type MapArgs, type MappedSynapses, type SynapseMapping, unitsOf } from './mapping.ts';

export const linearSynapsesMapping: SynapseMapping = {
  kind: 'synapses',
  module: 'linear_synapses',
  spikesPort: 'spikes',
  currentsPort: 'currents',
  map(a: MapArgs): MappedSynapses | undefined {
    const post = unitsOf(a.config);
    if (post === undefined) {
      a.sink.push({
        severity: 'error',
        code: 'unsupported_value',
        path: `${a.path}.config.units`,
        message: 'needs the postsynaptic units (a shape) for the PyNN export',
      });
      return undefined;
    }
    return {
      connector: { kind: 'brain', what: 'dense', why: 'a dense kernel' },
      delaySteps: 0,
      sourceStart: 0,
      post,
      notes: ['dense kernel: one connection per non-zero entry, weights from the compiled Brain'],
    };
  },
};
