/**
 * The benchmark networks of benchmarks.md §1 as kernels plans, built from the kernels' public ops
 * and the library's benchmark modules (`cuba_lif`, `coba_lif`, `brunel_lif`, `poisson_drive`) (exact parameters of §1.1–1.3 and
 * Appendix A): CUBA, COBA variant (b) and Brunel model A, each with a population-rate monitor
 * (`reduce.group_sum` of the spikes per population, one row per step) and a rate check.
 *
 * Per step the plan runs: the soma (reads the input delivered after the previous step), the sparse
 * projections (this step's spikes → next step's input; a delay of D steps reads spikes of step
 * t − D), then the monitor. A spike of step n therefore acts at step n + 1 + delay — Brian2's
 * "applied after the update of the current step" for CUBA/COBA, and Brunel's D = 1.5 ms as
 * `delay = D/dt − 1`.
 *
 * @module
 */

import type { Plan, PlanBuffer, PlanOp } from '@spark-snn/core';
import {
  brunelLif,
  type Csr,
  cobaLif,
  cubaLif,
  fixedInDegree,
  fixedProbability,
  instantiateModule,
  normalOf,
  philoxInto,
  poissonDrive,
  uniformOf,
} from '@spark-snn/kernels';
import type { ModuleDefinition } from '@spark-snn/kernels/lang';
import {
  BENCH_DT,
  BRUNEL_EXPECTED,
  type BrunelOptions,
  brunelParams,
  COBA_PARAMS,
  CUBA_PARAMS,
  type ExpectedRate,
  eiSplit,
  type NetworkOptions,
} from './params.ts';

/** A benchmark network: its plan plus what the harness needs to run and check it. */
export interface BenchmarkNetwork {
  readonly name: 'cuba' | 'coba' | 'brunel';
  readonly plan: Plan;
  /** Neurons. */
  readonly n: number;
  /** Excitatory neurons (the first `nE` units). */
  readonly nE: number;
  /** Synapses. */
  readonly synapses: number;
  /** Mean in-degree (for events/s). */
  readonly inDegree: number;
  /** Buffer of the population spike counts, `[E, I]` per step (record it). */
  readonly monitor: string;
  /** Buffer of the spikes (for raster comparisons). */
  readonly spikes: string;
  /** Steps per biological second. */
  readonly stepsPerSecond: number;
  /** Expected mean rate (Hz) and relative tolerance of the 5-seed mean (benchmarks.md §1). */
  readonly expected: { readonly rate: number; readonly tolerance: number };
  /** Dispatch-level op count per step. */
  readonly opsPerStep: number;
}

function key(seed: number): [number, number] {
  return [seed >>> 0, Math.floor(seed / 0x100000000) >>> 0];
}

/** Host draws for initial states: `f(i, u0, u1, n0)` with Philox counter `[i, 0, stream]`. */
function drawInit(
  n: number,
  seed: number,
  stream: number,
  f: (u: number, z: number) => number,
): Float32Array {
  const [k0, k1] = key(seed);
  const w = new Uint32Array(4);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    philoxInto(i, 0, stream, k0, k1, w);
    out[i] = f(uniformOf(w[0] as number), normalOf(w[1] as number, w[2] as number));
  }
  return out;
}

function sparseOp(
  name: string,
  csr: Csr,
  spikes: string,
  out: string,
  weight: number,
  delay: number,
  accumulate: boolean,
): { buffers: PlanBuffer[]; op: PlanOp } {
  const nnz = csr.sources.length;
  const buffers: PlanBuffer[] = [
    { name: `${name}.offsets`, dtype: 'uint32', shape: [csr.post + 1], init: csr.offsets },
    {
      name: `${name}.sources`,
      dtype: 'uint32',
      shape: [Math.max(1, nnz)],
      init: nnz > 0 ? csr.sources : new Uint32Array(1),
    },
  ];
  const bindings: Record<string, string> = {
    offsets: `${name}.offsets`,
    sources: `${name}.sources`,
    spikes,
    out,
  };
  if (delay > 0) {
    buffers.push({ name: `${name}.history`, dtype: 'float32', shape: [(delay + 1) * csr.pre] });
    bindings.history = `${name}.history`;
  }
  return {
    buffers,
    op: {
      op: 'sparse.csr',
      name,
      bindings,
      attrs: { post: csr.post, pre: csr.pre, nnz, weight, delay, accumulate },
    },
  };
}

function monitorOp(
  prefix: string,
  spikes: string,
  n: number,
  nE: number,
): { buffers: PlanBuffer[]; op: PlanOp } {
  return {
    buffers: [
      { name: `${prefix}.monitor.offsets`, dtype: 'int32', shape: [3], init: Int32Array.from([0, nE, n]) },
      {
        name: `${prefix}.monitor.members`,
        dtype: 'int32',
        shape: [n],
        init: Int32Array.from({ length: n }, (_, i) => i),
      },
      { name: `${prefix}.rate`, dtype: 'float32', shape: [2] },
    ],
    op: {
      op: 'reduce.group_sum',
      name: `${prefix}.monitor`,
      bindings: {
        input: spikes,
        offsets: `${prefix}.monitor.offsets`,
        members: `${prefix}.monitor.members`,
        out: `${prefix}.rate`,
      },
      attrs: { n, groups: 2 },
    },
  };
}

function soma(
  def: ModuleDefinition,
  prefix: string,
  n: number,
  params: Record<string, number>,
  init: Record<string, Float32Array>,
  streamBase: number,
): { buffers: PlanBuffer[]; op: PlanOp } {
  const { buffers, op } = instantiateModule(def, { prefix, size: n, dt: BENCH_DT, params, streamBase });
  return {
    buffers: buffers.map((b) => {
      const v = init[b.name.slice(prefix.length + 1)];
      return v ? { ...b, init: v } : b;
    }),
    op,
  };
}

function assemble(parts: { buffers: PlanBuffer[]; op: PlanOp }[], seed: number): Plan {
  return { dt: BENCH_DT, seed, buffers: parts.flatMap((p) => p.buffers), ops: parts.map((p) => p.op) };
}

/**
 * CUBA and COBA share everything but the soma and its initial state: Bernoulli E and I projections
 * (streams 1, 2), v₀ ~ U[v0, v0 + span) (stream 3), the weights and the population monitor.
 */
function eiNetwork(
  name: 'cuba' | 'coba',
  def: ModuleDefinition,
  o: NetworkOptions,
  params: { n: number; we: number; wi: number; v0: number; v0Span: number; expected: ExpectedRate },
  extraInit: (n: number, seed: number) => Record<string, Float32Array>,
): BenchmarkNetwork {
  const n = o.n ?? params.n;
  const seed = o.seed ?? 1;
  const { nE, p } = eiSplit(n);
  const e = fixedProbability({ pre: n, post: n, p, seed, stream: 1, sourceRange: [0, nE] });
  const i = fixedProbability({ pre: n, post: n, p, seed, stream: 2, sourceRange: [nE, n] });
  const v = drawInit(n, seed, 3, (u) => params.v0 + params.v0Span * u);
  const parts = [
    soma(def, name, n, {}, { v, ...extraInit(n, seed) }, 10),
    sparseOp(`${name}.syn_e`, e, `${name}.spikes`, `${name}.exc`, params.we, 0, false),
    sparseOp(`${name}.syn_i`, i, `${name}.spikes`, `${name}.inh`, params.wi, 0, false),
    monitorOp(name, `${name}.spikes`, n, nE),
  ];
  return {
    name,
    plan: assemble(parts, seed),
    n,
    nE,
    synapses: e.sources.length + i.sources.length,
    inDegree: (e.sources.length + i.sources.length) / n,
    monitor: `${name}.rate`,
    spikes: `${name}.spikes`,
    stepsPerSecond: 1000 / BENCH_DT,
    expected: params.expected,
    opsPerStep: parts.length,
  };
}

/**
 * CUBA (benchmarks.md §1.1): N = 4000 (NE = 0.8 N), Bernoulli p = 80/N (0.02 at 4000), we = 1.62 mV,
 * wi = −9 mV, exact integration, v₀ ~ U[−60, −50). Expected 5.6 Hz ± 10 %.
 */
export function cubaNetwork(o: NetworkOptions = {}): BenchmarkNetwork {
  return eiNetwork('cuba', cubaLif, o, CUBA_PARAMS, () => ({}));
}

/**
 * COBA variant (b) (benchmarks.md §1.2): Bernoulli p = 80/N, jumps 6 nS (E) / 67 nS (I), v₀ ~
 * U[−60, −50), ge₀ ~ max(0, N(4, 1.5²)) nS, gi₀ ~ max(0, N(20, 12²)) nS. Expected 19.5 Hz ± 12 %.
 */
export function cobaNetwork(o: NetworkOptions = {}): BenchmarkNetwork {
  const { ge0, gi0 } = COBA_PARAMS;
  return eiNetwork('coba', cobaLif, o, COBA_PARAMS, (n, seed) => ({
    ge: drawInit(n, seed, 4, (_, z) => Math.max(0, ge0.mean + ge0.sd * z)),
    gi: drawInit(n, seed, 5, (_, z) => Math.max(0, gi0.mean + gi0.sd * z)),
  }));
}

/**
 * Brunel 2000 model A (benchmarks.md §1.3): NE = 0.8 N, fixed in-degree CE = 1000, CI = 250 (kept
 * when N scales), J = 0.1 mV, −gJ, D = 1.5 ms, τ = 20 ms, θ = 20 mV, Vr = 10 mV, t_ref = 2 ms, Poisson
 * drive of CE sources at η·ν_thr. Expected 37.5 Hz ± 5 % for g = 5, η = 2.
 */
export function brunelNetwork(o: BrunelOptions = {}): BenchmarkNetwork {
  const seed = o.seed ?? 1;
  const { n, g, nE, ce, ci, j, driveRate, delayMs } = brunelParams(o);
  const delay = Math.round(delayMs / BENCH_DT) - 1;
  const e = fixedInDegree({ pre: n, post: n, k: ce, seed, stream: 1, sourceRange: [0, nE] });
  const i = fixedInDegree({ pre: n, post: n, k: ci, seed, stream: 2, sourceRange: [nE, n] });
  const s = soma(brunelLif, 'brunel', n, {}, {}, 10);
  const { buffers: db, op: dop } = instantiateModule(poissonDrive, {
    prefix: 'brunel.drive',
    size: n,
    dt: BENCH_DT,
    params: { rate: driveRate, sources: ce, weight: j },
    streamBase: 20,
    bind: { current: 'brunel.external' },
  });
  const parts = [
    { buffers: db, op: dop },
    s,
    sparseOp('brunel.syn_e', e, 'brunel.spikes', 'brunel.current', j, delay, false),
    sparseOp('brunel.syn_i', i, 'brunel.spikes', 'brunel.current', -g * j, delay, true),
    monitorOp('brunel', 'brunel.spikes', n, nE),
  ];
  return {
    name: 'brunel',
    plan: assemble(parts, seed),
    n,
    nE,
    synapses: e.sources.length + i.sources.length,
    inDegree: ce + ci,
    monitor: 'brunel.rate',
    spikes: 'brunel.spikes',
    stepsPerSecond: 1000 / BENCH_DT,
    expected: BRUNEL_EXPECTED,
    opsPerStep: parts.length,
  };
}

/** Builds a benchmark network by name. */
export function benchmarkNetwork(name: 'cuba' | 'coba' | 'brunel', o: BrunelOptions = {}): BenchmarkNetwork {
  return name === 'cuba' ? cubaNetwork(o) : name === 'coba' ? cobaNetwork(o) : brunelNetwork(o);
}

/**
 * Mean rates (Hz) from a recorded monitor (`[E, I]` counts per step), over the steps from
 * `skipSteps` on (benchmarks.md: population means excluding the first 200 ms).
 */
export function ratesOf(
  net: Pick<BenchmarkNetwork, 'n' | 'nE'>,
  monitor: ArrayLike<number>,
  skipSteps = Math.round(200 / BENCH_DT),
): { e: number; i: number; all: number } {
  const steps = monitor.length / 2;
  let se = 0;
  let si = 0;
  for (let t = skipSteps; t < steps; t++) {
    se += monitor[2 * t] as number;
    si += monitor[2 * t + 1] as number;
  }
  const seconds = ((steps - skipSteps) * BENCH_DT) / 1000;
  const nI = net.n - net.nE;
  return { e: se / net.nE / seconds, i: si / nI / seconds, all: (se + si) / net.n / seconds };
}
