/**
 * Backend selection for a compiled brain: the kernels package's `createBackend` — `'auto'` follows
 * the one rule of the engine, {@link describeBackendChoice} (webgpu on a hardware GPU, otherwise cpu;
 * never a software adapter, never gpujs) — plus a check that the backend runs every op of the plan.
 *
 * The CLI (`spark info`, `spark run --backend auto`), the Brain and the studio all go through these
 * two functions, so they agree on what `'auto'` picks and say why in the same words.
 *
 * @module
 */
import {
  type Backend,
  type BackendChoice,
  type BackendChoiceOptions,
  type BackendDecision,
  BackendError,
  describeBackendChoice,
  type Plan,
} from '@spark-snn/core';
import { createBackend } from '@spark-snn/kernels';

export { type BackendChoiceOptions, type BackendDecision, describeBackendChoice };

/**
 * Picks (and creates) the backend for a plan, saying why in plain words (`reason`, e.g.
 * `"cpu: no GPU on this machine"`).
 *
 * @throws `BackendError` (`unsupported-op`) when the backend cannot run an op of the plan.
 */
export async function selectBackend(
  choice: BackendChoice | Backend,
  plan: Plan,
  options: BackendChoiceOptions = {},
): Promise<{ backend: Backend; reason: string }> {
  const { backend, reasons } =
    typeof choice === 'object'
      ? { backend: choice, reasons: ['backend instance given by the caller'] }
      : await createBackend(choice, options);
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
