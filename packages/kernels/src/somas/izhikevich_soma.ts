/**
 * Spark's `izhikevich_soma` (IzhikevichSoma). State: rebased potential `u = V − potential_rest`
 * and recovery `w`.
 *
 * Corrected (default): the standard Izhikevich model in the absolute potential `V = u + E_rest`
 * ```
 * V     = u + potential_rest
 * u     = u + dt·(0.04·V² + 5·V + 140 − w + R·I)
 *       = u + dt·(0.04·u² + (0.08·E_rest + 5)·u + (0.04·E_rest² + 5·E_rest + 140) − w + R·I)   (as computed)
 * w     = w + dt·a·(b·(u + potential_rest) − w)          (a = recovery_timescale, b = recovery_sensitivity)
 * spike = u > threshold − potential_rest
 * u     = spike ? potential_reset − potential_rest : u;   w = spike ? w + d : w   (d = recovery_update)
 * ```
 * with `w` starting at `b·potential_rest` (Izhikevich's initial condition).
 *
 * Spark compatibility (`izhikevichRebasing`, upstream bug §7.1): `P = potential_reset` is used as
 * the internal rest of the already rebased potential, `x = u − P` (= V + 130 mV with the defaults):
 * ```
 * u' = u + dt·(0.04·x² + 5·x + 140 − R·w + R·I);  w' = w + dt·a·(b·(u' − P) − w);  w starts at 0
 * ```
 * which fires on every step at rest. The coefficients 0.04 /(mV·ms), 5 /ms and 140 mV/ms carry
 * units the language cannot attach to literals, so this definition declares no units.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, f32, select } from '../lang/builder.ts';
import { CORRECTED, type SparkCompat } from '../library/compat.ts';

/** Builds the definition for the given compatibility switches. */
export function izhikevichSomaDefinition(compat: SparkCompat = CORRECTED): ModuleDefinition {
  return defineModule(
    'izhikevich_soma',
    (m) => {
      const rest = m.param('potential_rest', { default: -65, extent: 'unit', doc: 'resting potential (mV)' });
      const reset = m.param('potential_reset', {
        default: -65,
        extent: 'unit',
        doc: 'reset potential c (mV)',
      });
      const r = m.param('resistance', { default: 0.1, extent: 'unit', doc: 'input resistance (GΩ)' });
      const threshold = m.param('threshold', { default: 30, extent: 'unit', doc: 'spike cut-off (mV)' });
      const a = m.param('recovery_timescale', { default: 0.02, extent: 'unit', doc: 'a (1/ms)' });
      const b = m.param('recovery_sensitivity', { default: 0.2, extent: 'unit', doc: 'b' });
      const d = m.param('recovery_update', { default: 2, extent: 'unit', doc: 'd' });
      const u = m.state('potential', { init: 0, doc: 'rebased potential V − potential_rest (mV)' });
      const w = m.state('recovery', {
        init: compat.izhikevichRebasing ? 0 : b.mul(rest),
        doc: 'recovery variable w',
      });
      const current = m.input('current', { payload: 'CurrentArray' });
      const spikes = m.output('spikes', { payload: 'SpikeArray' });
      if (compat.izhikevichRebasing) {
        const x = m.let_('x', u.sub(reset));
        m.assign(
          u,
          u.add(dt.mul(x.mul(x).mul(0.04).add(x.mul(5)).add(140).sub(r.mul(w)).add(r.mul(current)))),
        );
        m.assign(w, w.add(dt.mul(a).mul(b.mul(u.sub(reset)).sub(w))));
      } else {
        // 0.04·V² + 5·V + 140 expanded around V = u + E_rest (u is small): the constant and linear
        // coefficients are parameter-only (computed once in float64), which avoids the cancellation
        // of 0.04·V² against 5·V in float32 arithmetic.
        const lin = m.let_('lin', rest.mul(0.08).add(5));
        const c0 = m.let_('c0', rest.mul(rest).mul(0.04).add(rest.mul(5)).add(140));
        m.assign(u, u.add(dt.mul(u.mul(u).mul(0.04).add(lin.mul(u)).add(c0).sub(w).add(r.mul(current)))));
        m.assign(w, w.add(dt.mul(a).mul(b.mul(u.add(rest)).sub(w))));
      }
      const spike = m.let_('spike', u.gt(threshold.sub(rest)));
      m.assign(spikes, f32(spike));
      m.assign(u, select(spike, reset.sub(rest), u));
      m.assign(w, select(spike, w.add(d), w));
    },
    { domain: 'unit', doc: "Spark's IzhikevichSoma (izhikevich_soma)." },
  );
}

/** The corrected (standard) model. */
export const izhikevichSoma: ModuleDefinition = izhikevichSomaDefinition();
