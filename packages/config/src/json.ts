/**
 * JSON in Spark's dialect: Python `json.dump(..., indent=4)` output (4-space indent, `", "`
 * item separator turned into `","` + newline, `": "` key separator, ASCII-only strings, Python
 * float repr) and a bounded, pollution-safe parser.
 *
 * @module
 */
import { findJsonError } from './json-errors.ts';

/** Marks a number that Python holds as a `float` (so an integral value is written `2.0`). */
export class PyFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
  /** Plain `JSON.stringify` sees the number. */
  toJSON(): number {
    return this.value;
  }
}

/** Python's `repr(float)`. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'Infinity';
  if (x === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const exp = x.toExponential(); // shortest round-trip digits, e.g. "-1.2345e-7"
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(exp);
  if (!m) return String(x);
  const sign = m[1]!;
  const digits = m[2]! + (m[3] ?? '');
  const e = Number(m[4]);
  if (e >= -5 && e < 16) {
    // fixed notation (Python switches to exponent below 1e-4 and at 1e16)
    if (e < -4) return exponent(sign, digits, e);
    if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
    const intPart = digits.slice(0, e + 1).padEnd(e + 1, '0');
    const frac = digits.slice(e + 1);
    return `${sign}${intPart}.${frac.length > 0 ? frac : '0'}`;
  }
  return exponent(sign, digits, e);
}

function exponent(sign: string, digits: string, e: number): string {
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const es = Math.abs(e) < 10 ? `0${Math.abs(e)}` : String(Math.abs(e));
  return `${sign}${mant}e${e < 0 ? '-' : '+'}${es}`;
}

function pyString(s: string): string {
  return JSON.stringify(s).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function pyNumber(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return x.toFixed(0);
  return pyFloatRepr(x);
}

/**
 * Serialises like Python's `json.dumps(value, indent=4)`. `PyFloat` wrappers print as floats;
 * other integral numbers print as integers. `undefined` object entries are skipped.
 */
export function pyJsonDumps(value: unknown, indent = 4): string {
  const parts: string[] = [];
  const write = (v: unknown, level: number): void => {
    if (v === null || v === undefined) parts.push('null');
    else if (v instanceof PyFloat) parts.push(pyFloatRepr(v.value));
    else if (typeof v === 'number') parts.push(pyNumber(v));
    else if (typeof v === 'boolean') parts.push(v ? 'true' : 'false');
    else if (typeof v === 'string') parts.push(pyString(v));
    else if (Array.isArray(v)) {
      if (v.length === 0) {
        parts.push('[]');
        return;
      }
      const pad = ' '.repeat(indent * (level + 1));
      parts.push('[');
      v.forEach((e, i) => {
        parts.push(i === 0 ? '\n' : ',\n', pad);
        write(e, level + 1);
      });
      parts.push('\n', ' '.repeat(indent * level), ']');
    } else if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, e]) => e !== undefined);
      if (entries.length === 0) {
        parts.push('{}');
        return;
      }
      const pad = ' '.repeat(indent * (level + 1));
      parts.push('{');
      entries.forEach(([k, e], i) => {
        parts.push(i === 0 ? '\n' : ',\n', pad, pyString(k), ': ');
        write(e, level + 1);
      });
      parts.push('\n', ' '.repeat(indent * level), '}');
    } else parts.push('null');
  };
  write(value, 0);
  return parts.join('');
}

/** Limits applied when parsing untrusted JSON. */
export interface JsonLimits {
  /** Maximum nesting depth (default 256). */
  maxDepth?: number;
}

/** Result of {@link safeJsonParse}. */
export type SafeJsonResult =
  | { ok: true; value: unknown; strippedKeys: string[] }
  | { ok: false; message: string };

/**
 * Parses JSON text without ever throwing: `__proto__` keys are removed (reported in
 * `strippedKeys`), nesting deeper than `maxDepth` is refused, and Python's `NaN` / `Infinity`
 * literals (which `json.dump` writes) are accepted.
 */
export function safeJsonParse(text: string, limits: JsonLimits = {}): SafeJsonResult {
  const maxDepth = limits.maxDepth ?? 256;
  // depth check without recursion
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return { ok: false, message: `JSON nesting deeper than ${maxDepth} levels` };
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  let source = text;
  if (/\b(?:NaN|-?Infinity)\b/.test(text)) {
    // Python json.dump writes bare NaN/Infinity; map them to sentinel strings outside strings
    source = replaceOutsideStrings(text);
  }
  const stripped: string[] = [];
  try {
    const value: unknown = JSON.parse(source, (key, v: unknown) => {
      if (key === '__proto__') {
        stripped.push(key);
        return undefined;
      }
      if (typeof v === 'string' && v.startsWith('\u0000pyconst:')) {
        const t = v.slice('\u0000pyconst:'.length);
        return t === 'NaN'
          ? Number.NaN
          : t === 'Infinity'
            ? Number.POSITIVE_INFINITY
            : Number.NEGATIVE_INFINITY;
      }
      return v;
    });
    return { ok: true, value, strippedKeys: stripped };
  } catch (e) {
    const at = findJsonError(text);
    if (at) return { ok: false, message: `line ${at.line}, column ${at.column}: ${at.message}` };
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

function replaceOutsideStrings(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const m = /^(?:NaN|-Infinity|Infinity)/.exec(text.slice(i, i + 9));
    if (m) {
      out += `"\\u0000pyconst:${m[0]}"`;
      i += m[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}
