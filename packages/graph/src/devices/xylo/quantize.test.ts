import { describe, expect, it } from 'vitest';
import { roundHalfEven, toNested } from '../../tensor.ts';
import { channelQuantize, globalQuantize } from './quantize.ts';
import { fromRockpoolSpec } from './spec.ts';

const input = (threshold = [1, 2]) =>
  fromRockpoolSpec({
    weights_in: [[0.5, -1.0]],
    weights_rec: [
      [0, 0.25],
      [0.1, 0],
    ],
    weights_out: [[0.25], [1.0]],
    threshold,
    threshold_out: [0.5],
    dash_mem: [4.32, 1],
    dash_mem_out: [2.6],
    dash_syn: [4.32, 1],
    dash_syn_2: [0, 0],
    dash_syn_out: [2.4],
    bias: [0.1, 0],
    bias_out: [0.05],
  });
const arr = (a: ArrayLike<number>) => Array.from(a);

describe('round half to even', () => {
  it('matches numpy', () => {
    expect(roundHalfEven(63.5)).toBe(64);
    expect(roundHalfEven(62.5)).toBe(62);
    expect(roundHalfEven(-63.5)).toBe(-64);
    expect(roundHalfEven(-62.5)).toBe(-62);
    expect(roundHalfEven(0.5)).toBe(0);
    expect(roundHalfEven(1.5)).toBe(2);
    expect(roundHalfEven(2.4999)).toBe(2);
  });
});

describe('quantiser goldens (compat: rockpool)', () => {
  it('global', () => {
    const { spec: q } = globalQuantize(input(), { compat: 'rockpool' });
    expect(toNested(q.weightsIn)).toEqual([[[64], [-127]]]);
    expect(toNested(q.weightsRec)).toEqual([
      [[0], [32]],
      [[13], [0]],
    ]);
    expect(toNested(q.weightsOut)).toEqual([[32], [127]]);
    expect(arr(q.threshold)).toEqual([127, 254]);
    expect(arr(q.thresholdOut)).toEqual([64]);
    expect(arr(q.dashMem)).toEqual([4, 1]);
    expect(arr(q.dashMemOut)).toEqual([3]);
    expect(arr(q.dashSyn)).toEqual([4, 1]);
    expect(arr(q.dashSynOut)).toEqual([2]);
    expect(arr(q.bias)).toEqual([13, 0]);
    expect(arr(q.biasOut)).toEqual([6]);
    expect(q.quantised).toBe(true);
  });

  it('global fuzzy', () => {
    const { spec: q } = globalQuantize(input(), { compat: 'rockpool', fuzzyScaling: true });
    expect(toNested(q.weightsIn)).toEqual([[[54], [-107]]]);
    expect(toNested(q.weightsRec)).toEqual([
      [[0], [27]],
      [[11], [0]],
    ]);
    expect(toNested(q.weightsOut)).toEqual([[23], [92]]);
    expect(arr(q.threshold)).toEqual([107, 214]);
    expect(arr(q.thresholdOut)).toEqual([46]);
    expect(arr(q.bias)).toEqual([11, 0]);
    expect(arr(q.biasOut)).toEqual([5]);
  });

  it('channel', () => {
    const { spec: q } = channelQuantize(input(), { compat: 'rockpool' });
    expect(toNested(q.weightsIn)).toEqual([[[127], [-127]]]);
    expect(toNested(q.weightsRec)).toEqual([
      [[0], [32]],
      [[25], [0]],
    ]);
    expect(toNested(q.weightsOut)).toEqual([[32], [127]]);
    expect(arr(q.threshold)).toEqual([254, 254]);
    expect(arr(q.thresholdOut)).toEqual([64]);
    expect(arr(q.bias)).toEqual([0, 0]);
    expect(arr(q.biasOut)).toEqual([6]);
  });

  it('global with a threshold overflow', () => {
    const { spec: q } = globalQuantize(input([1, 400]), { compat: 'rockpool' });
    expect(arr(q.threshold)).toEqual([82, 32767]);
    expect(toNested(q.weightsIn)).toEqual([[[41], [-82]]]);
    expect(toNested(q.weightsRec)).toEqual([
      [[0], [21]],
      [[8], [0]],
    ]);
  });
});

describe('quantiser default behaviour (documented intent)', () => {
  it('channel mode scales the hidden bias with one synapse', () => {
    const { spec: q } = channelQuantize(input());
    // neuron 0: scale 127 / 0.5 = 254 → bias 0.1·254 = 25.4 → 25 (Rockpool leaves it at round(0.1) = 0)
    expect(arr(q.bias)).toEqual([25, 0]);
  });

  it('global mode scales the output bias with the readout scale', () => {
    const spec = { ...input(), weightsOut: { ...input().weightsOut, data: Float64Array.from([0.125, 0.5]) } };
    const rp = globalQuantize(spec, { compat: 'rockpool' }).spec;
    const df = globalQuantize(spec).spec;
    // readout scale 127/0.5 = 254 → 0.05·254 = 12.7 → 13; Rockpool uses the hidden scale 127 → 6
    expect(arr(rp.biasOut)).toEqual([6]);
    expect(arr(df.biasOut)).toEqual([13]);
  });

  it('a readout threshold overflow leaves w_rec alone (Rockpool rescales it)', () => {
    const spec = { ...input(), thresholdOut: Float64Array.from([400]) };
    const rp = globalQuantize(spec, { compat: 'rockpool' }).spec;
    const df = globalQuantize(spec).spec;
    expect(toNested(df.weightsRec)).toEqual([
      [[0], [32]],
      [[13], [0]],
    ]);
    expect(toNested(rp.weightsRec)).not.toEqual(toNested(df.weightsRec));
  });

  it('fuzzy outliers are clipped with a diagnostic (Rockpool leaves them to wrap)', () => {
    const spec = fromRockpoolSpec({
      weights_in: [[...Array(10).fill(0.1), 5]],
      weights_out: Array.from({ length: 11 }, () => [1]),
      threshold: Array(11).fill(1),
      threshold_out: [1],
    });
    const df = globalQuantize(spec, { fuzzyScaling: true });
    expect(Math.max(...arr(df.spec.weightsIn.data))).toBe(127);
    expect(df.diagnostics.some((d) => d.code === 'quantize.clipped')).toBe(true);
    const rp = globalQuantize(spec, { fuzzyScaling: true, compat: 'rockpool' });
    expect(Math.max(...arr(rp.spec.weightsIn.data))).toBeGreaterThan(127);
  });
});
