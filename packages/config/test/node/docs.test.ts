import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRegistry, generateModulesMarkdown } from '../../src/index.ts';

describe('docs/modules.md', () => {
  it('is up to date (regenerate with `pnpm --filter @spark-snn/config gen:docs`)', () => {
    const committed = readFileSync(new URL('../../../../docs/modules.md', import.meta.url), 'utf8');
    expect(committed).toBe(generateModulesMarkdown(createRegistry()));
  });

  it('lists every module with its fields', () => {
    const md = generateModulesMarkdown(createRegistry());
    for (const s of createRegistry().list()) {
      expect(md).toContain(`### \`${s.name}\``);
      for (const f of s.fields) if (f.name !== '__class_ref__') expect(md).toContain(`| \`${f.name}\``);
    }
  });
});
