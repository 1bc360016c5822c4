/**
 * The standard benchmark networks of benchmarks.md §1 as BrainConfig documents, generated from their
 * exact parameters: CUBA (§1.1), COBA variant (b) (§1.2), Brunel 2000 model A (§1.3) and the
 * Spark-style dense layer W4a (§1.5, §5). `generate.ts` writes them to `apps/examples/networks/`.
 *
 * Layout (the PyNN exporter and the tests rely on it): top-level modules `neurons` (the soma,
 * `units: [N]`, excitatory units first), `exc` and `inh` (`sparse_synapses` whose
 * `source_start`/`source_stop` select the E and I slices of `neurons.spikes`), and for Brunel `drive`
 * (`poisson_drive` → `neurons.external`).
 *
 * Latency: in a Brain every module reads the previous step's outputs, so a spike of step s reaches
 * the soma at step s + delay/dt + 2 (spike → synapse → soma), one step later than in the kernels
 * plans of `plans.ts` (s + 1 + delay/dt). Brunel's D = 1.5 ms is therefore
 * written as a Brain delay of 1.3 ms (see {@link brainDelay}).
 *
 * The parameters themselves come from `params.ts` (`CUBA_PARAMS`, `COBA_PARAMS`, `brunelParams`),
 * the same table the kernels plans are built from.
 *
 * @module
 */
import {
  type ConfigDocument,
  createBrainConfig,
  initializerDefault,
  type ModuleSpecs,
  moduleSpecs,
} from '@spark-snn/config';
import { CounterRng, deriveStream } from '@spark-snn/core';
import {
  BENCH_DT,
  type BrunelOptions,
  brunelParams,
  COBA_PARAMS,
  CUBA_PARAMS,
  eiSplit,
  type NetworkOptions,
} from './params.ts';

/** dt of the neuroscience benchmarks (ms). */
export const NETWORK_DT = BENCH_DT;

/** Names of the generated networks. */
export const NETWORK_NAMES = ['cuba', 'coba', 'brunel', 'w4a'] as const;
/** A generated network's name. */
export type ConfigNetworkName = (typeof NETWORK_NAMES)[number];

/** What a network file is checked against. */
export interface NetworkInfo {
  readonly name: ConfigNetworkName;
  readonly document: ConfigDocument;
  /** Neurons of the recorded population (`neurons`, or `lif` for W4a). */
  readonly n: number;
  /** Excitatory neurons (the first `nE` units); `n` for W4a. */
  readonly nE: number;
  /** The spiking population (`module.port`). */
  readonly spikes: string;
  /** Expected population rate (Hz) and relative tolerance of the seed mean (benchmarks.md §1). */
  readonly expected?: { readonly rate: number; readonly tolerance: number; readonly source: string };
  /** Caller inputs the brain needs (W4a): name → constant per-step values. */
  readonly inputs?: Readonly<Record<string, Float32Array>>;
  /** Default simulated time (ms). */
  readonly defaultMs: number;
}

function spec(
  name: string,
  module: string,
  config: Record<string, unknown>,
  inputs: Record<string, string[]> = {},
  outputs: Record<string, string> = {},
): ModuleSpecs {
  const r = moduleSpecs(name, module, { config, inputs, outputs });
  const errors = r.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0)
    throw new Error(`${name} (${module}): ${errors.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return r.specs;
}

const common = (seed: number) => ({ seed, dtype: 'float32', dt: NETWORK_DT });

/**
 * The Brain delay (ms) that gives a spike the plan's latency `delay + dt` (Brunel's D): one dt less,
 * because the Brain adds one step (spike → synapse → soma are two module→module edges). A delay of
 * one dt or less cannot be matched (the Brain's floor is two steps); it returns 0.
 */
export function brainDelay(planLatencyMs: number, dt = NETWORK_DT): number {
  const steps = Math.round(planLatencyMs / dt) - 2;
  return steps > 0 ? Number((steps * dt).toFixed(10)) : 0;
}

function sparse(
  name: string,
  seed: number,
  n: number,
  range: [number, number],
  connect: { p: number } | { in_degree: number },
  weight: number,
  delay: number,
): ModuleSpecs {
  return spec(
    name,
    'sparse_synapses',
    {
      ...common(seed),
      units: [n],
      ...('p' in connect ? { p: connect.p, in_degree: 0 } : { in_degree: connect.in_degree }),
      source_start: range[0],
      source_stop: range[1],
      weight,
      delay,
    },
    { spikes: ['neurons.spikes'] },
  );
}

/**
 * CUBA and COBA share the layout: `neurons` (the soma, v₀ = v_reset + U[0, 10) through `v_offset`)
 * and Bernoulli `exc`/`inh` projections without delay.
 */
function eiConfig(
  name: 'cuba' | 'coba',
  soma: string,
  o: NetworkOptions,
  params: { n: number; we: number; wi: number; v0Span: number },
  expected: NonNullable<NetworkInfo['expected']>,
  extra: (n: number, seed: number) => Record<string, unknown>,
): NetworkInfo {
  const n = o.n ?? params.n;
  const seed = o.seed ?? 1;
  const { nE, p } = eiSplit(n);
  const neurons = spec(
    'neurons',
    soma,
    {
      ...common(seed),
      units: [n],
      v_offset: initializerDefault('uniform_initializer', { scale: params.v0Span, dtype: 'float32' }),
      ...extra(n, seed),
    },
    { exc: ['exc.currents'], inh: ['inh.currents'] },
    { spikes: 'spikes' },
  );
  const modules = [
    neurons,
    sparse('exc', seed, n, [0, nE], { p }, params.we, 0),
    sparse('inh', seed, n, [nE, n], { p }, params.wi, 0),
  ];
  return {
    name,
    document: createBrainConfig(modules, { seed, dt: NETWORK_DT }),
    n,
    nE,
    spikes: 'neurons.spikes',
    expected,
    defaultMs: 1000,
  };
}

/**
 * CUBA (benchmarks.md §1.1): N = 4000 (NE = 0.8 N), Bernoulli p = 80/N, we = +1.62 mV,
 * wi = −9 mV, no delay, v₀ ~ U[−60, −50) (`v_offset` uniform in [0, 10)). Expected 5.6 Hz ± 10 %.
 */
export function cubaConfig(o: NetworkOptions = {}): NetworkInfo {
  return eiConfig(
    'cuba',
    'cuba_lif',
    o,
    CUBA_PARAMS,
    { ...CUBA_PARAMS.expected, source: 'benchmarks.md §1.1: 5-seed mean within ±10 % of 5.6 Hz' },
    () => ({}),
  );
}

/** Per-unit draws `max(0, mean + sd·z)` from the counter-based RNG, rounded to 1e-3. */
function clippedNormal(n: number, seed: number, site: string, mean: number, sd: number): number[] {
  const rng = new CounterRng(seed >>> 0);
  const stream = deriveStream(site);
  return Array.from({ length: n }, (_, i) => {
    const x = Math.max(0, mean + sd * rng.normal(stream, 0, i));
    return Math.round(x * 1000) / 1000;
  });
}

/**
 * COBA variant (b) (benchmarks.md §1.2): Bernoulli p = 80/N, jumps 6 nS (E) / 67 nS (I), no delay,
 * v₀ ~ U[−60, −50), ge₀ ~ max(0, N(4, 1.5²)) nS, gi₀ ~ max(0, N(20, 12²)) nS (the conductances as
 * explicit per-unit arrays: the config has no normal initializer). Expected 19.5 Hz ± 12 %.
 */
export function cobaConfig(o: NetworkOptions = {}): NetworkInfo {
  const { ge0, gi0 } = COBA_PARAMS;
  return eiConfig(
    'coba',
    'coba_lif',
    o,
    COBA_PARAMS,
    {
      ...COBA_PARAMS.expected,
      source: 'benchmarks.md §1.2 variant (b): 5-seed mean within ±12 % of 19.5 Hz',
    },
    (n, seed) => ({
      ge_init: clippedNormal(n, seed, 'coba/ge_init', ge0.mean, ge0.sd),
      gi_init: clippedNormal(n, seed, 'coba/gi_init', gi0.mean, gi0.sd),
    }),
  );
}

/**
 * Brunel 2000 model A (benchmarks.md §1.3): NE = 0.8 N, fixed in-degree CE = 1000, CI = 250 (kept
 * when N scales), J = 0.1 mV, −gJ, D = 1.5 ms (Brain delay 1.3 ms, see {@link brainDelay}),
 * τ = 20 ms, θ = 20 mV, Vr = 10 mV, t_ref = 2 ms, Poisson drive of CE sources at η·ν_thr.
 * Expected 37.5 Hz ± 5 % for g = 5, η = 2.
 */
export function brunelConfig(o: BrunelOptions = {}): NetworkInfo {
  const seed = o.seed ?? 1;
  const { n, g, nE, ce, ci, j, tau, theta, vReset, refractory, driveRate, delayMs, expected } =
    brunelParams(o);
  const delay = brainDelay(delayMs);
  const neurons = spec(
    'neurons',
    'brunel_lif',
    { ...common(seed), units: [n], tau_m: tau, theta, v_reset: vReset, refractory },
    { current: ['exc.currents', 'inh.currents'], external: ['drive.current'] },
    { spikes: 'spikes' },
  );
  const modules = [
    spec('drive', 'poisson_drive', {
      ...common(seed),
      units: [n],
      rate: Number(driveRate.toFixed(12)),
      sources: ce,
      weight: j,
    }),
    neurons,
    sparse('exc', seed, n, [0, nE], { in_degree: ce }, j, delay),
    sparse('inh', seed, n, [nE, n], { in_degree: ci }, Number((-g * j).toFixed(12)), delay),
  ];
  return {
    name: 'brunel',
    document: createBrainConfig(modules, { seed, dt: NETWORK_DT }),
    n,
    nE,
    spikes: 'neurons.spikes',
    ...(expected
      ? {
          expected: {
            ...expected,
            source: 'benchmarks.md §1.3 (g = 5, η = 2): within ±5 % of 37.5 Hz (theory 37.95 Hz)',
          },
        }
      : {}),
    defaultMs: 500,
  };
}

/** Options of {@link w4aConfig}. */
export interface W4aOptions extends NetworkOptions {
  /** Value of every input element, every step (default 0.05, the mean of 50 Hz spikes at dt = 1 ms). */
  readonly inputP?: number;
  /** Precision of every module (`dtype` of the layer, its kernel initializer and the soma). Default `'float32'`. */
  readonly dtype?: 'float32' | 'float16';
}

/**
 * W4a (benchmarks.md §1.5, §5), Spark's regime: a dense `Linear(n → n)` (`linear_synapses`, kernel
 * `uniform_initializer` with scale 20·512/n pA, so the mean drive does not depend on n) feeding a
 * `leaky_soma` population, dt = 1 ms, f32 by default (`dtype: 'float16'` for the f16 variant). The brain input `x` takes n values per step (the runner
 * feeds the constant `inputP`, deterministic so that backends can be compared spike for spike). The benchmark's batch of 16 is 16 independent
 * brains (a Brain has no batch axis). No rate criterion: W4 compares spike counts between backends.
 */
export function w4aConfig(o: W4aOptions = {}): NetworkInfo {
  const n = o.n ?? 512;
  const seed = o.seed ?? 1;
  const inputP = o.inputP ?? 0.05;
  const dtype = o.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float16')
    throw new Error(`w4a: dtype must be 'float32' or 'float16', got ${JSON.stringify(dtype)}`);
  const dense = { seed, dtype, dt: 1 };
  const layer = spec(
    'layer',
    'linear_synapses',
    {
      ...dense,
      units: [n],
      kernel: initializerDefault('uniform_initializer', {
        scale: Number(((20 * 512) / n).toFixed(9)),
        dtype,
      }),
    },
    { spikes: ['__call__.x'] },
  );
  const neurons = spec(
    'neurons',
    'leaky_soma',
    { ...dense },
    { current: ['layer.currents'] },
    { spikes: 'spikes' },
  );
  const x = new Float32Array(n).fill(inputP);
  return {
    name: 'w4a',
    document: createBrainConfig([layer, neurons], { seed, dt: 1 }),
    n,
    nE: n,
    spikes: 'neurons.spikes',
    inputs: { x },
    defaultMs: 500,
  };
}

/** The generator of a network by name. */
export function networkConfig(name: ConfigNetworkName, o: BrunelOptions & W4aOptions = {}): NetworkInfo {
  switch (name) {
    case 'cuba':
      return cubaConfig(o);
    case 'coba':
      return cobaConfig(o);
    case 'brunel':
      return brunelConfig(o);
    case 'w4a':
      return w4aConfig(o);
  }
}
