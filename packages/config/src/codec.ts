/**
 * Schema-directed decoding of Spark's `.scfg` JSON dialect into config values, the inverse
 * encoding, and default filling (with Spark's controller re-propagation of `dt` and `units`).
 *
 * Decoding never throws: unrecognised or malformed parts are kept as they are (so they are
 * written back unchanged) and reported as {@link ConfigIssue}s.
 *
 * @module
 */
import { closestName } from '@spark-snn/core';
import { type FieldSpec, fieldDefault, isSparkArray, isTypedConfig } from './fields.ts';
import { PyFloat } from './json.ts';
import type { ModuleSpec, Registry } from './registry.ts';
import {
  type ConfigBody,
  type ConfigIssue,
  type JsonObject,
  type ModuleSpecs,
  PAYLOAD_REGISTRY_NAMES,
  type PayloadType,
  type PortMap,
  type PortSpecs,
  payloadFromRegistryName,
  type SparkArray,
  type Subregistry,
  type TypedConfigValue,
} from './types.ts';

/** Context of a decode pass. */
export interface DecodeContext {
  registry: Registry;
  issues: ConfigIssue[];
  /** Session (`.sge`) mode: missing parts are tolerated silently. */
  partial?: boolean;
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

function issue(
  ctx: DecodeContext,
  path: string,
  message: string,
  code: ConfigIssue['code'] = 'encoding',
  hint?: string,
): void {
  ctx.issues.push({ path, message, severity: 'error', code, ...(hint ? { hint } : {}) });
}

/** Flattens nested lists (or a scalar) into row-major numbers; booleans become 0/1. */
function flatten(data: unknown, out: number[]): boolean {
  if (typeof data === 'number') out.push(data);
  else if (typeof data === 'boolean') out.push(data ? 1 : 0);
  else if (Array.isArray(data)) {
    for (const d of data) if (!flatten(d, out)) return false;
  } else return false;
  return true;
}

/** Decodes `{"__type__": "jax_array" | "numpy_array", dtype, shape, data}`. */
export function decodeArray(
  raw: Record<string, unknown>,
  path: string,
  ctx: DecodeContext,
): SparkArray | unknown {
  const { dtype, shape, data } = raw;
  const dt = isObj(dtype) && dtype.__type__ === 'dtype' ? dtype.name : dtype;
  if (
    typeof dt !== 'string' ||
    !Array.isArray(shape) ||
    !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)
  ) {
    issue(ctx, path, 'malformed array: needs "dtype" (string) and "shape" (list of non-negative integers)');
    return raw;
  }
  const flat: number[] = [];
  if (!flatten(data, flat)) {
    issue(ctx, path, 'malformed array: "data" must be a number or nested lists of numbers');
    return raw;
  }
  return {
    __type__: raw.__type__ as SparkArray['__type__'],
    dtype: dt,
    shape: shape as number[],
    data: flat,
  };
}

/** Decodes a `port_map` object (also accepts a plain `{origin, port, is_property}`). */
export function decodePortMap(raw: unknown, path: string, ctx: DecodeContext): PortMap | undefined {
  const d = isObj(raw) && raw.__type__ === 'port_map' ? raw.__data__ : raw;
  if (!isObj(d) || typeof d.origin !== 'string' || typeof d.port !== 'string') {
    issue(ctx, path, 'malformed port map: needs "origin" and "port" strings', 'encoding');
    return undefined;
  }
  return { origin: d.origin, port: d.port, is_property: d.is_property === true };
}

/** Decodes a `port_specs` object (also accepts the plain form). */
export function decodePortSpecs(raw: unknown, path: string, ctx: DecodeContext): PortSpecs | undefined {
  const d = isObj(raw) && raw.__type__ === 'port_specs' ? raw.__data__ : raw;
  if (!isObj(d)) {
    issue(ctx, path, 'malformed port specs');
    return undefined;
  }
  let payload: PayloadType | null = null;
  const pt = d.payload_type;
  const ptName = isObj(pt) ? pt.__payload_type__ : pt;
  if (typeof ptName === 'string') {
    payload =
      payloadFromRegistryName(ptName) ??
      ((ptName in PAYLOAD_REGISTRY_NAMES ? ptName : null) as PayloadType | null);
    if (payload === null)
      issue(ctx, join(path, 'payload_type'), `unknown payload type "${ptName}"`, 'payload_mismatch');
  }
  const dt = isObj(d.dtype) ? d.dtype.name : d.dtype;
  return {
    payload_type: payload,
    shape: Array.isArray(d.shape) ? (d.shape as number[]) : null,
    dtype: typeof dt === 'string' ? dt : null,
    description: typeof d.description === 'string' ? d.description : null,
  };
}

function decodeMapList(raw: unknown, path: string, ctx: DecodeContext): Record<string, PortMap[]> {
  const out: Record<string, PortMap[]> = {};
  if (raw === undefined || raw === null) return out;
  if (!isObj(raw)) {
    issue(ctx, path, 'expected an object of port lists');
    return out;
  }
  for (const [k, v] of Object.entries(raw)) {
    const list = Array.isArray(v) ? v : [v];
    // malformed entries are reported and kept as they are (sessions must not lose anything)
    out[k] = list.map((pm, i) => decodePortMap(pm, join(join(path, k), i), ctx) ?? (pm as PortMap));
  }
  return out;
}

/**
 * The hint for a module class the registry does not know: a custom neuron (NEURONS sub-registry or
 * a `*_neuron` name) must have its template registered first; anything else gets "did you mean".
 */
export function unknownModuleHint(name: string, subregistry: string, registry: Registry): string {
  if (subregistry === 'NEURONS' || /_neuron$/.test(name))
    return `"${name}" is a custom neuron: register its template (${name}.scfg) first (registerNeuronFromConfigFile)`;
  return suggest(name, registry.names()) ?? 'register custom modules before using them';
}

/** Decodes a `module_specs` object. */
export function decodeModuleSpecs(
  raw: unknown,
  path: string,
  ctx: DecodeContext,
  nested = false,
): ModuleSpecs | undefined {
  const d = isObj(raw) && raw.__type__ === 'module_specs' ? raw.__data__ : raw;
  if (!isObj(d)) {
    issue(ctx, path, 'malformed module specs (expected {"__type__": "module_specs", "__data__": {...}})');
    return undefined;
  }
  const name = typeof d.name === 'string' ? d.name : '';
  if (!name) issue(ctx, join(path, 'name'), 'module specs need a non-empty "name"', 'required');
  const cls = d.module_cls;
  let clsName = '';
  let sub: Subregistry = 'MODULES';
  let explicitSub = true;
  if (isObj(cls)) {
    clsName =
      typeof cls.__module_type__ === 'string'
        ? cls.__module_type__
        : typeof cls.name === 'string'
          ? cls.name
          : '';
    const s = cls.__subregistry__ ?? cls.subregistry;
    // kept as written: validation reports an unknown or mismatched sub-registry
    if (typeof s === 'string') sub = s as Subregistry;
    else explicitSub = false;
  } else if (typeof cls === 'string') {
    clsName = cls;
    explicitSub = false;
  }
  const spec = ctx.registry.get(clsName);
  if (!clsName) issue(ctx, join(path, 'module_cls'), 'module specs need a module class', 'required');
  else if (!spec) {
    ctx.issues.push({
      path: join(path, 'module_cls'),
      message: `there is no module named "${clsName}" in the registry`,
      hint: unknownModuleHint(clsName, sub, ctx.registry),
      severity: 'error',
      code: 'unknown_module',
    });
  } else if (spec.kind === 'neuron' && !explicitSub) sub = 'NEURONS';
  const cfgPath = nested ? path : join(path, 'config');
  const config = isObj(d.config) ? decodeBody(spec, d.config, cfgPath, ctx) : {};
  if (d.config !== undefined && d.config !== null && !isObj(d.config))
    issue(ctx, cfgPath, 'config must be an object');
  const outputs: Record<string, string> = {};
  if (isObj(d.outputs)) {
    for (const [k, v] of Object.entries(d.outputs)) {
      if (typeof v === 'string') outputs[k] = v;
      else issue(ctx, join(join(path, 'outputs'), k), 'an output must name a port (string)');
    }
  }
  return {
    name,
    module_cls: { name: clsName, subregistry: sub },
    inputs: decodeMapList(d.inputs, join(path, 'inputs'), ctx),
    config,
    outputs,
    effects: decodeMapList(d.effects, join(path, 'effects'), ctx),
  };
}

/** Decodes a typed config `{"__type__": "<name>_config", "__cfg__": {...}}` found in a field. */
export function decodeTypedConfig(
  raw: Record<string, unknown>,
  path: string,
  ctx: DecodeContext,
): TypedConfigValue {
  const type = raw.__type__ as string;
  const spec = ctx.registry.getByConfigName(type);
  if (!spec) {
    issue(
      ctx,
      path,
      `unknown config type "${type}"`,
      'unknown_config_type',
      suggest(
        type,
        ctx.registry.list().map((s) => s.configName),
      ),
    );
  }
  const cfg = isObj(raw.__cfg__) ? raw.__cfg__ : isObj(raw) ? omit(raw, '__type__') : {};
  return { __type__: type, ...decodeBody(spec, cfg, path, ctx) };
}

function omit(o: Record<string, unknown>, k: string): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  for (const [kk, v] of Object.entries(o)) if (kk !== k) r[kk] = v;
  return r;
}

/** Decodes one field value according to its descriptor (plain JSON forms are accepted too). */
export function decodeField(f: FieldSpec | undefined, v: unknown, path: string, ctx: DecodeContext): unknown {
  if (v === null || v === undefined) return v;
  if (isObj(v)) {
    const t = v.__type__;
    if (t === 'dtype' && typeof v.name === 'string') return v.name;
    if (t === 'jax_array' || t === 'numpy_array') return decodeArray(v, path, ctx);
    if (typeof t === 'string' && t.endsWith('_config') && (isObj(v.__cfg__) || f?.allowsInit))
      return decodeTypedConfig(v, path, ctx);
    if (f?.kind === 'io_specs') {
      const out: Record<string, Record<string, PortSpecs>> = { inputs: {}, outputs: {} };
      for (const side of ['inputs', 'outputs'] as const) {
        const s = v[side];
        if (!isObj(s)) continue;
        for (const [k, ps] of Object.entries(s)) {
          const d = decodePortSpecs(ps, join(join(path, side), k), ctx);
          if (d) out[side]![k] = d;
        }
      }
      return out;
    }
    return v;
  }
  if (f?.kind === 'modules_specs' && Array.isArray(v)) {
    const list: ModuleSpecs[] = [];
    const nested = path !== 'modules_specs';
    v.forEach((m, i) => {
      const d = decodeModuleSpecs(m, nested ? childPath(path, m, i) : join(path, i), ctx, nested);
      // malformed entries are reported and kept as they are (sessions must not lose anything)
      list.push(d ?? (m as ModuleSpecs));
    });
    return list;
  }
  return v;
}

/**
 * Path of a module inside a neuron config: `<neuron config path>.<spec name>` (the spark-snn
 * path convention), or `...modules_specs[i]` when the spec has no usable name.
 */
export function childPath(modulesSpecsPath: string, raw: unknown, i: number): string {
  const parent = modulesSpecsPath.replace(/\.?modules_specs$/, '');
  const d = isObj(raw) && isObj(raw.__data__) ? raw.__data__ : raw;
  const name =
    isObj(d) && typeof d.name === 'string' && /^[A-Za-z_][\w-]*$/.test(d.name) ? d.name : undefined;
  return name ? join(parent, name) : join(modulesSpecsPath, i);
}

/** Decodes a config body (a `__cfg__` object or a module's `config`). */
export function decodeBody(
  spec: ModuleSpec | undefined,
  raw: Record<string, unknown>,
  path: string,
  ctx: DecodeContext,
): ConfigBody {
  const body: ConfigBody = {};
  for (const [key, v] of Object.entries(raw)) {
    if (key === '__config_delimiter__' || key === '__shared_config_delimiter__') {
      const expected = key === '__config_delimiter__' ? '__' : '_s_';
      if (v !== expected)
        issue(ctx, join(path, key), `must be "${expected}" (got ${JSON.stringify(v)})`, 'invalid_value');
      continue;
    }
    if (key === '__metadata__' || key === '__graph_editor_metadata__') {
      if (isObj(v)) body[key] = v as JsonObject;
      else if (v !== null && v !== undefined)
        issue(ctx, join(path, key), 'must be an object', 'invalid_type');
      continue;
    }
    if (key === '__type__' && spec?.kind === 'initializer') continue;
    const f = spec?.field(key);
    body[key] = decodeField(f, v, join(path, key), ctx);
  }
  return body;
}

// ---------------------------------------------------------------------------------------------
// encoding
// ---------------------------------------------------------------------------------------------

function nest(data: readonly number[], shape: readonly number[], dtype: string): unknown {
  const conv = (x: number): unknown =>
    dtype === 'bool' ? x !== 0 : dtype.startsWith('float') ? new PyFloat(x) : x;
  if (shape.length === 0) return data.length > 0 ? conv(data[0]!) : null;
  let i = 0;
  const build = (dim: number): unknown[] => {
    const n = shape[dim]!;
    const out: unknown[] = [];
    for (let k = 0; k < n; k++) out.push(dim === shape.length - 1 ? conv(data[i++]!) : build(dim + 1));
    return out;
  };
  return build(0);
}

/** Encodes a SparkArray in Spark's `jax_array` / `numpy_array` form. */
export function encodeArray(a: SparkArray): JsonObject {
  return {
    __type__: a.__type__,
    dtype: a.dtype,
    shape: [...a.shape],
    data: nest(a.data, a.shape, a.dtype),
  } as JsonObject;
}

/** True when `v` has the shape of a decoded PortMap. */
export function isPortMap(v: unknown): v is PortMap {
  return (
    isObj(v) &&
    typeof v.origin === 'string' &&
    typeof v.port === 'string' &&
    typeof v.is_property === 'boolean'
  );
}

/** True when `v` has the shape of a decoded ModuleSpecs. */
export function isModuleSpecs(v: unknown): v is ModuleSpecs {
  return (
    isObj(v) &&
    typeof v.name === 'string' &&
    isObj(v.module_cls) &&
    typeof v.module_cls.name === 'string' &&
    isObj(v.inputs) &&
    isObj(v.config) &&
    isObj(v.outputs) &&
    isObj(v.effects)
  );
}

/** Encodes a PortMap (anything else is written back unchanged). */
export function encodePortMap(m: PortMap): JsonObject {
  if (!isPortMap(m)) return m as unknown as JsonObject;
  return { __type__: 'port_map', __data__: { origin: m.origin, port: m.port, is_property: m.is_property } };
}

/** Encodes a PortSpecs. */
export function encodePortSpecs(s: PortSpecs): JsonObject {
  const pt =
    s.payload_type && s.payload_type !== 'AnyPayload' ? PAYLOAD_REGISTRY_NAMES[s.payload_type] : null;
  return {
    __type__: 'port_specs',
    __data__: {
      payload_type: { __payload_type__: pt },
      shape: s.shape,
      dtype: s.dtype === null ? null : { __type__: 'dtype', name: s.dtype },
      description: s.description,
    },
  };
}

function floats(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? new PyFloat(v) : v;
  if (Array.isArray(v)) return v.map(floats);
  return v;
}

/** Encodes one field value (the inverse of {@link decodeField}). */
export function encodeField(f: FieldSpec | undefined, v: unknown, registry: Registry): unknown {
  if (v === null || v === undefined) return v;
  if (isSparkArray(v)) return encodeArray(v);
  if (isTypedConfig(v)) {
    const { __type__, ...rest } = v;
    return { __type__, __cfg__: encodeBody(registry.getByConfigName(__type__), rest, registry) };
  }
  if (!f) return v;
  switch (f.kind) {
    case 'dtype':
      return typeof v === 'string' ? { __type__: 'dtype', name: v } : v;
    case 'float':
    case 'float_tuple':
      if (f.intDefault && typeof v === 'number' && v === f.default) return v;
      return floats(v);
    case 'modules_specs':
      return Array.isArray(v) ? v.map((m) => encodeModuleSpecs(m as ModuleSpecs, registry)) : v;
    default:
      if (f.kind === 'io_specs' && isObj(v)) {
        const out: Record<string, Record<string, JsonObject>> = { inputs: {}, outputs: {} };
        for (const side of ['inputs', 'outputs'] as const) {
          const s = v[side];
          if (isObj(s))
            for (const [k, ps] of Object.entries(s)) out[side]![k] = encodePortSpecs(ps as PortSpecs);
        }
        return out;
      }
      return v;
  }
}

/** Encodes a config body as Spark's `ConfigBody` (reserved keys first, then fields in order). */
export function encodeBody(spec: ModuleSpec | undefined, body: ConfigBody, registry: Registry): JsonObject {
  const out: Record<string, unknown> = {
    __config_delimiter__: '__',
    __shared_config_delimiter__: '_s_',
    __metadata__: body.__metadata__ ?? {},
    __graph_editor_metadata__: body.__graph_editor_metadata__ ?? {},
  };
  for (const [k, v] of Object.entries(body)) {
    if (RESERVED.has(k) || v === undefined) continue;
    out[k] = encodeField(spec?.field(k), v, registry);
  }
  return out as JsonObject;
}

/** Encodes a ModuleSpecs (anything else is written back unchanged). */
export function encodeModuleSpecs(m: ModuleSpecs, registry: Registry): JsonObject {
  if (!isModuleSpecs(m)) return m as unknown as JsonObject;
  const spec = registry.get(m.module_cls.name);
  const maps = (r: Record<string, PortMap[]>) =>
    Object.fromEntries(Object.entries(r).map(([k, l]) => [k, Array.isArray(l) ? l.map(encodePortMap) : l]));
  return {
    __type__: 'module_specs',
    __data__: {
      name: m.name,
      module_cls: { __module_type__: m.module_cls.name, __subregistry__: m.module_cls.subregistry },
      inputs: maps(m.inputs),
      config: encodeBody(spec, m.config, registry),
      outputs: { ...m.outputs },
      effects: maps(m.effects),
    },
  } as JsonObject;
}

// ---------------------------------------------------------------------------------------------
// defaults
// ---------------------------------------------------------------------------------------------

/**
 * Returns a copy of `body` with every missing field set to its default, in Spark's field order
 * (unknown keys kept after the fields). Nested initializer configs and the configs inside
 * `modules_specs` are filled too, then controllers re-apply their `dt` (and neurons their
 * `units`) to every child, as Spark does after validation.
 */
export function fillDefaults(spec: ModuleSpec | undefined, body: ConfigBody, registry: Registry): ConfigBody {
  const out: ConfigBody = {
    __metadata__: body.__metadata__ ?? {},
    __graph_editor_metadata__: body.__graph_editor_metadata__ ?? {},
  };
  if (!spec) {
    for (const [k, v] of Object.entries(body)) if (!(k in out)) out[k] = v;
    return out;
  }
  const overrides = spec.bodyDefaults?.() ?? {};
  const fromTemplate =
    spec.template && !('modules_specs' in overrides) ? { modules_specs: spec.template() } : {};
  for (const f of spec.fields) {
    let v: unknown;
    if (Object.hasOwn(body, f.name)) v = body[f.name];
    else if (f.extension) continue;
    else if (Object.hasOwn(overrides, f.name))
      v = structuredClone(overrides[f.name as keyof typeof overrides]);
    else if (f.name === 'modules_specs' && 'modules_specs' in fromTemplate) v = fromTemplate.modules_specs;
    else v = fieldDefault(f);
    if (v === undefined) continue;
    out[f.name] = fillValue(v, registry);
  }
  for (const [k, v] of Object.entries(body)) if (!(k in out)) out[k] = v;
  if (spec.kind === 'brain' || spec.kind === 'neuron') propagateController(out, spec, registry);
  return out;
}

function fillValue(v: unknown, registry: Registry): unknown {
  if (isTypedConfig(v)) {
    const { __type__, ...rest } = v;
    return { __type__, ...fillDefaults(registry.getByConfigName(__type__), rest, registry) };
  }
  if (Array.isArray(v) && v.some(isModuleSpecs)) {
    return v.map((m) =>
      isModuleSpecs(m)
        ? { ...m, config: fillDefaults(registry.get(m.module_cls.name), m.config, registry) }
        : m,
    );
  }
  return v;
}

function propagateController(body: ConfigBody, spec: ModuleSpec, registry: Registry): void {
  const mods = body.modules_specs;
  if (!Array.isArray(mods)) return;
  const dt = body.dt;
  const units = spec.kind === 'neuron' ? body.units : undefined;
  const setShared = (
    cfg: ConfigBody,
    childSpec: ModuleSpec | undefined,
    key: string,
    value: unknown,
  ): void => {
    if (childSpec?.field(key)) cfg[key] = structuredClone(value);
    if (Array.isArray(cfg.modules_specs)) {
      for (const m of cfg.modules_specs as ModuleSpecs[]) {
        if (isObj(m) && isObj(m.module_cls) && isObj(m.config))
          setShared(m.config, registry.get(m.module_cls.name), key, value);
      }
    }
  };
  for (const m of mods as ModuleSpecs[]) {
    if (!isObj(m) || !isObj(m.config) || !isObj(m.module_cls)) continue;
    const childSpec = registry.get(m.module_cls.name);
    if (typeof dt === 'number') setShared(m.config, childSpec, 'dt', dt);
    if (Array.isArray(units) && units.length > 0) setShared(m.config, childSpec, 'units', units);
  }
}

// ---------------------------------------------------------------------------------------------
// did you mean
// ---------------------------------------------------------------------------------------------

/** "did you mean …?" for `word` among `candidates`, or undefined when nothing is close. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const best = closestName(word, candidates, { ignoreCase: true });
  return best === undefined ? undefined : `did you mean "${best}"?`;
}
