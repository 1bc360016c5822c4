// Deno: leaky_soma on the cpu and webgpu backends (wgpu on Mesa lavapipe here) against the
// float64 interpreter, plus the submission count of a chunked run.
import { cpuBackend } from '../../src/backends/cpu/index.ts';
import { gpujsBackend } from '../../src/backends/gpujs/index.ts';
import { webgpuBackend } from '../../src/backends/webgpu/index.ts';
import { instantiateModule } from '../../src/ops.ts';
import { leakySoma } from '../../src/somas/leaky_soma.ts';
import { compareWithInterpreter, testInputs } from '../shared/conformance.ts';
import { allDefinitions, checkLibraryDefinition } from '../shared/library-cases.ts';

declare const Deno: { test(name: string, fn: () => Promise<void>): void };

const size = 32;
const steps = 100;
const params = { potential_tau: Array.from({ length: size }, (_, i) => 5 + i), resistance: 0.09 };

Deno.test('cpu backend: leaky_soma agrees with the interpreter', async () => {
  const res = await compareWithInterpreter(cpuBackend(), {
    def: leakySoma,
    size,
    steps,
    params,
    inputs: { current: testInputs(steps, size, 0, 800) },
  });
  if (res.mismatches.length > 0) throw new Error(res.mismatches.join('\n'));
});

Deno.test('webgpu backend: leaky_soma agrees with the interpreter; chunked submissions', async () => {
  const gpu = await webgpuBackend();
  try {
    console.info(`[deno] ${gpu.description}`);
    const res = await compareWithInterpreter(gpu, {
      def: leakySoma,
      size,
      steps,
      chunk: 25,
      params,
      inputs: { current: testInputs(steps, size, 0, 800) },
    });
    if (res.mismatches.length > 0) throw new Error(res.mismatches.join('\n'));
    const { buffers, op } = instantiateModule(leakySoma, { prefix: 'p', size: 1000, dt: 1 });
    const p = await gpu.load({ buffers, ops: [op], dt: 1, seed: 0 });
    await p.run({
      steps: 2000,
      chunk: 500,
      inputs: { 'p.current': new Float32Array(1000).fill(500) },
      record: ['p.spikes'],
    });
    if (p.stats.submissions !== 4 || p.stats.readbacks !== 4)
      throw new Error(`stats ${JSON.stringify(p.stats)}`);
    p.destroy();
  } finally {
    gpu.destroy();
  }
});

Deno.test('gpujs backend: leaky_soma agrees with the interpreter', async () => {
  const gj = await gpujsBackend();
  try {
    console.info(`[deno] ${gj.description}`);
    const res = await compareWithInterpreter(gj, {
      def: leakySoma,
      size,
      steps: 30,
      params,
      inputs: { current: testInputs(30, size, 0, 800) },
    });
    if (res.mismatches.length > 0) throw new Error(res.mismatches.join('\n'));
  } finally {
    gj.destroy();
  }
});

Deno.test('every library definition agrees with the interpreter on cpu, webgpu and gpujs', async () => {
  const webgpu = await webgpuBackend();
  const gpujs = await gpujsBackend();
  try {
    const defs = allDefinitions();
    const failures: string[] = [];
    for (const [k, def] of defs.entries()) {
      const m = await checkLibraryDefinition(def, k, { cpu: cpuBackend(), webgpu, gpujs });
      if (m.length > 0) failures.push(`${def.name} #${k}: ${m.slice(0, 3).join('; ')}`);
    }
    console.info(`[deno] ${defs.length} definitions checked`);
    if (failures.length > 0) throw new Error(failures.join('\n'));
  } finally {
    webgpu.destroy();
    gpujs.destroy();
  }
});
