/**
 * `coba_lif` → PyNN `IF_cond_exp`.
 *
 * Same equations (Brette et al. 2007 benchmark 1): `c_m dv/dt = g_l (e_l − v) + ge (e_ex − v) +
 * gi (e_in − v)` with exponentially decaying conductances. Units: `c_m` pF → `cm` nF (/1000),
 * `tau_m = c_m / g_l` (pF/nS = ms), weights nS → µS (/1000). The Brain integrates with exponential
 * Euler over frozen conductances; each simulator uses its own scheme (Brian2: Euler, NEST: adaptive
 * RK45), which differ by O(dt) — the model is the same. Initial state: `v = v_reset + v_offset`,
 * conductances `ge_init`, `gi_init` (nS → µS).
 *
 * @module
 */
import type { PyValue } from '../types.ts';
import { fieldValue, scalarOf, scale } from '../values.ts';
import {
  type CellMapping,
  initialPotential,
  type MapArgs,
  type MappedCell,
  refractoryLimits,
} from './mapping.ts';

export const cobaLifMapping: CellMapping = {
  kind: 'cell',
  module: 'coba_lif',
  cell: 'IF_cond_exp',
  map(a: MapArgs): MappedCell | undefined {
    const f = (k: string) => fieldValue(a.config, k, a);
    const cM = f('c_m');
    const gL = f('g_l');
    const rest = {
      v_rest: f('e_l'),
      e_rev_E: f('e_ex'),
      e_rev_I: f('e_in'),
      tau_syn_E: f('tau_ex'),
      tau_syn_I: f('tau_in'),
      v_thresh: f('v_threshold'),
      v_reset: f('v_reset'),
      tau_refrac: f('refractory'),
    };
    const offset = f('v_offset');
    const ge0 = f('ge_init');
    const gi0 = f('gi_init');
    if (
      cM === undefined ||
      gL === undefined ||
      offset === undefined ||
      ge0 === undefined ||
      gi0 === undefined ||
      Object.values(rest).some((x) => x === undefined)
    )
      return undefined;
    const v0 = initialPotential(a, rest.v_reset!, offset);
    if (v0 === undefined) return undefined;
    const c = scalarOf(cM);
    const g = scalarOf(gL);
    if (c === undefined || g === undefined) {
      a.sink.push({
        severity: 'error',
        code: 'unsupported_value',
        path: `${a.path}.config.${c === undefined ? 'c_m' : 'g_l'}`,
        message: 'must be one value for the PyNN export (cm and tau_m = c_m/g_l are written as scalars)',
      });
      return undefined;
    }
    const params: Record<string, PyValue> = {
      ...(rest as Record<string, PyValue>),
      cm: { kind: 'scalar', value: c / 1000 },
      tau_m: { kind: 'scalar', value: c / g },
    };
    const note = 'weight (nS) / 1000 → µS';
    return {
      params,
      initial: { v: v0, gsyn_exc: scale(ge0, 1e-3), gsyn_inh: scale(gi0, 1e-3) },
      notes: [
        'c_m (pF) / 1000 = cm (nF); tau_m = c_m / g_l (pF/nS = ms); weights nS / 1000 = µS.',
        'Integration schemes differ by O(dt) (Brain: exponential Euler with frozen conductances).',
        'Initial v = v_reset + v_offset; initial conductances ge_init, gi_init (nS / 1000 = µS).',
      ],
      ports: {
        exc: {
          receptor: 'excitatory',
          factor: 1e-3,
          sign: 'nonnegative',
          unit: 'µS',
          note,
          delivery: 'integrated',
        },
        inh: {
          receptor: 'inhibitory',
          factor: 1e-3,
          sign: 'nonnegative',
          unit: 'µS',
          note,
          delivery: 'integrated',
        },
      },
      limits: refractoryLimits(rest.tau_refrac),
    };
  },
};
