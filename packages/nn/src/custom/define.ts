/**
 * Registering a custom module: its config registry entry, its lowering, and its hardware meaning.
 *
 * @module
 */
import { defaultRegistry, type ModuleSpec, type Registry } from '@spark-snn/config';
import type { ModuleDefinition } from '@spark-snn/kernels/lang';
import type { ModuleLowering } from '../compile/lowering.ts';
import type { LoweringRegistry } from '../compile/registry.ts';
import { customLowering } from './lowering.ts';
import { fieldsOf, portsOf } from './schema.ts';
import {
  CustomModuleError,
  type CustomModuleKind,
  type CustomModuleSpec,
  type GraphMapping,
  pascal,
  type StoredModule,
} from './spec.ts';
import { validateDefinition } from './validate.ts';

const GRAPH_MAPPINGS = new WeakMap<Registry, Map<string, GraphMapping>>();

/** The hardware mapping declared for a custom module registered in `registry`, if any. */
export function graphMappingOf(registry: Registry, name: string): GraphMapping | undefined {
  return GRAPH_MAPPINGS.get(registry)?.get(name);
}

/** A registered custom module. */
export interface DefinedModule {
  readonly name: string;
  readonly kind: CustomModuleKind;
  /** The validated definition (plain data). */
  readonly definition: ModuleDefinition;
  /** The config registry entry (schema, ports, docs). */
  readonly spec: ModuleSpec;
  readonly lowering: ModuleLowering;
  /** The JSON stored in model files. */
  toJSON(): StoredModule;
}

/** Options of {@link defineModule}. */
export interface DefineModuleOptions {
  /** Config registry to register in (default: the default registry, so the editor's palette sees it). */
  readonly registry?: Registry;
  /** Lowerings to register in (default: a fresh copy of the built-ins is NOT used; pass the brain's). */
  readonly lowerings?: LoweringRegistry;
  /** Replace an existing custom module of the same name. */
  readonly replace?: boolean;
}

/** Registers a custom module in the config registry and the lowering registry. */
export function defineModule(spec: CustomModuleSpec, options: DefineModuleOptions = {}): DefinedModule {
  const def = validateDefinition(spec);
  const registry = options.registry ?? defaultRegistry;
  const existing = registry.get(spec.name);
  if (existing && !options.replace) {
    throw new CustomModuleError(
      spec.name,
      `a module named "${spec.name}" is already registered (pass { replace: true } to redefine a custom module)`,
    );
  }
  const className = spec.className ?? pascal(spec.name);
  const docs = spec.docs ?? def.doc ?? `Custom ${spec.kind} defined by equations.`;
  const registered = registry.register(
    {
      name: spec.name,
      className,
      kind: spec.kind === 'generic' ? 'interface' : spec.kind,
      fields: fieldsOf(spec.kind, def),
      ports: portsOf(spec.kind, def),
      docs,
      path: `Custom/${spec.kind === 'generic' ? 'Modules' : pascal(spec.kind)}`,
    },
    { replace: options.replace ?? false },
  );
  const lowering = customLowering(spec.kind, def);
  options.lowerings?.register(lowering, { replace: options.replace ?? false });
  if (spec.asGraph !== undefined) {
    const m = spec.asGraph;
    if (spec.kind !== 'soma' || m.model !== 'leaky') {
      throw new CustomModuleError(
        `${spec.name}.asGraph`,
        'only somas can declare a hardware meaning, as model "leaky"',
      );
    }
    for (const role of ['tau', 'threshold', 'rest', 'reset', 'resistance'] as const) {
      const p = m[role];
      if (p !== undefined && !def.params.some((x) => x.name === p)) {
        throw new CustomModuleError(
          `${spec.name}.asGraph.${role}`,
          `"${p}" is not a parameter of ${spec.name}`,
        );
      }
    }
    let map = GRAPH_MAPPINGS.get(registry);
    if (!map) {
      map = new Map();
      GRAPH_MAPPINGS.set(registry, map);
    }
    map.set(spec.name, m);
  }
  const stored: StoredModule = {
    name: spec.name,
    className,
    kind: spec.kind,
    docs,
    definition: def,
    ...(spec.asGraph ? { asGraph: spec.asGraph } : {}),
  };
  return {
    name: spec.name,
    kind: spec.kind,
    definition: def,
    spec: registered,
    lowering,
    toJSON: () => stored,
  };
}
