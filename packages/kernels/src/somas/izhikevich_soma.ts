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
 * units the language cannot attach to literals, so this definition takes no units from its schema.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, f32, select } from '../lang/builder.ts';
import { CORRECTED, type SparkCompat } from '../library/compat.ts';
import { configSchema } from '../library/schema.ts';

/** Builds the definition for the given compatibility switches. */
export function izhikevichSomaDefinition(compat: SparkCompat = CORRECTED): ModuleDefinition {
  return defineModule(
    'izhikevich_soma',
    (m) => {
      // Units unchecked: the coefficients 0.04 /(mV·ms), 5 /ms and 140 mV/ms cannot carry units.
      const rest = m.param('potential_rest', { extent: 'unit' });
      const reset = m.param('potential_reset', { extent: 'unit' });
      const r = m.param('resistance', { extent: 'unit' });
      const threshold = m.param('threshold', { extent: 'unit' });
      const a = m.param('recovery_timescale', { extent: 'unit' });
      const b = m.param('recovery_sensitivity', { extent: 'unit' });
      const d = m.param('recovery_update', { extent: 'unit' });
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
    {
      domain: 'unit',
      doc: "Spark's IzhikevichSoma (izhikevich_soma).",
      schema: configSchema('izhikevich_soma'),
      schemaUnits: false,
    },
  );
}

/** The corrected (standard) model. */
export const izhikevichSoma: ModuleDefinition = izhikevichSomaDefinition();
