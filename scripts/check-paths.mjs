#!/usr/bin/env node
// Self-containment check (run by `pnpm lint` and first thing in `.ci/run`): no tracked file may refer
// to anything outside the repository. It fails on
//  1. any mention of the development machine's side folders (`../shared/…`, `shared/fixtures`,
//     `shared/spec`, `shared/peers`, an absolute `/work/…` path);
//  2. any relative path (`../…`) that, resolved from the directory of the file it is written in, lands
//     outside the repository root — test and bench loaders, Markdown links, configs and scripts alike.
// Fixtures the tests need live in `fixtures/` (see its README).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Tracked files (and untracked files that are not ignored, so a new file is checked before its commit). */
function repositoryFiles() {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(out.split('\0').filter((f) => f !== ''))];
}

const SIDE_FOLDER =
  /(?:\.\.\/)+shared\/|\bshared\/(?:fixtures|spec|peers)\b|['"]shared['"]\s*,\s*['"](?:fixtures|spec|peers)['"]|(?<![\w.])\/work\//g;
/** `../../x` written as one string. */
const RELATIVE = /(?<![\w./-])((?:\.\.\/)+)[\w@$.-]*/g;
/** `join(import.meta.dirname, '..', '..', …)`: path segments, possibly over several lines. */
const SEGMENTS = /(?:import\.meta\.dirname|\bhere|__dirname)\s*,((?:\s*['"]\.\.['"]\s*,?)+)/g;
// This file names the patterns it looks for.
const SELF = relative(root, fileURLToPath(import.meta.url))
  .split(sep)
  .join('/');

/** Where `path`, written in `file`, resolves to when that is outside the repository; else undefined. */
function outside(file, path) {
  const target = resolve(root, dirname(file), path);
  const rel = relative(root, target);
  return rel === '..' || rel.startsWith(`..${sep}`) ? target : undefined;
}

const problems = [];
for (const file of repositoryFiles()) {
  if (file === SELF || file === 'pnpm-lock.yaml') continue;
  let text;
  try {
    const bytes = readFileSync(join(root, file));
    if (bytes.includes(0)) continue; // binary (fixtures, images)
    text = bytes.toString('utf8');
  } catch {
    continue; // deleted in the working tree but still in the index
  }
  const lineOf = (index) => text.slice(0, index).split('\n').length;
  for (const m of text.matchAll(SEGMENTS)) {
    const ups = m[1].match(/\.\./g).length;
    const target = outside(file, '../'.repeat(ups));
    if (target)
      problems.push(`${file}:${lineOf(m.index)}: ${ups} '..' segments leave the repository (${target})`);
  }
  for (const m of text.matchAll(SIDE_FOLDER)) {
    problems.push(`${file}:${lineOf(m.index)}: "${m[0]}" names a folder outside the repository`);
  }
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    for (const m of line.matchAll(RELATIVE)) {
      const target = outside(file, m[1]);
      if (target) problems.push(`${where}: "${m[0]}" leaves the repository (${target})`);
    }
  });
}

if (problems.length > 0) {
  console.error(`check-paths: ${problems.length} reference(s) to files outside the repository:`);
  for (const p of problems) console.error(`  ${p}`);
  console.error('Copy what a test needs into fixtures/ (with its SHA-256 in fixtures/README.md) instead.');
  process.exit(1);
}
console.log('check-paths: every path stays inside the repository');
