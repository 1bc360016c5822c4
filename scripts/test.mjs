#!/usr/bin/env node
// `pnpm test`: every test of every package in every runtime (Node, headless Chromium, Deno), then
// one summary line for the whole run. Exits non-zero when anything failed or no test ran.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

if (run('node', ['scripts/system-deps.mjs']) !== 0) process.exit(1);
for (const group of ['packages', 'apps']) {
  if (!existsSync(join(root, group))) continue;
  for (const name of readdirSync(join(root, group))) {
    rmSync(join(root, group, name, 'test-results'), { recursive: true, force: true });
  }
}
const filter = process.argv.slice(2);
const turboStatus = run('pnpm', [
  'exec',
  'turbo',
  'run',
  'test',
  'test:deno',
  'test:browser',
  '--concurrency=2',
  '--continue',
  ...filter,
]);
const summaryStatus = run('node', ['scripts/test-summary.mjs']);
process.exit(turboStatus !== 0 ? turboStatus : summaryStatus);
