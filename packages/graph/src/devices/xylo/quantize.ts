/**
 * Global and per-channel quantisation of a Xylo specification with numpy semantics
 * (round half to even). Matrices come out as `int32` tensors holding the integer values;
 * neuron vectors as integer-valued `Float64Array`s.
 *
 * Two behaviours:
 * - `compat: 'default'`: the documented intent — output bias scaled with the readout scale,
 *   hidden bias scaled in channel mode for one synapse, a threshold overflow rescales only its own
 *   group (including its biases), overflow is tested on `max |θ|`, and everything is clipped to
 *   the integer ranges with a diagnostic.
 * - `compat: 'rockpool'`: reproduces Rockpool's quirks for golden tests (output bias × hidden
 *   scale, unscaled hidden bias with one synapse in channel mode, the readout overflow correction
 *   also rescaling `w_rec`, overflow tested on the signed maximum, no clipping).
 *   Rockpool's channel-mode off-by-one (`IndexError` when `j == N_IEN`) is not reproduced.
 *
 * @module
 */
import { type Diagnostic, diag } from '../../diagnostics.ts';
import { roundHalfEven, type Tensor } from '../../tensor.ts';
import type { XyloSpec } from './spec.ts';

/** Options of the quantisers. */
export interface QuantizeOptions {
  /** Signed weight bits (default 8 → ±127). */
  bitsPerWeight?: number;
  /** Signed threshold bits (default 16 → ±32767). */
  bitsPerThreshold?: number;
  /** `'default'` (documented intent) or `'rockpool'` (upstream quirks, for golden tests). */
  compat?: 'default' | 'rockpool';
  /** Global mode only: scale by `|mean| + 2·std` of the non-zero weights instead of `max |w|`. */
  fuzzyScaling?: boolean;
  /** Largest dash value (default 15). */
  maxDash?: number;
}

/** Result of a quantiser. */
export interface QuantizeResult {
  readonly spec: XyloSpec;
  readonly diagnostics: Diagnostic[];
}

const r = roundHalfEven;

function maxAbs(...arrays: ArrayLike<number>[]): number {
  let m = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

function fuzzyRef(...arrays: ArrayLike<number>[]): number {
  const nz: number[] = [];
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (a[i] !== 0) nz.push(a[i]!);
  if (nz.length === 0) return 0;
  const mean = nz.reduce((s, x) => s + x, 0) / nz.length;
  const std = Math.sqrt(nz.reduce((s, x) => s + (x - mean) ** 2, 0) / nz.length);
  return Math.abs(mean) + 2 * std;
}

const scaled = (a: ArrayLike<number>, s: number): Float64Array => Float64Array.from(a, (x) => r(x * s));
const asInt = (t: Tensor, data: ArrayLike<number>): Tensor => ({
  dtype: 'int32',
  shape: [...t.shape],
  data: Int32Array.from(data),
});

/** What a quantisation computes: the scaled weights (data only), thresholds and biases. */
interface QuantizedParts {
  readonly weightsIn: ArrayLike<number>;
  readonly weightsRec: ArrayLike<number>;
  readonly weightsOut: ArrayLike<number>;
  readonly threshold: ArrayLike<number>;
  readonly thresholdOut: ArrayLike<number>;
  readonly bias: ArrayLike<number>;
  readonly biasOut: ArrayLike<number>;
}

/** Clips `parts` into the device's ranges and rounds the time constants of `spec` (dash values). */
function finish(
  spec: XyloSpec,
  parts: QuantizedParts,
  o: QuantizeOptions,
  diagnostics: Diagnostic[],
): QuantizeResult {
  const maxW = 2 ** ((o.bitsPerWeight ?? 8) - 1) - 1;
  const maxTh = 2 ** ((o.bitsPerThreshold ?? 16) - 1) - 1;
  const maxDash = o.maxDash ?? 15;
  const clip = (name: string, a: ArrayLike<number>, lo: number, hi: number): Float64Array => {
    const out = Float64Array.from(a);
    if (o.compat === 'rockpool') return out;
    let n = 0;
    for (let i = 0; i < out.length; i++) {
      if (out[i]! < lo || out[i]! > hi) {
        out[i] = Math.min(hi, Math.max(lo, out[i]!));
        n++;
      }
    }
    if (n > 0)
      diagnostics.push(
        diag('warning', 'quantize.clipped', name, `${n} value(s) of ${name} clipped to [${lo}, ${hi}]`),
      );
    return out;
  };
  const dash = (name: string, a: ArrayLike<number>) =>
    clip(
      name,
      Float64Array.from(a, (x) => r(x)),
      0,
      maxDash,
    );
  return {
    spec: {
      ...spec,
      weightsIn: asInt(spec.weightsIn, clip('weightsIn', parts.weightsIn, -maxW, maxW)),
      weightsRec: asInt(spec.weightsRec, clip('weightsRec', parts.weightsRec, -maxW, maxW)),
      weightsOut: asInt(spec.weightsOut, clip('weightsOut', parts.weightsOut, -maxW, maxW)),
      threshold: clip('threshold', parts.threshold, -maxTh, maxTh),
      thresholdOut: clip('thresholdOut', parts.thresholdOut, -maxTh, maxTh),
      bias: clip('bias', parts.bias, -maxTh, maxTh),
      biasOut: clip('biasOut', parts.biasOut, -maxTh, maxTh),
      dashMem: dash('dashMem', spec.dashMem),
      dashSyn: dash('dashSyn', spec.dashSyn),
      dashSyn2: dash('dashSyn2', spec.dashSyn2),
      dashMemOut: dash('dashMemOut', spec.dashMemOut),
      dashSynOut: dash('dashSynOut', spec.dashSynOut),
      quantised: true,
    },
    diagnostics,
  };
}

/**
 * Global quantisation: one scale for {input + recurrent weights, hidden thresholds and biases},
 * one for {readout weights, output thresholds and biases}.
 */
export function globalQuantize(spec: XyloSpec, o: QuantizeOptions = {}): QuantizeResult {
  const rockpool = o.compat === 'rockpool';
  const maxW = 2 ** ((o.bitsPerWeight ?? 8) - 1) - 1;
  const maxTh = 2 ** ((o.bitsPerThreshold ?? 16) - 1) - 1;
  const diagnostics: Diagnostic[] = [];
  const wIn = spec.weightsIn.data;
  const wRec = spec.weightsRec.data;
  const wOut = spec.weightsOut.data;
  const ref = o.fuzzyScaling ? fuzzyRef(wIn, wRec) : maxAbs(wIn, wRec, spec.bias);
  const refOut = o.fuzzyScaling ? fuzzyRef(wOut) : maxAbs(wOut, spec.biasOut);
  const s = ref === 0 ? 1 : maxW / ref;
  const sOut = refOut === 0 ? 1 : maxW / refOut;
  let qIn = scaled(wIn, s);
  let qRec = scaled(wRec, s);
  let qOut = scaled(wOut, sOut);
  let th = scaled(spec.threshold, s);
  let thOut = scaled(spec.thresholdOut, sOut);
  let bias = scaled(spec.bias, s);
  let biasOut = scaled(spec.biasOut, rockpool ? s : sOut);
  const peak = (a: Float64Array) => (rockpool ? Math.max(...a, -Infinity) : maxAbs(a));
  if (th.length && peak(th) > maxTh) {
    const f = maxTh / peak(th);
    th = scaled(th, f);
    qIn = scaled(qIn, f);
    qRec = scaled(qRec, f);
    if (!rockpool) bias = scaled(bias, f);
    diagnostics.push(
      diag(
        'info',
        'quantize.threshold-overflow',
        'threshold',
        `hidden thresholds exceeded ${maxTh}; hidden group rescaled by ${f}`,
      ),
    );
  }
  if (thOut.length && peak(thOut) > maxTh) {
    const f = maxTh / peak(thOut);
    thOut = scaled(thOut, f);
    qOut = scaled(qOut, f);
    if (rockpool) qRec = scaled(qRec, f);
    else biasOut = scaled(biasOut, f);
    diagnostics.push(
      diag(
        'info',
        'quantize.threshold-overflow',
        'thresholdOut',
        `output thresholds exceeded ${maxTh}; readout group rescaled by ${f}`,
      ),
    );
  }
  return finish(
    spec,
    {
      weightsIn: qIn,
      weightsRec: qRec,
      weightsOut: qOut,
      threshold: th,
      thresholdOut: thOut,
      bias,
      biasOut,
    },
    o,
    diagnostics,
  );
}

/** Per-channel quantisation: one scale per target neuron (column of `w_in`/`w_rec`, column of `w_out`). */
export function channelQuantize(spec: XyloSpec, o: QuantizeOptions = {}): QuantizeResult {
  const rockpool = o.compat === 'rockpool';
  const maxW = 2 ** ((o.bitsPerWeight ?? 8) - 1) - 1;
  const maxTh = 2 ** ((o.bitsPerThreshold ?? 16) - 1) - 1;
  const diagnostics: Diagnostic[] = [];
  const [nIn, nIen, S] = spec.weightsIn.shape as [number, number, number];
  const nHid = spec.weightsRec.shape[0]!;
  const [nOen, nOut] = spec.weightsOut.shape as [number, number];
  const wIn = Float64Array.from(spec.weightsIn.data);
  const wRec = Float64Array.from(spec.weightsRec.data);
  const wOut = Float64Array.from(spec.weightsOut.data);
  const th = Float64Array.from(spec.threshold);
  const bias = Float64Array.from(spec.bias);
  const thOut = Float64Array.from(spec.thresholdOut);
  const biasOut = Float64Array.from(spec.biasOut);
  const inIdx = (i: number, j: number, q: number) => (i * nIen + j) * S + q;
  for (let j = 0; j < nHid; j++) {
    const idx: number[] = [];
    const recQ = spec.weightsRec.shape[2] ?? 1;
    if (j < nIen) for (let i = 0; i < nIn; i++) for (let q = 0; q < S; q++) idx.push(inIdx(i, j, q));
    const recIdxs: number[] = [];
    for (let i = 0; i < nHid; i++) for (let q = 0; q < recQ; q++) recIdxs.push((i * nHid + j) * recQ + q);
    let mw = 0;
    for (const k of idx) mw = Math.max(mw, Math.abs(spec.weightsIn.data[k]!));
    for (const k of recIdxs) mw = Math.max(mw, Math.abs(spec.weightsRec.data[k]!));
    if (mw === 0) {
      th[j] = r(spec.threshold[j]!);
      bias[j] = r(spec.bias[j]!);
      continue;
    }
    let sc = maxW / mw;
    if (Math.abs(r(spec.threshold[j]! * sc)) > maxTh) {
      sc = maxTh / Math.abs(spec.threshold[j]!);
      diagnostics.push(
        diag(
          'info',
          'quantize.threshold-overflow',
          `threshold[${j}]`,
          `threshold of hidden neuron ${j} limits its scale to ${sc}`,
        ),
      );
    }
    for (const k of idx) wIn[k] = r(spec.weightsIn.data[k]! * sc);
    for (const k of recIdxs) wRec[k] = r(spec.weightsRec.data[k]! * sc);
    th[j] = r(spec.threshold[j]! * sc);
    bias[j] = rockpool && S === 1 ? r(spec.bias[j]!) : r(spec.bias[j]! * sc);
  }
  for (let k = 0; k < nOut; k++) {
    let mw = 0;
    for (let i = 0; i < nOen; i++) mw = Math.max(mw, Math.abs(spec.weightsOut.data[i * nOut + k]!));
    if (mw === 0) {
      thOut[k] = r(spec.thresholdOut[k]!);
      biasOut[k] = r(spec.biasOut[k]!);
      continue;
    }
    let sc = maxW / mw;
    if (Math.abs(r(spec.thresholdOut[k]! * sc)) > maxTh) sc = maxTh / Math.abs(spec.thresholdOut[k]!);
    for (let i = 0; i < nOen; i++) wOut[i * nOut + k] = r(spec.weightsOut.data[i * nOut + k]! * sc);
    thOut[k] = r(spec.thresholdOut[k]! * sc);
    biasOut[k] = r(spec.biasOut[k]! * sc);
  }
  return finish(
    spec,
    {
      weightsIn: wIn,
      weightsRec: wRec,
      weightsOut: wOut,
      threshold: th,
      thresholdOut: thOut,
      bias,
      biasOut,
    },
    o,
    diagnostics,
  );
}
