/**
 * Plan fragments of plasticity rules — the Spark ones and user-defined ones alike: per-neuron trace
 * modules (spike_trace), the synapse-domain weight update, and a `copy` of the updated kernel back into the kernel buffer
 * (Spark's Neuron effect: the new kernel is used from the next step).
 *
 * @module
 */

import type { PlanBuffer, PlanOp } from '@spark-snn/core';
import type { ModuleDefinition } from '../lang/ast.ts';
import type { SparkCompat } from '../library/compat.ts';
import { float32Values, paramsFromConfig } from '../library/config.ts';
import {
  type Fragment,
  f32Buffer,
  mergeFragments,
  moduleFragment,
  type Params,
} from '../library/fragment.ts';
import type { ProjectionBuildOptions } from '../synapses/build.ts';
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
export interface PlasticityBuildOptions extends ProjectionBuildOptions {
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

/** A per-neuron spike trace a rule's update reads (computed before the update, every step). */
export interface RuleTrace {
  /** The update's input (and the fragment's state) it feeds, e.g. `pre_trace`. */
  readonly name: string;
  /** The spikes it traces. */
  readonly of: 'pre_spikes' | 'post_spikes';
  /** The unit-domain trace definition (input `spikes`, state `trace`). */
  readonly definition: ModuleDefinition;
}

/**
 * What a plasticity rule computes: a synapse-domain update (inputs `kernel`, `pre_spikes`,
 * `post_spikes`, its traces and any further factor such as `reward`; output `updated_kernel`),
 * the per-neuron traces it reads, and its parameter values.
 */
export interface PlasticityModel {
  readonly definition: ModuleDefinition;
  /** Per-neuron traces (none for a rule that keeps its traces as its own state). */
  readonly traces?: readonly RuleTrace[];
  /** The update's parameter values (default: the config's values of its parameters). */
  readonly params?: (o: PlasticityBuildOptions) => Params;
}

const traceDefinitions = new Map<string, ModuleDefinition>();

function traceDefinition(tauName: string, rule: PlasticityName): ModuleDefinition {
  const key = `${tauName}/${rule}`;
  let def = traceDefinitions.get(key);
  if (def === undefined) {
    def = spikeTraceDefinition(tauName, rule);
    traceDefinitions.set(key, def);
  }
  return def;
}

/** The model of a Spark rule (its definition and traces for the given spikes and switches). */
export function plasticityModel(name: PlasticityName, async: boolean, compat: SparkCompat): PlasticityModel {
  const traces = traceFields(name, async).map(
    (tau): RuleTrace => ({
      name: tau.replace(/_tau$/, '_trace'),
      of: tau === 'pre_tau' ? 'pre_spikes' : 'post_spikes',
      definition: traceDefinition(tau, name),
    }),
  );
  return {
    definition: plasticityDefinition(name, async, compat),
    traces,
    ...(name === 'quadruplet_rule_tensor'
      ? {
          params: (o: PlasticityBuildOptions) =>
            quadrupletTensorParams(o.config, {
              units: o.units,
              pre: o.pre,
              dt: o.dt,
              float16: o.compat.quadrupletFloat16Params,
              masksMissing: o.compat.quadrupletNeuronMasksMissing && o.insideNeuron === true,
              ...(o.inhibitionPre !== undefined ? { inhibitionPre: o.inhibitionPre } : {}),
              ...(o.inhibitionPost !== undefined ? { inhibitionPost: o.inhibitionPost } : {}),
            }),
        }
      : {}),
  };
}

/** The buffer shape of an input of the given extent. */
function extentShape(extent: string | undefined, units: number, pre: number): number[] {
  if (extent === 'scalar') return [1];
  if (extent === 'unit') return [units];
  if (extent === 'pre') return [pre];
  return [units, pre];
}

/**
 * Builds a rule: a Spark one by name, or a {@link PlasticityModel} (a user definition). Ports:
 * inputs `pre_spikes`, `post_spikes` and every further input of the update (`reward`,
 * `modulation`, …); output `kernel` (the updated kernel buffer); state: the traces and the update's
 * state.
 */
export function buildPlasticity(rule: PlasticityName | PlasticityModel, o: PlasticityBuildOptions): Fragment {
  const model = typeof rule === 'string' ? plasticityModel(rule, o.async, o.compat) : rule;
  const def = model.definition;
  const traces = model.traces ?? [];
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
  // Further factors (`reward`, `modulation`, a user rule's own inputs): the update's other inputs.
  const traced = new Set(traces.map((t) => t.name));
  for (const input of def.inputs) {
    if (input.name in bind || traced.has(input.name)) continue;
    const b = f32Buffer(`${o.prefix}.${input.name}`, extentShape(input.extent, o.units, o.pre));
    buffers.push(b);
    inputs[input.name] = b.name;
    bind[input.name] = b.name;
  }
  parts.push({ buffers, ops: [], inputs: {}, outputs: {}, state: {} });
  for (const t of traces) {
    const f = moduleFragment(t.definition, {
      prefix: `${o.prefix}.${t.name}`,
      size: t.of === 'pre_spikes' ? o.pre : o.units,
      dt: o.dt,
      params: paramsFromConfig(t.definition, o.config),
      bind: { spikes: bind[t.of] as string },
    });
    parts.push(f);
    bind[t.name] = f.state.trace as string;
    state[t.name] = f.state.trace as string;
  }
  const update = moduleFragment(def, {
    prefix: `${o.prefix}.update`,
    size: n,
    nPre: o.pre,
    dt: o.dt,
    params: model.params?.(o) ?? paramsFromConfig(def, o.config),
    bind,
    ...(o.streamBase !== undefined ? { streamBase: o.streamBase } : {}),
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
