/**
 * Graph-level checks of a controller: Spark's execution order (cycles must pass through a module
 * with a recurrent contract), one connected component, reachability from the inputs, and the
 * declared `io_specs`.
 *
 * @module
 */
import { isPortMap } from './codec.ts';
import type { ModuleSpec } from './registry.ts';
import type { ConfigBody, PayloadType, PortMap, PortSpecs } from './types.ts';
import { add, type Ctx, isObj, join } from './validate-context.ts';
import { compatible, type Node } from './validate-wiring.ts';

/** Every well-formed PortMap of an inputs/effects record. */
export function sources(r: Record<string, PortMap[]> | undefined): PortMap[] {
  if (!isObj(r)) return [];
  return Object.values(r)
    .flatMap((l) => (Array.isArray(l) ? l : []))
    .filter(isPortMap);
}

/**
 * True when a module's output shapes are known from its own config, before its inputs are: Neuron
 * controllers, and somas that declare their `units` (the spark-snn benchmark somas). Such a module
 * has a recurrent contract and may close a cycle in a Brain.
 */
export function hasRecurrentContract(spec: ModuleSpec): boolean {
  return spec.kind === 'neuron' || (spec.kind === 'soma' && spec.field('units') !== undefined);
}

/**
 * True when a module can drive a brain without caller inputs: a source (no input ports, e.g.
 * `poisson_drive`) or a soma that declares its `units` (it runs from its own state).
 */
export function drivesItself(spec: ModuleSpec): boolean {
  return (
    (spec.kind !== 'initializer' && spec.kind !== 'brain' && spec.ports.inputs.length === 0) ||
    (spec.kind === 'soma' && spec.field('units') !== undefined)
  );
}

/** Spark's execution-order algorithm (§1.4.2): only modules with a recurrent contract (neurons, somas with `units`) may close a cycle. */
export function checkExecutionOrder(nodes: Node[], byName: Map<string, Node>, ctx: Ctx): void {
  const available = new Set(['__call__', '__self__']);
  const remaining = nodes.filter((n) => byName.get(n.m.name) === n && n.ports);
  let maySkip = true;
  while (remaining.length > 0) {
    const group: Node[] = [];
    for (const n of remaining) {
      const req = sources(n.m.inputs);
      let contracts = 0;
      let ok = true;
      for (const pm of req) {
        if (available.has(pm.origin) || !byName.has(pm.origin) || !byName.get(pm.origin)!.ports) continue;
        const origin = byName.get(pm.origin)!.spec;
        if (origin !== undefined && hasRecurrentContract(origin)) {
          contracts++;
          continue;
        }
        ok = false;
        break;
      }
      if (ok && !(maySkip && req.length > 0 && contracts === req.length)) group.push(n);
    }
    if (group.length === 0) {
      if (maySkip) {
        maySkip = false;
        continue;
      }
      const first = remaining[0]!;
      add(
        ctx,
        first.path,
        'cycle',
        `cannot compute an execution order: ${remaining.map((n) => `"${n.m.name}"`).join(', ')} form a cycle that does not pass through a neuron controller`,
        'only neuron controllers (and somas that declare their units) can close a loop (they have a recurrent contract); route the feedback through a neuron',
      );
      return;
    }
    maySkip = true;
    for (const n of group) {
      available.add(n.m.name);
      remaining.splice(remaining.indexOf(n), 1);
    }
  }
}

export function checkConnectivity(
  nodes: Node[],
  byName: Map<string, Node>,
  ctx: Ctx,
  isBrain: boolean,
): void {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const union = (a: string, b: string): void => {
    parent.set(find(a), find(b));
  };
  for (const n of nodes) parent.set(`m:${n.m.name}`, `m:${n.m.name}`);
  const edges: Array<[string, string]> = [];
  for (const n of nodes) {
    for (const maps of [sources(n.m.inputs), sources(n.m.effects)]) {
      for (const pm of maps) {
        if (pm.origin === '__self__') continue;
        const src = pm.origin === '__call__' ? `in:${pm.port}` : `m:${pm.origin}`;
        if (pm.origin !== '__call__' && !byName.has(pm.origin)) continue;
        if (!parent.has(src)) parent.set(src, src);
        union(src, `m:${n.m.name}`);
        edges.push([src, `m:${n.m.name}`]);
      }
    }
    for (const outName of Object.keys(n.m.outputs ?? {})) {
      const o = `out:${outName}`;
      if (!parent.has(o)) parent.set(o, o);
      union(`m:${n.m.name}`, o);
    }
  }
  const roots = new Map<string, Node>();
  const sizes = new Map<string, number>();
  for (const n of nodes) {
    const r = find(`m:${n.m.name}`);
    if (!roots.has(r)) roots.set(r, n);
    sizes.set(r, (sizes.get(r) ?? 0) + 1);
  }
  if (roots.size > 1) {
    // the largest part (first on ties) is "the model"; the others are reported
    let mainRoot = '';
    for (const r of roots.keys()) if (mainRoot === '' || sizes.get(r)! > sizes.get(mainRoot)!) mainRoot = r;
    for (const [r, n] of roots) {
      if (r === mainRoot) continue;
      const members = nodes.filter((x) => find(`m:${x.m.name}`) === r).map((x) => `"${x.m.name}"`);
      add(
        ctx,
        n.path,
        'disconnected',
        `${members.join(', ')} ${members.length > 1 ? 'are' : 'is'} not connected to the rest of the ${isBrain ? 'brain' : 'neuron'}`,
        "a model must form one connected graph (Spark's editor refuses to export it otherwise)",
      );
    }
  }
  // modules that no controller input (nor a module that drives itself) can reach
  const reached = new Set<string>();
  const queue = [
    ...edges.filter(([s]) => s.startsWith('in:')).map(([, d]) => d),
    ...(isBrain
      ? nodes.filter((n) => n.spec !== undefined && drivesItself(n.spec)).map((n) => `m:${n.m.name}`)
      : []),
  ];
  while (queue.length > 0) {
    const x = queue.pop()!;
    if (reached.has(x)) continue;
    reached.add(x);
    for (const [s, d] of edges) if (s === x && !reached.has(d)) queue.push(d);
  }
  for (const n of nodes) {
    if (!n.ports || n.ports.inputs.length === 0) continue;
    if (!reached.has(`m:${n.m.name}`) && byName.get(n.m.name) === n) {
      add(
        ctx,
        n.path,
        'unreachable',
        `"${n.m.name}" cannot receive input: no path leads to it from a controller input or a module that drives itself`,
        undefined,
        'warning',
      );
    }
  }
}

export function checkIoSpecs(
  body: ConfigBody,
  callInputs: Map<string, { payload: PayloadType; path: string }>,
  outputs: Map<string, string>,
  path: string,
  ctx: Ctx,
): void {
  const io = body.io_specs;
  if (!isObj(io)) return;
  const p = join(path, 'io_specs');
  const declIn = (isObj(io.inputs) ? io.inputs : {}) as Record<string, PortSpecs>;
  const declOut = (isObj(io.outputs) ? io.outputs : {}) as Record<string, PortSpecs>;
  for (const [name, info] of callInputs) {
    const d = declIn[name];
    if (!d)
      add(
        ctx,
        join(join(p, 'inputs'), name),
        'missing_input',
        `controller input "${name}" is used but not declared in io_specs`,
      );
    else if (d.payload_type && compatible(d.payload_type, info.payload, ctx) === 'mismatch')
      add(
        ctx,
        join(join(p, 'inputs'), name),
        'payload_mismatch',
        `declared ${d.payload_type} but it feeds a ${info.payload} port`,
      );
  }
  for (const name of Object.keys(declIn)) {
    if (!callInputs.has(name))
      add(
        ctx,
        join(join(p, 'inputs'), name),
        'unreachable',
        `declared input "${name}" is not used by any module`,
        undefined,
        'warning',
      );
  }
  for (const name of Object.keys(declOut)) {
    if (!outputs.has(name))
      add(
        ctx,
        join(join(p, 'outputs'), name),
        'unknown_port',
        `declared output "${name}" is not produced by any module`,
      );
  }
  for (const [name, mod] of outputs) {
    if (!declOut[name])
      add(
        ctx,
        join(join(p, 'outputs'), name),
        'no_output',
        `output "${name}" (from "${mod}") is not declared in io_specs`,
      );
  }
}
