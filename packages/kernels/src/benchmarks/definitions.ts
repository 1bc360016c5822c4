/**
 * Equation definitions of the modules the standard SNN benchmarks need (benchmarks.md §1,
 * Appendix A), written once in the equation language and run by every backend. Each lives in its
 * own file named by its registry name and is a library module (`LIBRARY`, so Brain configs use
 * them like any other module); this file gathers them for the benchmark plans of `networks.ts`:
 *
 * | definition | what | reference |
 * | --- | --- | --- |
 * | {@link cubaLif} (`somas/cuba_lif.ts`) | LIF with two voltage-like exponential current synapses, **exact** (linear) integration, Brian/NEST refractory clamping (v held, synapses keep decaying) | Brian2 `examples/CUBA.py`, Vogels–Abbott |
 * | {@link cobaLif} (`somas/coba_lif.ts`) | conductance-based LIF with reversal potentials (COBA), exponential Euler with frozen conductances, refractory clamp at `v_reset` | Brette et al. 2007 benchmark 1 |
 * | {@link brunelLif} (`somas/brunel_lif.ts`) | LIF with delta (current-jump) synapses, exact decay, input **discarded** while refractory (NEST `iaf_psc_delta`), spike on `v ≥ θ` | Brunel 2000 model A |
 * | {@link poissonDrive} (`interfaces/poisson_drive.ts`) | external Poisson drive: `sources` independent Poisson sources of `rate` per unit, summed into one jump `weight · Poisson(rate · sources · dt)` per step | Brunel's ν_ext |
 *
 * Synaptic input arrives as per-step increments (the output of `sparse.csr`). Population-rate
 * monitors need no module: they are `reduce.group_sum` ops over the spike vector (see
 * `networks.ts`).
 *
 * @module
 */

export {
  POISSON_DRIVE_SOURCE,
  POISSON_TERMS,
  poissonDrive,
} from '../interfaces/poisson_drive.ts';
export { BRUNEL_LIF_SOURCE, brunelLif } from '../somas/brunel_lif.ts';
export { COBA_LIF_SOURCE, cobaLif } from '../somas/coba_lif.ts';
export { CUBA_LIF_SOURCE, cubaLif } from '../somas/cuba_lif.ts';
