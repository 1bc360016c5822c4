/**
 * Plan fragments of the Spark interfaces: spikers (unit or element × place-cell domain), the
 * exponential integrator (unsigned spikes → group sums → per-group traces) and the control modules
 * (concat, concat_reshape, sampler: the `concat` op and one-member group sums).
 *
 * @module
 */

import { CounterRng, type PlanBuffer, type PlanOp } from '@spark-snn/core';
import type { SparkCompat } from '../library/compat.ts';
import { flattenValues, paramsFromConfig, type SparkConfigValues } from '../library/config.ts';
import { type Fragment, f32Buffer, mergeFragments, moduleFragment } from '../library/fragment.ts';
import { exponentialIntegratorDefinition } from './exponential_integrator.ts';
import { linearSpiker } from './linear_spiker.ts';
import { poissonSpiker } from './poisson_spiker.ts';
import {
  placeCellSpace,
  topologicalLinearSpikerDefinition,
  topologicalPoissonSpiker,
} from './topological_spikers.ts';

/** Options shared by the interface builders. */
export interface InterfaceBuildOptions {
  readonly prefix: string;
  readonly dt: number;
  readonly config: SparkConfigValues;
  readonly compat: SparkCompat;
  /** RNG stream base of the random spikers. */
  readonly streamBase?: number;
}

/** `poisson_spiker` / `linear_spiker` over `n` inputs: input `signal`, output `spikes`. */
export function buildSpiker(
  name: 'poisson_spiker' | 'linear_spiker',
  n: number,
  o: InterfaceBuildOptions,
): Fragment {
  const def = name === 'poisson_spiker' ? poissonSpiker : linearSpiker;
  return moduleFragment(def, {
    prefix: o.prefix,
    size: n,
    dt: o.dt,
    params: paramsFromConfig(def, o.config),
    ...(o.streamBase !== undefined ? { streamBase: o.streamBase } : {}),
  });
}

/** Topological spikers over `n` input elements: output `spikes` of `n × resolution` (flat `d·R + k`). */
export function buildTopologicalSpiker(
  name: 'topological_linear_spiker' | 'topological_poisson_spiker',
  n: number,
  o: InterfaceBuildOptions,
): Fragment {
  const def =
    name === 'topological_linear_spiker' ? topologicalLinearSpikerDefinition() : topologicalPoissonSpiker;
  const r = typeof o.config.resolution === 'number' ? o.config.resolution : 64;
  if (!Number.isInteger(r) || r < 2)
    throw new RangeError(`config.resolution: must be an integer ≥ 2, got ${r}`);
  const params = {
    ...paramsFromConfig(def, o.config),
    _space: placeCellSpace(r),
    ...(name === 'topological_linear_spiker'
      ? { _dt_scale: o.compat.topologicalDropsDt ? 1 / o.dt : 1 }
      : {}),
  };
  return moduleFragment(def, {
    prefix: o.prefix,
    size: n * r,
    nPre: r,
    dt: o.dt,
    params,
    ...(o.streamBase !== undefined ? { streamBase: o.streamBase } : {}),
  });
}

/** Group index of every input and the group sizes c_k used by σ_k (see exponential_integrator). */
export function integratorGroups(
  n: number,
  config: SparkConfigValues,
  compat: SparkCompat,
  seed: number,
): { index: number[]; sizes: number[] } {
  const k = config.num_outputs;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1)
    throw new RangeError(`config.num_outputs: must be a positive integer, got ${String(k)}`);
  const even = Array.from({ length: k }, (_, g) => Math.floor(n / k) + (g < n % k ? 1 : 0));
  let index: number[];
  if (Array.isArray(config.output_map)) {
    index = flattenValues(config.output_map, 'config.output_map').map((x) => Math.trunc(x));
    if (index.length !== n || index.some((g) => g < 0 || g >= k))
      throw new RangeError(`config.output_map: expected ${n} group indices in [0, ${k})`);
    if (!compat.integratorOutputMapSizes)
      return { index, sizes: even.map((_, g) => Math.max(1, index.filter((x) => x === g).length)) };
    return { index, sizes: even };
  }
  index = even.flatMap((c, g) => new Array<number>(c).fill(g));
  if (config.shuffle !== false) {
    const rng = new CounterRng(seed);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform(0, 0, i) * (i + 1));
      const t = index[i] as number;
      index[i] = index[j] as number;
      index[j] = t;
    }
  }
  return { index, sizes: even };
}

/** `exponential_integrator` over `n` spike inputs: input `spikes`, output `signal` [num_outputs]. */
export function buildExponentialIntegrator(
  n: number,
  o: InterfaceBuildOptions & { seed?: number },
): Fragment {
  const seed = o.seed ?? (typeof o.config.seed === 'number' ? o.config.seed : 0);
  const { index, sizes } = integratorGroups(n, o.config, o.compat, seed);
  const k = sizes.length;
  const spikes = f32Buffer(`${o.prefix}.spikes`, [n]);
  const members: number[] = [];
  const offsets: number[] = [0];
  for (let g = 0; g < k; g++) {
    index.forEach((gi, i) => {
      if (gi === g) members.push(i);
    });
    offsets.push(members.length);
  }
  const offsetsBuf: PlanBuffer = {
    name: `${o.prefix}.group_offsets`,
    dtype: 'int32',
    shape: [k + 1],
    init: Int32Array.from(offsets),
  };
  const membersBuf: PlanBuffer = {
    name: `${o.prefix}.group_members`,
    dtype: 'int32',
    shape: [Math.max(1, members.length)],
    init: Int32Array.from(members.length > 0 ? members : [0]),
  };
  const counts = f32Buffer(`${o.prefix}.counts`, [k]);
  const sum: PlanOp = {
    op: 'reduce.group_sum',
    name: `${o.prefix}.group_sum`,
    bindings: { input: spikes.name, offsets: offsetsBuf.name, members: membersBuf.name, out: counts.name },
    attrs: { n, groups: k, abs: true },
  };
  const def = exponentialIntegratorDefinition(o.config.smooth_trace !== false, o.compat);
  const trace = moduleFragment(def, {
    prefix: o.prefix,
    size: k,
    dt: o.dt,
    params: { ...paramsFromConfig(def, o.config), _group_size: sizes },
    bind: { counts: counts.name },
  });
  return mergeFragments(
    [
      { buffers: [spikes, offsetsBuf, membersBuf, counts], ops: [sum], inputs: {}, outputs: {}, state: {} },
      trace,
    ],
    {
      inputs: { spikes: spikes.name },
      outputs: { signal: trace.outputs.signal as string },
      state: { ...trace.state, counts: counts.name },
    },
  );
}

/** `concat` (and `concat_reshape` with `reshape`): inputs `inputs_0..`, output `output` (flattened concatenation). */
export function buildConcat(prefix: string, sizes: readonly number[], reshape?: readonly number[]): Fragment {
  if (sizes.length === 0 || sizes.some((s) => !Number.isInteger(s) || s < 1))
    throw new RangeError(`${prefix}: concat needs at least one input of positive size`);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (reshape !== undefined && reshape.reduce((a, b) => a * b, 1) !== total)
    throw new RangeError(`config.reshape: [${reshape.join(', ')}] does not hold ${total} values`);
  const inputs = sizes.map((s, i) => f32Buffer(`${prefix}.inputs_${i}`, [s]));
  const out = f32Buffer(`${prefix}.output`, [total]);
  const op: PlanOp = {
    op: 'concat',
    name: prefix,
    bindings: { out: out.name, ...Object.fromEntries(inputs.map((b, i) => [`in${i}`, b.name])) },
    attrs: { sizes: [...sizes] },
  };
  return {
    buffers: [...inputs, out],
    ops: [op],
    inputs: Object.fromEntries(inputs.map((b, i) => [`inputs_${i}`, b.name])),
    outputs: { output: out.name },
    state: {},
  };
}

/** `sampler`: `sample_size` indices drawn with replacement at build; input `inputs` [n], output `output` (a gather: one-member group sums). */
export function buildSampler(
  prefix: string,
  n: number,
  sampleSize: number,
  seed: number,
): Fragment & { readonly indices: readonly number[] } {
  if (!Number.isInteger(sampleSize) || sampleSize < 1)
    throw new RangeError(`config.sample_size: must be a positive integer, got ${sampleSize}`);
  const rng = new CounterRng(seed);
  const idx = Array.from({ length: sampleSize }, (_, k) =>
    Math.min(n - 1, Math.floor(rng.uniform(0, 0, k) * n)),
  );
  const input = f32Buffer(`${prefix}.inputs`, [n]);
  const out = f32Buffer(`${prefix}.output`, [sampleSize]);
  const offsets: PlanBuffer = {
    name: `${prefix}.offsets`,
    dtype: 'int32',
    shape: [sampleSize + 1],
    init: Int32Array.from({ length: sampleSize + 1 }, (_, k) => k),
  };
  const members: PlanBuffer = {
    name: `${prefix}.members`,
    dtype: 'int32',
    shape: [sampleSize],
    init: Int32Array.from(idx),
  };
  const op: PlanOp = {
    op: 'reduce.group_sum',
    name: prefix,
    bindings: { input: input.name, offsets: offsets.name, members: members.name, out: out.name },
    attrs: { n, groups: sampleSize },
  };
  return {
    buffers: [input, offsets, members, out],
    ops: [op],
    inputs: { inputs: input.name },
    outputs: { output: out.name },
    state: {},
    indices: idx,
  };
}
