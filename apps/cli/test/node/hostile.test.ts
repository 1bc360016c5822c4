/**
 * The reproducers of issue #19 (a new user's hostile inputs), one test each: a clear error with a
 * path and exit code 1 (2 for a malformed command-line argument, the CLI's usage convention), or
 * the correct behaviour.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readScfg, scfgText, xzCompress } from '@spark-snn/config';
import { decodeNpy } from '@spark-snn/core';
import { fixturePath } from '@spark-snn/testing/fixtures';
import { describe, expect, it } from 'vitest';
import { AB_BRAIN, FIXTURES, NIR, spark, tempDir } from './helpers.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests edit untyped .scfg JSON
type Loose = any;

const leaky = (): Loose => JSON.parse(readFileSync(join(FIXTURES, 'leaky_brain.json'), 'utf8'));
const somaConfig = (d: Loose): Loose => d.__cfg__.modules_specs[0].__data__.config;

/** Writes a mutated leaky brain into a temp dir and returns its path. */
function variant(edit: (d: Loose) => void, name = 'brain.json'): string {
  const d = leaky();
  edit(d);
  const file = join(tempDir(), name);
  writeFileSync(file, JSON.stringify(d, null, 1));
  return file;
}

const RUN = ['-n', '5', '-b', 'cpu', '--no-plots', '-i', 'drive=const:1'];

describe('validate says what run would reject (exit 1, with the path)', () => {
  it.each([
    [
      'module seed -1',
      (d: Loose) => (somaConfig(d).seed = -1),
      'modules_specs[0].config.seed',
      'unsigned 32-bit',
    ],
    [
      'module seed 1e30',
      (d: Loose) => (somaConfig(d).seed = 1e30),
      'modules_specs[0].config.seed',
      'unsigned 32-bit',
    ],
    ['brain seed -1', (d: Loose) => (d.__cfg__.seed = -1), 'seed', 'unsigned 32-bit'],
    [
      'tau 1e308',
      (d: Loose) => (somaConfig(d).potential_tau = 1e308),
      'modules_specs[0].config.potential_tau',
      'overflows float32',
    ],
    [
      'a brain input named __proto__',
      (d: Loose) => (d.__cfg__.modules_specs[0].__data__.inputs.current[0].__data__.port = '__proto__'),
      'modules_specs[0].inputs.current[0].port',
      'JavaScript objects reserve it',
    ],
    [
      'an unknown sub-registry',
      (d: Loose) => (d.__cfg__.modules_specs[0].__data__.module_cls.__subregistry__ = 'BOGUS'),
      'modules_specs[0].module_cls',
      'unknown sub-registry "BOGUS"',
    ],
  ])('%s', async (_what, edit, path, message) => {
    const file = variant(edit);
    const v = await spark(['validate', file]);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(new RegExp(`brain\\.json:${path.replace(/[.[\]]/g, '\\$&')}: error: .*${message}`));
    const out = join(tempDir(), 'out');
    const r = await spark(['run', file, ...RUN, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`brain.json:${path}: error:`);
    expect(r.err).not.toMatch(/internal error|TypeError|RangeError|at .*\.ts:\d+/);
  });

  it('units [1e9] is refused before anything is allocated, and nothing is written', async () => {
    const r0 = readScfg(readFileSync(join(FIXTURES, 'lif_brain.scfg')));
    if (!r0.ok) throw new Error('lif_brain.scfg does not read');
    (r0.document.config.modules_specs as Loose)[0].config.units = [1e9];
    const file = join(tempDir(), 'big.json');
    writeFileSync(file, scfgText(r0.document));
    const v = await spark(['validate', file]);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(
      /big\.json:modules_specs\[0\]\.config\.units: error: the brain needs an estimated .* GiB of buffers .*\[resources\]/,
    );
    const out = join(tempDir(), 'out');
    const r = await spark(['run', file, '-n', '5', '-b', 'cpu', '-i', 'spikes=poisson:20:4', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('[resources]');
    expect(existsSync(out)).toBe(false);
    // a budget set on the command line is the one checked
    const small = await spark(['validate', join(FIXTURES, 'lif_brain.scfg'), '--memory-budget', '1KiB']);
    expect(small.code).toBe(1);
    expect(small.out).toMatch(/more than the memory budget \(1\.00 KiB\)/);
  });
});

describe('files that cannot be read say why', () => {
  it('JSON errors give line and column', async () => {
    const file = join(tempDir(), 'broken.json');
    writeFileSync(
      file,
      readFileSync(join(FIXTURES, 'leaky_brain.json'), 'utf8').replace(
        '"dt": 1.0\n    }\n}',
        '"dt": 1.0,\n    }\n}',
      ),
    );
    const r = await spark(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /broken\.json: error: invalid JSON: line \d+, column \d+: expected a key in double quotes, found "}" \[json\]/,
    );
  });

  it('an XZ container with non-UTF-8 content is named as such', async () => {
    const file = join(tempDir(), 'binary.scfg');
    writeFileSync(file, xzCompress(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])));
    const r = await spark(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('the XZ container decompresses to 4 bytes that are not UTF-8 text');
  });

  it("Spark's own alif_mod_neuron.scfg (units: []) validates as a neuron template", async () => {
    const r = await spark(['validate', fixturePath('spark/alif_mod_neuron.scfg')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('alif_mod_neuron.scfg: ok (neuron_config template, 4 modules; 0 errors');
  });

  it('ab_brain without its neuron hints --neuron alif_mod_neuron.scfg', async () => {
    const r = await spark(['validate', AB_BRAIN]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'hint: "alif_mod_neuron" is a custom neuron: register its template first with --neuron alif_mod_neuron.scfg',
    );
    expect(r.out).not.toContain('did you mean "alif_neuron"');
  });
});

describe('NIR graphs', () => {
  /** lif_norse in the JSON debug form, edited. */
  async function nirJson(edit: (d: Loose) => void): Promise<string> {
    const dir = tempDir();
    const conv = await spark(['convert', NIR('lif_norse'), join(dir, 'g.json')]);
    expect(conv.code).toBe(0);
    const d = JSON.parse(readFileSync(join(dir, 'g.json'), 'utf8'));
    edit(d);
    writeFileSync(join(dir, 'g.json'), JSON.stringify(d));
    return join(dir, 'g.json');
  }

  it('tau ≤ 0 is an error, not simulated', async () => {
    const file = await nirJson((d) => (d.node.nodes['1'].tau.data = [0]));
    const r = await spark(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'g.json:1.tau: error: tau must be a finite time constant > 0 (seconds), got 0 [nir.bad-parameter]',
    );
    const run = await spark([
      'run',
      file,
      '-n',
      '5',
      '--dt',
      '1e-4',
      '-i',
      'input=const:1',
      '-o',
      join(tempDir(), 'o'),
    ]);
    expect(run.code).toBe(1);
  });

  it('a 1e12 shape is a clear error, not "internal error"', async () => {
    const file = await nirJson(
      (d) => (d.node.nodes.input.shape = { dtype: 'int64', shape: [1e12], data: [1] }),
    );
    const r = await spark(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('shape [1000000000000] holds 1000000000000 values but the dataset has 1');
    expect(r.out).not.toContain('internal error');
  });

  it('--dt 1e308 is refused (exit 2, a malformed argument)', async () => {
    const r = await spark([
      'run',
      NIR('lif_norse'),
      '-n',
      '5',
      '--dt',
      '1e308',
      '-i',
      'input=const:1',
      '-o',
      join(tempDir(), 'o'),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark run: --dt: 1e308 s is not a usable time step');
  });
});

describe('command-line arguments (exit 2, the usage convention)', () => {
  it.each([
    ['drive=poisson:-5:3', 'RATE_HZ must be from 0 to 1000'],
    ['drive=poisson:5000:3', 'RATE_HZ must be from 0 to 1000'],
    ['drive=uniform:1:0:3', 'HIGH (0) must be greater than LOW (1)'],
    ['drive=sine:1:0:3', 'PERIOD_MS must be > 0'],
    ['drive=const:1e39', 'overflows float32'],
  ])('--input %s', async (input, message) => {
    const r = await spark([
      'run',
      'leaky_brain.scfg',
      '-n',
      '5',
      '-b',
      'cpu',
      '-i',
      input,
      '-o',
      join(tempDir(), 'o'),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`spark run: --input: ${input}: `);
    expect(r.err).toContain(message);
  });

  it('-r __proto__ is not a port', async () => {
    const r = await spark(['run', 'leaky_brain.scfg', ...RUN, '-r', '__proto__', '-o', join(tempDir(), 'o')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark run: --record: "__proto__" is not a port');
  });
});

describe('output and run length', () => {
  it.skipIf(!existsSync('/proc/self'))(
    '-o /proc/forbidden fails at once instead of hanging',
    async () => {
      const r = await spark(['run', 'leaky_brain.scfg', ...RUN, '-o', '/proc/forbidden/run']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/spark run: \/proc\/forbidden\/run: cannot create the output directory: /);
    },
    20_000,
  );

  it('--steps beyond the memory budget of an in-memory format is an error before the run', async () => {
    const out = join(tempDir(), 'o');
    const r = await spark([
      'run',
      'leaky_brain.scfg',
      '-n',
      '1000000',
      '-b',
      'cpu',
      '-i',
      'drive=const:1',
      '--format',
      'npz',
      '--memory-budget',
      '1MB',
      '-o',
      out,
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'spark run: --steps: recording 1 port for 1000000 steps needs 3.81 MiB in memory, more than --memory-budget (977 KiB)',
    );
    expect(r.err).toContain('use --format npy (streamed to disk)');
    expect(existsSync(join(out, 'recording.npz'))).toBe(false);
  });

  it('streams .npy recordings chunk by chunk: the same file as one chunk', async () => {
    const a = join(tempDir(), 'a');
    const b = join(tempDir(), 'b');
    const args = [
      'run',
      'leaky_brain.scfg',
      '-n',
      '2500',
      '-b',
      'cpu',
      '-i',
      'drive=const:100,250,400',
      '-r',
      'soma.spikes,soma/potential',
      '--no-plots',
    ];
    expect((await spark([...args, '--chunk', '300', '-o', a])).code).toBe(0);
    expect((await spark([...args, '--chunk', '2500', '-o', b])).code).toBe(0);
    for (const f of ['soma.spikes.npy', 'soma_potential.npy', 'summary.csv']) {
      expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
    }
    const npy = decodeNpy(readFileSync(join(a, 'soma.spikes.npy')));
    expect(npy.shape).toEqual([2500, 3]);
  });
});

describe('precision report', () => {
  it('spark validate says which modules run in float16 (text and --json)', async () => {
    const file = variant((d) => {
      const m = d.__cfg__.modules_specs[0];
      const twin = JSON.parse(JSON.stringify(m));
      twin.__data__.name = 'soma32';
      twin.__data__.config.dtype = { __type__: 'dtype', name: 'float32' };
      twin.__data__.outputs = { spikes32: 'spikes' };
      d.__cfg__.modules_specs.push(twin);
    });
    const r = await spark(['validate', file]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("  float16 storage: soma (dtype float16, Spark's default)\n  float32: soma32\n");
    const j = await spark(['validate', file, '--json']);
    const report = (j.json().files as Loose[])[0];
    expect(report.precision).toEqual({ float16: ['soma'], float32: ['soma32'] });
    expect(report.unknownInputs).toEqual(['drive']);
    expect(report.buffers.cpu).toBeGreaterThan(0);
  });
});
