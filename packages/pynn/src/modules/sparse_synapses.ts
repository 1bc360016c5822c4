/**
 * `sparse_synapses` → a PyNN Projection from the presynaptic slice `[source_start, source_stop)` (a
 * PopulationView) with the connector the Brain draws: Bernoulli `p` for every pair, autapses
 * allowed → `FixedProbabilityConnector(p, allow_self_connections=True)`; `in_degree > 0` (partners
 * drawn uniformly with replacement) → `FixedNumberPreConnector(n, with_replacement=True,
 * allow_self_connections=True)`. PyNN draws its own instance of the same random graph; export with
 * `--connectivity explicit` for the Brain's exact edges.
 *
 * @module
 */
import { fieldValue, scalarOf } from '../values.ts';
import { type MapArgs, type MappedSynapses, type SynapseMapping, unitsOf } from './mapping.ts';

export const sparseSynapsesMapping: SynapseMapping = {
  kind: 'synapses',
  module: 'sparse_synapses',
  spikesPort: 'spikes',
  currentsPort: 'currents',
  map(a: MapArgs): MappedSynapses | undefined {
    const num = (k: string) => scalarOf(fieldValue(a.config, k, a));
    const p = num('p');
    const k = num('in_degree');
    const weight = num('weight');
    const delay = num('delay');
    const start = num('source_start');
    const stop = num('source_stop');
    const post = unitsOf(a.config);
    if ([p, k, weight, delay, start, stop].some((x) => x === undefined) || post === undefined) {
      a.sink.push({
        severity: 'error',
        code: 'unsupported_value',
        path: a.path,
        message: 'p, in_degree, weight, delay, source_start, source_stop must be numbers and units a shape',
      });
      return undefined;
    }
    const steps = Math.round(delay! / a.dt);
    return {
      connector: k! > 0 ? { kind: 'fixed_number_pre', n: k! } : { kind: 'fixed_probability', p: p! },
      weight: weight!,
      delaySteps: steps,
      sourceStart: start!,
      ...(stop! > 0 ? { sourceStop: stop! } : {}),
      post,
      notes:
        k! > 0
          ? [`in_degree ${k}: each target draws ${k} sources uniformly with replacement (multapses allowed)`]
          : [`Bernoulli p = ${p} for every (source, target) pair, autapses allowed`],
    };
  },
};
