/**
 * Builders equivalent to Rockpool's `as_graph()` of Linear, LIF, Rate, Dropout and the
 * `Sequential` / `Residual` combinators. Each returns a self-contained {@link HwGraph} whose own
 * boundary (`inputs`/`outputs`) is the block's boundary.
 *
 * @module
 */

import { diag, GraphError } from '../diagnostics.ts';
import { type NestedNumbers, type Tensor, tensor } from '../tensor.ts';
import {
  addChannels,
  addModule,
  type ChannelId,
  connect,
  emptyGraph,
  type HwGraph,
  merge,
  withBoundary,
} from './graph.ts';

/** A scalar (broadcast) or a list of values. */
export type ParamValues = number | ArrayLike<number>;

function vec(v: ParamValues, n: number, name: string): Float64Array {
  if (typeof v === 'number') return new Float64Array(n).fill(v);
  if (v.length === n) return Float64Array.from(v);
  if (v.length === 1) return new Float64Array(n).fill(v[0]!);
  throw new GraphError(
    diag('error', 'graph.param-shape', name, `${name} has ${v.length} values, expected ${n} or 1`),
  );
}

function asTensor(w: Tensor | NestedNumbers): Tensor {
  if (typeof w === 'object' && w !== null && 'shape' in w && 'data' in w) return w as Tensor;
  return tensor(w as NestedNumbers);
}

/** Options of {@link linear}. */
export interface LinearOptions {
  bias?: Tensor | NestedNumbers;
  name?: string;
  origin?: string;
}

/** A `LinearWeights` block. `weights` is **input-major** `[nIn, nOut]` (Rockpool/Xylo orientation). */
export function linear(weights: Tensor | NestedNumbers, options: LinearOptions = {}): HwGraph {
  const w = asTensor(weights);
  if (w.shape.length !== 2)
    throw new GraphError(
      diag('error', 'graph.weight-shape', options.name ?? 'linear', 'weights must be 2-D [nIn, nOut]'),
    );
  const spec = {
    kind: 'linear' as const,
    weights: w,
    ...(options.bias !== undefined ? { bias: asTensor(options.bias) } : {}),
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.origin !== undefined ? { origin: options.origin } : {}),
  };
  const { graph, id } = addModule(emptyGraph(), spec, w.shape[0]!, w.shape[1]!);
  const m = graph.modules.get(id)!;
  return withBoundary(graph, m.inputs, m.outputs);
}

/** Options of {@link lif}. Times in seconds. */
export interface LifOptions {
  /** Number of neurons. */
  n: number;
  /** Synapses per neuron (default 1). Input channel = `neuron * synapses + s`. */
  synapses?: number;
  tauMem: ParamValues;
  /** One value, one per synapse index (length `synapses`), or one per input channel. */
  tauSyn: ParamValues;
  threshold?: ParamValues;
  bias?: ParamValues;
  dt?: number;
  /** Recurrent weights `[n, n * synapses]` (input-major), added as a `LinearWeights` named `<name>_rec`. */
  wRec?: Tensor | NestedNumbers;
  name?: string;
  origin?: string;
}

/** A `LIFNeuronWithSynsRealValue` population, plus recurrent weights when `wRec` is given. */
export function lif(o: LifOptions): HwGraph {
  const S = o.synapses ?? 1;
  const name = o.name ?? 'lif';
  let tauSyn: Float64Array;
  if (typeof o.tauSyn !== 'number' && o.tauSyn.length === S && S > 1) {
    tauSyn = new Float64Array(o.n * S);
    for (let i = 0; i < o.n; i++) for (let s = 0; s < S; s++) tauSyn[i * S + s] = o.tauSyn[s]!;
  } else tauSyn = vec(o.tauSyn, o.n * S, `${name}.tauSyn`);
  const spec = {
    kind: 'lif' as const,
    name,
    tauMem: vec(o.tauMem, o.n, `${name}.tauMem`),
    tauSyn,
    threshold: vec(o.threshold ?? 1, o.n, `${name}.threshold`),
    bias: vec(o.bias ?? 0, o.n, `${name}.bias`),
    ...(o.dt !== undefined ? { dt: o.dt } : {}),
    ...(o.origin !== undefined ? { origin: o.origin } : {}),
  };
  let { graph, id } = addModule(emptyGraph(), spec, o.n * S, o.n);
  const m = graph.modules.get(id)!;
  if (o.wRec !== undefined) {
    const w = asTensor(o.wRec);
    graph = addModule(graph, { kind: 'linear', name: `${name}_rec`, weights: w }, 0, 0, {
      inputs: m.outputs,
      outputs: m.inputs,
    }).graph;
  }
  return withBoundary(graph, m.inputs, m.outputs);
}

/** Options of {@link rate}. */
export interface RateOptions {
  n: number;
  tau: ParamValues;
  bias?: ParamValues;
  dt?: number;
  wRec?: Tensor | NestedNumbers;
  name?: string;
}

/** A `RateNeuronWithSynsRealValue` population (+ recurrent weights). */
export function rate(o: RateOptions): HwGraph {
  const name = o.name ?? 'rate';
  const spec = {
    kind: 'rate' as const,
    name,
    tau: vec(o.tau, o.n, `${name}.tau`),
    bias: vec(o.bias ?? 0, o.n, `${name}.bias`),
    ...(o.dt !== undefined ? { dt: o.dt } : {}),
  };
  let { graph, id } = addModule(emptyGraph(), spec, o.n, o.n);
  const m = graph.modules.get(id)!;
  if (o.wRec !== undefined) {
    graph = addModule(graph, { kind: 'linear', name: `${name}_rec`, weights: asTensor(o.wRec) }, 0, 0, {
      inputs: m.outputs,
      outputs: m.inputs,
    }).graph;
  }
  return withBoundary(graph, m.inputs, m.outputs);
}

/** A generic module (Rockpool `GraphModule._factory`), e.g. for tests or user kinds. */
export function genericModule(
  nIn: number,
  nOut: number,
  name?: string,
  kind: 'module' | 'neurons' = 'module',
): HwGraph {
  const { graph, id } = addModule(emptyGraph(), { kind, ...(name !== undefined ? { name } : {}) }, nIn, nOut);
  const m = graph.modules.get(id)!;
  return withBoundary(graph, m.inputs, m.outputs);
}

/** A pass-through block (Rockpool's Dropout graph): inputs are outputs, no module. */
export function passThrough(n: number): HwGraph {
  const { graph, channels } = addChannels(emptyGraph(), n);
  return withBoundary(graph, channels, channels);
}

/** Appends `part` after `g` (disjoint union, then `g.outputs → part.inputs`). */
export function chain(g: HwGraph, part: HwGraph): HwGraph {
  const { graph, channelMap } = merge(g, part);
  const mapC = (c: ChannelId): ChannelId => channelMap.get(c)!;
  const partIn = part.inputs.map(mapC);
  const partOut = part.outputs.map(mapC);
  const withB = withBoundary(graph, g.inputs, partOut);
  return connect(
    withB,
    { name: 'previous', inputs: [], outputs: g.outputs },
    { name: 'next', inputs: partIn, outputs: partOut },
  );
}

/** Rockpool `Sequential`: each part's outputs connected to the next part's inputs. */
export function sequential(...parts: HwGraph[]): HwGraph {
  if (parts.length === 0) return emptyGraph();
  let g = parts[0]!;
  for (const p of parts.slice(1)) g = chain(g, p);
  return g;
}

/**
 * Rockpool `Residual`: the sequential block plus an `AliasConnection` from the block's inputs to
 * its outputs (the outputs then have two sources = sum). Requires equal input and output sizes.
 */
export function residual(...parts: HwGraph[]): HwGraph & { readonly aliasId: string } {
  const block = sequential(...parts);
  if (block.inputs.length !== block.outputs.length) {
    throw new GraphError(
      diag(
        'error',
        'graph.residual-arity',
        'residual',
        `Residual blocks need size_in == size_out (${block.inputs.length} vs ${block.outputs.length})`,
      ),
    );
  }
  const { graph, id } = addModule(block, { kind: 'alias', name: 'residual_aliases' }, 0, 0, {
    inputs: block.inputs,
    outputs: block.outputs,
  });
  return Object.assign(graph, { aliasId: id });
}
