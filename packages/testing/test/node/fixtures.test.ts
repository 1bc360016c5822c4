// The repository's fixtures (`<repo>/fixtures/`) are what every test compares against: each file must be
// byte for byte the one its README row describes. The README is the single list of SHA-256 values; the
// loader reads it, so a new fixture needs a row (and a changed one a new hash) before any test may use it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FIXTURES_DIR,
  fixtureLoader,
  fixturePath,
  fixtures,
  golden,
  goldenFiles,
  readFixture,
  readFixtureJson,
  readFixtureText,
  sha256,
} from '../../src/fixtures.ts';

describe('fixtures/ (byte-exact copies and goldens)', () => {
  const files = fixtures.files();
  const hashes = fixtures.hashes();

  it('has a README row for every file and a file for every row', () => {
    expect(files.length).toBeGreaterThanOrEqual(35);
    expect([...hashes.keys()].sort()).toEqual(files);
  });

  it.each(files)('%s has the SHA-256 of its README row', (file) => {
    expect(sha256(readFixture(file))).toBe(hashes.get(file));
  });
});

describe('the fixture loader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spark-testing-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

  it('reads text, JSON and goldens (a fresh object per call) from the repository fixtures', () => {
    expect(readFixtureText('spark-golden/README.md')).toMatch(/## Tolerances/);
    const g = golden('soma_leaky.json');
    expect(g.module).toBe('leaky_soma');
    expect(g.steps).toBeGreaterThan(0);
    expect(golden('soma_leaky.json')).not.toBe(g);
    expect(golden('soma_leaky.json')).toEqual(g);
    expect(readFixtureJson<{ module: string }>('spark-golden/soma_leaky.json').module).toBe('leaky_soma');
    expect(goldenFiles()).toContain('brain_ab_float32.json');
    expect(goldenFiles().length).toBeGreaterThanOrEqual(26);
    expect(fixturePath('spark/ab_brain.scfg')).toBe(join(FIXTURES_DIR, 'spark', 'ab_brain.scfg'));
  });

  it('refuses paths outside the folder, missing files and files without a README row', () => {
    expect(() => readFixture('../package.json')).toThrow(/must be a path relative to fixtures\//);
    expect(() => readFixture('/etc/passwd')).toThrow(/must be a path relative to fixtures\//);
    expect(() => readFixture('spark/missing.scfg')).toThrow(/fixtures: spark\/missing\.scfg does not exist/);
    expect(() => fixturePath('spark')).toThrow(/fixtures: spark has no row in fixtures\/README\.md/);
    expect(() => golden('no_such_golden.json')).toThrow(/spark-golden\/no_such_golden\.json does not exist/);
  });

  it('checks every read file against its row: a changed file is refused with both hashes', () => {
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'x.bin'), 'abc');
    writeFileSync(join(dir, 'a', 'y.bin'), 'abd');
    const bad = '0'.repeat(64);
    writeFileSync(
      join(dir, 'README.md'),
      `| File | SHA-256 |\n|---|---|\n| \`a/x.bin\` | \`${ABC}\` |\n| \`a/y.bin\` | \`${bad}\` |\n`,
    );
    const f = fixtureLoader(dir);
    expect(f.files()).toEqual(['a/x.bin', 'a/y.bin']);
    expect(new TextDecoder().decode(f.read('a/x.bin'))).toBe('abc');
    expect(f.path('a/x.bin')).toBe(join(dir, 'a', 'x.bin'));
    expect(() => f.path('a/y.bin')).toThrow(/fixtures: a\/y.bin has SHA-256/);
    expect(() => f.read('a/y.bin')).toThrow(
      new RegExp(`fixtures: a/y.bin has SHA-256 [0-9a-f]{64}, fixtures/README.md says ${bad}`),
    );
    writeFileSync(join(dir, 'README.md'), `| \`a/x.bin\` | \`${ABC}\` |\n| \`a/x.bin\` | \`${ABC}\` |\n`);
    expect(() => fixtureLoader(dir).hashes()).toThrow(/README.md:2: a\/x.bin has a second row/);
  });

  it('names the file of a JSON fixture that does not parse', () => {
    expect(() => readFixtureJson('spark/ab_brain.scfg')).toThrow(
      /fixtures: spark\/ab_brain\.scfg is not JSON/,
    );
  });
});
