/**
 * Backend selection: `'auto'` tries webgpu, then gpujs, then cpu, and says which it picked and why.
 *
 * @module
 */
import { type Backend, type BackendChoice, BackendError, type Plan } from '@spark-snn/core';
import * as kernels from '@spark-snn/kernels';

type Factory = () => Backend | Promise<Backend>;

/** The backend factories the kernels package provides, by kind (absent ones are not built yet). */
function factories(): Partial<Record<'webgpu' | 'gpujs' | 'cpu', Factory>> {
  const k = kernels as unknown as Record<string, unknown>;
  const out: Partial<Record<'webgpu' | 'gpujs' | 'cpu', Factory>> = { cpu: () => kernels.cpuBackend() };
  if (typeof k.webgpuBackend === 'function') out.webgpu = k.webgpuBackend as Factory;
  if (typeof k.gpujsBackend === 'function') out.gpujs = k.gpujsBackend as Factory;
  return out;
}

/** Picks (and creates) the backend for a plan. */
export async function selectBackend(
  choice: BackendChoice | Backend,
  plan: Plan,
): Promise<{ backend: Backend; reason: string }> {
  if (typeof choice === 'object') return { backend: choice, reason: 'backend instance given by the caller' };
  const f = factories();
  const unsupported = (b: Backend) => plan.ops.map((o) => o.op).filter((op) => !b.supports(op));
  if (choice !== 'auto') {
    const make = f[choice];
    if (!make)
      throw new BackendError(
        'unavailable',
        'backend',
        `the ${choice} backend is not available in this build`,
      );
    const backend = await make();
    const missing = unsupported(backend);
    if (missing.length > 0) {
      throw new BackendError(
        'unsupported-op',
        'backend',
        `the ${choice} backend cannot run op(s) ${[...new Set(missing)].join(', ')}`,
      );
    }
    return { backend, reason: `requested ${choice}` };
  }
  const notes: string[] = [];
  for (const kind of ['webgpu', 'gpujs', 'cpu'] as const) {
    const make = f[kind];
    if (!make) {
      notes.push(`${kind}: not available`);
      continue;
    }
    try {
      const backend = await make();
      const missing = unsupported(backend);
      if (missing.length > 0) {
        notes.push(`${kind}: cannot run ${[...new Set(missing)].join(', ')}`);
        backend.destroy();
        continue;
      }
      return {
        backend,
        reason: notes.length > 0 ? `auto picked ${kind} (${notes.join('; ')})` : `auto picked ${kind}`,
      };
    } catch (e) {
      notes.push(`${kind}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new BackendError('unavailable', 'backend', `no backend can run this brain: ${notes.join('; ')}`);
}
