/// <reference types="node" />
import { readFixture } from '@spark-snn/testing/fixtures';
import { describe, expect, it } from 'vitest';
import { type NirGraph, readNir, simulateNir } from '../../src/index.ts';
import { toArray } from '../../src/tensor.ts';

// Upstream NIR files, byte-exact copies in the repository (<repo>/fixtures/nir; the loader checks each
// file's SHA-256 against fixtures/README.md).
const fixture = (name: string): Uint8Array => readFixture(`nir/${name}`);

async function read(name: string): Promise<NirGraph> {
  const r = await readNir(fixture(name), { fileName: name });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(r.ok).toBe(true);
  return r.graph!;
}

function csv(name: string): number[][] {
  return new TextDecoder()
    .decode(fixture(name))
    .trim()
    .split('\n')
    .map((l) => l.split(',').map(Number));
}

describe('NIR fixture files', () => {
  it('lif_norse.nir: input → Affine → LIF → output, version 0.1.1, v_reset defaulted', async () => {
    const r = await readNir(fixture('lif_norse.nir'));
    expect(r.version).toBe('0.1.1');
    const g = r.graph!;
    expect([...g.nodes.keys()].sort()).toEqual(['0', '1', 'input', 'output']);
    const lif = g.nodes.get('1')!;
    expect(lif.type).toBe('LIF');
    if (lif.type !== 'LIF') return;
    expect(lif.tau.dtype).toBe('float32');
    expect(toArray(lif.tau)[0]).toBeCloseTo(0.0025, 7);
    expect(toArray(lif.v_threshold)[0]).toBeCloseTo(0.1, 7);
    expect(toArray(lif.v_reset)).toEqual([0]);
    expect(r.types.get('1')?.output).toEqual([1]);
  });

  it('two_lif_neurons.nir: named chain with float64 parameters', async () => {
    const g = await read('two_lif_neurons.nir');
    expect([...g.nodes.keys()].sort()).toEqual(['in', 'lif1', 'lif2', 'linear1', 'linear2', 'out']);
    expect(g.edges).toContainEqual(['in', 'linear1']);
    expect(g.edges).toContainEqual(['lif2', 'out']);
    const lif1 = g.nodes.get('lif1')!;
    if (lif1.type !== 'LIF') throw new Error('lif1');
    expect(lif1.tau.dtype).toBe('float64');
    expect(toArray(lif1.v_leak)[0]).toBeCloseTo(1.2);
    expect(toArray(lif1.v_threshold)[0]).toBe(1);
  });

  it('cnn_sinabs.nir: Conv2d/SumPool2d/Flatten shape chain', async () => {
    const r = await readNir(fixture('cnn_sinabs.nir'));
    expect(r.ok).toBe(true);
    const shape = (k: string) => r.types.get(k)?.output;
    expect(r.types.get('input')?.output).toEqual([2, 34, 34]);
    const chain = ['0', '1', '4', '5', '7', '8', '9', '11'].map(shape);
    expect(chain).toEqual([[16, 16, 16], [16, 16, 16], [16, 8, 8], [8, 8, 8], [8, 4, 4], [128], [256], [10]]);
    expect(shape('2')).toEqual([16, 16, 16]);
    const conv = r.graph!.nodes.get('0')!;
    if (conv.type !== 'Conv2d') throw new Error('conv');
    expect(conv.stride).toEqual([2, 2]);
    expect(conv.padding).toEqual([1, 1]);
    expect(conv.input_shape).toEqual([34, 34]);
    const ifn = r.graph!.nodes.get('1')!;
    if (ifn.type !== 'IF') throw new Error('IF');
    expect(ifn.r.shape).toEqual([16, 16, 16]);
    expect(toArray(ifn.v_reset).every((x) => x === 0)).toBe(true);
    const fl = r.graph!.nodes.get('8')!;
    if (fl.type !== 'Flatten') throw new Error('flatten');
    expect(fl.start_dim).toBe(0);
  });

  it('braille: 2-cycle lif1.lif ⇄ lif1.w_rec, snnTorch convention r ≈ τ_mem/dt, w_in ≈ τ_syn/dt', async () => {
    const g = await read('braille_noDelay_bias_zero.nir');
    expect(g.edges).toContainEqual(['lif1.lif', 'lif1.w_rec']);
    expect(g.edges).toContainEqual(['lif1.w_rec', 'lif1.lif']);
    const lif = g.nodes.get('lif1.lif')!;
    if (lif.type !== 'CubaLIF') throw new Error('CubaLIF');
    expect(lif.v_threshold.shape).toEqual([38]);
    const dt = 1e-4;
    const tm = toArray(lif.tau_mem);
    const r = toArray(lif.r);
    const ts = toArray(lif.tau_syn);
    const w = toArray(lif.w_in);
    expect(tm[0]).toBeCloseTo(1e-3, 6);
    for (let i = 0; i < 38; i++) {
      expect(r[i]! / (tm[i]! / dt)).toBeCloseTo(1, 3);
      expect(w[i]! / (ts[i]! / dt)).toBeCloseTo(1, 3);
    }
    expect(ts[0]).toBeCloseTo(2.22e-4, 5);
    const fc1 = g.nodes.get('fc1')!;
    if (fc1.type !== 'Affine') throw new Error('fc1');
    expect(fc1.weight.shape).toEqual([38, 12]);
    expect(fc1.weight.dtype).toBe('float32');
  });
});

describe('lif_norse simulation', () => {
  it('forward Euler reproduces Norse: spikes at 460/510/710/760, voltage within 1e-5', async () => {
    const g = await read('lif_norse.nir');
    const rows = csv('lif_norse.csv');
    expect(rows).toHaveLength(1000);
    const input = rows.map((r) => r[0]!);
    expect(input.filter((x) => x === 1)).toHaveLength(34);
    expect(input.indexOf(1)).toBe(60);
    const { traces, diagnostics } = simulateNir(g, { dt: 1e-4, steps: 1000, inputs: { input } });
    expect(diagnostics).toEqual([]);
    const lif = traces.get('1')!;
    const spikes = [...lif.output].flatMap((z, t) => (z > 0 ? [t] : []));
    expect(spikes).toEqual([460, 510, 710, 760]);
    let maxErr = 0;
    for (let t = 0; t < 1000; t++) maxErr = Math.max(maxErr, Math.abs(lif.v![t]! - rows[t]![1]!));
    expect(maxErr).toBeLessThan(1e-5);
    expect(rows.flatMap((r, t) => (r[2] === 1 ? [t] : []))).toEqual([460, 510, 710, 760]);
  });

  it('lif_exact.csv: same input and spike steps; exact decay with subtractive reset is within 6.2e-4', async () => {
    const g = await read('lif_norse.nir');
    const rows = csv('lif_exact.csv');
    const input = rows.map((r) => r[0]!);
    expect(input).toEqual(csv('lif_norse.csv').map((r) => r[0]!));
    expect(rows.flatMap((r, t) => (r[2] === 1 ? [t] : []))).toEqual([460, 510, 710, 760]);
    const { traces } = simulateNir(g, {
      dt: 1e-4,
      steps: 1000,
      inputs: { input },
      method: 'exact',
      reset: 'subtract',
    });
    const lif = traces.get('1')!;
    let maxErr = 0;
    for (let t = 0; t < 1000; t++) maxErr = Math.max(maxErr, Math.abs(lif.v![t]! - rows[t]![1]!));
    expect(maxErr).toBeLessThan(6.3e-4);
  });

  it('convention sensitivity: exact decay with Euler input gain fires at 450, 500, 710, 760', async () => {
    const g = await read('lif_norse.nir');
    const input = csv('lif_norse.csv').map((r) => r[0]!);
    const { traces } = simulateNir(g, { dt: 1e-4, steps: 1000, inputs: { input }, method: 'exact-decay' });
    const spikes = [...traces.get('1')!.output].flatMap((z, t) => (z > 0 ? [t] : []));
    expect(spikes).toEqual([450, 500, 710, 760]);
  });
});
