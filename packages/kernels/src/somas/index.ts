/**
 * Every soma definition of this package, by registry name (the corrected definitions, the default
 * for models made with spark-snn). The complete Spark module library, with the compatibility
 * variants and the structural modules, is `LIBRARY` in `../library/registry.ts`.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { adaptiveExponentialSoma } from './adaptive_exponential_soma.ts';
import { adaptiveLeakySoma } from './adaptive_leaky_soma.ts';
import { brunelLif } from './brunel_lif.ts';
import { cobaLif } from './coba_lif.ts';
import { cubaLif } from './cuba_lif.ts';
import { exponentialSoma } from './exponential_soma.ts';
import { izhikevichSoma } from './izhikevich_soma.ts';
import { leakySoma } from './leaky_soma.ts';
import { refractoryExponentialSoma } from './refractory_exponential_soma.ts';
import { refractoryLeakySoma } from './refractory_leaky_soma.ts';
import { simplifiedAdaptiveExponentialSoma } from './simplified_adaptive_exponential_soma.ts';
import { strictRefractoryLeakySoma } from './strict_refractory_leaky_soma.ts';

/** Registry name → definition. */
export const definitions: Readonly<Record<string, ModuleDefinition>> = {
  leaky_soma: leakySoma,
  refractory_leaky_soma: refractoryLeakySoma,
  strict_refractory_leaky_soma: strictRefractoryLeakySoma,
  adaptive_leaky_soma: adaptiveLeakySoma,
  exponential_soma: exponentialSoma,
  refractory_exponential_soma: refractoryExponentialSoma,
  adaptive_exponential_soma: adaptiveExponentialSoma,
  simplified_adaptive_exponential_soma: simplifiedAdaptiveExponentialSoma,
  izhikevich_soma: izhikevichSoma,
  cuba_lif: cubaLif,
  coba_lif: cobaLif,
  brunel_lif: brunelLif,
};
