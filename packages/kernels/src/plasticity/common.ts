/**
 * What the synapse-domain updates of the trace-based rules share: the presynaptic trace (a
 * per-synapse state with its own `pre_tau` when the pre spikes are per synapse, else the per-neuron
 * trace input), and the ports of the pair rules (kernel, spikes, post trace, updated kernel).
 *
 * @module
 */

import { abs, dt, type Ex, exp, type ModuleBuilder } from '../lang/builder.ts';

/** A rule's presynaptic trace `x` and the update it needs each step (none for the trace input). */
export interface PreTrace {
  readonly x: Ex;
  /** Decays the per-synapse trace and adds the unsigned spikes `s` (async); nothing otherwise. */
  update(s: Ex): void;
}

/**
 * The presynaptic trace: with `async` spikes a per-synapse state `pre_trace` (`pre_tau` per synapse),
 * else the input `pre_trace` computed per neuron by spike_trace.
 */
export function preTrace(
  m: ModuleBuilder,
  async: boolean,
  o: { readonly doc?: string; readonly unitlessInput?: boolean } = {},
): PreTrace {
  const preTau = async ? m.param('pre_tau', { extent: 'synapse' }) : undefined;
  const x = async
    ? m.state('pre_trace', { init: 0, unit: 'ms^-1', ...(o.doc !== undefined ? { doc: o.doc } : {}) })
    : m.input('pre_trace', {
        payload: 'FloatArray',
        extent: 'pre',
        ...(o.unitlessInput ? {} : { unit: 'ms^-1' }),
      });
  return {
    x,
    update(s) {
      if (preTau !== undefined) m.assign(x, exp(dt.neg().div(preTau)).mul(x).add(s.div(preTau)));
    },
  };
}

/** The ports of a pair rule with a post trace: inputs and output, and the unsigned spikes `s`, `z`. */
export interface PairRulePorts {
  readonly kernel: Ex;
  /** The post trace `y` (per neuron). */
  readonly y: Ex;
  readonly out: Ex;
  /** |pre spikes|. */
  readonly s: Ex;
  /** |post spikes|. */
  readonly z: Ex;
}

/** Declares `kernel`, `pre_spikes`, `post_spikes`, `post_trace` and `updated_kernel`; lets `s`, `z`. */
export function pairRulePorts(m: ModuleBuilder, async: boolean): PairRulePorts {
  const kernel = m.input('kernel', { payload: 'FloatArray', extent: 'synapse' });
  const pre = m.input('pre_spikes', { payload: 'SpikeArray', extent: async ? 'synapse' : 'pre' });
  const post = m.input('post_spikes', { payload: 'SpikeArray', extent: 'unit' });
  const y = m.input('post_trace', { payload: 'FloatArray', extent: 'unit', unit: 'ms^-1' });
  const out = m.output('updated_kernel', { payload: 'FloatArray' });
  const s = m.let_('s', abs(pre));
  const z = m.let_('z', abs(post));
  return { kernel, y, out, s, z };
}
