/**
 * The one rule that picks a backend for `'auto'`, used by the Brain, the `spark` command and the
 * studio alike: **webgpu on a hardware GPU, otherwise cpu**.
 *
 * - A software adapter (SwiftShader, lavapipe/llvmpipe, WARP, `isFallbackAdapter`) is never picked:
 *   it runs WGSL on the CPU, several times slower than the cpu backend's generated loops (ab_brain in
 *   the studio: ≈ 4.6 steps/s on SwiftShader against ≈ 41 on cpu).
 * - gpujs is never picked by `'auto'`: where it was measured (headless Chromium without WebGPU) it was
 *   slower than cpu (≈ 1.5 ab_brain steps/s after a 20 s compile). It stays available by name.
 *
 * @module
 */

import { BACKEND_KINDS, type BackendChoice, BackendError, type BackendKind } from './backend.ts';
import {
  detectRuntime,
  type GpuAdapterSummary,
  GpuUnavailableError,
  type GpuUnavailableReason,
  probeGpuAdapter,
  type RequestGpuDeviceOptions,
} from './device.ts';

/** Which backend a {@link BackendChoice} resolves to here, and why, in plain words. */
export interface BackendDecision {
  /** The backend to create. */
  readonly kind: BackendKind;
  /**
   * One line for a user: the backend, then why, e.g. `"cpu: no GPU on this machine"`,
   * `"webgpu: NVIDIA GeForce RTX 4090 (a hardware GPU)"`, `"gpujs: requested"`.
   */
  readonly reason: string;
  /** The hardware adapter `'auto'` picked webgpu for. */
  readonly adapter?: GpuAdapterSummary;
  /**
   * Why `'auto'` did not pick webgpu: the failed step (`no-gpu`, `software-adapter`, …; `error` for
   * an unexpected failure) and the full message with what to do about it.
   */
  readonly webgpuUnavailable?: { readonly code: GpuUnavailableReason | 'error'; readonly message: string };
}

/** Options of {@link describeBackendChoice}. */
export interface BackendChoiceOptions {
  /** How to ask for the WebGPU adapter (`timeoutMs`, `powerPreference`, a given `gpu`, …). */
  readonly request?: RequestGpuDeviceOptions;
}

/** Why WebGPU was not picked, in words a user understands. */
function whyNotWebgpu(e: unknown): string {
  if (!(e instanceof GpuUnavailableError))
    return `WebGPU failed (${e instanceof Error ? e.message : String(e)})`;
  switch (e.reason) {
    case 'no-gpu':
      return 'no GPU on this machine';
    case 'software-adapter':
      return `${e.message.split(';')[0]} (slower than the cpu backend)`;
    case 'no-webgpu-api': {
      const runtime = detectRuntime();
      if (runtime === 'node') return 'WebGPU for Node is not installed (the optional package `webgpu`)';
      return runtime === 'deno' ? 'this Deno has no WebGPU' : 'this browser has no WebGPU';
    }
    case 'no-adapter':
      return 'WebGPU found no adapter';
    default:
      return e.message;
  }
}

/**
 * Resolves a backend choice without creating the backend: a named backend is taken as asked;
 * `'auto'` asks WebGPU for an adapter (never creating a device) and picks webgpu only for a hardware
 * GPU, cpu otherwise — never a software adapter, never gpujs (see the module notes).
 *
 * @example
 * ```ts
 * const { kind, reason } = await describeBackendChoice('auto');
 * console.log(reason); // "cpu: no GPU on this machine"
 * ```
 * @throws `BackendError` (`invalid-input`) for a name that is not a backend.
 */
export async function describeBackendChoice(
  choice: BackendChoice = 'auto',
  options: BackendChoiceOptions = {},
): Promise<BackendDecision> {
  if (choice !== 'auto') {
    if (!(BACKEND_KINDS as readonly string[]).includes(choice)) {
      throw new BackendError(
        'invalid-input',
        'backend',
        `unknown backend ${JSON.stringify(choice)}; expected auto, ${BACKEND_KINDS.join(', ')}`,
      );
    }
    return { kind: choice, reason: `${choice}: requested` };
  }
  try {
    const adapter = await probeGpuAdapter({
      timeoutMs: 10_000,
      ...options.request,
      rejectSoftwareAdapter: true,
    });
    const name =
      adapter.description || [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') || 'GPU';
    return { kind: 'webgpu', reason: `webgpu: ${name} (a hardware GPU)`, adapter };
  } catch (e) {
    return {
      kind: 'cpu',
      reason: `cpu: ${whyNotWebgpu(e)}`,
      webgpuUnavailable: {
        code: e instanceof GpuUnavailableError ? e.reason : 'error',
        message: e instanceof Error ? e.message : String(e),
      },
    };
  }
}
