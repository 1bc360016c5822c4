import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeNpy, encodeNpy } from '@spark-snn/core';
import { fixturePath } from '@spark-snn/testing/fixtures';
import { describe, expect, it } from 'vitest';
import { AB_BRAIN, ALIF_MOD_NEURON, NIR, spark, tempDir } from './helpers.ts';

const DRIVE = 'drive=const:100,250,400';

describe('spark run', () => {
  it('runs the leaky brain on cpu and writes NPY, CSV, SVG and run.json', async () => {
    const out = tempDir();
    const r = await spark([
      'run',
      'leaky_brain.scfg',
      '--steps',
      '300',
      '--backend',
      'cpu',
      '--input',
      DRIVE,
      '--record',
      'soma.spikes,soma/potential',
      '--out',
      out,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ran leaky_brain.scfg: 300 steps (dt 1 ms) on cpu');
    const spikes = decodeNpy(readFileSync(join(out, 'soma.spikes.npy')));
    expect(spikes.descr).toBe('<f4');
    expect(spikes.shape).toEqual([300, 3]);
    const perNeuron = [0, 1, 2].map((i) => spikes.data.filter((v, k) => k % 3 === i && v === 1).length);
    // stronger drive, more spikes
    expect(perNeuron[0]!).toBeLessThan(perNeuron[1]!);
    expect(perNeuron[1]!).toBeLessThan(perNeuron[2]!);
    const potential = decodeNpy(readFileSync(join(out, 'soma_potential.npy')));
    expect(potential.shape).toEqual([300, 3]);
    const csv = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('port,kind,steps,shape,size,spikes,mean_rate_hz,min,max,mean,file');
    const total = perNeuron.reduce((a, b) => a + b, 0);
    expect(csv[1]).toMatch(new RegExp(`^soma\\.spikes,spikes,300,"3",3,${total},`));
    expect(csv[2]).toMatch(/^soma\/potential,trace,300,"3",3,,,/);
    const raster = readFileSync(join(out, 'raster.svg'), 'utf8');
    expect(raster.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(raster).toContain('rate (Hz)');
    expect(readFileSync(join(out, 'traces.svg'), 'utf8')).toContain('soma/potential');
    const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(manifest).toMatchObject({
      ok: true,
      steps: 300,
      dt_ms: 1,
      backend: { kind: 'cpu' },
      inputs: { drive: { size: 3 } },
    });
  });

  it('records the brain outputs by default, writes NPZ with --format npz, and is reproducible', async () => {
    const a = tempDir();
    const b = tempDir();
    for (const out of [a, b]) {
      const r = await spark([
        'run',
        'leaky_brain.json',
        '-n',
        '120',
        '-b',
        'cpu',
        '-i',
        'poisson:800:3',
        '--seed',
        '7',
        '--format',
        'npz',
        '-o',
        out,
        '--json',
      ]);
      expect(r.code).toBe(0);
      expect(r.json()).toMatchObject({ ok: true, record: ['soma.spikes'], seed: 7 });
    }
    const npz = readFileSync(join(a, 'recording.npz'));
    expect(npz.subarray(0, 2).toString()).toBe('PK');
    expect(npz.includes(Buffer.from('soma.spikes.npy'))).toBe(true);
    expect(readFileSync(join(b, 'recording.npz')).equals(npz)).toBe(true);
  });

  it('writes one safetensors file with --format safetensors', async () => {
    const out = tempDir();
    const r = await spark([
      'run',
      'leaky_brain.scfg',
      '-n',
      '40',
      '-b',
      'cpu',
      '-i',
      DRIVE,
      '-r',
      'soma.spikes,soma/potential',
      '--format',
      'safetensors',
      '-o',
      out,
    ]);
    expect(r.code).toBe(0);
    const { decodeSafetensors } = await import('@spark-snn/core');
    const { tensors, metadata } = decodeSafetensors(readFileSync(join(out, 'recording.safetensors')));
    expect([...tensors.keys()]).toEqual(['soma.spikes', 'soma/potential']);
    expect(tensors.get('soma.spikes')?.shape).toEqual([40, 3]);
    expect(metadata).toMatchObject({ format: 'spark-snn-recording', steps: '40' });
    expect(
      (await spark(['run', 'leaky_brain.scfg', '-n', '4', '-i', DRIVE, '--format', 'hdf5'])).err,
    ).toContain('spark run: --format: expected npy, npz, safetensors, got "hdf5"');
  });

  it('reads inputs from .npy and .csv files', async () => {
    const dir = tempDir();
    const steps = 50;
    const data = new Float32Array(steps * 3).map((_, k) => (k % 3) * 200 + 50);
    writeFileSync(join(dir, 'drive.npy'), encodeNpy(data, [steps, 3]));
    writeFileSync(
      join(dir, 'drive.csv'),
      `a,b,c\n${Array.from({ length: steps }, () => '50,250,450').join('\n')}\n`,
    );
    const outs: Float64Array[] = [];
    for (const file of ['drive.npy', 'drive.csv']) {
      const out = join(dir, file.replace('.', '_'));
      const r = await spark(
        [
          'run',
          join(import.meta.dirname, '../fixtures/leaky_brain.scfg'),
          '-n',
          String(steps),
          '-b',
          'cpu',
          '-i',
          `drive=${file}`,
          '-o',
          out,
        ],
        { cwd: dir },
      );
      expect(r.code).toBe(0);
      outs.push(decodeNpy(readFileSync(join(out, 'soma.spikes.npy'))).data);
    }
    expect(outs[0]).toEqual(outs[1]);
  });

  it('fails when an input file has fewer steps than --steps', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'short.npy'), encodeNpy(new Float32Array(30), [10, 3]));
    const r = await spark(
      [
        'run',
        join(import.meta.dirname, '../fixtures/leaky_brain.scfg'),
        '-n',
        '20',
        '-b',
        'cpu',
        '-i',
        'short.npy',
        '-o',
        join(dir, 'o'),
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(r.err).toBe('spark run: short.npy: has 10 steps of input, --steps is 20\n');
  });

  it('draws a progress bar on a terminal only', async () => {
    const args = [
      'run',
      'leaky_brain.scfg',
      '-n',
      '200',
      '-b',
      'cpu',
      '-i',
      DRIVE,
      '--chunk',
      '20',
      '-o',
      tempDir(),
    ];
    const tty = await spark(args, { isTTY: true });
    expect(tty.code).toBe(0);
    expect(tty.err).toContain('\r[');
    expect(tty.err).toMatch(/100% 200\/200 steps in \d+s/);
    const pipe = await spark(args);
    expect(pipe.err).toBe('');
    const quiet = await spark([...args, '--no-progress'], { isTTY: true });
    expect(quiet.err).toBe('');
  });

  it('is a usage error without --steps, with a bad backend, or without the brain inputs', async () => {
    let r = await spark(['run', 'leaky_brain.scfg', '-i', DRIVE]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark run: --steps: missing');
    r = await spark(['run', 'leaky_brain.scfg', '-n', 'ten', '-i', DRIVE]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark run: --steps: expected an integer ≥ 1, got "ten"');
    r = await spark(['run', 'leaky_brain.scfg', '-n', '10', '-b', 'tpu', '-i', DRIVE]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark run: --backend: unknown backend "tpu" (one of auto, webgpu, gpujs, cpu)');
    r = await spark(['run', 'leaky_brain.scfg', '-n', '10', '-b', 'cpu', '-o', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark run: --input: missing "drive"');
    r = await spark([
      'run',
      'leaky_brain.scfg',
      '-n',
      '10',
      '-b',
      'cpu',
      '-i',
      'signal=const:1',
      '-o',
      tempDir(),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark run: --input: the brain has no input "signal" (inputs: drive)');
    r = await spark([
      'run',
      'leaky_brain.scfg',
      '-n',
      '10',
      '-b',
      'cpu',
      '-i',
      'drive=uniform:0:1',
      '-o',
      tempDir(),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('expected uniform:LOW:HIGH:SIZE');
  });

  it('fails with the path when a recorded port does not exist', async () => {
    const r = await spark([
      'run',
      'leaky_brain.scfg',
      '-n',
      '10',
      '-b',
      'cpu',
      '-i',
      DRIVE,
      '-r',
      'soma.nope',
      '-o',
      tempDir(),
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^spark run: leaky_brain\.scfg:soma\.nope: /);
  });

  it('refuses invalid, corrupt, missing and non-brain models', async () => {
    let r = await spark(['run', 'unknown_module.json', '-n', '10', '-i', DRIVE]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'unknown_module.json:modules_specs[0].module_cls: error: there is no module named "no_such_soma"',
    );
    expect(r.err).toContain(
      "spark run: unknown_module.json: the model has 3 errors; run 'spark validate unknown_module.json' for details",
    );
    r = await spark(['run', 'corrupt.scfg', '-n', '10']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('could not decompress the XZ container');
    r = await spark(['run', 'missing.scfg', '-n', '10']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('spark run: missing.scfg: no such file\n');
    r = await spark(['run', 'alif_mod_neuron.scfg', '-n', '10']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'spark run: alif_mod_neuron.scfg:__type__: spark run needs a brain_config, this file holds a neuron_config',
    );
  });

  it('runs the ab_brain tutorial brain with every input from one JSON file', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'inputs.json'),
      JSON.stringify({ signal: 'sine:1:100:4', mod_a_ex: [1], mod_b_ex: [1], mod_a_in: [1], mod_b_in: [1] }),
    );
    const out = join(dir, 'out');
    const r = await spark(
      [
        'run',
        AB_BRAIN,
        '--neuron',
        ALIF_MOD_NEURON,
        '-n',
        '20',
        '-b',
        'cpu',
        '-i',
        'inputs.json',
        '-r',
        'spiker.spikes,integrator.signal',
        '-o',
        out,
        '--json',
      ],
      { cwd: dir },
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      ok: true,
      steps: 20,
      inputs: { signal: { size: 4 }, mod_a_ex: { size: 1 } },
    });
    expect(decodeNpy(readFileSync(join(out, 'spiker.spikes.npy'))).shape).toEqual([20, 4, 128]);
    expect(decodeNpy(readFileSync(join(out, 'integrator.signal.npy'))).shape).toEqual([20, 2]);
  });

  it('rejects a JSON input file that is not an object of inputs', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ signal: 'wave:1', mod_a_ex: [1] }));
    const r = await spark(
      [
        'run',
        AB_BRAIN,
        '--neuron',
        ALIF_MOD_NEURON,
        '-n',
        '5',
        '-b',
        'cpu',
        '-i',
        'bad.json',
        '-o',
        join(dir, 'o'),
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark run: --input: bad.json:signal: unknown generator "wave"');
  });
});

describe('spark run on NIR graphs (reference simulator)', () => {
  const NORSE_CSV = fixturePath('nir/lif_norse.csv');

  it("reproduces Norse's lif_norse.csv: spikes at steps 460, 510, 710, 760 and the voltage trace", async () => {
    const out = tempDir();
    const r = await spark([
      'run',
      NIR('lif_norse'),
      '-n',
      '1000',
      '--dt',
      '1e-4',
      '-i',
      `input=${NORSE_CSV}#0`,
      '-r',
      '1,1/v',
      '-o',
      out,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('1000 steps (dt 0.1 ms) on cpu');
    expect(r.out).toContain('1 [1]: 4 spikes, mean rate 40.00 Hz');
    const spikes = decodeNpy(readFileSync(join(out, '1.npy')));
    expect(spikes.descr).toBe('<f8');
    expect([...spikes.data].flatMap((z, t) => (z > 0 ? [t] : []))).toEqual([460, 510, 710, 760]);
    const v = decodeNpy(readFileSync(join(out, '1_v.npy'))).data;
    const rows = readFileSync(NORSE_CSV, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(',').map(Number));
    const err = Math.max(...rows.map((row, t) => Math.abs(v[t]! - row[1]!)));
    expect(err).toBeLessThan(1e-5);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))).toMatchObject({
      dt_s: 1e-4,
      method: 'euler',
      reset: 'value',
    });
    expect(readFileSync(join(out, 'raster.svg'), 'utf8')).toContain('1 (1)');
  });

  it('records every spiking node by default (braille, dt from --dt, Poisson input)', async () => {
    const r = await spark([
      'run',
      NIR('braille_noDelay_bias_zero'),
      '-n',
      '200',
      '--dt',
      '1e-4',
      '-i',
      'poisson:2000:12',
      '-o',
      tempDir(),
      '--json',
    ]);
    expect(r.code).toBe(0);
    const doc = r.json() as { record: string[]; summary: { port: string; kind: string }[] };
    expect(doc.record).toEqual(['lif1.lif', 'lif2']);
    expect(doc.summary.map((x) => x.kind)).toEqual(['spikes', 'spikes']);
  });

  it('needs --dt when the graph has none, and runs on the reference simulator only', async () => {
    let r = await spark(['run', NIR('lif_norse'), '-n', '10', '-i', 'const:1']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark run: --dt: missing: this NIR graph has no dt metadata');
    r = await spark(['run', NIR('lif_norse'), '-n', '10', '--dt', '1e-4', '-b', 'webgpu', '-i', 'const:1']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("NIR graphs run on the graph package's reference simulator");
    r = await spark(['run', 'leaky_brain.scfg', '-n', '10', '--dt', '1e-4', '-i', 'const:1,2,3']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark run: --dt: applies to NIR graphs only');
  });

  it('reports unknown nodes, wrong input sizes and bad column selections', async () => {
    let r = await spark([
      'run',
      NIR('lif_norse'),
      '-n',
      '10',
      '--dt',
      '1e-4',
      '-i',
      'const:1',
      '-r',
      'lif',
      '-o',
      tempDir(),
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`spark run: ${NIR('lif_norse')}:lif: no node "lif" (nodes: `);
    r = await spark([
      'run',
      NIR('lif_norse'),
      '-n',
      '10',
      '--dt',
      '1e-4',
      '-i',
      'const:1,2',
      '-o',
      tempDir(),
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('spark run: --input input: gives 2 values per step, the Input node has 1');
    r = await spark([
      'run',
      NIR('lif_norse'),
      '-n',
      '10',
      '--dt',
      '1e-4',
      '-i',
      `${NORSE_CSV}#5`,
      '-o',
      tempDir(),
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('has 3 columns, column 5 was asked for');
    r = await spark(['run', 'invalid.nir', '-n', '10', '--dt', '1e-4']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('[nir.hdf5.malformed]');
  });
});
