import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ConfigIssue, createRegistry, readScfg, validateDocument } from '../../src/index.ts';

const DIR = new URL('../fixtures/broken/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', DIR), 'utf8')) as Record<
  string,
  { description: string; errors: string[]; warnings: string[] }
>;

function collect(bytes: Uint8Array): ConfigIssue[] {
  const registry = createRegistry();
  const r = readScfg(bytes, { registry });
  const issues = [...r.issues];
  if (r.ok) {
    for (const i of validateDocument(r.document, registry)) {
      if (!issues.some((j) => j.path === i.path && j.code === i.code)) issues.push(i);
    }
  }
  return issues;
}

const key = (i: ConfigIssue) => `${i.code} ${i.path}`;

describe('broken-config corpus', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.scfg'));

  it('has at least 30 broken cases and every file has an expectation', () => {
    expect(files.length).toBeGreaterThanOrEqual(31);
    expect(
      files.filter((f) => Object.values(expected[f]?.errors ?? []).length > 0).length,
    ).toBeGreaterThanOrEqual(30);
    expect(new Set(files)).toEqual(new Set(Object.keys(expected)));
  });

  for (const file of files) {
    const exp = expected[file]!;
    it(`${file}: ${exp.description}`, () => {
      const issues = collect(readFileSync(new URL(file, DIR)));
      const errors = issues
        .filter((i) => i.severity === 'error')
        .map(key)
        .sort();
      const warnings = issues
        .filter((i) => i.severity === 'warning')
        .map(key)
        .sort();
      expect({ errors, warnings }).toEqual({
        errors: [...exp.errors].sort(),
        warnings: [...exp.warnings].sort(),
      });
      for (const i of issues) expect(i.message.length).toBeGreaterThan(0);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }
});
