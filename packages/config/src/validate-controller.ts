/**
 * Validation of a controller (Brain or Neuron): its children (names, classes, configs, wiring),
 * whether it has inputs and outputs, then the graph-level and shape checks.
 *
 * @module
 */
import { isModuleSpecs } from './codec.ts';
import type { ModuleSpec } from './registry.ts';
import type { ConfigBody, ModuleSpecs } from './types.ts';
import { add, type Ctx, checkName, join } from './validate-context.ts';
import { checkConnectivity, checkExecutionOrder, checkIoSpecs, drivesItself } from './validate-graph.ts';
import { checkShapes, inferShapes, validateShapes } from './validate-shapes.ts';
import { checkModuleClass, checkModuleWiring, type Node, portsOf, type Wiring } from './validate-wiring.ts';

/** Validates one child config body (the caller's field validation, which recurses here). */
export type BodyCheck = (spec: ModuleSpec, body: ConfigBody, path: string) => void;

/** The children of a controller as validation nodes (malformed entries are reported while decoding). */
export function controllerNodes(body: ConfigBody, path: string, ctx: Pick<Ctx, 'registry'>): Node[] {
  const list = body.modules_specs;
  if (!Array.isArray(list)) return [];
  const nested = path !== '';
  const nodes: Node[] = [];
  (list as ModuleSpecs[]).forEach((m, index) => {
    if (!isModuleSpecs(m)) return;
    const p =
      nested && /^[A-Za-z_][\w-]*$/.test(m.name)
        ? join(path, m.name)
        : join(join(path, 'modules_specs'), index);
    nodes.push({
      m,
      index,
      path: p,
      cfgPath: nested ? p : join(p, 'config'),
      spec: ctx.registry.get(m.module_cls.name),
      ports: portsOf(m, ctx.registry),
    });
  });
  return nodes;
}

/** Unique, usable module names: the map of name → node. */
function checkNames(nodes: readonly Node[], ctx: Ctx): Map<string, Node> {
  const byName = new Map<string, Node>();
  for (const n of nodes) {
    const p = join(n.path, 'name');
    if (n.m.name === '__call__' || n.m.name === '__self__') {
      add(ctx, p, 'duplicate_name', `"${n.m.name}" is reserved for the controller`);
    } else if (checkName(ctx, p, n.m.name, 'a module name')) {
      // reported
    } else if (byName.has(n.m.name)) {
      add(
        ctx,
        p,
        'duplicate_name',
        `another module is already named "${n.m.name}"`,
        'module names must be unique in a controller',
      );
    } else byName.set(n.m.name, n);
  }
  return byName;
}

/** Validates a controller's children and wiring (`checkBody` validates each child's config). */
export function validateController(
  spec: ModuleSpec,
  body: ConfigBody,
  path: string,
  ctx: Ctx,
  checkBody: BodyCheck,
): void {
  if (!Array.isArray(body.modules_specs)) return;
  const isBrain = spec.kind === 'brain';
  const nodes = controllerNodes(body, path, ctx);
  const w: Wiring = {
    isBrain,
    byName: checkNames(nodes, ctx),
    controllerProps: isBrain ? [] : spec.ports.properties,
    callInputs: new Map(),
    outputs: new Map(),
  };
  for (const n of nodes) {
    if (!checkModuleClass(n, ctx)) continue;
    checkBody(n.spec!, n.m.config, n.cfgPath);
    checkModuleWiring(n, w, ctx);
    validateShapes(n, ctx);
  }
  if (nodes.length === 0) {
    add(ctx, join(path, 'modules_specs'), 'required', 'a controller needs at least one module');
    return;
  }
  const what = isBrain ? 'brain' : 'neuron';
  // A brain may run without caller inputs when one of its modules drives itself: a source module
  // (no input ports, e.g. `poisson_drive`) or a population that declares its `units` (it has a
  // recurrent contract and runs from its own state, e.g. CUBA's tonically firing `cuba_lif`).
  const autonomous = isBrain && nodes.some((n) => n.spec !== undefined && drivesItself(n.spec));
  if (w.callInputs.size === 0 && !autonomous)
    add(
      ctx,
      join(path, 'modules_specs'),
      'no_input',
      `the ${what} has no input (no PortMap with origin "__call__")`,
    );
  if (w.outputs.size === 0)
    add(
      ctx,
      join(path, 'modules_specs'),
      'no_output',
      `the ${what} has no output (no module has an "outputs" entry)`,
    );
  checkExecutionOrder(nodes, w.byName, ctx);
  checkConnectivity(nodes, w.byName, ctx, isBrain);
  checkIoSpecs(body, w.callInputs, w.outputs, path, ctx);
  checkShapes(body, nodes, inferShapes(body, nodes, w.byName), path, ctx);
}
