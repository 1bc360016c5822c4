/**
 * Golden cases of the plasticity (trial + check), shared by the per-category tests and the backend comparison.
 *
 * @module
 */
import { flat32, rows, TraceComparison } from '@spark-snn/testing';
import { golden } from '@spark-snn/testing/fixtures';
import { SPARK_COMPAT } from '../../../src/library/compat.ts';
import { buildPlasticity, type PlasticityName } from '../../../src/plasticity/build.ts';
import type { Records, Trial } from './harness.ts';

export const CASES: { file: string; name: PlasticityName }[] = [
  { file: 'plasticity_hebbian_rule.json', name: 'hebbian_rule' },
  { file: 'plasticity_hebbian_rule_async.json', name: 'hebbian_rule' },
  { file: 'plasticity_oja_rule.json', name: 'oja_rule' },
  { file: 'plasticity_three_factor_hebbian_rule.json', name: 'three_factor_hebbian_rule' },
  { file: 'plasticity_quadruplet_rule_tensor.json', name: 'quadruplet_rule_tensor' },
];

/** The trial of a case and the check of its records against the golden data. */
export function trialOf(
  file: string,
  name: PlasticityName,
): { trial: Trial; check: (r: Records) => TraceComparison } {
  const g = golden(file);
  const async = g.inputs.async_pre_spikes === true;
  const initial = flat32(g.inputs.initial_kernel);
  const post = rows(g.inputs.post_spikes);
  const units = post[0]?.length ?? 0;
  const pre = initial.length / units;
  const fragment = buildPlasticity(name, {
    prefix: 'rule',
    dt: g.dt,
    units,
    pre,
    async,
    config: g.config,
    compat: SPARK_COMPAT,
    initialKernel: initial,
    inhibitionPre: flat32(g.inputs.pre_inhibition_mask),
    inhibitionPost: flat32(g.inputs.post_inhibition_mask),
  });
  const inputs: Record<string, number[][]> = {
    [fragment.inputs.pre_spikes as string]: rows(g.inputs.pre_spikes),
    [fragment.inputs.post_spikes as string]: post,
  };
  for (const third of ['reward', 'modulation'])
    if (fragment.inputs[third] !== undefined)
      inputs[fragment.inputs[third] as string] = rows(g.inputs[third]);
  const perStep = g.state.per_step ?? {};
  const traces = Object.keys(perStep).filter((k) => fragment.state[k] !== undefined);
  const kernel = fragment.outputs.kernel as string;
  const trial: Trial = {
    fragment,
    dt: g.dt,
    steps: g.steps,
    inputs,
    record: [kernel, ...traces.map((k) => fragment.state[k] as string)],
  };
  const expected = rows(g.outputs.kernel);
  const expectedTraces = Object.fromEntries(traces.map((k) => [k, rows(perStep[k])]));
  return {
    trial,
    check: (r) => {
      const cmp = new TraceComparison().trace('kernel', r[kernel] ?? [], expected, 'float32');
      for (const k of traces)
        cmp.trace(k, r[fragment.state[k] as string] ?? [], expectedTraces[k] ?? [], 'float32');
      return cmp;
    },
  };
}
