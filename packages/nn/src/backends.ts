/**
 * Backend selection for a compiled brain: the kernels package's `createBackend` (`'auto'` tries
 * webgpu, then gpujs in browsers, then cpu) plus a check that the backend runs every op of the plan.
 *
 * @module
 */
import { type Backend, type BackendChoice, BackendError, type Plan } from '@spark-snn/core';
import { createBackend } from '@spark-snn/kernels';

/** Picks (and creates) the backend for a plan, saying why. */
export async function selectBackend(
  choice: BackendChoice | Backend,
  plan: Plan,
): Promise<{ backend: Backend; reason: string }> {
  const { backend, reasons } =
    typeof choice === 'object'
      ? { backend: choice, reasons: ['backend instance given by the caller'] }
      : await createBackend(choice);
  const missing = [...new Set(plan.ops.map((o) => o.op).filter((op) => !backend.supports(op)))];
  if (missing.length > 0) {
    if (typeof choice !== 'object') backend.destroy();
    throw new BackendError(
      'unsupported-op',
      'backend',
      `the ${backend.kind} backend cannot run op(s) ${missing.join(', ')}`,
    );
  }
  return { backend, reason: reasons.join('; ') };
}
