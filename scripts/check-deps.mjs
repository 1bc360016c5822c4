#!/usr/bin/env node
// Workspace dependency check (run by `pnpm build` and `pnpm lint`):
//  1. the package graph has no cycle and follows architecture.md §1
//     (core ← config ← kernels ← nn ← graph/editor ← apps; graph may use nn only through a subpath);
//  2. every `@spark-snn/*` import in a package's source is declared in its package.json;
//  3. no import cycle between source files inside a package.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Which workspace packages each library package may depend on (architecture.md §1). */
const ALLOWED = {
  '@spark-snn/core': [],
  '@spark-snn/config': ['@spark-snn/core'],
  '@spark-snn/kernels': ['@spark-snn/core', '@spark-snn/config'],
  '@spark-snn/nn': ['@spark-snn/core', '@spark-snn/config', '@spark-snn/kernels'],
  '@spark-snn/graph': ['@spark-snn/core', '@spark-snn/config', '@spark-snn/nn'],
  '@spark-snn/editor': [
    '@spark-snn/core',
    '@spark-snn/config',
    '@spark-snn/nn',
    '@spark-snn/graph',
    '@spark-snn/kernels',
  ],
  // private test helpers, a devDependency of config's, kernels' … tests: depending on any of them is a cycle
  '@spark-snn/testing': [],
  // BrainConfig → PyNN script; compiles brains with nn to read their exact connectivity
  '@spark-snn/pynn': ['@spark-snn/core', '@spark-snn/config', '@spark-snn/kernels', '@spark-snn/nn'],
};

const problems = [];
const pkgs = new Map();
for (const group of ['packages', 'apps']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name, 'package.json');
    if (!existsSync(file)) continue;
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const internal = (keys) =>
      new Set(keys.flatMap((k) => Object.keys(json[k] ?? {})).filter((d) => d.startsWith('@spark-snn/')));
    // Runtime edges follow the architecture; dev-only edges (tests) may reach further but never cycle.
    const runtime = internal(['dependencies', 'peerDependencies', 'optionalDependencies']);
    const deps = internal(['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']);
    pkgs.set(json.name, { dir: join(dir, name), deps, runtime, app: group === 'apps' });
  }
}

// 1. allowed edges and acyclic package graph
for (const [name, { runtime, app }] of pkgs) {
  if (app) continue;
  const allowed = ALLOWED[name];
  if (!allowed) {
    problems.push(`${name}: not in the architecture's package list (scripts/check-deps.mjs ALLOWED)`);
    continue;
  }
  for (const d of runtime)
    if (!allowed.includes(d)) problems.push(`${name} must not depend on ${d} (architecture.md §1)`);
}
const state = new Map();
function visit(name, stack) {
  if (state.get(name) === 'done') return;
  if (state.get(name) === 'active') {
    problems.push(`package cycle: ${[...stack.slice(stack.indexOf(name)), name].join(' → ')}`);
    return;
  }
  state.set(name, 'active');
  for (const d of pkgs.get(name)?.deps ?? []) if (pkgs.has(d)) visit(d, [...stack, name]);
  state.set(name, 'done');
}
for (const name of pkgs.keys()) visit(name, []);

// 2 + 3. source imports
const IMPORT_RE =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
function sourceFiles(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|tsx|mts)$/.test(entry) && !/\.test\.tsx?$/.test(entry)) out.push(p);
  }
  return out;
}
for (const [name, { dir, deps }] of pkgs) {
  const files = sourceFiles(join(dir, 'src'));
  const graph = new Map();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const edges = [];
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2];
      if (!spec) continue;
      if (spec.startsWith('@spark-snn/')) {
        const pkg = spec.split('/').slice(0, 2).join('/');
        if (pkg !== name && !deps.has(pkg))
          problems.push(`${relative(root, file)} imports ${spec} but ${name} does not declare ${pkg}`);
      } else if (spec.startsWith('.') && !/^import\s+type\b/.test(m[0].trim())) {
        edges.push(resolve(dirname(file), spec));
      }
    }
    graph.set(file, edges);
  }
  const seen = new Map();
  const walk = (file, stack) => {
    if (seen.get(file) === 'done' || !graph.has(file)) return;
    if (seen.get(file) === 'active') {
      const cycle = [...stack.slice(stack.indexOf(file)), file].map((f) => relative(root, f));
      problems.push(`import cycle in ${name}: ${cycle.join(' → ')}`);
      return;
    }
    seen.set(file, 'active');
    for (const e of graph.get(file)) walk(e, [...stack, file]);
    seen.set(file, 'done');
  };
  for (const file of files) walk(file, []);
}

if (problems.length > 0) {
  console.error(`check-deps: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `check-deps: ${pkgs.size} workspace packages, dependency graph acyclic and within the architecture`,
);
