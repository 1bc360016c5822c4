/**
 * Loader of the Spark golden fixtures (`<repo>/fixtures/spark-golden/`) and
 * the comparison helpers of the README's tolerances. Node only.
 *
 * @module
 */

import { readFileSync } from 'node:fs';

/** Folder of the golden fixtures (`<repo>/fixtures/spark-golden/`). */
export const GOLDEN_DIR: URL = new URL('../../../../../fixtures/spark-golden/', import.meta.url);

/** A golden file (loosely typed: each test reads the fields it needs). */
export interface Golden {
  readonly module: string;
  readonly config: Record<string, unknown>;
  readonly dt: number;
  readonly dtype: string;
  readonly steps: number;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly state: {
    per_step?: Record<string, unknown>;
    derived?: Record<string, { dtype: string; shape: number[]; data: unknown }>;
  };
  readonly notes: string;
  readonly diagnostics?: unknown;
}

const cache = new Map<string, Golden>();

/** Reads and parses one fixture (cached). */
export function loadGolden(file: string): Golden {
  let g = cache.get(file);
  if (g === undefined) {
    g = JSON.parse(readFileSync(new URL(file, GOLDEN_DIR), 'utf8')) as Golden;
    cache.set(file, g);
  }
  return g;
}

/** Flattens nested arrays of numbers (row-major) and rounds every value to float32. */
export function flat32(x: unknown): number[] {
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const e of v) walk(e);
    else if (typeof v === 'number') out.push(Math.fround(v));
    else if (typeof v === 'boolean') out.push(v ? 1 : 0);
    else throw new Error(`flat32: not a number: ${JSON.stringify(v)}`);
  };
  walk(x);
  return out;
}

/** Per-step rows of a `[T][...]` array, each flattened and rounded to float32. */
export function rows(x: unknown): number[][] {
  if (!Array.isArray(x)) throw new Error('rows: not an array');
  return x.map((r) => flat32(r));
}

/** Config values as parameters: numbers and arrays (flattened, float32), skipping the listed keys. */
export function configParams(
  config: Record<string, unknown>,
  keys: readonly string[],
): Record<string, number | number[]> {
  const out: Record<string, number | number[]> = {};
  for (const k of keys) {
    const v = config[k];
    if (v === undefined || v === null) continue;
    out[k] = typeof v === 'number' ? Math.fround(v) : flat32(v);
  }
  return out;
}

/** The README's relative difference: |a − b| / max(|b|, 1). */
export function relDiff(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.POSITIVE_INFINITY;
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(b), 1);
}

/** Collects mismatches of `actual` against `expected` (first 10 kept) and the largest difference. */
export class Comparison {
  readonly mismatches: string[] = [];
  worst = 0;
  checked = 0;
  /** Compares continuous values with a relative tolerance. */
  close(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
    if (actual.length !== expected.length)
      this.fail(`${what}: length ${actual.length} vs ${expected.length}`);
    for (let i = 0; i < expected.length; i++) {
      const d = relDiff(actual[i] as number, expected[i] as number);
      this.checked++;
      if (d > this.worst) this.worst = d;
      if (d > tol) this.fail(`${what}[${i}]: ${actual[i]} vs ${expected[i]} (rel ${d.toExponential(2)})`);
    }
  }
  /** Compares exactly. */
  exact(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>): void {
    if (actual.length !== expected.length)
      this.fail(`${what}: length ${actual.length} vs ${expected.length}`);
    for (let i = 0; i < expected.length; i++) {
      this.checked++;
      if (actual[i] !== expected[i]) this.fail(`${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
    }
  }
  private fail(msg: string): void {
    if (this.mismatches.length < 10) this.mismatches.push(msg);
    else if (this.mismatches.length === 10) this.mismatches.push('…');
  }
}
