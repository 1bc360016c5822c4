/**
 * Writes the benchmark networks as `.scfg` files (XZ around Spark-style JSON) from their exact
 * parameters (`configs.ts`).
 *
 * Usage: pnpm --filter @spark-snn/examples networks:generate [NAME ...] [--n N] [--seed S] [--dtype D] [--out DIR]
 *   no NAME:   cuba, coba, brunel and w4a at their default sizes into apps/examples/networks/
 *   --n N:     the size (e.g. `brunel --n 125000`; Brunel keeps CE = 1000, CI = 250 at any N)
 *   --dtype D: float32 (default) or float16, w4a only (`w4a --dtype float16` → w4a-float16.scfg)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeScfg } from '@spark-snn/config';
import { NETWORK_NAMES, type NetworkName, networkConfig } from './configs.ts';

/** The folder of the committed network files. */
export const NETWORKS_DIR: string = fileURLToPath(new URL('../../networks/', import.meta.url));

/** Options of {@link networkFileBytes}. */
export interface NetworkFileOptions {
  n?: number;
  seed?: number;
  /** Precision of every module; W4a only (the neuroscience networks are f32). */
  dtype?: 'float32' | 'float16';
}

/** The bytes of a network file as the generator writes them. */
export function networkFileBytes(name: NetworkName, o: NetworkFileOptions = {}): Uint8Array {
  if (o.dtype !== undefined && o.dtype !== 'float32' && name !== 'w4a')
    throw new Error(`--dtype ${o.dtype}: only w4a has a float16 variant (${name} is float32)`);
  return writeScfg(networkConfig(name, o).document);
}

function main(argv: readonly string[]): void {
  const names: NetworkName[] = [];
  const o: NetworkFileOptions = {};
  let out = NETWORKS_DIR;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--n' || a === '--seed') {
      const v = Number(value());
      if (!Number.isInteger(v) || v <= 0) throw new Error(`${a} must be a positive integer`);
      if (a === '--n') o.n = v;
      else o.seed = v;
    } else if (a === '--dtype') {
      const v = value();
      if (v !== 'float32' && v !== 'float16')
        throw new Error(`--dtype must be float32 or float16, got "${v}"`);
      o.dtype = v;
    } else if (a === '--out') out = value();
    else if ((NETWORK_NAMES as readonly string[]).includes(a)) names.push(a as NetworkName);
    else
      throw new Error(
        `unknown argument "${a}" (networks: ${NETWORK_NAMES.join(', ')}; options --n, --seed, --dtype, --out)`,
      );
  }
  mkdirSync(out, { recursive: true });
  for (const name of names.length > 0 ? names : NETWORK_NAMES) {
    const suffix = `${o.n !== undefined ? `-${o.n}` : ''}${o.dtype === 'float16' ? '-float16' : ''}`;
    const file = join(out, `${name}${suffix}.scfg`);
    const bytes = networkFileBytes(name, o);
    writeFileSync(file, bytes);
    console.log(`wrote ${file} (${bytes.length} bytes)`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    process.exit(2);
  }
}
