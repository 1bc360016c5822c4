import { afterAll, describe, expect, it } from 'vitest';
import { detectRuntime, GpuUnavailableError, requestGpuDevice } from '../src/device.ts';
import { maxRelativeError, runWgslSmoke, type SmokeResult } from './common/wgsl-smoke.ts';

describe(`WebGPU in ${detectRuntime()}`, () => {
  let result: SmokeResult | undefined;
  afterAll(() => result?.handle.destroy());

  it('executes a WGSL compute shader through requestGpuDevice and returns the right numbers', async () => {
    result = await runWgslSmoke(1000);
    const { handle, output, expected } = result;
    console.info(
      `[${handle.info.runtime}] adapter: ${handle.info.vendor}/${handle.info.architecture} ` +
        `"${handle.info.description}" fallback=${handle.info.isFallbackAdapter}`,
    );
    expect(output.length).toBe(1000);
    // element 0: x = -3 → 2.5·(−3) − 1 + e^{1.5}
    expect(output[0]).toBeCloseTo(-8.5 + Math.exp(1.5), 4);
    expect(maxRelativeError(output, expected)).toBeLessThan(1e-5);
  });

  it('creates the device with the adapter limits rather than the spec defaults', async () => {
    const handle = result?.handle ?? (await requestGpuDevice());
    const adapterMax = (handle.adapter.limits as unknown as Record<string, number>)
      .maxStorageBufferBindingSize;
    expect(handle.limits.maxStorageBufferBindingSize).toBe(adapterMax);
    expect(handle.limits.maxComputeInvocationsPerWorkgroup).toBeGreaterThanOrEqual(256);
  });
});

describe('requestGpuDevice failures are clear errors, never hangs', () => {
  it('reports a missing adapter', async () => {
    const gpu = { requestAdapter: async () => null } as unknown as GPU;
    const err = await requestGpuDevice({ gpu }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GpuUnavailableError);
    expect((err as GpuUnavailableError).reason).toBe('no-adapter');
    expect((err as Error).message).toMatch(/no adapter/);
  });

  it('times out on an adapter request that never answers', async () => {
    const gpu = { requestAdapter: () => new Promise(() => {}) } as unknown as GPU;
    const err = await requestGpuDevice({ gpu, timeoutMs: 50 }).catch((e: unknown) => e);
    expect((err as GpuUnavailableError).reason).toBe('timeout');
    expect((err as Error).message).toMatch(/requestAdapter did not answer within 50 ms/);
  });

  it('names a required feature the adapter lacks', async () => {
    const adapter = {
      features: new Set<string>(),
      limits: {},
      info: { vendor: 'acme', architecture: 'x', description: 'Acme GPU', isFallbackAdapter: false },
      requestDevice: async () => {
        throw new Error('unreachable');
      },
    };
    const gpu = { requestAdapter: async () => adapter } as unknown as GPU;
    const err = await requestGpuDevice({ gpu, requiredFeatures: ['shader-f16'] }).catch((e: unknown) => e);
    expect((err as GpuUnavailableError).reason).toBe('adapter-rejected');
    expect((err as Error).message).toContain('shader-f16');
  });
});
