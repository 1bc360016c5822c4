/**
 * Spark's synapses (spark-reference §2.3: linear, traced, rise–decay, rise–fast–slow) and
 * spark-snn's sparse synapses.
 *
 * @module
 */

import { arrayField, type FieldSpec, floatField, intField, paramField, shapeField } from '../fields.ts';
import type { ModuleDefinition } from '../registry.ts';
import { DEFAULT_FIELDS, p } from './common.ts';
import { initializerDefault } from './initializers.ts';

const SYNAPSE_PORTS = {
  inputs: [p('spikes', 'SpikeArray')],
  outputs: [p('currents', 'CurrentArray')],
  properties: [p('kernel', 'FloatArray', { settable: true })],
};

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

export const SYNAPSES: ModuleDefinition[] = [
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
