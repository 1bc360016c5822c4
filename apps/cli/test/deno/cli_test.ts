// Deno smoke test: the same CLI code under Deno's node: compatibility (run by `pnpm test:deno`).
import { fixturePath } from '@spark-snn/testing/fixtures';
import { runCli } from '../../src/cli.ts';
import { captureIo } from '../../src/io.ts';

declare const Deno: { test(name: string, fn: () => Promise<void>): void };

const fixtures = new URL('../fixtures/', import.meta.url);

function assert(cond: boolean, message: string): void {
  if (!cond) throw new Error(message);
}

async function spark(args: string[]) {
  const io = captureIo({ cwd: decodeURIComponent(fixtures.pathname), env: {} });
  assert(io.runtime.name === 'deno', `runtime detected as ${io.runtime.name}`);
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

Deno.test('spark --help lists every command', async () => {
  const r = await spark(['--help']);
  assert(r.code === 0, `exit ${r.code}`);
  for (const c of ['run', 'validate', 'convert', 'map', 'bench', 'info'])
    assert(r.out.includes(`  ${c} `), `no ${c} in help`);
  const v = await spark(['validate', '--help']);
  assert(v.code === 0 && v.out.includes('Usage:'), 'validate --help');
});

Deno.test('spark validate accepts ab_brain.scfg with its custom neuron', async () => {
  const ab = fixturePath('spark/ab_brain.scfg');
  const r = await spark(['validate', ab, '--neuron', 'alif_mod_neuron.scfg']);
  assert(r.code === 0, `exit ${r.code}: ${r.out}${r.err}`);
  assert(r.out.includes('ab_brain.scfg: ok (brain_config, 6 modules; 0 errors, 0 warnings)'), r.out);
});

Deno.test('spark validate reports bad input with paths and exit codes', async () => {
  const bad = await spark(['validate', 'bad_value.json']);
  assert(bad.code === 1, `exit ${bad.code}`);
  assert(
    bad.out.includes('bad_value.json:modules_specs[0].config.potential_tau: error: must be > 0 (got -5)'),
    bad.out,
  );
  const missing = await spark(['validate', 'missing.scfg']);
  assert(missing.code === 1 && missing.err === 'spark validate: missing.scfg: no such file\n', missing.err);
  const nir = await spark(['validate', fixturePath('nir/lif_norse.nir'), 'invalid.nir']);
  assert(
    nir.code === 1 && nir.out.includes('lif_norse.nir: ok') && nir.out.includes('[nir.hdf5.malformed]'),
    nir.out,
  );
  const usage = await spark(['validate', '--nope']);
  assert(usage.code === 2, `exit ${usage.code}`);
});

Deno.test('spark run, convert and map work under Deno on the NIR fixtures', async () => {
  const nir = (name: string) => fixturePath(`nir/${name}`);
  const tmp = (globalThis as unknown as { Deno: { makeTempDirSync(): string } }).Deno.makeTempDirSync();
  const run = await spark([
    'run',
    nir('lif_norse.nir'),
    '-n',
    '1000',
    '--dt',
    '1e-4',
    '-i',
    `input=${nir('lif_norse.csv')}#0`,
    '-o',
    tmp,
  ]);
  assert(run.code === 0 && run.out.includes('1 [1]: 4 spikes'), `${run.out}${run.err}`);
  const conv = await spark(['convert', nir('two_lif_neurons.nir'), `${tmp}/g.nir`]);
  assert(conv.code === 0, `${conv.out}${conv.err}`);
  const val = await spark(['validate', `${tmp}/g.nir`]);
  assert(val.code === 0, val.out);
  const map = await spark(['map', `${tmp}/g.nir`, '-t', 'xylo-imu', '--dt', '1e-3']);
  assert(map.code === 0 && map.out.includes('fits xylo-imu'), map.out);
});

Deno.test('spark convert --to pynn writes the CUBA network as a PyNN script and its npz under Deno', async () => {
  const cuba = decodeURIComponent(new URL('../../../examples/networks/cuba.scfg', import.meta.url).pathname);
  const D = (
    globalThis as unknown as { Deno: { makeTempDirSync(): string; readTextFileSync(p: string): string } }
  ).Deno;
  const tmp = D.makeTempDirSync();
  const r = await spark(['convert', cuba, `${tmp}/cuba.py`, '--connectivity', 'explicit']);
  assert(r.code === 0 && r.out.includes('(npz, '), `${r.out}${r.err}`);
  const script = D.readTextFileSync(`${tmp}/cuba.py`);
  assert(script.includes('neurons = sim.Population(4000, sim.IF_curr_exp('), script.slice(0, 2000));
  assert(script.includes('sim.StaticSynapse(weight=0.081, delay=0.1)'), 'the excitatory weight in nA');
});
