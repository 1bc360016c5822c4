/**
 * A small reference simulator for NIR graphs (float64, one sample), used by tests to check
 * imported files against recorded traces. Discretisation is explicit, because NIR leaves it open:
 *
 * - `euler` (default): `v ← v + dt/τ·(v_leak − v + r·x)`; CubaLI/CubaLIF update the current first,
 *   `I ← I + dt/τ_syn·(−I + w_in·x)`, then the voltage with the new current.
 * - `exact`: exponential decay `e^{−dt/τ}` with input gain `1 − e^{−dt/τ}` (zero-order hold).
 * - `exact-decay`: exponential decay with the Euler input gain `dt/τ` (Rockpool/Sinabs).
 *
 * Spiking nodes emit 1 when `v > v_threshold`, then reset (`reset: 'value'` → `v_reset`, the
 * default; `'subtract'` → `v − v_threshold`); the recorded voltage is the post-reset value.
 * Within a step nodes run in topological order; edges that close a cycle carry the previous step's
 * value. Fan-in sums. Nested graphs are flattened (`G.B`). Delays round to whole steps.
 * Conv/pool nodes are not simulated (diagnostic).
 *
 * @module
 */
import { type Diagnostic, diag } from '../diagnostics.ts';
import { sizeOf, type Tensor, toFloat64 } from '../tensor.ts';
import type { NirGraph, NirNode } from './types.ts';

/** Options of {@link simulateNir}. */
export interface SimulateOptions {
  /** Time step in seconds. */
  dt: number;
  /** Number of steps. */
  steps: number;
  /** Input per Input node name: `steps × size` values, row-major (one row per step). */
  inputs: Readonly<Record<string, ArrayLike<number>>>;
  /**
   * `euler` (default), `exact` (ZOH), or `exact-decay`: exponential decay with the Euler input gain
   * `dt/τ` (the convention Rockpool and Sinabs use for LIF).
   */
  method?: 'euler' | 'exact' | 'exact-decay';
  reset?: 'value' | 'subtract';
}

/** Recorded trace of one node: `steps × size`, row-major. */
export interface NodeTrace {
  readonly output: Float64Array;
  /** Membrane voltage (neuron nodes). */
  readonly v?: Float64Array;
  /** Synaptic current (Cuba nodes). */
  readonly i?: Float64Array;
  readonly size: number;
}

/** Result of {@link simulateNir}. */
export interface SimulationResult {
  readonly traces: ReadonlyMap<string, NodeTrace>;
  readonly diagnostics: Diagnostic[];
}

/** Flattens nested graphs: inner nodes become `G.B`, edges to/from `G` go to its Input/Output. */
export function flattenGraph(
  g: NirGraph,
  prefix = '',
  keep: (sub: NirGraph) => boolean = () => false,
): { nodes: Map<string, NirNode>; edges: [string, string][] } {
  const nodes = new Map<string, NirNode>();
  const edges: [string, string][] = [];
  const entry = new Map<string, string>();
  const exit = new Map<string, string>();
  for (const [name, node] of g.nodes) {
    const full = prefix + name;
    if (node.type === 'NIRGraph' && !keep(node)) {
      const inner = flattenGraph(node, `${full}.`, keep);
      for (const [k, v] of inner.nodes) nodes.set(k, v);
      edges.push(...inner.edges);
      const ins = [...node.nodes].filter(([, n]) => n.type === 'Input');
      const outs = [...node.nodes].filter(([, n]) => n.type === 'Output');
      if (ins[0]) entry.set(full, `${full}.${ins[0][0]}`);
      if (outs[0]) exit.set(full, `${full}.${outs[0][0]}`);
    } else nodes.set(full, node);
  }
  for (const [a, b] of g.edges)
    edges.push([exit.get(prefix + a) ?? prefix + a, entry.get(prefix + b) ?? prefix + b]);
  return { nodes, edges };
}

/** Elements a node outputs per step (0 when its size comes from its input, e.g. Flatten). */
export function nirNodeSize(n: NirNode): number {
  switch (n.type) {
    case 'Input':
    case 'Output':
      return sizeOf(n.shape);
    case 'Affine':
    case 'Linear':
      return n.weight.shape[n.weight.shape.length - 2] ?? 1;
    case 'Scale':
      return sizeOf(n.scale.shape);
    case 'Delay':
      return sizeOf(n.delay.shape);
    case 'Threshold':
      return sizeOf(n.threshold.shape);
    case 'I':
    case 'IF':
    case 'LI':
    case 'LIF':
      return sizeOf(n.r.shape);
    case 'CubaLI':
      return sizeOf(n.v_leak.shape);
    case 'CubaLIF':
      return sizeOf(n.v_threshold.shape);
    default:
      return 0;
  }
}

function inputSize(n: NirNode, fallback: number): number {
  if (n.type === 'Affine' || n.type === 'Linear') return n.weight.shape[n.weight.shape.length - 1] ?? 1;
  return n.type === 'Flatten' ? fallback : nirNodeSize(n);
}

const bc = (t: Tensor, n: number): Float64Array => {
  const a = toFloat64(t);
  return a.length === n ? a : new Float64Array(n).fill(a[0] ?? 0);
};

/**
 * Runs a NIR graph for `steps` steps with the given inputs. Never throws: unsupported nodes are
 * reported and produce zeros.
 */
export function simulateNir(graph: NirGraph, options: SimulateOptions): SimulationResult {
  const diagnostics: Diagnostic[] = [];
  const { nodes, edges } = flattenGraph(graph);
  const { dt, steps } = options;
  const method = options.method ?? 'euler';
  const resetMode = options.reset ?? 'value';
  // evaluation order: DFS from inputs, back edges use the previous step
  const succ = new Map<string, string[]>();
  const pred = new Map<string, string[]>();
  for (const name of nodes.keys()) {
    succ.set(name, []);
    pred.set(name, []);
  }
  for (const [a, b] of edges) {
    if (!nodes.has(a) || !nodes.has(b)) {
      diagnostics.push(
        diag('error', 'nir.dangling-edge', `${a}->${b}`, 'edge names a missing node; ignored'),
      );
      continue;
    }
    succ.get(a)!.push(b);
    pred.get(b)!.push(a);
  }
  const state = new Map<string, 1 | 2>();
  const back = new Set<string>();
  const post: string[] = [];
  const roots = [...nodes].filter(([, n]) => n.type === 'Input').map(([k]) => k);
  for (const k of nodes.keys()) if (!roots.includes(k)) roots.push(k);
  for (const r of roots) {
    if (state.has(r)) continue;
    const stack: { id: string; i: number }[] = [{ id: r, i: 0 }];
    state.set(r, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const list = succ.get(top.id)!;
      if (top.i >= list.length) {
        state.set(top.id, 2);
        post.push(top.id);
        stack.pop();
        continue;
      }
      const nx = list[top.i++]!;
      const st = state.get(nx);
      if (st === 1) back.add(`${top.id}\u0000${nx}`);
      else if (st === undefined) {
        state.set(nx, 1);
        stack.push({ id: nx, i: 0 });
      }
    }
  }
  const order = post.reverse();
  // sizes (Flatten takes its input size)
  const size = new Map<string, number>();
  for (const name of order) {
    const n = nodes.get(name)!;
    let s = nirNodeSize(n);
    if (n.type === 'Flatten' || s === 0)
      s =
        pred
          .get(name)!
          .map((p) => size.get(p) ?? 0)
          .find((x) => x > 0) ?? 0;
    size.set(name, s);
  }
  for (const name of order) {
    const n = nodes.get(name)!;
    if (['Conv1d', 'Conv2d', 'SumPool2d', 'AvgPool2d'].includes(n.type)) {
      diagnostics.push(
        diag('error', 'nir.sim.unsupported', name, `${n.type} is not simulated by the reference simulator`),
      );
    }
  }
  const cur = new Map<string, Float64Array>();
  const prev = new Map<string, Float64Array>();
  const v = new Map<string, Float64Array>();
  const cI = new Map<string, Float64Array>();
  const delayBuf = new Map<string, { buf: Float64Array[]; d: Int32Array }>();
  const traces = new Map<
    string,
    { output: Float64Array; v?: Float64Array; i?: Float64Array; size: number }
  >();
  for (const name of order) {
    const s = size.get(name)!;
    cur.set(name, new Float64Array(s));
    prev.set(name, new Float64Array(s));
    v.set(name, new Float64Array(s));
    cI.set(name, new Float64Array(s));
    const n = nodes.get(name)!;
    const withV = ['I', 'IF', 'LI', 'LIF', 'CubaLI', 'CubaLIF'].includes(n.type);
    traces.set(name, {
      output: new Float64Array(steps * s),
      ...(withV ? { v: new Float64Array(steps * s) } : {}),
      ...(n.type === 'CubaLI' || n.type === 'CubaLIF' ? { i: new Float64Array(steps * s) } : {}),
      size: s,
    });
    if (n.type === 'LIF' || n.type === 'LI')
      v.set(
        name,
        bc(n.v_leak, s).map(() => 0),
      );
    if (n.type === 'Delay') {
      const d = Int32Array.from(bc(n.delay, s), (x) => Math.round(x / dt));
      const maxD = Math.max(0, ...d);
      delayBuf.set(name, { buf: Array.from({ length: maxD + 1 }, () => new Float64Array(s)), d });
    }
    if (n.type === 'Input' && options.inputs[name] === undefined) {
      diagnostics.push(diag('warning', 'nir.sim.no-input', name, 'no input given; zeros used'));
    }
  }
  const position = new Map(order.map((k, i) => [k, i]));
  for (let t = 0; t < steps; t++) {
    for (const name of order) {
      const n = nodes.get(name)!;
      const s = size.get(name)!;
      const inS = inputSize(n, s);
      const x = new Float64Array(inS);
      if (n.type === 'Input') {
        const src = options.inputs[name];
        if (src) for (let k = 0; k < inS; k++) x[k] = src[t * inS + k] ?? 0;
      }
      for (const p of pred.get(name)!) {
        const isBack = back.has(`${p}\u0000${name}`) || position.get(p)! >= position.get(name)!;
        const y = (isBack ? prev : cur).get(p)!;
        for (let k = 0; k < Math.min(inS, y.length); k++) x[k]! += y[k]!;
      }
      const y = cur.get(name)!;
      const vv = v.get(name)!;
      const ii = cI.get(name)!;
      const decay = (tau: number): [number, number] =>
        method === 'exact'
          ? [Math.exp(-dt / tau), 1 - Math.exp(-dt / tau)]
          : method === 'exact-decay'
            ? [Math.exp(-dt / tau), dt / tau]
            : [1 - dt / tau, dt / tau];
      const spike = (k: number, th: number, reset: number): number => {
        if (vv[k]! > th) {
          vv[k] = resetMode === 'subtract' ? vv[k]! - th : reset;
          return 1;
        }
        return 0;
      };
      switch (n.type) {
        case 'Input':
        case 'Output':
        case 'Flatten':
          y.set(x.subarray(0, s));
          break;
        case 'Affine':
        case 'Linear': {
          const W = n.weight.data;
          const b = n.type === 'Affine' ? n.bias.data : undefined;
          for (let o = 0; o < s; o++) {
            let acc = b ? b[o]! : 0;
            for (let k = 0; k < inS; k++) acc += W[o * inS + k]! * x[k]!;
            y[o] = acc;
          }
          break;
        }
        case 'Scale': {
          const sc = bc(n.scale, s);
          for (let k = 0; k < s; k++) y[k] = sc[k]! * x[k]!;
          break;
        }
        case 'Threshold': {
          const th = bc(n.threshold, s);
          for (let k = 0; k < s; k++) y[k] = x[k]! > th[k]! ? 1 : 0;
          break;
        }
        case 'Delay': {
          const db = delayBuf.get(name)!;
          const L = db.buf.length;
          db.buf[t % L]!.set(x.subarray(0, s));
          for (let k = 0; k < s; k++) y[k] = t - db.d[k]! >= 0 ? db.buf[(t - db.d[k]!) % L]![k]! : 0;
          break;
        }
        case 'I':
        case 'IF': {
          const r = bc(n.r, s);
          for (let k = 0; k < s; k++) vv[k]! += dt * r[k]! * x[k]!;
          if (n.type === 'IF') {
            const th = bc(n.v_threshold, s);
            const rs = bc(n.v_reset, s);
            for (let k = 0; k < s; k++) y[k] = spike(k, th[k]!, rs[k]!);
          } else y.set(vv);
          break;
        }
        case 'LI':
        case 'LIF': {
          const tau = bc(n.tau, s);
          const r = bc(n.r, s);
          const leak = bc(n.v_leak, s);
          for (let k = 0; k < s; k++) {
            const [a, g] = decay(tau[k]!);
            vv[k] = a * vv[k]! + g * (leak[k]! + r[k]! * x[k]!);
          }
          if (n.type === 'LIF') {
            const th = bc(n.v_threshold, s);
            const rs = bc(n.v_reset, s);
            for (let k = 0; k < s; k++) y[k] = spike(k, th[k]!, rs[k]!);
          } else y.set(vv);
          break;
        }
        case 'CubaLI':
        case 'CubaLIF': {
          const ts = bc(n.tau_syn, s);
          const tm = bc(n.tau_mem, s);
          const r = bc(n.r, s);
          const leak = bc(n.v_leak, s);
          const w = bc(n.w_in, s);
          for (let k = 0; k < s; k++) {
            const [as, gs] = decay(ts[k]!);
            ii[k] = as * ii[k]! + gs * w[k]! * x[k]!;
            const [am, gm] = decay(tm[k]!);
            vv[k] = am * vv[k]! + gm * (leak[k]! + r[k]! * ii[k]!);
          }
          if (n.type === 'CubaLIF') {
            const th = bc(n.v_threshold, s);
            const rs = bc(n.v_reset, s);
            for (let k = 0; k < s; k++) y[k] = spike(k, th[k]!, rs[k]!);
          } else y.set(vv);
          break;
        }
        default:
          y.fill(0);
      }
      const tr = traces.get(name)!;
      tr.output.set(y, t * s);
      tr.v?.set(vv, t * s);
      tr.i?.set(ii, t * s);
    }
    for (const name of order) prev.get(name)!.set(cur.get(name)!);
  }
  return { traces, diagnostics };
}
