/**
 * `spark validate` on the config package's broken-config corpus: every file's errors and warnings
 * come out with the exact code and path the corpus expects, and the exit code follows them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spark } from './helpers.ts';

const CORPUS = fileURLToPath(new URL('../../../../packages/config/test/fixtures/broken/', import.meta.url));
const EXPECTED = join(CORPUS, 'expected.json');

interface Case {
  description: string;
  errors: string[];
  warnings: string[];
}

const cases: [string, Case][] = existsSync(EXPECTED)
  ? Object.entries(JSON.parse(readFileSync(EXPECTED, 'utf8')) as Record<string, Case>)
  : [];

describe.runIf(cases.length > 0)('spark validate on the broken-config corpus', () => {
  it.each(cases)('%s', async (file, expected) => {
    const r = await spark(['validate', join(CORPUS, file), '--json']);
    const doc = r.json() as { files: { diagnostics: { severity: string; code: string; path: string }[] }[] };
    const found = (sev: string) =>
      doc.files[0]!.diagnostics.filter((d) => d.severity === sev)
        .map((d) => `${d.code} ${d.path}`)
        .sort();
    expect(found('error')).toEqual([...expected.errors].sort());
    expect(found('warning')).toEqual([...expected.warnings].sort());
    expect(r.code).toBe(expected.errors.length > 0 ? 1 : 0);
  });
});
