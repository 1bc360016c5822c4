#!/usr/bin/env node
// `pnpm start`: builds the studio (a static site) and serves it on localhost, printing the URL.
// Port 5173, or the next free one. Stop with Ctrl+C.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const studio = join(root, 'apps', 'studio');
const pnpm = process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm';

function free(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.once('listening', () => s.close(() => resolve(true)));
    s.listen(port, '127.0.0.1');
  });
}

console.log('Building the studio…');
const build = spawnSync(pnpm, ['--filter', '@spark-snn/studio', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('start: the studio build failed.');
  process.exit(build.status ?? 1);
}

// biome-ignore lint/suspicious/noUndeclaredEnvVars: a local convenience, not a build input
let port = Number(process.env.PORT ?? 5173);
while (!(await free(port))) port++;

const vite = join(
  dirname(createRequire(join(studio, 'package.json')).resolve('vite/package.json')),
  'bin',
  'vite.js',
);
const server = spawn(
  process.execPath,
  [vite, 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
  {
    cwd: studio,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let announced = false;
server.stdout.on('data', (chunk) => {
  const text = String(chunk);
  if (!announced && /Local|http:\/\//.test(text)) {
    announced = true;
    console.log(`\n  spark-snn studio is running at http://localhost:${port}/  (Ctrl+C to stop)\n`);
  }
});
const stop = () => server.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));
