/**
 * The device-independent Xylo specification produced by the mapper and consumed by the quantisers
 * and the configuration writer. Matrices are always 3-D for input/recurrent weights.
 *
 * @module
 */
import { type NestedNumbers, type Tensor, tensor, toNested } from '../../tensor.ts';
import type { HardwareProfile } from '../profiles.ts';

/** A mapped (and possibly quantised) network in Xylo terms. */
export interface XyloSpec {
  /** Profile id. */
  readonly device: string;
  /** Common time step in seconds. */
  readonly dt: number;
  /** `[nIn, nIen, S]`: input expansion weights (nIen = all hidden on XyloAudio 2). */
  readonly weightsIn: Tensor;
  /** `[nHidden, nHidden, S]`: recurrent and hidden→hidden weights (rows = presynaptic). */
  readonly weightsRec: Tensor;
  /** `[nOen, nOut]`: readout weights (rows = the output expansion neurons). */
  readonly weightsOut: Tensor;
  readonly dashMem: Float64Array;
  readonly dashSyn: Float64Array;
  readonly dashSyn2: Float64Array;
  readonly threshold: Float64Array;
  readonly bias: Float64Array;
  readonly dashMemOut: Float64Array;
  readonly dashSynOut: Float64Array;
  readonly thresholdOut: Float64Array;
  readonly biasOut: Float64Array;
  readonly weightShiftIn: number;
  readonly weightShiftRec: number;
  readonly weightShiftOut: number;
  /** Alias targets per hidden neuron (length nHidden). */
  readonly aliases: readonly (readonly number[])[];
  /** Hardware ids of the readout rows of `weightsOut` (the output expansion neurons). */
  readonly oenIds: readonly number[];
  /** Hardware ids of the output neurons (starting at the profile's hidden count). */
  readonly outputIds: readonly number[];
  /** True once a quantiser has run (values are integers). */
  readonly quantised: boolean;
}

/** Rockpool's specification dictionary (key names as in Python), JSON-friendly, for cross-checking. */
export interface RockpoolSpec {
  weights_in: NestedNumbers;
  weights_rec: NestedNumbers;
  weights_out: NestedNumbers;
  dash_mem: number[];
  dash_mem_out: number[];
  dash_syn: number[];
  dash_syn_2: number[];
  dash_syn_out: number[];
  threshold: number[];
  threshold_out: number[];
  bias: number[];
  bias_out: number[];
  weight_shift_in: number;
  weight_shift_rec: number;
  weight_shift_out: number;
  aliases: number[][];
  dt: number;
}

function squeeze3(t: Tensor): Tensor {
  if (t.shape.length === 3 && t.shape[2] === 1) return { ...t, shape: [t.shape[0]!, t.shape[1]!] };
  return t;
}

/**
 * Rockpool's key names and matrix shapes (2-D input/recurrent matrices for single-synapse
 * XyloAudio 2 networks, as its mapper returns them), as plain arrays for `json.dumps` parity.
 */
export function toRockpoolSpec(spec: XyloSpec, profile: HardwareProfile): RockpoolSpec {
  const sq = profile.rockpoolSqueeze ? squeeze3 : (t: Tensor) => t;
  const a = (x: Float64Array): number[] => Array.from(x);
  return {
    weights_in: toNested(sq(spec.weightsIn)),
    weights_rec: toNested(sq(spec.weightsRec)),
    weights_out: toNested(spec.weightsOut),
    dash_mem: a(spec.dashMem),
    dash_mem_out: a(spec.dashMemOut),
    dash_syn: a(spec.dashSyn),
    dash_syn_2: a(spec.dashSyn2),
    dash_syn_out: a(spec.dashSynOut),
    threshold: a(spec.threshold),
    threshold_out: a(spec.thresholdOut),
    bias: a(spec.bias),
    bias_out: a(spec.biasOut),
    weight_shift_in: spec.weightShiftIn,
    weight_shift_rec: spec.weightShiftRec,
    weight_shift_out: spec.weightShiftOut,
    aliases: spec.aliases.map((x) => [...x]),
    dt: spec.dt,
  };
}

function to3d(v: NestedNumbers): Tensor {
  const t = tensor(v);
  return t.shape.length === 2 ? { ...t, shape: [t.shape[0]!, t.shape[1]!, 1] } : t;
}

/** Builds a spec from Rockpool-style keys (2-D matrices are promoted to 3-D, like its quantisers do). */
export function fromRockpoolSpec(
  r: Partial<RockpoolSpec> & Pick<RockpoolSpec, 'weights_in' | 'weights_out'>,
  device = 'xylo-audio-2',
): XyloSpec {
  const weightsIn = to3d(r.weights_in);
  const nHid = weightsIn.shape[1]!;
  const weightsRec =
    r.weights_rec !== undefined
      ? to3d(r.weights_rec)
      : tensor(new Float64Array(nHid * nHid), { shape: [nHid, nHid, 1] });
  const weightsOut = tensor(r.weights_out);
  const nH = weightsRec.shape[0]!;
  const nOut = weightsOut.shape[1]!;
  const v = (x: number[] | undefined, n: number, d = 0) =>
    x ? Float64Array.from(x) : new Float64Array(n).fill(d);
  return {
    device,
    dt: r.dt ?? 1e-3,
    weightsIn,
    weightsRec,
    weightsOut,
    dashMem: v(r.dash_mem, nH, 1),
    dashSyn: v(r.dash_syn, nH, 1),
    dashSyn2: v(r.dash_syn_2, nH, 0),
    threshold: v(r.threshold, nH),
    bias: v(r.bias, nH),
    dashMemOut: v(r.dash_mem_out, nOut, 1),
    dashSynOut: v(r.dash_syn_out, nOut, 1),
    thresholdOut: v(r.threshold_out, nOut),
    biasOut: v(r.bias_out, nOut),
    weightShiftIn: r.weight_shift_in ?? 0,
    weightShiftRec: r.weight_shift_rec ?? 0,
    weightShiftOut: r.weight_shift_out ?? 0,
    aliases: r.aliases ?? Array.from({ length: nH }, () => []),
    oenIds: Array.from({ length: weightsOut.shape[0]! }, (_, i) => nH - weightsOut.shape[0]! + i),
    outputIds: Array.from({ length: nOut }, (_, i) => nH + i),
    quantised: false,
  };
}
