/**
 * Writes docs/modules.md (repository root) from the registry.
 * Run: `pnpm --filter @spark-snn/config gen:docs`.
 */
import { createRegistry, generateModulesMarkdown } from '../src/index.ts';

declare const Deno: { writeTextFileSync(path: URL, text: string): void };

Deno.writeTextFileSync(
  new URL('../../../docs/modules.md', import.meta.url),
  generateModulesMarkdown(createRegistry()),
);
console.log('wrote docs/modules.md');
