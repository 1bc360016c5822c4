/**
 * Lowering of `sparse_synapses` (spark-snn's sparse connectivity): the connector is drawn at build
 * time on the host from the Philox stream of the module (`seed`, a stream allocated per module
 * path), stored as an incoming CSR and propagated by the kernels' `sparse.csr` op — event-driven on
 * cpu, a gather over incoming edges on webgpu and gpujs. Spikes keep their sign (inhibitory sources
 * spike −1), so the homogeneous `weight` gives signed currents as Spark's linear synapses do.
 *
 * @module
 */
import type { ConfigBody } from '@spark-snn/config';
import { shapeSize } from '@spark-snn/core';
import { fixedInDegree, fixedProbability } from '@spark-snn/kernels';
import { type PortValue, portSize } from '../compile/builder.ts';
import {
  CompileError,
  type LowerArgs,
  type LoweredModule,
  type ModuleLowering,
} from '../compile/lowering.ts';

function num(config: ConfigBody, key: string, path: string, fallback: number): number {
  const v = config[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new CompileError(`${path}.config.${key}`, `must be a finite number, got ${JSON.stringify(v)}`);
  return v;
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
    const p = num(config, 'p', path, 0.02);
    const k = num(config, 'in_degree', path, 0);
    const weight = num(config, 'weight', path, 1);
    const delayMs = num(config, 'delay', path, 0);
    if (!(p >= 0 && p <= 1)) throw new CompileError(`${path}.config.p`, `must be in [0, 1], got ${p}`);
    if (!Number.isInteger(k) || k < 0)
      throw new CompileError(`${path}.config.in_degree`, `must be a non-negative integer, got ${k}`);
    if (delayMs < 0) throw new CompileError(`${path}.config.delay`, `must be ≥ 0, got ${delayMs}`);
    const delay = Math.round(delayMs / ctx.dt);
    const start = num(config, 'source_start', path, 0);
    const stopRaw = num(config, 'source_stop', path, 0);
    const stop = stopRaw === 0 ? pre : stopRaw;
    if (!(Number.isInteger(start) && Number.isInteger(stop) && start >= 0 && start < stop && stop <= pre))
      throw new CompileError(
        `${path}.config.source_start`,
        `the sources [${start}, ${stop}) must be a non-empty range inside the ${pre} presynaptic units`,
      );
    const sourceRange: [number, number] = [start, stop];
    const stream = ctx.rngStreams(path, 1);
    const seedInt = Math.abs(Math.trunc(seed)) % 2 ** 53;
    const csr =
      k > 0
        ? fixedInDegree({ pre, post, k, seed: seedInt, stream, sourceRange })
        : fixedProbability({ pre, post, p, seed: seedInt, stream, sourceRange });
    const nnz = csr.sources.length;
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
    if (delay > 0)
      bindings.history = b.addBuffer({
        name: `${path}.history`,
        dtype: 'float32',
        shape: [(delay + 1) * pre],
      });
    b.addOps(section, {
      op: 'sparse.csr',
      name: path,
      bindings,
      attrs: { post, pre, nnz, weight, delay },
    });
    const currents: PortValue = { buffer: out, shape: units, payload: 'CurrentArray' };
    return { outputs: { currents }, properties: {}, state: {} };
  },
};
