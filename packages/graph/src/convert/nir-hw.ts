/**
 * Conversions between the NIR model and the channel-level hardware graph (graph-reference §4.6).
 *
 * NIR → hardware: nested graphs flattened (`G.B` ids), Input/Output become the graph boundary,
 * `Linear`/`Affine` → `linear` (transposed to input-major; a non-zero Affine bias is kept on the
 * module and reported, Xylo cannot use it), `Scale` → diagonal `linear`, `CubaLIF` → `lif`,
 * `LIF` → `lif` without synaptic filter (`tauSyn = 0`, i.e. `dash_syn = 0`), edges → connect
 * (fan-in = the sources share channels = sum; CubaLIF ⇄ Linear 2-cycles become recurrent weights
 * by construction). Conv/Pool/Flatten/Delay/Threshold/I/IF/LI/CubaLI → error diagnostics.
 *
 * Hardware → NIR: `linear` → `Linear`/`Affine` (transposed), single-synapse `lif` → `CubaLIF`
 * (or `LIF` without synaptic filter), multi-synapse `lif` → a subgraph (per-synapse selection
 * `Linear` → `LI` current filter → one `LIF`), Xylo neurons → their float parameters
 * (`τ = dt·2^dash`), `rate` → `LI`, `alias` → extra edges from the alias source to every consumer
 * of the alias outputs. Partial connections become selection `Linear` nodes.
 *
 * @module
 */
import { type Diagnostic, diag } from '../diagnostics.ts';
import {
  addChannels,
  addModule,
  bag,
  type ChannelId,
  channelInfo,
  connect,
  emptyGraph,
  getModule,
  type HwGraph,
  type HwModule,
  withBoundary,
} from '../hw/graph.ts';
import { flattenGraph } from '../nir/simulate.ts';
import { type Meta, type NirGraph, type NirNode, nirGraph } from '../nir/types.ts';
import { sizeOf, type Tensor, tensor, toFloat64, transpose2d, zeros } from '../tensor.ts';

/** Options of {@link nirToHw}. */
export interface NirToHwOptions {
  /** Time step in seconds (else graph metadata `dt`, else estimated as `min τ/(1 + r)` with a warning). */
  dt?: number;
}

const f64 = (a: ArrayLike<number>) => tensor(Float64Array.from(a), { shape: [a.length] });

function estimateDt(nodes: Iterable<NirNode>): number | undefined {
  let dt = Number.POSITIVE_INFINITY;
  for (const n of nodes) {
    if (n.type === 'CubaLIF' || n.type === 'LIF') {
      const tau = toFloat64(n.type === 'LIF' ? n.tau : n.tau_mem);
      const r = toFloat64(n.r);
      tau.forEach((t, i) => {
        dt = Math.min(dt, t / (1 + (r[i] ?? r[0] ?? 1)));
      });
    }
  }
  return Number.isFinite(dt) ? dt : undefined;
}

/** Converts a NIR graph to a hardware graph for mapping. Never throws. */
export function nirToHw(
  graph: NirGraph,
  options: NirToHwOptions = {},
): { graph: HwGraph; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const { nodes, edges } = flattenGraph(graph, '', (g) => multiSynapseNeurons(g) !== undefined);
  let dt = options.dt ?? (typeof graph.metadata?.dt === 'number' ? graph.metadata.dt : undefined);
  if (dt === undefined) {
    dt = estimateDt(nodes.values());
    if (dt !== undefined)
      diagnostics.push(
        diag(
          'warning',
          'nir-to-hw.dt-estimated',
          '',
          `no dt given; estimated dt = ${dt} s from min τ/(1 + r)`,
          { hint: 'pass { dt } explicitly' },
        ),
      );
  }
  let g = emptyGraph();
  const boundary = new Map<string, { inputs: ChannelId[]; outputs: ChannelId[] }>();
  const graphIn: ChannelId[] = [];
  const graphOut: ChannelId[] = [];
  const add = (spec: Parameters<typeof addModule>[1], nIn: number, nOut: number, id: string): void => {
    const r = addModule(g, { ...spec, name: id, origin: id } as Parameters<typeof addModule>[1], nIn, nOut, {
      id,
    });
    g = r.graph;
    const m = getModule(g, r.id);
    boundary.set(id, { inputs: [...m.inputs], outputs: [...m.outputs] });
  };
  for (const [path, n] of nodes) {
    switch (n.type) {
      case 'Input':
      case 'Output': {
        const r = addChannels(g, sizeOf(n.shape));
        g = r.graph;
        boundary.set(path, { inputs: r.channels, outputs: r.channels });
        (n.type === 'Input' ? graphIn : graphOut).push(...r.channels);
        break;
      }
      case 'Linear':
      case 'Affine': {
        if (n.weight.shape.length !== 2) {
          diagnostics.push(
            diag(
              'error',
              'nir-to-hw.unsupported',
              path,
              `${n.type} with ${n.weight.shape.length}-D weight is not supported`,
            ),
          );
          break;
        }
        const w = transpose2d({ ...n.weight, dtype: 'float64', data: toFloat64(n.weight) });
        let bias: Tensor | undefined;
        if (n.type === 'Affine' && toFloat64(n.bias).some((b) => b !== 0)) {
          bias = f64(toFloat64(n.bias));
          diagnostics.push(
            diag(
              'warning',
              'nir-to-hw.affine-bias',
              path,
              'Affine bias kept on the weights module; it is not transferable to Xylo',
            ),
          );
        }
        add({ kind: 'linear', weights: w, ...(bias ? { bias } : {}) }, w.shape[0]!, w.shape[1]!, path);
        break;
      }
      case 'Scale': {
        const s = toFloat64(n.scale);
        const w = zeros([s.length, s.length]);
        s.forEach((v, i) => {
          w.data[i * s.length + i] = v;
        });
        add({ kind: 'linear', weights: w }, s.length, s.length, path);
        break;
      }
      case 'LIF':
      case 'CubaLIF': {
        const N = sizeOf(n.v_threshold.shape);
        const bc = (t: Tensor) => {
          const a = toFloat64(t);
          return a.length === N ? a : new Float64Array(N).fill(a[0] ?? 0);
        };
        if (bc(n.v_reset).some((x) => x !== 0))
          diagnostics.push(
            diag(
              'warning',
              'nir-to-hw.v-reset',
              `${path}.v_reset`,
              'non-zero v_reset: Xylo resets by subtraction',
            ),
          );
        if (bc(n.v_leak).some((x) => x !== 0))
          diagnostics.push(
            diag(
              'warning',
              'nir-to-hw.v-leak',
              `${path}.v_leak`,
              'non-zero v_leak has no direct equivalent; used as bias',
            ),
          );
        const tauMem = bc(n.type === 'LIF' ? n.tau : n.tau_mem);
        const tauSyn = n.type === 'LIF' ? new Float64Array(N) : bc(n.tau_syn);
        add(
          {
            kind: 'lif',
            tauMem,
            tauSyn,
            threshold: bc(n.v_threshold),
            bias: bc(n.v_leak),
            ...(dt !== undefined ? { dt } : {}),
          },
          N,
          N,
          path,
        );
        break;
      }
      case 'NIRGraph': {
        const ms = multiSynapseNeurons(n)!;
        add(
          {
            kind: 'lif',
            tauMem: ms.tauMem,
            tauSyn: ms.tauSyn,
            threshold: ms.threshold,
            bias: ms.bias,
            ...(dt !== undefined ? { dt } : {}),
          },
          ms.N * ms.S,
          ms.N,
          path,
        );
        break;
      }
      default:
        diagnostics.push(
          diag(
            'error',
            'nir-to-hw.unsupported',
            path,
            `${n.type} nodes cannot be mapped to a channel-level hardware graph`,
            { hint: n.type.startsWith('Conv') ? 'unroll convolutions to dense layers first' : undefined },
          ),
        );
    }
  }
  g = withBoundary(g, graphIn, graphOut);
  for (const [a, b] of edges) {
    const s = boundary.get(a);
    const t = boundary.get(b);
    if (!s || !t) continue; // reported above (unsupported or dangling)
    // Rewire after earlier merges: read the current channels of modules; boundaries of pass-through
    // nodes are kept current by mapping through the graph's boundary lists.
    const cur = (id: string, side: 'inputs' | 'outputs'): readonly ChannelId[] =>
      g.modules.has(id) ? getModule(g, id)[side] : boundary.get(id)![side];
    const so = cur(a, 'outputs');
    const ti = cur(b, 'inputs');
    if (so.length !== ti.length) {
      diagnostics.push(
        diag(
          'error',
          'nir-to-hw.edge-size',
          `${a}->${b}`,
          `edge ${a} -> ${b} joins ${so.length} outputs to ${ti.length} inputs`,
        ),
      );
      continue;
    }
    const before = g;
    g = connect(g, { name: a, inputs: [], outputs: so }, { name: b, inputs: ti, outputs: [] });
    // keep pass-through boundaries current
    const remap = new Map<ChannelId, ChannelId>();
    ti.forEach((c, i) => {
      remap.set(c, so[i]!);
    });
    for (const [k, v] of boundary) {
      if (before.modules.has(k)) continue;
      boundary.set(k, {
        inputs: v.inputs.map((c) => remap.get(c) ?? c),
        outputs: v.outputs.map((c) => remap.get(c) ?? c),
      });
    }
  }
  return { graph: g, diagnostics };
}

/**
 * Recognises the subgraph {@link hwToNir} writes for a multi-synapse neuron population:
 * `Input[N·S]` → per synapse a selection `Linear [N, N·S]` → `LI` current filter → one `LIF[N]` →
 * `Output[N]`. Returns the population's parameters, or `undefined` for any other subgraph.
 */
export function multiSynapseNeurons(g: NirGraph):
  | {
      N: number;
      S: number;
      tauMem: Float64Array;
      tauSyn: Float64Array;
      threshold: Float64Array;
      bias: Float64Array;
    }
  | undefined {
  const byType = (t: string) => [...g.nodes].filter(([, n]) => n.type === t);
  const ins = byType('Input');
  const outs = byType('Output');
  const lifs = byType('LIF');
  const lis = byType('LI');
  const lins = byType('Linear');
  if (
    ins.length !== 1 ||
    outs.length !== 1 ||
    lifs.length !== 1 ||
    lis.length < 2 ||
    lins.length !== lis.length
  )
    return undefined;
  if (g.nodes.size !== 3 + 2 * lis.length) return undefined;
  const [inName, inNode] = ins[0]!;
  const [lifName, lif] = lifs[0]! as [string, Extract<NirNode, { type: 'LIF' }>];
  const N = sizeOf(lif.v_threshold.shape);
  const S = lis.length;
  if (inNode.type !== 'Input' || sizeOf(inNode.shape) !== N * S) return undefined;
  const has = (a: string, b: string) => g.edges.some(([x, y]) => x === a && y === b);
  if (!has(lifName, outs[0]![0])) return undefined;
  const tauSyn = new Float64Array(N * S);
  const seen = new Set<number>();
  for (const [linName, lin] of lins as [string, Extract<NirNode, { type: 'Linear' }>][]) {
    if (!has(inName, linName) || lin.weight.shape[0] !== N || lin.weight.shape[1] !== N * S) return undefined;
    const w = toFloat64(lin.weight);
    // which synapse index does this selection pick?
    let s = -1;
    for (let q = 0; q < S; q++) if (w[q] === 1) s = q;
    if (s < 0 || seen.has(s)) return undefined;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N * S; j++) if (w[i * N * S + j] !== (j === i * S + s ? 1 : 0)) return undefined;
    }
    seen.add(s);
    const li = lis.find(([name]) => has(linName, name) && has(name, lifName));
    if (!li) return undefined;
    const tau = toFloat64((li[1] as Extract<NirNode, { type: 'LI' }>).tau);
    for (let i = 0; i < N; i++) tauSyn[i * S + s] = tau[i] ?? tau[0]!;
  }
  return {
    N,
    S,
    tauMem: toFloat64(lif.tau),
    tauSyn,
    threshold: toFloat64(lif.v_threshold),
    bias: toFloat64(lif.v_leak),
  };
}

/** Options of {@link hwToNir}. */
export interface HwToNirOptions {
  /**
   * Parameter convention of the exported neurons: `euler` (default; snnTorch style, `r = τ_mem/dt`,
   * `w_in = τ_syn/dt`, so forward Euler gives `I ← (1 − dt/τ_syn)·I + x`, `v ← (1 − dt/τ_mem)·v + I`)
   * or `unit` (`r = 1`, `w_in = 1`).
   */
  convention?: 'euler' | 'unit';
}

interface Src {
  node: string;
  index: number;
}

/** Converts a hardware graph to NIR (weights transposed back to `[out, in]`). Never throws. */
export function hwToNir(
  g: HwGraph,
  options: HwToNirOptions = {},
): { graph: NirGraph; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const conv = options.convention ?? 'euler';
  const nodes = new Map<string, NirNode>();
  const edges: [string, string][] = [];
  const order = bag(g, undefined, 'topological').modules.map((id) => getModule(g, id));
  let dtAll: number | undefined;
  const f = (a: ArrayLike<number>) => f64(a);
  const neuronParams = (
    m: HwModule,
  ):
    | {
        tauMem: Float64Array;
        tauSyn: Float64Array;
        threshold: Float64Array;
        bias: Float64Array;
        dt: number | undefined;
      }
    | undefined => {
    if (m.kind === 'lif')
      return { tauMem: m.tauMem, tauSyn: m.tauSyn, threshold: m.threshold, bias: m.bias, dt: m.dt };
    if (m.kind === 'xylo.hidden' || m.kind === 'xylo.output') {
      return {
        tauMem: m.dashMem.map((d) => m.dt * 2 ** d),
        tauSyn: m.dashSyn.map((d) => (d === 0 ? 0 : m.dt * 2 ** d)),
        threshold: m.threshold,
        bias: m.bias,
        dt: m.dt,
      };
    }
    return undefined;
  };
  for (const m of order) {
    switch (m.kind) {
      case 'linear': {
        const w = transpose2d(m.weights);
        nodes.set(m.id, m.bias ? { type: 'Affine', weight: w, bias: m.bias } : { type: 'Linear', weight: w });
        break;
      }
      case 'alias':
        break;
      case 'rate':
        nodes.set(m.id, {
          type: 'LI',
          tau: f(m.tau),
          r: f(new Float64Array(m.tau.length).fill(1)),
          v_leak: f(m.bias),
        });
        break;
      case 'lif':
      case 'xylo.hidden':
      case 'xylo.output': {
        const p = neuronParams(m)!;
        const N = m.outputs.length;
        const S = m.inputs.length / N;
        const dt = p.dt;
        if (dt !== undefined) dtAll ??= dt;
        if (dt === undefined && conv === 'euler')
          diagnostics.push(
            diag('warning', 'hw-to-nir.no-dt', m.name, 'module has no dt; exported with r = 1, w_in = 1'),
          );
        const rOf = (tau: number) => (conv === 'euler' && dt !== undefined ? tau / dt : 1);
        const meta: Meta = { reset: 'subtract', ...(dt !== undefined ? { dt } : {}) };
        const zerosN = new Float64Array(N);
        if (S === 1) {
          const hasSyn = p.tauSyn.some((t) => t > 0);
          const r = f(p.tauMem.map(rOf));
          nodes.set(
            m.id,
            hasSyn
              ? {
                  type: 'CubaLIF',
                  tau_syn: f(p.tauSyn),
                  tau_mem: f(p.tauMem),
                  r,
                  v_leak: f(p.bias),
                  v_threshold: f(p.threshold),
                  v_reset: f(zerosN),
                  w_in: f(p.tauSyn.map(rOf)),
                  metadata: meta,
                }
              : {
                  type: 'LIF',
                  tau: f(p.tauMem),
                  r,
                  v_leak: f(p.bias),
                  v_threshold: f(p.threshold),
                  v_reset: f(zerosN),
                  metadata: meta,
                },
          );
        } else {
          const sub = new Map<string, NirNode>();
          const subEdges: [string, string][] = [];
          sub.set('input', { type: 'Input', shape: [N * S] });
          for (let s = 0; s < S; s++) {
            const sel = zeros([N, N * S]);
            for (let i = 0; i < N; i++) sel.data[i * N * S + i * S + s] = 1;
            const tau = Float64Array.from({ length: N }, (_, i) => p.tauSyn[i * S + s]!);
            sub.set(`syn${s}`, { type: 'Linear', weight: sel });
            sub.set(`current${s}`, { type: 'LI', tau: f(tau), r: f(tau.map(rOf)), v_leak: f(zerosN) });
            subEdges.push(['input', `syn${s}`], [`syn${s}`, `current${s}`], [`current${s}`, 'lif']);
          }
          sub.set('lif', {
            type: 'LIF',
            tau: f(p.tauMem),
            r: f(p.tauMem.map(rOf)),
            v_leak: f(p.bias),
            v_threshold: f(p.threshold),
            v_reset: f(zerosN),
            metadata: meta,
          });
          sub.set('output', { type: 'Output', shape: [N] });
          subEdges.push(['lif', 'output']);
          nodes.set(
            m.id,
            nirGraph(sub, subEdges, {
              synapses: S,
              note: 'multi-synapse neuron: per-synapse LI current filters summed into one LIF',
            }),
          );
        }
        break;
      }
      default:
        diagnostics.push(
          diag('error', 'hw-to-nir.unsupported', m.name, `${m.kind} modules have no NIR equivalent`),
        );
    }
  }
  nodes.set('input', { type: 'Input', shape: [g.inputs.length] });
  nodes.set('output', { type: 'Output', shape: [g.outputs.length] });
  const inputIndex = new Map(g.inputs.map((c, i) => [c, i]));
  // sources of a channel as (NIR node, output index), resolving aliases and the graph input
  const sourcesOfChannel = (c: ChannelId, depth = 0): Src[] => {
    const out: Src[] = [];
    const ii = inputIndex.get(c);
    if (ii !== undefined) out.push({ node: 'input', index: ii });
    for (const sid of channelInfo(g, c).sources) {
      const s = getModule(g, sid);
      const j = s.outputs.indexOf(c);
      if (s.kind === 'alias') {
        if (depth < 16) out.push(...sourcesOfChannel(s.inputs[j]!, depth + 1));
      } else if (nodes.has(s.id)) out.push({ node: s.id, index: j });
    }
    return out;
  };
  const nodeOut = (id: string): number =>
    id === 'input' ? g.inputs.length : getModule(g, id).outputs.length;
  const link = (dst: string, inputs: readonly ChannelId[]) => {
    const pairs = new Map<string, [number, number][]>();
    inputs.forEach((c, k) => {
      for (const s of sourcesOfChannel(c)) {
        let l = pairs.get(s.node);
        if (!l) {
          l = [];
          pairs.set(s.node, l);
        }
        l.push([s.index, k]);
      }
    });
    for (const [src, l] of pairs) {
      const nOut = nodeOut(src);
      const identity =
        l.length === nOut && l.length === inputs.length && l.every(([a, b], i) => a === i && b === i);
      if (identity) {
        edges.push([src, dst]);
        continue;
      }
      const sel = zeros([inputs.length, nOut]);
      for (const [a, b] of l) sel.data[b * nOut + a] = 1;
      const name = `${src}__to__${dst}`;
      nodes.set(name, {
        type: 'Linear',
        weight: sel,
        metadata: { note: 'channel selection from a partial connection' },
      });
      edges.push([src, name], [name, dst]);
      diagnostics.push(
        diag(
          'info',
          'hw-to-nir.selection',
          name,
          `partial connection ${src} -> ${dst} exported as a selection Linear`,
        ),
      );
    }
  };
  for (const m of order) if (nodes.has(m.id)) link(m.id, m.inputs);
  link('output', g.outputs);
  const metadata: Meta = {
    source: 'spark-snn hardware graph',
    units: 'SI (seconds)',
    convention: conv,
    ...(dtAll !== undefined ? { dt: dtAll } : {}),
  };
  return { graph: nirGraph(nodes, edges, metadata), diagnostics };
}
