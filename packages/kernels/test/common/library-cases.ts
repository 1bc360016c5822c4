// The definitions of the module library (corrected and Spark-compatible, sync and async) and the
// random inputs of their conformance cases (run on every backend by the backend case table,
// backend-cases.ts); the WGSL snapshots name their files after libraryVariants().
import type { ModuleDefinition } from '../../src/lang/ast.ts';
import { checkDefinition } from '../../src/lang/check.ts';
import { CORRECTED, SPARK_COMPAT } from '../../src/library/compat.ts';
import { LIBRARY } from '../../src/library/registry.ts';
import { testInputs } from './conformance.ts';

/** A distinct definition of a library entry, with the variant it first appears in. */
export interface LibraryVariant {
  /** The entry's Spark registry name. */
  readonly entry: string;
  readonly def: ModuleDefinition;
  /**
   * A name unique within the entry: the definition's name, `.spark` / `.async` / `.spark-async` when
   * it first appears with those switches, and `.2`, `.3` … for further definitions of one name.
   */
  readonly id: string;
}

/** Every distinct definition of every library entry (corrected and Spark-compatible, sync and async). */
export function libraryVariants(): LibraryVariant[] {
  const out: LibraryVariant[] = [];
  for (const entry of Object.values(LIBRARY)) {
    const seen = new Set<string>();
    const ids = new Set<string>();
    for (const [label, compat] of [
      ['', CORRECTED],
      ['spark', SPARK_COMPAT],
    ] as const) {
      for (const async of [false, true]) {
        let defs: readonly ModuleDefinition[] = [];
        try {
          defs = entry.definitions(compat, async);
        } catch {
          continue; // a variant that does not exist (e.g. sync-only rules)
        }
        const suffix = [label, async ? 'async' : ''].filter((x) => x !== '').join('-');
        for (const def of defs) {
          const key = JSON.stringify(def);
          if (seen.has(key)) continue;
          seen.add(key);
          const base = suffix === '' ? def.name : `${def.name}.${suffix}`;
          let id = base;
          for (let k = 2; ids.has(id); k++) id = `${base}.${k}`;
          ids.add(id);
          out.push({ entry: entry.name, def, id });
        }
      }
    }
  }
  return out;
}

/** Every distinct definition of the module library. */
export function allDefinitions(): ModuleDefinition[] {
  const seen = new Set<string>();
  const out: ModuleDefinition[] = [];
  for (const { def } of libraryVariants()) {
    const key = JSON.stringify(def);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(def);
    }
  }
  return out;
}

export const STEPS = 6;
const N_UNITS = 4;
const N_PRE = 3;

export function caseFor(def: ModuleDefinition, salt: number) {
  const c = checkDefinition(def);
  const synapse = c.domain === 'synapse';
  const size = synapse ? N_UNITS * N_PRE : N_UNITS;
  const inputs: Record<string, Float32Array> = {};
  c.inputs.forEach((p, k) => {
    const len = p.extent === 'scalar' ? 1 : p.extent === 'unit' ? N_UNITS : p.extent === 'pre' ? N_PRE : size;
    const spikes = p.payload === 'SpikeArray' || p.payload === 'BooleanMask' || p.payload === 'IntegerMask';
    const raw = testInputs(STEPS, len, spikes ? 0 : -1, spikes ? 1 : 4, salt * 31 + k);
    if (p.type !== 'f32' || spikes)
      for (let i = 0; i < raw.length; i++) raw[i] = (raw[i] as number) < 0.4 ? 1 : 0;
    inputs[p.name] = raw;
  });
  return { size, ...(synapse ? { nPre: N_PRE } : {}), inputs };
}
