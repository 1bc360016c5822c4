/**
 * Lowerings by registry name. The built-in set covers Spark's modules; custom modules add theirs
 * through {@link LoweringRegistry.register} (the same path the built-ins use).
 *
 * @module
 */
import type { ModuleLowering } from './lowering.ts';

/** A set of lowerings keyed by registry name. */
export interface LoweringRegistry {
  register(lowering: ModuleLowering, options?: { replace?: boolean }): void;
  get(name: string): ModuleLowering | undefined;
  has(name: string): boolean;
  names(): string[];
  /** A copy that can be extended without touching this one. */
  clone(): LoweringRegistry;
}

/** Creates a lowering registry holding `initial`. */
export function createLoweringRegistry(initial: readonly ModuleLowering[] = []): LoweringRegistry {
  const map = new Map<string, ModuleLowering>();
  const registry: LoweringRegistry = {
    register(lowering, options = {}) {
      if (map.has(lowering.name) && !options.replace) {
        throw new Error(
          `a lowering for "${lowering.name}" is already registered (pass { replace: true } to override)`,
        );
      }
      map.set(lowering.name, lowering);
    },
    get: (name) => map.get(name),
    has: (name) => map.has(name),
    names: () => [...map.keys()],
    clone: () => createLoweringRegistry([...map.values()]),
  };
  for (const l of initial) registry.register(l);
  return registry;
}
