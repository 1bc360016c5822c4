#!/usr/bin/env node
// The libraries as a user gets them (CI runs this after the tests): build and pack every published
// package, install the tarballs with npm into an empty folder outside the workspace, then
//   (a) `tsc --strict` (no skipLibCheck, nothing else installed) a file using the public API, and the
//       TypeScript snippets of docs/getting-started.md;
//   (b) run Spark's ab_brain for 100 steps on cpu with plain Node ESM;
//   (c) the same under Deno;
//   (d) install the same tarballs with pnpm (its exit code must be 0);
// and report the installed sizes. `--with-webgpu` also installs the optional Node WebGPU binding
// (`webgpu`, ~130 MB) and checks that it is the copy core loads. `--skip-build` reuses dist/,
// `--keep` leaves the temporary folder. Exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
/** The published libraries, in dependency order. */
const LIBRARIES = ['core', 'config', 'kernels', 'nn', 'graph', 'pynn'];
/** The webgpu version the libraries accept (their optional peer dependency). */
const WEBGPU = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8')).peerDependencies
  .webgpu;

const work = mkdtempSync(join(tmpdir(), 'spark-consumer-'));
const results = [];
let failed = false;

function run(title, cmd, argv, options = {}) {
  const t0 = Date.now();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  const ok = r.status === 0 && (options.check?.(r) ?? true);
  results.push({ title, ok, detail: `exit ${r.status ?? r.signal}, ${seconds} s` });
  console.log(`== ${title}: ${ok ? 'ok' : 'FAILED'} (exit ${r.status ?? r.signal}, ${seconds} s)`);
  if (!ok) {
    failed = true;
    console.log(`${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n'));
  }
  return r;
}

/** Bytes of the files under `dir` (apparent size, links not followed). */
function bytesUnder(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += bytesUnder(p);
    else if (e.isFile()) n += lstatSync(p).size;
  }
  return n;
}
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

// 1. Build and pack.
if (!args.has('--skip-build')) {
  const filters = LIBRARIES.flatMap((l) => ['--filter', `@spark-snn/${l}`]);
  run('build the libraries', 'pnpm', ['exec', 'turbo', 'run', 'build', ...filters], { cwd: root });
}
const packs = join(work, 'packs');
mkdirSync(packs);
const tarballs = [];
for (const lib of LIBRARIES) {
  const r = run(`pack @spark-snn/${lib}`, 'pnpm', ['pack', '--pack-destination', packs], {
    cwd: join(root, 'packages', lib),
  });
  const name = r.stdout?.trim().split('\n').at(-1) ?? '';
  tarballs.push(name.startsWith('/') ? name : join(packs, name));
}

// 2. npm into an empty folder.
const app = join(work, 'npm-app');
mkdirSync(app);
writeFileSync(
  join(app, 'package.json'),
  `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`,
);
const npmFlags = ['--no-audit', '--no-fund', '--loglevel=error', '--no-package-lock'];
run('npm install the six tarballs', 'npm', ['install', ...npmFlags, ...tarballs], { cwd: app });
const npmBytes = bytesUnder(join(app, 'node_modules'));
const installed = readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'));
results.push({
  title: 'npm: installed size (no optional WebGPU binding)',
  ok: npmBytes <= 25e6,
  detail: mb(npmBytes),
});
console.log(`== npm installed ${mb(npmBytes)}: ${installed.join(', ')}`);
if (npmBytes > 25e6) failed = true;
for (const unwanted of ['webgpu', 'gpu.js', 'gl']) {
  if (installed.includes(unwanted)) {
    failed = true;
    results.push({ title: `npm: ${unwanted} is not installed by default`, ok: false, detail: 'installed' });
  }
}

// (a) types: a file using the public API, and the getting-started snippets, under strict.
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const strict = {
  strict: true,
  noEmit: true,
  target: 'ES2022',
  module: 'nodenext',
  moduleResolution: 'nodenext',
  lib: ['ES2023', 'DOM'],
  skipLibCheck: false,
};
writeFileSync(
  join(app, 'api.ts'),
  `import { BACKEND_KINDS, describeBackendChoice, requestGpuDevice, type GpuDeviceHandle } from '@spark-snn/core';
import { createBrainConfig, moduleSpecs, readScfg } from '@spark-snn/config';
import { createBackend, cpuBackend } from '@spark-snn/kernels';
import { parseDefinition, type ModuleDefinition } from '@spark-snn/kernels/lang';
import { Brain, selectBackend } from '@spark-snn/nn';
import { readNir } from '@spark-snn/graph';
import { exportPyNN } from '@spark-snn/pynn';

export async function main(bytes: Uint8Array): Promise<number> {
  const kinds: readonly string[] = BACKEND_KINDS;
  const choice = await describeBackendChoice('auto');
  const read = readScfg(bytes);
  if (!read.ok) return read.issues.length;
  const brain = await Brain.fromConfig(read.document, { backend: 'cpu' });
  const { backend } = await createBackend('cpu');
  const device: GpuDeviceHandle | undefined = choice.kind === 'webgpu' ? await requestGpuDevice() : undefined;
  device?.destroy();
  backend.destroy();
  brain.destroy();
  const soma: ModuleDefinition = parseDefinition('module m over unit\\nstate v: f32 = 0\\nv = v + 1\\n');
  void [createBrainConfig, moduleSpecs, cpuBackend, selectBackend, readNir, exportPyNN, soma];
  return kinds.length;
}
`,
);
writeFileSync(
  join(app, 'tsconfig.json'),
  `${JSON.stringify({ compilerOptions: { ...strict, types: [] }, files: ['api.ts'] }, null, 2)}\n`,
);
run(
  '(a) tsc --strict, no skipLibCheck, nothing else installed: the public API',
  process.execPath,
  [tsc, '-p', 'tsconfig.json'],
  {
    cwd: app,
  },
);
// The snippets of docs/getting-started.md (they use node:fs, so Node's types come from the workspace).
const guide = readFileSync(join(root, 'docs/getting-started.md'), 'utf8');
const snippets = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const snippetFiles = snippets.map((code, i) => {
  const file = `guide-${i + 1}.ts`;
  writeFileSync(join(app, file), `${code}\nexport {};\n`);
  return file;
});
writeFileSync(
  join(app, 'tsconfig.guide.json'),
  `${JSON.stringify(
    {
      compilerOptions: {
        ...strict,
        types: ['node'],
        typeRoots: [join(root, 'apps/cli/node_modules/@types')],
      },
      files: snippetFiles,
    },
    null,
    2,
  )}\n`,
);
run(
  `(a) tsc --strict: the ${snippets.length} TypeScript snippets of docs/getting-started.md`,
  process.execPath,
  [tsc, '-p', 'tsconfig.guide.json'],
  {
    cwd: app,
  },
);

// (b) ab_brain, 100 steps on cpu, plain Node ESM; (c) the same under Deno.
cpSync(join(root, 'fixtures/spark'), join(app, 'spark'), { recursive: true });
writeFileSync(
  join(app, 'ab_brain.mjs'),
  `import { readFileSync } from 'node:fs';
import { readScfg, registerNeuronFromConfigFile } from '@spark-snn/config';
import { Brain } from '@spark-snn/nn';

const neuron = registerNeuronFromConfigFile('ALIFModNeuron', readFileSync('spark/alif_mod_neuron.scfg'));
if (!neuron.ok) throw new Error(neuron.issues.map((i) => i.message).join('; '));
const read = readScfg(readFileSync('spark/ab_brain.scfg'));
if (!read.ok) throw new Error(read.issues.map((i) => \`\${i.path}: \${i.message}\`).join('; '));
const brain = await Brain.fromConfig(read.document, {
  backend: 'cpu',
  inputShapes: { signal: [4], mod_a_ex: [1], mod_b_ex: [1], mod_a_in: [1], mod_b_in: [1] },
});
const steps = 100;
const signal = new Float32Array(steps * 4).map((_, i) => 0.5 + 0.5 * Math.sin(i / 7));
const rec = await brain.run({
  steps,
  inputs: { signal, mod_a_ex: [0], mod_b_ex: [0], mod_a_in: [0], mod_b_in: [0] },
  record: ['A_excitatory.out_spikes', 'integrator.signal'],
});
let spikes = 0;
for (const v of rec.series['A_excitatory.out_spikes'].data) spikes += v;
const out = rec.series['integrator.signal'].data;
if (out.length !== steps * 2 || !out.every(Number.isFinite)) throw new Error('bad integrator output');
console.log(\`ab_brain: \${steps} steps on \${brain.backend.kind}, \${spikes} A_excitatory spikes\`);
brain.destroy();
`,
);
const node = run('(b) node ab_brain.mjs: 100 steps on cpu', process.execPath, ['ab_brain.mjs'], {
  cwd: app,
  check: (r) => /ab_brain: 100 steps on cpu, \d+ A_excitatory spikes/.test(r.stdout),
});
const deno = join(root, 'packages/core/node_modules/.bin/deno');
const denoRun = run(
  '(c) deno run ab_brain.mjs: 100 steps on cpu',
  deno,
  ['run', '--allow-read', '--allow-env', 'ab_brain.mjs'],
  {
    cwd: app,
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
    check: (r) => r.stdout.trim() === node.stdout?.trim(),
  },
);
if (node.stdout) console.log(`   node: ${node.stdout.trim()}\n   deno: ${denoRun.stdout?.trim()}`);

// (d) pnpm consumer.
const papp = join(work, 'pnpm-app');
mkdirSync(papp);
writeFileSync(
  join(papp, 'package.json'),
  `${JSON.stringify(
    {
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: Object.fromEntries(
        LIBRARIES.map((l, i) => [`@spark-snn/${l}`, `file:${relative(papp, tarballs[i])}`]),
      ),
    },
    null,
    2,
  )}\n`,
);
// The libraries depend on each other by version (^0.0.0, not published): point those at the tarballs.
writeFileSync(
  join(papp, 'pnpm-workspace.yaml'),
  `overrides:\n${LIBRARIES.map((l, i) => `  "@spark-snn/${l}": "file:${tarballs[i]}"\n`).join('')}`,
);
const pnpmInstall = run('(d) pnpm install of the tarballs', 'pnpm', ['install', '--reporter=append-only'], {
  cwd: papp,
});
results.push({
  title: 'pnpm consumer install exit code',
  ok: pnpmInstall.status === 0,
  detail: String(pnpmInstall.status),
});
cpSync(join(app, 'spark'), join(papp, 'spark'), { recursive: true });
cpSync(join(app, 'ab_brain.mjs'), join(papp, 'ab_brain.mjs'));
run('(d) node ab_brain.mjs in the pnpm consumer', process.execPath, ['ab_brain.mjs'], {
  cwd: papp,
  check: (r) => r.stdout.trim() === node.stdout?.trim(),
});

// Optional: the Node WebGPU binding, and that core loads this copy.
if (args.has('--with-webgpu')) {
  run(`npm install webgpu@${WEBGPU}`, 'npm', ['install', ...npmFlags, ...tarballs, `webgpu@${WEBGPU}`], {
    cwd: app,
  });
  const withBytes = bytesUnder(join(app, 'node_modules'));
  results.push({
    title: 'npm: installed size with the optional webgpu binding',
    ok: true,
    detail: mb(withBytes),
  });
  writeFileSync(
    join(app, 'which-webgpu.mjs'),
    `import { createRequire } from 'node:module';
import { requestGpuDevice } from '@spark-snn/core';
const core = createRequire(import.meta.resolve('@spark-snn/core'));
console.log(core.resolve('webgpu'));
const gpu = await requestGpuDevice({ timeoutMs: 30000 });
console.log(\`adapter: \${gpu.info.description || gpu.info.architecture}\`);
gpu.destroy();
`,
  );
  // Without a GPU, Dawn gets SwiftShader (from Debian's chromium package, as the tests use it).
  const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
  run('core loads the installed webgpu and gets an adapter', process.execPath, ['which-webgpu.mjs'], {
    cwd: app,
    env: { VK_ICD_FILENAMES: swiftshader, ...process.env },
    check: (r) => r.stdout.startsWith(join(app, 'node_modules/webgpu/')) && /\nadapter: \S/.test(r.stdout),
  });
}

console.log('\nConsumer test');
for (const r of results) console.log(`  ${r.ok ? 'ok    ' : 'FAILED'} ${r.title}: ${r.detail}`);
if (args.has('--keep')) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
