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

function node(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: FIXTURES,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env },
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
