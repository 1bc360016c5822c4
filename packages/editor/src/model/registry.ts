/**
 * What the editor needs to know about module classes: their ports (with payload types), their
 * palette place, their default config and (optionally) the JSON Schema of their config.
 *
 * The built-in table mirrors spark-reference §2.8. `@spark-snn/config` owns the real registry;
 * {@link createRegistry} accepts extra/overriding descriptors so an app can plug that registry in.
 *
 * @module
 */
import type { JsonObject, PayloadType, Subregistry } from './types.ts';
import { cloneJson, isObject, randomSeed } from './types.ts';

/** One port of a module class. */
export interface PortSignature {
  name: string;
  payload: PayloadType;
  /** `X | None` inputs (still mandatory inside controllers, spark-reference §1.4.2). */
  optional?: boolean;
}

/** A readable property port; settable ones also appear as an input (the target of an effect). */
export interface PropertySignature extends PortSignature {
  settable: boolean;
}

/** A minimal JSON Schema (draft 2020-12 subset the inspector understands). */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema | JsonSchema[];
  prefixItems?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  /** Display unit (`mV`, `ms`, …): spark-snn metadata. */
  units?: string;
  [key: string]: unknown;
}

/** Everything the editor knows about one module class. */
export interface ModuleDescriptor {
  /** Registry name (`leaky_soma`). */
  name: string;
  /** Palette label (`Leaky soma`). */
  label: string;
  subregistry: Subregistry;
  /** Palette path (`['Components', 'Somas']`), as Spark's context menu. */
  path: string[];
  inputs: PortSignature[];
  outputs: PortSignature[];
  properties: PropertySignature[];
  /** JSON Schema of the config body, when the config package provides one. */
  schema?: JsonSchema;
  /** A fresh default config body in Spark's wire form. */
  defaults(): JsonObject;
  /**
   * The module can drive a brain without source nodes (a source module without inputs, or a soma
   * that declares its units and runs from its own state, e.g. the benchmark networks).
   */
  drivesItself?: boolean;
}

/** A set of module descriptors. */
export interface EditorRegistry {
  readonly modules: ReadonlyMap<string, ModuleDescriptor>;
  get(name: string): ModuleDescriptor | undefined;
}

const S: PayloadType = 'spike_array';
const F: PayloadType = 'float_array';
const C: PayloadType = 'current_array';
const P: PayloadType = 'potential_array';
const B: PayloadType = 'boolean_mask';
const I: PayloadType = 'integer_array';

const dtype = (name: string): JsonObject => ({ __type__: 'dtype', name });

/** `{"__type__": "<name>_config", "__cfg__": {...}}` of an initializer. */
export function initializerConfig(kind: string, extra: JsonObject = {}): JsonObject {
  const classRef = kind
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return {
    __type__: `${kind}_config`,
    __cfg__: {
      __config_delimiter__: '__',
      __shared_config_delimiter__: '_s_',
      __metadata__: {},
      __graph_editor_metadata__: {},
      dtype: dtype('float16'),
      scale: 1,
      min_value: null,
      max_value: null,
      __class_ref__: classRef,
      ...extra,
    },
  };
}

/** Names of the four built-in initializers (spark-reference §2.7). */
export const INITIALIZER_KINDS = [
  'constant_initializer',
  'uniform_initializer',
  'sparse_uniform_initializer',
  'normalized_sparse_uniform_initializer',
] as const;

/** Default extra fields of each initializer. */
export function initializerDefaults(kind: string): JsonObject {
  if (kind === 'sparse_uniform_initializer') return initializerConfig(kind, { density: 0.2 });
  if (kind === 'normalized_sparse_uniform_initializer')
    return initializerConfig(kind, { density: 0.2, norm_axes: [0] });
  return initializerConfig(kind);
}

function body(fields: JsonObject): JsonObject {
  return {
    __config_delimiter__: '__',
    __shared_config_delimiter__: '_s_',
    __metadata__: {},
    __graph_editor_metadata__: {},
    seed: randomSeed(),
    dtype: dtype('float16'),
    dt: 1.0,
    ...fields,
  };
}

const SOMA_FIELDS: JsonObject = {
  potential_rest: -60.0,
  potential_reset: -50.0,
  potential_tau: 20.0,
  resistance: 0.1,
  threshold: -40.0,
};
const REFRACTORY: JsonObject = { ...SOMA_FIELDS, cooldown: 2.0 };

/** Fields (beyond seed/dtype/dt) of the built-in modules, following spark-reference §2. */
const FIELDS: Record<string, () => JsonObject> = {
  poisson_spiker: () => ({ max_freq: 100.0 }),
  linear_spiker: () => ({ tau: 100.0, cd: 2.0, max_freq: 100.0 }),
  topological_poisson_spiker: () => ({
    max_freq: 100.0,
    glue: 0,
    mins: 0,
    maxs: 1,
    resolution: 64,
    sigma: 1 / 32,
  }),
  topological_linear_spiker: () => ({
    tau: 100.0,
    cd: 2.0,
    max_freq: 100.0,
    glue: 0,
    mins: 0,
    maxs: 1,
    resolution: 64,
    sigma: 1 / 32,
  }),
  exponential_integrator: () => ({
    num_outputs: 1,
    saturation_freq: 50.0,
    tau: 5.0,
    output_map: null,
    shuffle: false,
    smooth_trace: true,
  }),
  n_delays: () => ({ max_delay: 8.0, delays: initializerDefaults('uniform_initializer') }),
  n2n_delays: () => ({ units: [1], max_delay: 8.0, delays: initializerDefaults('uniform_initializer') }),
  linear_synapses: () => ({ units: [1], kernel: initializerDefaults('sparse_uniform_initializer') }),
  traced_synapses: () => ({
    units: [1],
    kernel: initializerDefaults('sparse_uniform_initializer'),
    tau: 5.0,
    scale: 1.0,
    base: 0.0,
  }),
  rd_traced_synapses: () => ({
    units: [1],
    kernel: initializerDefaults('sparse_uniform_initializer'),
    tau_rise: 1.0,
    scale_rise: 1.0,
    base_rise: 0.0,
    tau_decay: 5.0,
    scale_decay: 1.0,
    base_decay: 0.0,
  }),
  rfs_traced_synapses: () => ({
    units: [1],
    kernel: initializerDefaults('sparse_uniform_initializer'),
    alpha: 0.8,
    tau_rise: 1.0,
    scale_rise: 1.0,
    base_rise: 0.0,
    tau_fast_decay: 5.0,
    scale_fast_decay: 1.0,
    base_fast_decay: 0.0,
    tau_slow_decay: 50.0,
    scale_slow_decay: 1.0,
    base_slow_decay: 0.0,
  }),
  leaky_soma: () => ({ ...SOMA_FIELDS }),
  refractory_leaky_soma: () => ({ ...REFRACTORY }),
  strict_refractory_leaky_soma: () => ({ ...REFRACTORY }),
  adaptive_leaky_soma: () => ({ ...REFRACTORY, threshold_tau: 20.0, threshold_delta: 100.0 }),
  hebbian_rule: () => ({ pre_tau: 20.0, post_tau: 20.0, eta: 0.01 }),
  oja_rule: () => ({ post_tau: 20.0, eta: 0.1 }),
  three_factor_hebbian_rule: () => ({ pre_tau: 10.0, post_tau: 10.0, gamma: 0.1 }),
  quadruplet_rule_tensor: () => ({
    pre_tau: [10, 10, 10, 10],
    post_tau: [10, 10, 10, 10],
    q_alpha: [1, 1, 1, 1],
    q_beta: [1, 1, 1, 1],
    q_gamma: [1, 1, 1, 1],
    q_delta: [1, 1, 1, 1],
    max_clip: [20, 20, 20, 20],
    eta: 0.1,
  }),
  zenke_rule: () => ({
    pre_tau: 20.0,
    post_tau: 20.0,
    post_slow_tau: 20.0,
    target_tau: 20000.0,
    a: 1.0,
    b: -1.0,
    c: -1.0,
    d: 1.0,
    p: 20.0,
    eta: 0.1,
  }),
};

const SOMAS = [
  'leaky_soma',
  'refractory_leaky_soma',
  'strict_refractory_leaky_soma',
  'adaptive_leaky_soma',
  'exponential_soma',
  'refractory_exponential_soma',
  'adaptive_exponential_soma',
  'simplified_adaptive_exponential_soma',
  'izhikevich_soma',
];
const SYNAPSES = ['linear_synapses', 'traced_synapses', 'rd_traced_synapses', 'rfs_traced_synapses'];
const SPIKERS = [
  'poisson_spiker',
  'linear_spiker',
  'topological_poisson_spiker',
  'topological_linear_spiker',
];

/** `leaky_soma` → `Leaky soma`. */
export function labelOf(name: string): string {
  const s = name.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function moduleDescriptor(
  name: string,
  path: string[],
  inputs: PortSignature[],
  outputs: PortSignature[],
  properties: PropertySignature[] = [],
): ModuleDescriptor {
  return {
    name,
    label: labelOf(name),
    subregistry: 'MODULES',
    path,
    inputs,
    outputs,
    properties,
    defaults: () => body(FIELDS[name]?.() ?? {}),
  };
}

/** A ModuleSpecs in Spark's wire form. */
export function moduleSpecsJson(
  name: string,
  type: string,
  subregistry: Subregistry,
  inputs: Record<string, Array<[string, string, boolean?]>>,
  config: JsonObject,
  outputs: Record<string, string> = {},
  effects: Record<string, Array<[string, string, boolean?]>> = {},
): JsonObject {
  const maps = (m: Record<string, Array<[string, string, boolean?]>>): JsonObject =>
    Object.fromEntries(
      Object.entries(m).map(([k, list]) => [
        k,
        list.map(([origin, port, isProp]) => ({
          __type__: 'port_map',
          __data__: { origin, port, is_property: isProp ?? false },
        })),
      ]),
    );
  return {
    __type__: 'module_specs',
    __data__: {
      name,
      module_cls: { __module_type__: type, __subregistry__: subregistry },
      inputs: maps(inputs),
      config,
      outputs,
      effects: maps(effects),
    },
  };
}

/** Default config of the built-in LIF/ALIF/AdEx neurons (spark-reference §2.1). */
function neuronDefaults(synapses: string, soma: string): JsonObject {
  const units: number[] = [1];
  const cfg = (n: string): JsonObject => ({
    ...body(FIELDS[n]?.() ?? {}),
    ...(FIELDS[n]?.()?.units ? { units } : {}),
  });
  return {
    __config_delimiter__: '__',
    __shared_config_delimiter__: '_s_',
    __metadata__: {},
    __graph_editor_metadata__: {},
    modules_specs: [
      moduleSpecsJson(
        'delays',
        'n2n_delays',
        'MODULES',
        { in_spikes: [['__call__', 'in_spikes']] },
        cfg('n2n_delays'),
      ),
      moduleSpecsJson(
        'synapses',
        synapses,
        'MODULES',
        { spikes: [['delays', 'out_spikes']] },
        cfg(synapses),
        {},
        { kernel: [['hebbian_rule', 'kernel']] },
      ),
      moduleSpecsJson(
        'soma',
        soma,
        'MODULES',
        { current: [['synapses', 'currents']], inhibition_mask: [['__self__', 'inhibition_mask', true]] },
        cfg(soma),
        { out_spikes: 'spikes' },
      ),
      moduleSpecsJson(
        'hebbian_rule',
        'hebbian_rule',
        'MODULES',
        {
          pre_spikes: [['delays', 'out_spikes']],
          post_spikes: [['soma', 'spikes']],
          kernel: [['synapses', 'kernel', true]],
        },
        cfg('hebbian_rule'),
      ),
    ],
    seed: randomSeed(),
    dt: 1.0,
    units: [1],
    inhibitory_rate: 0.2,
  };
}

const NEURON_PORTS = {
  inputs: [{ name: 'in_spikes', payload: S }],
  outputs: [{ name: 'out_spikes', payload: S }],
  properties: [{ name: 'inhibition_mask', payload: B, settable: false }],
};

function neuronDescriptor(name: string, label: string, defaults: () => JsonObject): ModuleDescriptor {
  return { name, label, subregistry: 'NEURONS', path: ['Neurons'], ...NEURON_PORTS, defaults };
}

/** The built-in module table (spark-reference §2.8, §4.4). */
export function builtinDescriptors(): ModuleDescriptor[] {
  const out: ModuleDescriptor[] = [];
  for (const n of SPIKERS)
    out.push(
      moduleDescriptor(
        n,
        ['Interfaces', 'Input'],
        [{ name: 'signal', payload: F }],
        [{ name: 'spikes', payload: S }],
      ),
    );
  out.push(
    moduleDescriptor(
      'exponential_integrator',
      ['Interfaces', 'Output'],
      [{ name: 'spikes', payload: S }],
      [{ name: 'signal', payload: F }],
    ),
  );
  for (const n of ['concat', 'concat_reshape'])
    out.push(
      moduleDescriptor(
        n,
        ['Interfaces', 'ControlInterface'],
        [{ name: 'inputs', payload: 'any' }],
        [{ name: 'output', payload: 'any' }],
      ),
    );
  out.push(
    moduleDescriptor(
      'sampler',
      ['Interfaces', 'ControlInterface'],
      [{ name: 'inputs', payload: 'any' }],
      [{ name: 'output', payload: 'any' }],
    ),
  );
  for (const n of ['n_delays', 'n2n_delays'])
    out.push(
      moduleDescriptor(
        n,
        ['Components', 'Delays'],
        [{ name: 'in_spikes', payload: S }],
        [{ name: 'out_spikes', payload: S }],
        [{ name: 'kernel', payload: I, settable: true }],
      ),
    );
  for (const n of SYNAPSES)
    out.push(
      moduleDescriptor(
        n,
        ['Components', 'Synapses'],
        [{ name: 'spikes', payload: S }],
        [{ name: 'currents', payload: C }],
        [{ name: 'kernel', payload: F, settable: true }],
      ),
    );
  for (const n of SOMAS)
    out.push(
      moduleDescriptor(
        n,
        ['Components', 'Somas'],
        [
          { name: 'current', payload: C },
          { name: 'inhibition_mask', payload: B, optional: true },
        ],
        [{ name: 'spikes', payload: S }],
        [{ name: 'potential', payload: P, settable: false }],
      ),
    );
  const plastic: PortSignature[] = [
    { name: 'pre_spikes', payload: S },
    { name: 'post_spikes', payload: S },
    { name: 'kernel', payload: F },
  ];
  for (const n of ['hebbian_rule', 'oja_rule', 'zenke_rule'])
    out.push(
      moduleDescriptor(n, ['Components', 'Plasticity Rules'], plastic, [{ name: 'kernel', payload: F }]),
    );
  out.push(
    moduleDescriptor(
      'three_factor_hebbian_rule',
      ['Components', 'Plasticity Rules'],
      [{ name: 'reward', payload: F }, ...plastic],
      [{ name: 'kernel', payload: F }],
    ),
  );
  for (const n of ['quadruplet_rule', 'quadruplet_rule_tensor'])
    out.push(
      moduleDescriptor(
        n,
        ['Components', 'Plasticity Rules'],
        [{ name: 'modulation', payload: F }, ...plastic],
        [{ name: 'kernel', payload: F }],
      ),
    );
  out.push(neuronDescriptor('lif_neuron', 'LIF', () => neuronDefaults('linear_synapses', 'leaky_soma')));
  out.push(
    neuronDescriptor('alif_neuron', 'ALIF', () => neuronDefaults('traced_synapses', 'adaptive_leaky_soma')),
  );
  out.push(
    neuronDescriptor('ad_ex_neuron', 'AdEx', () =>
      neuronDefaults('traced_synapses', 'adaptive_exponential_soma'),
    ),
  );
  return out;
}

/**
 * Builds a registry: the built-in table, then `extra` descriptors (which replace built-ins of the
 * same name, e.g. descriptors from `@spark-snn/config` that carry JSON Schemas).
 */
export function createRegistry(extra: Iterable<ModuleDescriptor> = []): EditorRegistry {
  const modules = new Map<string, ModuleDescriptor>();
  for (const d of builtinDescriptors()) modules.set(d.name, d);
  for (const d of extra) modules.set(d.name, d);
  return { modules, get: (name) => modules.get(name) };
}

/**
 * Ports of a Neuron controller described by its config body: controller inputs are the distinct
 * `__call__` ports (typed by the module input they feed), outputs the `outputs` maps (typed by the
 * module port), and the `inhibition_mask` property (spark-reference §1.4.2, §1.5.1).
 */
export function neuronPortsFromConfig(
  config: JsonObject,
  registry: EditorRegistry,
): Pick<ModuleDescriptor, 'inputs' | 'outputs' | 'properties'> | undefined {
  const specs = config.modules_specs;
  if (!Array.isArray(specs)) return undefined;
  const inputs: PortSignature[] = [];
  const outputs: PortSignature[] = [];
  const props: PropertySignature[] = [{ name: 'inhibition_mask', payload: B, settable: false }];
  for (const s of specs) {
    const d = isObject(s) && isObject(s.__data__) ? s.__data__ : undefined;
    if (!d) continue;
    const cls = isObject(d.module_cls) ? d.module_cls : {};
    const type = typeof cls.__module_type__ === 'string' ? cls.__module_type__ : '';
    const desc = registry.get(type);
    const ins = isObject(d.inputs) ? d.inputs : {};
    for (const [port, list] of Object.entries(ins)) {
      if (!Array.isArray(list)) continue;
      for (const pm of list) {
        const m = isObject(pm) && isObject(pm.__data__) ? pm.__data__ : undefined;
        if (m?.origin !== '__call__' || typeof m.port !== 'string') continue;
        if (inputs.some((p) => p.name === m.port)) continue;
        const payload =
          desc?.inputs.find((p) => p.name === port)?.payload ??
          desc?.properties.find((p) => p.name === port)?.payload ??
          'any';
        inputs.push({ name: m.port, payload });
      }
    }
    const outs = isObject(d.outputs) ? d.outputs : {};
    for (const [name, port] of Object.entries(outs)) {
      const payload =
        desc?.outputs.find((p) => p.name === port)?.payload ??
        desc?.properties.find((p) => p.name === port)?.payload ??
        'any';
      outputs.push({ name, payload });
    }
  }
  return { inputs, outputs, properties: props };
}

/** A descriptor for a custom neuron whose template is `config` (e.g. `alif_mod_neuron`). */
export function customNeuronDescriptor(
  name: string,
  config: JsonObject,
  registry: EditorRegistry,
): ModuleDescriptor {
  const ports = neuronPortsFromConfig(config, registry) ?? NEURON_PORTS;
  return {
    name,
    label: labelOf(name.replace(/_neuron$/, '')),
    subregistry: 'NEURONS',
    path: ['Neurons'],
    ...ports,
    defaults: () => ({ ...cloneJson(config), seed: randomSeed() }),
  };
}
