/**
 * Lowering of `sparse_synapses` (spark-snn's sparse connectivity): the connector (Bernoulli `p`,
 * fixed in-degree, or an explicit edge list `sources`/`targets`) is drawn at build time on the host
 * from the Philox stream of the module (`seed`, a stream allocated per module path), stored as an
 * incoming CSR and propagated by the kernels' `sparse.csr` op — event-driven on cpu, a gather or an
 * atomic scatter on webgpu, a gather on gpujs. Spikes keep their sign (inhibitory sources spike −1).
 *
 * Weights: a number is one homogeneous weight (no per-connection array), an initializer config is
 * drawn per connection (CSR edge order, from the module seed), an edge list may carry `weights`.
 * Delays: `delay` for every connection, or with `max_delay` one integer step per connection drawn
 * uniformly in `[round(delay/dt), round(max_delay/dt)]`, or per-edge `delays` with an edge list.
 * Per-connection values that turn out all equal fall back to the homogeneous fast path.
 *
 * @module
 */
import type { ConfigBody } from '@spark-snn/config';
import { CounterRng, deriveStream, shapeSize } from '@spark-snn/core';
import { edgeList, fixedInDegree, fixedProbability, type SparseDelivery } from '@spark-snn/kernels';
import { type PortValue, portSize } from '../compile/builder.ts';
import {
  CompileError,
  type LowerArgs,
  type LoweredModule,
  type ModuleLowering,
} from '../compile/lowering.ts';
import { resolveValue } from './values.ts';

function num(config: ConfigBody, key: string, path: string, fallback: number): number {
  const v = config[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new CompileError(`${path}.config.${key}`, `must be a finite number, got ${JSON.stringify(v)}`);
  return v;
}

/** A list field of numbers (or undefined when unset/null), checked element by element. */
function list(config: ConfigBody, key: string, path: string): number[] | undefined {
  const v = config[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new CompileError(`${path}.config.${key}`, 'must be a list of numbers');
  v.forEach((x, e) => {
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new CompileError(
        `${path}.config.${key}[${e}]`,
        `must be a finite number, got ${JSON.stringify(x)}`,
      );
  });
  return v as number[];
}

/** Largest delay in steps (the kernels' history ring and u16 per-connection delays). */
const MAX_DELAY_STEPS = 65535;

function allEqual(a: ArrayLike<number>): boolean {
  for (let e = 1; e < a.length; e++) if (a[e] !== a[0]) return false;
  return true;
}

/** The lowering of `sparse_synapses`. */
export const sparseSynapsesLowering: ModuleLowering = {
  name: 'sparse_synapses',
  lower({ ctx, path, section, config, inputs }: LowerArgs): LoweredModule {
    const spikes = inputs.spikes;
    if (!spikes) throw new CompileError(`${path}.inputs.spikes`, 'sparse_synapses needs its "spikes" input');
    if (spikes.asyncSpikes)
      throw new CompileError(
        `${path}.inputs.spikes`,
        'sparse_synapses takes one spike per presynaptic unit, not per-synapse (async) spikes',
      );
    const u = config.units;
    const units = Array.isArray(u) ? (u as number[]) : typeof u === 'number' ? [u] : [];
    if (units.length === 0 || units.some((d) => !Number.isInteger(d) || d <= 0))
      throw new CompileError(
        `${path}.config.units`,
        `needs the postsynaptic units (got ${JSON.stringify(u)})`,
      );
    const post = shapeSize(units);
    const pre = portSize(spikes);
    const seed = num(config, 'seed', path, 0);
    const seedInt = Math.abs(Math.trunc(seed)) % 2 ** 53;
    const stream = ctx.rngStreams(path, 1);
    const steps = (ms: number, key: string): number => {
      if (ms < 0) throw new CompileError(`${path}.config.${key}`, `must be ≥ 0, got ${ms}`);
      const d = Math.round(ms / ctx.dt);
      if (d > MAX_DELAY_STEPS)
        throw new CompileError(
          `${path}.config.${key}`,
          `${ms} ms is ${d} steps of dt = ${ctx.dt}; at most ${MAX_DELAY_STEPS} steps are supported`,
        );
      return d;
    };

    // ---- connectivity ----
    const srcList = list(config, 'sources', path);
    const tgtList = list(config, 'targets', path);
    const wList = list(config, 'weights', path);
    const dList = list(config, 'delays', path);
    let csr: { offsets: Uint32Array; sources: Uint32Array; perm?: Uint32Array };
    if (srcList !== undefined || tgtList !== undefined) {
      if (srcList === undefined || tgtList === undefined)
        throw new CompileError(
          `${path}.config.${srcList === undefined ? 'sources' : 'targets'}`,
          'an edge list needs both sources and targets',
        );
      if (tgtList.length !== srcList.length)
        throw new CompileError(
          `${path}.config.targets`,
          `has ${tgtList.length} entries; sources has ${srcList.length} (one per connection)`,
        );
      const check = (a: number[], key: string, n: number, what: string): void =>
        a.forEach((x, e) => {
          if (!(Number.isInteger(x) && x >= 0 && x < n))
            throw new CompileError(`${path}.config.${key}[${e}]`, `${x} is not a ${what} index in [0, ${n})`);
        });
      check(srcList, 'sources', pre, 'presynaptic');
      check(tgtList, 'targets', post, 'postsynaptic');
      for (const [key, a] of [
        ['weights', wList],
        ['delays', dList],
      ] as const)
        if (a !== undefined && a.length !== srcList.length)
          throw new CompileError(
            `${path}.config.${key}`,
            `has ${a.length} entries; the edge list has ${srcList.length} connections`,
          );
      csr = edgeList({ pre, post, sources: srcList, targets: tgtList });
    } else {
      for (const [key, a] of [
        ['weights', wList],
        ['delays', dList],
      ] as const)
        if (a !== undefined)
          throw new CompileError(
            `${path}.config.${key}`,
            'per-connection lists need an explicit edge list (sources and targets)',
          );
      const p = num(config, 'p', path, 0.02);
      const k = num(config, 'in_degree', path, 0);
      if (!(p >= 0 && p <= 1)) throw new CompileError(`${path}.config.p`, `must be in [0, 1], got ${p}`);
      if (!Number.isInteger(k) || k < 0)
        throw new CompileError(`${path}.config.in_degree`, `must be a non-negative integer, got ${k}`);
      const start = num(config, 'source_start', path, 0);
      const stopRaw = num(config, 'source_stop', path, 0);
      const stop = stopRaw === 0 ? pre : stopRaw;
      if (!(Number.isInteger(start) && Number.isInteger(stop) && start >= 0 && start < stop && stop <= pre))
        throw new CompileError(
          `${path}.config.source_start`,
          `the sources [${start}, ${stop}) must be a non-empty range inside the ${pre} presynaptic units`,
        );
      const sourceRange: [number, number] = [start, stop];
      csr =
        k > 0
          ? fixedInDegree({ pre, post, k, seed: seedInt, stream, sourceRange })
          : fixedProbability({ pre, post, p, seed: seedInt, stream, sourceRange });
    }
    const nnz = csr.sources.length;
    const perm = csr.perm;
    /** A per-edge list in CSR order (edge lists are reordered by `perm`). */
    const inCsrOrder = (a: number[]): Float64Array =>
      Float64Array.from({ length: nnz }, (_, e) => a[perm ? (perm[e] as number) : e] as number);

    // ---- weights ----
    let weight: number | undefined;
    let weights: Float32Array | undefined;
    if (wList !== undefined) weights = Float32Array.from(inCsrOrder(wList));
    else {
      const w = config.weight ?? 1;
      const v = resolveValue(w, `${path}.config.weight`, {
        shape: [Math.max(1, nnz)],
        seed: seedInt,
        site: `${path}.weight`,
      });
      if (typeof v === 'number') weight = v;
      else weights = Float32Array.from(v.subarray(0, nnz));
    }
    if (weights !== undefined && weights.length > 0 && allEqual(weights)) {
      weight = weights[0];
      weights = undefined;
    }
    if (weights !== undefined && weights.length === 0) {
      weight = 0;
      weights = undefined;
    }
    if (weight !== undefined && !Number.isFinite(weight))
      throw new CompileError(`${path}.config.weight`, `must be finite, got ${weight}`);

    // ---- delays ----
    let delay = 0;
    let delays: Uint32Array | undefined;
    if (dList !== undefined) {
      delays = Uint32Array.from(
        inCsrOrder(dList).map((ms, e) => {
          const at = perm ? (perm[e] as number) : e;
          if (ms < 0) throw new CompileError(`${path}.config.delays[${at}]`, `must be ≥ 0, got ${ms}`);
          return steps(ms, `delays[${at}]`);
        }),
      );
    } else {
      const d0 = steps(num(config, 'delay', path, 0), 'delay');
      const maxMs = config.max_delay;
      if (maxMs === undefined || maxMs === null) delay = d0;
      else {
        const d1 = steps(num(config, 'max_delay', path, 0), 'max_delay');
        if (d1 < d0)
          throw new CompileError(
            `${path}.config.max_delay`,
            `must be ≥ delay (${d1} < ${d0} steps of dt = ${ctx.dt})`,
          );
        if (d1 === d0) delay = d0;
        else {
          // One integer step per connection, uniform in [d0, d1], from the module seed.
          const rng = new CounterRng(seedInt >>> 0);
          const site = deriveStream(`${path}.delay`);
          const span = d1 - d0 + 1;
          delays = Uint32Array.from(
            { length: nnz },
            (_, e) => d0 + Math.floor(rng.uniform(site, 0, e) * span),
          );
        }
      }
    }
    if (delays !== undefined && (delays.length === 0 || allEqual(delays))) {
      delay = delays[0] ?? 0;
      delays = undefined;
    }
    const maxDelay = delays ? delays.reduce((m, x) => Math.max(m, x), 0) : delay;

    // ---- delivery ----
    const dv = config.delivery ?? 'auto';
    if (dv !== 'auto' && dv !== 'gather' && dv !== 'scatter')
      throw new CompileError(
        `${path}.config.delivery`,
        `must be "auto", "gather" or "scatter", got ${JSON.stringify(dv)}`,
      );
    const rate = num(config, 'expected_rate', path, 10);
    if (rate < 0) throw new CompileError(`${path}.config.expected_rate`, `must be ≥ 0, got ${rate}`);
    const activity = Math.min(1, (rate * ctx.dt) / 1000);

    const b = ctx.builder;
    const offsets = b.addBuffer({
      name: `${path}.offsets`,
      dtype: 'uint32',
      shape: [post + 1],
      init: csr.offsets,
    });
    const sources = b.addBuffer({
      name: `${path}.sources`,
      dtype: 'uint32',
      shape: [Math.max(1, nnz)],
      init: nnz > 0 ? csr.sources : new Uint32Array(1),
    });
    const out = b.addBuffer({ name: `${path}.currents`, dtype: 'float32', shape: [post] });
    const bindings: Record<string, string> = { offsets, sources, spikes: spikes.buffer, out };
    if (weights)
      bindings.weights = b.addBuffer({
        name: `${path}.weights`,
        dtype: 'float32',
        shape: [nnz],
        init: weights,
      });
    if (delays)
      bindings.delays = b.addBuffer({ name: `${path}.delays`, dtype: 'uint32', shape: [nnz], init: delays });
    if (maxDelay > 0)
      bindings.history = b.addBuffer({
        name: `${path}.history`,
        dtype: 'float32',
        shape: [(maxDelay + 1) * pre],
      });
    b.addOps(section, {
      op: 'sparse.csr',
      name: path,
      bindings,
      attrs: {
        post,
        pre,
        nnz,
        ...(weights ? {} : { weight: weight ?? 1 }),
        ...(delays ? { maxDelay } : { delay }),
        delivery: dv as SparseDelivery,
        activity,
      },
    });
    const currents: PortValue = { buffer: out, shape: units, payload: 'CurrentArray' };
    return { outputs: { currents }, properties: {}, state: {} };
  },
};
