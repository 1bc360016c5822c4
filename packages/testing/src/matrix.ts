/**
 * One case table run on every backend (as tfjs runs one test file per op on every registered
 * backend): {@link caseMatrix} pairs every case with every backend and says which pairs a backend
 * excludes and why. A case lists the features it exercises (op kinds, `float16`, `random`); a backend
 * lists the features it does not support yet, each with its reason. The test file of a runtime (Vitest
 * in Node and the browser, `Deno.test`) runs the pairs; an excluded pair is reported with its reason,
 * never dropped silently.
 *
 * @module
 */

/** A case of the table: a unique name and the features it exercises. */
export interface MatrixCase {
  readonly name: string;
  readonly features: readonly string[];
}

/** A backend of the table: its name and the features it excludes, each with its reason. */
export interface MatrixBackend {
  readonly name: string;
  /** Feature → why this backend does not run the cases that use it (an issue, a missing capability). */
  readonly excluded?: Readonly<Record<string, string>>;
}

/** One pair of the matrix. */
export interface MatrixCell<C extends MatrixCase, B extends MatrixBackend> {
  readonly case: C;
  readonly backend: B;
  /** `feature: reason` of the first excluded feature the case uses; undefined when the pair runs. */
  readonly excluded: string | undefined;
}

/**
 * Every case on every backend, case-major. Throws on a table that cannot be trusted: two cases with
 * one name, two backends with one name, or an exclusion that names a feature no case exercises (a
 * stale exclusion hides nothing, so it must go).
 */
export function caseMatrix<C extends MatrixCase, B extends MatrixBackend>(
  cases: readonly C[],
  backends: readonly B[],
): MatrixCell<C, B>[] {
  const unique = (names: string[], what: string): void => {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) throw new Error(`caseMatrix: two ${what} are named "${n}"`);
      seen.add(n);
    }
  };
  unique(
    cases.map((c) => c.name),
    'cases',
  );
  unique(
    backends.map((b) => b.name),
    'backends',
  );
  const features = new Set(cases.flatMap((c) => c.features));
  for (const b of backends)
    for (const f of Object.keys(b.excluded ?? {}))
      if (!features.has(f))
        throw new Error(`caseMatrix: backend "${b.name}" excludes "${f}", which no case exercises`);
  return cases.flatMap((c) =>
    backends.map((b) => {
      const f = c.features.find((x) => b.excluded?.[x] !== undefined);
      return { case: c, backend: b, excluded: f === undefined ? undefined : `${f}: ${b.excluded?.[f]}` };
    }),
  );
}
