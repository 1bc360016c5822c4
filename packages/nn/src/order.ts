/**
 * Spark's execution-order algorithm for controllers (spark-reference §1.4.2).
 *
 * Modules are grouped: a module joins the current group when every source of its inputs is already
 * available (`__call__`, `__self__` or a module of an earlier group) or is a module with a
 * *recurrent contract* (only Neuron controllers have one, so only neurons can sit on a cycle). A
 * module whose inputs all come through contracts is held back while anything else can make
 * progress. Group membership does not depend on iteration order (availability is only updated
 * between passes); inside a group modules keep their declaration order.
 *
 * Inside a Brain the order only matters for shape inference (every edge has one step of latency);
 * inside a Neuron it is the order in which components run within one step.
 *
 * @module
 */

/** The wiring of one module, as the order algorithm sees it. */
export interface OrderNode {
  readonly name: string;
  /** Origins of every input PortMap (`__call__` / `__self__` / module names). Effects excluded. */
  readonly origins: readonly string[];
}

/** Raised when no execution order exists. */
export class ExecutionOrderError extends Error {
  /** Modules that could not be scheduled. */
  readonly remaining: readonly string[];
  constructor(remaining: readonly string[], message: string) {
    super(message);
    this.name = 'ExecutionOrderError';
    this.remaining = remaining;
  }
}

/**
 * Computes Spark's execution groups.
 *
 * @param nodes - modules in declaration order.
 * @param hasContract - whether a module can be read before it ran (Neuron controllers).
 * @returns groups of module names; every module appears exactly once.
 * @throws {@link ExecutionOrderError} naming the modules on a cycle without a neuron.
 */
export function executionOrder(
  nodes: readonly OrderNode[],
  hasContract: (name: string) => boolean,
): string[][] {
  const known = new Set(nodes.map((n) => n.name));
  const available = new Set<string>(['__call__', '__self__']);
  let remaining = nodes.slice();
  let maySkip = true;
  const groups: string[][] = [];
  while (remaining.length > 0) {
    const group: string[] = [];
    for (const node of remaining) {
      let ok = true;
      let viaContract = 0;
      for (const origin of node.origins) {
        if (available.has(origin)) continue;
        if (known.has(origin) && hasContract(origin)) {
          viaContract += 1;
          continue;
        }
        ok = false;
        break;
      }
      if (ok && !(maySkip && node.origins.length > 0 && viaContract === node.origins.length))
        group.push(node.name);
    }
    if (group.length === 0) {
      if (maySkip) {
        maySkip = false;
        continue;
      }
      const names = remaining.map((n) => n.name);
      const unknown = remaining.flatMap((n) => n.origins.filter((o) => !known.has(o) && !available.has(o)));
      throw new ExecutionOrderError(
        names,
        unknown.length > 0
          ? `cannot compute an execution order: unknown origin(s) ${[...new Set(unknown)].join(', ')}`
          : `cannot compute an execution order: ${names.join(', ')} form a cycle that passes through no neuron controller`,
      );
    }
    maySkip = true;
    groups.push(group);
    for (const name of group) available.add(name);
    const placed = new Set(group);
    remaining = remaining.filter((n) => !placed.has(n.name));
  }
  return groups;
}
