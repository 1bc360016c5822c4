/**
 * `cuba_lif` → PyNN `IF_curr_exp`.
 *
 * The soma (Brian2's CUBA example) integrates voltage-like synaptic variables:
 * `τm dv/dt = (v_rest − v) + ge + gi`, `dge/dt = −ge/τe`, `dgi/dt = −gi/τi`, a spike adding its weight
 * (mV) to `ge` or `gi`. PyNN's `IF_curr_exp` integrates currents through a capacitance:
 * `cm dv/dt = cm (v_rest − v)/τm + I_e + I_i`, `dI/dt = −I/τ_syn`. With `I = ge · cm/τm` the two are
 * the same equations, so a weight of `w` mV becomes `w · cm/τm` nA (mV · nF / ms = nA). `cm` is free
 * (it cancels); we write PyNN's default, 1 nF. Refractoriness matches (v clamped, synapses keep
 * decaying), and so does the initial state `v = v_reset + v_offset`.
 *
 * @module
 */
import type { PyValue } from '../types.ts';
import { fieldValue, scalarOf } from '../values.ts';
import {
  type CellMapping,
  initialPotential,
  type MapArgs,
  type MappedCell,
  refractoryLimits,
} from './mapping.ts';

/** The membrane capacitance written for `cuba_lif` cells (nF); weights are scaled by `CM / τm`. */
export const CUBA_CM = 1.0;

export const cubaLifMapping: CellMapping = {
  kind: 'cell',
  module: 'cuba_lif',
  cell: 'IF_curr_exp',
  map(a: MapArgs): MappedCell | undefined {
    const f = (k: string) => fieldValue(a.config, k, a);
    const v = {
      tau_m: f('tau_m'),
      tau_syn_E: f('tau_e'),
      tau_syn_I: f('tau_i'),
      v_rest: f('v_rest'),
      v_thresh: f('v_threshold'),
      v_reset: f('v_reset'),
      tau_refrac: f('refractory'),
    };
    const offset = f('v_offset');
    const tauM = scalarOf(v.tau_m);
    if (tauM === undefined && v.tau_m !== undefined) {
      a.sink.push({
        severity: 'error',
        code: 'unsupported_value',
        path: `${a.path}.config.tau_m`,
        message:
          'must be one value for PyNN: the weights (mV) become currents through cm/τm, and a projection has one weight per connection, not per target',
      });
    }
    if (Object.values(v).some((x) => x === undefined) || offset === undefined || tauM === undefined)
      return undefined;
    const v0 = initialPotential(a, v.v_reset!, offset);
    if (v0 === undefined) return undefined;
    const params = { ...(v as Record<string, PyValue>), cm: { kind: 'scalar', value: CUBA_CM } } as Record<
      string,
      PyValue
    >;
    const factor = CUBA_CM / tauM;
    const note = `weight (mV, voltage-like) × cm/tau_m = × ${CUBA_CM}/${tauM} → nA`;
    return {
      params,
      initial: { v: v0 },
      notes: [
        'tau_m dv/dt = (v_rest - v) + ge + gi with voltage-like ge, gi (mV) is IF_curr_exp with',
        `I = ge * cm/tau_m: a weight of w mV is w * cm/tau_m nA (cm = ${CUBA_CM} nF; it cancels).`,
        'Initial v = v_reset + v_offset.',
      ],
      ports: {
        exc: {
          receptor: 'excitatory',
          factor,
          sign: 'nonnegative',
          unit: 'nA',
          note,
          delivery: 'integrated',
        },
        inh: {
          receptor: 'inhibitory',
          factor,
          sign: 'nonpositive',
          unit: 'nA',
          note,
          delivery: 'integrated',
        },
      },
      limits: refractoryLimits(v.tau_refrac),
    };
  },
};
