/**
 * Port-level checks of a controller's children: module classes, required and unknown inputs,
 * where every PortMap comes from and whether its payload fits, effects and controller outputs.
 *
 * @module
 */
import { isPortMap, suggest, unknownModuleHint } from './codec.ts';
import { derivePorts, type ModuleSpec, type PortDef, type PortSignature, type Registry } from './registry.ts';
import type { ModuleSpecs, PayloadType, PortMap } from './types.ts';
import { add, type Ctx, checkName, isObj, join } from './validate-context.ts';

/** A child module of the controller being validated. */
export interface Node {
  m: ModuleSpecs;
  index: number;
  path: string;
  cfgPath: string;
  spec: ModuleSpec | undefined;
  ports: PortSignature | undefined;
}

/** Ports of a module as used inside a controller (neurons: derived from their own modules). */
export function portsOf(m: ModuleSpecs, registry: Registry): PortSignature | undefined {
  const spec = registry.get(m.module_cls.name);
  if (!spec) return undefined;
  if (spec.kind === 'neuron' && Array.isArray(m.config.modules_specs)) {
    return derivePorts(m.config.modules_specs as ModuleSpecs[], registry);
  }
  return spec.ports;
}

/** Whether a source payload may feed a destination payload (`any`: only with AnyPayload). */
export function compatible(src: PayloadType, dst: PayloadType, ctx: Ctx): 'ok' | 'any' | 'mismatch' {
  if (src === dst) return 'ok';
  if (src === 'AnyPayload' || dst === 'AnyPayload') return ctx.behaviour === 'spark' ? 'any' : 'ok';
  return 'mismatch';
}

/** What the wiring checks of one controller share. */
export interface Wiring {
  readonly isBrain: boolean;
  readonly byName: Map<string, Node>;
  /** Properties the controller offers its children as `__self__` (neurons: `inhibition_mask`). */
  readonly controllerProps: readonly PortDef[];
  /** Controller inputs (`__call__` ports) found so far: payload and first path. */
  readonly callInputs: Map<string, { payload: PayloadType; path: string }>;
  /** Controller output name → module producing it. */
  readonly outputs: Map<string, string>;
}

/** Checks one PortMap feeding `dst` (undefined when the destination port is unknown). */
function checkSource(pm: PortMap, p: string, dst: PortDef | undefined, w: Wiring, ctx: Ctx): void {
  const { isBrain, byName, controllerProps, callInputs } = w;
  if (pm.origin === '__call__') {
    if (checkName(ctx, join(p, 'port'), pm.port, 'a controller input name')) return;
    if (pm.is_property)
      add(
        ctx,
        join(p, 'is_property'),
        'property_mismatch',
        'controller inputs (__call__) are not properties',
      );
    if (dst) {
      const prev = callInputs.get(pm.port);
      if (!prev) callInputs.set(pm.port, { payload: dst.payload, path: p });
      else if (compatible(prev.payload, dst.payload, ctx) === 'mismatch') {
        add(
          ctx,
          p,
          'payload_mismatch',
          `controller input "${pm.port}" feeds a ${dst.payload} port here but a ${prev.payload} port at ${prev.path}`,
        );
      }
    }
    return;
  }
  if (pm.origin === '__self__') {
    const prop = controllerProps.find((q) => q.name === pm.port);
    if (!prop) {
      add(
        ctx,
        join(p, 'port'),
        'unknown_port',
        `the ${isBrain ? 'brain' : 'neuron'} has no property "${pm.port}"`,
        suggest(
          pm.port,
          controllerProps.map((q) => q.name),
        ),
      );
      return;
    }
    if (!pm.is_property)
      add(
        ctx,
        join(p, 'is_property'),
        'property_mismatch',
        `"__self__.${pm.port}" is a property: set is_property to true`,
      );
    if (dst && compatible(prop.payload, dst.payload, ctx) === 'mismatch')
      add(ctx, p, 'payload_mismatch', `${prop.payload} cannot feed a ${dst.payload} port`);
    return;
  }
  const src = byName.get(pm.origin);
  if (!src) {
    add(
      ctx,
      join(p, 'origin'),
      'unknown_origin',
      `there is no module "${pm.origin}"`,
      suggest(pm.origin, [...byName.keys(), '__call__', '__self__']),
    );
    return;
  }
  if (!src.ports) return; // unknown module, reported elsewhere
  const outs = src.ports.outputs;
  const props = src.ports.properties;
  const def = (pm.is_property ? props : outs).find((q) => q.name === pm.port);
  if (!def) {
    const other = (pm.is_property ? outs : props).find((q) => q.name === pm.port);
    if (other) {
      add(
        ctx,
        join(p, 'is_property'),
        'property_mismatch',
        `"${pm.origin}.${pm.port}" is ${pm.is_property ? 'an output, not a property' : 'a property, not an output'}`,
        `set is_property to ${!pm.is_property}`,
      );
    } else {
      add(
        ctx,
        join(p, 'port'),
        'unknown_port',
        `module "${pm.origin}" has no ${pm.is_property ? 'property' : 'output'} "${pm.port}"`,
        suggest(
          pm.port,
          [...outs, ...props].map((q) => q.name),
        ) ?? `available: ${[...outs, ...props].map((q) => q.name).join(', ') || 'none'}`,
      );
    }
    return;
  }
  if (dst) {
    const c = compatible(def.payload, dst.payload, ctx);
    if (c === 'mismatch') {
      add(
        ctx,
        p,
        'payload_mismatch',
        `${pm.origin}.${pm.port} (${def.payload}) cannot feed ${dst.name} (${dst.payload})`,
      );
    } else if (c === 'any') {
      add(
        ctx,
        p,
        'payload_mismatch',
        `${pm.origin}.${pm.port} (${def.payload}) → ${dst.name} (${dst.payload}): Spark requires identical payload classes inside controllers`,
        'generic control interfaces (concat, sampler) cannot be wired inside a Spark controller; open the file with behaviour "corrected" to allow it',
      );
    }
  }
}

const SUBREGISTRIES = new Set(['MODULES', 'NEURONS']);

/**
 * Checks a child's class: known, allowed as a child, in the right sub-registry. Returns false when
 * the class is unknown or cannot be a child (its config and wiring are then not validated).
 */
export function checkModuleClass(n: Node, ctx: Ctx): boolean {
  const { m } = n;
  const p = join(n.path, 'module_cls');
  if (!n.spec) {
    const name = m.module_cls.name;
    add(
      ctx,
      p,
      'unknown_module',
      `there is no module named "${name}" in the registry`,
      unknownModuleHint(name, m.module_cls.subregistry, ctx.registry),
    );
    return false;
  }
  if (n.spec.kind === 'brain' || n.spec.kind === 'initializer') {
    add(ctx, p, 'invalid_type', `a ${n.spec.kind} cannot be a child module`);
    return false;
  }
  const expectedSub = n.spec.subregistry === 'NEURONS' ? 'NEURONS' : 'MODULES';
  const sub = m.module_cls.subregistry;
  if (!SUBREGISTRIES.has(sub)) {
    add(
      ctx,
      p,
      'invalid_value',
      `unknown sub-registry "${sub}" (Spark's are MODULES and NEURONS; "${m.module_cls.name}" lives in ${expectedSub})`,
    );
  } else if (sub !== expectedSub) {
    add(
      ctx,
      p,
      'invalid_value',
      `"${m.module_cls.name}" lives in the ${expectedSub} sub-registry, not ${sub}`,
      undefined,
      'warning',
    );
  }
  return true;
}

/** Checks a child's inputs, effects and controller outputs. */
export function checkModuleWiring(n: Node, w: Wiring, ctx: Ctx): void {
  const { isBrain, outputs } = w;
  const { m, ports, spec } = n;
  if (!ports || !spec) return;
  const inputs = isObj(m.inputs) ? m.inputs : {};
  for (const def of ports.inputs) {
    if (Object.hasOwn(inputs, def.name) && (inputs[def.name]?.length ?? 0) > 0) continue;
    if (def.optional && ctx.behaviour === 'corrected') continue;
    add(
      ctx,
      join(join(n.path, 'inputs'), def.name),
      'missing_input',
      `input "${def.name}" (${def.payload}) of "${m.name}" is not connected`,
      def.optional ? 'Spark requires optional inputs to be wired inside controllers' : undefined,
    );
  }
  for (const [port, maps] of Object.entries(inputs)) {
    const dst = ports.inputs.find((q) => q.name === port);
    const ip = join(join(n.path, 'inputs'), port);
    if (!dst && !checkName(ctx, ip, port, 'an input name')) {
      add(
        ctx,
        ip,
        'unknown_input',
        `${spec.className} has no input "${port}"`,
        suggest(
          port,
          ports.inputs.map((q) => q.name),
        ) ?? `inputs: ${ports.inputs.map((q) => q.name).join(', ')}`,
      );
    }
    (Array.isArray(maps) ? maps : []).forEach((pm, j) => {
      if (isPortMap(pm)) checkSource(pm, join(ip, j), dst, w, ctx);
    });
  }
  const effects = isObj(m.effects) ? m.effects : {};
  for (const [prop, maps] of Object.entries(effects)) {
    const ep = join(join(n.path, 'effects'), prop);
    const target = ports.properties.find((q) => q.name === prop);
    if (!target?.settable) {
      if (!checkName(ctx, ep, prop, 'a property name'))
        add(
          ctx,
          ep,
          'effect',
          target
            ? `property "${prop}" of "${m.name}" cannot be set`
            : `"${m.name}" has no property "${prop}"`,
          suggest(
            prop,
            ports.properties.filter((q) => q.settable).map((q) => q.name),
          ),
        );
    } else if (isBrain && ctx.behaviour === 'spark') {
      add(
        ctx,
        ep,
        'effect',
        'effects on a Brain crash in Spark (tuple indexing); only Neuron controllers apply them',
        'move the plasticity into a neuron, or open the file with behaviour "corrected"',
      );
    }
    (Array.isArray(maps) ? maps : []).forEach((pm, j) => {
      if (isPortMap(pm)) checkSource(pm, join(ep, j), target?.settable ? target : undefined, w, ctx);
    });
  }
  const outs = isObj(m.outputs) ? m.outputs : {};
  for (const [outName, port] of Object.entries(outs)) {
    const op = join(join(n.path, 'outputs'), outName);
    if (checkName(ctx, op, outName, 'an output name')) continue;
    if (outputs.has(outName))
      add(
        ctx,
        op,
        'duplicate_output',
        `controller output "${outName}" is already produced by "${outputs.get(outName)}"`,
        'output names must be unique across modules',
      );
    else outputs.set(outName, m.name);
    if (ports.outputs.some((q) => q.name === port)) continue;
    if (ports.properties.some((q) => q.name === port)) {
      add(
        ctx,
        op,
        'output_is_property',
        `"${port}" is a property of "${m.name}"; Spark crashes when a controller output maps to a property`,
      );
    } else {
      add(
        ctx,
        op,
        'unknown_port',
        `"${m.name}" has no output "${port}"`,
        suggest(
          port,
          ports.outputs.map((q) => q.name),
        ) ?? `outputs: ${ports.outputs.map((q) => q.name).join(', ')}`,
      );
    }
  }
}
