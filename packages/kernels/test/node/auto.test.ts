// createBackend: 'auto' creates what core's rule (describeBackendChoice) decides, with its words;
// named backends are created as asked — webgpu even on a software adapter (SwiftShader here), since
// the caller asked for it.
import { describeBackendChoice } from '@spark-snn/core';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/auto.ts';

describe('createBackend', () => {
  it("'auto' creates the backend describeBackendChoice picks, and says why in its words", async () => {
    const decision = await describeBackendChoice('auto');
    const { backend, reasons } = await createBackend('auto');
    try {
      expect(backend.kind).toBe(decision.kind);
      expect(reasons).toEqual([decision.reason]);
    } finally {
      backend.destroy();
    }
  });

  it("'webgpu' by name runs on whatever adapter there is (a software one included)", async () => {
    const { backend, reasons } = await createBackend('webgpu');
    try {
      expect(backend.kind).toBe('webgpu');
      expect(reasons).toEqual(['webgpu: requested']);
    } finally {
      backend.destroy();
    }
  });

  it('explicit cpu and unknown names', async () => {
    expect(await createBackend('cpu')).toMatchObject({ reasons: ['cpu: requested'] });
    await expect(createBackend('tpu' as never)).rejects.toThrow(/unknown backend "tpu"/);
  });
});
