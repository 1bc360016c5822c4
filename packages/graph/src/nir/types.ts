/**
 * The NIR model: named nodes (continuous-time primitives) connected by identity edges.
 * Names and fields are exactly those of the file format; times are in seconds.
 * Weights are NIR-oriented `[out, in]`.
 *
 * @module
 */
import type { Tensor } from '../tensor.ts';

/** A metadata value: strings, numbers, booleans, number/string arrays, tensors or nested maps. */
export type MetaValue = string | number | boolean | readonly number[] | readonly string[] | Tensor | Meta;
/** Free-form metadata of a node or graph (never needed for execution). */
export interface Meta {
  readonly [key: string]: MetaValue;
}

interface Base {
  readonly metadata?: Meta;
}

/** Graph entry point. */
export interface NirInput extends Base {
  readonly type: 'Input';
  readonly shape: readonly number[];
}
/** Graph exit point. */
export interface NirOutput extends Base {
  readonly type: 'Output';
  readonly shape: readonly number[];
}
/** y = W·x + b, `weight [..., out, in]`. */
export interface NirAffine extends Base {
  readonly type: 'Affine';
  readonly weight: Tensor;
  readonly bias: Tensor;
}
/** y = W·x. */
export interface NirLinear extends Base {
  readonly type: 'Linear';
  readonly weight: Tensor;
}
/** y = s ⊙ x. */
export interface NirScale extends Base {
  readonly type: 'Scale';
  readonly scale: Tensor;
}
/** Padding of a convolution: per-axis numbers or a mode string. */
export type ConvPadding = readonly number[] | 'same' | 'valid';
/** 1-D convolution (PyTorch cross-correlation), `weight [C_out, C_in/groups, K]`. */
export interface NirConv1d extends Base {
  readonly type: 'Conv1d';
  readonly input_shape: number | null;
  readonly weight: Tensor;
  readonly stride: number;
  readonly padding: number | 'same' | 'valid';
  readonly dilation: number;
  readonly groups: number;
  readonly bias: Tensor;
}
/** 2-D convolution, `weight [C_out, C_in/groups, kH, kW]`. */
export interface NirConv2d extends Base {
  readonly type: 'Conv2d';
  readonly input_shape: readonly number[] | null;
  readonly weight: Tensor;
  readonly stride: readonly number[];
  readonly padding: ConvPadding;
  readonly dilation: readonly number[];
  readonly groups: number;
  readonly bias: Tensor;
}
/** Sum or average pooling over 2-D windows. */
export interface NirPool2d extends Base {
  readonly type: 'SumPool2d' | 'AvgPool2d';
  readonly kernel_size: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
}
/** Reshape only. `start_dim` defaults to 1, `end_dim` to −1 (dims exclude batch). */
export interface NirFlatten extends Base {
  readonly type: 'Flatten';
  readonly input_type: readonly number[] | null;
  readonly start_dim: number;
  readonly end_dim: number;
}
/** y_i(t) = x_i(t − delay_i), delays in seconds. */
export interface NirDelay extends Base {
  readonly type: 'Delay';
  readonly delay: Tensor;
}
/** Heaviside z = x > θ. */
export interface NirThreshold extends Base {
  readonly type: 'Threshold';
  readonly threshold: Tensor;
}
/** Integrator dv/dt = R·I. */
export interface NirI extends Base {
  readonly type: 'I';
  readonly r: Tensor;
}
/** Integrate-and-fire. */
export interface NirIF extends Base {
  readonly type: 'IF';
  readonly r: Tensor;
  readonly v_threshold: Tensor;
  readonly v_reset: Tensor;
}
/** Leaky integrator τ·dv/dt = (v_leak − v) + R·I. */
export interface NirLI extends Base {
  readonly type: 'LI';
  readonly tau: Tensor;
  readonly r: Tensor;
  readonly v_leak: Tensor;
}
/** Leaky integrate-and-fire. */
export interface NirLIF extends Base {
  readonly type: 'LIF';
  readonly tau: Tensor;
  readonly r: Tensor;
  readonly v_leak: Tensor;
  readonly v_threshold: Tensor;
  readonly v_reset: Tensor;
}
/** Current-based leaky integrator. */
export interface NirCubaLI extends Base {
  readonly type: 'CubaLI';
  readonly tau_syn: Tensor;
  readonly tau_mem: Tensor;
  readonly r: Tensor;
  readonly v_leak: Tensor;
  readonly w_in: Tensor;
}
/** Current-based LIF. */
export interface NirCubaLIF extends Base {
  readonly type: 'CubaLIF';
  readonly tau_syn: Tensor;
  readonly tau_mem: Tensor;
  readonly r: Tensor;
  readonly v_leak: Tensor;
  readonly v_threshold: Tensor;
  readonly v_reset: Tensor;
  readonly w_in: Tensor;
}
/** A graph; itself a node (nesting). Fan-in (several edges into a node) means summation. */
export interface NirGraph extends Base {
  readonly type: 'NIRGraph';
  readonly nodes: ReadonlyMap<string, NirNode>;
  readonly edges: readonly (readonly [string, string])[];
}

/** Any NIR node. */
export type NirNode =
  | NirInput
  | NirOutput
  | NirAffine
  | NirLinear
  | NirScale
  | NirConv1d
  | NirConv2d
  | NirPool2d
  | NirFlatten
  | NirDelay
  | NirThreshold
  | NirI
  | NirIF
  | NirLI
  | NirLIF
  | NirCubaLI
  | NirCubaLIF
  | NirGraph;

/** The `type` strings of all NIR nodes. */
export type NirNodeType = NirNode['type'];

/** All node type names, as written in files. */
export const NIR_NODE_TYPES: readonly NirNodeType[] = [
  'Input',
  'Output',
  'Affine',
  'Linear',
  'Scale',
  'Conv1d',
  'Conv2d',
  'SumPool2d',
  'AvgPool2d',
  'Flatten',
  'Delay',
  'Threshold',
  'I',
  'IF',
  'LI',
  'LIF',
  'CubaLI',
  'CubaLIF',
  'NIRGraph',
];

/** Creates a graph from a record or map of nodes and a list of edges. */
export function nirGraph(
  nodes: Readonly<Record<string, NirNode>> | ReadonlyMap<string, NirNode>,
  edges: readonly (readonly [string, string])[],
  metadata?: Meta,
): NirGraph {
  const map = nodes instanceof Map ? new Map(nodes) : new Map(Object.entries(nodes));
  return {
    type: 'NIRGraph',
    nodes: map,
    edges: edges.map(([a, b]) => [a, b] as const),
    ...(metadata ? { metadata } : {}),
  };
}
