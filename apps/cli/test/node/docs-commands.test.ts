/**
 * Every `spark …` command line in the repository's Markdown (README, docs/, package READMEs) runs as
 * written from the repository root of a clone: it is spelled `pnpm spark …` (a fresh clone has no
 * `spark` on its PATH), its files exist, it exits as its example says (1 where the example shows an
 * error, else 0) and prints every output line the example shows (timings aside). `pnpm spark` itself
 * is the root's dependency on this package (checked once in e2e.test.ts); here the command runs as
 * `node bin/spark.mjs` in a scratch folder that links the repository's top-level entries, so files
 * the examples write land there. `spark bench` lines are only parsed (a benchmark run takes minutes).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../src/command.ts';
import { benchCommand } from '../../src/commands/bench.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/spark.mjs', import.meta.url));
const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  'fixtures',
  '.changeset',
  'dist',
  'test-results',
  '.turbo',
]);

/** Markdown files of the repository (not fixtures, changesets or the generated API reference). */
function markdownFiles(dir = ROOT): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && relative(ROOT, path) !== join('docs', 'api'))
        out.push(...markdownFiles(path));
    } else if (e.name.endsWith('.md')) out.push(path);
  }
  return out;
}

interface DocCommand {
  readonly where: string;
  readonly command: string;
  /** Output lines an example shows under the command (console blocks). */
  readonly output: readonly string[];
}

/** `spark` (bare, or through pnpm/npx) followed by one of its commands or global options. */
const INVOCATION =
  /(^|[\s|;&])spark\s+(run|validate|convert|map|bench|info|help|-h|--help|-V|--version)(\s|$)/;

/** Command lines of the shell blocks (```sh, ```console, ```bash) that invoke spark. */
function docCommands(): DocCommand[] {
  const out: DocCommand[] = [];
  for (const file of markdownFiles()) {
    const lines = readFileSync(file, 'utf8').split('\n');
    let fence: 'sh' | 'console' | undefined;
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!.trim();
      const open = /^```(sh|bash|shell|console)\s*$/.exec(raw);
      if (fence === undefined) {
        if (open) fence = open[1] === 'console' ? 'console' : 'sh';
        continue;
      }
      if (raw.startsWith('```')) {
        fence = undefined;
        continue;
      }
      if (fence === 'console' && !raw.startsWith('$ ')) continue;
      let command = fence === 'console' ? raw.slice(2) : raw;
      const line = i + 1;
      while (command.endsWith('\\') && i + 1 < lines.length)
        command = `${command.slice(0, -1)} ${lines[++i]!.trim()}`;
      command = command.replace(/\s+#\s.*$/, '').trim();
      if (!INVOCATION.test(command)) continue;
      const output: string[] = [];
      if (fence === 'console') {
        for (
          let j = i + 1;
          j < lines.length && lines[j]!.trim() !== '' && !/^\s*(\$ |```)/.test(lines[j]!);
          j++
        )
          output.push(lines[j]!.trim());
      }
      out.push({ where: `${relative(ROOT, file)}:${line}`, command, output });
    }
  }
  return out;
}

const commands = docCommands();
const SPARK = /(?:pnpm (?:exec )?spark|npx spark)(?=\s|$)/g;
const scratch = new Map<string, string>();

/** A scratch folder per Markdown file, linking every top-level entry of the repository. */
function scratchFor(where: string): string {
  const file = where.split(':')[0]!;
  let dir = scratch.get(file);
  if (dir === undefined) {
    dir = mkdtempSync(join(tmpdir(), 'spark-doc-'));
    for (const name of readdirSync(ROOT)) symlinkSync(join(ROOT, name), join(dir, name));
    scratch.set(file, dir);
  }
  return dir;
}

describe('spark command lines in the documentation', () => {
  it('finds them (README, docs, package READMEs)', () => {
    expect(commands.length).toBeGreaterThanOrEqual(15);
    expect(commands.map((c) => c.where.split(':')[0])).toContain('docs/getting-started.md');
  });

  it('are spelled the way a clone runs them: pnpm spark …, never a bare spark', () => {
    const bare = commands.filter((c) => /^(\w+=\S+\s+)*spark\s/.test(c.command)).map((c) => c.where);
    expect(bare).toEqual([]);
  });

  it.each(commands.filter((c) => !c.command.startsWith('deno ')).map((c) => [c.where, c] as const))(
    '%s runs as written',
    (_, c) => {
      if (/spark bench\b/.test(c.command)) {
        const argv = c.command.split(/\s+/);
        expect(() => parseCommandArgs(benchCommand, argv.slice(argv.indexOf('bench') + 1))).not.toThrow();
        return;
      }
      const r = spawnSync('sh', ['-c', c.command.replace(SPARK, `node '${BIN}'`)], {
        cwd: scratchFor(c.where),
        encoding: 'utf8',
        timeout: 180_000,
        env: { ...process.env, SPARK_CLI_CACHE: join(tmpdir(), 'spark-cli-ts-cache') },
      });
      const printed = `${r.stdout}${r.stderr}`;
      const fails = c.output.some((l) => / FAILED | error: /.test(l));
      expect(r.status, `${c.command}\n${printed}`).toBe(fails ? 1 : 0);
      expect(printed).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
      for (const l of c.output.filter((l) => !/ in \d+(\.\d+)? s\b/.test(l))) expect(printed).toContain(l);
    },
    200_000,
  );
});
