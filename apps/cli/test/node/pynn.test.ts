import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createBrainConfig,
  initializerDefault,
  type ModuleSpecs,
  moduleSpecs,
  writeScfg,
} from '@spark-snn/config';
import { describe, expect, it } from 'vitest';
import { spark, tempDir } from './helpers.ts';

/** The benchmark networks of apps/examples (real files). */
const NETWORK = (name: string) => join(import.meta.dirname, `../../../examples/networks/${name}.scfg`);

describe('spark convert --to pynn: bad input', () => {
  it('lists every module PyNN cannot express with its path and exits 1, writing nothing', async () => {
    const dir = tempDir();
    const out = join(dir, 'leaky.py');
    const r = await spark(['convert', 'leaky_brain.scfg', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'leaky_brain.scfg:modules_specs[0]: error: "soma" (leaky_soma, a soma) has no PyNN equivalent in this exporter',
    );
    expect(r.err).toContain('spark convert: leaky_brain.scfg: cannot export to PyNN: 1 error');
    expect(existsSync(out)).toBe(false);
    // nothing left to export even with --allow-partial
    const p = await spark(['convert', 'leaky_brain.scfg', out, '--allow-partial']);
    expect(p.code).toBe(1);
    expect(p.err).toContain('nothing in the brain has a PyNN equivalent');
  });

  it('reports the diagnostics as JSON with --json', async () => {
    const dir = tempDir();
    const r = await spark(['convert', 'leaky_brain.scfg', join(dir, 'l.py'), '--json']);
    expect(r.code).toBe(1);
    expect(r.json()).toMatchObject({ ok: false, command: 'convert', error: { path: 'leaky_brain.scfg' } });
  });

  it('refuses bad options with exit 2', async () => {
    const dir = tempDir();
    let r = await spark(['convert', 'leaky_brain.scfg', join(dir, 'l.py'), '--simulator', 'genn']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      '--simulator: unknown simulator "genn" (expected one of nest, brian2, neuron, spiNNaker)',
    );
    r = await spark(['convert', 'leaky_brain.scfg', join(dir, 'l.py'), '--connectivity', 'exact']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--connectivity: expected connectors or explicit, got "exact"');
    r = await spark(['convert', 'leaky_brain.scfg', join(dir, 'l.json'), '--connectivity', 'explicit']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--connectivity: applies to --to pynn only (the output format is json)');
    r = await spark(['convert', 'leaky_brain.scfg', '-', '--to', 'pynn']);
    expect(r.code).toBe(2);
  });

  it('documents the PyNN options in --help', async () => {
    const r = await spark(['convert', '--help']);
    expect(r.out).toContain('--simulator');
    expect(r.out).toContain('--connectivity');
    expect(r.out).toContain('--allow-partial');
    expect(readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8')).toContain('--to pynn');
  });
});

/** CUBA (benchmarks.md §1.1) at `n` cells as a real .scfg file in `dir`. */
async function cubaFile(dir: string, n = 400, extra: ModuleSpecs[] = []): Promise<string> {
  const nE = n * 0.8;
  const syn = (name: string, start: number, stop: number, weight: number) =>
    moduleSpecs(name, 'sparse_synapses', {
      config: {
        seed: 3,
        dtype: 'float32',
        units: [n],
        p: 80 / n,
        source_start: start,
        source_stop: stop,
        weight,
      },
      inputs: { spikes: ['neurons.spikes'] },
    }).specs;
  const neurons = moduleSpecs('neurons', 'cuba_lif', {
    config: {
      seed: 2,
      dtype: 'float32',
      units: [n],
      v_offset: initializerDefault('uniform_initializer', { scale: 10 }),
    },
    inputs: { exc: ['exc.currents'], inh: ['inh.currents'] },
    outputs: { spikes: 'spikes' },
  }).specs;
  const doc = createBrainConfig([neurons, syn('exc', 0, nE, 1.62), syn('inh', nE, n, -9), ...extra], {
    seed: 1,
    dt: 0.1,
  });
  const file = join(dir, 'cuba.scfg');
  writeFileSync(file, writeScfg(doc));
  return file;
}

describe('spark convert --to pynn: good input', () => {
  it('writes the script of the CUBA network file (PyNN connectors) and says so', async () => {
    const dir = tempDir();
    const out = join(dir, 'cuba.py');
    const r = await spark(['convert', NETWORK('cuba'), out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`cuba.scfg → ${out} \\(pynn, \\d+ bytes\\)\\n$`));
    const script = readFileSync(out, 'utf8');
    expect(script).toContain('neurons = sim.Population(4000, sim.IF_curr_exp(');
    expect(script).toContain(
      'neurons.initialize(v=RandomDistribution("uniform", low=-60.0, high=-50.0, rng=rng))',
    );
    expect(script).toContain('    neurons[0:3200], neurons,\n');
    expect(script).toContain('sim.FixedProbabilityConnector(0.02, allow_self_connections=True, rng=rng)');
    expect(script).toContain('sim.StaticSynapse(weight=0.081, delay=0.1)');
    expect(script).toContain('sim.StaticSynapse(weight=-0.45, delay=0.1)');
    expect(script).toContain('default="nest"');
    expect(existsSync(join(dir, 'cuba.npz'))).toBe(false);
  });

  it('writes the Brunel network file with its simulator limits and its delays', async () => {
    const dir = tempDir();
    const out = join(dir, 'brunel.py');
    const r = await spark(['convert', NETWORK('brunel'), out, '--simulator', 'nest']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const script = readFileSync(out, 'utf8');
    expect(script).toContain('neurons = sim.Population(12500, sim.IF_curr_delta(');
    expect(script).toContain('drive = sim.Population(12500, sim.SpikeSourcePoisson(');
    expect(script).toContain(
      'sim.FixedNumberPreConnector(1000, with_replacement=True, allow_self_connections=True, rng=rng)',
    );
    // the Brain's delay 1.3 ms + 2 module hops = 15 steps, a voltage jump after the update: Brunel's D = 1.5 ms
    expect(script).toContain('sim.StaticSynapse(weight=0.1, delay=1.5)');
    expect(script).toContain('sim.StaticSynapse(weight=-0.5, delay=1.5)');
    expect(script).toContain(
      '"neuron": ("unavailable", "pyNN.neuron has no IF_curr_delta (ModelNotAvailable)"),',
    );
  });

  it('writes the exact connectivity to OUT.npz with --connectivity explicit', async () => {
    const dir = tempDir();
    const model = await cubaFile(dir);
    const out = join(dir, 'net.py');
    const r = await spark(['convert', model, out, '--simulator', 'brian2', '--connectivity', 'explicit']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`→ ${join(dir, 'net.npz')} (npz,`);
    const script = readFileSync(out, 'utf8');
    expect(script).toContain('default="brian2"');
    expect(script).toContain('"net.npz"');
    expect(script).toContain('sim.FromListConnector(np.column_stack((data["exc_pre"], data["exc_post"]))),');
    // a zip archive: local file header signature
    expect([...readFileSync(join(dir, 'net.npz')).subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    const j = await spark(['convert', model, join(dir, 'j.py'), '--json']);
    expect(j.json()).toMatchObject({ ok: true, format: 'pynn', diagnostics: [] });
  });

  it('with --allow-partial writes the rest and lists what is missing', async () => {
    const dir = tempDir();
    const extra = moduleSpecs('adaptive', 'adaptive_leaky_soma', {
      config: { _s_units: [4] },
      inputs: { current: ['exc.currents'] },
    }).specs;
    const model = await cubaFile(dir, 400, [extra]);
    const out = join(dir, 'p.py');
    let r = await spark(['convert', model, out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'cuba.scfg:modules_specs[3]: error: "adaptive" (adaptive_leaky_soma, a soma) has no PyNN equivalent',
    );
    expect(existsSync(out)).toBe(false);
    r = await spark(['convert', model, out, '--allow-partial']);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('#   error modules_specs[3]: "adaptive"');
  });
});
