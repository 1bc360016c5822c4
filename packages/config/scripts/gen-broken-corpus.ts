/**
 * Generates the broken-config corpus in test/fixtures/broken/: each case is a small `.scfg`
 * (plain JSON) made from a valid minimal brain by one deliberate mutation, and expected.json lists
 * exactly the error and warning paths validation must report for it.
 *
 * Run: `deno run --allow-read --allow-write scripts/gen-broken-corpus.ts` (from packages/config).
 */
import { createBrainConfig, documentToJson, moduleSpecs, portMap } from '../src/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: the generator edits untyped JSON documents
type J = Record<string, any>;

function base(): J {
  const spiker = moduleSpecs('spiker', 'poisson_spiker', {
    inputs: { signal: ['__call__.signal'] },
    config: { seed: 1 },
  }).specs;
  const pool = moduleSpecs('pool', 'lif_neuron', {
    inputs: { in_spikes: ['spiker.spikes', 'pool.out_spikes'] },
    config: { seed: 2, units: [8] },
  }).specs;
  const readout = moduleSpecs('readout', 'exponential_integrator', {
    inputs: { spikes: ['pool.out_spikes'] },
    outputs: { action: 'signal' },
    config: { seed: 3, num_outputs: 2 },
  }).specs;
  const doc = createBrainConfig([spiker, pool, readout], { seed: 7 });
  doc.provenance = 'spark';
  const json = JSON.parse(JSON.stringify(documentToJson(doc))) as J;
  // keep the files small: the neuron's modules come from its template unless a case needs them
  json.__cfg__.modules_specs[1].__data__.config = { units: [8], seed: 2, dt: 1.0, inhibitory_rate: 0.2 };
  return json;
}

function withNeuronModules(doc: J): J {
  const full = JSON.parse(
    JSON.stringify(
      documentToJson(
        createBrainConfig([
          moduleSpecs('pool', 'lif_neuron', { config: { seed: 2, units: [8], _s_seed: 5 } }).specs,
        ]),
      ),
    ),
  ) as J;
  const cfg = full.__cfg__.modules_specs[0].__data__.config;
  for (const m of cfg.modules_specs) {
    const c = m.__data__.config;
    for (const k of Object.keys(c)) if (k.startsWith('__') && k !== '__class_ref__') delete c[k];
    for (const v of Object.values(c) as J[])
      if (v?.__cfg__)
        for (const k of Object.keys(v.__cfg__))
          if (k.startsWith('__') && k !== '__class_ref__') delete v.__cfg__[k];
  }
  doc.__cfg__.modules_specs[1].__data__.config = {
    modules_specs: cfg.modules_specs,
    seed: 2,
    dt: 1.0,
    units: [8],
    inhibitory_rate: 0.2,
  };
  return doc;
}

const edit =
  (f: (d: J) => void) =>
  (d: J): J => {
    f(d);
    return d;
  };
const inNeuron = (f: (d: J) => void) =>
  edit((d) => {
    withNeuronModules(d);
    f(d);
  });
const M = (doc: J, i: number): J => doc.__cfg__.modules_specs[i].__data__;
const child = (doc: J, name: string): J =>
  M(doc, 1).config.modules_specs.find((m: J) => m.__data__.name === name).__data__;
const portSpecs = (payload: string, shape: number[]) => ({
  __type__: 'port_specs',
  __data__: {
    payload_type: { __payload_type__: payload },
    shape,
    dtype: { __type__: 'dtype', name: 'float16' },
    description: null,
  },
});
const pm = (origin: string, port: string, is_property = false) => ({
  __type__: 'port_map',
  __data__: portMap(origin, port, is_property),
});

interface Case {
  name: string;
  description: string;
  mutate?: (d: J) => J | string;
  errors: string[];
  warnings?: string[];
}

const cases: Case[] = [
  { name: 'valid-baseline', description: 'the unmodified minimal brain (no problems)', errors: [] },
  {
    name: 'unknown-key-typo',
    description: 'misspelt field on the spiker',
    mutate: (d) => {
      M(d, 0).config.max_frq = 50;
      return d;
    },
    errors: ['unknown_key modules_specs[0].config.max_frq'],
  },
  {
    name: 'wrong-type-string',
    description: 'a string where a float is expected',
    mutate: (d) => {
      M(d, 0).config.max_freq = 'fast';
      return d;
    },
    errors: ['invalid_type modules_specs[0].config.max_freq'],
  },
  {
    name: 'negative-positive-field',
    description: 'max_freq must be > 0',
    mutate: (d) => {
      M(d, 0).config.max_freq = -10;
      return d;
    },
    errors: ['invalid_value modules_specs[0].config.max_freq'],
  },
  {
    name: 'nested-soma-negative-tau',
    description: 'a neuron soma with a negative membrane time constant',
    mutate: inNeuron((d) => {
      child(d, 'soma').config.potential_tau = -5;
    }),
    errors: ['invalid_value modules_specs[1].config.soma.potential_tau'],
  },
  {
    name: 'inhibitory-rate-out-of-range',
    description: 'inhibitory_rate must be in [0, 1]',
    mutate: (d) => {
      M(d, 1).config.inhibitory_rate = 1.5;
      return d;
    },
    errors: ['invalid_value modules_specs[1].config.inhibitory_rate'],
  },
  {
    name: 'neuron-units-missing',
    description: 'a neuron without units (its delays and synapses then lack them too)',
    mutate: (d) => {
      delete M(d, 1).config.units;
      return d;
    },
    errors: [
      'required modules_specs[1].config.units',
      'required modules_specs[1].config.delays.units',
      'required modules_specs[1].config.synapses.units',
    ],
  },
  {
    name: 'unknown-module-type',
    description: 'misspelt neuron class',
    mutate: (d) => {
      M(d, 1).module_cls.__module_type__ = 'lif_nueron';
      return d;
    },
    errors: ['unknown_module modules_specs[1].module_cls'],
  },
  {
    name: 'unknown-input-port',
    description: 'misspelt input port name on the spiker',
    mutate: (d) => {
      M(d, 0).inputs = { sgnal: M(d, 0).inputs.signal };
      return d;
    },
    errors: [
      'unknown_input modules_specs[0].inputs.sgnal',
      'missing_input modules_specs[0].inputs.signal',
      'no_input modules_specs',
    ],
  },
  {
    name: 'missing-input',
    description: 'the integrator has no input',
    mutate: (d) => {
      M(d, 2).inputs = {};
      return d;
    },
    errors: ['missing_input modules_specs[2].inputs.spikes', 'disconnected modules_specs[2]'],
    warnings: ['unreachable modules_specs[2]'],
  },
  {
    name: 'unknown-origin',
    description: 'source module does not exist',
    mutate: (d) => {
      M(d, 1).inputs.in_spikes[0].__data__.origin = 'spikr';
      return d;
    },
    errors: ['unknown_origin modules_specs[1].inputs.in_spikes[0].origin', 'disconnected modules_specs[0]'],
    warnings: ['unreachable modules_specs[1]', 'unreachable modules_specs[2]'],
  },
  {
    name: 'unknown-origin-port',
    description: 'source port does not exist',
    mutate: (d) => {
      M(d, 1).inputs.in_spikes[0].__data__.port = 'spike';
      return d;
    },
    errors: ['unknown_port modules_specs[1].inputs.in_spikes[0].port'],
  },
  {
    name: 'output-read-as-property',
    description: 'an output port wired with is_property true',
    mutate: (d) => {
      M(d, 1).inputs.in_spikes[0].__data__.is_property = true;
      return d;
    },
    errors: ['property_mismatch modules_specs[1].inputs.in_spikes[0].is_property'],
  },
  {
    name: 'payload-mismatch',
    description: 'a FloatArray output feeding a SpikeArray input',
    mutate: (d) => {
      M(d, 1).inputs.in_spikes.push(pm('readout', 'signal'));
      return d;
    },
    errors: ['payload_mismatch modules_specs[1].inputs.in_spikes[2]'],
  },
  {
    name: 'duplicate-output-name',
    description: 'two modules export the controller output "action"',
    mutate: (d) => {
      M(d, 0).outputs = { action: 'spikes' };
      return d;
    },
    errors: ['duplicate_output modules_specs[2].outputs.action'],
  },
  {
    name: 'duplicate-module-name',
    description: 'two modules named "spiker"',
    mutate: (d) => {
      d.__cfg__.modules_specs.push(structuredClone(d.__cfg__.modules_specs[0]));
      return d;
    },
    errors: ['duplicate_name modules_specs[3].name'],
  },
  {
    name: 'reserved-module-name',
    description: 'a module named "__call__"',
    mutate: (d) => {
      const extra = structuredClone(d.__cfg__.modules_specs[0]);
      extra.__data__.name = '__call__';
      d.__cfg__.modules_specs.push(extra);
      return d;
    },
    errors: ['duplicate_name modules_specs[3].name'],
  },
  {
    name: 'cycle-without-neuron',
    description: 'spiker and integrator feed each other without a neuron in the loop',
    mutate: (d) => {
      M(d, 0).inputs.signal.push(pm('readout', 'signal'));
      M(d, 2).inputs.spikes.push(pm('spiker', 'spikes'));
      return d;
    },
    errors: ['cycle modules_specs[0]'],
  },
  {
    name: 'no-input',
    description: 'no module reads a controller input',
    mutate: (d) => {
      d.__cfg__.modules_specs.splice(0, 1);
      d.__cfg__.modules_specs[0].__data__.inputs.in_spikes.splice(0, 1);
      return d;
    },
    errors: ['no_input modules_specs'],
    warnings: ['unreachable modules_specs[0]', 'unreachable modules_specs[1]'],
  },
  {
    name: 'no-output',
    description: 'no module exports a controller output',
    mutate: (d) => {
      M(d, 2).outputs = {};
      return d;
    },
    errors: ['no_output modules_specs'],
  },
  {
    name: 'disconnected-part',
    description: 'a second spiker on its own input that nothing reads',
    mutate: (d) => {
      const extra = structuredClone(d.__cfg__.modules_specs[0]);
      extra.__data__.name = 'spiker2';
      extra.__data__.inputs.signal[0].__data__.port = 'other';
      d.__cfg__.modules_specs.push(extra);
      return d;
    },
    errors: ['disconnected modules_specs[3]'],
  },
  {
    name: 'output-is-property',
    description: 'a controller output mapped to a property',
    mutate: (d) => {
      M(d, 1).outputs = { mask: 'inhibition_mask' };
      return d;
    },
    errors: ['output_is_property modules_specs[1].outputs.mask'],
  },
  {
    name: 'unknown-output-port',
    description: 'a controller output mapped to a missing port',
    mutate: (d) => {
      M(d, 2).outputs = { action: 'signl' };
      return d;
    },
    errors: ['unknown_port modules_specs[2].outputs.action'],
  },
  {
    name: 'effect-on-read-only-property',
    description: 'an effect writing the soma potential (not settable)',
    mutate: inNeuron((d) => {
      child(d, 'soma').effects = { potential: [pm('hebbian_rule', 'kernel')] };
    }),
    errors: ['effect modules_specs[1].config.soma.effects.potential'],
  },
  {
    name: 'effect-unknown-origin',
    description: 'the synapse kernel effect names a missing rule',
    mutate: inNeuron((d) => {
      child(d, 'synapses').effects.kernel[0].__data__.origin = 'hebbian_rul';
    }),
    errors: ['unknown_origin modules_specs[1].config.synapses.effects.kernel[0].origin'],
  },
  {
    name: 'unknown-controller-property',
    description: 'the soma reads a misspelt __self__ property',
    mutate: inNeuron((d) => {
      child(d, 'soma').inputs.inhibition_mask[0].__data__.port = 'inhibition_mas';
    }),
    errors: ['unknown_port modules_specs[1].config.soma.inputs.inhibition_mask[0].port'],
  },
  {
    name: 'optional-input-unwired',
    description: "the soma's optional inhibition_mask is not wired (Spark requires it inside controllers)",
    mutate: (d) => {
      withNeuronModules(d);
      delete child(d, 'soma').inputs.inhibition_mask;
      return d;
    },
    errors: ['missing_input modules_specs[1].config.soma.inputs.inhibition_mask'],
  },
  {
    name: 'float16-noop-tau',
    description: 'a float16 trace time constant whose decay rounds to 1 (warning only)',
    mutate: inNeuron((d) => {
      child(d, 'hebbian_rule').config.pre_tau = 20000.0;
    }),
    errors: [],
    warnings: ['float16_noop modules_specs[1].config.hebbian_rule.pre_tau'],
  },
  {
    name: 'unknown-initializer',
    description: 'the synapse kernel uses an initializer that does not exist',
    mutate: inNeuron((d) => {
      child(d, 'synapses').config.kernel.__type__ = 'gaussian_initializer_config';
    }),
    errors: ['unknown_config_type modules_specs[1].config.synapses.kernel'],
  },
  {
    name: 'initializer-density-range',
    description: 'initializer density must be in [0, 1]',
    mutate: inNeuron((d) => {
      child(d, 'synapses').config.kernel.__cfg__.density = 1.5;
    }),
    errors: ['invalid_value modules_specs[1].config.synapses.kernel.density'],
  },
  {
    name: 'initializer-unknown-key',
    description: 'misspelt initializer field',
    mutate: inNeuron((d) => {
      child(d, 'synapses').config.kernel.__cfg__.dinsity = 0.1;
    }),
    errors: ['unknown_key modules_specs[1].config.synapses.kernel.dinsity'],
  },
  {
    name: 'unknown-dtype',
    description: 'dtype float64 is not a module dtype',
    mutate: (d) => {
      M(d, 0).config.dtype = { __type__: 'dtype', name: 'float64' };
      return d;
    },
    errors: ['invalid_value modules_specs[0].config.dtype'],
  },
  {
    name: 'array-shape-data-mismatch',
    description: 'a jax_array whose data does not fill its shape',
    mutate: inNeuron((d) => {
      child(d, 'delays').config.delays = {
        __type__: 'jax_array',
        dtype: 'uint8',
        shape: [2, 2],
        data: [[1, 2], [3]],
      };
    }),
    errors: ['invalid_value modules_specs[1].config.delays.delays'],
  },
  {
    name: 'ragged-list',
    description: 'a ragged nested list for a per-unit parameter',
    mutate: inNeuron((d) => {
      child(d, 'soma').config.potential_rest = [[-60, -61], [-62]];
    }),
    errors: ['invalid_value modules_specs[1].config.soma.potential_rest'],
  },
  {
    name: 'inhibition-mask-shape',
    description: 'the explicit inhibition_mask extension does not match units',
    mutate: edit((d) => {
      M(d, 1).config.inhibition_mask = {
        __type__: 'jax_array',
        dtype: 'bool',
        shape: [4],
        data: [true, false, false, false],
      };
    }),
    errors: ['shape_mismatch modules_specs[1].config.inhibition_mask'],
  },
  {
    name: 'topological-dims-mismatch',
    description: 'per-dimension mins and maxs of different lengths',
    mutate: (d) => {
      M(d, 0).module_cls.__module_type__ = 'topological_poisson_spiker';
      M(d, 0).config.mins = [0, 0, 0];
      M(d, 0).config.maxs = [1, 1];
      return d;
    },
    errors: ['shape_mismatch modules_specs[0].config.maxs'],
  },
  {
    name: 'io-specs-undeclared',
    description: 'explicit io_specs that omit the used input and output',
    mutate: (d) => {
      d.__cfg__.io_specs = { inputs: {}, outputs: {} };
      return d;
    },
    errors: ['missing_input io_specs.inputs.signal', 'no_output io_specs.outputs.action'],
  },
  {
    name: 'io-specs-payload',
    description: 'io_specs declares the signal as spikes',
    mutate: (d) => {
      d.__cfg__.io_specs = {
        inputs: { signal: portSpecs('spike_array', [4]) },
        outputs: { action: portSpecs('float_array', [2]) },
      };
      return d;
    },
    errors: ['payload_mismatch io_specs.inputs.signal'],
  },
  {
    name: 'io-specs-output-shape',
    description: 'io_specs declares the action with 3 values but the integrator has num_outputs 2',
    mutate: edit((d) => {
      d.__cfg__.io_specs = {
        inputs: { signal: portSpecs('float_array', [4]) },
        outputs: { action: portSpecs('float_array', [3]) },
      };
    }),
    errors: ['shape_mismatch io_specs.outputs.action'],
  },
  {
    name: 'topological-glue-vs-input',
    description: 'per-dimension glue with 3 entries for a 2-dimensional signal',
    mutate: edit((d) => {
      M(d, 0).module_cls.__module_type__ = 'topological_poisson_spiker';
      M(d, 0).config.glue = [0, 1, 0];
      d.__cfg__.io_specs = {
        inputs: { signal: portSpecs('float_array', [2]) },
        outputs: { action: portSpecs('float_array', [2]) },
      };
    }),
    errors: ['shape_mismatch modules_specs[0].config.glue'],
  },
  {
    name: 'concat-reshape-size',
    description: 'spark-snn file (corrected behaviour): concat_reshape to 5 elements from 8 + 4 inputs',
    mutate: edit((d) => {
      d.__cfg__.__metadata__ = { spark_snn: { name: 'spark-snn', format_version: 1 } };
      d.__cfg__.io_specs = {
        inputs: { signal: portSpecs('float_array', [4]) },
        outputs: { action: portSpecs('float_array', [2]) },
      };
      d.__cfg__.modules_specs.push({
        __type__: 'module_specs',
        __data__: {
          name: 'cat',
          module_cls: { __module_type__: 'concat_reshape', __subregistry__: 'MODULES' },
          inputs: { inputs: [pm('pool', 'out_spikes'), pm('spiker', 'spikes')] },
          config: { seed: 9, reshape: [5] },
          outputs: {},
          effects: {},
        },
      });
      M(d, 2).inputs.spikes = [pm('cat', 'output')];
    }),
    errors: ['shape_mismatch modules_specs[3].config.reshape'],
  },
  {
    name: 'integrator-output-map-length',
    description: 'output_map with 3 entries for 8 incoming spikes (units known from the neuron)',
    mutate: edit((d) => {
      M(d, 2).config.output_map = [0, 1, 0];
    }),
    errors: ['shape_mismatch modules_specs[2].config.output_map'],
  },
  {
    name: 'not-a-config',
    description: 'JSON that is not a config document',
    mutate: () => '{"foo": 1}',
    errors: ['file '],
  },
  {
    name: 'truncated-json',
    description: 'JSON cut off in the middle',
    mutate: (d) => JSON.stringify(d).slice(0, 200),
    errors: ['json '],
  },
  {
    name: 'proto-pollution',
    description: 'a __proto__ key (removed and reported, never applied)',
    mutate: (d) => JSON.stringify(d).replace('"__cfg__":{', '"__cfg__":{"__proto__":{"polluted":true},'),
    errors: ['unsafe_key '],
  },
  {
    name: 'generic-payload-in-controller',
    description: 'a concat between spiker and integrator (Spark needs identical payload classes)',
    mutate: (d) => {
      const concat = {
        __type__: 'module_specs',
        __data__: {
          name: 'cat',
          module_cls: { __module_type__: 'concat', __subregistry__: 'MODULES' },
          inputs: { inputs: [pm('spiker', 'spikes')] },
          config: { seed: 9 },
          outputs: {},
          effects: {},
        },
      };
      d.__cfg__.modules_specs.push(concat);
      M(d, 2).inputs.spikes.push(pm('cat', 'output'));
      return d;
    },
    errors: [
      'payload_mismatch modules_specs[3].inputs.inputs[0]',
      'payload_mismatch modules_specs[2].inputs.spikes[1]',
    ],
  },
  {
    name: 'required-field-missing',
    description: 'integrator without num_outputs',
    mutate: (d) => {
      delete M(d, 2).config.num_outputs;
      return d;
    },
    errors: ['required modules_specs[2].config.num_outputs'],
  },
  {
    name: 'unknown-brain-key',
    description: 'misspelt brain field',
    mutate: (d) => {
      d.__cfg__.dtt = 1.0;
      return d;
    },
    errors: ['unknown_key dtt'],
  },
  {
    name: 'malformed-module-specs',
    description: 'a modules_specs entry that is not a module spec',
    mutate: (d) => {
      d.__cfg__.modules_specs.push('spiker');
      return d;
    },
    errors: ['encoding modules_specs[3]'],
  },
  {
    name: 'unknown-config-type',
    description: 'top-level __type__ that does not exist',
    mutate: (d) => {
      d.__type__ = 'brian_config';
      return d;
    },
    errors: ['unknown_config_type __type__'],
  },
];

const dir = new URL('../test/fixtures/broken/', import.meta.url);
await Deno.mkdir(dir, { recursive: true });
for (const e of Deno.readDirSync(dir)) if (e.name.endsWith('.scfg')) Deno.removeSync(new URL(e.name, dir));
const expected: Record<string, { description: string; errors: string[]; warnings: string[] }> = {};
cases.forEach((c, i) => {
  const file = `${String(i).padStart(2, '0')}-${c.name}.scfg`;
  const d = base();
  const out = c.mutate ? c.mutate(d) : d;
  const text = typeof out === 'string' ? out : JSON.stringify(out);
  Deno.writeTextFileSync(new URL(file, dir), text);
  expected[file] = { description: c.description, errors: c.errors, warnings: c.warnings ?? [] };
});
Deno.writeTextFileSync(new URL('expected.json', dir), `${JSON.stringify(expected, null, 2)}\n`);
console.log(`wrote ${cases.length} cases`);
