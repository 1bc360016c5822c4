import { describe, expect, it } from 'vitest';
import {
  getModuleSpec,
  moduleJsonSchema,
  moduleSpecs,
  parseModuleConfig,
  registerModule,
  withOverrides,
} from './api.ts';
import { DEFAULT_FIELDS } from './builtins/index.ts';
import { floatField } from './fields.ts';
import { pyFloatRepr, pyJsonDumps, safeJsonParse } from './json.ts';
import { createRegistry, defaultRegistry, normalizeName } from './registry.ts';
import { formatIssues, hasErrors } from './types.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests walk untyped JSON
type Loose = any;

describe('registry contents', () => {
  const r = createRegistry();
  const names = (kind: Parameters<typeof r.list>[0]) =>
    r
      .list(kind)
      .map((s) => s.name)
      .sort();

  it("holds Spark's MODULES, NEURONS and INITIALIZERS entries at HEAD", () => {
    expect(names('soma')).toEqual(
      [
        'leaky_soma',
        'refractory_leaky_soma',
        'strict_refractory_leaky_soma',
        'adaptive_leaky_soma',
        'exponential_soma',
        'refractory_exponential_soma',
        'adaptive_exponential_soma',
        'simplified_adaptive_exponential_soma',
        'izhikevich_soma',
        // spark-snn's benchmark somas (benchmarks.md §1)
        'cuba_lif',
        'coba_lif',
        'brunel_lif',
      ].sort(),
    );
    // Spark's four, plus spark-snn's sparse_synapses.
    expect(names('synapses')).toEqual([
      'linear_synapses',
      'rd_traced_synapses',
      'rfs_traced_synapses',
      'sparse_synapses',
      'traced_synapses',
    ]);
    expect(names('delays')).toEqual(['n2n_delays', 'n_delays']);
    expect(names('plasticity')).toEqual(
      [
        'hebbian_rule',
        'oja_rule',
        'quadruplet_rule',
        'quadruplet_rule_tensor',
        'three_factor_hebbian_rule',
        'zenke_rule',
      ].sort(),
    );
    expect(names('interface')).toEqual(
      [
        'concat',
        'concat_reshape',
        'exponential_integrator',
        'linear_spiker',
        'poisson_drive',
        'poisson_spiker',
        'sampler',
        'topological_linear_spiker',
        'topological_poisson_spiker',
      ].sort(),
    );
    expect(names('initializer')).toEqual(
      [
        'constant_initializer',
        'normalized_sparse_uniform_initializer',
        'sparse_uniform_initializer',
        'uniform_initializer',
      ].sort(),
    );
    expect(names('neuron')).toEqual(['ad_ex_neuron', 'alif_neuron', 'lif_neuron', 'neuron']);
    expect(names('brain')).toEqual(['brain']);
    expect(r.get('alif_neuron')!.subregistry).toBe('NEURONS');
    expect(r.get('leaky_soma')!.configName).toBe('leaky_soma_config');
  });

  it('has the reference defaults, units and validators', () => {
    const leaky = r.get('leaky_soma')!;
    expect(leaky.fields.map((f) => [f.name, f.default ?? null, f.units ?? null])).toEqual([
      ['seed', null, null],
      ['dtype', 'float32', null],
      ['dt', 1, 'ms'],
      ['potential_rest', -60, 'mV'],
      ['potential_reset', -50, 'mV'],
      ['potential_tau', 20, 'ms'],
      ['resistance', 0.1, 'GΩ'],
      ['threshold', -40, 'mV'],
    ]);
    expect(leaky.field('potential_tau')!.validators).toEqual(['positive']);
    expect(leaky.field('potential_rest')!.sparkType).toBe('float | Array | Initializer');
    expect(r.get('adex' as string)).toBeUndefined();
    const adex = r.get('adaptive_exponential_soma')!;
    expect(adex.field('adaptation_tau')!.default).toBe(100);
    expect(adex.field('adaptation_delta')!.units).toBe('pA');
    expect(r.get('zenke_rule')!.field('target_tau')!.default).toBe(20000);
    expect(r.get('quadruplet_rule_tensor')!.field('max_clip')!.default).toEqual([20, 20, 20, 20]);
    expect(r.get('rfs_traced_synapses')!.field('alpha')!.validators).toEqual(['zero_one']);
    expect(r.get('topological_linear_spiker')!.fields.map((f) => f.name)).toEqual([
      'seed',
      'dtype',
      'dt',
      'tau',
      'cd',
      'max_freq',
      'glue',
      'mins',
      'maxs',
      'resolution',
      'sigma',
    ]);
    expect(r.get('exponential_integrator')!.field('num_outputs')!.required).toBe(true);
    expect(r.get('sparse_uniform_initializer')!.fields.map((f) => f.name)).toEqual([
      'dtype',
      'scale',
      'min_value',
      'max_value',
      '__class_ref__',
      'density',
    ]);
    expect(r.get('lif_neuron')!.fields.map((f) => f.name)).toEqual([
      'modules_specs',
      'seed',
      'dt',
      'units',
      'inhibitory_rate',
      'inhibition_mask',
    ]);
    expect(DEFAULT_FIELDS.map((f) => f.name)).toEqual(['seed', 'dtype', 'dt']);
  });

  it('has port signatures with payload types and optional flags', () => {
    expect(r.get('leaky_soma')!.ports).toEqual({
      inputs: [
        { name: 'current', payload: 'CurrentArray', optional: false },
        { name: 'inhibition_mask', payload: 'BooleanMask', optional: true },
      ],
      outputs: [{ name: 'spikes', payload: 'SpikeArray', optional: false }],
      properties: [{ name: 'potential', payload: 'PotentialArray', optional: false }],
    });
    expect(r.get('quadruplet_rule_tensor')!.ports.inputs.map((p) => p.name)).toEqual([
      'modulation',
      'pre_spikes',
      'post_spikes',
      'kernel',
    ]);
    expect(r.get('n2n_delays')!.ports.properties).toEqual([
      { name: 'kernel', payload: 'IntegerArray', optional: false, settable: true },
    ]);
    expect(r.get('concat')!.ports.inputs[0]).toMatchObject({ payload: 'AnyPayload', list: true });
  });

  it('normalises class names like Spark', () => {
    expect(normalizeName('ALIFModNeuron')).toBe('alif_mod_neuron');
    expect(normalizeName('N2NDelays')).toBe('n2n_delays');
    expect(normalizeName('RDTracedSynapses')).toBe('rd_traced_synapses');
    expect(normalizeName('AdExNeuron')).toBe('ad_ex_neuron');
    expect(normalizeName('BrainConfig')).toBe('brain_config');
  });

  it('registers custom modules through the same call, per registry', () => {
    const mine = createRegistry();
    const spec = registerModule(
      {
        name: 'my_soma',
        className: 'MySoma',
        kind: 'soma',
        fields: [...DEFAULT_FIELDS, floatField('gain', 2, 'Gain.', { validators: ['positive'] })],
        ports: r.get('leaky_soma')!.ports,
        docs: 'A test soma.',
      },
      mine,
    );
    expect(spec.path).toBe('Components/Somas');
    expect(mine.get('my_soma')).toBe(spec);
    expect(defaultRegistry.get('my_soma')).toBeUndefined();
    expect(() => registerModule({ ...spec, path: spec.path }, mine)).toThrow(/already registered/);
    expect(parseModuleConfig('my_soma', { gain: -1 }, mine).issues.map((i) => i.path)).toEqual(['gain']);
    expect(mine.clone().get('my_soma')).toBeDefined();
  });
});

describe('schemas', () => {
  it('zod schema.parse fills defaults', () => {
    const out = getModuleSpec('leaky_soma')!.schema.parse({}) as Record<string, unknown>;
    expect(out.potential_tau).toBe(20);
    expect(typeof out.seed).toBe('number');
    const syn = getModuleSpec('traced_synapses')!.schema.parse({ units: [4] }) as Record<string, Loose>;
    expect(syn.kernel.__type__).toBe('sparse_uniform_initializer_config');
    expect(getModuleSpec('leaky_soma')!.schema.safeParse({ potential_tau: -1 }).success).toBe(false);
    expect(getModuleSpec('leaky_soma')!.schema.safeParse({ potential_tau: [1, 2, 3] }).success).toBe(true);
  });

  it('exports JSON Schema with units, validators and editor hints', () => {
    const js = moduleJsonSchema('leaky_soma') as Loose;
    expect(js.title).toBe('LeakySomaConfig');
    expect(js.properties.potential_tau.unit).toBe('ms');
    expect(js.properties.potential_tau.validators).toEqual(['Positive (> 0)']);
    expect(js.properties.potential_tau.default).toBe(20);
    expect(js.properties.dtype.editor.widget).toBe('select');
    for (const s of createRegistry().list()) expect(moduleJsonSchema(s.name)).toBeTypeOf('object');
  });
});

describe('overrides (a__b__c and _s_ shared fields)', () => {
  const alif = () => moduleSpecs('pool', 'alif_neuron', { config: { units: [16] } }).specs.config;

  it('targets nested configs through module spec names and initializer fields', () => {
    const r = withOverrides(
      { module: 'alif_neuron', config: alif() },
      { synapses__kernel__scale: 200, soma__potential_tau: 15 },
    );
    expect(r.issues).toEqual([]);
    const mods = r.config.modules_specs as Loose[];
    expect(mods.find((m) => m.name === 'synapses').config.kernel.scale).toBe(200);
    expect(mods.find((m) => m.name === 'soma').config.potential_tau).toBe(15);
  });

  it('applies _s_ fields at every level', () => {
    const r = withOverrides(
      { module: 'alif_neuron', config: alif() },
      { _s_units: [32], _s_dtype: 'float32' },
    );
    expect(r.issues).toEqual([]);
    expect(r.config.units).toEqual([32]);
    const mods = r.config.modules_specs as Loose[];
    for (const m of mods) if ('units' in m.config) expect(m.config.units).toEqual([32]);
    for (const m of mods) expect(m.config.dtype).toBe('float32');
    expect(mods.find((m) => m.name === 'synapses').config.kernel.dtype).toBe('float32');
  });

  it('reports unknown targets with a did-you-mean hint, never throws', () => {
    const r = withOverrides(
      { module: 'alif_neuron', config: alif() },
      { synapse__kernel__scale: 1, soma__potential_tua: 3, __proto__x: 1 },
    );
    expect(r.issues.map((i) => [i.path, i.hint])).toEqual([
      ['synapse', 'did you mean "synapses"?'],
      ['soma.potential_tua', 'did you mean "potential_tau"?'],
      ['__proto__x', undefined],
    ]);
    const bad = withOverrides({ module: 'leaky_soma', config: {} }, { potential_tau__x: 1 });
    expect(bad.issues[0]!.code).toBe('invalid_type');
  });

  it('brain-level a__b__c reaches a module inside a neuron', () => {
    const doc = {
      type: 'brain_config',
      config: { modules_specs: [moduleSpecs('A', 'lif_neuron', { config: { units: [4] } }).specs] },
      provenance: 'spark-snn' as const,
      behaviour: 'corrected' as const,
      compressed: true,
    };
    const r = withOverrides(doc, { A__soma__threshold: -45 });
    expect(r.issues).toEqual([]);
    const soma = (r.document.config.modules_specs as Loose[])[0].config.modules_specs.find(
      (m: Loose) => m.name === 'soma',
    );
    expect(soma.config.threshold).toBe(-45);
    expect(
      (doc.config.modules_specs as Loose[])[0].config.modules_specs.find((m: Loose) => m.name === 'soma')
        .config.threshold,
    ).toBe(-40);
  });
});

describe('issue helpers', () => {
  it('formats issues one per line and tells errors from warnings', () => {
    const issues = parseModuleConfig('leaky_soma', { potential_tua: 3, potential_tau: -1 }).issues;
    expect(hasErrors(issues)).toBe(true);
    expect(formatIssues(issues)).toBe(
      'error potential_tua: unknown field "potential_tua" for LeakySomaConfig (Spark would silently ignore it) (did you mean "potential_tau"?)\n' +
        'error potential_tau: must be > 0 (got -1)',
    );
    expect(hasErrors([{ path: 'x', message: 'm', severity: 'warning', code: 'unreachable' }])).toBe(false);
  });
});

describe('Spark JSON dialect', () => {
  it('prints floats like Python repr', () => {
    expect([1, 0.1, 1e-5, 0.0001, 1e16, 1e15, 123.456, -0, 2.5e-7, 1.5e300].map(pyFloatRepr)).toEqual([
      '1.0',
      '0.1',
      '1e-05',
      '0.0001',
      '1e+16',
      '1000000000000000.0',
      '123.456',
      '-0.0',
      '2.5e-07',
      '1.5e+300',
    ]);
    expect(pyJsonDumps({ a: [1, { b: [] }], c: {}, é: 'ü' })).toBe(
      '{\n    "a": [\n        1,\n        {\n            "b": []\n        }\n    ],\n    "c": {},\n    "\\u00e9": "\\u00fc"\n}',
    );
  });

  it('parses safely: drops __proto__, bounds depth, accepts NaN/Infinity', () => {
    const r = safeJsonParse('{"__proto__": {"x": 1}, "a": NaN, "b": "NaN", "c": -Infinity}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.strippedKeys).toEqual(['__proto__']);
    expect(r.value).toEqual({ a: Number.NaN, b: 'NaN', c: Number.NEGATIVE_INFINITY });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(safeJsonParse('['.repeat(1000) + ']'.repeat(1000)).ok).toBe(false);
  });
});
