// Deno: executes the same WGSL smoke shader through requestGpuDevice (wgpu on Mesa lavapipe here).
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
