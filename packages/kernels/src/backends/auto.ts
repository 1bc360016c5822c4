/**
 * Backend creation: a named backend, or `'auto'` resolved by core's one rule
 * ({@link describeBackendChoice}: webgpu on a hardware GPU, otherwise cpu — never a software adapter,
 * never gpujs), saying which it created and why.
 *
 * @module
 */

import {
  type Backend,
  type BackendChoice,
  describeBackendChoice,
  type RequestGpuDeviceOptions,
} from '@spark-snn/core';
import { cpuBackend } from './cpu/index.ts';
import { gpujsBackend } from './gpujs/index.ts';
import { webgpuBackend } from './webgpu/index.ts';

/** Options of {@link createBackend}. */
export interface CreateBackendOptions {
  /** Passed to `requestGpuDevice` for webgpu (and to the adapter probe of `'auto'`). */
  readonly request?: RequestGpuDeviceOptions;
}

/** A created backend and why it was chosen. */
export interface BackendSelection {
  readonly backend: Backend;
  /** Why, in plain words: one line, or two when webgpu was picked but could not start. */
  readonly reasons: readonly string[];
}

/**
 * Creates the backend `choice`. `'auto'` follows {@link describeBackendChoice}; when the GPU it picked
 * cannot create a device after all, it falls back to cpu and says so.
 *
 * @throws `BackendError` (`invalid-input`) for an unknown name; the backend's own error when a
 * backend asked for by name cannot start.
 */
export async function createBackend(
  choice: BackendChoice = 'auto',
  options: CreateBackendOptions = {},
): Promise<BackendSelection> {
  const decision = await describeBackendChoice(choice, options.request ? { request: options.request } : {});
  const create = async (): Promise<Backend> => {
    switch (decision.kind) {
      case 'webgpu':
        return webgpuBackend({
          request: { ...options.request, rejectSoftwareAdapter: choice === 'auto' },
        });
      case 'gpujs':
        return gpujsBackend();
      default:
        return cpuBackend();
    }
  };
  if (choice !== 'auto' || decision.kind === 'cpu')
    return { backend: await create(), reasons: [decision.reason] };
  try {
    return { backend: await create(), reasons: [decision.reason] };
  } catch (e) {
    return {
      backend: cpuBackend(),
      reasons: [decision.reason, `cpu: the GPU could not start (${(e as Error).message})`],
    };
  }
}
