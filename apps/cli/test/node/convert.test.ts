import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AB_BRAIN, ALIF_MOD_NEURON, NIR, spark, tempDir } from './helpers.ts';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('spark convert', () => {
  it('writes ab_brain.scfg as the exact JSON text Spark wrote (byte for byte)', async () => {
    const dir = tempDir();
    const out = join(dir, 'ab_brain.json');
    const r = await spark(['convert', AB_BRAIN, out, '--neuron', ALIF_MOD_NEURON]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('(json, 217988 bytes)');
    // spark-reference §3.5: the decompressed JSON of the fixture
    expect(sha256(readFileSync(out))).toBe(
      'c1aa6e9c957a1516c99687941ffcd329c8f03c8be49a4bd0d395c6fa8e0d01bb',
    );
  });

  it('round-trips .json → .scfg (XZ) → .json and the result validates', async () => {
    const dir = tempDir();
    expect((await spark(['convert', 'leaky_brain.json', join(dir, 'a.scfg')])).code).toBe(0);
    const xz = readFileSync(join(dir, 'a.scfg'));
    expect([...xz.subarray(0, 6)]).toEqual([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
    expect((await spark(['convert', join(dir, 'a.scfg'), join(dir, 'b.json')])).code).toBe(0);
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(
      readFileSync(join(import.meta.dirname, '../fixtures/leaky_brain.json'), 'utf8'),
    );
    expect((await spark(['validate', join(dir, 'a.scfg')])).code).toBe(0);
  });

  it('writes plain JSON into .scfg with --plain and sessions with .sge', async () => {
    const dir = tempDir();
    expect((await spark(['convert', 'leaky_brain.scfg', join(dir, 'p.scfg'), '--plain'])).code).toBe(0);
    expect(readFileSync(join(dir, 'p.scfg'), 'utf8').startsWith('{\n    "__type__": "brain_config"')).toBe(
      true,
    );
    expect((await spark(['convert', 'leaky_brain.scfg', join(dir, 's.sge')])).code).toBe(0);
    expect((await spark(['validate', join(dir, 's.sge')])).out).toContain('brain_config session');
  });

  it('converts NIR to the JSON debug form and back to an HDF5 .nir that reads the same', async () => {
    const dir = tempDir();
    let r = await spark(['convert', NIR('braille_noDelay_bias_zero'), join(dir, 'b.nir.json')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('(nir-json,');
    expect(JSON.parse(readFileSync(join(dir, 'b.nir.json'), 'utf8')).format).toMatch(
      /^spark-snn\/nir-json-debug/,
    );
    r = await spark(['convert', join(dir, 'b.nir.json'), join(dir, 'b.nir')]);
    expect(r.code).toBe(0);
    r = await spark(['validate', join(dir, 'b.nir'), '--json']);
    expect(r.code).toBe(0);
    r = await spark(['convert', join(dir, 'b.nir'), join(dir, 'c.nir.json')]);
    expect(JSON.parse(readFileSync(join(dir, 'c.nir.json'), 'utf8'))).toEqual(
      JSON.parse(readFileSync(join(dir, 'b.nir.json'), 'utf8')),
    );
  });

  it('reports --json results', async () => {
    const dir = tempDir();
    const r = await spark(['convert', 'leaky_brain.scfg', join(dir, 'x.json'), '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ ok: true, command: 'convert', format: 'json' });
  });

  it('refuses inputs with errors unless --force', async () => {
    const dir = tempDir();
    let r = await spark(['convert', 'unknown_module.json', join(dir, 'u.scfg')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'unknown_module.json:modules_specs[0].module_cls: error: there is no module named "no_such_soma"',
    );
    expect(r.err).toContain(
      'spark convert: unknown_module.json: cannot convert: 1 error in the input (use --force to convert anyway)',
    );
    r = await spark(['convert', 'unknown_module.json', join(dir, 'u.scfg'), '--force']);
    expect(r.code).toBe(0);
  });

  it('fails on corrupt, missing and invalid inputs with exit 1', async () => {
    const dir = tempDir();
    let r = await spark(['convert', 'corrupt.scfg', join(dir, 'x.json')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('corrupt.scfg: error: could not decompress the XZ container');
    expect(r.err).toContain('spark convert: corrupt.scfg: cannot convert: 1 error in the input\n');
    r = await spark(['convert', 'missing.scfg', join(dir, 'x.json')]);
    expect(r.code).toBe(1);
    expect(r.err).toBe('spark convert: missing.scfg: no such file\n');
    r = await spark(['convert', 'invalid.nir', join(dir, 'x.json')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('[nir.hdf5.malformed]');
  });

  it('says which conversions are not available', async () => {
    const dir = tempDir();
    let r = await spark(['convert', NIR('lif_norse'), join(dir, 'x.scfg')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('NIR has no Spark module structure');
    r = await spark(['convert', NIR('lif_norse'), join(dir, 'x.py'), '--to', 'pynn']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('a NIR graph does not export to PyNN');
  });

  it('converts a brain of LIF neurons to a NIR file that validates', async () => {
    const dir = tempDir();
    const out = join(dir, 'lif.nir');
    let r = await spark(['convert', 'lif_brain.scfg', out, '--input-shape', 'spikes=4']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`lif_brain.scfg → ${out} (nir,`);
    // plasticity has no NIR form: reported with its path, not fatal
    expect(r.err).toContain(
      'lif_brain.scfg:hidden.plasticity: warning: plasticity rule hebbian_rule dropped',
    );
    r = await spark(['validate', out, '--json']);
    expect(r.code).toBe(0);
    r = await spark(['convert', out, join(dir, 'lif.nir.json')]);
    const nodes = JSON.parse(readFileSync(join(dir, 'lif.nir.json'), 'utf8')).node.nodes as Record<
      string,
      { type: { data: string[] } }
    >;
    expect(nodes.spikes?.type.data).toEqual(['Input']);
    expect(nodes.hidden?.type.data[0]).toMatch(/LIF$/);
    expect(nodes.out?.type.data).toEqual(['Output']);
  });

  it('refuses ab_brain as NIR in strict mode with every inexpressible part named', async () => {
    const dir = tempDir();
    const args = [
      'convert',
      AB_BRAIN,
      join(dir, 'ab.nir'),
      '--neuron',
      ALIF_MOD_NEURON,
      '--input-shape',
      'signal=4',
    ];
    const r = await spark(args);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'ab_brain.scfg:A_excitatory.soma.refractory: error: refractory period (2 ms) is not expressible in NIR [brain.inexpressible]',
    );
    expect(r.err).toMatch(
      /spark convert: \S*ab_brain\.scfg: cannot convert to NIR: \d+ errors \(--mode lenient/,
    );
    // editor metadata gives the other inputs' shapes, and says so
    expect(r.err).toContain('note: input "mod_a_ex": shape [1] from the editor metadata');
  });

  it('needs the size of every brain input to build the brain', async () => {
    const dir = tempDir();
    let r = await spark(['convert', 'lif_brain.scfg', join(dir, 'x.nir')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'spark convert: --input-shape: needed for "spikes" (the brain\'s inputs: spikes)',
    );
    r = await spark(['convert', 'lif_brain.scfg', join(dir, 'x.nir'), '--input-shape', 'spikes=four']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark convert: --input-shape: expected NAME=N or NAME=NxM, got "spikes=four"');
    r = await spark(['convert', 'lif_brain.scfg', join(dir, 'x.nir'), '--input-shape', 'drive=4']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('the brain has no input "drive" (inputs: spikes)');
    r = await spark([
      'convert',
      'lif_brain.scfg',
      join(dir, 'x.nir'),
      '--input-shape',
      'spikes=4',
      '--mode',
      'loose',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark convert: --mode: expected strict or lenient, got "loose"');
  });

  it('is a usage error for an unknown output type, an unknown --to or a missing OUT', async () => {
    let r = await spark(['convert', 'leaky_brain.scfg', 'out.txt']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark convert: out.txt: cannot tell the output format from the extension');
    r = await spark(['convert', 'leaky_brain.scfg', 'out.json', '--to', 'yaml']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark convert: --to: unknown format "yaml"');
    r = await spark(['convert', 'leaky_brain.scfg']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('spark convert: missing IN and OUT (expected 2 IN and OUT)');
  });
});
