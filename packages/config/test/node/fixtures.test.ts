// The repository's fixtures (`<repo>/fixtures/`) are what every test compares against: each file must be
// byte for byte the one its README row describes. The README is the single list of SHA-256 values; this
// test reads it, so a new fixture needs a row (and a changed one a new hash) before any test may use it.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../../fixtures/', import.meta.url);

/** Every file under `fixtures/` but the READMEs and the licence texts, as paths relative to it. */
function fixtureFiles(): string[] {
  const dir = fileURLToPath(ROOT);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((p) => p.split(sep).join('/'))
    .filter((p) => statSync(join(dir, p)).isFile())
    .filter((p) => !p.endsWith('README.md') && !p.startsWith('LICENSES/'))
    .sort();
}

/** `path → SHA-256` from the README's tables: a row starting with a backticked path that holds a hash. */
function readmeHashes(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readFileSync(new URL('README.md', ROOT), 'utf8').split('\n')) {
    const path = /^\| `([^`]+)` \|/.exec(line)?.[1];
    const sha = /`([0-9a-f]{64})`/.exec(line)?.[1];
    if (path === undefined || sha === undefined) continue;
    expect(rows.has(path), `fixtures/README.md lists ${path} twice`).toBe(false);
    rows.set(path, sha);
  }
  return rows;
}

describe('fixtures/ (byte-exact copies and goldens)', () => {
  const files = fixtureFiles();
  const hashes = readmeHashes();

  it('has a README row for every file and a file for every row', () => {
    expect(files.length).toBeGreaterThanOrEqual(35);
    expect([...hashes.keys()].sort()).toEqual(files);
  });

  it.each(files)('%s has the SHA-256 of its README row', (file) => {
    const sha = createHash('sha256')
      .update(readFileSync(new URL(file, ROOT)))
      .digest('hex');
    expect(sha).toBe(hashes.get(file));
  });
});
