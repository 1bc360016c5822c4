/**
 * The Spark module library: every Spark module by its registry name, with its equation
 * definitions (for the given compatibility switches), the structural ops it uses, its ports, the
 * compatibility switches that affect it, and a builder of its plan fragment.
 *
 * @module
 */

import type { PortSignature } from '@spark-snn/config';
import { buildN2NDelays, buildNDelays } from '../delays/n2n_delays.ts';
import { INITIALIZER_NAMES, initializerDefinitions } from '../initializers/draw.ts';
import {
  buildConcat,
  buildExponentialIntegrator,
  buildSampler,
  buildSpiker,
  buildTopologicalSpiker,
} from '../interfaces/build.ts';
import { exponentialIntegratorDefinition } from '../interfaces/exponential_integrator.ts';
import { linearSpiker } from '../interfaces/linear_spiker.ts';
import { poissonDrive } from '../interfaces/poisson_drive.ts';
import { poissonSpiker } from '../interfaces/poisson_spiker.ts';
import {
  topologicalLinearSpikerDefinition,
  topologicalPoissonSpiker,
} from '../interfaces/topological_spikers.ts';
import type { ModuleDefinition } from '../lang/ast.ts';
import {
  buildPlasticity,
  PLASTICITY_NAMES,
  type PlasticityModel,
  type PlasticityName,
  plasticityModel,
} from '../plasticity/build.ts';
import { adaptiveExponentialSoma } from '../somas/adaptive_exponential_soma.ts';
import { adaptiveLeakySomaDefinition } from '../somas/adaptive_leaky_soma.ts';
import { brunelLif } from '../somas/brunel_lif.ts';
import { cobaLif } from '../somas/coba_lif.ts';
import { cubaLif } from '../somas/cuba_lif.ts';
import { exponentialSoma } from '../somas/exponential_soma.ts';
import { izhikevichSomaDefinition } from '../somas/izhikevich_soma.ts';
import { leakySoma } from '../somas/leaky_soma.ts';
import { refractoryExponentialSomaDefinition } from '../somas/refractory_exponential_soma.ts';
import { refractoryLeakySomaDefinition } from '../somas/refractory_leaky_soma.ts';
import { simplifiedAdaptiveExponentialSomaDefinition } from '../somas/simplified_adaptive_exponential_soma.ts';
import { strictRefractoryLeakySomaDefinition } from '../somas/strict_refractory_leaky_soma.ts';
import {
  buildSynapses,
  type ProjectionBuildOptions,
  SYNAPSE_NAMES,
  type SynapseModel,
  type SynapseName,
  synapseModel,
} from '../synapses/build.ts';
import { COMPAT_NOTES, CORRECTED, type CompatSwitch, type SparkCompat } from './compat.ts';
import type { SparkConfigValues } from './config.ts';
import { paramsFromConfig } from './config.ts';
import { type Fragment, moduleFragment } from './fragment.ts';
import { inOut, type PortShape, withPorts } from './ports.ts';

/** Kinds of library modules. */
export type ModuleCategory = 'soma' | 'synapses' | 'delays' | 'plasticity' | 'interface' | 'initializer';

/** A port as documented. */
export interface PortDoc {
  readonly name: string;
  readonly payload: string;
  readonly shape: string;
}

/** Everything a builder may need; each module reads the fields it uses. */
export interface BuildOptions {
  /** Prefix of every buffer and op name. */
  readonly prefix: string;
  readonly dt: number;
  /** Spark config values (missing fields take Spark's defaults). */
  readonly config: SparkConfigValues;
  /** Compatibility switches (default {@link CORRECTED}). */
  readonly compat?: SparkCompat;
  /** Units of the module (somas, postsynaptic units of synapses/delays/rules). */
  readonly units?: number;
  /** Presynaptic units (synapses, delays, rules). */
  readonly pre?: number;
  /** Input size (interfaces, sampler). */
  readonly inputs?: number;
  /** Input sizes (concat, concat_reshape). */
  readonly inputSizes?: readonly number[];
  /** Per-synapse (async) input spikes. */
  readonly async?: boolean;
  readonly inhibitionPre?: ArrayLike<number>;
  readonly inhibitionPost?: ArrayLike<number>;
  readonly insideNeuron?: boolean;
  /** Existing kernel buffer updated by a plasticity rule. */
  readonly kernel?: string;
  readonly initialKernel?: ArrayLike<number>;
  readonly seed?: number;
  readonly streamBase?: number;
}

/** A library entry. */
export interface LibraryEntry {
  /** Spark registry name. */
  readonly name: string;
  readonly category: ModuleCategory;
  readonly summary: string;
  /** The equation definitions (empty for purely structural modules). */
  definitions(compat?: SparkCompat, async?: boolean): readonly ModuleDefinition[];
  /** Structural ops with what they compute. */
  readonly structural: readonly string[];
  readonly inputs: readonly PortDoc[];
  readonly outputs: readonly PortDoc[];
  /** Compatibility switches affecting the module. */
  readonly compat: readonly CompatSwitch[];
  /** Other notes (upstream failures fixed without a switch, language gaps). */
  readonly notes: readonly string[];
  /** Builds the plan fragment. */
  build(o: BuildOptions): Fragment;
  /**
   * The module's size is its `units` config field (spark-snn additions), so its output shapes are
   * known before its inputs: a recurrent contract, and sources without inputs are possible.
   */
  readonly sizedByUnits?: boolean;
}

function need(o: BuildOptions, key: 'units' | 'pre' | 'inputs'): number {
  const v = o[key];
  if (v === undefined || !Number.isInteger(v) || v < 1)
    throw new RangeError(`${o.prefix}: build option "${key}" must be a positive integer`);
  return v;
}

/** The options every synapse-domain builder takes, from the library's build options. */
function projection(o: BuildOptions): ProjectionBuildOptions {
  return {
    prefix: o.prefix,
    dt: o.dt,
    units: need(o, 'units'),
    pre: need(o, 'pre'),
    async: o.async === true,
    config: o.config,
    ...(o.streamBase !== undefined ? { streamBase: o.streamBase } : {}),
  };
}

function switchesOf(name: string): CompatSwitch[] {
  return COMPAT_NOTES.filter((n) => n.modules.includes(name)).map((n) => n.switch);
}

/**
 * A spark-snn addition defined by one unit-domain equation definition whose ports are the
 * definition's own (the benchmark somas with two synaptic inputs, source modules without inputs):
 * `units` sets the size; parameters come from the config (initializer configs are drawn by the
 * caller and passed as arrays).
 */
function unitModule(
  category: 'soma' | 'interface',
  summary: string,
  def: ModuleDefinition,
  notes: readonly string[] = [],
): LibraryEntry {
  const port = (p: { name: string; payload: string }): PortDoc => ({
    name: p.name,
    payload: p.payload,
    shape: '[units]',
  });
  return {
    name: def.name,
    category,
    summary,
    definitions: () => [def],
    structural: [],
    inputs: def.inputs.map(port),
    outputs: def.outputs.map(port),
    compat: [],
    notes: ['spark-snn addition (not a Spark module).', ...notes],
    sizedByUnits: true,
    build: (o) =>
      moduleFragment(def, {
        prefix: o.prefix,
        size: need(o, 'units'),
        dt: o.dt,
        params: paramsFromConfig(def, o.config),
        ...(o.streamBase !== undefined ? { streamBase: o.streamBase } : {}),
      }),
  };
}

function soma(name: string, summary: string, def: (c: SparkCompat) => ModuleDefinition): LibraryEntry {
  return withPorts(
    {
      name,
      category: 'soma',
      summary,
      definitions: (c = CORRECTED) => [def(c)],
      structural: [],
      compat: switchesOf(name),
      notes: ['State `potential` is rebased (V − potential_rest), as Spark stores it.'],
      build: (o) => {
        const d = def(o.compat ?? CORRECTED);
        return moduleFragment(d, {
          prefix: o.prefix,
          size: need(o, 'units'),
          dt: o.dt,
          params: paramsFromConfig(d, o.config),
        });
      },
    },
    inOut('[units]', '[units]'),
  );
}

const SYN_DOCS: Record<SynapseName, string> = {
  linear_synapses: 'I_i = Σ_j W_ij s_j (dense propagation).',
  traced_synapses: 'Per-synapse exponential traces of W·s, summed per postsynaptic unit.',
  rd_traced_synapses: 'Per-synapse rise–decay traces of W·s.',
  rfs_traced_synapses: 'Per-synapse rise–fast–slow traces of W·s.',
};

function synapses(name: SynapseName): LibraryEntry {
  return synapsesEntry(name, SYN_DOCS[name], (async) => synapseModel(name, async), []);
}

const synapseShape: PortShape = (port) =>
  port === 'spikes' ? '[pre] (sync) or [units × pre] (async)' : '[units]';

/**
 * The library entry of a synapse module defined by equations (a custom module): a per-synapse
 * definition with inputs `spikes` and `kernel` and an output `current`, built by
 * `buildSynapses` like the Spark synapses.
 */
export function definedSynapses(def: ModuleDefinition, summary: string, ports: PortSignature): LibraryEntry {
  return synapsesEntry(
    def.name,
    summary,
    () => ({ definition: def, current: 'current' }),
    ['User-defined (equations).'],
    ports,
  );
}

function synapsesEntry(
  name: string,
  summary: string,
  model: (async: boolean) => SynapseModel,
  notes: readonly string[],
  ports?: PortSignature,
): LibraryEntry {
  return withPorts(
    {
      name,
      category: 'synapses',
      summary,
      definitions: (_c, async = false) => {
        const d = model(async).definition;
        return d === undefined ? [] : [d];
      },
      structural:
        name === 'linear_synapses'
          ? [
              'dense.sync: I_i = Σ_j W_ij·s_j (sync spikes)',
              'dense.async: I_i = Σ_j W_ij·s_ij (async spikes)',
            ]
          : [
              'dense.sync with a vector of ones: I_i = Σ_j contribution_ij (row sum; the language has no reduction)',
            ],
      compat: [],
      notes: [
        '`kernel` (settable property) is the `[units × pre]` kernel buffer; it may be an explicit array or an initializer drawn from the counter-based RNG.',
        ...notes,
      ],
      build: (o) =>
        buildSynapses(model(o.async === true), {
          ...projection(o),
          ...(o.seed !== undefined ? { seed: o.seed } : {}),
        }),
    },
    synapseShape,
    ports,
  );
}

function delays(name: 'n_delays' | 'n2n_delays'): LibraryEntry {
  const perSynapse = name === 'n2n_delays';
  return withPorts(
    {
      name,
      category: 'delays',
      summary: perSynapse
        ? 'One delay per synapse (ring buffer).'
        : 'One delay per presynaptic neuron (ring buffer).',
      definitions: () => [],
      structural: [
        perSynapse
          ? 'delay.per_synapse: out_ij = in_j delayed by d_ij steps'
          : 'delay.per_neuron: out_j = in_j delayed by d_j steps',
        'ring of B = ceil(max_delay/dt) rows (Spark) or B + 1 rows (corrected)',
      ],
      compat: switchesOf(name),
      notes: perSynapse
        ? []
        : [
            'Spark flags the output async without expanding its shape, which breaks every synapse after it (§7.3); here the output is an ordinary spike vector in both modes.',
          ],
      build: (o) => {
        const common = {
          prefix: o.prefix,
          dt: o.dt,
          pre: need(o, 'pre'),
          config: o.config,
          compat: o.compat ?? CORRECTED,
          ...(o.seed !== undefined ? { seed: o.seed } : {}),
        };
        return perSynapse ? buildN2NDelays({ ...common, units: need(o, 'units') }) : buildNDelays(common);
      },
    },
    inOut('[pre]', perSynapse ? '[units × pre] (async)' : '[pre]'),
  );
}

const RULE_DOCS: Record<PlasticityName, string> = {
  hebbian_rule: 'Pair-based Hebbian rule with pre and post traces.',
  oja_rule: "Oja's rule.",
  three_factor_hebbian_rule: 'Reward-modulated Hebbian rule.',
  quadruplet_rule: 'Modulated quadruplet rule (as intended upstream).',
  quadruplet_rule_tensor: 'Modulated quadruplet rule with per-synapse-type parameters (EE, EI, IE, II).',
  zenke_rule: 'Zenke triplet rule with heterosynaptic and transmitter-induced terms.',
};

function rule(name: PlasticityName): LibraryEntry {
  const notes: string[] = [];
  if (name === 'three_factor_hebbian_rule')
    notes.push(
      'Spark builds it only with async pre spikes (§7.4); here it builds with sync and async spikes.',
    );
  if (name === 'quadruplet_rule')
    notes.push('Upstream cannot be built (§7.4): no Spark behaviour exists, so no switch.');
  return ruleEntry(name, RULE_DOCS[name], (c, async) => plasticityModel(name, async, c), notes);
}

/**
 * The library entry of a plasticity rule defined by equations (a custom module): a synapse-domain
 * update with inputs `pre_spikes`, `post_spikes`, `kernel` (and any further factor) and an output
 * `updated_kernel`, built by `buildPlasticity` like the Spark rules.
 */
export function definedRule(def: ModuleDefinition, summary: string, ports: PortSignature): LibraryEntry {
  return ruleEntry(def.name, summary, () => ({ definition: def }), ['User-defined (equations).'], ports);
}

const EXTENT_SHAPES: Readonly<Record<string, string>> = {
  scalar: '[1]',
  pre: '[pre]',
  unit: '[units]',
  synapse: '[units × pre]',
};

function ruleEntry(
  name: string,
  summary: string,
  model: (compat: SparkCompat, async: boolean) => PlasticityModel,
  notes: readonly string[],
  ports?: PortSignature,
): LibraryEntry {
  const update = model(CORRECTED, false).definition;
  const shape: PortShape = (port) => {
    if (port === 'pre_spikes') return '[pre] (sync) or [units × pre] (async)';
    if (port === 'post_spikes') return '[units]';
    if (port === 'kernel') return '[units × pre]';
    // A further factor (`reward`, `modulation`): its extent in the update.
    return EXTENT_SHAPES[update.inputs.find((i) => i.name === port)?.extent ?? 'synapse'] as string;
  };
  return withPorts(
    {
      name,
      category: 'plasticity',
      summary,
      definitions: (c = CORRECTED, async = false) => {
        const m = model(c, async);
        return [...(m.traces ?? []).map((t) => t.definition), m.definition];
      },
      structural: [
        'copy: kernel ← updated_kernel (the Neuron effect; the new kernel is used from the next step)',
      ],
      compat: switchesOf(name),
      notes,
      build: (o) =>
        buildPlasticity(model(o.compat ?? CORRECTED, o.async === true), {
          ...projection(o),
          compat: o.compat ?? CORRECTED,
          ...(o.kernel !== undefined ? { kernel: o.kernel } : {}),
          ...(o.initialKernel !== undefined ? { initialKernel: o.initialKernel } : {}),
          ...(o.inhibitionPre !== undefined ? { inhibitionPre: o.inhibitionPre } : {}),
          ...(o.inhibitionPost !== undefined ? { inhibitionPost: o.inhibitionPost } : {}),
          ...(o.insideNeuron !== undefined ? { insideNeuron: o.insideNeuron } : {}),
        }),
    },
    shape,
    ports,
  );
}

const perElement = inOut('[n]', '[n]');
const placeCells = inOut('[n]', '[n × resolution] (flat d·R + k)');

const PLACE_CELL_LAYOUT =
  'Output layout is element-major (d·R + k) for every input shape; Spark transposes all axes, which is only correct for 1-D inputs (§7.6).';

/** A spiker (signal → spikes): per element, or per element and place cell (topological). */
function spiker(
  name: 'poisson_spiker' | 'linear_spiker' | 'topological_poisson_spiker' | 'topological_linear_spiker',
  summary: string,
  def: () => ModuleDefinition,
  notes: readonly string[],
): LibraryEntry {
  return withPorts(
    {
      name,
      category: 'interface',
      summary,
      definitions: () => [def()],
      structural: [],
      compat: switchesOf(name),
      notes,
      build: (o) =>
        name === 'poisson_spiker' || name === 'linear_spiker'
          ? buildSpiker(name, need(o, 'inputs'), iface(o))
          : buildTopologicalSpiker(name, need(o, 'inputs'), iface(o)),
    },
    name.startsWith('topological') ? placeCells : perElement,
  );
}

function iface(o: BuildOptions) {
  return {
    prefix: o.prefix,
    dt: o.dt,
    config: o.config,
    compat: o.compat ?? CORRECTED,
    ...(o.streamBase !== undefined ? { streamBase: o.streamBase } : {}),
  };
}

const ENTRIES: LibraryEntry[] = [
  soma('leaky_soma', 'Leaky integrate-and-fire.', () => leakySoma),
  soma(
    'refractory_leaky_soma',
    'Leaky integrate-and-fire with a refractory period.',
    refractoryLeakySomaDefinition,
  ),
  soma(
    'strict_refractory_leaky_soma',
    'Refractory LIF with the potential clamped while refractory.',
    strictRefractoryLeakySomaDefinition,
  ),
  soma(
    'adaptive_leaky_soma',
    'Refractory LIF with an adaptive threshold (ALIF).',
    adaptiveLeakySomaDefinition,
  ),
  soma('exponential_soma', 'Exponential integrate-and-fire (forward Euler).', () => exponentialSoma),
  soma(
    'refractory_exponential_soma',
    'Exponential integrate-and-fire with a refractory period.',
    refractoryExponentialSomaDefinition,
  ),
  soma(
    'adaptive_exponential_soma',
    'Adaptive exponential integrate-and-fire (AdEx).',
    () => adaptiveExponentialSoma,
  ),
  soma(
    'simplified_adaptive_exponential_soma',
    'Refractory EIF with an adaptive threshold.',
    simplifiedAdaptiveExponentialSomaDefinition,
  ),
  soma('izhikevich_soma', 'Izhikevich model.', izhikevichSomaDefinition),
  ...SYNAPSE_NAMES.map(synapses),
  delays('n_delays'),
  delays('n2n_delays'),
  ...PLASTICITY_NAMES.map(rule),
  spiker('poisson_spiker', 'Poisson rate code.', () => poissonSpiker, [
    'Draws come from the counter-based RNG (Philox4x32-10); rates match Spark statistically, not bit for bit.',
  ]),
  spiker('linear_spiker', 'Deterministic integrate-and-fire rate code.', () => linearSpiker, []),
  spiker(
    'topological_poisson_spiker',
    'Place-cell population code with Poisson spikes.',
    () => topologicalPoissonSpiker,
    [PLACE_CELL_LAYOUT],
  ),
  spiker(
    'topological_linear_spiker',
    'Place-cell population code with linear spikers.',
    topologicalLinearSpikerDefinition,
    [PLACE_CELL_LAYOUT],
  ),
  withPorts(
    {
      name: 'exponential_integrator',
      category: 'interface',
      summary: 'Spikes → population signals (plain or smooth trace per group).',
      definitions: (c = CORRECTED) => [
        exponentialIntegratorDefinition(false, c),
        exponentialIntegratorDefinition(true, c),
      ],
      structural: ['reduce.group_sum (abs): n_k = Σ_{i∈G_k} |z_i|'],
      compat: switchesOf('exponential_integrator'),
      notes: ['The shuffle permutation is drawn from the counter-based RNG (not JAX’s).'],
      build: (o) =>
        buildExponentialIntegrator(need(o, 'inputs'), {
          ...iface(o),
          ...(o.seed !== undefined ? { seed: o.seed } : {}),
        }),
    },
    inOut('[n]', '[num_outputs]'),
  ),
  withPorts(
    {
      name: 'concat',
      category: 'interface',
      summary: 'Concatenation of the flattened inputs.',
      definitions: () => [],
      structural: ['concat: output = [inputs_0, inputs_1, …]'],
      compat: [],
      notes: [
        'Spark’s `list[...]` input annotation is rejected on Python ≥ 3.11 (§2.6); no Spark behaviour to reproduce.',
      ],
      build: (o) => buildConcat(o.prefix, o.inputSizes ?? []),
    },
    inOut('[n_i]', '[Σ n_i]'),
  ),
  withPorts(
    {
      name: 'concat_reshape',
      category: 'interface',
      summary: 'Concatenation, then reshape (validated at build).',
      definitions: () => [],
      structural: ['concat, then the flat buffer is read with the `reshape` shape'],
      compat: [],
      notes: ['The buffer is flat; `reshape` is checked against the total size.'],
      build: (o) =>
        buildConcat(
          o.prefix,
          o.inputSizes ?? [],
          Array.isArray(o.config.reshape) ? (o.config.reshape as number[]) : undefined,
        ),
    },
    inOut('[n_i]', 'reshape'),
  ),
  withPorts(
    {
      name: 'sampler',
      category: 'interface',
      summary: 'sample_size entries drawn with replacement at build.',
      definitions: () => [],
      structural: ['reduce.group_sum with one member per group: output_k = input[idx_k] (a gather)'],
      compat: [],
      notes: ['Indices come from the counter-based RNG (not JAX’s).'],
      build: (o) =>
        buildSampler(
          o.prefix,
          need(o, 'inputs'),
          Number(o.config.sample_size),
          o.seed ?? (typeof o.config.seed === 'number' ? o.config.seed : 0),
        ),
    },
    inOut('[n]', '[sample_size]'),
  ),
  ...INITIALIZER_NAMES.map(
    (name): LibraryEntry => ({
      name,
      category: 'initializer',
      summary: 'Drawn once from the counter-based RNG (step 0), on a device or on the host.',
      definitions: () => initializerDefinitions(name),
      structural:
        name === 'normalized_sparse_uniform_initializer'
          ? ['dense.sync with a vector of ones: row sums']
          : [],
      inputs: [],
      outputs: [{ name: 'value', payload: 'FloatArray', shape: '[rows × cols]' }],
      compat: [],
      notes: [],
      build: () => {
        throw new Error(`${name}: initializers are drawn with drawInitializer() or initializerFragment()`);
      },
    }),
  ),
  // spark-snn additions (last, so that the conformance cases of the Spark modules keep their inputs)
  unitModule(
    'soma',
    'CUBA LIF: voltage-like exponential synapses `exc`/`inh`, exact integration, refractory clamp (benchmarks.md §1.1).',
    cubaLif,
  ),
  unitModule(
    'soma',
    'COBA LIF: conductances `exc`/`inh` with reversal potentials, exponential Euler (benchmarks.md §1.2).',
    cobaLif,
  ),
  unitModule(
    'soma',
    'Brunel model A LIF: delta synapses, input discarded while refractory, spike on v ≥ θ (benchmarks.md §1.3).',
    brunelLif,
  ),
  unitModule(
    'interface',
    'External Poisson drive: `weight · Poisson(rate · sources · dt)` per unit and step (no inputs).',
    poissonDrive,
    [
      'Draws come from the counter-based RNG (one uniform per unit and step, inverted against the Poisson CDF unrolled to 24 terms).',
    ],
  ),
];

/** Every library entry by Spark registry name. */
export const LIBRARY: Readonly<Record<string, LibraryEntry>> = Object.freeze(
  Object.fromEntries(ENTRIES.map((e) => [e.name, e])),
);

/** The entry of a Spark registry name (throws with the known names otherwise). */
export function sparkModule(name: string): LibraryEntry {
  const e = LIBRARY[name];
  if (e === undefined)
    throw new RangeError(`unknown Spark module "${name}" (known: ${Object.keys(LIBRARY).join(', ')})`);
  return e;
}
