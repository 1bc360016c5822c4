// Deno: executes the same WGSL smoke shader through requestGpuDevice (wgpu on Mesa lavapipe here).
import { describeBackendChoice } from '../../src/backend-choice.ts';
import { probeGpuAdapter, softwareAdapterReason } from '../../src/device.ts';
import { maxRelativeError, runWgslSmoke } from '../common/wgsl-smoke.ts';

declare const Deno: { test(name: string, fn: () => Promise<void>): void };

Deno.test('WebGPU in deno executes a WGSL compute shader through requestGpuDevice', async () => {
  const { handle, output, expected } = await runWgslSmoke(1000);
  try {
    console.info(
      `[deno] adapter: ${handle.info.vendor}/${handle.info.architecture} "${handle.info.description}" ` +
        `fallback=${handle.info.isFallbackAdapter}`,
    );
    if (handle.info.runtime !== 'deno') throw new Error(`runtime detected as ${handle.info.runtime}`);
    const err = maxRelativeError(output, expected);
    if (!(err < 1e-5)) throw new Error(`max relative error ${err} ≥ 1e-5`);
    const first = output[0]!;
    if (Math.abs(first - (-8.5 + Math.exp(1.5))) > 1e-4) throw new Error(`output[0] = ${first}`);
  } finally {
    handle.destroy();
  }
});

Deno.test("the 'auto' rule refuses Deno's software adapter (lavapipe here) in favour of cpu", async () => {
  const gpu = (globalThis as { navigator: { gpu: GPU } }).navigator.gpu;
  const info = await probeGpuAdapter({ gpu, timeoutMs: 30_000 });
  const software = softwareAdapterReason(info);
  const decision = await describeBackendChoice('auto', { request: { gpu, timeoutMs: 30_000 } });
  console.info(`[deno] adapter "${info.description}" → ${decision.reason}`);
  if (software !== undefined) {
    const want = `cpu: the only WebGPU adapter is ${software} (slower than the cpu backend)`;
    if (decision.kind !== 'cpu' || decision.reason !== want)
      throw new Error(`got ${JSON.stringify(decision)}`);
  } else if (decision.kind !== 'webgpu') {
    throw new Error(`a hardware adapter (${info.description}) was not picked: ${decision.reason}`);
  }
});
