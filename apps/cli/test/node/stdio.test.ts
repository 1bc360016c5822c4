import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, NIR, spark } from './helpers.ts';

const fixture = (name: string) => readFileSync(join(FIXTURES, name));

describe('"-" for standard input and output', () => {
  it('validates a .scfg (XZ), a JSON config and a NIR file from standard input', async () => {
    let r = await spark(['validate', '-'], { stdin: fixture('leaky_brain.scfg') });
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        "  float16 storage: soma (dtype float16, Spark's default)",
        '  buffers (estimate): cpu 20 B, webgpu 40 B, gpujs 40 B (inputs drive of unknown shape counted as 1 value; a run checks the real sizes)',
        '-: ok (brain_config, 1 module; 0 errors, 0 warnings)\n',
      ].join('\n'),
    );
    r = await spark(['validate', '-'], { stdin: fixture('bad_value.json') });
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      '-:modules_specs[0].config.potential_tau: error: must be > 0 (got -5) [invalid_value]',
    );
    r = await spark(['validate', '-'], { stdin: readFileSync(NIR('lif_norse')) });
    expect(r.code).toBe(0);
    expect(r.out).toContain('-: ok (NIR graph v0.1.1, 4 nodes');
  });

  it('fails (exit 1) on standard input that is no model', async () => {
    const r = await spark(['validate', '-'], { stdin: 'hello\n' });
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'spark validate: -: standard input is neither a Spark config (XZ or JSON) nor NIR (HDF5)\n',
    );
  });

  it('converts standard input to Spark JSON on standard output', async () => {
    const r = await spark(['convert', '-', '-'], { stdin: fixture('leaky_brain.scfg') });
    expect(r.code).toBe(0);
    expect(r.out).toBe(fixture('leaky_brain.json').toString('utf8'));
    expect(r.err).toBe('');
  });

  it('refuses binary formats on standard output', async () => {
    const r = await spark(['convert', 'leaky_brain.json', '-', '--to', 'scfg']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark convert: -: scfg is a binary format: name an output file');
    expect((await spark(['convert', 'leaky_brain.json', '-', '--to', 'scfg', '--plain'])).code).toBe(0);
  });

  it('maps a NIR graph from standard input', async () => {
    const r = await spark(['map', '-', '-t', 'xylo-imu', '--dt', '1e-3', '--json'], {
      stdin: readFileSync(NIR('two_lif_neurons')),
    });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ ok: true, target: 'xylo-imu' });
  });
});
