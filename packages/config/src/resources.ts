/**
 * Resource estimate of a brain before anything is allocated: the elements and bytes of the
 * buffers its compiled plan holds, per backend, from the shapes the config implies (neuron and soma
 * `units`, inferred input sizes, delay ring lengths) and the modules' dtypes; checked against a
 * memory budget (by default half of the machine's memory).
 *
 * The estimate is an upper bound by element domain: per unit a module holds at most
 * {@link UNIT_ARRAYS} arrays (state, outputs, cache copies), per synapse at most as many arrays as its
 * kind declares in {@link SYNAPSE_ARRAYS}, a delay line `slots × pre` values. The nn package's tests
 * compare it with compiled plans.
 *
 * @module
 */
import type { ModuleSpec, Registry } from './registry.ts';
import type { ConfigBody, ConfigIssue, ModuleSpecs } from './types.ts';
import { isObj, join } from './validate-context.ts';
import { controllerNodes } from './validate-controller.ts';
import { inferShapes, isShape, size } from './validate-shapes.ts';

/** Backends the estimate has a figure for. */
export type ResourceBackend = 'cpu' | 'webgpu' | 'gpujs';

/** Arrays of `units` elements a unit-domain module holds at most (state, outputs, cache copies). */
export const UNIT_ARRAYS = 8;

/** Arrays of `units × pre` elements per module kind (dense storage), at most. */
export const SYNAPSE_ARRAYS: Readonly<Record<string, number>> = {
  synapses: 4,
  delays: 2,
  plasticity: 6,
};

/**
 * Largest element count of one buffer: backends index buffers with 32-bit signed integers (WGSL
 * `i32`, gpu.js), so no plan buffer may exceed 2^31 − 1 elements.
 */
export const MAX_BUFFER_ELEMENTS = 2 ** 31 - 1;

/** The estimate of one module. */
export interface ModuleResources {
  /** Issue path of the module's size: its `units` (`modules_specs[2].config.units`) or the module. */
  readonly path: string;
  readonly name: string;
  /** Elements of every buffer, all together. */
  readonly elements: number;
  /** Bytes per backend. */
  readonly bytes: Readonly<Record<ResourceBackend, number>>;
  /** Elements of the largest single buffer, and the config path it comes from. */
  readonly largest: { readonly elements: number; readonly path: string; readonly what: string };
  /** Runs in float16 storage (Spark's default dtype). */
  readonly float16: boolean;
}

/** The estimate of a brain. */
export interface ResourceEstimate {
  readonly modules: readonly ModuleResources[];
  /** Bytes per backend, all modules together. */
  readonly bytes: Readonly<Record<ResourceBackend, number>>;
  /** Brain inputs whose shape was unknown (counted as one element: the estimate is a lower bound there). */
  readonly unknownInputs: readonly string[];
}

/** Options of the budget check (also accepted by the validation functions). */
export interface ResourceOptions {
  /**
   * Memory budget for the brain's buffers, in bytes. Default: {@link defaultMemoryBudget} (half of
   * the machine's memory). `Infinity` turns the budget check off (the per-buffer limit stays).
   */
  memoryBudget?: number;
  /** Backend whose figure is checked against the budget. Default: the largest figure. */
  backend?: ResourceBackend;
  /**
   * Shapes of the brain's inputs when known (a run knows them; a file alone declares them only in
   * `io_specs`). Inputs of unknown shape count as one element.
   */
  inputShapes?: Readonly<Record<string, readonly number[]>>;
}

interface Acc {
  elements: number;
  cpu: number;
  gpu: number;
  largest: { elements: number; path: string; what: string };
}

function acc(): Acc {
  return { elements: 0, cpu: 0, gpu: 0, largest: { elements: 0, path: '', what: '' } };
}

/** Adds `count` arrays of `n` elements; `half`: float16 storage (2 bytes on cpu). */
function arrays(a: Acc, count: number, n: number, half: boolean, path: string, what: string): void {
  const e = count * n;
  a.elements += e;
  a.cpu += e * (half ? 2 : 4);
  a.gpu += e * 4; // webgpu without shader-f16 and gpu.js hold every element in 4 bytes
  if (n > a.largest.elements) a.largest = { elements: n, path, what };
}

const isHalf = (c: ConfigBody): boolean => c.dtype === 'float16';

/** `units` of a config, or undefined. */
function unitsOf(c: ConfigBody): number | undefined {
  return isShape(c.units) && c.units.length > 0 ? size(c.units) : undefined;
}

/** Ring slots of a delay module: `ceil(max_delay / dt) + 1`. */
function slotsOf(c: ConfigBody, dt: number): number {
  const max = typeof c.max_delay === 'number' && c.max_delay > 0 ? c.max_delay : 0;
  return Math.ceil(max / dt) + 1;
}

/** Buffers of one module of kind `spec.kind` with `units` outputs and `pre` inputs. */
function moduleArrays(
  a: Acc,
  spec: ModuleSpec,
  c: ConfigBody,
  units: number,
  pre: number,
  dt: number,
  path: string,
  registry: Registry,
): void {
  const half = isHalf(c);
  const kind = spec.kind;
  if (kind === 'neuron') {
    const children = (Array.isArray(c.modules_specs) ? c.modules_specs : []) as ModuleSpecs[];
    for (const m of children) {
      const child = registry.get(m.module_cls?.name);
      if (child && isObj(m.config))
        moduleArrays(a, child, m.config, units, pre, dt, join(path, m.name), registry);
    }
    arrays(a, 2, units, false, path, `${units} units`); // inhibition mask, controller output
    return;
  }
  arrays(a, UNIT_ARRAYS, Math.max(units, 1), half, path, `${units} units`);
  const perSynapse = SYNAPSE_ARRAYS[kind];
  if (perSynapse !== undefined && spec.name !== 'n_delays') {
    const edges = spec.name === 'sparse_synapses' ? sparseEdges(c, units, pre) : units * Math.max(pre, 1);
    arrays(
      a,
      perSynapse,
      edges,
      half,
      join(path, 'units'),
      `${edges} synapses (${units} units × ${pre} inputs)`,
    );
  }
  if (kind === 'delays') {
    const slots = slotsOf(c, dt);
    arrays(
      a,
      1,
      slots * Math.max(pre, 1),
      false,
      join(path, 'max_delay'),
      `a delay ring of ${slots} slots × ${pre} inputs`,
    );
  } else arrays(a, 2, Math.max(pre, 1), half, path, `${pre} inputs`);
}

/** Connections of `sparse_synapses`: the edge list, the fixed in-degree, or the expected Bernoulli count. */
function sparseEdges(c: ConfigBody, units: number, pre: number): number {
  if (Array.isArray(c.sources)) return c.sources.length;
  if (typeof c.in_degree === 'number' && c.in_degree > 0) return units * c.in_degree;
  const p = typeof c.p === 'number' ? c.p : 0.02;
  // mean + 6 standard deviations of the binomial count
  const n = units * pre;
  return Math.ceil(n * p + 6 * Math.sqrt(n * p * (1 - p)) + 1);
}

/** The body with `inputShapes` declared as `io_specs` inputs (for shape inference). */
function withInputShapes(body: ConfigBody, inputShapes: ResourceOptions['inputShapes']): ConfigBody {
  if (!inputShapes) return body;
  const io = isObj(body.io_specs) ? body.io_specs : {};
  const declared = isObj(io.inputs) ? io.inputs : {};
  const inputs: Record<string, unknown> = { ...declared };
  for (const [name, shape] of Object.entries(inputShapes))
    inputs[name] = { payload_type: null, dtype: null, description: null, shape: [...shape] };
  return { ...body, io_specs: { ...io, inputs } };
}

/**
 * Estimates the buffers of a brain config body. Shapes come from the config (and `inputShapes`);
 * a size that cannot be inferred counts as 1.
 */
export function estimateResources(
  body: ConfigBody,
  registry: Registry,
  inputShapes?: ResourceOptions['inputShapes'],
): ResourceEstimate {
  const nodes = controllerNodes(body, '', { registry });
  const byName = new Map(nodes.map((n) => [n.m.name, n]));
  // brain inputs of unknown shape count as one value, so that the sizes downstream of them resolve
  const declared = withInputShapes(body, inputShapes).io_specs as {
    inputs?: Record<string, { shape?: unknown }>;
  };
  const unknownInputs = new Set<string>();
  for (const n of nodes)
    for (const maps of Object.values(isObj(n.m.inputs) ? n.m.inputs : {}))
      for (const pm of Array.isArray(maps) ? maps : [])
        if (pm?.origin === '__call__' && !isShape(declared?.inputs?.[pm.port]?.shape))
          unknownInputs.add(pm.port);
  const known: Record<string, readonly number[]> = { ...(inputShapes ?? {}) };
  for (const name of unknownInputs) known[name] = [1];
  const shapes = inferShapes(withInputShapes(body, known), nodes, byName);
  const dt = typeof body.dt === 'number' && body.dt > 0 ? body.dt : 1;
  const modules: ModuleResources[] = [];
  for (const n of nodes) {
    if (!n.spec) continue;
    const c = n.m.config;
    const ins = shapes.inShapes.get(n);
    let pre = 0;
    for (const s of ins?.values() ?? []) pre += size(s);
    const outs = shapes.outShapes.get(n.m.name);
    let units = unitsOf(c) ?? 0;
    if (units === 0) for (const s of outs?.values() ?? []) units = Math.max(units, size(s));
    if (units === 0) units = pre;
    const a = acc();
    moduleArrays(a, n.spec, c, units, pre, dt, n.cfgPath, registry);
    modules.push({
      path: isShape(c.units) ? join(n.cfgPath, 'units') : n.path,
      name: n.m.name,
      elements: a.elements,
      bytes: { cpu: a.cpu, webgpu: a.gpu, gpujs: a.gpu },
      largest: a.largest,
      float16:
        n.spec.kind === 'neuron'
          ? ((Array.isArray(c.modules_specs) ? c.modules_specs : []) as ModuleSpecs[]).some(
              (m) => isObj(m?.config) && isHalf(m.config),
            )
          : isHalf(c),
    });
  }
  const total = (k: ResourceBackend) => modules.reduce((s, m) => s + m.bytes[k], 0);
  return {
    modules,
    bytes: { cpu: total('cpu'), webgpu: total('webgpu'), gpujs: total('gpujs') },
    unknownInputs: [...unknownInputs],
  };
}

/** Total memory of this machine in bytes and where the figure comes from, or undefined. */
function machineMemory(): { bytes: number; source: string } | undefined {
  const g = globalThis as {
    process?: { getBuiltinModule?: (id: string) => { totalmem?: () => number } | undefined };
    Deno?: { systemMemoryInfo?: () => { total: number } };
    navigator?: { deviceMemory?: number };
  };
  try {
    const os = g.process?.getBuiltinModule?.('node:os');
    if (os?.totalmem) return { bytes: os.totalmem(), source: "this machine's memory" };
    if (g.Deno?.systemMemoryInfo)
      return { bytes: g.Deno.systemMemoryInfo().total, source: "this machine's memory" };
  } catch {
    // permissions (Deno without --allow-sys): fall through
  }
  const gb = g.navigator?.deviceMemory;
  if (typeof gb === 'number' && gb > 0) return { bytes: gb * 2 ** 30, source: "the device's memory" };
  return undefined;
}

/** Fraction of the machine's memory a brain may use by default. */
export const DEFAULT_MEMORY_FRACTION = 0.5;
/** Budget when the machine's memory cannot be read (browsers without `deviceMemory`): 2 GiB. */
export const FALLBACK_MEMORY_BUDGET = 2 * 2 ** 30;

/** The default memory budget: half of the machine's memory (2 GiB where it cannot be read). */
export function defaultMemoryBudget(): { bytes: number; description: string } {
  const m = machineMemory();
  if (!m)
    return { bytes: FALLBACK_MEMORY_BUDGET, description: 'the default budget (machine memory unknown)' };
  return {
    bytes: Math.floor(m.bytes * DEFAULT_MEMORY_FRACTION),
    description: `half of ${m.source}`,
  };
}

/** Bytes in words: `1.5 GiB`. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toPrecision(3)} ${units[i]}`;
}

/**
 * Checks a brain's estimate against the per-buffer limit and the memory budget; appends issues of
 * code `resources` (path: the module that needs the most) to `issues`.
 */
export function checkResources(
  body: ConfigBody,
  registry: Registry,
  options: ResourceOptions,
  issues: ConfigIssue[],
): ResourceEstimate {
  const est = estimateResources(body, registry, options.inputShapes);
  for (const m of est.modules) {
    if (m.largest.elements > MAX_BUFFER_ELEMENTS)
      issues.push({
        path: m.largest.path,
        severity: 'error',
        code: 'resources',
        message: `"${m.name}" needs a buffer of ${m.largest.elements.toExponential(3)} elements (${m.largest.what}); the limit is ${MAX_BUFFER_ELEMENTS} (2^31 − 1, 32-bit indices)`,
        hint: 'use fewer units, fewer inputs or a shorter max_delay',
      });
  }
  const budget =
    options.memoryBudget !== undefined
      ? { bytes: options.memoryBudget, description: 'the memory budget' }
      : defaultMemoryBudget();
  const backend =
    options.backend ??
    (['cpu', 'webgpu', 'gpujs'] as const).reduce((a, b) => (est.bytes[b] > est.bytes[a] ? b : a), 'cpu');
  const need = est.bytes[backend];
  if (need > budget.bytes) {
    const top = [...est.modules].sort((a, b) => b.bytes[backend] - a.bytes[backend])[0];
    issues.push({
      path: top?.path ?? '',
      severity: 'error',
      code: 'resources',
      message: `the brain needs an estimated ${formatBytes(need)} of buffers on ${backend}${top ? ` ("${top.name}": ${formatBytes(top.bytes[backend])})` : ''}, more than ${budget.description} (${formatBytes(budget.bytes)})`,
      hint: 'make the model smaller, or raise the budget (memoryBudget option; spark CLI: --memory-budget)',
    });
  }
  return est;
}
