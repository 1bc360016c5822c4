import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI_VERSION, COMMANDS } from '../../src/cli.ts';
import { spark } from './helpers.ts';

describe('spark --help and dispatch', () => {
  it('prints the command list with --help and exits 0', async () => {
    const r = await spark(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['run', 'validate', 'convert', 'map', 'bench', 'info'])
      expect(r.out).toMatch(new RegExp(`^  ${c} +\\S`, 'm'));
  });

  it.each(COMMANDS.map((c) => c.name))('has --help, -h and help for %s', async (name) => {
    const a = await spark([name, '--help']);
    expect(a.code).toBe(0);
    expect(a.out).toContain(`spark ${name} — `);
    expect(a.out).toContain('Usage:');
    expect(a.out).toContain('--json');
    expect(a.out).toContain('Exit codes: 0 ok, 1 validation or runtime error, 2 usage error.');
    expect((await spark([name, '-h'])).out).toBe(a.out);
    expect((await spark(['help', name])).out).toBe(a.out);
    // an unknown option is a usage error even next to --help
    expect((await spark([name, '--help', '--bogus'])).code).toBe(2);
  });

  it('prints help on stderr and exits 2 without a command', async () => {
    const r = await spark([]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('Usage:');
  });

  it('suggests the nearest command for a typo', async () => {
    const r = await spark(['valdate', 'x.scfg']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'spark: valdate: unknown command (did you mean "validate"?)\nRun \'spark --help\' for usage.\n',
    );
    expect((await spark(['frobnicate'])).err).toContain(
      '(commands: run, validate, convert, map, bench, info)',
    );
    expect((await spark(['--verbose'])).code).toBe(2);
  });

  it('prints the version, equal to package.json', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(CLI_VERSION).toBe(pkg.version);
    const r = await spark(['--version']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      new RegExp(`^spark ${pkg.version.replace(/\./g, '\\.')} \\(node \\d+\\.\\d+\\.\\d+\\)\\n$`),
    );
  });
});

describe('spark info', () => {
  it('lists runtime, versions and backends (cpu always) as JSON without probing the GPU', async () => {
    const r = await spark(['info', '--skip-gpu', '--json']);
    expect(r.code).toBe(0);
    const doc = r.json() as {
      runtime: { name: string };
      versions: Record<string, string>;
      backends: { name: string; available: boolean }[];
      auto: unknown;
      adapter: unknown;
    };
    expect(doc.runtime.name).toBe('node');
    expect(Object.keys(doc.versions)).toEqual([
      '@spark-snn/cli',
      '@spark-snn/core',
      '@spark-snn/config',
      '@spark-snn/kernels',
      '@spark-snn/nn',
      '@spark-snn/graph',
    ]);
    expect(doc.versions['@spark-snn/core']).toMatch(/^\d+\.\d+\.\d+/);
    expect(doc.backends.map((b) => b.name)).toEqual(['webgpu', 'gpujs', 'cpu']);
    expect(doc.backends.find((b) => b.name === 'cpu')?.available).toBe(true);
    expect(doc.adapter).toBeNull();
    expect(doc.auto).toBeNull(); // not decided without probing
  });

  it('reports the WebGPU adapter with its limits, or why there is none', async () => {
    const r = await spark(['info', '--timeout', '20000']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^runtime {3}node /);
    expect(r.out).toMatch(/^ {2}cpu {5}yes /m);
    expect(r.out).toMatch(/^ {2}auto picks (cpu|webgpu): \S/m);
    // Either an adapter with its limits or the reason there is none (this machine may lack a GPU).
    expect(r.out).toMatch(/^adapter {3}(none: .+|.+\n {2}vendor [\s\S]*maxStorageBufferBindingSize +\d+)/m);
  });

  it('is a usage error with arguments or a bad --timeout', async () => {
    expect((await spark(['info', 'extra'])).code).toBe(2);
    const r = await spark(['info', '--timeout', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark info: --timeout: expected an integer ≥ 1, got "0"');
  });
});

describe('spark bench', () => {
  it('runs the harness (@spark-snn/bench) and passes its exit code on: an unknown suite fails', async () => {
    const r = await spark(['bench', '--suite', 'W9']);
    expect(r.code).toBe(1);
    expect(r.out + r.err).toMatch(/W9/);
  });
});
