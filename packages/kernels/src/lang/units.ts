/**
 * Physical units of the equation language: SI dimensions plus a power-of-ten scale.
 *
 * A unit string is a product of atoms separated by `*`, `/` or spaces, each atom a prefix
 * (`p n u µ m c k M G`) and a base (`V A s S Ohm Ω Hz F`), with an optional integer exponent
 * (`ms^-1`, `mV^2`); `1` is dimensionless. Spark's units are consistent in this algebra
 * (GΩ·pA = mV, nS·mV = pA).
 *
 * @module
 */

/** Exponents of kg, m, s, A and the decimal scale. */
export interface Unit {
  readonly dims: readonly [number, number, number, number];
  readonly scale: number;
}

/** The dimensionless unit. */
export const DIMENSIONLESS: Unit = { dims: [0, 0, 0, 0], scale: 0 };

const BASES: Record<string, Unit> = {
  V: { dims: [1, 2, -3, -1], scale: 0 },
  A: { dims: [0, 0, 0, 1], scale: 0 },
  s: { dims: [0, 0, 1, 0], scale: 0 },
  S: { dims: [-1, -2, 3, 2], scale: 0 },
  Ohm: { dims: [1, 2, -3, -2], scale: 0 },
  Ω: { dims: [1, 2, -3, -2], scale: 0 },
  Hz: { dims: [0, 0, -1, 0], scale: 0 },
  F: { dims: [-1, -2, 4, 2], scale: 0 },
};

const PREFIXES: Record<string, number> = { p: -12, n: -9, u: -6, µ: -6, m: -3, c: -2, k: 3, M: 6, G: 9 };

function mul(a: Unit, b: Unit, sign = 1): Unit {
  return {
    dims: [
      a.dims[0] + sign * b.dims[0],
      a.dims[1] + sign * b.dims[1],
      a.dims[2] + sign * b.dims[2],
      a.dims[3] + sign * b.dims[3],
    ],
    scale: a.scale + sign * b.scale,
  };
}

/** Product of two units. */
export function unitMul(a: Unit, b: Unit): Unit {
  return mul(a, b, 1);
}

/** Quotient of two units. */
export function unitDiv(a: Unit, b: Unit): Unit {
  return mul(a, b, -1);
}

/** `a` raised to an integer or half-integer power; `undefined` when the result is not integral. */
export function unitPow(a: Unit, p: number): Unit | undefined {
  const dims = a.dims.map((d) => d * p);
  const scale = a.scale * p;
  if (!dims.every(Number.isInteger) || !Number.isInteger(scale)) return undefined;
  return { dims: dims as unknown as Unit['dims'], scale };
}

/** True when both units are identical (same dimensions and scale). */
export function unitEquals(a: Unit, b: Unit): boolean {
  return a.scale === b.scale && a.dims.every((d, i) => d === b.dims[i]);
}

/** True when the unit has no dimension (scale may differ from 1). */
export function isDimensionless(a: Unit): boolean {
  return a.dims.every((d) => d === 0);
}

function parseAtom(atom: string): Unit | undefined {
  const m = /^([^^]+)(?:\^(-?\d+))?$/.exec(atom);
  if (m === null) return undefined;
  const body = m[1] as string;
  const exp = m[2] === undefined ? 1 : Number(m[2]);
  let base: Unit | undefined;
  if (body === '1') base = DIMENSIONLESS;
  else if (BASES[body] !== undefined) base = BASES[body];
  else {
    for (const [prefix, scale] of Object.entries(PREFIXES)) {
      if (body.startsWith(prefix)) {
        const b = BASES[body.slice(prefix.length)];
        if (b !== undefined) {
          base = { dims: b.dims, scale: b.scale + scale };
          break;
        }
      }
    }
  }
  return base === undefined ? undefined : unitPow(base, exp);
}

/** Parses a unit string; `undefined` when it is not understood. */
export function parseUnit(text: string): Unit | undefined {
  if (text.length > 64) return undefined;
  const src = text.trim();
  if (src === '' || src === '1') return DIMENSIONLESS;
  let unit = DIMENSIONLESS;
  let sign = 1;
  for (const tok of src.split(/\s*([*/ ])\s*/)) {
    if (tok === '*' || tok === ' ') sign = 1;
    else if (tok === '/') sign = -1;
    else if (tok === '') return undefined;
    else {
      const a = parseAtom(tok);
      if (a === undefined) return undefined;
      unit = mul(unit, a, sign);
    }
  }
  return unit;
}

/** A readable rendering of a unit (`kg^1 m^2 s^-3 A^-1 ×1e-3`), used in error messages. */
export function formatUnit(u: Unit): string {
  const names = ['kg', 'm', 's', 'A'];
  const parts = u.dims.flatMap((d, i) => (d === 0 ? [] : [`${names[i]}${d === 1 ? '' : `^${d}`}`]));
  const base = parts.length === 0 ? '1' : parts.join('·');
  return u.scale === 0 ? base : `${base}×1e${u.scale}`;
}
