/**
 * NIR model ↔ plain dictionary tree (the same tree as the HDF5 layout of the reference: groups are
 * objects, datasets are tensors or string tensors). Used by the HDF5 reader/writer and the JSON
 * debug form.
 *
 * @module
 */
import { type Diagnostic, diag } from '../diagnostics.ts';
import { full, sizeOf, type Tensor, tensor, zeros } from '../tensor.ts';
import { checkParameterValues, TENSOR_PARAMS } from './params.ts';
import {
  type Meta,
  type MetaValue,
  NIR_NODE_TYPES,
  type NirGraph,
  type NirNode,
  type NirNodeType,
  nirGraph,
} from './types.ts';

/** A string dataset (vlen UTF-8 in HDF5); scalar when `shape = []`. */
export interface StringTensor {
  readonly dtype: 'string';
  readonly shape: readonly number[];
  readonly data: readonly string[];
}

/** A value of the dictionary tree: a numeric dataset, a string dataset or a group. */
export type NirDictValue = Tensor | StringTensor | NirDict;
/** A group of the dictionary tree. */
export interface NirDict {
  readonly [key: string]: NirDictValue;
}

/** True for a numeric or string dataset (not a group). */
export function isDataset(v: NirDictValue): v is Tensor | StringTensor {
  return (
    typeof (v as { dtype?: unknown }).dtype === 'string' &&
    Array.isArray((v as { shape?: unknown }).shape) &&
    'data' in v
  );
}

/** True for a string dataset. */
export function isStringTensor(v: NirDictValue): v is StringTensor {
  return isDataset(v) && v.dtype === 'string';
}

const str = (s: string): StringTensor => ({ dtype: 'string', shape: [], data: [s] });
const i64 = (v: number | readonly number[]): Tensor =>
  typeof v === 'number'
    ? tensor(v, { dtype: 'int64' })
    : tensor([...v], { dtype: 'int64', shape: [v.length] });

function metaToDict(m: Meta): NirDict {
  const out: Record<string, NirDictValue> = {};
  for (const [k, v] of Object.entries(m)) out[k] = metaValueToDict(v);
  return out;
}

function metaValueToDict(v: MetaValue): NirDictValue {
  if (typeof v === 'string') return str(v);
  if (typeof v === 'number') return tensor(v, { dtype: Number.isInteger(v) ? 'int64' : 'float64' });
  if (typeof v === 'boolean') return tensor(v ? 1 : 0, { dtype: 'bool' });
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string'))
      return { dtype: 'string', shape: [v.length], data: [...(v as string[])] };
    const nums = v as number[];
    return tensor(nums, { dtype: nums.every(Number.isInteger) ? 'int64' : 'float64', shape: [nums.length] });
  }
  if (isDataset(v as NirDictValue)) return v as Tensor;
  return metaToDict(v as Meta);
}

function dictToMeta(d: NirDict): Meta {
  const out: Record<string, MetaValue> = {};
  for (const [k, v] of Object.entries(d)) {
    if (!isDataset(v)) out[k] = dictToMeta(v);
    else if (v.dtype === 'string') out[k] = v.shape.length === 0 ? (v.data[0] ?? '') : [...v.data];
    else if (v.shape.length === 0) out[k] = v.dtype === 'bool' ? v.data[0] !== 0 : v.data[0]!;
    else if (v.shape.length === 1 && (v.dtype === 'int64' || v.dtype === 'float64'))
      out[k] = Array.from(v.data);
    else out[k] = v;
  }
  return out;
}

/**
 * Converts a node (or graph) to its dictionary tree, exactly as the HDF5 layout: `type`, one
 * entry per parameter, `nodes`/`edges` for graphs, `metadata` only when non-empty. `null` values
 * are omitted (never written).
 */
export function toDict(node: NirNode): NirDict {
  const out: Record<string, NirDictValue> = { type: str(node.type) };
  switch (node.type) {
    case 'Input':
    case 'Output':
      out.shape = i64(node.shape);
      break;
    case 'Conv1d':
    case 'Conv2d':
      if (node.input_shape !== null) out.input_shape = i64(node.input_shape);
      out.weight = node.weight;
      out.stride = i64(node.stride);
      out.padding = typeof node.padding === 'string' ? str(node.padding) : i64(node.padding);
      out.dilation = i64(node.dilation);
      out.groups = i64(node.groups);
      out.bias = node.bias;
      break;
    case 'SumPool2d':
    case 'AvgPool2d':
      out.kernel_size = i64(node.kernel_size);
      out.stride = i64(node.stride);
      out.padding = i64(node.padding);
      break;
    case 'Flatten':
      if (node.input_type !== null) out.input_type = i64(node.input_type);
      out.start_dim = i64(node.start_dim);
      out.end_dim = i64(node.end_dim);
      break;
    case 'NIRGraph': {
      const nodes: Record<string, NirDictValue> = {};
      for (const [k, v] of node.nodes) nodes[k] = toDict(v);
      out.nodes = nodes;
      out.edges = {
        dtype: 'string',
        shape: [node.edges.length, 2],
        data: node.edges.flat(),
      };
      break;
    }
    default:
      for (const [k, v] of Object.entries(node)) if (k !== 'type' && k !== 'metadata') out[k] = v as Tensor;
  }
  if (node.metadata && Object.keys(node.metadata).length > 0) out.metadata = metaToDict(node.metadata);
  return out;
}

/** Result of {@link fromDict}: the node, or `undefined` when it could not be built, plus diagnostics. */
export interface FromDictResult<N extends NirNode = NirNode> {
  readonly node: N | undefined;
  readonly diagnostics: Diagnostic[];
}

/**
 * Builds a node from its dictionary tree. Applies the reader defaults (missing `v_reset` → zeros,
 * missing `w_in` → ones, missing `input_shape`/`input_type` → null) and reports everything
 * else (unknown types, missing or malformed parameters) as diagnostics with node paths. Never throws.
 */
export function fromDict(d: NirDict, path = ''): FromDictResult {
  const diagnostics: Diagnostic[] = [];
  const at = (k: string): string => (path ? `${path}.${k}` : k);
  const typeV = d.type;
  if (!typeV || !isStringTensor(typeV) || typeV.data.length !== 1) {
    diagnostics.push(diag('error', 'nir.missing-type', path, 'node has no string `type` dataset'));
    return { node: undefined, diagnostics };
  }
  const type = typeV.data[0]!;
  if (!(NIR_NODE_TYPES as readonly string[]).includes(type)) {
    diagnostics.push(
      diag('error', 'nir.unknown-node-type', path, `unknown NIR node type ${JSON.stringify(type)}`, {
        hint: `known types: ${NIR_NODE_TYPES.join(', ')}`,
      }),
    );
    return { node: undefined, diagnostics };
  }
  let metadata: Meta | undefined;
  if (d.metadata !== undefined) {
    if (isDataset(d.metadata))
      diagnostics.push(diag('warning', 'nir.metadata', at('metadata'), 'metadata is not a group; ignored'));
    else metadata = dictToMeta(d.metadata);
  }
  const withMeta = <N extends NirNode>(n: N): N =>
    metadata && Object.keys(metadata).length ? { ...n, metadata } : n;
  let bad = false;
  const tensorParam = (k: string): Tensor | undefined => {
    const v = d[k];
    if (v === undefined) return undefined;
    if (!isDataset(v) || v.dtype === 'string') {
      diagnostics.push(diag('error', 'nir.bad-parameter', at(k), `${k} must be a numeric dataset`));
      bad = true;
      return undefined;
    }
    return v;
  };
  const required = (k: string): Tensor => {
    const v = tensorParam(k);
    if (v === undefined) {
      if (d[k] === undefined)
        diagnostics.push(
          diag('error', 'nir.missing-parameter', at(k), `${type} node is missing parameter ${k}`),
        );
      bad = true;
      return zeros([0]);
    }
    return v;
  };
  const ints = (k: string, opt: boolean): number[] | null => {
    const v = opt ? tensorParam(k) : required(k);
    if (!v) return null;
    const out = Array.from(v.data as ArrayLike<number>);
    if (!out.every((x) => Number.isSafeInteger(x))) {
      diagnostics.push(diag('error', 'nir.bad-parameter', at(k), `${k} must contain integers`));
      bad = true;
    }
    return out;
  };
  const scalarInt = (k: string, dflt: number | null): number | null => {
    if (d[k] === undefined) {
      if (dflt === null) return null;
      return dflt;
    }
    const v = ints(k, true);
    return v?.[0] ?? dflt;
  };
  const pair = (k: string, dflt: number): number[] => {
    const v = ints(k, d[k] === undefined) ?? [dflt];
    return v.length === 1 ? [v[0]!, v[0]!] : v;
  };
  let node: NirNode | undefined;
  switch (type as NirNodeType) {
    case 'Input':
    case 'Output':
      node = { type: type as 'Input' | 'Output', shape: ints('shape', false) ?? [] };
      break;
    case 'Conv1d': {
      const pad = d.padding;
      node = {
        type: 'Conv1d',
        input_shape: scalarInt('input_shape', null),
        weight: required('weight'),
        stride: scalarInt('stride', 1) ?? 1,
        padding:
          pad && isStringTensor(pad) ? (pad.data[0] as 'same' | 'valid') : (scalarInt('padding', 0) ?? 0),
        dilation: scalarInt('dilation', 1) ?? 1,
        groups: scalarInt('groups', 1) ?? 1,
        bias: tensorParam('bias') ?? zeros([0]),
      };
      if (node.bias.shape[0] === 0)
        node = { ...node, bias: zeros([node.weight.shape[0] ?? 0], node.weight.dtype) };
      break;
    }
    case 'Conv2d': {
      const pad = d.padding;
      const inShape = d.input_shape === undefined ? null : ints('input_shape', true);
      const weight = required('weight');
      node = {
        type: 'Conv2d',
        input_shape: inShape ? (inShape.length === 1 ? [inShape[0]!, inShape[0]!] : inShape) : null,
        weight,
        stride: pair('stride', 1),
        padding: pad && isStringTensor(pad) ? (pad.data[0] as 'same' | 'valid') : pair('padding', 0),
        dilation: pair('dilation', 1),
        groups: scalarInt('groups', 1) ?? 1,
        bias: tensorParam('bias') ?? zeros([weight.shape[0] ?? 0], weight.dtype),
      };
      break;
    }
    case 'SumPool2d':
    case 'AvgPool2d':
      node = {
        type: type as 'SumPool2d',
        kernel_size: pair('kernel_size', 1),
        stride: pair('stride', 1),
        padding: pair('padding', 0),
      };
      break;
    case 'Flatten':
      node = {
        type: 'Flatten',
        input_type: d.input_type === undefined ? null : ints('input_type', true),
        start_dim: scalarInt('start_dim', 1) ?? 1,
        end_dim: scalarInt('end_dim', -1) ?? -1,
      };
      break;
    case 'NIRGraph': {
      const nodesV = d.nodes;
      const nodes = new Map<string, NirNode>();
      if (nodesV === undefined || isDataset(nodesV)) {
        diagnostics.push(
          diag('error', 'nir.missing-parameter', at('nodes'), 'NIRGraph has no `nodes` group'),
        );
        bad = true;
      } else {
        for (const [k, v] of Object.entries(nodesV)) {
          const p = path ? `${path}.${k}` : k;
          if (isDataset(v)) {
            diagnostics.push(diag('error', 'nir.bad-node', p, 'node entry is a dataset, expected a group'));
            continue;
          }
          const r = fromDict(v, p);
          diagnostics.push(...r.diagnostics);
          if (r.node) nodes.set(k, r.node);
        }
      }
      const edges: [string, string][] = [];
      const e = d.edges;
      if (e === undefined) {
        diagnostics.push(
          diag(
            'warning',
            'nir.missing-parameter',
            at('edges'),
            'NIRGraph has no `edges` dataset; assuming none',
          ),
        );
      } else if (isStringTensor(e)) {
        if (e.data.length % 2 !== 0)
          diagnostics.push(diag('error', 'nir.bad-parameter', at('edges'), 'edges must have shape (E, 2)'));
        for (let i = 0; i + 1 < e.data.length; i += 2) edges.push([e.data[i]!, e.data[i + 1]!]);
      } else if (isDataset(e) && sizeOf(e.shape) !== 0) {
        diagnostics.push(diag('error', 'nir.bad-parameter', at('edges'), 'edges must be strings'));
      }
      node = nirGraph(nodes, edges);
      break;
    }
    default: {
      const params = TENSOR_PARAMS[type as NirNodeType]!;
      const rec: Record<string, unknown> = { type };
      for (const spec of params) {
        const opt = spec.endsWith('?');
        const k = opt ? spec.slice(0, -1) : spec;
        const v = opt ? tensorParam(k) : required(k);
        if (v) rec[k] = v;
      }
      const shapeRef = (rec.v_threshold ?? rec.v_leak ?? rec.r) as Tensor | undefined;
      if (params.includes('v_reset?') && rec.v_reset === undefined && shapeRef)
        rec.v_reset = zeros(shapeRef.shape, shapeRef.dtype);
      if (params.includes('w_in?') && rec.w_in === undefined && shapeRef)
        rec.w_in = full(shapeRef.shape, 1, shapeRef.dtype);
      node = rec as unknown as NirNode;
    }
  }
  if ((bad && type !== 'NIRGraph') || !node) return { node: undefined, diagnostics };
  diagnostics.push(...checkParameterValues(node, path));
  return { node: withMeta(node), diagnostics };
}

/** Reads a whole graph from a dictionary tree (top-level must be a `NIRGraph`). */
export function graphFromDict(d: NirDict): { graph: NirGraph | undefined; diagnostics: Diagnostic[] } {
  const r = fromDict(d);
  if (r.node && r.node.type !== 'NIRGraph') {
    return {
      graph: nirGraph({ node: r.node }, []),
      diagnostics: [
        ...r.diagnostics,
        diag('warning', 'nir.not-a-graph', '', `top-level node is a ${r.node.type}, wrapped in a graph`),
      ],
    };
  }
  return { graph: r.node as NirGraph | undefined, diagnostics: r.diagnostics };
}
