/**
 * Backend selection: `'auto'` tries webgpu, then gpujs, then cpu, and says which it picked and why.
 *
 * @module
 */

import {
  type Backend,
  type BackendChoice,
  BackendError,
  detectRuntime,
  type RequestGpuDeviceOptions,
} from '@spark-snn/core';
import { cpuBackend } from './cpu/index.ts';
import { gpujsBackend } from './gpujs/index.ts';
import { webgpuBackend } from './webgpu/index.ts';

/** Options of {@link createBackend}. */
export interface CreateBackendOptions {
  /** Passed to `requestGpuDevice` for webgpu. */
  readonly request?: RequestGpuDeviceOptions;
  /**
   * Try gpujs in `'auto'` mode (default: only in browsers, where it runs on WebGL2; in Node and Deno
   * gpu.js runs on the CPU and the cpu backend is faster).
   */
  readonly tryGpujs?: boolean;
}

/** A created backend and why it was chosen. */
export interface BackendSelection {
  readonly backend: Backend;
  /** One line per candidate tried, ending with the one picked. */
  readonly reasons: readonly string[];
}

/** Creates the backend `choice`; `'auto'` falls back from webgpu to gpujs to cpu. */
export async function createBackend(
  choice: BackendChoice = 'auto',
  options: CreateBackendOptions = {},
): Promise<BackendSelection> {
  if (choice === 'cpu') return { backend: cpuBackend(), reasons: ['cpu: requested'] };
  if (choice === 'webgpu') {
    const b = await webgpuBackend(options.request ? { request: options.request } : {});
    return { backend: b, reasons: [`webgpu: requested (${b.description})`] };
  }
  if (choice === 'gpujs') {
    const b = await gpujsBackend();
    return { backend: b, reasons: [`gpujs: requested (${b.description})`] };
  }
  if (choice !== 'auto')
    throw new BackendError(
      'invalid-input',
      'backend',
      `unknown backend ${JSON.stringify(choice)}; expected auto, webgpu, gpujs or cpu`,
    );
  const reasons: string[] = [];
  try {
    const b = await webgpuBackend(options.request ? { request: options.request } : {});
    reasons.push(`webgpu: picked (${b.description})`);
    return { backend: b, reasons };
  } catch (e) {
    reasons.push(`webgpu: unavailable (${(e as Error).message})`);
  }
  if (options.tryGpujs ?? detectRuntime() === 'browser') {
    try {
      const b = await gpujsBackend();
      reasons.push(`gpujs: picked (${b.description})`);
      return { backend: b, reasons };
    } catch (e) {
      reasons.push(`gpujs: unavailable (${(e as Error).message})`);
    }
  }
  reasons.push('cpu: picked (generated JavaScript loops)');
  return { backend: cpuBackend(), reasons };
}
