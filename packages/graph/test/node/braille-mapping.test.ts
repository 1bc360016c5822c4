/// <reference types="node" />
import { readFixture } from '@spark-snn/testing/fixtures';
import { describe, expect, it } from 'vitest';
import {
  findRecurrent,
  mapToDevice,
  mapXylo,
  nirToHw,
  readNir,
  toRockpoolSpec,
  XYLO_AUDIO2,
  XYLO_AUDIO3,
} from '../../src/index.ts';

describe('braille_noDelay_bias_zero.nir → hardware graph → Xylo', () => {
  it('the CubaLIF ⇄ Affine 2-cycle becomes recurrent weights and maps onto XyloAudio 2', async () => {
    const r = await readNir(readFixture('nir/braille_noDelay_bias_zero.nir'));
    expect(r.ok).toBe(true);
    const hw = nirToHw(r.graph!, { dt: 1e-4 });
    expect(hw.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(findRecurrent(hw.graph).recurrent.sort()).toEqual(['lif1.lif', 'lif1.w_rec']);
    const m = mapXylo(hw.graph, XYLO_AUDIO2);
    expect(m.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const rp = toRockpoolSpec(m.spec!, XYLO_AUDIO2);
    expect((rp.weights_in as number[][]).length).toBe(12);
    expect((rp.weights_rec as number[][]).length).toBe(38);
    expect((rp.weights_out as number[][])[0]).toHaveLength(7);
    expect(m.hwIds.get('lif2')).toEqual([1000, 1001, 1002, 1003, 1004, 1005, 1006]);
    // dash = log2(τ/dt): τ_mem 1 ms at dt 0.1 ms
    expect(rp.dash_mem[0]).toBeCloseTo(Math.log2(10), 3);
    const full = mapToDevice(hw.graph, XYLO_AUDIO3);
    expect(full.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(full.config?.device).toBe('xylo-audio-3');
  });
});

describe('conventions and LIF without synapses', () => {
  it('braille parameters follow the euler convention at dt = 1e-4', async () => {
    const { nirR, nirWIn, estimateDtFromR } = await import('../../src/nir/conventions.ts');
    const { toArray } = await import('../../src/tensor.ts');
    const r = await readNir(readFixture('nir/braille_noDelay_bias_zero.nir'));
    const n = r.graph!.nodes.get('lif2')!;
    if (n.type !== 'CubaLIF') throw new Error('CubaLIF');
    const tm = toArray(n.tau_mem)[0]!;
    const ts = toArray(n.tau_syn)[0]!;
    expect(toArray(n.r)[0]! / nirR('euler', tm, 1e-4)).toBeCloseTo(1, 3);
    expect(toArray(n.w_in)[0]! / nirWIn('euler', ts, 1e-4)).toBeCloseTo(1, 3);
    expect(estimateDtFromR(tm, toArray(n.r)[0]!)).toBeCloseTo(1e-4, 7);
  });

  it('two_lif_neurons: LIF without synaptic filter maps with dash_syn = 0', async () => {
    const r = await readNir(readFixture('nir/two_lif_neurons.nir'));
    const hw = nirToHw(r.graph!, { dt: 1e-3 });
    expect(hw.diagnostics.map((d) => d.code)).toEqual(['nir-to-hw.v-leak']);
    const m = mapXylo(hw.graph, XYLO_AUDIO2);
    expect(m.diagnostics).toEqual([]);
    expect(Array.from(m.spec!.dashSyn)).toEqual([0]);
    expect(Array.from(m.spec!.dashSynOut)).toEqual([0]);
    expect(m.spec!.dashMem[0]).toBeCloseTo(Math.log2(10), 12);
  });
});
