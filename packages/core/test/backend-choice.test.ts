// The `'auto'` rule on this runtime's real adapter: Dawn on SwiftShader in Node, SwiftShader in
// headless Chromium (lavapipe in Deno: test/deno/device_test.ts). On a machine without a GPU these
// are software adapters and must be refused in favour of cpu; on a machine with one, webgpu is picked.
import { describe, expect, it } from 'vitest';
import { describeBackendChoice } from '../src/backend-choice.ts';
import {
  GpuUnavailableError,
  probeGpuAdapter,
  requestGpuDevice,
  softwareAdapterReason,
} from '../src/device.ts';
import { realGpu } from './common/gpu.ts';

describe("the 'auto' rule (describeBackendChoice) on the real adapter", () => {
  it('never picks a software adapter over cpu, and says why in words', async () => {
    const gpu = await realGpu();
    const info = await probeGpuAdapter({ gpu, timeoutMs: 30_000 });
    const software = softwareAdapterReason(info);
    const decision = await describeBackendChoice('auto', { request: { gpu, timeoutMs: 30_000 } });
    console.info(
      `[${info.runtime}] adapter "${info.description}" (${info.architecture}) → ${decision.reason}`,
    );
    if (software !== undefined) {
      expect(decision).toEqual({
        kind: 'cpu',
        reason: `cpu: the only WebGPU adapter is ${software} (slower than the cpu backend)`,
        webgpuUnavailable: {
          code: 'software-adapter',
          message: `the only WebGPU adapter is ${software}; software adapters are refused`,
        },
      });
    } else {
      expect(decision.kind).toBe('webgpu');
      expect(decision.adapter).toEqual(info);
    }
  });

  it('requestGpuDevice with rejectSoftwareAdapter refuses exactly the software adapters', async () => {
    const gpu = await realGpu();
    const info = await probeGpuAdapter({ gpu, timeoutMs: 30_000 });
    const got = await requestGpuDevice({ gpu, rejectSoftwareAdapter: true, timeoutMs: 30_000 }).catch(
      (e: unknown) => e,
    );
    if (softwareAdapterReason(info) !== undefined) {
      expect(got).toBeInstanceOf(GpuUnavailableError);
      expect((got as GpuUnavailableError).reason).toBe('software-adapter');
      expect((got as Error).message).toMatch(/a software renderer that runs on the CPU/);
    } else {
      expect(got).not.toBeInstanceOf(Error);
      (got as { destroy(): void }).destroy();
    }
  });

  it('takes a named backend as asked and rejects unknown names', async () => {
    expect(await describeBackendChoice('gpujs')).toEqual({ kind: 'gpujs', reason: 'gpujs: requested' });
    expect(await describeBackendChoice('cpu')).toEqual({ kind: 'cpu', reason: 'cpu: requested' });
    await expect(describeBackendChoice('tpu' as never)).rejects.toThrow(
      'backend: unknown backend "tpu"; expected auto, webgpu, gpujs, cpu',
    );
  });
});

describe('softwareAdapterReason', () => {
  // Adapter info as the runtimes report it (read from the real adapters: Dawn 0.6.2 on SwiftShader,
  // Deno 2.9 on lavapipe), plus WARP and a hardware GPU.
  it.each([
    [
      'Dawn on SwiftShader',
      {
        vendor: 'google',
        architecture: 'swiftshader',
        description: 'SwiftShader driver 5.0.0',
        isFallbackAdapter: true,
      },
      'SwiftShader driver 5.0.0, a software renderer that runs on the CPU',
    ],
    [
      'Deno on lavapipe',
      {
        vendor: '65541',
        architecture: '',
        description: 'llvmpipe (LLVM 15.0.6, 256 bits)',
        isFallbackAdapter: true,
      },
      'llvmpipe (LLVM 15.0.6, 256 bits), a software renderer that runs on the CPU',
    ],
    [
      'WARP (named only)',
      {
        vendor: 'microsoft',
        architecture: '',
        description: 'Microsoft Basic Render Driver',
        isFallbackAdapter: false,
      },
      'Microsoft Basic Render Driver, a software renderer that runs on the CPU',
    ],
    [
      'an unnamed fallback adapter',
      { vendor: '', architecture: '', description: '', isFallbackAdapter: true },
      'an unnamed adapter, a software renderer that runs on the CPU',
    ],
    [
      'a hardware GPU',
      {
        vendor: 'nvidia',
        architecture: 'hopper',
        description: 'NVIDIA H100 80GB HBM3',
        isFallbackAdapter: false,
      },
      undefined,
    ],
  ])('%s', (_, info, expected) => {
    expect(softwareAdapterReason(info)).toBe(expected);
  });
});
