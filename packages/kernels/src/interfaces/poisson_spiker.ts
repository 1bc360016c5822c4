/**
 * Spark's `poisson_spiker` (PoissonSpiker): one fresh uniform draw per element and step from the
 * counter-based RNG:
 * ```
 * spikes = U < dt·max_freq/1000·signal          (signal expected in [0, 1]; max_freq in Hz, dt in ms)
 * ```
 * Draws do not match JAX's stream bit for bit; the rates match statistically. No compatibility
 * switches. (max_freq declares no unit and the hidden `_ms` = 1 ms turns dt into a number: the
 * literal 1000 ms/s cannot carry its unit.)
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { defineModule, dt, f32, uniform } from '../lang/builder.ts';
import { msParam } from '../library/internal-params.ts';
import { configSchema } from '../library/schema.ts';

/** Spark's PoissonSpiker. */
export const poissonSpiker: ModuleDefinition = defineModule(
  'poisson_spiker',
  (m) => {
    const maxFreq = m.param('max_freq');
    const ms = msParam(m, '1 ms: makes dt a plain number of milliseconds (not a config field)');
    const signal = m.input('signal', { payload: 'FloatArray', doc: 'firing probability scale in [0, 1]' });
    const spikes = m.output('spikes', { payload: 'SpikeArray' });
    m.assign(spikes, f32(uniform().lt(dt.div(ms).mul(maxFreq).div(1000).mul(signal))));
  },
  {
    schema: configSchema('poisson_spiker'),
    schemaUnits: false,
    domain: 'unit',
    doc: "Spark's PoissonSpiker (poisson_spiker).",
  },
);
