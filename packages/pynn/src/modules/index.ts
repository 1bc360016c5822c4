/**
 * Every module kind the PyNN export maps, by registry name.
 *
 * @module
 */
import { brunelLifMapping } from './brunel_lif.ts';
import { cobaLifMapping } from './coba_lif.ts';
import { cubaLifMapping } from './cuba_lif.ts';
import { linearSynapsesMapping } from './linear_synapses.ts';
import type { ModuleMapping } from './mapping.ts';
import { poissonDriveMapping } from './poisson_drive.ts';
import { sparseSynapsesMapping } from './sparse_synapses.ts';

export type * from './mapping.ts';

/** The built-in mappings, by registry name. */
export const PYNN_MAPPINGS: ReadonlyMap<string, ModuleMapping> = new Map<string, ModuleMapping>(
  [
    cubaLifMapping,
    cobaLifMapping,
    brunelLifMapping,
    poissonDriveMapping,
    sparseSynapsesMapping,
    linearSynapsesMapping,
  ].map((m) => [m.module, m]),
);
