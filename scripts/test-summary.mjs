#!/usr/bin/env node
// Adds up the machine-readable results every runner wrote under {packages,apps}/*/test-results/
// (vitest JSON, Deno JUnit XML, Playwright JSON) and prints one line per runtime plus the total:
//   Tests: N passed, N failed, N skipped
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rows = [];

/** Files under {packages,apps}/<name>/test-results/ whose name matches `re` (Node 20 has no fs.globSync). */
function resultFiles(re) {
  const out = [];
  for (const group of ['packages', 'apps']) {
    if (!existsSync(join(root, group))) continue;
    for (const name of readdirSync(join(root, group))) {
      const dir = join(group, name, 'test-results');
      if (!existsSync(join(root, dir))) continue;
      for (const f of readdirSync(join(root, dir))) if (re.test(f)) out.push(`${dir}/${f}`);
    }
  }
  return out;
}

for (const file of resultFiles(/^vitest-.*\.json$/)) {
  const data = JSON.parse(readFileSync(join(root, file), 'utf8'));
  const project = file.split('/')[1] + ' ' + file.replace(/.*vitest-(.*)\.json$/, '$1');
  rows.push({
    where: project,
    passed: data.numPassedTests ?? 0,
    failed: (data.numFailedTests ?? 0) + filesFailedWithoutTests(data),
    skipped: (data.numPendingTests ?? 0) + (data.numTodoTests ?? 0),
  });
}
for (const file of resultFiles(/^deno.*\.xml$/)) {
  const xml = readFileSync(join(root, file), 'utf8');
  const suite = /<testsuites[^>]*\btests="(\d+)"[^>]*\bfailures="(\d+)"(?:[^>]*\berrors="(\d+)")?/.exec(xml);
  const tests = Number(suite?.[1] ?? 0);
  const failures = Number(suite?.[2] ?? 0) + Number(suite?.[3] ?? 0);
  const skipped = (xml.match(/<skipped/g) ?? []).length;
  rows.push({
    where: `${file.split('/')[1]} deno`,
    passed: tests - failures - skipped,
    failed: failures,
    skipped,
  });
}
for (const file of resultFiles(/^playwright.*\.json$/)) {
  const stats = JSON.parse(readFileSync(join(root, file), 'utf8')).stats ?? {};
  rows.push({
    where: `${file.split('/')[1]} e2e`,
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: stats.unexpected ?? 0,
    skipped: stats.skipped ?? 0,
  });
}

function filesFailedWithoutTests(data) {
  // A test file that failed to load (syntax error, failing import) has no test results: count it once.
  return (data.testResults ?? []).filter(
    (r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0,
  ).length;
}

// Every test script must leave machine-readable results, or its tests would be missing from the total.
const EXPECTED = {
  test: /^vitest-node\.json$/,
  'test:browser': /^(vitest-browser|playwright).*\.json$/,
  'test:deno': /^deno.*\.xml$/,
};
const missing = [];
for (const group of ['packages', 'apps']) {
  if (!existsSync(join(root, group))) continue;
  for (const name of readdirSync(join(root, group))) {
    const pkgFile = join(root, group, name, 'package.json');
    if (!existsSync(pkgFile)) continue;
    const scripts = JSON.parse(readFileSync(pkgFile, 'utf8')).scripts ?? {};
    const dir = join(root, group, name, 'test-results');
    const files = existsSync(dir) ? readdirSync(dir) : [];
    for (const [script, re] of Object.entries(EXPECTED)) {
      if (scripts[script] && !files.some((f) => re.test(f))) missing.push(`${group}/${name} ${script}`);
    }
  }
}

rows.sort((a, b) => a.where.localeCompare(b.where));
const total = rows.reduce(
  (t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }),
  {
    passed: 0,
    failed: 0,
    skipped: 0,
  },
);
console.log('\nTest summary (every runtime):');
for (const r of rows)
  console.log(`  ${r.where.padEnd(28)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
console.log(`Tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
if (missing.length > 0) {
  console.error(
    `test-summary: no machine-readable results from: ${missing.join(', ')} (a test script must write test-results/)`,
  );
  process.exit(1);
}
if (!existsSync(root) || rows.length === 0 || total.passed === 0) {
  console.error('test-summary: no test results were found: no test ran');
  process.exit(1);
}
process.exit(total.failed > 0 ? 1 : 0);
