/**
 * Bytes-in/bytes-out entry points used by the `spark convert` and `spark map` CLI commands and by
 * the editor (which shows the returned diagnostics in its console). No file-system access here.
 *
 * @module
 */

import { nirToHw } from './convert/nir-hw.ts';
import { type HardwareProfile, PROFILES } from './devices/profiles.ts';
import type { XyloConfig } from './devices/xylo/config.ts';
import { type MapToDeviceOptions, mapToDevice } from './devices/xylo/pipeline.ts';
import { type RockpoolSpec, toRockpoolSpec } from './devices/xylo/spec.ts';
import { type Diagnostic, diag } from './diagnostics.ts';
import { type ReadNirOptions, readNir, writeNir } from './nir/hdf5.ts';
import { fromNirJson, toNirJson } from './nir/json.ts';
import type { NirGraph } from './nir/types.ts';

/** Formats understood by {@link convertNirBytes}: NIR HDF5 and the non-standard JSON debug form. */
export type NirFormat = 'nir' | 'nir.json';

/** Guesses the format from a file name (`.nir.json` / `.json` → JSON, else HDF5). */
export function nirFormatOf(fileName: string): NirFormat {
  return /\.json$/i.test(fileName) ? 'nir.json' : 'nir';
}

/** Reads NIR from bytes in either format. Never throws. */
export async function readNirAny(
  bytes: Uint8Array,
  format: NirFormat,
  options: ReadNirOptions = {},
): Promise<{ graph: NirGraph | undefined; diagnostics: Diagnostic[] }> {
  if (format === 'nir.json') {
    const r = fromNirJson(new TextDecoder().decode(bytes));
    return { graph: r.graph, diagnostics: r.diagnostics };
  }
  const r = await readNir(bytes, options);
  return { graph: r.graph, diagnostics: r.diagnostics };
}

/** `spark convert`: NIR HDF5 ⇄ JSON debug form (or re-write the same format, normalised). */
export async function convertNirBytes(
  bytes: Uint8Array,
  from: NirFormat,
  to: NirFormat,
  options: ReadNirOptions = {},
): Promise<{ output: Uint8Array | undefined; diagnostics: Diagnostic[] }> {
  const r = await readNirAny(bytes, from, options);
  if (!r.graph || r.diagnostics.some((d) => d.severity === 'error'))
    return { output: undefined, diagnostics: r.diagnostics };
  const output = to === 'nir' ? await writeNir(r.graph) : new TextEncoder().encode(toNirJson(r.graph));
  return { output, diagnostics: r.diagnostics };
}

/** Options of {@link mapNirBytes}. */
export interface MapNirOptions extends MapToDeviceOptions, ReadNirOptions {
  /** Time step in seconds used for the neurons (else graph metadata, else estimated). */
  dt?: number;
}

/** Result of {@link mapNirBytes}. */
export interface MapNirResult {
  readonly ok: boolean;
  readonly config?: XyloConfig;
  /** Rockpool-style specification of the float mapping, for cross-checking in Python. */
  readonly rockpoolSpec?: RockpoolSpec;
  readonly diagnostics: Diagnostic[];
}

/** Looks up a profile by id (`xylo-audio-2`, `xylo-audio-3`, `xylo-imu`, `my-hardware`). */
export function profileById(id: string): HardwareProfile | undefined {
  return PROFILES[id];
}

/** `spark map`: NIR bytes → hardware graph → DRC → map → quantise → validated configuration. Never throws. */
export async function mapNirBytes(
  bytes: Uint8Array,
  format: NirFormat,
  profile: HardwareProfile | string,
  options: MapNirOptions = {},
): Promise<MapNirResult> {
  const p = typeof profile === 'string' ? profileById(profile) : profile;
  if (!p) {
    return {
      ok: false,
      diagnostics: [
        diag('error', 'map.unknown-device', '', `unknown device ${JSON.stringify(profile)}`, {
          hint: `one of ${Object.keys(PROFILES).join(', ')}`,
        }),
      ],
    };
  }
  const r = await readNirAny(bytes, format, options);
  if (!r.graph || r.diagnostics.some((d) => d.severity === 'error'))
    return { ok: false, diagnostics: r.diagnostics };
  const hw = nirToHw(r.graph, options.dt !== undefined ? { dt: options.dt } : {});
  const diagnostics = [...r.diagnostics, ...hw.diagnostics];
  if (hw.diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  const m = mapToDevice(hw.graph, p, options);
  diagnostics.push(...m.diagnostics);
  return {
    ok: m.ok,
    ...(m.config ? { config: m.config } : {}),
    ...(m.spec ? { rockpoolSpec: toRockpoolSpec(m.spec, p) } : {}),
    diagnostics,
  };
}
