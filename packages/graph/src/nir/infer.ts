/**
 * NIR type inference and checking (the reference's `infer_types` / `check_types`), returning
 * diagnostics instead of raising, and applied recursively to nested graphs.
 *
 * Differences from the reference implementation (on purpose):
 * - Conv output shapes use the real per-axis kernel size and `C_in = weight.shape[1] * groups`
 *   (the reference uses `weight.shape[2]` for both axes and ignores groups).
 * - `typeCheck` applies to nested graphs too (the reference always checks nested graphs).
 * - `lenient` repairs the known-broken upstream files instead of failing, reporting each repair.
 *
 * @module
 */
import { type Diagnostic, diag } from '../diagnostics.ts';
import { shapeEquals, sizeOf } from '../tensor.ts';
import { type NirConv1d, type NirConv2d, type NirGraph, type NirNode, nirGraph } from './types.ts';

/** One tensor shape (no batch, no time). */
export type Shape = readonly number[];

/** Input and output shape of a node (`null` = not known yet). */
export interface NodeTypes {
  readonly input: Shape | null;
  readonly output: Shape | null;
}

/** How strictly to treat type problems. */
export type TypeCheckMode = 'strict' | 'lenient' | 'off';

/** Options of {@link inferTypes}. */
export interface InferOptions {
  /** `strict` (default): mismatches are errors; `lenient`: repair known defects with warnings; `off`: no inference/check. */
  typeCheck?: TypeCheckMode;
  /** Drop edges that name missing nodes (warning) instead of reporting an error. */
  dropDanglingEdges?: boolean;
  /**
   * Accept edges that address a node inside a subgraph as `G.B` (the NIR design's port
   * addressing; the reference does not implement it). Off by default: real files use dotted
   * names as plain names (`lif1.lif`), which are always matched first.
   */
  resolveSubgraphAddresses?: boolean;
}

/** Result of {@link inferTypes}. */
export interface InferResult {
  /** The graph with inserted Input/Output nodes and inferred Conv/Flatten/Output fields. */
  readonly graph: NirGraph;
  /** Types by node path (`G.B` for node B of subgraph G). */
  readonly types: ReadonlyMap<string, NodeTypes>;
  readonly diagnostics: Diagnostic[];
}

/** numpy-style shape text, `[1 5 5]`. */
export function formatShape(s: Shape | null): string {
  return s ? `[${s.join(' ')}]` : 'None';
}

function pair(v: number | readonly number[]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0] ?? 1, v[1] ?? v[0] ?? 1];
}

/** Output length of a convolution/pooling axis: ⌊(L + 2p − d(k − 1) − 1)/s + 1⌋. */
export function convLength(L: number, k: number, s: number, p: number, d = 1): number {
  return Math.floor((L + 2 * p - d * (k - 1) - 1) / s + 1);
}

function convOut(node: NirConv1d | NirConv2d, spatial: readonly number[]): Shape {
  const w = node.weight.shape;
  const cOut = w[0]!;
  const ks = w.slice(2);
  const dims = spatial.length;
  const stride = typeof node.stride === 'number' ? Array(dims).fill(node.stride) : node.stride;
  const dil = typeof node.dilation === 'number' ? Array(dims).fill(node.dilation) : node.dilation;
  const out: number[] = [cOut];
  for (let a = 0; a < dims; a++) {
    const L = spatial[a]!;
    if (node.padding === 'same') {
      out.push(L);
      continue;
    }
    const p =
      node.padding === 'valid' ? 0 : typeof node.padding === 'number' ? node.padding : (node.padding[a] ?? 0);
    out.push(convLength(L, ks[a] ?? 1, stride[a] ?? 1, p, dil[a] ?? 1));
  }
  return out;
}

/** Flatten rule: dims before start ++ [product of start..end] ++ dims after end. */
export function flattenShape(input: Shape, startDim: number, endDim: number): Shape {
  const n = input.length;
  const s = startDim < 0 ? startDim + n : startDim;
  const e = endDim < 0 ? endDim + n : endDim;
  return [...input.slice(0, s), sizeOf(input.slice(s, e + 1)), ...input.slice(e + 1)];
}

/** Types a node has on its own (before inference). */
export function intrinsicTypes(node: NirNode): NodeTypes {
  switch (node.type) {
    case 'Input':
    case 'Output': {
      const s = node.shape.length > 0 ? node.shape : null;
      return { input: s, output: s };
    }
    case 'Affine':
    case 'Linear': {
      const w = node.weight.shape;
      const lead = w.slice(0, -2);
      return { input: [...lead, w[w.length - 1]!], output: [...lead, w[w.length - 2]!] };
    }
    case 'Scale':
      return { input: node.scale.shape, output: node.scale.shape };
    case 'Conv1d':
    case 'Conv2d': {
      const cIn = node.weight.shape[1]! * node.groups;
      if (node.input_shape === null) return { input: null, output: null };
      const spatial = typeof node.input_shape === 'number' ? [node.input_shape] : node.input_shape;
      return { input: [cIn, ...spatial], output: convOut(node, spatial) };
    }
    case 'SumPool2d':
    case 'AvgPool2d':
      return { input: null, output: null };
    case 'Flatten':
      return node.input_type
        ? { input: node.input_type, output: flattenShape(node.input_type, node.start_dim, node.end_dim) }
        : { input: null, output: null };
    case 'Delay':
      return { input: node.delay.shape, output: node.delay.shape };
    case 'Threshold':
      return { input: node.threshold.shape, output: node.threshold.shape };
    case 'I':
    case 'IF':
    case 'LI':
    case 'LIF':
      return { input: node.r.shape, output: node.r.shape };
    case 'CubaLI':
      return { input: node.v_leak.shape, output: node.v_leak.shape };
    case 'CubaLIF':
      return { input: node.v_threshold.shape, output: node.v_threshold.shape };
    case 'NIRGraph': {
      const ins = [...node.nodes.values()].filter((n) => n.type === 'Input');
      const outs = [...node.nodes.values()].filter((n) => n.type === 'Output');
      return {
        input: ins.length === 1 ? intrinsicTypes(ins[0]!).output : null,
        output: outs.length === 1 ? intrinsicTypes(outs[0]!).input : null,
      };
    }
  }
}

/** Output type computed from an input type for nodes whose output depends on it. */
function outputFromInput(node: NirNode, input: Shape): { output: Shape; node: NirNode } | null {
  switch (node.type) {
    case 'Conv1d':
      return { output: convOut(node, input.slice(1)), node: { ...node, input_shape: input[1]! } };
    case 'Conv2d':
      return { output: convOut(node, input.slice(1)), node: { ...node, input_shape: input.slice(1) } };
    case 'SumPool2d':
    case 'AvgPool2d': {
      const [kh, kw] = pair(node.kernel_size);
      const [sh, sw] = pair(node.stride);
      const [ph, pw] = pair(node.padding);
      return {
        output: [input[0]!, convLength(input[1]!, kh, sh, ph), convLength(input[2]!, kw, sw, pw)],
        node,
      };
    }
    case 'Flatten':
      return {
        output: flattenShape(input, node.start_dim, node.end_dim),
        node: { ...node, input_type: input },
      };
    case 'Output':
      return { output: input, node: { ...node, shape: input } };
    default:
      return null;
  }
}

function uniqueName(names: { has(k: string): boolean }, base: string): string {
  if (!names.has(base)) return base;
  for (let i = 0; ; i++) if (!names.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** Checks that all parameter arrays of a neuron node share one shape. */
export function checkParameterShapes(node: NirNode, path: string): Diagnostic[] {
  const groups: Record<string, readonly string[]> = {
    IF: ['r', 'v_threshold', 'v_reset'],
    LI: ['tau', 'r', 'v_leak'],
    LIF: ['tau', 'r', 'v_leak', 'v_threshold', 'v_reset'],
    CubaLI: ['tau_syn', 'tau_mem', 'r', 'v_leak', 'w_in'],
    CubaLIF: ['tau_syn', 'tau_mem', 'r', 'v_leak', 'v_threshold', 'v_reset', 'w_in'],
  };
  const names = groups[node.type];
  if (node.type === 'Affine' || node.type === 'Conv1d' || node.type === 'Conv2d') {
    const w = node.weight.shape;
    const nOut = node.type === 'Affine' ? w.slice(0, -1) : w.slice(0, 1);
    if (node.bias.shape.length > 0 && !shapeEquals(node.bias.shape, nOut)) {
      return [
        diag(
          'error',
          'nir.param-shape',
          `${path}.bias`,
          `${node.type} bias has shape ${formatShape(node.bias.shape)}, expected ${formatShape(nOut)}`,
        ),
      ];
    }
    return [];
  }
  if (!names) return [];
  const rec = node as unknown as Record<string, { shape: readonly number[] }>;
  const ref = rec[names[0]!]!.shape;
  const out: Diagnostic[] = [];
  for (const n of names.slice(1)) {
    const s = rec[n]?.shape;
    if (s && !shapeEquals(s, ref) && sizeOf(s) !== 1) {
      out.push(
        diag(
          'error',
          'nir.param-shape',
          `${path}.${n}`,
          `${node.type} parameter ${n} has shape ${formatShape(s)}, expected ${formatShape(ref)} like ${names[0]}`,
        ),
      );
    }
  }
  return out;
}

/**
 * Infers the types of every node and checks every edge (see module docs). Never throws.
 *
 * @example
 * const { graph, diagnostics } = inferTypes(nirGraph({ a: affineA, b: affineB }, [['a', 'b']]));
 * // graph.edges: input_a→a, a→b, b→output_b
 */
export function inferTypes(g: NirGraph, options: InferOptions = {}, prefix = ''): InferResult {
  const mode = options.typeCheck ?? 'strict';
  const diagnostics: Diagnostic[] = [];
  const types = new Map<string, NodeTypes>();
  const p = (name: string): string => (prefix ? `${prefix}.${name}` : name);
  const nodes = new Map(g.nodes);
  // 1. dangling edges
  let edges: [string, string][] = [];
  const addressed: [string, string][] = [];
  g.edges.forEach(([a, b], i) => {
    const missing = [a, b].filter((n) => !nodes.has(n));
    if (missing.length === 0) {
      edges.push([a, b]);
      return;
    }
    if (options.resolveSubgraphAddresses && missing.every((n) => resolveAddress(g, n) !== undefined)) {
      addressed.push([a, b]);
      return;
    }
    const msg = `edge ${i} (${a} -> ${b}) names missing node${missing.length > 1 ? 's' : ''} ${missing.map((m) => JSON.stringify(m)).join(', ')}`;
    if (options.dropDanglingEdges)
      diagnostics.push(diag('warning', 'nir.repair.dangling-edge', p(`edges[${i}]`), `${msg}; dropped`));
    else
      diagnostics.push(
        diag('error', 'nir.dangling-edge', p(`edges[${i}]`), msg, {
          hint: 'pass dropDanglingEdges: true to drop such edges (lenient reading)',
        }),
      );
  });
  for (const [name, node] of nodes) diagnostics.push(...checkParameterShapes(node, p(name)));

  // nested graphs first get their own inference (their Input shape may be repaired below)
  const sub = new Map<string, InferResult>();
  const inferSub = (name: string): void => {
    const node = nodes.get(name);
    if (node?.type !== 'NIRGraph') return;
    const r = inferTypes(node, options, p(name));
    sub.set(name, r);
    nodes.set(name, r.graph);
  };
  for (const name of [...nodes.keys()]) inferSub(name);

  const t = new Map<string, { input: Shape | null; output: Shape | null }>();
  for (const [name, node] of nodes) t.set(name, { ...intrinsicTypes(node) });

  if (mode !== 'off') {
    // 2. roots that are not Input get an Input node
    const hasIncoming = new Set([...edges, ...addressed].map((e) => e[1]));
    for (const [name, node] of [...nodes]) {
      if (hasIncoming.has(name)) continue;
      if (node.type === 'Input') {
        if (!t.get(name)!.output)
          diagnostics.push(diag('error', 'nir.input-shape', p(name), 'Input node without a shape'));
        continue;
      }
      const it = t.get(name)!.input;
      if (!it) {
        diagnostics.push(
          diag(
            'error',
            'nir.undefined-input-type',
            p(name),
            `root node ${name} has no defined input type, cannot add an Input for it`,
          ),
        );
        continue;
      }
      const inName = uniqueName(nodes, `input_${name}`);
      nodes.set(inName, { type: 'Input', shape: it });
      t.set(inName, { input: it, output: it });
      edges = [[inName, name], ...edges];
    }
    // 3. worklist from the Input nodes
    const inputs = [...nodes].filter(([, n]) => n.type === 'Input').map(([k]) => k);
    if (inputs.length === 0)
      diagnostics.push(
        diag('error', 'nir.no-input', prefix, 'no Input nodes: is there a cycle at the input?'),
      );
    const out = new Map<string, [string, string][]>();
    for (const e of edges) {
      let l = out.get(e[0]);
      if (!l) {
        l = [];
        out.set(e[0], l);
      }
      l.push(e);
    }
    const expanded = new Set<string>(inputs);
    const work: [string, string][] = inputs.flatMap((i) => out.get(i) ?? []);
    while (work.length) {
      const [pre, post] = work.shift()!;
      const tp = t.get(pre)!;
      const tq = t.get(post)!;
      const postNode = nodes.get(post)!;
      if (tp.output) {
        if (!tq.input) {
          tq.input = tp.output;
        } else if (!shapeEquals(tq.input, tp.output)) {
          const msg = `Type inference error: type mismatch: ${pre}.output: ${formatShape(tp.output)} -> ${post}.input: ${formatShape(tq.input)}`;
          const incoming = edges.filter((e) => e[1] === post).length;
          if (mode === 'lenient' && postNode.type === 'Output' && incoming === 1) {
            diagnostics.push(
              diag(
                'warning',
                'nir.repair.output-shape',
                p(post),
                `${msg}; Output shape set to ${formatShape(tp.output)}`,
              ),
            );
            nodes.set(post, { ...postNode, shape: tp.output });
            tq.input = tp.output;
            tq.output = tp.output;
          } else if (mode === 'lenient' && postNode.type === 'NIRGraph') {
            const repaired = repairSubgraphInput(postNode, tp.output);
            if (repaired) {
              diagnostics.push(
                diag(
                  'warning',
                  'nir.repair.subgraph-input-shape',
                  p(post),
                  `${msg}; subgraph Input shape set to ${formatShape(tp.output)}`,
                ),
              );
              const r = inferTypes(repaired, options, p(post));
              sub.set(post, r);
              nodes.set(post, r.graph);
              const it = intrinsicTypes(r.graph);
              tq.input = it.input;
              tq.output = it.output;
            } else diagnostics.push(diag('error', 'nir.type-mismatch', p(post), msg));
          } else {
            diagnostics.push(diag('error', 'nir.type-mismatch', p(post), msg));
          }
        }
      }
      if (tq.input && (!tq.output || postNode.type === 'Output')) {
        const r = outputFromInput(nodes.get(post)!, tq.input);
        if (r) {
          tq.output = r.output;
          nodes.set(post, r.node);
        }
      }
      if (!expanded.has(post)) {
        expanded.add(post);
        work.push(...(out.get(post) ?? []));
      }
    }
    // 4. leaves that are not Output get an Output node
    const hasOutgoing = new Set([...edges, ...addressed].map((e) => e[0]));
    let leaves = 0;
    for (const [name, node] of [...nodes]) {
      if (hasOutgoing.has(name)) continue;
      leaves++;
      if (node.type === 'Output') continue;
      const ot = t.get(name)!.output;
      if (!ot) {
        diagnostics.push(
          diag('error', 'nir.undefined-output-type', p(name), `leaf node ${name} has no defined output type`),
        );
        continue;
      }
      const outName = uniqueName(nodes, `output_${name}`);
      nodes.set(outName, { type: 'Output', shape: ot });
      t.set(outName, { input: ot, output: ot });
      edges.push([name, outName]);
    }
    if (leaves === 0 && nodes.size > 0)
      diagnostics.push(
        diag('error', 'nir.no-output', prefix, 'no leaf nodes: is there a cycle at the output?'),
      );
    // 5. check every edge
    if (!diagnostics.some((d) => d.severity === 'error' && d.code === 'nir.type-mismatch')) {
      for (const [a, b] of edges) {
        const ta = t.get(a)!;
        const tb = t.get(b)!;
        if (!ta.output || !tb.input) {
          diagnostics.push(
            diag(
              'error',
              'nir.undefined-type',
              p(!ta.output ? a : b),
              `edge ${a} -> ${b}: type of ${!ta.output ? `${a}.output` : `${b}.input`} is undefined`,
            ),
          );
        } else if (!shapeEquals(ta.output, tb.input)) {
          diagnostics.push(
            diag(
              'error',
              'nir.type-mismatch',
              p(b),
              `Type check error: ${a}.output: ${formatShape(ta.output)} -> ${b}.input: ${formatShape(tb.input)}`,
            ),
          );
        }
      }
    }
  }
  for (const [name, tt] of t) types.set(p(name), tt);
  for (const r of sub.values()) {
    for (const [k, v] of r.types) types.set(k, v);
    diagnostics.push(...r.diagnostics);
  }
  if (mode !== 'off') {
    for (const [a, b] of addressed) {
      const ta = types.get(p(a))?.output;
      const tb = types.get(p(b))?.input;
      if (ta && tb && !shapeEquals(ta, tb)) {
        diagnostics.push(
          diag(
            'error',
            'nir.type-mismatch',
            p(b),
            `Type check error: ${a}.output: ${formatShape(ta)} -> ${b}.input: ${formatShape(tb)}`,
          ),
        );
      }
    }
  }
  const graph = nirGraph(nodes, [...edges, ...addressed], g.metadata);
  return { graph, types, diagnostics };
}

/** Resolves `G.B` (possibly nested, `G.H.B`) to the node B inside subgraph G, if it exists. */
export function resolveAddress(g: NirGraph, address: string): NirNode | undefined {
  const direct = g.nodes.get(address);
  if (direct) return direct;
  const dot = address.indexOf('.');
  for (let i = dot; i > 0; i = address.indexOf('.', i + 1)) {
    const head = g.nodes.get(address.slice(0, i));
    if (head?.type === 'NIRGraph') {
      const inner = resolveAddress(head, address.slice(i + 1));
      if (inner) return inner;
    }
  }
  return undefined;
}

function repairSubgraphInput(g: NirGraph, shape: Shape): NirGraph | null {
  const ins = [...g.nodes].filter(([, n]) => n.type === 'Input');
  if (ins.length !== 1) return null;
  const nodes = new Map(g.nodes);
  nodes.set(ins[0]![0], {
    type: 'Input',
    shape,
    ...(ins[0]![1].metadata ? { metadata: ins[0]![1].metadata } : {}),
  });
  return nirGraph(nodes, g.edges, g.metadata);
}

/** Type-checks a graph (strict) and returns only the diagnostics. */
export function checkTypes(g: NirGraph): Diagnostic[] {
  return inferTypes(g, { typeCheck: 'strict' }).diagnostics;
}

/**
 * NIR's `from_list`: names nodes by lowercase type (`linear`, `linear_1`, `affine`, …), prepends
 * `input` (shape = the first node's input type) and appends `output` unless the ends already are
 * Input/Output, and chains edges in order. Run {@link inferTypes} to type-check the result.
 */
export function fromList(nodes: readonly NirNode[]): NirGraph {
  const counts = new Map<string, number>();
  const named: [string, NirNode][] = [];
  for (const n of nodes) {
    const base = n.type.toLowerCase();
    const k = counts.get(base) ?? 0;
    counts.set(base, k + 1);
    named.push([k === 0 ? base : `${base}_${k}`, n]);
  }
  const first = nodes[0];
  const last = nodes[nodes.length - 1];
  if (first && first.type !== 'Input')
    named.unshift(['input', { type: 'Input', shape: intrinsicTypes(first).input ?? [] }]);
  if (last && last.type !== 'Output')
    named.push(['output', { type: 'Output', shape: intrinsicTypes(last).output ?? [] }]);
  const edges: [string, string][] = [];
  for (let i = 0; i + 1 < named.length; i++) edges.push([named[i]![0], named[i + 1]![0]]);
  return nirGraph(new Map(named), edges);
}
