/**
 * Random instances of definitions for property tests of the language tools (the compiled
 * interpreter, the event analysis): a seeded generator, parameters that meet their validators at
 * magnitudes from 0.1 to 1000, states and inputs of every extent. Tests only.
 *
 * @module
 */

import { extentLength, type InstanceShape, type ParamValue } from './interpret.ts';
import type { CheckedDefinition } from './ir.ts';

/** A small deterministic generator in [0, 1); neighbouring seeds start far apart. */
export function lcg(seed: number): () => number {
  let s = Math.imul((seed ^ 0x9e3779b9) >>> 0, 0x85ebca6b) >>> 0;
  s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A random value of a type: f32 magnitudes from 0.1 to 1000 (so every parameter's range is met by some seed). */
export function randomValue(rnd: () => number, type: string): number {
  if (type === 'f32') return (rnd() - 0.3) * 10 ** (rnd() * 4 - 1);
  if (type === 'i32') return Math.floor((rnd() - 0.5) * 20);
  if (type === 'u32') return Math.floor(rnd() * 20);
  return rnd() < 0.5 ? 0 : 1;
}

/**
 * Random parameters of `def` (validators met: `positive` ≥ 0.5, `zero_one` in [0, 1)); host-set
 * internals (`_ms`, `_space`, …) keep their defaults. `perClass` draws per-element parameters from
 * that many values only (parameter classes, as per-type tuples give).
 */
export function randomParams(
  def: CheckedDefinition,
  rnd: () => number,
  shape: InstanceShape,
  perClass?: number,
): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  for (const p of def.params) {
    if (p.name.startsWith('_')) continue;
    const draw = () => {
      if (p.validators.includes('zero_one')) return rnd();
      const v = randomValue(rnd, p.type);
      return p.validators.includes('positive') ? Math.abs(v) + 0.5 : v;
    };
    if (p.extent === 'scalar') params[p.name] = draw();
    else if (perClass === undefined)
      params[p.name] = Float64Array.from({ length: extentLength(p.extent, shape) }, draw);
    else {
      const values = Array.from({ length: perClass }, draw);
      params[p.name] = Float64Array.from(
        { length: extentLength(p.extent, shape) },
        (_, k) => values[k % perClass] as number,
      );
    }
  }
  return params;
}
