// A pool as inside Spark's neurons (delays → synapses → a plasticity rule), its spike streams and a
// float16 variant: the plans the event-driven form is tested on (src/events/plan.test.ts on cpu,
// test/webgpu-events.test.ts on webgpu).
import { type Plan, type PlanOp, toFloat16Array } from '@spark-snn/core';
import { relDiff } from '@spark-snn/testing';
import { buildN2NDelays } from '../../src/delays/n2n_delays.ts';
import type { EventPlan } from '../../src/events/plan.ts';
import { lcg } from '../../src/lang/testing.ts';
import { CORRECTED, SPARK_COMPAT, type SparkCompat } from '../../src/library/compat.ts';
import { type Fragment, fragmentPlan, mergeFragments, rebind } from '../../src/library/fragment.ts';
import type { ModuleOpAttrs } from '../../src/ops/module/op.ts';
import { buildPlasticity, type PlasticityName } from '../../src/plasticity/build.ts';
import { buildSynapses, type SynapseName } from '../../src/synapses/build.ts';

export const POST = 12;
export const PRE = 20;

/** A pool as inside Spark's neurons: delays → synapses (+ row sum) → a plasticity rule on the synapses' kernel. */
export function pool(o: {
  synapses: SynapseName;
  synapseConfig?: Record<string, unknown>;
  rule?: PlasticityName;
  ruleConfig?: Record<string, unknown>;
  compat?: SparkCompat;
  masks?: boolean;
  seed?: number;
}): { plan: Plan; post: string; third?: string } {
  const rnd = lcg(o.seed ?? 3);
  const compat = o.compat ?? SPARK_COMPAT;
  const delays = buildN2NDelays({
    prefix: 'd',
    dt: 1,
    pre: PRE,
    units: POST,
    config: { max_delay: 4, delays: Array.from({ length: POST * PRE }, () => 1 + Math.floor(rnd() * 4)) },
    compat,
  });
  const kernel = Array.from({ length: POST * PRE }, () => (rnd() < 0.3 ? rnd() * 6 : 0));
  // A few weights outside the rule's range: the event form clips them once at load.
  kernel[3] = -0.5;
  kernel[7] = 80;
  let syn = buildSynapses(o.synapses, {
    prefix: 's',
    dt: 1,
    units: POST,
    pre: PRE,
    async: true,
    config: { kernel, tau: 5, ...o.synapseConfig },
  });
  syn = rebind(syn, syn.inputs.spikes as string, delays.outputs.out_spikes as string);
  const parts: Fragment[] = [delays, syn];
  let post = '';
  let third: string | undefined;
  if (o.rule) {
    let rule = buildPlasticity(o.rule, {
      prefix: 'p',
      dt: 1,
      units: POST,
      pre: PRE,
      async: true,
      config: o.ruleConfig ?? {},
      compat,
      kernel: syn.state.kernel as string,
      ...(o.masks
        ? {
            inhibitionPre: Array.from({ length: PRE }, (_, j) => (j % 3 === 0 ? 1 : 0)),
            inhibitionPost: Array.from({ length: POST }, (_, i) => (i % 4 === 0 ? 1 : 0)),
          }
        : {}),
      insideNeuron: true,
    });
    rule = rebind(rule, rule.inputs.pre_spikes as string, delays.outputs.out_spikes as string);
    parts.push(rule);
    post = rule.inputs.post_spikes as string;
    third = rule.inputs.modulation ?? rule.inputs.reward;
  }
  const f = mergeFragments(parts, { inputs: {}, outputs: {}, state: {} });
  return { plan: fragmentPlan(f, 1, 5), post, ...(third ? { third } : {}) };
}

/** Random spike streams: presynaptic (signed) and postsynaptic, and the third factor. */
export function streams(steps: number, post: string, third: string | undefined, seed: number) {
  const rnd = lcg(seed);
  const inputs: Record<string, Float32Array> = {
    'd.in_spikes': Float32Array.from({ length: steps * PRE }, () =>
      rnd() < 0.1 ? (rnd() < 0.3 ? -1 : 1) : 0,
    ),
  };
  if (post) inputs[post] = Float32Array.from({ length: steps * POST }, () => (rnd() < 0.08 ? 1 : 0));
  if (third) inputs[third] = Float32Array.from({ length: steps }, () => rnd() - 0.4);
  return inputs;
}

/**
 * The plan with float16 storage for `ports` of module op `op` (as nn's precision pass stores a float16
 * module's state): the definition's ports and their buffers (initial values as half bits).
 */
export function withFloat16(plan: Plan, op: string, ports: readonly string[]): Plan {
  const target = plan.ops.find((o) => o.name === op) as PlanOp;
  const a = target.attrs as unknown as ModuleOpAttrs;
  const half = <T extends { readonly name: string }>(xs: readonly T[]): T[] =>
    xs.map((x) => (ports.includes(x.name) ? { ...x, storage: 'float16' } : x));
  const d = a.definition;
  const definition = { ...d, state: half(d.state), inputs: half(d.inputs), outputs: half(d.outputs) };
  const bound = new Set(ports.map((p) => target.bindings[p]));
  return {
    ...plan,
    buffers: plan.buffers.map((b) => {
      if (!bound.has(b.name)) return b;
      const n = b.shape.reduce((x, y) => x * y, 1);
      const values = typeof b.init === 'object' ? b.init : new Float32Array(n).fill(b.init ?? 0);
      return { ...b, dtype: 'float16', init: toFloat16Array(values) };
    }),
    ops: plan.ops.map((o) => (o === target ? { ...o, attrs: { ...o.attrs, definition } } : o)),
  };
}

/** The rules the event form admits, as pools test them: name, rule, compatibility, E/I masks. */
export const EVENT_RULES: Array<[string, PlasticityName, SparkCompat, boolean]> = [
  ['quadruplet_rule_tensor, Spark (all EE)', 'quadruplet_rule_tensor', SPARK_COMPAT, false],
  [
    'quadruplet_rule_tensor, corrected with E/I masks (4 synapse types)',
    'quadruplet_rule_tensor',
    CORRECTED,
    true,
  ],
  ['hebbian_rule', 'hebbian_rule', CORRECTED, false],
  ['three_factor_hebbian_rule', 'three_factor_hebbian_rule', SPARK_COMPAT, false],
  ['quadruplet_rule', 'quadruplet_rule', CORRECTED, false],
];

/** The rule configuration the pool tests use (learning fast enough to change many weights). */
export function ruleConfigOf(rule: PlasticityName): Record<string, unknown> {
  return rule === 'quadruplet_rule_tensor' ? { eta: 0.5 } : { eta: 0.5, gamma: 0.5 };
}

/** The pool's plan with its kernel clipped as the event form clips it at load (the dense rule clips
 * a weight at its first update; the synapses read it before). */
export function clippedKernel(plan: Plan, ev: EventPlan): Plan {
  return {
    ...plan,
    buffers: plan.buffers.map(
      (b) => ev.plan.buffers.find((e) => e.name === b.name && b.name === 's.kernel') ?? b,
    ),
  };
}

/** How many elements differ bit for bit (−0 ≠ +0). */
export function bitwise(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) n++;
  return n;
}

/** The largest |a − b| / max(1, |b|): row sums kept incrementally vs re-summed, at the row's scale. */
export function worstRelative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, relDiff(a[k] as number, b[k] as number));
  return worst;
}

/**
 * The corrected quadruplet tensor pool (4 synapse types) with its rule's traces and postsynaptic
 * spikes stored as float16 (`plan`; `p32` the float32 original), and `steps` steps of spikes with the
 * postsynaptic ones as the float16 buffer holds them: half bits.
 */
export function float16Pool(steps: number) {
  const {
    plan: p32,
    post,
    third,
  } = pool({
    synapses: 'traced_synapses',
    rule: 'quadruplet_rule_tensor',
    compat: CORRECTED,
    masks: true,
    ruleConfig: { eta: 0.5 },
  });
  const plan = withFloat16(p32, 'p.update', ['pre_trace', 'post_trace', 'post_spikes']);
  const spikes = streams(steps, post, third, 9);
  const inputs = { ...spikes, [post]: toFloat16Array(spikes[post] as Float32Array) };
  return { p32, plan, inputs };
}

/**
 * A pool of traced synapses with plasticity rule `rule` (as {@link EVENT_RULES} lists them), its
 * `steps` steps of spikes, and the per-synapse traces of the rule the event form shares.
 */
export function rulePool(rule: PlasticityName, compat: SparkCompat, masks: boolean, steps: number) {
  const { plan, post, third } = pool({
    synapses: 'traced_synapses',
    rule,
    compat,
    masks,
    ruleConfig: ruleConfigOf(rule),
  });
  const traces = [
    'p.update.pre_trace',
    ...(rule === 'quadruplet_rule_tensor' ? ['p.update.post_trace'] : []),
  ];
  return { plan, inputs: streams(steps, post, third, 9), traces };
}
