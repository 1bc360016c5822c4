/**
 * Plan fragments of synapse modules — the four Spark ones and user-defined ones alike: the kernel
 * buffer (explicit array or drawn initializer), the per-synapse definition, and the dense ops
 * (propagation of `W·s` for linear synapses, row sums of the per-synapse currents otherwise).
 *
 * @module
 */

import type { PlanBuffer, PlanOp } from '@spark-snn/core';
import { drawInitializer } from '../initializers/draw.ts';
import type { ModuleDefinition } from '../lang/ast.ts';
import { float32Values, paramsFromConfig, type SparkConfigValues } from '../library/config.ts';
import { type Fragment, f32Buffer, mergeFragments, moduleFragment } from '../library/fragment.ts';
import { rdTracedSynapsesDefinition } from './rd_traced_synapses.ts';
import { rfsTracedSynapsesDefinition } from './rfs_traced_synapses.ts';
import { tracedSynapsesDefinition } from './traced_synapses.ts';

/** Registry names of the synapse modules. */
export const SYNAPSE_NAMES = [
  'linear_synapses',
  'traced_synapses',
  'rd_traced_synapses',
  'rfs_traced_synapses',
] as const;

/** A synapse registry name. */
export type SynapseName = (typeof SYNAPSE_NAMES)[number];

/** What the builders of synapse-domain modules (synapses, plasticity rules) are given. */
export interface ProjectionBuildOptions {
  /** Prefix of every buffer and op name. */
  readonly prefix: string;
  readonly dt: number;
  /** Postsynaptic units (`prod(config.units)`). */
  readonly units: number;
  /** Presynaptic units. */
  readonly pre: number;
  /** Per-synapse (async) presynaptic spikes. */
  readonly async: boolean;
  readonly config: SparkConfigValues;
  /** First RNG stream of the per-synapse definition's draws. */
  readonly streamBase?: number;
}

/** Options of {@link buildSynapses}. */
export interface SynapsesBuildOptions extends ProjectionBuildOptions {
  /** Seed of initializer draws (config `seed` when absent). */
  readonly seed?: number;
}

/**
 * What a synapse module computes per synapse: a definition over synapses (inputs `kernel` and
 * `spikes`) and which of its outputs or state variables is a synapse's current, summed per
 * postsynaptic unit into `currents`; without a definition, the plain propagation `W·s`.
 */
export interface SynapseModel {
  readonly definition?: ModuleDefinition;
  /** An output or state variable of `definition`: the per-synapse current. */
  readonly current?: string;
}

const definitions = new Map<string, ModuleDefinition | undefined>();

/**
 * The per-synapse definition of a synapse module (none for linear_synapses); the same object for
 * the same arguments, so it is compiled once however many populations use it.
 */
export function synapseDefinition(name: SynapseName, async: boolean): ModuleDefinition | undefined {
  const key = `${name}/${async}`;
  if (!definitions.has(key)) definitions.set(key, buildDefinition(name, async));
  return definitions.get(key);
}

/** The model of a Spark synapse module (traced_synapses sums its trace state, the others an output). */
export function synapseModel(name: SynapseName, async: boolean): SynapseModel {
  const definition = synapseDefinition(name, async);
  if (definition === undefined) return {};
  return { definition, current: name === 'traced_synapses' ? 'current_trace' : 'contribution' };
}

function buildDefinition(name: SynapseName, async: boolean): ModuleDefinition | undefined {
  switch (name) {
    case 'linear_synapses':
      return undefined;
    case 'traced_synapses':
      return tracedSynapsesDefinition(async);
    case 'rd_traced_synapses':
      return rdTracedSynapsesDefinition(async);
    case 'rfs_traced_synapses':
      return rfsTracedSynapsesDefinition(async);
  }
}

/** The kernel `[units × pre]` from the config: an explicit array, or an initializer drawn with the seed. */
export function kernelFromConfig(
  config: SparkConfigValues,
  units: number,
  pre: number,
  seed: number,
): Float32Array {
  const k = config.kernel ?? { __class_ref__: 'SparseUniformInitializer' };
  if (Array.isArray(k) || typeof k === 'number') {
    const a =
      typeof k === 'number' ? new Float32Array(units * pre).fill(k) : float32Values(k, 'config.kernel');
    if (a.length !== units * pre)
      throw new RangeError(
        `config.kernel: expected ${units} × ${pre} = ${units * pre} values, got ${a.length}`,
      );
    return a;
  }
  return drawInitializer(k as SparkConfigValues, { rows: units, cols: pre }, seed);
}

/**
 * Builds a synapse module: a Spark one by name, or a {@link SynapseModel} (a user definition). Ports:
 * input `spikes` ([pre] or [units × pre]), output `currents` ([units]); state `kernel` (the settable
 * kernel property) and the definition's state.
 */
export function buildSynapses(synapses: SynapseName | SynapseModel, o: SynapsesBuildOptions): Fragment {
  const model = typeof synapses === 'string' ? synapseModel(synapses, o.async) : synapses;
  const seed = o.seed ?? (typeof o.config.seed === 'number' ? o.config.seed : 0);
  const kernel: PlanBuffer = {
    name: `${o.prefix}.kernel`,
    dtype: 'float32',
    shape: [o.units, o.pre],
    init: kernelFromConfig(o.config, o.units, o.pre, seed),
  };
  const spikes = f32Buffer(`${o.prefix}.spikes`, o.async ? [o.units, o.pre] : [o.pre]);
  const currents = f32Buffer(`${o.prefix}.currents`, [o.units]);
  const base: Fragment = { buffers: [kernel, spikes, currents], ops: [], inputs: {}, outputs: {}, state: {} };
  const ports = { inputs: { spikes: spikes.name }, outputs: { currents: currents.name } };
  const def = model.definition;
  if (def === undefined) {
    const op: PlanOp = {
      op: o.async ? 'dense.async' : 'dense.sync',
      name: `${o.prefix}.propagate`,
      bindings: { weights: kernel.name, spikes: spikes.name, out: currents.name },
      attrs: { post: o.units, pre: o.pre },
    };
    return mergeFragments([base, { buffers: [], ops: [op], inputs: {}, outputs: {}, state: {} }], {
      ...ports,
      state: { kernel: kernel.name },
    });
  }
  const spikeExtent = def.inputs.find((i) => i.name === 'spikes')?.extent ?? 'synapse';
  if ((spikeExtent === 'synapse') !== o.async)
    throw new RangeError(
      `${o.prefix}.spikes: ${def.name} declares ${spikeExtent} spikes but receives ${o.async ? 'per-synapse' : 'presynaptic'} spikes`,
    );
  const traces = moduleFragment(def, {
    prefix: o.prefix,
    size: o.units * o.pre,
    nPre: o.pre,
    dt: o.dt,
    params: paramsFromConfig(def, o.config),
    bind: { kernel: kernel.name, spikes: spikes.name },
    ...(o.streamBase !== undefined ? { streamBase: o.streamBase } : {}),
  });
  const perSynapse = traces.outputs[model.current ?? ''] ?? traces.state[model.current ?? ''];
  if (perSynapse === undefined)
    throw new RangeError(`${o.prefix}: ${def.name} has no output or state "${model.current}"`);
  const ones = f32Buffer(`${o.prefix}.ones`, [o.pre], 1);
  const sum: PlanOp = {
    op: 'dense.sync',
    name: `${o.prefix}.row_sum`,
    bindings: { weights: perSynapse, spikes: ones.name, out: currents.name },
    attrs: { post: o.units, pre: o.pre },
  };
  return mergeFragments([base, traces, { buffers: [ones], ops: [sum], inputs: {}, outputs: {}, state: {} }], {
    ...ports,
    state: { kernel: kernel.name, ...traces.state },
  });
}
