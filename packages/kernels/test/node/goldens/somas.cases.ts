/**
 * Golden cases of the somas (trial + check), shared by the per-category tests and the backend comparison.
 *
 * @module
 */
import { goldenParams, rows, TraceComparison } from '@spark-snn/testing';
import { golden } from '@spark-snn/testing/fixtures';
import type { ModuleDefinition } from '../../../src/lang/ast.ts';
import { SPARK_COMPAT } from '../../../src/library/compat.ts';
import { moduleFragment } from '../../../src/library/fragment.ts';
import { adaptiveLeakySomaDefinition } from '../../../src/somas/adaptive_leaky_soma.ts';
import { exponentialSoma } from '../../../src/somas/exponential_soma.ts';
import { izhikevichSomaDefinition } from '../../../src/somas/izhikevich_soma.ts';
import { leakySoma } from '../../../src/somas/leaky_soma.ts';
import { refractoryExponentialSomaDefinition } from '../../../src/somas/refractory_exponential_soma.ts';
import { refractoryLeakySomaDefinition } from '../../../src/somas/refractory_leaky_soma.ts';
import { simplifiedAdaptiveExponentialSomaDefinition } from '../../../src/somas/simplified_adaptive_exponential_soma.ts';
import { strictRefractoryLeakySomaDefinition } from '../../../src/somas/strict_refractory_leaky_soma.ts';
import type { Records, Trial } from './harness.ts';

interface SomaCase {
  file: string;
  def: ModuleDefinition;
  /** Golden `state.per_step` key → our state variable. */
  state: Record<string, string>;
}

export const CASES: SomaCase[] = [
  { file: 'soma_leaky.json', def: leakySoma, state: {} },
  {
    file: 'soma_refractory_leaky.json',
    def: refractoryLeakySomaDefinition(SPARK_COMPAT),
    state: { refractory_counter: 'refractory' },
  },
  {
    file: 'soma_strict_refractory_leaky.json',
    def: strictRefractoryLeakySomaDefinition(SPARK_COMPAT),
    state: { refractory_counter: 'refractory' },
  },
  {
    file: 'soma_adaptive_leaky.json',
    def: adaptiveLeakySomaDefinition(SPARK_COMPAT),
    state: { refractory_counter: 'refractory', threshold: 'adaptive_threshold' },
  },
  { file: 'soma_exponential.json', def: exponentialSoma, state: {} },
  {
    file: 'soma_refractory_exponential.json',
    def: refractoryExponentialSomaDefinition(SPARK_COMPAT),
    state: { refractory_counter: 'refractory' },
  },
  {
    file: 'soma_simplified_adaptive_exponential.json',
    def: simplifiedAdaptiveExponentialSomaDefinition(SPARK_COMPAT),
    state: { refractory_counter: 'refractory', threshold: 'adaptive_threshold' },
  },
  {
    file: 'soma_izhikevich.json',
    def: izhikevichSomaDefinition(SPARK_COMPAT),
    state: { recovery: 'recovery' },
  },
];

/** The trial of a case and the check of its records against the golden data. */
export function trialOf(c: SomaCase): { trial: Trial; check: (r: Records) => TraceComparison } {
  const g = golden(c.file);
  const current = rows(g.inputs.current);
  const units = current[0]?.length ?? 0;
  const params = goldenParams(
    g.config,
    c.def.params.map((p) => p.name),
  );
  const fragment = moduleFragment(c.def, { prefix: 'soma', size: units, dt: g.dt, params });
  const spikesBuf = fragment.outputs.spikes as string;
  const vBuf = fragment.state.potential as string;
  const stateBufs = Object.fromEntries(
    Object.entries(c.state).map(([k, v]) => [k, fragment.state[v] as string]),
  );
  const trial: Trial = {
    fragment,
    dt: g.dt,
    steps: g.steps,
    inputs: { [fragment.inputs.current as string]: current },
    record: [spikesBuf, vBuf, ...Object.values(stateBufs)],
  };
  const spikes = rows(g.outputs.spikes);
  const potential = rows(g.outputs.potential);
  const perStep = Object.fromEntries(Object.keys(c.state).map((k) => [k, rows(g.state.per_step?.[k])]));
  const check = (r: Records): TraceComparison => {
    const cmp = new TraceComparison()
      .trace('spikes', r[spikesBuf] ?? [], spikes, 'exact')
      .trace('potential', r[vBuf] ?? [], potential, 'float32');
    for (const [k, buf] of Object.entries(stateBufs)) cmp.trace(k, r[buf] ?? [], perStep[k] ?? [], 'float32');
    return cmp;
  };
  return { trial, check };
}
