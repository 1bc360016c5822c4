// Modules defined by equations (custom modules) are built by the synapse and plasticity builders the
// Spark modules use: a definition restating a Spark module gives the Spark module's numbers, on the
// float64 reference and the cpu backend.

import type { PortDef, PortSignature } from '@spark-snn/config';
import { compareTrace } from '@spark-snn/testing';
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../backends/cpu/index.ts';
import { parseDefinition } from '../lang/parser.ts';
import { CORRECTED } from './compat.ts';
import { definedRule, definedSynapses, LIBRARY } from './registry.ts';
import { runFragmentOn, runFragmentReference } from './testing.ts';

const units = 2;
const pre = 3;
const steps = 8;
const kernel = [0.5, 0.2, 0.1, 0.3, 0.4, 0.6];
/** Spikes of step t: a fixed irregular pattern (every unit silent on some steps, firing on others). */
const pattern = (n: number, salt: number): number[][] =>
  Array.from({ length: steps }, (_, t) =>
    Array.from({ length: n }, (_, k) => ((t * 7 + k * 5 + salt) % 3 === 0 ? 1 : 0)),
  );
const preSpikes = pattern(pre, 1);
const postSpikes = pattern(units, 2);

/** traced_synapses restated: the per-synapse trace is state, its value the output `current`. */
const MY_TRACED = parseDefinition(`
module my_traced over synapse
param tau: f32 per synapse = 5 [ms] positive
param scale: f32 per synapse = 1
param base: f32 per synapse = 0 [pA]
state q: f32 = base [pA]
input kernel: FloatArray f32 per synapse [pA]
input spikes: SpikeArray f32 per pre
output current: CurrentArray f32 [pA]

q = base + exp(-dt / tau) * (q - base) + scale * kernel * spikes
current = q
`);

/** three_factor_hebbian_rule (async, corrected) restated with its traces as per-synapse state. */
const MY_THREE_FACTOR = parseDefinition(`
module my_three_factor over synapse
param gamma: f32 = 0.1
param pre_tau: f32 = 10 [ms] positive
param post_tau: f32 = 10 [ms] positive
state x: f32 = 0 [ms^-1]
state y: f32 = 0 [ms^-1]
input reward: FloatArray f32 per scalar
input kernel: FloatArray f32 per synapse
input pre_spikes: SpikeArray f32 per synapse
input post_spikes: SpikeArray f32 per unit
output updated_kernel: FloatArray f32

let s = abs(pre_spikes)
let z = abs(post_spikes)
x = exp(-dt / pre_tau) * x + s / pre_tau
y = exp(-dt / post_tau) * y + z / post_tau
updated_kernel = max(0, kernel + dt * (gamma * reward * (y * s + z * x)))
`);

const port = (name: string, payload: PortDef['payload']): PortDef => ({ name, payload, optional: false });
/** The ports config gives a custom synapse module and a custom rule with a reward input. */
const SYNAPSE_PORTS: PortSignature = {
  inputs: [port('spikes', 'SpikeArray')],
  outputs: [port('currents', 'CurrentArray')],
  properties: [],
};
const RULE_PORTS: PortSignature = {
  inputs: [
    port('reward', 'FloatArray'),
    port('pre_spikes', 'SpikeArray'),
    port('post_spikes', 'SpikeArray'),
    port('kernel', 'FloatArray'),
  ],
  outputs: [port('kernel', 'FloatArray')],
  properties: [],
};

describe('modules defined by equations, built like the Spark modules', () => {
  it('synapses: a restated traced_synapses gives its currents (reference and cpu)', async () => {
    const config = { kernel: [kernel.slice(0, 3), kernel.slice(3)], tau: 4, scale: 1.5, base: 0 };
    const build = (entry: (typeof LIBRARY)[string], prefix: string) =>
      entry.build({ prefix, dt: 1, units, pre, async: false, config });
    const spark = build(LIBRARY.traced_synapses!, 's');
    const mine = build(definedSynapses(MY_TRACED, 'restated', SYNAPSE_PORTS), 'm');
    expect(Object.keys(mine.inputs)).toEqual(['spikes']);
    expect(Object.keys(mine.state)).toEqual(['kernel', 'q']);
    const run = { dt: 1, steps, record: [] as string[] };
    const a = runFragmentReference(spark, {
      ...run,
      inputs: { 's.spikes': preSpikes },
      record: ['s.currents'],
    });
    const b = runFragmentReference(mine, {
      ...run,
      inputs: { 'm.spikes': preSpikes },
      record: ['m.currents'],
    });
    const c = await runFragmentOn(cpuBackend(), mine, {
      ...run,
      inputs: { 'm.spikes': preSpikes },
      record: ['m.currents'],
    });
    expect(a['s.currents']?.at(-1)?.some((v) => v !== 0)).toBe(true);
    expect(compareTrace('currents (interpreter)', b['m.currents']!, a['s.currents']!, 'exact')).toEqual([]);
    expect(compareTrace('currents (cpu)', c['m.currents']!, a['s.currents']!, 'float32')).toEqual([]);
  });

  it('synapses: spikes of the wrong extent are refused with the path', () => {
    expect(() =>
      definedSynapses(MY_TRACED, 'restated', SYNAPSE_PORTS).build({
        prefix: 'm',
        dt: 1,
        units,
        pre,
        async: true,
        config: { kernel },
      }),
    ).toThrow(/^m\.spikes: my_traced declares pre spikes but receives per-synapse spikes/);
  });

  it('plasticity: a restated three-factor rule takes its own factor input and gives the Spark kernel', () => {
    const config = { gamma: 0.2, pre_tau: 10, post_tau: 8 };
    const build = (entry: (typeof LIBRARY)[string], prefix: string) =>
      entry.build({
        prefix,
        dt: 1,
        units,
        pre,
        async: true,
        config,
        compat: CORRECTED,
        initialKernel: kernel,
      });
    const spark = build(LIBRARY.three_factor_hebbian_rule!, 's');
    const entry = definedRule(MY_THREE_FACTOR, 'restated', RULE_PORTS);
    expect(entry.inputs.map((p) => `${p.name} ${p.shape}`)).toContain('reward [1]');
    const mine = build(entry, 'm');
    expect(Object.keys(mine.inputs)).toEqual(['pre_spikes', 'post_spikes', 'reward']);
    const perSynapse = preSpikes.map((row) => [...row, ...row]);
    const reward = [[0.7]];
    const a = runFragmentReference(spark, {
      dt: 1,
      steps,
      inputs: { 's.pre_spikes': perSynapse, 's.post_spikes': postSpikes, 's.reward': reward },
      record: ['s.kernel'],
    });
    const b = runFragmentReference(mine, {
      dt: 1,
      steps,
      inputs: { 'm.pre_spikes': perSynapse, 'm.post_spikes': postSpikes, 'm.reward': reward },
      record: ['m.kernel'],
    });
    expect(Array.from(a['s.kernel']!.at(-1)!)).not.toEqual(kernel);
    for (let t = 0; t < steps; t++)
      b['m.kernel']![t]!.forEach((v, k) => {
        expect(v).toBeCloseTo(a['s.kernel']![t]![k]!, 14);
      });
  });
});
