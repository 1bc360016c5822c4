import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/auto.ts';

describe('createBackend', () => {
  it('auto picks webgpu when an adapter exists and says why', async () => {
    const { backend, reasons } = await createBackend('auto');
    expect(backend.kind).toBe('webgpu');
    expect(reasons.at(-1)).toMatch(/^webgpu: picked/);
    backend.destroy();
  });
  it('auto falls back to cpu when WebGPU is unavailable', async () => {
    const { backend, reasons } = await createBackend('auto', {
      request: { dawnOptions: ['backend=null'], rejectFallbackAdapter: true, timeoutMs: 5000 },
    });
    // With the null backend there is no usable adapter (or it is rejected): cpu is picked.
    if (backend.kind === 'cpu') {
      expect(reasons[0]).toMatch(/^webgpu: unavailable/);
      expect(reasons.at(-1)).toMatch(/^cpu: picked/);
    }
    backend.destroy();
  });
  it('explicit choices and unknown names', async () => {
    expect((await createBackend('cpu')).backend.kind).toBe('cpu');
    await expect(createBackend('tpu' as never)).rejects.toThrow(/unknown backend "tpu"/);
  });
});
