/**
 * Spark's float16 mode (`dtype: float16`, Spark's default) as float16 *storage*: after a brain is
 * compiled in float32, the state of every float16 module is stored as `float16` — the backends round
 * each stored value to the nearest float16 (ties to even) and compute in float32 (native `shader-f16`
 * on webgpu where the adapter has it, exact emulation elsewhere, the cpu rounding as the emulation).
 *
 * Which buffers: those a float16 module's equation ops (`module` ops) write as state or output and
 * that only equation ops and copies between such buffers touch. A buffer that a structural op also
 * uses (dense propagation, delay rings, concatenation, the Brain's cache, spike reductions) keeps
 * float32 storage — structural ops take float32 — with its initial values rounded to float16: spikes
 * (exact in float16), the per-synapse current trace that dense propagation sums, counts. Parameters
 * of a float16 module's equations are rounded to float16 on load, as Spark's `Constant(…, dtype)`
 * does; constants derived from them (decays `exp(−dt/τ)`) are computed in float32.
 *
 * @module
 */
import type { ConfigBody, ModuleSpecs } from '@spark-snn/config';
import {
  type Plan,
  type PlanBuffer,
  type PlanOp,
  roundToFloat16,
  toFloat16Array,
  toFloat16Bits,
} from '@spark-snn/core';
import type { ModuleOpAttrs } from '@spark-snn/kernels';
import type { ModuleDefinition, ParamValue } from '@spark-snn/kernels/lang';

/** Module paths (`spiker`, `A_excitatory/soma`) whose config says `dtype: float16`. */
export function float16Modules(modules: readonly ModuleSpecs[], prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const m of modules) {
    const c = (m.config ?? {}) as ConfigBody;
    const path = `${prefix}${m.name}`;
    if (Array.isArray(c.modules_specs)) {
      for (const p of float16Modules(c.modules_specs as ModuleSpecs[], `${path}/`)) out.add(p);
    } else if (c.dtype === 'float16') out.add(path);
  }
  return out;
}

/** The module of an op: the longest module path that is the op name or prefixes it (`path.` / `path/`). */
function ownerOf(op: string, modules: ReadonlySet<string>): string | undefined {
  let best: string | undefined;
  for (const m of modules) {
    if (op === m || op.startsWith(`${m}.`) || op.startsWith(`${m}/`))
      if (best === undefined || m.length > best.length) best = m;
  }
  return best;
}

/** A parameter value (a number or per-element values) rounded to float16. */
const roundParam = (v: ParamValue): ParamValue =>
  typeof v === 'number' ? roundToFloat16(v) : Float64Array.from(v, roundToFloat16);

/** Every module path of a controller's children (neurons and their components). */
export function modulePaths(modules: readonly ModuleSpecs[], prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const m of modules) {
    const path = `${prefix}${m.name}`;
    out.add(path);
    const c = (m.config ?? {}) as ConfigBody;
    if (Array.isArray(c.modules_specs))
      for (const p of modulePaths(c.modules_specs as ModuleSpecs[], `${path}/`)) out.add(p);
  }
  return out;
}

/**
 * Definitions with some ports in float16 storage, cached by the original definition and the ports,
 * so ops of one module kind keep sharing one definition object (the kernels compile each once).
 */
const variants = new WeakMap<ModuleDefinition, Map<string, ModuleDefinition>>();

function withHalfPorts(d: ModuleDefinition, half: ReadonlySet<string>): ModuleDefinition {
  const key = [...half].sort().join(',');
  let byKey = variants.get(d);
  if (!byKey) {
    byKey = new Map();
    variants.set(d, byKey);
  }
  let v = byKey.get(key);
  if (!v) {
    const to16 = <T extends { readonly name: string }>(xs: readonly T[]): T[] =>
      xs.map((x) => (half.has(x.name) ? { ...x, storage: 'float16' } : x));
    v = { ...d, state: to16(d.state), inputs: to16(d.inputs), outputs: to16(d.outputs) };
    byKey.set(key, v);
  }
  return v;
}

/**
 * The plan with float16 storage for the state of the modules in `half` (paths from
 * {@link float16Modules}); `all`: every module path of the brain (to tell which module an op
 * belongs to). Returns the plan unchanged when no module runs in float16.
 */
export function applyFloat16(plan: Plan, half: ReadonlySet<string>, all: ReadonlySet<string>): Plan {
  if (half.size === 0) return plan;
  const isHalfOp = (op: PlanOp) => {
    const owner = ownerOf(op.name, all);
    return owner !== undefined && half.has(owner);
  };
  const written = (op: PlanOp): string[] => {
    const d = (op.attrs as unknown as ModuleOpAttrs).definition;
    return [...d.state, ...d.outputs].map((p) => op.bindings[p.name]).filter((b): b is string => !!b);
  };
  const candidates = new Set<string>();
  const blocked = new Set<string>();
  for (const op of plan.ops) {
    if (op.op !== 'module') continue;
    for (const b of written(op)) (isHalfOp(op) ? candidates : blocked).add(b);
  }
  const dtypes = new Map(plan.buffers.map((b) => [b.name, b.dtype]));
  const half16 = new Set([...candidates].filter((b) => !blocked.has(b) && dtypes.get(b) === 'float32'));
  // structural ops take float32; a copy may join two float16 buffers
  for (let changed = true; changed; ) {
    changed = false;
    for (const op of plan.ops) {
      if (op.op === 'module') continue;
      const bound = Object.values(op.bindings);
      const keep = op.op === 'copy' && bound.every((b) => half16.has(b));
      if (keep) continue;
      for (const b of bound) if (half16.delete(b)) changed = true;
    }
  }
  const halfOwned = new Set(candidates);
  const buffers = plan.buffers.map((b): PlanBuffer => {
    const init = b.init;
    if (half16.has(b.name))
      return {
        ...b,
        dtype: 'float16',
        ...(init === undefined
          ? {}
          : { init: typeof init === 'number' ? toFloat16Bits(init) : toFloat16Array(init as Float32Array) }),
      };
    // float32 storage written by a float16 module: its initial values are float16 values too
    if (halfOwned.has(b.name) && b.dtype === 'float32' && init !== undefined)
      return {
        ...b,
        init: typeof init === 'number' ? roundToFloat16(init) : (init as Float32Array).map(roundToFloat16),
      };
    return b;
  });
  const ops = plan.ops.map((op): PlanOp => {
    if (op.op !== 'module') return op;
    const a = op.attrs as unknown as ModuleOpAttrs;
    const d = a.definition;
    const ports = new Set(
      [...d.state, ...d.inputs, ...d.outputs]
        .map((x) => x.name)
        .filter((name) => {
          const b = op.bindings[name];
          return b !== undefined && half16.has(b);
        }),
    );
    const halfOp = isHalfOp(op);
    if (ports.size === 0 && !halfOp) return op;
    const definition = ports.size > 0 ? withHalfPorts(d, ports) : d;
    const params =
      halfOp && a.params
        ? Object.fromEntries(Object.entries(a.params).map(([k, v]) => [k, roundParam(v)]))
        : a.params;
    return {
      ...op,
      attrs: { ...op.attrs, definition, ...(params ? { params } : {}) } as unknown as Record<string, unknown>,
    };
  });
  return { ...plan, buffers, ops };
}
