/**
 * `sparse_synapses` → a PyNN Projection from the presynaptic slice `[source_start, source_stop)` (a
 * PopulationView) with the connector the Brain draws: Bernoulli `p` for every pair, autapses
 * allowed → `FixedProbabilityConnector(p, allow_self_connections=True)`; `in_degree > 0` (partners
 * drawn uniformly with replacement) → `FixedNumberPreConnector(n, with_replacement=True,
 * allow_self_connections=True)`. PyNN draws its own instance of the same random graph; export with
 * `--connectivity explicit` for the Brain's exact edges. Per-connection weights (an initializer or
 * `weights`), per-connection delays (`max_delay`, `delays`) and explicit edge lists
 * (`sources`/`targets`) have no PyNN connector: their edges and values are always read from the
 * compiled Brain.
 *
 * @module
 */
import { fieldValue, scalarOf } from '../values.ts';
import { type MapArgs, type MappedSynapses, type SynapseMapping, unitsOf } from './mapping.ts';

const given = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);

export const sparseSynapsesMapping: SynapseMapping = {
  kind: 'synapses',
  module: 'sparse_synapses',
  spikesPort: 'spikes',
  currentsPort: 'currents',
  map(a: MapArgs): MappedSynapses | undefined {
    const num = (k: string) => scalarOf(fieldValue(a.config, k, a));
    const c = a.config;
    const perConnection: string[] = [];
    if (given(c.sources) || given(c.targets)) perConnection.push('an explicit edge list (sources/targets)');
    if (given(c.weights)) perConnection.push('per-connection weights');
    else if (given(c.weight) && typeof c.weight !== 'number')
      perConnection.push('weights drawn per connection');
    if (given(c.delays)) perConnection.push('per-connection delays');
    else if (
      given(c.max_delay) &&
      typeof c.max_delay === 'number' &&
      c.max_delay > ((c.delay as number) ?? 0)
    )
      perConnection.push('delays drawn per connection (max_delay)');
    const p = num('p');
    const k = num('in_degree');
    const delay = num('delay');
    const start = num('source_start');
    const stop = num('source_stop');
    const post = unitsOf(c);
    const weight = typeof c.weight === 'number' ? c.weight : perConnection.length > 0 ? 0 : num('weight');
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
    if (perConnection.length > 0)
      return {
        connector: { kind: 'brain', what: 'sparse', why: perConnection.join(', ') },
        delaySteps: steps,
        sourceStart: start!,
        ...(stop! > 0 ? { sourceStop: stop! } : {}),
        post,
        notes: [`${perConnection.join(', ')}: the Brain's edges, weights and delays (npz)`],
      };
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
