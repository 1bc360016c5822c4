/**
 * `brunel_lif` → PyNN `IF_curr_delta`.
 *
 * Brunel's model A: `τm dv/dt = −v`, every spike makes `v` jump by its weight (mV), threshold θ,
 * reset, refractory period during which input is discarded (NEST `iaf_psc_delta`). PyNN's
 * `IF_curr_delta` takes weights in mV; both receptors add to `v`, so the sign of a weight picks the
 * receptor. Spike test: the Brain fires at `v ≥ θ` like NEST; Brian2 tests `v > θ` (equal only on
 * an exact hit). Limits by simulator: pyNN.neuron has no `IF_curr_delta`; pyNN.brian2 adds inputs
 * that arrive during the refractory period (`v += w` is not blocked), which the Brain discards.
 *
 * @module
 */
import type { PyValue } from '../types.ts';
import { fieldValue } from '../values.ts';
import { type CellMapping, type MapArgs, type MappedCell, refractoryLimits } from './mapping.ts';

export const brunelLifMapping: CellMapping = {
  kind: 'cell',
  module: 'brunel_lif',
  cell: 'IF_curr_delta',
  map(a: MapArgs): MappedCell | undefined {
    const f = (k: string) => fieldValue(a.config, k, a);
    const v = {
      tau_m: f('tau_m'),
      v_thresh: f('theta'),
      v_reset: f('v_reset'),
      tau_refrac: f('refractory'),
    };
    if (Object.values(v).some((x) => x === undefined)) return undefined;
    const params: Record<string, PyValue> = {
      ...(v as Record<string, PyValue>),
      v_rest: { kind: 'scalar', value: 0 },
      cm: { kind: 'scalar', value: 1 },
    };
    const note = 'weight (mV jump) unchanged; its sign picks the receptor';
    // v = v·e^(−dt/τ) + current + external: the jump comes after the decay, as PyNN's delta synapses
    const rule = { receptor: 'sign', factor: 1, sign: 'any', unit: 'mV', note, delivery: 'jump' } as const;
    const refractory = v.tau_refrac!;
    const refractoryMatters = refractory.kind !== 'scalar' || refractory.value > 0;
    return {
      params,
      initial: { v: { kind: 'scalar', value: 0 } },
      notes: ['Delta synapses: a weight of w mV makes v jump by w (IF_curr_delta takes mV).'],
      ports: { current: rule, external: rule },
      limits: [
        {
          simulator: 'neuron',
          level: 'unavailable',
          reason: 'pyNN.neuron has no IF_curr_delta (ModelNotAvailable)',
        },
        ...(refractoryMatters
          ? [
              {
                simulator: 'brian2' as const,
                level: 'approximate' as const,
                reason:
                  'pyNN.brian2 adds delta inputs that arrive during the refractory period to v; brunel_lif (and NEST iaf_psc_delta) discard them',
              },
            ]
          : []),
        ...refractoryLimits(refractory),
      ],
    };
  },
};
