/**
 * Plan fragments of the Spark plasticity rules: per-neuron trace modules (spike_trace), the
 * synapse-domain weight update, and a `copy` of the updated kernel back into the kernel buffer
 * (Spark's Neuron effect: the new kernel is used from the next step).
 *
 * @module
 */

import { defaultRegistry } from '@spark-snn/config';
import type { PlanBuffer, PlanOp } from '@spark-snn/core';
import type { ModuleDefinition } from '../lang/ast.ts';
import type { SparkCompat } from '../library/compat.ts';
import { float32Values, paramsFromConfig, type SparkConfigValues } from '../library/config.ts';
import {
  type Fragment,
  f32Buffer,
  mergeFragments,
  moduleFragment,
  type Params,
} from '../library/fragment.ts';
import { hebbianRuleDefinition } from './hebbian_rule.ts';
import { ojaRuleDefinition } from './oja_rule.ts';
import { quadrupletRuleDefinition } from './quadruplet_rule.ts';
import { quadrupletRuleTensorDefinition, quadrupletTensorParams } from './quadruplet_rule_tensor.ts';
import { spikeTraceDefinition } from './spike_trace.ts';
import { threeFactorHebbianRuleDefinition } from './three_factor_hebbian_rule.ts';
import { zenkeRuleDefinition } from './zenke_rule.ts';

/** Registry names of the plasticity rules. */
export const PLASTICITY_NAMES = [
  'hebbian_rule',
  'oja_rule',
  'three_factor_hebbian_rule',
  'quadruplet_rule',
  'quadruplet_rule_tensor',
  'zenke_rule',
] as const;

/** A plasticity rule registry name. */
export type PlasticityName = (typeof PLASTICITY_NAMES)[number];

/** Options of {@link buildPlasticity}. */
export interface PlasticityBuildOptions {
  readonly prefix: string;
  readonly dt: number;
  /** Postsynaptic units. */
  readonly units: number;
  /** Presynaptic units. */
  readonly pre: number;
  /** Per-synapse (async) pre spikes. */
  readonly async: boolean;
  readonly config: SparkConfigValues;
  readonly compat: SparkCompat;
  /** An existing kernel buffer (the synapses' kernel) to update; otherwise one is created. */
  readonly kernel?: string;
  /** Initial kernel when the rule creates its own buffer. */
  readonly initialKernel?: ArrayLike<number>;
  /** Inhibition masks (quadruplet_rule_tensor). */
  readonly inhibitionPre?: ArrayLike<number>;
  readonly inhibitionPost?: ArrayLike<number>;
  /** Built by a Neuron controller (quadruplet_rule_tensor's missing masks in compatibility mode). */
  readonly insideNeuron?: boolean;
}

const definitions = new Map<string, ModuleDefinition>();

/**
 * The synapse-domain update definition of a rule; the same object for the same arguments, so it is
 * compiled once however many populations use it.
 */
export function plasticityDefinition(
  name: PlasticityName,
  async: boolean,
  compat: SparkCompat,
): ModuleDefinition {
  const key = `${name}/${async}/${JSON.stringify(compat)}`;
  let def = definitions.get(key);
  if (def === undefined) {
    def = buildDefinition(name, async, compat);
    definitions.set(key, def);
  }
  return def;
}

function buildDefinition(name: PlasticityName, async: boolean, compat: SparkCompat): ModuleDefinition {
  switch (name) {
    case 'hebbian_rule':
      return hebbianRuleDefinition(async);
    case 'oja_rule':
      return ojaRuleDefinition(async);
    case 'three_factor_hebbian_rule':
      return threeFactorHebbianRuleDefinition(async, compat);
    case 'quadruplet_rule':
      return quadrupletRuleDefinition(async);
    case 'quadruplet_rule_tensor':
      return quadrupletRuleTensorDefinition(async, compat);
    case 'zenke_rule':
      return zenkeRuleDefinition(async);
  }
}

/** Rules with a per-neuron pre trace (`pre_tau`; per synapse instead when the pre spikes are). */
export const PRE_TRACE_RULES: ReadonlySet<PlasticityName> = new Set([
  'hebbian_rule',
  'three_factor_hebbian_rule',
  'quadruplet_rule',
  'zenke_rule',
]);
/** Rules with a per-neuron post trace (`post_tau`). */
export const POST_TRACE_RULES: ReadonlySet<PlasticityName> = new Set([
  'hebbian_rule',
  'oja_rule',
  'three_factor_hebbian_rule',
  'quadruplet_rule',
  'zenke_rule',
]);

/** The per-neuron traces of a rule: the config field of each trace's time constant. */
export function traceFields(name: PlasticityName, async: boolean): string[] {
  const out: string[] = [];
  if (PRE_TRACE_RULES.has(name) && !async) out.push('pre_tau');
  if (POST_TRACE_RULES.has(name)) out.push('post_tau');
  if (name === 'zenke_rule') out.push('post_slow_tau');
  return out;
}

const traceDefinitions = new Map<string, ModuleDefinition>();

function traceFragment(
  prefix: string,
  tauName: string,
  rule: PlasticityName,
  size: number,
  dt: number,
  config: SparkConfigValues,
  spikes: string,
): Fragment {
  const key = `${tauName}/${rule}`;
  let def = traceDefinitions.get(key);
  if (def === undefined) {
    def = spikeTraceDefinition(tauName, rule);
    traceDefinitions.set(key, def);
  }
  return moduleFragment(def, { prefix, size, dt, params: paramsFromConfig(def, config), bind: { spikes } });
}

/**
 * Builds a rule. Ports: inputs `pre_spikes`, `post_spikes` and `reward` / `modulation` where the
 * rule has one; output `kernel` (the updated kernel buffer); state: the traces.
 */
export function buildPlasticity(name: PlasticityName, o: PlasticityBuildOptions): Fragment {
  const n = o.units * o.pre;
  const parts: Fragment[] = [];
  const buffers: PlanBuffer[] = [];
  const preSpikes = f32Buffer(`${o.prefix}.pre_spikes`, o.async ? [o.units, o.pre] : [o.pre]);
  const postSpikes = f32Buffer(`${o.prefix}.post_spikes`, [o.units]);
  buffers.push(preSpikes, postSpikes);
  const inputs: Record<string, string> = { pre_spikes: preSpikes.name, post_spikes: postSpikes.name };
  const state: Record<string, string> = {};
  let kernel = o.kernel;
  if (kernel === undefined) {
    kernel = `${o.prefix}.kernel`;
    const init =
      o.initialKernel ?? (Array.isArray(o.config.kernel) ? float32Values(o.config.kernel) : undefined);
    buffers.push(f32Buffer(kernel, [o.units, o.pre], init));
  }
  const bind: Record<string, string> = { kernel, pre_spikes: preSpikes.name, post_spikes: postSpikes.name };
  // A rule's third factor (`reward`, `modulation`): the input config declares beside the spikes and kernel.
  const third = defaultRegistry.get(name)?.ports.inputs.find((p) => !(p.name in bind))?.name;
  if (third !== undefined) {
    const b = f32Buffer(`${o.prefix}.${third}`, [1]);
    buffers.push(b);
    inputs[third] = b.name;
    bind[third] = b.name;
  }
  parts.push({ buffers, ops: [], inputs: {}, outputs: {}, state: {} });
  const addTrace = (trace: string, tau: string, size: number, spikes: string): void => {
    const t = traceFragment(`${o.prefix}.${trace}`, tau, name, size, o.dt, o.config, spikes);
    parts.push(t);
    bind[trace] = t.state.trace as string;
    state[trace] = t.state.trace as string;
  };
  if (PRE_TRACE_RULES.has(name) && !o.async) addTrace('pre_trace', 'pre_tau', o.pre, preSpikes.name);
  if (POST_TRACE_RULES.has(name)) addTrace('post_trace', 'post_tau', o.units, postSpikes.name);
  if (name === 'zenke_rule') addTrace('post_slow_trace', 'post_slow_tau', o.units, postSpikes.name);
  const def = plasticityDefinition(name, o.async, o.compat);
  let params: Params;
  if (name === 'quadruplet_rule_tensor') {
    params = quadrupletTensorParams(o.config, {
      units: o.units,
      pre: o.pre,
      dt: o.dt,
      float16: o.compat.quadrupletFloat16Params,
      masksMissing: o.compat.quadrupletNeuronMasksMissing && o.insideNeuron === true,
      ...(o.inhibitionPre !== undefined ? { inhibitionPre: o.inhibitionPre } : {}),
      ...(o.inhibitionPost !== undefined ? { inhibitionPost: o.inhibitionPost } : {}),
    });
  } else params = paramsFromConfig(def, o.config);
  const update = moduleFragment(def, {
    prefix: `${o.prefix}.update`,
    size: n,
    nPre: o.pre,
    dt: o.dt,
    params,
    bind,
  });
  parts.push(update);
  for (const [k, v] of Object.entries(update.state)) state[k] = v;
  const copy: PlanOp = {
    op: 'copy',
    name: `${o.prefix}.write_kernel`,
    bindings: { src: update.outputs.updated_kernel as string, dst: kernel },
  };
  parts.push({ buffers: [], ops: [copy], inputs: {}, outputs: {}, state: {} });
  return mergeFragments(parts, { inputs, outputs: { kernel }, state });
}
