/**
 * Golden cases of the synapses (trial + check), shared by the per-category tests and the backend comparison.
 *
 * @module
 */
import { rows, TraceComparison } from '@spark-snn/testing';
import { golden } from '@spark-snn/testing/fixtures';
import { buildSynapses, type SynapseName } from '../../../src/synapses/build.ts';
import type { Records, Trial } from './harness.ts';

export const CASES: { file: string; name: SynapseName }[] = [
  { file: 'synapses_linear.json', name: 'linear_synapses' },
  { file: 'synapses_linear_async.json', name: 'linear_synapses' },
  { file: 'synapses_traced.json', name: 'traced_synapses' },
  { file: 'synapses_traced_async.json', name: 'traced_synapses' },
  { file: 'synapses_rd_traced.json', name: 'rd_traced_synapses' },
];

/** The trial of a case and the check of its records against the golden data. */
export function trialOf(
  file: string,
  name: SynapseName,
): { trial: Trial; check: (r: Records) => TraceComparison } {
  const g = golden(file);
  const async = g.inputs.async_spikes === true;
  const spikes = rows(g.inputs.spikes);
  const currents = rows(g.outputs.currents);
  const units = currents[0]?.length ?? 0;
  const pre = (spikes[0]?.length ?? 0) / (async ? units : 1);
  const fragment = buildSynapses(name, { prefix: 'syn', dt: g.dt, units, pre, async, config: g.config });
  const out = fragment.outputs.currents as string;
  const trial: Trial = {
    fragment,
    dt: g.dt,
    steps: g.steps,
    inputs: { [fragment.inputs.spikes as string]: spikes },
    record: [out],
  };
  return {
    trial,
    check: (r) => new TraceComparison().trace('currents', r[out] ?? [], currents, 'float32'),
  };
}
