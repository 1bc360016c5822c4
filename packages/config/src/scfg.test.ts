import { describe, expect, it } from 'vitest';
import { createBrainConfig, moduleSpecs, registerNeuronFromConfigFile } from './api.ts';
import { createRegistry } from './registry.ts';
import {
  FORMAT_NAME,
  PROVENANCE_KEY,
  readScfg,
  readSession,
  scfgText,
  validateDocument,
  writeScfg,
  writeSession,
} from './scfg.ts';
import { xzCompress } from './xz.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests walk untyped JSON
type Loose = any;

const registry = createRegistry();

function brain() {
  return createBrainConfig(
    [
      moduleSpecs(
        'enc',
        'poisson_spiker',
        { inputs: { signal: ['__call__.obs'] }, config: { seed: 1 } },
        registry,
      ).specs,
      moduleSpecs(
        'pool',
        'alif_neuron',
        {
          inputs: { in_spikes: ['enc.spikes', 'pool.out_spikes'] },
          config: { seed: 2, _s_units: [128], synapses__kernel__scale: 200 },
        },
        registry,
      ).specs,
      moduleSpecs(
        'dec',
        'exponential_integrator',
        {
          inputs: { spikes: ['pool.out_spikes'] },
          outputs: { action: 'signal' },
          config: { seed: 3, num_outputs: 2 },
        },
        registry,
      ).specs,
    ],
    { seed: 42, registry },
  );
}

describe('.scfg provenance', () => {
  it('marks files written by spark-snn and restores the provenance on read', () => {
    const doc = brain();
    expect(validateDocument(doc, registry)).toEqual([]);
    const text = scfgText(doc, registry);
    const json = JSON.parse(text);
    expect(json.__cfg__.__metadata__[PROVENANCE_KEY]).toEqual({ name: FORMAT_NAME, format_version: 1 });
    const r = readScfg(text, { registry });
    expect(r.ok && [r.document.provenance, r.document.behaviour, r.document.config.__metadata__]).toEqual([
      'spark-snn',
      'corrected',
      {},
    ]);
  });

  it('a Spark-provenance document is written without a marker; behaviour can be overridden', () => {
    const doc = { ...brain(), provenance: 'spark' as const };
    const text = scfgText(doc, registry);
    expect(JSON.parse(text).__cfg__.__metadata__).toEqual({});
    const r = readScfg(text, { registry, behaviour: 'corrected' });
    expect(r.ok && [r.document.provenance, r.document.behaviour]).toEqual(['spark', 'corrected']);
  });

  it('reads plain JSON and XZ alike, and refuses oversized input', () => {
    const text = scfgText(brain(), registry);
    const plain = readScfg(new TextEncoder().encode(text), { registry });
    const xz = readScfg(xzCompress(new TextEncoder().encode(text)), { registry });
    expect(plain.ok && xz.ok && plain.document.config).toEqual(xz.ok && xz.document.config);
    expect(plain.ok && plain.document.compressed).toBe(false);
    const small = readScfg(xzCompress(new TextEncoder().encode(text)), { registry, maxBytes: 1000 });
    expect(small.ok).toBe(false);
    expect(small.issues[0]!.message).toMatch(/limit of 1000 bytes/);
  });

  it("an extension-free document keeps Spark's shape (no extension keys written)", () => {
    const json = JSON.parse(scfgText({ ...brain(), provenance: 'spark' }, registry));
    const pool = json.__cfg__.modules_specs[1].__data__.config;
    expect(Object.keys(pool)).toEqual([
      '__config_delimiter__',
      '__shared_config_delimiter__',
      '__metadata__',
      '__graph_editor_metadata__',
      'modules_specs',
      'seed',
      'dt',
      'units',
      'inhibitory_rate',
    ]);
    expect(Object.keys(json.__cfg__)).not.toContain('io_specs');
  });
});

describe('.sge sessions', () => {
  it('loads invalid configs without dropping anything and reports the problems', () => {
    const doc = brain();
    const mods = doc.config.modules_specs as Loose[];
    mods[0].config.max_freq = -3;
    mods[0].config.bogus = { keep: [1, 2] };
    mods[2].inputs = {};
    const bytes = writeSession({ ...doc, provenance: 'spark' }, { registry });
    const s = readSession(bytes, { registry });
    expect(s.document).toBeDefined();
    const enc = (s.document!.config.modules_specs as Loose[])[0].config;
    expect(enc.max_freq).toBe(-3);
    expect(enc.bogus).toEqual({ keep: [1, 2] });
    expect(
      s.issues
        .filter((i) => i.severity === 'error')
        .map((i) => `${i.code} ${i.path}`)
        .sort(),
    ).toEqual([
      'disconnected modules_specs[2]',
      'invalid_value modules_specs[0].config.max_freq',
      'missing_input modules_specs[2].inputs.spikes',
      'unknown_key modules_specs[0].config.bogus',
    ]);
    // a session written back is unchanged
    expect(scfgText(s.document!, registry)).toBe(scfgText({ ...doc, provenance: 'spark' }, registry));
  });
});

describe('.sge sessions keep malformed parts', () => {
  it('a non-module entry and a broken port map survive read → write', () => {
    const json = JSON.parse(scfgText({ ...brain(), provenance: 'spark' }, registry));
    json.__cfg__.modules_specs.push('half-drawn node');
    json.__cfg__.modules_specs[2].__data__.inputs.spikes.push({
      __type__: 'port_map',
      __data__: { origin: 7 },
    });
    const s = readSession(JSON.stringify(json), { registry });
    expect(s.document).toBeDefined();
    expect(s.issues.filter((i) => i.code === 'encoding').map((i) => i.path)).toEqual([
      'modules_specs[2].inputs.spikes[1]',
      'modules_specs[3]',
    ]);
    expect(JSON.parse(scfgText(s.document!, registry))).toEqual(json);
  });
});

describe('register_neuron_from_config_file', () => {
  it('registers a neuron from a neuron_config file and derives its ports', () => {
    const r = createRegistry();
    const neuron = {
      type: 'neuron_config',
      config: moduleSpecs('x', 'alif_neuron', { config: { units: [1] } }, r).specs.config,
      provenance: 'spark' as const,
      behaviour: 'spark' as const,
      compressed: true,
    };
    const res = registerNeuronFromConfigFile('MyALIFNeuron', writeScfg(neuron, { registry: r }), r);
    expect(res.ok).toBe(true);
    const spec = r.get('my_alif_neuron')!;
    expect(spec.kind).toBe('neuron');
    expect(spec.subregistry).toBe('NEURONS');
    expect(spec.ports.inputs).toEqual([{ name: 'in_spikes', payload: 'SpikeArray', optional: false }]);
    expect(spec.ports.outputs).toEqual([{ name: 'out_spikes', payload: 'SpikeArray', optional: false }]);
    const used = moduleSpecs('p', 'my_alif_neuron', { config: { units: [7] } }, r).specs;
    expect(used.config.units).toEqual([7]);
    expect((used.config.modules_specs as Loose[]).map((m) => m.name)).toEqual([
      'delays',
      'synapses',
      'soma',
      'hebbian_rule',
    ]);
    const bad = registerNeuronFromConfigFile('Nope', writeScfg(brain(), { registry }), r);
    expect(bad.ok).toBe(false);
  });
});
