/**
 * End to end: the real `spark` executables as a user runs them — `node bin/spark.mjs` (TypeScript
 * sources through the transpiling hooks on Node 20) and `deno run -A src/main.ts`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AB_BRAIN, ALIF_MOD_NEURON, FIXTURES, tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/spark.mjs', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const DENO = fileURLToPath(new URL('../../node_modules/.bin/deno', import.meta.url));

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Runs `node bin/spark.mjs ...args`; `env` entries override the test's environment (undefined: unset). */
function node(args: string[], env: Record<string, string | undefined> = {}) {
  const merged = Object.fromEntries(
    Object.entries({ ...process.env, ...env }).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: FIXTURES,
    encoding: 'utf8',
    timeout: 120_000,
    env: merged,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('node bin/spark.mjs', () => {
  it('prints help and exits 0', () => {
    const r = node(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Commands:');
  });

  it('validates ab_brain.scfg with its custom neuron', () => {
    const r = node(['validate', AB_BRAIN, '--neuron', ALIF_MOD_NEURON]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ab_brain.scfg: ok (brain_config, 6 modules');
  });

  it('exits 1 with one error line and no stack trace on a missing file', () => {
    const r = node(['validate', 'missing.scfg']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('spark validate: missing.scfg: no such file\n');
  });

  it('exits 2 on a usage error', () => {
    const r = node(['convert', 'leaky_brain.scfg']);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('runs a brain with stdout piped: files written, no progress bar', () => {
    const out = tempDir();
    const r = node([
      'run',
      'leaky_brain.scfg',
      '-n',
      '100',
      '-b',
      'cpu',
      '-i',
      'drive=const:100,250,400',
      '-o',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(existsSync(join(out, 'soma.spikes.npy'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).steps).toBe(100);
  });
});

describe('spark is a command of the checkout (the root package depends on @spark-snn/cli)', () => {
  const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
  it.each(['pnpm spark --version', 'pnpm exec spark --version', 'npx spark --version'])(
    '%s works from the repository root',
    (line) => {
      const [cmd, ...args] = line.split(' ');
      const r = spawnSync(cmd!, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^spark \d+\.\d+\.\d+ \(node /);
    },
  );
});

describe("--backend auto: the engine's rule, the same in spark info and spark run", () => {
  // As a user runs it: no VK_ICD_FILENAMES pointing Dawn at a software driver.
  const env = { VK_ICD_FILENAMES: undefined };

  it('spark run --backend auto picks what spark info says, in the same words', () => {
    const info = node(['info', '--json'], env);
    expect(info.code).toBe(0);
    const auto = (JSON.parse(info.out) as { auto: { backend: string; reason: string } }).auto;
    expect(auto.reason.startsWith(`${auto.backend}: `)).toBe(true);
    const out = tempDir();
    const r = node(
      ['run', 'leaky_brain.scfg', '-n', '50', '-b', 'auto', '-i', 'drive=const:100,250,400', '-o', out],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain(`on ${auto.backend} in `);
    expect(r.out).toContain(` — ${auto.reason}\n`);
    if (auto.reason === 'cpu: no GPU on this machine') {
      // Without a GPU nothing but the chosen backend is said: no Dawn, Vulkan or XDG_RUNTIME_DIR lines.
      expect(info.err).toBe('');
      expect(r.err).toBe('');
      expect(info.out).toContain('"backend": "cpu"');
    } else {
      // With a GPU device, auto never settles on a software adapter.
      expect(auto.reason).not.toMatch(/^webgpu: .*(swiftshader|llvmpipe|lavapipe)/i);
    }
  });
});

describe.runIf(existsSync(SWIFTSHADER_ICD))('node bin/spark.mjs on WebGPU (Dawn on SwiftShader)', () => {
  it('runs the leaky brain on webgpu with the same spikes as on cpu', () => {
    const dirs = { webgpu: tempDir(), cpu: tempDir() };
    for (const [backend, out] of Object.entries(dirs)) {
      const r = node(
        ['run', 'leaky_brain.scfg', '-n', '300', '-b', backend, '-i', 'drive=const:100,250,400', '-o', out],
        {
          VK_ICD_FILENAMES: SWIFTSHADER_ICD,
        },
      );
      expect(r.code).toBe(0);
      expect(r.out).toContain(`on ${backend} in`);
    }
    expect(
      readFileSync(join(dirs.webgpu, 'soma.spikes.npy')).equals(
        readFileSync(join(dirs.cpu, 'soma.spikes.npy')),
      ),
    ).toBe(true);
  });

  it('prints the adapter and its limits in spark info', () => {
    const r = node(['info', '--json'], { VK_ICD_FILENAMES: SWIFTSHADER_ICD });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { adapter: { available: boolean; limits?: Record<string, number> } };
    expect(doc.adapter.available).toBe(true);
    expect(doc.adapter.limits?.maxStorageBufferBindingSize).toBeGreaterThan(0);
  });
});

describe.runIf(existsSync(DENO))('deno run -A src/main.ts', () => {
  it('prints help and validates a file', () => {
    let r = spawnSync(DENO, ['run', '-A', MAIN, '--help'], {
      cwd: FIXTURES,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Commands:');
    r = spawnSync(DENO, ['run', '-A', MAIN, 'validate', 'bad_value.json'], {
      cwd: FIXTURES,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('bad_value.json:modules_specs[0].config.potential_tau: error: must be > 0');
  });
});
