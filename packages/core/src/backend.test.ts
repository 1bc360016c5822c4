import { describe, expect, it } from 'vitest';
import { BACKEND_KINDS, BackendError, findPlanBuffer, type Plan } from './backend.ts';

describe('Backend contract helpers', () => {
  const plan: Plan = { dt: 1, seed: 0, buffers: [{ name: 'v', dtype: 'float32', shape: [3] }], ops: [] };

  it('names the three backends', () => {
    expect(BACKEND_KINDS).toEqual(['webgpu', 'gpujs', 'cpu']);
  });

  it('BackendError carries a code and a path in its message', () => {
    const e = new BackendError('invalid-plan', 'ops[2].bindings.weights', 'shape mismatch');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('BackendError');
    expect(e.code).toBe('invalid-plan');
    expect(e.path).toBe('ops[2].bindings.weights');
    expect(e.message).toBe('ops[2].bindings.weights: shape mismatch');
    expect(new BackendError('device-lost', '', 'lost').message).toBe('lost');
  });

  it('findPlanBuffer finds buffers and reports unknown names with the path', () => {
    expect(findPlanBuffer(plan, 'v').shape).toEqual([3]);
    expect(() => findPlanBuffer(plan, 'w', 'ops[0].bindings.x')).toThrow(
      'ops[0].bindings.x: unknown buffer "w"',
    );
  });
});
