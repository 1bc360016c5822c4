#!/usr/bin/env node
// Checks (and, as root on Debian, installs) the system packages the browser/GPU tests need:
//   chromium            — headless browser for vitest browser mode + the SwiftShader Vulkan ICD for Dawn
//   libvulkan1          — the Vulkan loader used by Dawn (Node) and wgpu (Deno)
//   mesa-vulkan-drivers — lavapipe, the software Vulkan driver Deno's WebGPU uses
// and, optionally (installed when apt works, never failing when it does not):
//   python3-pynn, python3-brian — PyNN 0.10 and Brian2 for /usr/bin/python3, so the PyNN export's
//                                 CUBA run (packages/pynn/test/node/pynn-brian2.test.ts) runs
//                                 instead of being skipped
// Usage: node scripts/system-deps.mjs [--check]   (--check: never install, only report)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const REQUIRED = [
  { pkg: 'chromium', files: ['/usr/bin/chromium', '/usr/lib/chromium/vk_swiftshader_icd.json'] },
  {
    pkg: 'libvulkan1',
    files: ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1'],
    any: true,
  },
  {
    pkg: 'mesa-vulkan-drivers',
    files: ['/usr/share/vulkan/icd.d/lvp_icd.x86_64.json', '/usr/share/vulkan/icd.d/lvp_icd.aarch64.json'],
    any: true,
  },
];

const OPTIONAL = [
  { pkg: 'python3-pynn', files: ['/usr/lib/python3/dist-packages/pyNN/__init__.py'] },
  { pkg: 'python3-brian', files: ['/usr/lib/python3/dist-packages/brian2/__init__.py'] },
];

/** Installs the optional packages where possible; reports and carries on where not. */
function optional() {
  const absent = OPTIONAL.filter(({ files }) => !files.every(existsSync)).map((o) => o.pkg);
  if (absent.length === 0) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.argv.includes('--check') || !root || !existsSync('/usr/bin/apt-get')) {
    console.log(`system-deps: optional ${absent.join(', ')} absent (their tests are skipped)`);
    return;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const opts = { stdio: 'inherit', env, timeout: 600_000 };
  const ok =
    spawnSync('apt-get', ['update', '-qq'], opts).status === 0 &&
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...absent], opts).status === 0;
  console.log(
    ok
      ? `system-deps: installed optional ${absent.join(', ')}`
      : `system-deps: could not install optional ${absent.join(', ')} (their tests are skipped)`,
  );
}

const missing = REQUIRED.filter(({ files, any }) =>
  any ? !files.some(existsSync) : !files.every(existsSync),
);
if (missing.length === 0) {
  console.log('system-deps: chromium, libvulkan1 and mesa-vulkan-drivers are present');
  optional();
  process.exit(0);
}
const names = missing.map((m) => m.pkg);
const command = `apt-get update && apt-get install -y --no-install-recommends ${names.join(' ')}`;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (process.argv.includes('--check') || !isRoot || !hasApt) {
  console.error(
    `system-deps: missing Debian package(s) needed by the WebGPU/browser tests: ${names.join(', ')}\n` +
      `  install them with:  ${isRoot ? '' : 'sudo '}${command}`,
  );
  process.exit(1);
}
console.log(`system-deps: installing ${names.join(', ')} (root on Debian)`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], {
  stdio: 'inherit',
  env,
});
const still = REQUIRED.filter(({ files, any }) => (any ? !files.some(existsSync) : !files.every(existsSync)));
if (still.length > 0) {
  console.error(`system-deps: still missing after install: ${still.map((m) => m.pkg).join(', ')}`);
  process.exit(1);
}
console.log('system-deps: installed');
optional();
