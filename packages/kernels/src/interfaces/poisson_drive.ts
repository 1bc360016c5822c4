/**
 * `poisson_drive` (spark-snn addition): an external Poisson drive, a source module without inputs.
 * Each unit receives `sources` independent Poisson sources of `rate` each, summed into one jump per
 * step:
 * ```
 * current = weight · Poisson(rate · sources · dt)
 * ```
 * (Brunel's ν_ext: `rate = η·ν_thr`, `sources = C_E`; benchmarks.md §1.3). The draw inverts one
 * uniform against the Poisson CDF unrolled to {@link POISSON_TERMS} terms.
 *
 * @module
 */

import type { ModuleDefinition } from '../lang/ast.ts';
import { parseDefinition } from '../lang/parser.ts';
import { bindSchema } from '../lang/schema.ts';
import { configSchema } from '../library/schema.ts';

/** Terms of the unrolled Poisson inversion of {@link poissonDrive}. */
export const POISSON_TERMS = 24;

function poissonSource(): string {
  const lam = '(rate * sources * dt)';
  // Σ_{m ≤ k} λ^m / m! in Horner form: 1 + λ/1·(1 + λ/2·(… (1 + λ/k))).
  const partial = (k: number): string => {
    let h = '1';
    for (let m = k; m >= 1; m--) h = `1 + ${lam} / ${m} * (${h})`;
    return h;
  };
  const lines = [
    'module poisson_drive over unit',
    'param rate: f32',
    'param sources: f32',
    'param weight: f32',
    'output current: CurrentArray f32 [mV]',
    '',
    '# CDF of Poisson(λ = rate · sources · dt), written over parameters only so that every c_k is',
    '# hoisted (computed once on the host in float64).',
  ];
  for (let k = 0; k < POISSON_TERMS; k++) {
    lines.push(`let c${k} = exp(-${lam}) * (${partial(k)})`);
  }
  lines.push('let u = uniform()');
  // A nested conditional (short-circuits after ~λ + 1 comparisons where the target branches), in
  // blocks of 8 lets to stay below the parser's nesting limit.
  let chain = `${POISSON_TERMS}`;
  for (let k = POISSON_TERMS - 1; k >= 0; k--) {
    chain = `u < c${k} ? ${k} : (${chain})`;
    if (k % 8 === 0 && k > 0) {
      lines.push(`let q${k} = ${chain}`);
      chain = `q${k}`;
    }
  }
  lines.push(`current = weight * f32(${chain})`);
  return lines.join('\n');
}

/**
 * Text of {@link poissonDrive}: inversion of one uniform against the Poisson CDF unrolled to
 * {@link POISSON_TERMS} terms (the tail beyond 23 arrivals per step is below 1e−9
 * for `rate · sources · dt ≤ 4`, i.e. Brunel's η ≤ 4, and 3e−6 at 8; larger means are truncated).
 */
export const POISSON_DRIVE_SOURCE: string = poissonSource();

/** External Poisson drive of many independent sources per unit. */
export const poissonDrive: ModuleDefinition = bindSchema(
  parseDefinition(POISSON_DRIVE_SOURCE),
  configSchema('poisson_drive'),
);
