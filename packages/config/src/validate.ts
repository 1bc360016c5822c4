/**
 * Whole-config validation before anything runs. Collects every problem with a path, a message
 * and (where useful) a hint; warnings (legal but suspicious) are kept apart from errors by their
 * `severity`.
 *
 * @module
 */
import { isModuleSpecs, isPortMap, suggest } from './codec.ts';
import {
  checkFieldValue,
  type FieldSpec,
  isNumberList,
  isSparkArray,
  isTypedConfig,
  listShape,
} from './fields.ts';
import {
  defaultRegistry,
  derivePorts,
  type ModuleSpec,
  type PortDef,
  type PortSignature,
  type Registry,
} from './registry.ts';
import type {
  Behaviour,
  ConfigBody,
  ConfigIssue,
  IssueCode,
  ModuleSpecs,
  PayloadType,
  PortMap,
  PortSpecs,
} from './types.ts';

/** Options of the validation functions. */
export interface ValidateOptions {
  /** Registry to resolve module names (default: {@link defaultRegistry}). */
  registry?: Registry;
  /** `'spark'` (default) applies Spark's controller rules; `'corrected'` relaxes the documented quirks. */
  behaviour?: Behaviour;
}

interface Ctx {
  registry: Registry;
  behaviour: Behaviour;
  issues: ConfigIssue[];
}

const RESERVED = new Set([
  '__config_delimiter__',
  '__shared_config_delimiter__',
  '__metadata__',
  '__graph_editor_metadata__',
]);

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function add(
  ctx: Ctx,
  path: string,
  code: IssueCode,
  message: string,
  hint?: string,
  severity: 'error' | 'warning' = 'error',
): void {
  ctx.issues.push({ path, message, severity, code, ...(hint ? { hint } : {}) });
}

/** Rounds to the nearest float16 value (ties to even). */
function roundF16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const s = Math.sign(x);
  const a = Math.abs(x);
  if (a >= 65520) return s * Number.POSITIVE_INFINITY;
  const e = Math.max(Math.floor(Math.log2(a)), -14);
  const q = 2 ** (e - 10);
  const r = a / q;
  let fl = Math.floor(r);
  const d = r - fl;
  if (d > 0.5 || (d === 0.5 && fl % 2 === 1)) fl++;
  return s * fl * q;
}

/**
 * Validates a config body of registry module `moduleName` (a module config, `brain`, `neuron` or
 * a registered neuron). `path` prefixes every issue path.
 */
export function validateConfigBody(
  moduleName: string,
  body: ConfigBody,
  options: ValidateOptions = {},
  path = '',
): ConfigIssue[] {
  const registry = options.registry ?? defaultRegistry;
  const ctx: Ctx = { registry, behaviour: options.behaviour ?? 'spark', issues: [] };
  const spec = registry.get(moduleName);
  if (!spec) {
    add(
      ctx,
      path,
      'unknown_module',
      `there is no module named "${moduleName}" in the registry`,
      suggest(moduleName, registry.names()),
    );
    return ctx.issues;
  }
  validateBody(spec, body, path, ctx);
  return ctx.issues;
}

function validateBody(spec: ModuleSpec, body: ConfigBody, path: string, ctx: Ctx): void {
  if (!isObj(body)) {
    add(ctx, path, 'invalid_type', 'config must be an object');
    return;
  }
  const names = spec.fields.map((f) => f.name);
  for (const key of Object.keys(body)) {
    if (RESERVED.has(key) || (key === '__type__' && spec.kind === 'initializer')) continue;
    if (!spec.field(key)) {
      add(
        ctx,
        join(path, key),
        'unknown_key',
        `unknown field "${key}" for ${spec.className}Config (Spark would silently ignore it)`,
        suggest(key, names),
      );
    }
  }
  for (const f of spec.fields) {
    const p = join(path, f.name);
    if (!Object.hasOwn(body, f.name) || body[f.name] === undefined) {
      if (f.required)
        add(ctx, p, 'required', `missing required field "${f.name}"`, `expected ${f.sparkType}`);
      continue;
    }
    validateField(spec, f, body[f.name], body, p, ctx);
  }
  if (spec.kind === 'brain' || spec.kind === 'neuron') validateController(spec, body, path, ctx);
}

function validateField(
  spec: ModuleSpec,
  f: FieldSpec,
  v: unknown,
  body: ConfigBody,
  p: string,
  ctx: Ctx,
): void {
  const msg = checkFieldValue(f, v);
  if (msg) {
    add(
      ctx,
      p,
      msg.startsWith('expected') ? 'invalid_type' : 'invalid_value',
      msg,
      msg.startsWith('expected') ? `Spark type: ${f.sparkType}` : undefined,
    );
    return;
  }
  if (isTypedConfig(v)) {
    const inner = ctx.registry.getByConfigName(v.__type__);
    if (!inner) {
      add(
        ctx,
        p,
        'unknown_config_type',
        `unknown config type "${v.__type__}"`,
        suggest(
          v.__type__,
          ctx.registry.list('initializer').map((s) => s.configName),
        ),
      );
      return;
    }
    if (inner.kind !== 'initializer') {
      add(ctx, p, 'invalid_type', `"${f.name}" accepts an initializer config, not ${v.__type__}`);
      return;
    }
    validateBody(inner, v, p, ctx);
    return;
  }
  // float16 time constants that round to a no-op
  if (f.units === 'ms' && /tau/.test(f.name) && (body.dtype ?? 'float16') === 'float16') {
    const dt = typeof body.dt === 'number' ? body.dt : 1;
    const taus =
      typeof v === 'number'
        ? [v]
        : Array.isArray(v) && v.every((x) => typeof x === 'number')
          ? (v as number[])
          : [];
    for (const tau of taus) {
      if (!(tau > 0)) continue;
      const decay = Math.exp(-dt / tau);
      if (roundF16(decay) === 1) {
        add(
          ctx,
          p,
          'float16_noop',
          `in float16 the decay exp(-dt/${f.name}) = exp(-${dt}/${tau}) rounds to 1, so this trace never decays`,
          'use dtype "float32" for this module or a smaller time constant',
          'warning',
        );
        break;
      }
    }
  }
  if (
    spec.kind === 'neuron' &&
    f.name === 'inhibition_mask' &&
    isSparkArray(v) &&
    Array.isArray(body.units)
  ) {
    const units = body.units as number[];
    if (v.shape.join(',') !== units.join(',')) {
      add(
        ctx,
        p,
        'shape_mismatch',
        `inhibition_mask has shape [${v.shape.join(', ')}] but the neuron has units [${units.join(', ')}]`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// controllers
// ---------------------------------------------------------------------------------------------

interface Node {
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

function compatible(src: PayloadType, dst: PayloadType, ctx: Ctx): 'ok' | 'any' | 'mismatch' {
  if (src === dst) return 'ok';
  if (src === 'AnyPayload' || dst === 'AnyPayload') return ctx.behaviour === 'spark' ? 'any' : 'ok';
  return 'mismatch';
}

function validateController(spec: ModuleSpec, body: ConfigBody, path: string, ctx: Ctx): void {
  const list = body.modules_specs;
  if (!Array.isArray(list)) return;
  const isBrain = spec.kind === 'brain';
  const nested = path !== '';
  const nodes: Node[] = [];
  (list as ModuleSpecs[]).forEach((m, index) => {
    if (!isModuleSpecs(m)) return; // malformed entries are reported while decoding
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
  const byName = new Map<string, Node>();
  for (const n of nodes) {
    if (n.m.name === '__call__' || n.m.name === '__self__') {
      add(ctx, join(n.path, 'name'), 'duplicate_name', `"${n.m.name}" is reserved for the controller`);
    } else if (byName.has(n.m.name)) {
      add(
        ctx,
        join(n.path, 'name'),
        'duplicate_name',
        `another module is already named "${n.m.name}"`,
        'module names must be unique in a controller',
      );
    } else byName.set(n.m.name, n);
  }
  const controllerProps: PortDef[] = isBrain ? [] : spec.ports.properties;
  const callInputs = new Map<string, { payload: PayloadType; path: string }>();
  const outputs = new Map<string, string>();

  const checkSource = (pm: PortMap, p: string, dst: PortDef | undefined): void => {
    if (pm.origin === '__call__') {
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
  };

  for (const n of nodes) {
    const { m, ports } = n;
    if (!n.spec) {
      add(
        ctx,
        join(n.path, 'module_cls'),
        'unknown_module',
        `there is no module named "${m.module_cls.name}" in the registry`,
        suggest(m.module_cls.name, ctx.registry.names()) ?? 'register custom neurons before using them',
      );
      continue;
    }
    if (n.spec.kind === 'brain' || n.spec.kind === 'initializer') {
      add(ctx, join(n.path, 'module_cls'), 'invalid_type', `a ${n.spec.kind} cannot be a child module`);
      continue;
    }
    const expectedSub = n.spec.subregistry === 'NEURONS' ? 'NEURONS' : 'MODULES';
    if (m.module_cls.subregistry !== expectedSub) {
      add(
        ctx,
        join(n.path, 'module_cls'),
        'invalid_value',
        `"${m.module_cls.name}" lives in the ${expectedSub} sub-registry, not ${m.module_cls.subregistry}`,
        undefined,
        'warning',
      );
    }
    validateBody(n.spec, m.config, n.cfgPath, ctx);
    if (!ports) continue;
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
      if (!dst) {
        add(
          ctx,
          ip,
          'unknown_input',
          `${n.spec.className} has no input "${port}"`,
          suggest(
            port,
            ports.inputs.map((q) => q.name),
          ) ?? `inputs: ${ports.inputs.map((q) => q.name).join(', ')}`,
        );
      }
      if (
        dst &&
        !dst.list &&
        (maps?.length ?? 0) > 1 &&
        dst.payload !== 'SpikeArray' &&
        dst.payload !== 'FloatArray'
      ) {
        // several sources are concatenated: fine for arrays of any kind in Spark
      }
      (Array.isArray(maps) ? maps : []).forEach((pm, j) => {
        if (isPortMap(pm)) checkSource(pm, join(ip, j), dst);
      });
    }
    const effects = isObj(m.effects) ? m.effects : {};
    for (const [prop, maps] of Object.entries(effects)) {
      const ep = join(join(n.path, 'effects'), prop);
      const target = ports.properties.find((q) => q.name === prop);
      if (!target?.settable) {
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
        if (isPortMap(pm)) checkSource(pm, join(ep, j), target?.settable ? target : undefined);
      });
    }
    const outs = isObj(m.outputs) ? m.outputs : {};
    for (const [outName, port] of Object.entries(outs)) {
      const op = join(join(n.path, 'outputs'), outName);
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
    validateShapes(n, ctx);
  }

  if (nodes.length === 0) {
    add(ctx, join(path, 'modules_specs'), 'required', 'a controller needs at least one module');
    return;
  }
  // A brain may run without caller inputs when one of its modules drives itself: a source module
  // (no input ports, e.g. `poisson_drive`) or a population that declares its `units` (it has a
  // recurrent contract and runs from its own state, e.g. CUBA's tonically firing `cuba_lif`).
  const autonomous = isBrain && nodes.some((n) => n.spec !== undefined && drivesItself(n.spec));
  if (callInputs.size === 0 && !autonomous)
    add(
      ctx,
      join(path, 'modules_specs'),
      'no_input',
      `the ${isBrain ? 'brain' : 'neuron'} has no input (no PortMap with origin "__call__")`,
    );
  if (outputs.size === 0)
    add(
      ctx,
      join(path, 'modules_specs'),
      'no_output',
      `the ${isBrain ? 'brain' : 'neuron'} has no output (no module has an "outputs" entry)`,
    );

  checkExecutionOrder(nodes, byName, ctx);
  checkConnectivity(nodes, byName, ctx, isBrain);
  checkIoSpecs(body, callInputs, outputs, nodes, path, ctx);
  checkShapes(body, nodes, byName, path, ctx);
}

function validateShapes(n: Node, ctx: Ctx): void {
  const c = n.m.config;
  if (n.m.module_cls.name.startsWith('topological_')) {
    const lens: Array<[string, number]> = [];
    for (const k of ['glue', 'mins', 'maxs']) {
      const v = c[k];
      const len = entries(v);
      if (len > 1) lens.push([k, len]);
    }
    const first = lens[0];
    for (const [k, len] of lens) {
      if (first && len !== first[1]) {
        add(
          ctx,
          join(n.cfgPath, k),
          'shape_mismatch',
          `${k} has ${len} entries but ${first[0]} has ${first[1]}`,
          'per-dimension values must have one entry per input dimension',
        );
      }
    }
  }
}

type Shape = number[];
const size = (s: Shape) => s.reduce((a, b) => a * b, 1);
const fmt = (s: Shape) => `[${s.join(', ')}]`;

function isShape(v: unknown): v is Shape {
  return Array.isArray(v) && v.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0);
}

/** Number of entries of a per-dimension value (scalar → 1). */
function entries(v: unknown): number {
  if (isSparkArray(v)) return v.shape.length === 0 ? 1 : v.data.length;
  if (isNumberList(v)) return listShape(v)?.[0] ?? 1;
  if (Array.isArray(v)) return v.length;
  return 1;
}

/**
 * Shape inference where shapes are known (controller inputs declared in `io_specs`, neuron
 * `units`, integrator `num_outputs`, …) and the checks that need it.
 */
function checkShapes(
  body: ConfigBody,
  nodes: Node[],
  byName: Map<string, Node>,
  path: string,
  ctx: Ctx,
): void {
  const io = isObj(body.io_specs) ? body.io_specs : {};
  const declIn = (isObj(io.inputs) ? io.inputs : {}) as Record<string, PortSpecs>;
  const declOut = (isObj(io.outputs) ? io.outputs : {}) as Record<string, PortSpecs>;
  const outShapes = new Map<string, Map<string, Shape>>();
  const inShapes = new Map<Node, Map<string, Shape>>();
  const propShape = (n: Node, port: string): Shape | undefined => {
    const c = n.m.config;
    if (port === 'inhibition_mask' && isShape(c.units)) return c.units;
    return undefined;
  };
  const sourceShape = (pm: PortMap): Shape | undefined => {
    if (pm.origin === '__call__') {
      const d = declIn[pm.port];
      return d && isShape(d.shape) ? d.shape : undefined;
    }
    if (pm.origin === '__self__') return isShape(body.units) ? (body.units as Shape) : undefined;
    const src = byName.get(pm.origin);
    if (!src) return undefined;
    return pm.is_property ? propShape(src, pm.port) : outShapes.get(pm.origin)?.get(pm.port);
  };
  const inferOutputs = (n: Node, ins: Map<string, Shape>): Map<string, Shape> | undefined => {
    const c = n.m.config;
    const name = n.m.module_cls.name;
    const kind = n.spec?.kind;
    const out = new Map<string, Shape>();
    if (kind === 'neuron') {
      if (!isShape(c.units)) return undefined;
      for (const o of n.ports?.outputs ?? []) out.set(o.name, c.units);
      return out;
    }
    if (name === 'exponential_integrator') {
      if (typeof c.num_outputs === 'number') out.set('signal', [c.num_outputs]);
      return out;
    }
    if (name === 'concat_reshape') {
      if (isShape(c.reshape)) out.set('output', c.reshape);
      return out;
    }
    if (name === 'sampler') {
      if (typeof c.sample_size === 'number') out.set('output', [c.sample_size]);
      return out;
    }
    if (name === 'concat') {
      const s = ins.get('inputs');
      if (s) out.set('output', [size(s)]);
      return out;
    }
    if (kind === 'interface') {
      const s = ins.get('signal');
      if (!s) return out;
      out.set(
        'spikes',
        name.startsWith('topological_') && typeof c.resolution === 'number' ? [...s, c.resolution] : s,
      );
      return out;
    }
    if (kind === 'synapses' && isShape(c.units)) out.set('currents', c.units);
    if (kind === 'soma') {
      const s = ins.get('current');
      if (s) out.set('spikes', s);
    }
    if (kind === 'delays') {
      const s = ins.get('in_spikes');
      if (s) out.set('out_spikes', name === 'n2n_delays' && isShape(c.units) ? [...c.units, ...s] : s);
    }
    if (kind === 'plasticity') {
      const s = ins.get('kernel');
      if (s) out.set('kernel', s);
    }
    return out;
  };
  // fixed point: neurons first (their shapes do not depend on inputs), then propagate
  for (let pass = 0; pass <= nodes.length; pass++) {
    let changed = false;
    for (const n of nodes) {
      if (!n.ports || byName.get(n.m.name) !== n) continue;
      const ins = new Map<string, Shape>();
      for (const [port, maps] of Object.entries(isObj(n.m.inputs) ? n.m.inputs : {})) {
        const list = (Array.isArray(maps) ? maps : []).filter(isPortMap);
        const shapes = list.map(sourceShape);
        if (list.length === 0 || shapes.some((x) => x === undefined)) continue;
        ins.set(port, shapes.length === 1 ? shapes[0]! : [shapes.reduce((a, x) => a + size(x!), 0)]);
      }
      inShapes.set(n, ins);
      const outs = inferOutputs(n, ins);
      if (!outs) continue;
      const prev = outShapes.get(n.m.name);
      const same =
        prev &&
        prev.size === outs.size &&
        [...outs].every(([k, v]) => fmt(prev.get(k) ?? []) === fmt(v) && prev.has(k));
      if (!same) {
        outShapes.set(n.m.name, outs);
        changed = true;
      }
    }
    if (!changed) break;
  }
  for (const n of nodes) {
    const c = n.m.config;
    const ins = inShapes.get(n) ?? new Map<string, Shape>();
    const name = n.m.module_cls.name;
    if (name === 'concat_reshape' && isShape(c.reshape)) {
      const s = ins.get('inputs');
      if (s && size(s) !== size(c.reshape)) {
        add(
          ctx,
          join(n.cfgPath, 'reshape'),
          'shape_mismatch',
          `reshape ${fmt(c.reshape)} holds ${size(c.reshape)} elements but the inputs have ${size(s)}`,
        );
      }
    }
    if (name.startsWith('topological_')) {
      const s = ins.get('signal');
      if (s && s.length > 0) {
        const dims = s[s.length - 1]!;
        for (const k of ['glue', 'mins', 'maxs']) {
          const len = entries(c[k]);
          if (len > 1 && len !== dims) {
            add(
              ctx,
              join(n.cfgPath, k),
              'shape_mismatch',
              `${k} has ${len} entries but the input signal ${fmt(s)} has ${dims} per position`,
              'give one entry per input dimension, or a scalar',
            );
          }
        }
      }
    }
    if (name === 'exponential_integrator' && c.output_map !== null && c.output_map !== undefined) {
      const s = ins.get('spikes');
      const len = isSparkArray(c.output_map)
        ? c.output_map.data.length
        : Array.isArray(c.output_map)
          ? entries(c.output_map)
          : 1;
      if (s && len !== size(s)) {
        add(
          ctx,
          join(n.cfgPath, 'output_map'),
          'shape_mismatch',
          `output_map has ${len} entries but the integrator receives ${size(s)} spikes`,
        );
      }
    }
    for (const [outName, port] of Object.entries(isObj(n.m.outputs) ? n.m.outputs : {})) {
      const d = declOut[outName];
      const inferred = outShapes.get(n.m.name)?.get(port);
      if (d && isShape(d.shape) && inferred && fmt(d.shape) !== fmt(inferred)) {
        add(
          ctx,
          join(join(join(path, 'io_specs'), 'outputs'), outName),
          'shape_mismatch',
          `declared shape ${fmt(d.shape)} but "${n.m.name}.${port}" produces ${fmt(inferred)}`,
        );
      }
    }
  }
}

/** Every well-formed PortMap of an inputs/effects record. */
function sources(r: Record<string, PortMap[]> | undefined): PortMap[] {
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
function checkExecutionOrder(nodes: Node[], byName: Map<string, Node>, ctx: Ctx): void {
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

function checkConnectivity(nodes: Node[], byName: Map<string, Node>, ctx: Ctx, isBrain: boolean): void {
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

function checkIoSpecs(
  body: ConfigBody,
  callInputs: Map<string, { payload: PayloadType; path: string }>,
  outputs: Map<string, string>,
  nodes: Node[],
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
  void nodes;
}
