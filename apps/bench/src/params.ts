/**
 * The exact parameters of the benchmark networks (benchmarks.md §1, Appendix A), written once and
 * read by both builders: the kernels plans of `plans.ts` and the BrainConfig generators of
 * `configs.ts` (the `.scfg` files of `apps/examples/networks/`).
 *
 * @module
 */

/** dt of every neuroscience benchmark (ms). */
export const BENCH_DT = 0.1;

/** Expected population rate (Hz) and relative tolerance of the 5-seed mean. */
export interface ExpectedRate {
  readonly rate: number;
  readonly tolerance: number;
}

/**
 * The E/I split and connectivity shared by CUBA and COBA: NE = 0.8 N, Bernoulli p = 80/N (0.02 at
 * N = 4000), so the mean in-degree stays 80 when N scales.
 */
export function eiSplit(n: number): { readonly nE: number; readonly p: number } {
  return { nE: Math.round(0.8 * n), p: Math.min(1, 80 / n) };
}

/** CUBA (§1.1): jumps of the voltage-like currents (mV), v₀ ~ U[v0, v0 + v0Span). */
export const CUBA_PARAMS = {
  n: 4000,
  we: 1.62,
  wi: -9,
  v0: -60,
  v0Span: 10,
  expected: { rate: 5.6, tolerance: 0.1 } as ExpectedRate,
} as const;

/**
 * COBA variant (b) (§1.2): conductance jumps (nS), v₀ ~ U[v0, v0 + v0Span),
 * ge₀ ~ max(0, N(ge0.mean, ge0.sd²)), gi₀ ~ max(0, N(gi0.mean, gi0.sd²)) (nS).
 */
export const COBA_PARAMS = {
  n: 4000,
  we: 6,
  wi: 67,
  v0: -60,
  v0Span: 10,
  ge0: { mean: 4, sd: 1.5 },
  gi0: { mean: 20, sd: 12 },
  expected: { rate: 19.5, tolerance: 0.12 } as ExpectedRate,
} as const;

/** Options of the network builders (plans and configs). */
export interface NetworkOptions {
  /** Neurons (default: the paper's size). */
  readonly n?: number;
  /** Seed of connectivity, initial state and drive (of the brain and every module). Default 1. */
  readonly seed?: number;
}

/** Options of {@link brunelParams}. */
export interface BrunelParamsOptions {
  /** Neurons (default 12,500). */
  readonly n?: number;
  /** Relative inhibition g (default 5). */
  readonly g?: number;
  /** External drive η = ν_ext / ν_thr (default 2). */
  readonly eta?: number;
}

/** Options of the Brunel builders. */
export interface BrunelOptions extends NetworkOptions, BrunelParamsOptions {}

/** Expected rate of Brunel model A at g = 5, η = 2 (theory 37.95 Hz). */
export const BRUNEL_EXPECTED: ExpectedRate = { rate: 37.5, tolerance: 0.05 };

/**
 * Brunel 2000 model A (§1.3): NE = 0.8 N, fixed in-degree CE = 1000, CI = 250 (kept when N scales),
 * J = 0.1 mV, −gJ, D = 1.5 ms, τ = 20 ms, θ = 20 mV, Vr = 10 mV, t_ref = 2 ms, a Poisson drive of CE
 * sources at η·ν_thr each (`driveRate`, kHz per source).
 */
export function brunelParams(o: BrunelParamsOptions = {}) {
  const n = o.n ?? 12500;
  const g = o.g ?? 5;
  const eta = o.eta ?? 2;
  const nE = Math.round(0.8 * n);
  const ce = Math.min(1000, nE);
  const j = 0.1;
  const tau = 20;
  const theta = 20;
  const nuThr = theta / (j * ce * tau); // kHz per external source
  return {
    n,
    g,
    eta,
    nE,
    ce,
    ci: Math.min(250, n - nE),
    j,
    tau,
    theta,
    vReset: 10,
    refractory: 2,
    delayMs: 1.5,
    driveRate: eta * nuThr,
    /** The paper's expected rate, only for g = 5, η = 2. */
    expected: g === 5 && eta === 2 ? BRUNEL_EXPECTED : undefined,
  };
}
