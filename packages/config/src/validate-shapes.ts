/**
 * Shape inference where shapes are known before any data arrives (controller inputs declared in
 * `io_specs`, neuron and soma `units`, integrator `num_outputs`, …) and the checks that need it.
 * The resource estimate uses the same inference.
 *
 * @module
 */
import { isPortMap } from './codec.ts';
import { isNumberList, isSparkArray, listShape } from './fields.ts';
import type { ConfigBody, PortMap, PortSpecs } from './types.ts';
import { add, type Ctx, isObj, join } from './validate-context.ts';
import type { Node } from './validate-wiring.ts';

/** Per-dimension values of a topological spiker agree with each other. */
export function validateShapes(n: Node, ctx: Ctx): void {
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

/** A shape. */
export type Shape = number[];
/** Number of elements of a shape. */
export const size = (s: Shape) => s.reduce((a, b) => a * b, 1);
const fmt = (s: Shape) => `[${s.join(', ')}]`;

/** True for a list of non-negative integers. */
export function isShape(v: unknown): v is Shape {
  return Array.isArray(v) && v.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0);
}

/** Number of entries of a per-dimension value (scalar → 1). */
function entries(v: unknown): number {
  if (isSparkArray(v)) return v.shape.length === 0 ? 1 : v.data.length;
  if (isNumberList(v)) return listShape(v)?.[0] ?? 1;
  if (Array.isArray(v)) return v.length;
  return 1;
}

/** Inferred shapes of a controller's children. */
export interface InferredShapes {
  /** Module → input port → shape (multi-source inputs: the concatenated length). */
  readonly inShapes: Map<Node, Map<string, Shape>>;
  /** Module name → output port → shape. */
  readonly outShapes: Map<string, Map<string, Shape>>;
}

/**
 * Infers the shapes of a controller's children where they are known before any data arrives:
 * declared controller inputs, neuron and soma `units`, integrator `num_outputs`, … propagated to a
 * fixed point.
 */
export function inferShapes(body: ConfigBody, nodes: Node[], byName: Map<string, Node>): InferredShapes {
  const io = isObj(body.io_specs) ? body.io_specs : {};
  const declIn = (isObj(io.inputs) ? io.inputs : {}) as Record<string, PortSpecs>;
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
  return { inShapes, outShapes };
}

/** The checks that need inferred shapes (reshape sizes, per-dimension values, declared outputs). */
export function checkShapes(
  body: ConfigBody,
  nodes: Node[],
  shapes: InferredShapes,
  path: string,
  ctx: Ctx,
): void {
  const { inShapes, outShapes } = shapes;
  const io = isObj(body.io_specs) ? body.io_specs : {};
  const declOut = (isObj(io.outputs) ? io.outputs : {}) as Record<string, PortSpecs>;
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
