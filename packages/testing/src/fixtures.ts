/**
 * The loader of the repository's `fixtures/` folder (Node and Deno; it reads files): every test of
 * every package reads upstream copies and Spark goldens through it, never through a path of its own.
 *
 * A file is addressed by its path relative to `fixtures/` (`spark/ab_brain.scfg`,
 * `spark-golden/soma_leaky.json`). Reading it checks its SHA-256 against the row of
 * `fixtures/README.md`, the folder's provenance file, so a test never runs on a changed or truncated
 * copy; a file without a row is refused (the README and the licence texts aside).
 *
 * @module
 */

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `packages/testing/src/fixtures.ts`). */
export const REPO_DIR: string = fileURLToPath(new URL('../../../', import.meta.url));

/** `<repo>/fixtures/`: upstream copies, Spark goldens and their provenance (`README.md`). */
export const FIXTURES_DIR: string = join(REPO_DIR, 'fixtures');

/** Files of `fixtures/` that have no provenance row: the READMEs and the licence texts. */
function unlisted(path: string): boolean {
  return path === 'README.md' || path.endsWith('/README.md') || path.startsWith('LICENSES/');
}

/** A fixture path as written by a test: relative, `/`-separated, inside `fixtures/`. */
function checkPath(path: string): string {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.split('/').includes('..'))
    throw new Error(`fixtures: "${path}" must be a path relative to fixtures/ (e.g. "spark/ab_brain.scfg")`);
  return path;
}

/** A loader of a fixtures folder (its files, addressed relative to it, and its `README.md` rows). */
export interface FixtureLoader {
  /** The folder. */
  readonly dir: string;
  /**
   * `path → SHA-256` from the tables of the folder's `README.md`: each row that starts with a
   * backticked path and holds a 64-digit hash. A path listed twice is an error.
   */
  hashes(): ReadonlyMap<string, string>;
  /** Every file that needs a provenance row (READMEs and licences aside), sorted. */
  files(): string[];
  /**
   * The absolute path of a fixture, for APIs that take a file name (a CLI under test, a browser
   * upload), after the checks of {@link FixtureLoader.read}: the file exists, has a provenance row and
   * its bytes have that row's SHA-256.
   */
  path(path: string): string;
  /**
   * The bytes of a fixture, checked against the SHA-256 of its README row (once per loader). Throws,
   * naming the path and both hashes, when they differ.
   */
  read(path: string): Uint8Array;
}

/** A {@link FixtureLoader} of the folder `dir` (tests of the loader use their own folder). */
export function fixtureLoader(dir: string): FixtureLoader {
  let hashes: ReadonlyMap<string, string> | undefined;
  const verified = new Set<string>();
  const loader: FixtureLoader = {
    dir,
    hashes() {
      if (hashes !== undefined) return hashes;
      const rows = new Map<string, string>();
      const text = readFileSync(join(dir, 'README.md'), 'utf8');
      for (const [k, line] of text.split('\n').entries()) {
        const path = /^\| `([^`]+)` \|/.exec(line)?.[1];
        const sha = /`([0-9a-f]{64})`/.exec(line)?.[1];
        if (path === undefined || sha === undefined) continue;
        if (rows.has(path)) throw new Error(`fixtures/README.md:${k + 1}: ${path} has a second row`);
        rows.set(path, sha);
      }
      hashes = rows;
      return rows;
    },
    files() {
      return readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .map((p) => p.split(sep).join('/'))
        .filter((p) => statSync(join(dir, p)).isFile() && !unlisted(p))
        .sort();
    },
    path(path) {
      loader.read(path);
      return join(dir, path);
    },
    read(path) {
      const abs = join(dir, checkPath(path));
      if (!existsSync(abs)) throw new Error(`fixtures: ${path} does not exist (${dir})`);
      if (!unlisted(path) && !loader.hashes().has(path))
        throw new Error(
          `fixtures: ${path} has no row in fixtures/README.md (add its provenance and SHA-256)`,
        );
      const bytes = new Uint8Array(readFileSync(abs));
      if (!unlisted(path) && !verified.has(path)) {
        const want = loader.hashes().get(path);
        const got = sha256(bytes);
        if (got !== want)
          throw new Error(
            `fixtures: ${path} has SHA-256 ${got}, fixtures/README.md says ${want} (a fixture is never edited: restore it, or give the new file its own row)`,
          );
        verified.add(path);
      }
      return bytes;
    },
  };
  return loader;
}

/** SHA-256 of some bytes, as lowercase hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The loader of `<repo>/fixtures/`. */
export const fixtures: FixtureLoader = fixtureLoader(FIXTURES_DIR);

/** The absolute path of a file of `fixtures/`, SHA-256 checked (see {@link FixtureLoader.path}). */
export function fixturePath(path: string): string {
  return fixtures.path(path);
}

/** The bytes of a file of `fixtures/`, SHA-256 checked (see {@link FixtureLoader.read}). */
export function readFixture(path: string): Uint8Array {
  return fixtures.read(path);
}

/** A fixture as UTF-8 text (checked as {@link readFixture}). */
export function readFixtureText(path: string): string {
  return new TextDecoder().decode(readFixture(path));
}

/** A JSON fixture, parsed (checked as {@link readFixture}); a parse error names the path. */
export function readFixtureJson<T = unknown>(path: string): T {
  const text = readFixtureText(path);
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`fixtures: ${path} is not JSON: ${(e as Error).message}`);
  }
}

/** The common fields of a Spark golden (`fixtures/spark-golden/README.md`, "Common file format"). */
export interface Golden {
  /** Spark registry name of the module (`brain` for the whole-brain run). */
  readonly module: string;
  readonly config: Record<string, unknown>;
  readonly dt: number;
  readonly dtype: string;
  readonly steps: number;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly state: {
    readonly per_step?: Record<string, unknown>;
    readonly derived?: Record<string, { dtype: string; shape: number[]; data: unknown }>;
  };
  readonly notes: string;
  readonly diagnostics?: unknown;
}

/**
 * A Spark golden of `fixtures/spark-golden/` by file name (`soma_leaky.json`): a fresh object on every
 * call, so a test may change it. `T` narrows the fields a test reads.
 */
export function golden<T = Golden>(file: string): T {
  return readFixtureJson<T>(`spark-golden/${file}`);
}

/** The file names of every Spark golden (`*.json` of `fixtures/spark-golden/`), sorted. */
export function goldenFiles(): string[] {
  return fixtures
    .files()
    .filter((p) => p.startsWith('spark-golden/') && p.endsWith('.json'))
    .map((p) => p.slice('spark-golden/'.length));
}
