/**
 * Spark's plasticity rules (spark-reference §2.5): Hebbian, Oja, three-factor, quadruplet and Zenke.
 *
 * @module
 */

import { type FieldSpec, floatField, floatTupleField, paramField } from '../fields.ts';
import type { ModuleDefinition, PortDef } from '../registry.ts';
import { DEFAULT_FIELDS, p } from './common.ts';

const plasticityPorts = (extra?: PortDef) => ({
  inputs: [
    ...(extra ? [extra] : []),
    p('pre_spikes', 'SpikeArray'),
    p('post_spikes', 'SpikeArray'),
    p('kernel', 'FloatArray'),
  ],
  outputs: [p('kernel', 'FloatArray')],
  properties: [],
});

const tauP = (name: string, def: number, what: string) =>
  paramField(name, def, 'ms', `Time constant of the ${what} trace.`, { validators: ['positive'] });
const rate = (name: string, def: number, what = 'Learning rate.') => floatField(name, def, what);
const quad = (name: string, def: number[], what: string, o: Partial<FieldSpec> = {}) =>
  floatTupleField(name, def, `${what} per synapse type (EE, EI, IE, II; post then pre).`, o);
/** The quadruplet rules' four terms: name and what it weighs. */
const QUAD_TERMS = [
  ['q_alpha', 'Presynaptic-only term α'],
  ['q_beta', 'Post-trace × pre-spike term β'],
  ['q_gamma', 'Postsynaptic-only term γ'],
  ['q_delta', 'Pre-trace × post-spike term δ'],
] as const;

const plast = (
  name: string,
  className: string,
  fields: FieldSpec[],
  docs: string,
  extra?: PortDef,
): ModuleDefinition => ({
  name,
  className,
  kind: 'plasticity',
  fields: [...DEFAULT_FIELDS, ...fields],
  ports: plasticityPorts(extra),
  docs,
});

export const PLASTICITY: ModuleDefinition[] = [
  plast(
    'hebbian_rule',
    'HebbianRule',
    [tauP('pre_tau', 20, 'presynaptic'), tauP('post_tau', 20, 'postsynaptic'), rate('eta', 0.01)],
    'ΔW = η (y_i s_j + z_i x_j); W ← max(0, W + dt ΔW).',
  ),
  plast(
    'oja_rule',
    'OjaRule',
    [tauP('post_tau', 20, 'postsynaptic'), rate('eta', 0.1)],
    'ΔW = η (y_i s_j − W_ij y_i²); clipped at 0.',
  ),
  plast(
    'three_factor_hebbian_rule',
    'ThreeFactorHebbianRule',
    [tauP('pre_tau', 10, 'presynaptic'), tauP('post_tau', 10, 'postsynaptic'), rate('gamma', 0.1)],
    'ΔW = γ (r + 0.1)(y_i s_j + z_i x_ij). Needs async (per-synapse) pre-spikes in Spark.',
    p('reward', 'FloatArray'),
  ),
  plast(
    'quadruplet_rule',
    'QuadrupletRule',
    [
      tauP('pre_tau', 10, 'presynaptic'),
      tauP('post_tau', 10, 'postsynaptic'),
      ...QUAD_TERMS.map(([name, what]) => floatField(name, 1.0, `${what}.`)),
      rate('gamma', 0.1),
    ],
    'Reward-modulated quadruplet rule. Cannot be built in Spark (§7.4); spark-snn builds it with `gamma` as the learning rate.',
    p('modulation', 'FloatArray'),
  ),
  plast(
    'quadruplet_rule_tensor',
    'QuadrupletRuleTensor',
    [
      quad('pre_tau', [10, 10, 10, 10], 'Presynaptic trace time constant', {
        units: 'ms',
        validators: ['positive'],
      }),
      quad('post_tau', [10, 10, 10, 10], 'Postsynaptic trace time constant', {
        units: 'ms',
        validators: ['positive'],
      }),
      ...QUAD_TERMS.map(([name, what]) => quad(name, [1, 1, 1, 1], what)),
      quad('max_clip', [20, 20, 20, 20], 'Upper weight bound'),
      rate('eta', 0.1),
    ],
    'Quadruplet rule with per-synapse-type parameters (EE, EI, IE, II); W ← clip(W + dt ΔW, 0, max).',
    p('modulation', 'FloatArray'),
  ),
  plast(
    'zenke_rule',
    'ZenkeRule',
    [
      tauP('pre_tau', 20, 'presynaptic'),
      tauP('post_tau', 20, 'fast postsynaptic'),
      tauP('post_slow_tau', 20, 'slow postsynaptic'),
      tauP('target_tau', 20000, 'target weight'),
      floatField('a', 1.0, 'Triplet LTP amplitude.'),
      floatField('b', -1.0, 'Doublet LTD amplitude.'),
      floatField('c', -1.0, 'Heterosynaptic amplitude.'),
      floatField('d', 1.0, 'Transmitter-induced amplitude.'),
      floatField('p', 20.0, 'Consolidation strength P.'),
      rate('eta', 0.1),
    ],
    'Zenke et al. consolidation rule with a per-synapse target weight.',
  ),
];
