// W4a (the Spark-style dense layer): the device-side spike counter counts what Brain.run records and
// what the naive loop counts, the gate passes a faithful backend and refuses a perturbed one (no
// speed figures), the f16 plan stores the soma in float16 and rounds the kernel, and the suites.
import type { Backend, Plan } from '@spark-snn/core';
import { roundFloat32ArrayToFloat16 } from '@spark-snn/core';
import { cpuBackend } from '@spark-snn/kernels';
import { Brain } from '@spark-snn/nn';
import { describe, expect, it } from 'vitest';
import { suiteCases } from '../src/harness.ts';
import {
  compareCounts,
  gateVerdict,
  naiveDense,
  renderW4a,
  runsW4a,
  runW4a,
  runW4aSample,
  w4aCases,
  w4aConfig,
  w4aProblem,
} from '../src/index.ts';

const N = 48;
const T = 80;

/** A cpu backend under another kind's name whose plans get `edit` applied before loading. */
function wrapped(kind: Backend['kind'], edit: (p: Plan) => Plan = (p) => p): Backend {
  const cpu = cpuBackend();
  return { ...cpu, kind, description: `cpu as ${kind}`, load: (p: Plan) => cpu.load(edit(p)) };
}

/** The kernel scaled by 0.9: a deliberately different run. */
const weaker = (p: Plan): Plan => ({
  ...p,
  buffers: p.buffers.map((b) =>
    b.name === 'layer.kernel' && b.init instanceof Float32Array
      ? { ...b, init: b.init.map((w) => Math.fround(w * 0.9)) }
      : b,
  ),
});

describe('W4a', () => {
  it('the counter counts the spikes Brain.run records, and the naive loop counts the same', async () => {
    const cpu = cpuBackend();
    const sample = await runW4aSample(cpu, N, 2, 'float32', T);
    const info = w4aConfig({ n: N, seed: 2 });
    const brain = await Brain.fromConfig(info.document, { backend: cpu, inputShapes: { x: [N] } });
    const rec = await brain.run({ steps: T, inputs: { x: info.inputs!.x! }, record: ['neurons.spikes'] });
    brain.destroy();
    const spikes = rec.series['neurons.spikes']!.data;
    const fromBrain = new Float32Array(N);
    for (let t = 0; t < T; t++) for (let i = 0; i < N; i++) fromBrain[i]! += spikes[t * N + i]!;
    expect(Array.from(sample.counts)).toEqual(Array.from(fromBrain));
    const total = fromBrain.reduce((a, x) => a + x, 0);
    expect(total).toBeGreaterThan(N); // more than one spike per neuron on average
    expect(new Set(fromBrain).size).toBeGreaterThan(2); // counts vary across neurons

    const pr = w4aProblem(N, 2, 'float32');
    const naive = naiveDense(
      {
        n: N,
        weights: pr.weights,
        input: pr.input.values,
        dt: 1,
        tau: pr.soma.potential_tau!,
        resistance: pr.soma.resistance!,
        threshold: pr.soma.threshold! - pr.soma.potential_rest!,
        reset: pr.soma.potential_reset! - pr.soma.potential_rest!,
      },
      T,
    );
    expect(Array.from(naive.counts)).toEqual(Array.from(fromBrain));
    cpu.destroy();
  }, 20_000);

  it('compareCounts reports the differing neurons', () => {
    expect(compareCounts([[1, 2, 3]], [[1, 2, 3]])).toEqual({
      equal: true,
      differing: 0,
      maxDiff: 0,
      total: 6,
    });
    expect(compareCounts([[1, 2, 3], [4]], [[1, 5, 3], [2]])).toEqual({
      equal: false,
      differing: 2,
      maxDiff: 3,
      total: 10,
      first: 'sample 1, neuron 1: 2 vs 5',
    });
    expect(() => compareCounts([[1]], [[1, 2]])).toThrow(/sample 1 has 1 vs 2 neurons/);
  });

  it('the gate rule: f32 exact; f16 ±1 spike in at most 0.1 % of the neurons', () => {
    const ref = [Array.from({ length: 2000 }, () => 5)];
    const off = (k: number, by: number) => [ref[0]!.map((x, i) => (i < k ? x + by : x))];
    expect(gateVerdict('float32', compareCounts(ref, off(0, 0)), 2000).ok).toBe(true);
    expect(gateVerdict('float32', compareCounts(ref, off(1, 1)), 2000).ok).toBe(false);
    expect(gateVerdict('float16', compareCounts(ref, off(2, 1)), 2000).ok).toBe(true);
    expect(gateVerdict('float16', compareCounts(ref, off(2, -1)), 2000).ok).toBe(true);
    expect(gateVerdict('float16', compareCounts(ref, off(3, 1)), 2000).ok).toBe(false);
    expect(gateVerdict('float16', compareCounts(ref, off(1, 2)), 2000).ok).toBe(false);
  });

  it('the gate passes a faithful backend and refuses a perturbed one, in f32 and f16', async () => {
    const lines: string[] = [];
    const rows = await runW4a({
      backends: [cpuBackend(), wrapped('webgpu'), wrapped('gpujs', weaker)],
      cases: [
        { n: N, dtype: 'float32' },
        { n: N, dtype: 'float16' },
      ],
      log: (l) => lines.push(l),
      batch: 2,
      steps: T,
    });
    expect(rows.map((r) => `${r.dtype} ${r.runner} ${r.gate}`)).toEqual([
      'float32 spark-snn cpu reference',
      'float32 naive JS loop (1 thread, f32) pass',
      'float32 spark-snn webgpu pass',
      'float32 spark-snn gpujs fail',
      'float16 spark-snn cpu reference',
      'float16 spark-snn webgpu pass',
      'float16 spark-snn gpujs fail',
    ]);
    for (const r of rows) {
      expect(r.steps).toBe(T);
      if (r.gate === 'fail') {
        expect(r.usPerStep).toBeUndefined();
        expect(r.gateNote).toMatch(
          /^\d+ neuron counts differ from cpu \(max \d+; first: sample \d, neuron \d+: /,
        );
      } else {
        expect(r.usPerStep).toBeGreaterThan(0);
        expect(r.synapseUpdatesPerS).toBeCloseTo((N * N * 1e6) / r.usPerStep!, -3);
      }
    }
    const table = renderW4a(rows);
    expect(table).toMatch(/\| 48 \| f32 \| spark-snn gpujs \| 80 \| \*\*REFUSED\*\* \(/);
    expect(table).toMatch(
      /\| 48 \| f16 \| spark-snn webgpu \| 80 \| pass \(counts = cpu over 80 steps\) \| \d/,
    );
    expect(lines.some((l) => /gpujs: REFUSED/.test(l))).toBe(true);
  }, 20_000);

  it('a cpu budget shortens the cpu T; other backends run T and are compared over the cpu T', async () => {
    const rows = await runW4a({
      backends: [cpuBackend(), wrapped('webgpu')],
      cases: [{ n: N, dtype: 'float32' }],
      log: () => {},
      batch: 2,
      steps: T,
      cpuBudgetS: 1e-9,
      noNaive: true,
    });
    expect(rows.map((r) => [r.runner, r.steps, r.gateSteps, r.gate])).toEqual([
      ['spark-snn cpu', 10, 10, 'reference'],
      ['spark-snn webgpu', T, 10, 'pass'],
    ]);
  }, 20_000);

  it('f16: the soma is stored as float16, the kernel and input hold float16 values', () => {
    const half = w4aProblem(N, 1, 'float16');
    const f32 = w4aProblem(N, 1, 'float32');
    const dtype = (p: Plan, name: string) => p.buffers.find((b) => b.name === name)?.dtype;
    expect(dtype(half.plan, 'neurons.potential')).toBe('float16');
    expect(dtype(half.plan, 'neurons.spikes')).toBe('float16');
    expect(dtype(half.plan, 'layer.kernel')).toBe('float32');
    expect(dtype(half.plan, half.counts)).toBe('float32');
    expect(dtype(f32.plan, 'neurons.potential')).toBe('float32');
    const kernel = half.plan.buffers.find((b) => b.name === 'layer.kernel')?.init as Float32Array;
    expect(Array.from(kernel)).toEqual(Array.from(roundFloat32ArrayToFloat16(f32.weights)));
    expect(Array.from(kernel)).not.toEqual(Array.from(f32.weights));
    expect(half.input.values[0]).toBe(0.04998779296875);
    expect(() => w4aConfig({ dtype: 'float64' as 'float32' })).toThrow(
      /dtype must be 'float32' or 'float16'/,
    );
  });

  it('suites: W4a and W4a-large run the dense layer; W4 and full include it', () => {
    expect(suiteCases('W4a')).toEqual([]);
    expect(suiteCases('W4a-large')).toEqual([]);
    expect(runsW4a(['W4'])).toBe('W4a');
    expect(runsW4a(['full'])).toBe('W4a');
    expect(runsW4a(['W1', 'W4a-large'])).toBe('W4a-large');
    expect(runsW4a(['W1'])).toBeUndefined();
    expect(w4aCases('W4a').map((c) => `${c.n} ${c.dtype}`)).toEqual([
      '512 float32',
      '512 float16',
      '4096 float32',
      '4096 float16',
    ]);
    expect(w4aCases('W4a-large').map((c) => c.n)).toContain(16384);
  });
});
