import { describe, expect, it } from 'vitest';
import { AB_BRAIN, ALIF_MOD_NEURON, FIXTURES, NIR, spark } from './helpers.ts';

describe('spark validate', () => {
  it('accepts the ab_brain fixture once its custom neuron is registered', async () => {
    const r = await spark(['validate', AB_BRAIN, '--neuron', ALIF_MOD_NEURON]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('ab_brain.scfg: ok (brain_config, 6 modules; 0 errors, 0 warnings)');
    expect(r.err).toBe('');
  });

  it('reports the unregistered alif_mod_neuron with paths and exits 1', async () => {
    const r = await spark(['validate', AB_BRAIN]);
    expect(r.code).toBe(1);
    for (const i of [0, 1, 2, 3]) {
      expect(r.out).toContain(
        `ab_brain.scfg:modules_specs[${i}].module_cls: error: there is no module named "alif_mod_neuron" in the registry [unknown_module]`,
      );
    }
    expect(r.out).toContain('FAILED');
  });

  it.each(['lif_norse', 'two_lif_neurons', 'cnn_sinabs', 'braille_noDelay_bias_zero'])(
    'accepts the NIR fixture %s',
    async (name) => {
      const r = await spark(['validate', NIR(name)]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(
        new RegExp(`${name}\\.nir: ok \\(NIR graph v0\\.[12]\\.[01], \\d+ nodes; 0 errors, 0 warnings\\)`),
      );
    },
  );

  it('validates several files at once', async () => {
    const r = await spark(['validate', 'leaky_brain.scfg', 'leaky_brain.json', NIR('lif_norse')]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter((l) => l.includes(': ok ('))).toHaveLength(3);
  });

  it('fails on a missing file with "spark validate: <path>: no such file"', async () => {
    const r = await spark(['validate', 'missing.scfg']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('spark validate: missing.scfg: no such file\n');
    expect(r.out).toBe('');
  });

  it('fails on a directory', async () => {
    const r = await spark(['validate', FIXTURES]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('is a directory');
  });

  it('fails on a corrupt XZ container', async () => {
    const r = await spark(['validate', 'corrupt.scfg']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('corrupt.scfg: error: could not decompress the XZ container');
    expect(r.out).toContain('[file]');
    expect(r.out).toContain('corrupt.scfg: FAILED (unreadable; 1 error, 0 warnings)');
  });

  it('fails on a .scfg that is neither XZ nor JSON', async () => {
    const r = await spark(['validate', 'not_json.scfg']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/not_json\.scfg: error: invalid JSON: .* \[json\]/);
    // one line per diagnostic: embedded newlines are folded
    expect(r.out.split('\n')[0]).toContain('[json]');
  });

  it('fails on JSON that is not a Spark config', async () => {
    const r = await spark(['validate', 'not_spark.json']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('not_spark.json: error: not a Spark config document');
  });

  it('names the unknown module and its path', async () => {
    const r = await spark(['validate', 'unknown_module.json']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'unknown_module.json:modules_specs[0].module_cls: error: there is no module named "no_such_soma" in the registry [unknown_module]',
    );
  });

  it('reports an out-of-range field with its full path', async () => {
    const r = await spark(['validate', 'bad_value.json']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'bad_value.json:modules_specs[0].config.potential_tau: error: must be > 0 (got -5) [invalid_value]',
    );
  });

  it('fails on a .nir that is not HDF5', async () => {
    const r = await spark(['validate', 'invalid.nir']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('invalid.nir: error: not a readable HDF5 file');
    expect(r.out).toContain('[nir.hdf5.malformed]');
  });

  it('prints one JSON document with --json', async () => {
    const r = await spark(['validate', 'bad_value.json', 'leaky_brain.scfg', '--json']);
    expect(r.code).toBe(1);
    const doc = r.json() as {
      ok: boolean;
      files: { file: string; ok: boolean; errors: number; diagnostics: { path: string; code: string }[] }[];
    };
    expect(doc.ok).toBe(false);
    expect(doc.files.map((f) => [f.file, f.ok, f.errors])).toEqual([
      ['bad_value.json', false, 1],
      ['leaky_brain.scfg', true, 0],
    ]);
    expect(doc.files[0]!.diagnostics[0]).toMatchObject({
      path: 'modules_specs[0].config.potential_tau',
      code: 'invalid_value',
    });
  });

  it('prints the error as JSON too when a file is missing in --json mode', async () => {
    const r = await spark(['validate', 'missing.scfg', '--json']);
    expect(r.code).toBe(1);
    expect(r.json()).toMatchObject({
      ok: false,
      command: 'validate',
      error: { path: 'missing.scfg', message: 'no such file', exitCode: 1 },
    });
  });

  it('fails when a --neuron file is missing or not a neuron', async () => {
    let r = await spark(['validate', AB_BRAIN, '--neuron', 'nope.scfg']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('spark validate: nope.scfg: no such file\n');
    r = await spark(['validate', AB_BRAIN, '--neuron', 'leaky_brain.scfg']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'spark validate: leaky_brain.scfg:__type__: cannot register the neuron: expected a neuron_config file, got brain_config',
    );
  });

  it('is a usage error (exit 2) without a file, with an unknown option or an unknown extension', async () => {
    let r = await spark(['validate']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark validate: missing FILE (expected at least 1 FILE)');
    expect(r.err).toContain("Run 'spark validate --help' for usage.");
    r = await spark(['validate', 'leaky_brain.scfg', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark validate: unknown option --bogus');
    r = await spark(['validate', 'generate.ts']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark validate: generate.ts: unknown file type ".ts"');
  });
});
