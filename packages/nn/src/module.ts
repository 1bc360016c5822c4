/**
 * Spark modules used on their own, with Spark's API shape:
 *
 * ```ts
 * const soma = new LeakySoma({ potential_tau: 10 });
 * const { spikes } = await soma.call({ current: [100, 250, 400] }); // builds lazily from the shape
 * const { potential } = await soma.read(['potential']);
 * ```
 *
 * A module is a one-module brain whose inputs come from the caller in the same step, so it runs on
 * every backend through the same plan compiler as a whole brain. Config kwargs follow Spark's
 * folding rules (`synapses__kernel__scale`, `_s_units`).
 *
 * @module
 */
import {
  type ConfigBody,
  createBrainConfig,
  defaultRegistry,
  type ModuleSpec,
  moduleSpecs,
  type Registry,
  validateConfigBody,
} from '@spark-snn/config';
import type { Backend, BackendChoice, Tensor } from '@spark-snn/core';
import { Brain, BrainError } from './brain.ts';
import type { LoweringRegistry } from './compile/registry.ts';

/** Options of a standalone module. */
export interface ModuleOptions {
  readonly backend?: BackendChoice | Backend;
  readonly registry?: Registry;
  readonly lowerings?: LoweringRegistry;
  /** Input shapes (otherwise taken from the first call). */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
  /** Seed of the one-module brain (RNG streams of interfaces and initializers). */
  readonly seed?: number;
  readonly dt?: number;
  /** `'spark'` reproduces Spark's documented quirks (default `'corrected'`). */
  readonly behaviour?: 'spark' | 'corrected';
}

/** A Spark module (soma, synapses, delays, plasticity rule, interface or neuron) used on its own. */
export class SparkModule {
  /** Registry name (`leaky_soma`). */
  readonly registryName: string;
  /** The registry entry: schema, ports, docs. */
  readonly spec: ModuleSpec;
  /** The config body (defaults filled). */
  readonly config: ConfigBody;
  private readonly options: ModuleOptions;
  private brain: Brain | undefined;

  constructor(registryName: string, config: Record<string, unknown> = {}, options: ModuleOptions = {}) {
    const registry = options.registry ?? defaultRegistry;
    const spec = registry.get(registryName);
    if (!spec) {
      throw new BrainError(registryName, `there is no module named "${registryName}" in the registry`);
    }
    const { specs, issues } = moduleSpecs('module', registryName, { config }, registry);
    issues.push(...validateConfigBody(registryName, specs.config, { registry }));
    const errors = issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      throw new BrainError(
        'config',
        `invalid config for ${registryName}:\n${errors.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`,
        errors,
      );
    }
    this.registryName = registryName;
    this.spec = spec;
    this.config = specs.config;
    this.options = options;
  }

  /** Input ports (name, payload, optional). */
  get inputs() {
    return this.spec.ports.inputs;
  }

  /** Output ports. */
  get outputs() {
    return this.spec.ports.outputs;
  }

  /** Property ports. */
  get properties() {
    return this.spec.ports.properties;
  }

  /** True once built (after the first call or {@link SparkModule.build}). */
  get built(): boolean {
    return this.brain?.built ?? false;
  }

  /** Builds with explicit input shapes. */
  async build(shapes: Readonly<Record<string, readonly number[]>>): Promise<void> {
    const brain = await this.makeBrain(Object.keys(shapes));
    await brain.build(shapes);
  }

  /**
   * Runs one step with `inputs` (same-step) and returns the module's outputs. The first call builds
   * the module from the inputs' shapes, as Spark does.
   */
  async call(inputs: Readonly<Record<string, ArrayLike<number>>>): Promise<Record<string, Float32Array>> {
    const brain = this.brain ?? (await this.makeBrain(Object.keys(inputs)));
    return brain.step(inputs);
  }

  /** Reads output or property ports of the last step (`potential`, `kernel`, …) or state paths. */
  async read(ports: readonly string[]): Promise<Record<string, Tensor<'float32'>>> {
    if (!this.brain?.built)
      throw new BrainError(this.registryName, 'the module is not built yet: call it first');
    const got = await this.brain.readState(
      ports.map((p) => (p.includes('/') ? `module/${p}` : `module.${p}`)),
    );
    const out: Record<string, Tensor<'float32'>> = {};
    ports.forEach((p) => {
      out[p] = got[p.includes('/') ? `module/${p}` : `module.${p}`]!;
    });
    return out;
  }

  /** Restores the initial state. */
  async reset(): Promise<void> {
    await this.brain?.reset();
  }

  /** Frees device resources. */
  destroy(): void {
    this.brain?.destroy();
    this.brain = undefined;
  }

  private async makeBrain(inputNames: readonly string[]): Promise<Brain> {
    if (this.brain) return this.brain;
    const registry = this.options.registry ?? defaultRegistry;
    const known = this.spec.ports.inputs.map((p) => p.name);
    for (const name of inputNames) {
      if (!known.includes(name))
        throw new BrainError(
          `inputs.${name}`,
          `${this.registryName} has no input "${name}" (inputs: ${known.join(', ')})`,
        );
    }
    const connected = this.spec.ports.inputs.filter((p) => inputNames.includes(p.name) || !p.optional);
    for (const p of connected) {
      if (!inputNames.includes(p.name))
        throw new BrainError(`inputs.${p.name}`, `${this.registryName} needs its "${p.name}" input`);
    }
    const specs = {
      name: 'module',
      module_cls: {
        name: this.registryName,
        subregistry: this.spec.subregistry === 'NEURONS' ? ('NEURONS' as const) : ('MODULES' as const),
      },
      inputs: Object.fromEntries(
        connected.map((p) => [p.name, [{ origin: '__call__', port: p.name, is_property: false }]]),
      ),
      config: this.config,
      outputs: Object.fromEntries(this.spec.ports.outputs.map((p) => [p.name, p.name])),
      effects: {},
    };
    const doc = createBrainConfig([specs], {
      registry,
      ...(this.options.seed !== undefined ? { seed: this.options.seed } : {}),
      ...(this.options.dt !== undefined ? { dt: this.options.dt } : {}),
    });
    this.brain = await Brain.fromConfig(doc, {
      registry,
      skipValidation: true,
      ...(this.options.behaviour ? { behaviour: this.options.behaviour } : {}),
      ...(this.options.backend !== undefined ? { backend: this.options.backend } : {}),
      ...(this.options.lowerings ? { lowerings: this.options.lowerings } : {}),
      ...(this.options.inputShapes ? { inputShapes: this.options.inputShapes } : {}),
    });
    return this.brain;
  }
}

/** A module class bound to one registry name (`new LeakySoma({ potential_tau: 10 })`). */
export type SparkModuleClass = new (config?: Record<string, unknown>, options?: ModuleOptions) => SparkModule;

function moduleClass(registryName: string, className: string): SparkModuleClass {
  const cls = class extends SparkModule {
    constructor(config: Record<string, unknown> = {}, options: ModuleOptions = {}) {
      super(registryName, config, options);
    }
  };
  Object.defineProperty(cls, 'name', { value: className });
  return cls;
}

// Somas
export const LeakySoma = moduleClass('leaky_soma', 'LeakySoma');
export const RefractoryLeakySoma = moduleClass('refractory_leaky_soma', 'RefractoryLeakySoma');
export const StrictRefractoryLeakySoma = moduleClass(
  'strict_refractory_leaky_soma',
  'StrictRefractoryLeakySoma',
);
export const AdaptiveLeakySoma = moduleClass('adaptive_leaky_soma', 'AdaptiveLeakySoma');
export const ExponentialSoma = moduleClass('exponential_soma', 'ExponentialSoma');
export const RefractoryExponentialSoma = moduleClass(
  'refractory_exponential_soma',
  'RefractoryExponentialSoma',
);
export const AdaptiveExponentialSoma = moduleClass('adaptive_exponential_soma', 'AdaptiveExponentialSoma');
export const SimplifiedAdaptiveExponentialSoma = moduleClass(
  'simplified_adaptive_exponential_soma',
  'SimplifiedAdaptiveExponentialSoma',
);
export const IzhikevichSoma = moduleClass('izhikevich_soma', 'IzhikevichSoma');
// Synapses
export const LinearSynapses = moduleClass('linear_synapses', 'LinearSynapses');
export const TracedSynapses = moduleClass('traced_synapses', 'TracedSynapses');
export const RDTracedSynapses = moduleClass('rd_traced_synapses', 'RDTracedSynapses');
export const RFSTracedSynapses = moduleClass('rfs_traced_synapses', 'RFSTracedSynapses');
// Delays
export const NDelays = moduleClass('n_delays', 'NDelays');
export const N2NDelays = moduleClass('n2n_delays', 'N2NDelays');
// Plasticity
export const HebbianRule = moduleClass('hebbian_rule', 'HebbianRule');
export const OjaRule = moduleClass('oja_rule', 'OjaRule');
export const ThreeFactorHebbianRule = moduleClass('three_factor_hebbian_rule', 'ThreeFactorHebbianRule');
export const QuadrupletRule = moduleClass('quadruplet_rule', 'QuadrupletRule');
export const QuadrupletRuleTensor = moduleClass('quadruplet_rule_tensor', 'QuadrupletRuleTensor');
export const ZenkeRule = moduleClass('zenke_rule', 'ZenkeRule');
// Interfaces
export const PoissonSpiker = moduleClass('poisson_spiker', 'PoissonSpiker');
export const LinearSpiker = moduleClass('linear_spiker', 'LinearSpiker');
export const TopologicalPoissonSpiker = moduleClass('topological_poisson_spiker', 'TopologicalPoissonSpiker');
export const TopologicalLinearSpiker = moduleClass('topological_linear_spiker', 'TopologicalLinearSpiker');
export const ExponentialIntegrator = moduleClass('exponential_integrator', 'ExponentialIntegrator');
// Neurons
export const LIFNeuron = moduleClass('lif_neuron', 'LIFNeuron');
export const ALIFNeuron = moduleClass('alif_neuron', 'ALIFNeuron');
export const AdExNeuron = moduleClass('ad_ex_neuron', 'AdExNeuron');
