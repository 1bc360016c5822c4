// Deno: what only the webgpu backend has (wgpu on Mesa lavapipe here): the submission count of a
// chunked run, and the sparse deliveries (gather, scatter, split bindings) against the cpu. What every
// backend must do is the backend case table (backends_test.ts).
import type { Backend, Plan } from '@spark-snn/core';
import { cpuBackend } from '../../src/backends/cpu/index.ts';
import { gpujsBackend } from '../../src/backends/gpujs/index.ts';
import { webgpuBackend } from '../../src/backends/webgpu/index.ts';
import { fixedProbability } from '../../src/ops/sparse/connect.ts';
import { instantiateModule } from '../../src/ops.ts';
import { leakySoma } from '../../src/somas/leaky_soma.ts';
import { testInputs } from '../common/conformance.ts';

declare const Deno: { test(name: string, fn: () => Promise<void>): void };

Deno.test('webgpu backend: a chunked run makes one submission and one readback per chunk', async () => {
  const gpu = await webgpuBackend();
  try {
    console.info(`[deno] ${gpu.description}`);
    const { buffers, op } = instantiateModule(leakySoma, { prefix: 'p', size: 1000, dt: 1 });
    const p = await gpu.load({ buffers, ops: [op], dt: 1, seed: 0 });
    const r = await p.run({
      steps: 2000,
      chunk: 500,
      inputs: { 'p.current': new Float32Array(1000).fill(500) },
      record: ['p.spikes'],
    });
    if (p.stats.submissions !== 4 || p.stats.readbacks !== 4)
      throw new Error(`stats ${JSON.stringify(p.stats)}`);
    if (!(r.records['p.spikes'] as Float32Array).some((x) => x === 1))
      throw new Error('no spikes: the run tests nothing');
    p.destroy();
  } finally {
    gpu.destroy();
  }
});

Deno.test('sparse.csr: per-connection weights and delays, gather and scatter, split bindings: webgpu and gpujs equal the cpu', async () => {
  const pre = 120;
  const post = 100;
  const steps = 10;
  const maxDelay = 3;
  const c = fixedProbability({ pre, post, p: 0.1, seed: 3, stream: 1 });
  const nnz = c.sources.length;
  const plan: Plan = {
    dt: 1,
    seed: 0,
    buffers: [
      { name: 's', dtype: 'float32', shape: [pre] },
      { name: 'o', dtype: 'uint32', shape: [post + 1], init: c.offsets },
      { name: 'src', dtype: 'uint32', shape: [nnz], init: c.sources },
      // Integer weights: every backend and both deliveries are exact.
      {
        name: 'w',
        dtype: 'float32',
        shape: [nnz],
        init: Float32Array.from({ length: nnz }, (_, e) => (e % 5) - 2),
      },
      {
        name: 'd',
        dtype: 'int32',
        shape: [nnz],
        init: Int32Array.from({ length: nnz }, (_, e) => (e * 7) % (maxDelay + 1)),
      },
      { name: 'h', dtype: 'float32', shape: [(maxDelay + 1) * pre] },
      { name: 'out', dtype: 'float32', shape: [post] },
    ],
    ops: [
      {
        op: 'sparse.csr',
        name: 'syn',
        bindings: {
          offsets: 'o',
          sources: 'src',
          weights: 'w',
          delays: 'd',
          spikes: 's',
          history: 'h',
          out: 'out',
        },
        attrs: { post, pre, nnz, maxDelay },
      },
    ],
  };
  const s = testInputs(steps, pre, 0, 1, 3).map((x) => (x < 0.3 ? 1 : 0));
  const runOn = async (b: Backend): Promise<Float32Array> => {
    const p = await b.load(plan);
    const r = await p.run({ steps, chunk: 4, inputs: { s }, record: ['out'] });
    p.destroy();
    return r.records.out as Float32Array;
  };
  const want = await runOn(cpuBackend());
  if (!want.some((x) => x !== 0)) throw new Error('no currents: the case tests nothing');
  const others: [string, () => Promise<Backend>][] = [
    ['webgpu gather', () => webgpuBackend({ sparseDelivery: 'gather' })],
    ['webgpu scatter', () => webgpuBackend({ sparseDelivery: 'scatter' })],
    [
      'webgpu scatter, 1 KiB bindings',
      () => webgpuBackend({ sparseDelivery: 'scatter', limits: { maxStorageBufferBindingSize: 2048 } }),
    ],
    [
      'webgpu gather, 1 KiB bindings',
      () => webgpuBackend({ sparseDelivery: 'gather', limits: { maxStorageBufferBindingSize: 2048 } }),
    ],
    ['gpujs', () => gpujsBackend()],
  ];
  for (const [label, make] of others) {
    const b = await make();
    try {
      const got = await runOn(b);
      for (let k = 0; k < want.length; k++)
        if (got[k] !== want[k]) throw new Error(`${label}: out[${k}] = ${got[k]}, cpu ${want[k]}`);
    } finally {
      b.destroy();
    }
  }
});
