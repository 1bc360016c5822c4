/**
 * Example nodes of every NIR type (used by round-trip tests and docs).
 *
 * @module
 */

import { type Meta, type NirGraph, type NirNode, nirGraph } from '../../src/nir/types.ts';
import { tensor } from '../../src/tensor.ts';

const f32 = (v: number[], shape?: number[]) => tensor(v, { dtype: 'float32', shape: shape ?? [v.length] });
const f64 = (v: number[], shape?: number[]) => tensor(v, { dtype: 'float64', shape: shape ?? [v.length] });

/** One node of every leaf type, with small parameters, optionally carrying `metadata`. */
export function exampleNodes(metadata?: Meta): Record<string, NirNode> {
  const m = metadata ? { metadata } : {};
  return {
    input: { type: 'Input', shape: [3], ...m },
    output: { type: 'Output', shape: [2], ...m },
    affine: { type: 'Affine', weight: f32([1, 2, 3, 4, 5, 6], [2, 3]), bias: f32([0.5, -0.5]), ...m },
    linear: { type: 'Linear', weight: f64([1, 0, 0, 1], [2, 2]), ...m },
    scale: { type: 'Scale', scale: f32([2, 3]), ...m },
    conv1d: {
      type: 'Conv1d',
      input_shape: 100,
      weight: f32(
        Array.from({ length: 2 * 1 * 3 }, (_, i) => i),
        [2, 1, 3],
      ),
      stride: 2,
      padding: 1,
      dilation: 1,
      groups: 1,
      bias: f32([0, 1]),
      ...m,
    },
    conv2d: {
      type: 'Conv2d',
      input_shape: [100, 100],
      weight: f32(
        Array.from({ length: 3 * 1 * 9 }, (_, i) => i / 10),
        [3, 1, 3, 3],
      ),
      stride: [1, 2],
      padding: [1, 1],
      dilation: [1, 1],
      groups: 1,
      bias: f32([0, 0, 0]),
      ...m,
    },
    conv2dSame: {
      type: 'Conv2d',
      input_shape: [8, 8],
      weight: f32(Array(4).fill(1), [1, 1, 2, 2]),
      stride: [1, 1],
      padding: 'same',
      dilation: [1, 1],
      groups: 1,
      bias: f32([0]),
      ...m,
    },
    sumpool: { type: 'SumPool2d', kernel_size: [2, 2], stride: [2, 2], padding: [0, 0], ...m },
    avgpool: { type: 'AvgPool2d', kernel_size: [2, 2], stride: [2, 2], padding: [0, 0], ...m },
    flatten: { type: 'Flatten', input_type: [1, 64, 64], start_dim: 0, end_dim: 2, ...m },
    delay: { type: 'Delay', delay: f64([0.001, 0.002]), ...m },
    threshold: { type: 'Threshold', threshold: f64([0.5, 1]), ...m },
    i: { type: 'I', r: f64([1, 2]), ...m },
    if: { type: 'IF', r: f64([1, 1]), v_threshold: f64([1, 1]), v_reset: f64([0, 0.1]), ...m },
    li: { type: 'LI', tau: f64([0.01, 0.02]), r: f64([1, 1]), v_leak: f64([0, 0]), ...m },
    lif: {
      type: 'LIF',
      tau: f64([0.01, 0.02]),
      r: f64([1, 1]),
      v_leak: f64([0, 0]),
      v_threshold: f64([1, 1]),
      v_reset: f64([0, 0]),
      ...m,
    },
    cubali: {
      type: 'CubaLI',
      tau_syn: f64([0.002, 0.002]),
      tau_mem: f64([0.01, 0.01]),
      r: f64([1, 1]),
      v_leak: f64([0, 0]),
      w_in: f64([1, 2]),
      ...m,
    },
    cubalif: {
      type: 'CubaLIF',
      tau_syn: f64([0.002, 0.002]),
      tau_mem: f64([0.01, 0.01]),
      r: f64([1, 1]),
      v_leak: f64([0, 0]),
      v_threshold: f64([1, 1]),
      v_reset: f64([0, 0]),
      w_in: f64([1, 1]),
      ...m,
    },
  };
}

/** A graph holding every node type (edges only where shapes fit) plus a nested recurrent subgraph. */
export function exampleGraph(metadata?: Meta): NirGraph {
  const nodes: Record<string, NirNode> = { ...exampleNodes(metadata) };
  const m = metadata ? { metadata } : {};
  nodes.sub = nirGraph(
    {
      in: { type: 'Input', shape: [2], ...m },
      a: {
        type: 'LIF',
        tau: f64([0.01, 0.01]),
        r: f64([1, 1]),
        v_leak: f64([0, 0]),
        v_threshold: f64([1, 1]),
        v_reset: f64([0, 0]),
        ...m,
      },
      w: { type: 'Linear', weight: f64([0, 1, 1, 0], [2, 2]), ...m },
      out: { type: 'Output', shape: [2], ...m },
    },
    [
      ['in', 'a'],
      ['a', 'w'],
      ['w', 'a'],
      ['a', 'out'],
    ],
    metadata,
  );
  return nirGraph(
    nodes,
    [
      ['input', 'affine'],
      ['affine', 'sub'],
      ['sub', 'lif'],
      ['lif', 'lif'],
      ['lif', 'output'],
    ],
    metadata,
  );
}
