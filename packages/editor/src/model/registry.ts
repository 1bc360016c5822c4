/**
 * What the editor needs to know about module classes: their ports (with payload types), their
 * palette place, their config fields and default config.
 *
 * The editor keeps no table of its own: every descriptor is made from `@spark-snn/config`'s
 * registry (`createConfigRegistry` in the config bridge), so palette, inspector, defaults, ports
 * and neuron templates are the config package's. Custom neurons a document carries are described
 * from their template with config's port derivation.
 *
 * @module
 */
import {
  type DecodeContext,
  decodeModuleSpecs,
  derivePorts,
  type FieldSpec,
  type ModuleSpecs,
  NEURON_FIELDS,
  PAYLOAD_REGISTRY_NAMES,
  type PortDef,
  type Registry,
} from '@spark-snn/config';
import type { JsonObject, PayloadType, Subregistry } from './types.ts';
import { cloneJson, randomSeed } from './types.ts';

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
  /** Config fields (config's descriptors: type, default, unit, validators, editor hints), in Spark's order. */
  fields: readonly FieldSpec[];
  /** A fresh default config body in Spark's wire form. */
  defaults(): JsonObject;
  /**
   * The module can drive a brain without source nodes (a source module without inputs, or a soma
   * that declares its units and runs from its own state, e.g. the benchmark networks).
   */
  drivesItself?: boolean;
}

/** An initializer (`uniform_initializer`, …): its fields and a fresh default value in wire form. */
export interface InitializerDescriptor {
  name: string;
  label: string;
  fields: readonly FieldSpec[];
  /** `{"__type__": "<name>_config", "__cfg__": {...}}` with the defaults. */
  defaults(): JsonObject;
}

/** The modules (palette) and initializers the editor offers, and the config registry they come from. */
export interface EditorRegistry {
  readonly modules: ReadonlyMap<string, ModuleDescriptor>;
  get(name: string): ModuleDescriptor | undefined;
  /** Initializers by registry name, in config's order. */
  readonly initializers: ReadonlyMap<string, InitializerDescriptor>;
  /** The config registry the descriptors were made from (port derivation of custom neurons). */
  readonly config: Registry;
}

/** Builds an editor registry from descriptors. */
export function createRegistry(
  config: Registry,
  modules: Iterable<ModuleDescriptor>,
  initializers: Iterable<InitializerDescriptor> = [],
): EditorRegistry {
  const byName = new Map<string, ModuleDescriptor>();
  for (const d of modules) byName.set(d.name, d);
  const inits = new Map<string, InitializerDescriptor>();
  for (const d of initializers) inits.set(d.name, d);
  return { modules: byName, get: (name) => byName.get(name), initializers: inits, config };
}

/** `leaky_soma` → `Leaky soma`. */
export function labelOf(name: string): string {
  const s = name.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Config's payload class name → the editor's payload registry name. */
export function payloadName(p: PortDef['payload']): PayloadType {
  const names = PAYLOAD_REGISTRY_NAMES as Readonly<Record<string, string>>;
  const n = names[p];
  return n === undefined ? 'any' : (n as PayloadType);
}

/** An editor port from a config port. */
export function portOf(p: PortDef): PortSignature {
  const out: PortSignature = { name: p.name, payload: payloadName(p.payload) };
  if (p.optional) out.optional = true;
  return out;
}

/** An editor property port from a config property. */
export function propertyOf(p: PortDef): PropertySignature {
  return { name: p.name, payload: payloadName(p.payload), settable: p.settable === true };
}

/**
 * Ports of a Neuron controller described by its config body (wire form), derived by config
 * (`derivePorts`): controller inputs are the distinct `__call__` ports, outputs the `outputs` maps,
 * plus the `inhibition_mask` property (spark-reference §1.4.2, §1.5.1). Undefined when the body has
 * no `modules_specs` list.
 */
export function neuronPortsFromConfig(
  config: JsonObject,
  registry: EditorRegistry,
): Pick<ModuleDescriptor, 'inputs' | 'outputs' | 'properties'> | undefined {
  const specs = config.modules_specs;
  if (!Array.isArray(specs)) return undefined;
  const ctx: DecodeContext = { registry: registry.config, issues: [], partial: true };
  const decoded = specs
    .map((s, i) => decodeModuleSpecs(s, `modules_specs[${i}]`, ctx))
    .filter((m): m is ModuleSpecs => m !== undefined);
  const sig = derivePorts(decoded, registry.config);
  return {
    inputs: sig.inputs.map(portOf),
    outputs: sig.outputs.map(portOf),
    properties: sig.properties.map(propertyOf),
  };
}

/** A descriptor for a custom neuron whose template is `config` (e.g. `alif_mod_neuron`). */
export function customNeuronDescriptor(
  name: string,
  config: JsonObject,
  registry: EditorRegistry,
): ModuleDescriptor {
  const ports = neuronPortsFromConfig(config, registry) ?? { inputs: [], outputs: [], properties: [] };
  return {
    name,
    label: labelOf(name.replace(/_neuron$/, '')),
    subregistry: 'NEURONS',
    path: ['Neurons'],
    ...ports,
    fields: NEURON_FIELDS,
    defaults: () => ({ ...cloneJson(config), seed: randomSeed() }),
  };
}
