import { describe, expect, it } from 'vitest';
import { runDrc } from '../../drc/rules.ts';
import { lif, linear, residual, sequential } from '../../hw/builders.ts';
import { connect, getModule, type HwGraph, merge } from '../../hw/graph.ts';
import { full, tensor } from '../../tensor.ts';
import { MY_HARDWARE, XYLO_AUDIO2, XYLO_AUDIO3, XYLO_IMU } from '../profiles.ts';
import { mapXylo } from './mapper.ts';
import { toRockpoolSpec } from './spec.ts';

const DT = 0.001;
const L = (i: number, o: number, opts: { name?: string; bias?: boolean; value?: number } = {}) =>
  linear(full([i, o], opts.value ?? 0.5), {
    ...(opts.name ? { name: opts.name } : {}),
    ...(opts.bias ? { bias: full([o], 0.1) } : {}),
  });
const LIF = (
  n: number,
  o: {
    name?: string;
    rec?: boolean;
    synapses?: number;
    tauSyn?: number | number[];
    tauMem?: number;
    dt?: number | null;
  } = {},
) =>
  lif({
    n,
    synapses: o.synapses ?? 1,
    tauMem: o.tauMem ?? 0.02,
    tauSyn: o.tauSyn ?? 0.02,
    threshold: 1,
    bias: 0,
    ...(o.dt === null ? {} : { dt: o.dt ?? DT }),
    ...(o.name ? { name: o.name } : {}),
    ...(o.rec ? { wRec: full([n, n * (o.synapses ?? 1)], 0.25) } : {}),
  });
const shape = (x: unknown): number[] => {
  const out: number[] = [];
  let v = x;
  while (Array.isArray(v)) {
    out.push(v.length);
    v = v[0];
  }
  return out;
};

function testMapperNet(): HwGraph {
  return sequential(
    L(5, 6),
    LIF(6, { rec: true, name: 'lif0' }),
    L(6, 6),
    LIF(6, { name: 'lif1' }),
    L(6, 8),
    LIF(8, { rec: true, name: 'lif2' }),
    L(8, 3),
    LIF(3, { name: 'out' }),
  );
}

describe('Xylo mapper goldens', () => {
  it('test_mapper network on XyloAudio 2', () => {
    const r = mapXylo(testMapperNet(), XYLO_AUDIO2);
    expect(r.diagnostics).toEqual([]);
    expect(r.ok).toBe(true);
    const spec = r.spec!;
    const rp = toRockpoolSpec(spec, XYLO_AUDIO2);
    expect(shape(rp.weights_in)).toEqual([5, 20]);
    expect(shape(rp.weights_rec)).toEqual([20, 20]);
    expect(shape(rp.weights_out)).toEqual([20, 3]);
    expect(spec.weightsIn.shape).toEqual([5, 20, 1]);
    expect(r.hwIds.get('lif0')).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.hwIds.get('lif1')).toEqual([6, 7, 8, 9, 10, 11]);
    expect(r.hwIds.get('lif2')).toEqual([12, 13, 14, 15, 16, 17, 18, 19]);
    expect(r.hwIds.get('out')).toEqual([1000, 1001, 1002]);
    expect(spec.dashMem[0]).toBeCloseTo(4.321928094887363, 12);
    expect(spec.dt).toBe(0.001);
    // recurrent block of lif0 and feed-forward lif0 → lif1 both land in w_rec
    expect(spec.weightsRec.data[0 * 20 + 1]).toBe(0.25);
    expect(spec.weightsRec.data[0 * 20 + 6]).toBe(0.5);
    expect(spec.weightsRec.data[0 * 20 + 12]).toBe(0);
    expect(spec.weightsOut.data[12 * 3 + 0]).toBe(0.5);
    expect(spec.weightsOut.data[0 * 3 + 0]).toBe(0);
    // the input graph is untouched
    expect(getModule(testMapperNet(), 'lif0').kind).toBe('lif');
    expect(getModule(r.graph, 'lif0').kind).toBe('xylo.hidden');
  });

  it('residual 2-synapse network: shapes, aliases, dash values', () => {
    const g = sequential(
      L(2, 8),
      LIF(4, { synapses: 2, tauSyn: [0.002, 0.004], name: 'lif0' }),
      residual(L(4, 4), LIF(4, { rec: true, name: 'lif1' })),
      L(4, 2),
      LIF(2, { name: 'out' }),
    );
    const r = mapXylo(g, XYLO_AUDIO2);
    expect(r.diagnostics).toEqual([]);
    const rp = toRockpoolSpec(r.spec!, XYLO_AUDIO2);
    expect(shape(rp.weights_in)).toEqual([2, 8, 2]);
    expect(shape(rp.weights_rec)).toEqual([8, 8, 2]);
    expect(shape(rp.weights_out)).toEqual([8, 2]);
    expect(rp.aliases).toEqual([[4], [5], [6], [7], [], [], [], []]);
    const l2 = Math.log2(20);
    for (let i = 0; i < 4; i++) {
      expect(rp.dash_syn[i]).toBeCloseTo(1, 12);
      expect(rp.dash_syn_2[i]).toBeCloseTo(2, 12);
      expect(rp.dash_syn[4 + i]).toBeCloseTo(l2, 12);
      expect(rp.dash_syn_2[4 + i]).toBe(0);
    }
  });

  it('IMU and A3: 16-63-63-63-1 with IEN first / OEN last', () => {
    const net = () =>
      sequential(
        L(16, 63),
        LIF(63),
        L(63, 63),
        LIF(63),
        L(63, 63),
        LIF(63),
        L(63, 1),
        LIF(1, { name: 'out' }),
      );
    for (const [p, outId] of [
      [XYLO_IMU, 496],
      [XYLO_AUDIO3, 992],
    ] as const) {
      const r = mapXylo(net(), p);
      expect(r.diagnostics).toEqual([]);
      const rp = toRockpoolSpec(r.spec!, p);
      expect(shape(rp.weights_in)).toEqual([16, 63, 1]);
      expect(shape(rp.weights_rec)).toEqual([189, 189, 1]);
      expect(shape(rp.weights_out)).toEqual([63, 1]);
      expect(r.hwIds.get('out')).toEqual([outId]);
      expect(r.spec!.oenIds[0]).toBe(126);
    }
  });

  it('single hidden layer works on A3 and on IMU (Rockpool crashes on IMU)', () => {
    for (const p of [XYLO_AUDIO3, XYLO_IMU]) {
      const r = mapXylo(sequential(L(2, 4), LIF(4, { name: 'h' }), L(4, 2), LIF(2, { name: 'o' })), p);
      expect(r.ok).toBe(true);
      expect(r.spec!.weightsIn.shape).toEqual([2, 4, 1]);
      expect(r.spec!.weightsOut.shape).toEqual([4, 2]);
      expect(r.spec!.oenIds).toEqual([0, 1, 2, 3]);
    }
  });

  it('2-synapse network on A3', () => {
    const g = sequential(
      L(4, 10),
      LIF(5, { synapses: 2, tauSyn: [0.002, 0.004] }),
      L(5, 10),
      LIF(5, { synapses: 2, tauSyn: [0.002, 0.004] }),
      L(5, 2),
      LIF(2),
    );
    const r = mapXylo(g, XYLO_AUDIO3);
    expect(r.diagnostics).toEqual([]);
    expect(r.spec!.weightsIn.shape).toEqual([4, 5, 2]);
    expect(r.spec!.weightsRec.shape).toEqual([10, 10, 2]);
  });

  it('a custom profile maps like any other', () => {
    const r = mapXylo(sequential(L(20, 30), LIF(30), L(30, 4), LIF(4)), MY_HARDWARE);
    expect(r.ok).toBe(true);
    expect(r.spec!.device).toBe('my-hardware');
  });
});

describe('design-rule failures', () => {
  const codes = (g: HwGraph, p = XYLO_AUDIO2, opts = {}) => {
    const r = mapXylo(g, p, opts);
    return {
      ok: r.ok,
      errors: r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code),
      warnings: r.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.code),
    };
  };

  it('single layer', () =>
    expect(codes(sequential(L(2, 3), LIF(3))).errors).toEqual(['at_least_two_neuron_layers_needed']));
  it('LIF first', () =>
    expect(codes(sequential(LIF(2), L(2, 3), LIF(3))).errors).toContain('first_module_is_a_weight'));
  it('LIF → LIF', () =>
    expect(codes(sequential(L(2, 3), LIF(3), LIF(3))).errors).toContain('input_to_neurons_is_a_weight'));
  it('weights last', () =>
    expect(codes(sequential(L(2, 3), LIF(3), L(3, 4), LIF(4), L(4, 2))).errors).toContain(
      'output_nodes_have_neurons_as_source',
    ));
  it('consecutive weights', () =>
    expect(codes(sequential(L(2, 3), L(3, 3), LIF(3), L(3, 2), LIF(2))).errors).toContain(
      'no_consecutive_weights',
    ));
  it('different dt', () =>
    expect(codes(sequential(L(2, 3), LIF(3), L(3, 2), LIF(2, { dt: 0.002 }))).errors).toEqual([
      'all_neurons_have_same_dt',
    ]));
  it('no dt', () =>
    expect(codes(sequential(L(2, 3), LIF(3, { dt: null }), L(3, 2), LIF(2, { dt: null }))).errors).toEqual([
      'all_neurons_have_same_dt',
    ]));
  it('recurrent output', () =>
    expect(codes(sequential(L(2, 3), LIF(3), L(3, 2), LIF(2, { rec: true }))).errors).toEqual([
      'output_neurons_cannot_be_recurrent',
    ]));
  it('τ ≤ dt', () => {
    const c = codes(sequential(L(2, 3), LIF(3, { tauMem: 0.001 }), L(3, 2), LIF(2)));
    expect(c.ok).toBe(false);
    expect(c.errors).toEqual(['tau_greater_than_dt']);
    // A3 has no τ > dt rule
    expect(codes(sequential(L(2, 3), LIF(3, { tauMem: 0.001 }), L(3, 2), LIF(2)), XYLO_AUDIO3).ok).toBe(true);
  });
  it('2000 hidden neurons: allocation error, fine with maxHiddenNeurons 2000', () => {
    const g = sequential(L(2, 2000, { value: 0 }), LIF(2000), L(2000, 2, { value: 0 }), LIF(2));
    expect(codes(g).errors).toEqual(['allocate_hidden_neurons']);
    expect(codes(g, XYLO_AUDIO2, { maxHiddenNeurons: 2000 }).ok).toBe(true);
  });
  it('64 outputs: warning, then allocation error', () => {
    const c = codes(sequential(L(2, 3), LIF(3), L(3, 64), LIF(64)));
    expect(c.warnings).toEqual(['le_8_output_channels']);
    expect(c.errors).toEqual(['allocate_output_neurons']);
  });
  it('17 inputs: warning only', () => {
    const c = codes(sequential(L(17, 3), LIF(3), L(3, 2), LIF(2)));
    expect(c).toEqual({ ok: true, errors: [], warnings: ['le_16_input_channels'] });
  });
  it('Linear bias: warning only (error with warningsAsErrors)', () => {
    const g = sequential(L(2, 3, { bias: true }), LIF(3), L(3, 2), LIF(2));
    expect(codes(g)).toEqual({ ok: true, errors: [], warnings: ['weight_nodes_have_no_biases'] });
    expect(runDrc(g, XYLO_AUDIO2, { warningsAsErrors: true }).ok).toBe(false);
  });
  it('3 synapses', () => {
    const c = codes(sequential(L(2, 9), LIF(3, { synapses: 3, tauSyn: 0.02 }), L(3, 2), LIF(2)));
    expect(c.errors).toEqual(['synapses_per_neuron']);
  });
  it('2-synapse output', () => {
    const c = codes(sequential(L(2, 3), LIF(3), L(3, 4), LIF(2, { synapses: 2, tauSyn: 0.02 })));
    expect(c.errors).toEqual(['synapses_per_neuron']);
  });
  it('IMU: more than one synapse', () => {
    const c = codes(sequential(L(2, 6), LIF(3, { synapses: 2, tauSyn: 0.02 }), L(3, 2), LIF(2)), XYLO_IMU);
    expect(c.errors).toContain('max_synapses_per_neuron');
  });
  it('two input weight modules (Rockpool crashes later)', () => {
    const a = sequential(L(2, 3, { name: 'w1' }), LIF(3, { name: 'h' }), L(3, 2), LIF(2));
    let g = merge(
      a,
      linear(
        tensor([
          [1, 1, 1],
          [1, 1, 1],
        ]),
        { name: 'w2' },
      ),
    ).graph;
    g = connect(g, { name: 'in', inputs: [], outputs: g.inputs }, 'w2');
    g = connect(g, 'w2', 'h');
    const c = codes(g);
    expect(c.errors).toEqual(['single_input_weight_module']);
  });
  it('IEN window of 128 on A3', () => {
    const c = codes(
      sequential(L(2, 130, { value: 0 }), LIF(130), L(130, 2, { value: 0 }), LIF(2)),
      XYLO_AUDIO3,
    );
    expect(c.errors).toEqual(
      expect.arrayContaining(['le_128_input_expansion_neurons', 'le_128_output_expansion_neurons']),
    );
  });
});
