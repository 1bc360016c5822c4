/**
 * Definitions of every built-in Spark module, initializer and controller config
 * (spark-reference §1.4.2, §2), with Spark's registry names, field order, defaults, units and
 * validators.
 *
 * Field order matters: it is Spark's dataclass definition order, which is the key order of
 * `.scfg` files (`seed`, `dtype`, `dt` first, then the parent class's fields, then the class's own).
 *
 * @module
 */
import type { DType } from '@spark-snn/core';
import {
  arrayField,
  boolField,
  type FieldSpec,
  floatField,
  floatTupleField,
  intField,
  paramField,
  shapeField,
} from './fields.ts';
import type { ModuleDefinition, PortDef } from './registry.ts';
import type { ConfigBody, ModuleSpecs, PortMap, TypedConfigValue } from './types.ts';

/** dtype names Spark modules may run in (a subset of `@spark-snn/core`'s `DTYPES`). */
export const MODULE_DTYPES = ['float16', 'float32'] as const satisfies readonly DType[];
/**
 * dtype names Spark initializers accept. `uint16`, `int8` and `int16` have no `@spark-snn/core`
 * storage type; the kernels package widens them.
 */
export const INITIALIZER_DTYPES = [
  'uint8',
  'uint16',
  'uint32',
  'int8',
  'int16',
  'int32',
  'float16',
  'float32',
] as const;

/** A random 32-bit seed (Spark draws one from `os.urandom` when none is given). */
export function randomSeed(): number {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
  if (c?.getRandomValues) return c.getRandomValues(new Uint32Array(1))[0]!;
  return Math.floor(Math.random() * 2 ** 32);
}

/** `seed` field (random default). */
export const SEED_FIELD: FieldSpec = {
  name: 'seed',
  kind: 'int',
  sparkType: 'int',
  description: "Seed of the module's random number generator (random when not given).",
  defaultFactory: randomSeed,
  editor: { widget: 'integer', advanced: true },
};

/** `dtype` field of modules. */
export const DTYPE_FIELD: FieldSpec = {
  name: 'dtype',
  kind: 'dtype',
  sparkType: 'dtype',
  description: "State precision: float32 (spark-snn's default) or float16 storage (Spark's default).",
  default: 'float32',
  options: MODULE_DTYPES,
  editor: { widget: 'select', linkable: true },
};

/** `dt` field. */
export const DT_FIELD: FieldSpec = floatField('dt', 1.0, 'Integration time step.', {
  units: 'ms',
  validators: ['positive'],
  editor: { widget: 'number', linkable: true, step: 0.1 },
});

/** Fields of Spark's `DefaultSparkConfig`, in order. */
export const DEFAULT_FIELDS: readonly FieldSpec[] = [SEED_FIELD, DTYPE_FIELD, DT_FIELD];

// ---------------------------------------------------------------------------------------------
// initializers
// ---------------------------------------------------------------------------------------------

function initializerFields(classRef: string, extra: FieldSpec[]): FieldSpec[] {
  return [
    {
      ...DTYPE_FIELD,
      options: INITIALIZER_DTYPES,
      description: 'dtype of the generated array (the using module overrides it).',
    },
    floatField('scale', 1, 'Scale of the generated values.', { intDefault: true }),
    floatField('min_value', undefined, 'Lower clip bound (none when null).', {
      nullable: true,
      default: null,
    }),
    floatField('max_value', undefined, 'Upper clip bound (none when null).', {
      nullable: true,
      default: null,
    }),
    {
      name: '__class_ref__',
      kind: 'str',
      sparkType: 'str',
      description: 'Spark class of the initializer.',
      default: classRef,
      editor: { widget: 'hidden' },
    },
    ...extra,
  ];
}

const NO_PORTS = { inputs: [], outputs: [], properties: [] };

const density = floatField('density', 0.2, 'Fraction of non-zero entries.', { validators: ['zero_one'] });

const INITIALIZERS: ModuleDefinition[] = [
  {
    name: 'constant_initializer',
    className: 'ConstantInitializer',
    kind: 'initializer',
    ports: NO_PORTS,
    fields: initializerFields('ConstantInitializer', []),
    docs: 'Every entry equals `scale`.',
  },
  {
    name: 'uniform_initializer',
    className: 'UniformInitializer',
    kind: 'initializer',
    ports: NO_PORTS,
    fields: initializerFields('UniformInitializer', []),
    docs: '`clip(scale * U[0, 1), min_value, max_value)`.',
  },
  {
    name: 'sparse_uniform_initializer',
    className: 'SparseUniformInitializer',
    kind: 'initializer',
    ports: NO_PORTS,
    fields: initializerFields('SparseUniformInitializer', [density]),
    docs: "`scale * U * [U' < density]`, then clip (zeros stay zero even if `min_value > 0`). Dense storage.",
  },
  {
    name: 'normalized_sparse_uniform_initializer',
    className: 'NormalizedSparseUniformInitializer',
    kind: 'initializer',
    ports: NO_PORTS,
    fields: initializerFields('NormalizedSparseUniformInitializer', [
      density,
      {
        name: 'norm_axes',
        kind: 'int_tuple',
        sparkType: 'tuple[int, ...]',
        description: 'Axes kept when normalising: each index along them sums to 1 over the other axes.',
        default: [0],
        editor: { widget: 'tuple' },
      },
    ]),
    docs: 'Sparse uniform values divided by their sum over all non-`norm_axes` axes, then scaled and clipped. Needs >= 2-D and a float dtype.',
  },
];

/** A fresh initializer config value with its defaults, e.g. `initializerDefault('uniform_initializer')`. */
export function initializerDefault(name: string, overrides: Record<string, unknown> = {}): TypedConfigValue {
  const def = INITIALIZERS.find((d) => d.name === name);
  if (!def) throw new Error(`unknown initializer ${name}`);
  const out: TypedConfigValue = {
    __type__: `${name}_config`,
    __metadata__: {},
    __graph_editor_metadata__: {},
  };
  for (const f of def.fields)
    out[f.name] = f.name in overrides ? overrides[f.name] : structuredClone(f.default);
  return out;
}

// ---------------------------------------------------------------------------------------------
// ports
// ---------------------------------------------------------------------------------------------

const p = (name: string, payload: PortDef['payload'], extra: Partial<PortDef> = {}): PortDef => ({
  name,
  payload,
  optional: false,
  ...extra,
});

const SOMA_PORTS = {
  inputs: [p('current', 'CurrentArray'), p('inhibition_mask', 'BooleanMask', { optional: true })],
  outputs: [p('spikes', 'SpikeArray')],
  properties: [p('potential', 'PotentialArray')],
};
const SYNAPSE_PORTS = {
  inputs: [p('spikes', 'SpikeArray')],
  outputs: [p('currents', 'CurrentArray')],
  properties: [p('kernel', 'FloatArray', { settable: true })],
};
const DELAY_PORTS = {
  inputs: [p('in_spikes', 'SpikeArray')],
  outputs: [p('out_spikes', 'SpikeArray')],
  properties: [p('kernel', 'IntegerArray', { settable: true })],
};
const plasticityPorts = (extra?: PortDef) => ({
  inputs: [
    ...(extra ? [extra] : []),
    p('pre_spikes', 'SpikeArray'),
    p('post_spikes', 'SpikeArray'),
    p('kernel', 'FloatArray'),
  ],
  outputs: [p('kernel', 'FloatArray')],
  properties: [],
});
const SPIKER_PORTS = {
  inputs: [p('signal', 'FloatArray')],
  outputs: [p('spikes', 'SpikeArray')],
  properties: [],
};

/** Ports of every neuron controller built from the standard template. */
export const NEURON_BASE_PROPERTIES: PortDef[] = [p('inhibition_mask', 'BooleanMask')];

// ---------------------------------------------------------------------------------------------
// somas
// ---------------------------------------------------------------------------------------------

const LEAKY = (rest: number, reset: number, tau: number, r: number, th: number): FieldSpec[] => [
  paramField('potential_rest', rest, 'mV', 'Resting potential E_rest.'),
  paramField('potential_reset', reset, 'mV', 'Potential after a spike.'),
  paramField('potential_tau', tau, 'ms', 'Membrane time constant.', { validators: ['positive'] }),
  paramField('resistance', r, 'GΩ', 'Membrane resistance R.'),
  paramField('threshold', th, 'mV', 'Spike threshold (strict `>`).'),
];
const COOLDOWN = paramField('cooldown', 2.0, 'ms', 'Refractory period (rounded to steps).', {
  validators: ['nonnegative'],
});
const ADAPTIVE_THRESHOLD = [
  paramField('threshold_tau', 20.0, 'ms', 'Time constant of the adaptive threshold.', {
    validators: ['positive'],
  }),
  paramField('threshold_delta', 100.0, 'mV', 'Threshold increase per spike.'),
];
const EXPONENTIAL = [
  ...LEAKY(-70.0, -51.0, 5.0, 0.5, -30.0),
  paramField('rheobase_threshold', -50.0, 'mV', 'Rheobase threshold V_rh of the exponential term.'),
  paramField('spike_slope', 2.0, 'mV', 'Slope factor Δ_T of the exponential term.', {
    validators: ['positive'],
  }),
];

const soma = (name: string, className: string, fields: FieldSpec[], docs: string): ModuleDefinition => ({
  name,
  className,
  kind: 'soma',
  fields: [...DEFAULT_FIELDS, ...fields],
  ports: SOMA_PORTS,
  docs,
});

const SOMAS: ModuleDefinition[] = [
  soma(
    'leaky_soma',
    'LeakySoma',
    LEAKY(-60, -50, 20, 0.1, -40),
    'Leaky integrate-and-fire: `v = λ v + (1 − λ) R I`, spike when `v > θ`, then reset.',
  ),
  soma(
    'refractory_leaky_soma',
    'RefractoryLeakySoma',
    [...LEAKY(-60, -50, 20, 0.1, -40), COOLDOWN],
    'Leaky soma whose input integration and spiking are blocked for `round(cooldown/dt) + 1` steps after a spike.',
  ),
  soma(
    'strict_refractory_leaky_soma',
    'StrictRefractoryLeakySoma',
    [...LEAKY(-60, -50, 20, 0.1, -40), COOLDOWN],
    'Refractory leaky soma that clamps the potential to the reset value while refractory.',
  ),
  soma(
    'adaptive_leaky_soma',
    'AdaptiveLeakySoma',
    [...LEAKY(-60, -50, 20, 0.1, -40), COOLDOWN, ...ADAPTIVE_THRESHOLD],
    'Refractory leaky soma with an adaptive threshold (a trace with base θ₀ and scale Δθ).',
  ),
  soma('exponential_soma', 'ExponentialSoma', EXPONENTIAL, 'Exponential integrate-and-fire (forward Euler).'),
  soma(
    'refractory_exponential_soma',
    'RefractoryExponentialSoma',
    [...EXPONENTIAL, COOLDOWN],
    'Exponential soma whose input term and spiking are gated by a refractory counter.',
  ),
  soma(
    'adaptive_exponential_soma',
    'AdaptiveExponentialSoma',
    [
      ...EXPONENTIAL,
      paramField('adaptation_tau', 100.0, 'ms', 'Time constant τ_w of the adaptation current.', {
        validators: ['positive'],
      }),
      paramField('adaptation_delta', 7.0, 'pA', 'Spike-triggered adaptation increment b.'),
      paramField('adaptation_subthreshold', 0.5, 'nS', 'Subthreshold adaptation coupling a.'),
    ],
    'AdEx: exponential soma with an adaptation current (no refractoriness).',
  ),
  soma(
    'simplified_adaptive_exponential_soma',
    'SimplifiedAdaptiveExponentialSoma',
    [...EXPONENTIAL, COOLDOWN, ...ADAPTIVE_THRESHOLD],
    'Refractory exponential soma with the adaptive threshold of the adaptive leaky soma.',
  ),
  soma(
    'izhikevich_soma',
    'IzhikevichSoma',
    [
      paramField('potential_rest', -65.0, 'mV', 'Resting potential.'),
      paramField('potential_reset', -65.0, 'mV', 'Reset potential c.'),
      paramField('resistance', 0.1, 'GΩ', 'Input resistance R.'),
      paramField('threshold', 30.0, 'mV', 'Spike cut-off.'),
      paramField('recovery_timescale', 0.02, undefined, 'Recovery time scale a.'),
      paramField('recovery_sensitivity', 0.2, undefined, 'Recovery sensitivity b.'),
      paramField('recovery_update', 2, undefined, 'Recovery increment d after a spike.', {
        intDefault: true,
      }),
    ],
    "Izhikevich model. Spark's implementation double-rebases the potential and fires at rest (spark-reference §7.1); behaviour 'corrected' uses the standard equations.",
  ),
];

// ---------------------------------------------------------------------------------------------
// spark-snn benchmark somas (benchmarks.md §1): two synaptic inputs, no rebasing
// ---------------------------------------------------------------------------------------------

const POPULATION_UNITS = shapeField(
  'units',
  'Shape of the population; every input must have this many elements.',
);
const refractoryOf = (ms: number): FieldSpec =>
  floatField(
    'refractory',
    ms,
    'Refractory period (rounded to steps): a spike at step n makes steps n+1 … n+round(refractory/dt)−1 refractory.',
    { units: 'ms', validators: ['nonnegative'] },
  );
const V_OFFSET = paramField(
  'v_offset',
  0,
  'mV',
  'Initial potential relative to `v_reset` (per unit; a `uniform_initializer` with scale `v_threshold − v_reset` gives v₀ ~ U[v_reset, v_threshold)).',
);

const benchSoma = (
  name: string,
  className: string,
  fields: FieldSpec[],
  inputs: [string, string],
  docs: string,
): ModuleDefinition => ({
  name,
  className,
  kind: 'soma',
  fields: [...DEFAULT_FIELDS, POPULATION_UNITS, ...fields],
  ports: {
    inputs: inputs.map((n) => p(n, 'CurrentArray')),
    outputs: [p('spikes', 'SpikeArray')],
    properties: [],
  },
  docs,
});

/** The somas of the standard benchmark networks (spark-snn additions, not in Spark). */
const BENCHMARK_SOMAS: ModuleDefinition[] = [
  benchSoma(
    'cuba_lif',
    'CubaLIF',
    [
      floatField('tau_m', 20, 'Membrane time constant τm.', { units: 'ms', validators: ['positive'] }),
      floatField('tau_e', 5, 'Decay time constant of the excitatory current `ge`.', {
        units: 'ms',
        validators: ['positive'],
      }),
      floatField('tau_i', 10, 'Decay time constant of the inhibitory current `gi`.', {
        units: 'ms',
        validators: ['positive'],
      }),
      floatField('v_rest', -49, 'Resting potential E_l (above the threshold in CUBA: tonic firing).', {
        units: 'mV',
      }),
      floatField('v_threshold', -50, 'Spike threshold (strict `>`).', { units: 'mV' }),
      floatField('v_reset', -60, 'Potential after a spike and during the refractory period.', {
        units: 'mV',
      }),
      refractoryOf(5),
      V_OFFSET,
    ],
    ['exc', 'inh'],
    'CUBA LIF (spark-snn addition; Vogels–Abbott, Brian2 `CUBA.py`): `dv/dt = (ge + gi − (v − v_rest))/τm` integrated exactly, voltage-like currents `ge`, `gi` (mV) that jump by the `exc`/`inh` input of each step and decay with τe/τi; v held at `v_reset` while refractory (the currents keep decaying).',
  ),
  benchSoma(
    'coba_lif',
    'CobaLIF',
    [
      floatField('c_m', 200, 'Membrane capacitance C.', { units: 'pF', validators: ['positive'] }),
      floatField('g_l', 10, 'Leak conductance g_L.', { units: 'nS', validators: ['positive'] }),
      floatField('e_l', -60, 'Leak reversal potential E_L.', { units: 'mV' }),
      floatField('e_ex', 0, 'Excitatory reversal potential.', { units: 'mV' }),
      floatField('e_in', -80, 'Inhibitory reversal potential.', { units: 'mV' }),
      floatField('tau_ex', 5, 'Decay time constant of the excitatory conductance `ge`.', {
        units: 'ms',
        validators: ['positive'],
      }),
      floatField('tau_in', 10, 'Decay time constant of the inhibitory conductance `gi`.', {
        units: 'ms',
        validators: ['positive'],
      }),
      floatField('v_threshold', -50, 'Spike threshold (strict `>`).', { units: 'mV' }),
      floatField('v_reset', -60, 'Potential after a spike and during the refractory period.', {
        units: 'mV',
      }),
      refractoryOf(5),
      V_OFFSET,
      paramField('ge_init', 0, 'nS', 'Initial excitatory conductance (per unit).'),
      paramField('gi_init', 0, 'nS', 'Initial inhibitory conductance (per unit).'),
    ],
    ['exc', 'inh'],
    'COBA LIF (spark-snn addition; Brette et al. 2007 benchmark 1): conductances `ge`, `gi` (nS) jump by the `exc`/`inh` input of each step and decay with τex/τin; `C dv/dt = g_L(E_L − v) + ge(E_ex − v) + gi(E_in − v)` by exponential Euler with the conductances frozen over the step; v held at `v_reset` while refractory.',
  ),
  benchSoma(
    'brunel_lif',
    'BrunelLIF',
    [
      floatField('tau_m', 20, 'Membrane time constant τ.', { units: 'ms', validators: ['positive'] }),
      floatField('theta', 20, 'Spike threshold θ (spike on `v ≥ θ`).', { units: 'mV' }),
      floatField('v_reset', 10, 'Reset potential V_r.', { units: 'mV' }),
      refractoryOf(2),
    ],
    ['current', 'external'],
    'Brunel 2000 model A LIF (spark-snn addition; NEST `iaf_psc_delta`): `v = v·e^(−dt/τ) + current + external` (delta synapses, voltage jumps in mV), input discarded and v held at `v_reset` while refractory, spike on `v ≥ θ`.',
  ),
];

// ---------------------------------------------------------------------------------------------
// synapses, delays
// ---------------------------------------------------------------------------------------------

const SYN_UNITS = shapeField('units', 'Postsynaptic shape (filled by the enclosing neuron).');
const KERNEL = arrayField(
  'kernel',
  initializerDefault('sparse_uniform_initializer'),
  'Synaptic weights, shape `units + pre_shape`.',
  { allowsInit: true, units: 'pA', sparkType: 'Array | Initializer' },
);
const trace = (suffix: string, tau: number, what: string): FieldSpec[] => [
  paramField(`tau${suffix}`, tau, 'ms', `Time constant of the ${what} trace.`, { validators: ['positive'] }),
  paramField(`scale${suffix}`, 1.0, undefined, `Scale of the ${what} trace.`, { validators: ['positive'] }),
  paramField(`base${suffix}`, 0.0, undefined, `Base value of the ${what} trace.`),
];

const syn = (name: string, className: string, fields: FieldSpec[], docs: string): ModuleDefinition => ({
  name,
  className,
  kind: 'synapses',
  fields: [...DEFAULT_FIELDS, SYN_UNITS, KERNEL, ...fields],
  ports: SYNAPSE_PORTS,
  docs,
});

/**
 * Sparse synapses (spark-snn addition, not in Spark): a connector drawn at build time from the
 * counter-based RNG, stored compactly (CSR), propagated event-driven.
 */
const SPARSE_SYNAPSES: ModuleDefinition = {
  name: 'sparse_synapses',
  className: 'SparseSynapses',
  kind: 'synapses',
  fields: [
    ...DEFAULT_FIELDS,
    SYN_UNITS,
    floatField(
      'p',
      0.02,
      'Connection probability of every (pre, post) pair (Bernoulli, autapses allowed); used when `in_degree` is 0.',
      {
        validators: ['zero_one'],
      },
    ),
    intField(
      'in_degree',
      0,
      'When > 0: every postsynaptic unit draws this many presynaptic partners uniformly with replacement (fixed in-degree, multapses allowed) instead of Bernoulli `p`.',
    ),
    intField(
      'source_start',
      0,
      'First presynaptic unit that projects (a population slice of the input, e.g. its excitatory part).',
    ),
    intField('source_stop', 0, 'End (exclusive) of the projecting presynaptic units; 0 means all the rest.'),
    floatField(
      'weight',
      1.0,
      'Weight of the connections (the jump a spike adds to the current): a number for every connection (homogeneous, no weight stored per connection), or an initializer config drawn per connection from the module seed (reproducible). A spike of an inhibitory source carries its sign.',
      {
        units: 'pA',
        allowsInit: true,
      },
    ),
    floatField(
      'delay',
      0.0,
      'Transmission delay: the currents of a step come from the spikes of round(delay/dt) steps earlier. With `max_delay` it is the smallest delay of a uniform range.',
      {
        units: 'ms',
      },
    ),
    floatField(
      'max_delay',
      undefined,
      'spark-snn extension: when set and above `delay`, every connection draws its own delay uniformly among the integer steps [round(delay/dt), round(max_delay/dt)] from the module seed (unset: one delay for every connection).',
      { units: 'ms', nullable: true, default: null, required: false, extension: true },
    ),
    {
      name: 'sources',
      kind: 'int_tuple',
      sparkType: 'list[int] (extension)',
      description:
        'spark-snn extension: explicit edge list, the presynaptic index of every connection (with `targets`, same length; replaces `p` and `in_degree`).',
      default: null,
      nullable: true,
      extension: true,
      editor: { widget: 'tuple', advanced: true },
    },
    {
      name: 'targets',
      kind: 'int_tuple',
      sparkType: 'list[int] (extension)',
      description:
        'spark-snn extension: explicit edge list, the postsynaptic index (flat, in `units`) of every connection.',
      default: null,
      nullable: true,
      extension: true,
      editor: { widget: 'tuple', advanced: true },
    },
    {
      name: 'weights',
      kind: 'float_tuple',
      sparkType: 'list[float] (extension)',
      description:
        'spark-snn extension: the weight of every connection of the edge list, in its order (replaces `weight`).',
      default: null,
      nullable: true,
      extension: true,
      units: 'pA',
      editor: { widget: 'tuple', advanced: true },
    },
    {
      name: 'delays',
      kind: 'float_tuple',
      sparkType: 'list[float] (extension)',
      description:
        'spark-snn extension: the delay of every connection of the edge list, in its order, ≥ 0 (rounded to steps of dt; replaces `delay`).',
      default: null,
      nullable: true,
      extension: true,
      units: 'ms',
      editor: { widget: 'tuple', advanced: true },
    },
    {
      name: 'delivery',
      kind: 'str',
      sparkType: 'str (extension)',
      description:
        "spark-snn extension: how the webgpu backend delivers spikes: 'gather' (over incoming edges), 'scatter' (compaction, then fixed-point atomics over outgoing edges) or 'auto' (unset: by the byte-model rule from `expected_rate`).",
      default: null,
      nullable: true,
      options: ['auto', 'gather', 'scatter'],
      extension: true,
      editor: { widget: 'select', advanced: true },
    },
    floatField(
      'expected_rate',
      undefined,
      "spark-snn extension: expected firing rate of the presynaptic units, the input of the 'auto' delivery rule (unset: 10 Hz).",
      { units: 'Hz', nullable: true, default: null, required: false, extension: true },
    ),
  ],
  ports: { inputs: [p('spikes', 'SpikeArray')], outputs: [p('currents', 'CurrentArray')], properties: [] },
  implementation:
    "lowered by `@spark-snn/nn` (`packages/nn/src/lowerings/sparse.ts`) to the kernels' structural `sparse.csr` op (`packages/kernels/src/ops.ts`; no equation definition).",
  docs: 'Sparse connectivity (spark-snn): Bernoulli `p`, fixed in-degree or an explicit edge list (`sources`, `targets`), drawn from the Philox stream at build time, stored as CSR; `I_i = Σ_{e: j→i} w_e s_j(t − d_e)` with a homogeneous or per-connection weight (initializer or list) and delay (constant, uniform integer steps, or list); event-driven on cpu, a gather or an atomic scatter on webgpu, a gather on gpujs.',
};

const SYNAPSES: ModuleDefinition[] = [
  syn(
    'linear_synapses',
    'LinearSynapses',
    [],
    'Current `I_i = Σ_j W_ij s_j` (signed spikes; per-synapse spikes when async).',
  ),
  syn(
    'traced_synapses',
    'TracedSynapses',
    trace('', 5.0, 'synaptic'),
    'Per-synapse exponential trace of `W s`; current = sum of traces.',
  ),
  syn(
    'rd_traced_synapses',
    'RDTracedSynapses',
    [...trace('_rise', 1.0, 'rise'), ...trace('_decay', 5.0, 'decay')],
    'Per-synapse rise–decay trace; current = Σ (D − R).',
  ),
  syn(
    'rfs_traced_synapses',
    'RFSTracedSynapses',
    [
      paramField('alpha', 0.8, undefined, 'Weight of the fast component.', { validators: ['zero_one'] }),
      ...trace('_rise', 1.0, 'rise'),
      ...trace('_fast_decay', 5.0, 'fast decay'),
      ...trace('_slow_decay', 50.0, 'slow decay'),
    ],
    'Per-synapse rise–fast–slow trace: α·RD_fast + (1 − α)·RD_slow.',
  ),
  SPARSE_SYNAPSES,
];

const DELAY_FIELDS: FieldSpec[] = [
  floatField('max_delay', 8.0, 'Largest delay; the ring buffer holds ceil(max_delay/dt) steps.', {
    units: 'ms',
    validators: ['positive'],
  }),
  arrayField(
    'delays',
    initializerDefault('uniform_initializer'),
    'Delays in steps (forced to 1..B by Spark).',
    {
      allowsInit: true,
      sparkType: 'Array | Initializer',
    },
  ),
];

const DELAYS: ModuleDefinition[] = [
  {
    name: 'n_delays',
    className: 'NDelays',
    kind: 'delays',
    fields: [...DEFAULT_FIELDS, ...DELAY_FIELDS],
    ports: DELAY_PORTS,
    docs: 'One delay per presynaptic neuron. Spark flags the output async without expanding it, which breaks synapses downstream (§7.3).',
  },
  {
    name: 'n2n_delays',
    className: 'N2NDelays',
    kind: 'delays',
    fields: [
      ...DEFAULT_FIELDS,
      ...DELAY_FIELDS,
      shapeField('units', 'Postsynaptic shape (filled by the enclosing neuron).'),
    ],
    ports: DELAY_PORTS,
    docs: 'One delay per synapse; output shape `units + pre_shape` (async spikes).',
  },
];

// ---------------------------------------------------------------------------------------------
// plasticity
// ---------------------------------------------------------------------------------------------

const tauP = (name: string, def: number, what: string) =>
  paramField(name, def, 'ms', `Time constant of the ${what} trace.`, { validators: ['positive'] });
const rate = (name: string, def: number, what = 'Learning rate.') => floatField(name, def, what);
const quad = (name: string, def: number[], what: string, o: Partial<FieldSpec> = {}) =>
  floatTupleField(name, def, `${what} per synapse type (EE, EI, IE, II; post then pre).`, o);

const plast = (
  name: string,
  className: string,
  fields: FieldSpec[],
  docs: string,
  extra?: PortDef,
): ModuleDefinition => ({
  name,
  className,
  kind: 'plasticity',
  fields: [...DEFAULT_FIELDS, ...fields],
  ports: plasticityPorts(extra),
  docs,
});

const PLASTICITY: ModuleDefinition[] = [
  plast(
    'hebbian_rule',
    'HebbianRule',
    [tauP('pre_tau', 20, 'presynaptic'), tauP('post_tau', 20, 'postsynaptic'), rate('eta', 0.01)],
    'ΔW = η (y_i s_j + z_i x_j); W ← max(0, W + dt ΔW).',
  ),
  plast(
    'oja_rule',
    'OjaRule',
    [tauP('post_tau', 20, 'postsynaptic'), rate('eta', 0.1)],
    'ΔW = η (y_i s_j − W_ij y_i²); clipped at 0.',
  ),
  plast(
    'three_factor_hebbian_rule',
    'ThreeFactorHebbianRule',
    [tauP('pre_tau', 10, 'presynaptic'), tauP('post_tau', 10, 'postsynaptic'), rate('gamma', 0.1)],
    'ΔW = γ (r + 0.1)(y_i s_j + z_i x_ij). Needs async (per-synapse) pre-spikes in Spark.',
    p('reward', 'FloatArray'),
  ),
  plast(
    'quadruplet_rule',
    'QuadrupletRule',
    [
      tauP('pre_tau', 10, 'presynaptic'),
      tauP('post_tau', 10, 'postsynaptic'),
      floatField('q_alpha', 1.0, 'Presynaptic-only term α.'),
      floatField('q_beta', 1.0, 'Post-trace × pre-spike term β.'),
      floatField('q_gamma', 1.0, 'Postsynaptic-only term γ.'),
      floatField('q_delta', 1.0, 'Pre-trace × post-spike term δ.'),
      rate('gamma', 0.1),
    ],
    'Reward-modulated quadruplet rule. Cannot be built in Spark (§7.4); spark-snn builds it with `gamma` as the learning rate.',
    p('modulation', 'FloatArray'),
  ),
  plast(
    'quadruplet_rule_tensor',
    'QuadrupletRuleTensor',
    [
      quad('pre_tau', [10, 10, 10, 10], 'Presynaptic trace time constant', {
        units: 'ms',
        validators: ['positive'],
      }),
      quad('post_tau', [10, 10, 10, 10], 'Postsynaptic trace time constant', {
        units: 'ms',
        validators: ['positive'],
      }),
      quad('q_alpha', [1, 1, 1, 1], 'Presynaptic-only term α'),
      quad('q_beta', [1, 1, 1, 1], 'Post-trace × pre-spike term β'),
      quad('q_gamma', [1, 1, 1, 1], 'Postsynaptic-only term γ'),
      quad('q_delta', [1, 1, 1, 1], 'Pre-trace × post-spike term δ'),
      quad('max_clip', [20, 20, 20, 20], 'Upper weight bound'),
      rate('eta', 0.1),
    ],
    'Quadruplet rule with per-synapse-type parameters (EE, EI, IE, II); W ← clip(W + dt ΔW, 0, max).',
    p('modulation', 'FloatArray'),
  ),
  plast(
    'zenke_rule',
    'ZenkeRule',
    [
      tauP('pre_tau', 20, 'presynaptic'),
      tauP('post_tau', 20, 'fast postsynaptic'),
      tauP('post_slow_tau', 20, 'slow postsynaptic'),
      tauP('target_tau', 20000, 'target weight'),
      floatField('a', 1.0, 'Triplet LTP amplitude.'),
      floatField('b', -1.0, 'Doublet LTD amplitude.'),
      floatField('c', -1.0, 'Heterosynaptic amplitude.'),
      floatField('d', 1.0, 'Transmitter-induced amplitude.'),
      floatField('p', 20.0, 'Consolidation strength P.'),
      rate('eta', 0.1),
    ],
    'Zenke et al. consolidation rule with a per-synapse target weight.',
  ),
];

// ---------------------------------------------------------------------------------------------
// interfaces
// ---------------------------------------------------------------------------------------------

const MAX_FREQ = floatField('max_freq', 100.0, 'Firing rate for an input of 1.', {
  units: 'Hz',
  validators: ['positive'],
});
const LINEAR_FIELDS = [
  floatField('tau', 100.0, 'Integration time constant.', { units: 'ms', validators: ['positive'] }),
  floatField('cd', 2.0, 'Refractory period.', { units: 'ms', validators: ['positive'] }),
  MAX_FREQ,
];
const TOPO_FIELDS = [
  arrayField('glue', 0, '1 = circular (periodic) dimension, per dimension or scalar.', {
    validators: ['binary'],
  }),
  arrayField('mins', 0, 'Lower end of the encoded range.'),
  arrayField('maxs', 1, 'Upper end of the encoded range.'),
  intField('resolution', 64, 'Units per input element.', { validators: ['positive'] }),
  floatField('sigma', 1 / 32, 'Width factor of the bump (multiplies d² directly).', {
    validators: ['positive'],
  }),
];

const iface = (
  name: string,
  className: string,
  path: string,
  fields: FieldSpec[],
  ports: ModuleDefinition['ports'],
  docs: string,
): ModuleDefinition => ({
  name,
  className,
  kind: 'interface',
  path,
  fields: [...DEFAULT_FIELDS, ...fields],
  ports,
  docs,
});

const ANY_PORTS = (listInput: boolean) => ({
  inputs: [p('inputs', 'AnyPayload', listInput ? { list: true } : {})],
  outputs: [p('output', 'AnyPayload')],
  properties: [],
});

/** External Poisson drive (spark-snn addition): a source module without inputs. */
const POISSON_DRIVE: ModuleDefinition = {
  name: 'poisson_drive',
  className: 'PoissonDrive',
  kind: 'interface',
  path: 'Interfaces/Input',
  fields: [
    ...DEFAULT_FIELDS,
    shapeField('units', 'Shape of the driven population (one drive per unit).'),
    floatField('rate', 0.01, 'Rate of each source (1 kHz = 1000 Hz).', {
      units: 'kHz',
      validators: ['nonnegative'],
    }),
    floatField('sources', 1000, 'Independent Poisson sources per unit.', { validators: ['nonnegative'] }),
    floatField('weight', 0.1, 'Jump of the output per arrival.', { units: 'mV' }),
  ],
  ports: { inputs: [], outputs: [p('current', 'CurrentArray')], properties: [] },
  docs: "External Poisson drive (spark-snn addition; Brunel's ν_ext): each step, `current = weight · Poisson(rate · sources · dt)` per unit, drawn from the counter-based RNG. No inputs.",
};

const INTERFACES: ModuleDefinition[] = [
  iface(
    'poisson_spiker',
    'PoissonSpiker',
    'Interfaces/Input',
    [MAX_FREQ],
    SPIKER_PORTS,
    'Poisson spikes with probability `dt·max_freq/1000·x` per step.',
  ),
  iface(
    'linear_spiker',
    'LinearSpiker',
    'Interfaces/Input',
    LINEAR_FIELDS,
    SPIKER_PORTS,
    'Integrate-to-threshold encoder: rate ≈ max_freq·x.',
  ),
  iface(
    'topological_poisson_spiker',
    'TopologicalPoissonSpiker',
    'Interfaces/Input',
    [MAX_FREQ, ...TOPO_FIELDS],
    SPIKER_PORTS,
    'Population (place-cell) code: each input element becomes `resolution` Poisson units.',
  ),
  iface(
    'topological_linear_spiker',
    'TopologicalLinearSpiker',
    'Interfaces/Input',
    [...LINEAR_FIELDS, ...TOPO_FIELDS],
    SPIKER_PORTS,
    'Population (place-cell) code driving linear spikers.',
  ),
  iface(
    'exponential_integrator',
    'ExponentialIntegrator',
    'Interfaces/Output',
    [
      intField(
        'num_outputs',
        undefined,
        'Number of output signals (input units are split into this many groups).',
        {
          validators: ['positive'],
        },
      ),
      floatField('saturation_freq', 50.0, 'Population rate that maps to ≈ 1.', {
        units: 'Hz',
        validators: ['positive'],
      }),
      floatField('tau', 5.0, 'Time constant of the output trace.', { units: 'ms', validators: ['positive'] }),
      arrayField('output_map', null, 'Explicit input-to-output grouping (none = contiguous groups).', {
        nullable: true,
        sparkType: 'Array | None',
      }),
      boolField('shuffle', true, 'Randomly permute the groups once at build time.'),
      boolField(
        'smooth_trace',
        true,
        'Use the rise–decay trace (10 ms decay) instead of a single exponential.',
      ),
    ],
    { inputs: [p('spikes', 'SpikeArray')], outputs: [p('signal', 'FloatArray')], properties: [] },
    'Decodes spikes into `num_outputs` exponentially filtered population rates.',
  ),
  iface(
    'concat',
    'Concat',
    'Interfaces/ControlInterface',
    [],
    ANY_PORTS(true),
    "Concatenates the flattened inputs (in the first input's payload type).",
  ),
  iface(
    'concat_reshape',
    'ConcatReshape',
    'Interfaces/ControlInterface',
    [shapeField('reshape', 'Output shape after concatenation.', { editor: { widget: 'shape' } })],
    ANY_PORTS(true),
    'Concatenates the flattened inputs, then reshapes.',
  ),
  iface(
    'sampler',
    'Sampler',
    'Interfaces/ControlInterface',
    [
      intField('sample_size', undefined, 'Number of elements drawn (with replacement) at build time.', {
        validators: ['positive'],
      }),
    ],
    ANY_PORTS(false),
    'Picks `sample_size` elements of the flattened input (indices drawn once).',
  ),
  POISSON_DRIVE,
];

// ---------------------------------------------------------------------------------------------
// controllers and neurons
// ---------------------------------------------------------------------------------------------

/** `modules_specs` field of controllers. */
export const MODULES_SPECS_FIELD: FieldSpec = {
  name: 'modules_specs',
  kind: 'modules_specs',
  sparkType: 'list[ModuleSpecs]',
  description: 'The child modules and their wiring.',
  required: true,
  editor: { widget: 'hidden' },
};

const CONTROLLER_SEED: FieldSpec = { ...SEED_FIELD, description: 'Seed of the controller.' };

/** Fields of `NeuronConfig`, in Spark's order, plus the spark-snn `inhibition_mask` extension. */
export const NEURON_FIELDS: readonly FieldSpec[] = [
  MODULES_SPECS_FIELD,
  CONTROLLER_SEED,
  DT_FIELD,
  shapeField('units', 'Shape of the neuron population; re-applied to every child with a `units` field.'),
  floatField('inhibitory_rate', 0.2, 'Fraction of inhibitory units (drawn at construction).', {
    validators: ['zero_one'],
  }),
  arrayField(
    'inhibition_mask',
    undefined,
    'spark-snn extension: explicit boolean mask of inhibitory units (shape `units`). Spark ignores it and draws its own.',
    { extension: true, sparkType: 'Array (extension)' },
  ),
];

/** Fields of `BrainConfig`, plus the spark-snn `io_specs` extension. */
export const BRAIN_FIELDS: readonly FieldSpec[] = [
  MODULES_SPECS_FIELD,
  CONTROLLER_SEED,
  DT_FIELD,
  {
    name: 'io_specs',
    kind: 'io_specs',
    sparkType: 'dict (extension)',
    description:
      'spark-snn extension: explicit controller inputs and outputs, `{"inputs": {name: PortSpecs}, "outputs": {name: PortSpecs}}`, for validation and shape checks before any data arrives. Spark ignores it.',
    extension: true,
    editor: { widget: 'hidden' },
  },
];

const pm = (origin: string, port: string, is_property = false): PortMap => ({ origin, port, is_property });

/** Default config body of a module (defaults filled, fresh seeds). */
export function defaultBody(def: ModuleDefinition): ConfigBody {
  const body: ConfigBody = { __metadata__: {}, __graph_editor_metadata__: {} };
  for (const f of def.fields) {
    if (f.extension) continue;
    if (f.defaultFactory) body[f.name] = f.defaultFactory();
    else if (f.default !== undefined) body[f.name] = structuredClone(f.default);
  }
  return body;
}

function builtinNeuronTemplate(synapses: string, somaName: string): () => ModuleSpecs[] {
  const find = (n: string) => [...DELAYS, ...SYNAPSES, ...SOMAS, ...PLASTICITY].find((d) => d.name === n)!;
  return () => [
    {
      name: 'delays',
      module_cls: { name: 'n2n_delays', subregistry: 'MODULES' },
      inputs: { in_spikes: [pm('__call__', 'in_spikes')] },
      config: defaultBody(find('n2n_delays')),
      outputs: {},
      effects: {},
    },
    {
      name: 'synapses',
      module_cls: { name: synapses, subregistry: 'MODULES' },
      inputs: { spikes: [pm('delays', 'out_spikes')] },
      config: defaultBody(find(synapses)),
      outputs: {},
      effects: { kernel: [pm('hebbian_rule', 'kernel')] },
    },
    {
      name: 'soma',
      module_cls: { name: somaName, subregistry: 'MODULES' },
      inputs: {
        current: [pm('synapses', 'currents')],
        inhibition_mask: [pm('__self__', 'inhibition_mask', true)],
      },
      config: defaultBody(find(somaName)),
      outputs: { out_spikes: 'spikes' },
      effects: {},
    },
    {
      name: 'hebbian_rule',
      module_cls: { name: 'hebbian_rule', subregistry: 'MODULES' },
      inputs: {
        pre_spikes: [pm('delays', 'out_spikes')],
        post_spikes: [pm('soma', 'spikes')],
        kernel: [pm('synapses', 'kernel', true)],
      },
      config: defaultBody(find('hebbian_rule')),
      outputs: {},
      effects: {},
    },
  ];
}

const NEURON_PORTS = {
  inputs: [p('in_spikes', 'SpikeArray')],
  outputs: [p('out_spikes', 'SpikeArray')],
  properties: NEURON_BASE_PROPERTIES,
};

const NEURONS: ModuleDefinition[] = [
  {
    name: 'lif_neuron',
    className: 'LIFNeuron',
    kind: 'neuron',
    fields: NEURON_FIELDS.slice(),
    ports: NEURON_PORTS,
    template: builtinNeuronTemplate('linear_synapses', 'leaky_soma'),
    docs: 'LIF neuron: N2N delays → linear synapses → leaky soma, Hebbian plasticity on the kernel.',
    menuName: 'LIF',
  },
  {
    name: 'alif_neuron',
    className: 'ALIFNeuron',
    kind: 'neuron',
    fields: NEURON_FIELDS.slice(),
    ports: NEURON_PORTS,
    template: builtinNeuronTemplate('traced_synapses', 'adaptive_leaky_soma'),
    docs: 'Adaptive LIF neuron: N2N delays → traced synapses → adaptive leaky soma, Hebbian plasticity.',
    menuName: 'ALIF',
  },
  {
    name: 'ad_ex_neuron',
    className: 'AdExNeuron',
    kind: 'neuron',
    fields: NEURON_FIELDS.slice(),
    ports: NEURON_PORTS,
    template: builtinNeuronTemplate('traced_synapses', 'adaptive_exponential_soma'),
    docs: 'AdEx neuron: N2N delays → traced synapses → adaptive exponential soma, Hebbian plasticity.',
    menuName: 'AdEx',
  },
];

const CONTROLLERS: ModuleDefinition[] = [
  {
    name: 'brain',
    className: 'Brain',
    kind: 'brain',
    fields: BRAIN_FIELDS.slice(),
    ports: { inputs: [], outputs: [], properties: [] },
    docs: 'Top-level controller. Every module→module edge has one step of latency; controller inputs are same-step. Its ports are the `__call__` inputs and the `outputs` maps of its modules.',
  },
  {
    name: 'neuron',
    className: 'Neuron',
    kind: 'neuron',
    fields: NEURON_FIELDS.slice(),
    ports: { inputs: [], outputs: [], properties: NEURON_BASE_PROPERTIES },
    docs: 'Generic neuron controller (`neuron_config`): components run in topological order within a step; effects apply after the step.',
  },
];

/** Every built-in definition, in registration order. */
export const BUILTIN_DEFINITIONS: readonly ModuleDefinition[] = [
  ...CONTROLLERS,
  ...INTERFACES,
  ...DELAYS,
  ...SYNAPSES,
  ...SOMAS,
  ...BENCHMARK_SOMAS,
  ...PLASTICITY,
  ...NEURONS,
  ...INITIALIZERS,
];
