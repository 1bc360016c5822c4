import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NIR, spark, tempDir } from './helpers.ts';

describe('spark map', () => {
  it('maps two_lif_neurons onto XyloAudio 2 and writes the configuration JSON', async () => {
    const dir = tempDir();
    const out = join(dir, 'config.json');
    const r = await spark(['map', NIR('two_lif_neurons'), '--target', 'xylo-audio2', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('DRC report for');
    expect(r.out).toContain('fits xylo-audio-2');
    expect(r.out).toContain(`configuration written to ${out}`);
    const config = JSON.parse(readFileSync(out, 'utf8'));
    expect(config).toMatchObject({ format: 'spark-snn/xylo-config', version: 1, device: 'xylo-audio-2' });
  });

  it.each(['xylo-audio3', 'xylo-imu', 'XyloAudio3', 'xylo-audio-2'])(
    'accepts the target name %s',
    async (t) => {
      const r = await spark(['map', NIR('two_lif_neurons'), '-t', t, '--json']);
      expect(r.code).toBe(0);
      const doc = r.json() as { ok: boolean; config: { device: string } };
      expect(doc.ok).toBe(true);
      expect(doc.config.device).toMatch(/^xylo-/);
    },
  );

  it('prints the DRC errors and exits 1 when the network does not fit', async () => {
    const r = await spark(['map', NIR('lif_norse'), '--target', 'xylo-audio3']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'error: At least two layers of neurons are required (hidden and readout). [at_least_two_neuron_layers_needed]',
    );
    expect(r.out).toContain('does not map onto xylo-audio-3');
  });

  it('reports NIR nodes a Xylo cannot run', async () => {
    const r = await spark(['map', NIR('cnn_sinabs'), '-t', 'xylo-imu', '--json']);
    expect(r.code).toBe(1);
    const doc = r.json() as { ok: boolean; diagnostics: { code: string; path: string }[]; config: unknown };
    expect(doc.ok).toBe(false);
    expect(doc.config).toBeNull();
    expect(doc.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'nir-to-hw.unsupported', path: '0' }),
    );
  });

  it('uses --dt instead of estimating it', async () => {
    let r = await spark(['map', NIR('braille_noDelay_bias_zero'), '-t', 'xylo-audio3', '--json']);
    const estimated = (r.json().diagnostics as { code: string }[]).some(
      (d) => d.code === 'nir-to-hw.dt-estimated',
    );
    r = await spark(['map', NIR('braille_noDelay_bias_zero'), '-t', 'xylo-audio3', '--dt', '1e-4', '--json']);
    expect(
      (r.json().diagnostics as { code: string }[]).some((d) => d.code === 'nir-to-hw.dt-estimated'),
    ).toBe(false);
    expect(typeof estimated).toBe('boolean');
  });

  it('fails on invalid and missing models', async () => {
    let r = await spark(['map', 'invalid.nir', '-t', 'xylo-audio2']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('[nir.hdf5.malformed]');
    r = await spark(['map', 'missing.nir', '-t', 'xylo-audio2']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('spark map: missing.nir: no such file\n');
    r = await spark(['map', 'corrupt.scfg', '-t', 'xylo-audio2']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('corrupt.scfg: error: could not decompress the XZ container');
    r = await spark(['map', 'unknown_module.json', '-t', 'xylo-audio2']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      "spark map: unknown_module.json: the model has errors; run 'spark validate unknown_module.json' for details",
    );
  });

  it('is a usage error without a target, with an unknown target or a bad --dt', async () => {
    let r = await spark(['map', NIR('two_lif_neurons')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark map: --target: missing (one of xylo-audio-2, xylo-audio-3, xylo-imu');
    r = await spark(['map', NIR('two_lif_neurons'), '-t', 'loihi']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark map: --target: unknown target "loihi"');
    r = await spark(['map', NIR('two_lif_neurons'), '-t', 'xylo-imu', '--dt', '-1']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark map: option --dt has a value starting with "-": write it as --dt=VALUE');
    r = await spark(['map', NIR('two_lif_neurons'), '-t', 'xylo-imu', '--dt=-1']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark map: --dt: expected a positive number of seconds, got "-1"');
  });

  it('maps the NIR JSON debug form and writes the Rockpool specification on request', async () => {
    const dir = tempDir();
    expect((await spark(['convert', NIR('two_lif_neurons'), join(dir, 'g.nir.json')])).code).toBe(0);
    const r = await spark([
      'map',
      join(dir, 'g.nir.json'),
      '-t',
      'xylo-audio2',
      '--dt',
      '1e-3',
      '-o',
      join(dir, 'config.json'),
      '--rockpool-spec',
      join(dir, 'spec.json'),
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Rockpool specification to ${join(dir, 'spec.json')}`);
    const spec = JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8'));
    expect(Object.keys(spec)).toEqual(
      expect.arrayContaining(['weights_in', 'weights_rec', 'weights_out', 'dt']),
    );
    expect(spec.dt).toBe(1e-3);
  });

  it('writes a configuration that spark validate accepts, and validate catches out-of-range values', async () => {
    const dir = tempDir();
    const out = join(dir, 'config.json');
    expect(
      (await spark(['map', NIR('two_lif_neurons'), '-t', 'xylo-audio2', '--dt', '1e-3', '-o', out])).code,
    ).toBe(0);
    let r = await spark(['validate', out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('config.json: ok (Xylo configuration for xylo-audio-2; 0 errors, 0 warnings)');
    const config = JSON.parse(readFileSync(out, 'utf8'));
    config.input.weights[0][0][0] = 1000;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(config, null, 2));
    r = await spark(['validate', join(dir, 'bad.json')]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('bad.json:input.weights[0]: error: 1000 outside [-128, 127] [config.range]');
    writeFileSync(join(dir, 'dev.json'), JSON.stringify({ ...config, device: 'loihi' }, null, 2));
    r = await spark(['validate', join(dir, 'dev.json')]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('dev.json:device: error: unknown device "loihi"');
  });

  it('maps a Spark brain through NIR and names what the device cannot do', async () => {
    const r = await spark(['map', 'lif_brain.scfg', '-t', 'xylo-audio3', '--input-shape', 'spikes=4']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('DRC report for lif_brain.scfg on XyloAudio 3 (xylo-audio-3)');
    expect(r.out).toContain(
      'lif_brain.scfg:hidden.plasticity: warning: plasticity rule hebbian_rule dropped',
    );
    // lif_neuron's N2N delays have no Xylo equivalent
    expect(r.out).toContain('lif_brain.scfg:hidden.delay_spikes.d1: error: Delay nodes cannot be mapped');
    expect(r.out).toMatch(/lif_brain\.scfg: does not map onto xylo-audio-3 \(\d+ errors, \d+ warnings\)/);
  });
});
