/**
 * The comparison of a recorded trace with a reference (a Spark golden, the float64 interpreter, another
 * backend) under the rule of `fixtures/spark-golden/README.md` ("Tolerances"): continuous float32
 * values agree when rel = |a − b| / max(|b|, 1) ≤ 1e-5 (b the reference), spikes, integers and moves
 * exactly. Every mismatch names the trace, the step, the index and both values.
 *
 * @module
 */

/** The float32 tolerance of the goldens' README: rel ≤ 1e-5. */
export const FLOAT32_REL_TOL = 1e-5;

/** How a trace must agree: `float32` within a relative tolerance, `exact` bit for bit (spikes, integers). */
export type TraceRule = 'float32' | 'exact';

/**
 * A trace: one row per step, or all steps in one flat array (step-major, as the backends record). A
 * flat trace is split into as many rows as the reference has.
 */
export type Trace = readonly ArrayLike<number>[] | ArrayLike<number>;

/**
 * The README's relative difference |a − b| / max(|b|, 1), `b` the reference. Infinite when either is
 * NaN; 0 when they are equal (infinities included).
 */
export function relDiff(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.POSITIVE_INFINITY;
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(b), 1);
}

function isRows(t: Trace): t is readonly ArrayLike<number>[] {
  return Array.isArray(t) && t.length > 0 && typeof t[0] !== 'number';
}

/** The rows of a trace; a flat one split into `steps` rows of equal length. */
export function traceRows(t: Trace, steps: number): readonly ArrayLike<number>[] {
  if (isRows(t)) return t;
  const flat = t as ArrayLike<number>;
  if (steps <= 0 || flat.length % steps !== 0)
    throw new Error(`traceRows: ${flat.length} values do not split into ${steps} steps`);
  const n = flat.length / steps;
  const slice = (k: number): ArrayLike<number> =>
    ArrayBuffer.isView(flat)
      ? (flat as unknown as Float64Array).subarray(k * n, (k + 1) * n)
      : Array.prototype.slice.call(flat, k * n, (k + 1) * n);
  return Array.from({ length: steps }, (_, k) => slice(k));
}

/** Mismatches kept in full (the rest are counted). */
const KEEP = 10;

/**
 * Collects the mismatches of traces against their references: the first ten in full (`name step t
 * [i]: got a, expected b (rel …)`), the count of the others, the largest relative difference of the
 * float32 comparisons and the number of values checked. A test asserts
 * `expect(cmp.mismatches).toEqual([])` (the report lists them) and, where a case could be empty,
 * `cmp.checked`.
 */
export class TraceComparison {
  /** The first mismatches in full, then one line with the count of the others. */
  readonly mismatches: string[] = [];
  /** Largest relative difference seen by the float32 comparisons. */
  worst = 0;
  /** Values compared. */
  checked = 0;
  private dropped = 0;

  /**
   * Compares one row (`step` names it in messages) under `rule`; `tol` overrides the float32 tolerance
   * (say why where a test does).
   */
  row(
    name: string,
    actual: ArrayLike<number>,
    expected: ArrayLike<number>,
    rule: TraceRule,
    options: { step?: number; tol?: number } = {},
  ): this {
    const where = options.step === undefined ? name : `${name} step ${options.step}`;
    const tol = options.tol ?? FLOAT32_REL_TOL;
    if (actual.length !== expected.length)
      this.fail(`${where}: ${actual.length} values, expected ${expected.length}`);
    const n = Math.min(actual.length, expected.length);
    for (let i = 0; i < n; i++) {
      const a = actual[i] as number;
      const b = expected[i] as number;
      this.checked++;
      if (rule === 'exact') {
        if (!Object.is(a, b) && a !== b) this.fail(`${where} [${i}]: got ${a}, expected ${b}`);
        continue;
      }
      const d = relDiff(a, b);
      if (d > this.worst) this.worst = d;
      if (!(d <= tol))
        this.fail(`${where} [${i}]: got ${a}, expected ${b} (rel ${d.toExponential(2)} > ${tol})`);
    }
    return this;
  }

  /** Compares a whole trace, step by step, under `rule` (see {@link TraceComparison.row}). */
  trace(name: string, actual: Trace, expected: Trace, rule: TraceRule, options: { tol?: number } = {}): this {
    const want = isRows(expected) ? expected : [expected as ArrayLike<number>];
    const got = traceRows(actual, want.length);
    if (got.length !== want.length) this.fail(`${name}: ${got.length} steps, expected ${want.length}`);
    for (let t = 0; t < Math.min(got.length, want.length); t++)
      this.row(name, got[t] as ArrayLike<number>, want[t] as ArrayLike<number>, rule, {
        ...options,
        step: t,
      });
    return this;
  }

  /**
   * Throws an Error listing the mismatches (headed by `what`) when there are any, or when nothing was
   * compared (a comparison of empty traces proves nothing). For runtimes without `expect` (Deno) and
   * for case tables that run under several.
   */
  assert(what: string): void {
    if (this.mismatches.length > 0) {
      const count = Math.min(this.mismatches.length, KEEP) + this.dropped;
      throw new Error(`${what}: ${count} mismatch(es)\n${this.mismatches.join('\n')}`);
    }
    if (this.checked === 0) throw new Error(`${what}: no value was compared`);
  }

  private fail(message: string): void {
    if (this.mismatches.length < KEEP) {
      this.mismatches.push(message);
      return;
    }
    this.dropped++;
    this.mismatches[KEEP] = `… and ${this.dropped} more`;
  }
}

/**
 * The mismatches of one trace against its reference (empty when they agree): the one-line form of
 * {@link TraceComparison}.
 */
export function compareTrace(
  name: string,
  actual: Trace,
  expected: Trace,
  rule: TraceRule,
  options: { tol?: number } = {},
): string[] {
  return new TraceComparison().trace(name, actual, expected, rule, options).mismatches;
}

/** Flattens nested arrays of numbers (row-major; booleans as 0/1) and rounds every value to float32. */
export function flat32(x: unknown, path = 'value'): number[] {
  const out: number[] = [];
  const walk = (v: unknown, at: string): void => {
    if (Array.isArray(v)) {
      for (const [k, e] of v.entries()) walk(e, `${at}[${k}]`);
    } else if (typeof v === 'number') out.push(Math.fround(v));
    else if (typeof v === 'boolean') out.push(v ? 1 : 0);
    else throw new Error(`${at}: expected a number, got ${JSON.stringify(v)}`);
  };
  walk(x, path);
  return out;
}

/** The per-step rows of a golden `[T][...]` array, each flattened and rounded to float32. */
export function rows(x: unknown, path = 'value'): number[][] {
  if (!Array.isArray(x)) throw new Error(`${path}: expected an array of steps, got ${typeof x}`);
  return x.map((r, t) => flat32(r, `${path}[${t}]`));
}

/**
 * Config values of a golden as parameters: numbers rounded to float32 and arrays flattened, for the
 * listed keys that are present (null and missing keys skipped).
 */
export function goldenParams(
  config: Readonly<Record<string, unknown>>,
  keys: readonly string[],
): Record<string, number | number[]> {
  const out: Record<string, number | number[]> = {};
  for (const k of keys) {
    const v = config[k];
    if (v === undefined || v === null) continue;
    out[k] = typeof v === 'number' ? Math.fround(v) : flat32(v, `config.${k}`);
  }
  return out;
}
