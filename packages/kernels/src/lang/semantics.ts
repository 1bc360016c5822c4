/**
 * Scalar semantics of the equation language, shared by the interpreter and the generated
 * JavaScript. They follow WGSL: integer division by zero yields the dividend, integer remainder by
 * zero yields 0, `round` rounds half to even, float→integer conversions truncate and saturate,
 * i32↔u32 conversions reinterpret the bits.
 *
 * @module
 */

/** Round half to even (WGSL `round`). */
export function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** WGSL `sign` for floats and signed integers. */
export function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

/** i32 division (truncating; by zero → dividend; overflow → dividend). */
export function idiv(a: number, b: number): number {
  if (b === 0 || (a === -2147483648 && b === -1)) return a;
  return (a / b) | 0;
}

/** u32 division (by zero → dividend). */
export function udiv(a: number, b: number): number {
  return b === 0 ? a : Math.floor(a / b) >>> 0;
}

/** i32 remainder (by zero → 0). */
export function irem(a: number, b: number): number {
  if (b === 0 || (a === -2147483648 && b === -1)) return 0;
  return (a % b) | 0;
}

/** u32 remainder (by zero → 0). */
export function urem(a: number, b: number): number {
  return b === 0 ? 0 : (a % b) >>> 0;
}

/** f32 → i32 (truncate, saturate, NaN → 0). */
export function f2i(x: number): number {
  if (Number.isNaN(x)) return 0;
  if (x >= 2147483647) return 2147483647;
  if (x <= -2147483648) return -2147483648;
  return Math.trunc(x) | 0;
}

/** f32 → u32 (truncate, saturate, NaN → 0). */
export function f2u(x: number): number {
  if (Number.isNaN(x) || x <= 0) return 0;
  if (x >= 4294967295) return 4294967295;
  return Math.trunc(x) >>> 0;
}

/**
 * The scalar helpers above by name: what generated JavaScript and the compiled interpreter call for
 * rounding, signs, integer division and float→integer conversion.
 */
export const SCALAR_HELPERS = { roundEven, sign, idiv, udiv, irem, urem, f2i, f2u } as const;
