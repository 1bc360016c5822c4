/**
 * NIR parameter conventions. NIR is continuous-time; exporters encode their discretisation in `r`
 * and `w_in` (graph-reference §3.2). These functions compute the parameters that make a declared
 * discrete model come out of forward Euler, and recover `dt` when a file does not say.
 *
 * @module
 */

/** A discretisation convention for LIF/CubaLIF parameters. */
export type NirConvention =
  /** snnTorch / Lava / braille files: `r = τ_mem/dt`, `w_in = τ_syn/dt` (unit input gain per step). */
  | 'euler'
  /** Norse: `r = 1`, `w_in = 1`. */
  | 'norse'
  /** Rockpool export: `r = τ·e^{−dt/τ}/dt`, `w_in = 1` (Rockpool ignores `w_in`). */
  | 'rockpool'
  /** Exact / zero-order hold with unit per-step gain: `r = 1/(1 − e^{−dt/τ_mem})`, `w_in = 1/(1 − e^{−dt/τ_syn})`. */
  | 'zoh';

/** Membrane resistance `r` for a convention. τ and dt in seconds. */
export function nirR(convention: NirConvention, tauMem: number, dt: number): number {
  switch (convention) {
    case 'euler':
      return tauMem / dt;
    case 'norse':
      return 1;
    case 'rockpool':
      return (tauMem * Math.exp(-dt / tauMem)) / dt;
    case 'zoh':
      return 1 / (1 - Math.exp(-dt / tauMem));
  }
}

/** Synaptic input weight `w_in` for a convention, scaled by the per-spike current jump `scale`. */
export function nirWIn(convention: NirConvention, tauSyn: number, dt: number, scale = 1): number {
  switch (convention) {
    case 'euler':
      return (scale * tauSyn) / dt;
    case 'norse':
    case 'rockpool':
      return scale;
    case 'zoh':
      return scale / (1 - Math.exp(-dt / tauSyn));
  }
}

/**
 * Estimates `dt` from LIF parameters: for the Euler convention `r = τ/dt` gives `dt = τ/r`;
 * Rockpool's import heuristic is `min τ/(1 + r)`. Returns the estimate per convention.
 */
export function estimateDtFromR(
  tau: number,
  r: number,
  convention: 'euler' | 'rockpool-heuristic' = 'euler',
): number {
  return convention === 'euler' ? tau / r : tau / (1 + r);
}
