/**
 * The backends a job opens, by name, and what a backend says of itself.
 *
 * @module
 */
import type { Backend } from '@spark-snn/core';
import { cpuBackend, gpujsBackend, webgpuBackend } from '@spark-snn/kernels';

/** A backend a job can open. */
export type BackendName = 'cpu' | 'webgpu' | 'gpujs';

/** What a backend says of itself. */
export interface BackendInfo {
  readonly kind: string;
  readonly description: string;
  /** A software WebGPU adapter (SwiftShader, lavapipe): its figures are overheads, never GPU speed. */
  readonly software: boolean;
}

/** A software WebGPU adapter? */
export function isSoftware(b: Pick<Backend, 'kind' | 'description'>): boolean {
  return b.kind === 'webgpu' && /swiftshader|lavapipe|llvmpipe|software|cpu/i.test(b.description);
}

/** What a backend (or a Brain's backend) says of itself. */
export function backendInfo(b: Pick<Backend, 'kind' | 'description'>): BackendInfo {
  return { kind: b.kind, description: b.description, software: isSoftware(b) };
}

/** Opens a backend by name. */
export async function openBackend(name: BackendName): Promise<Backend> {
  if (name === 'cpu') return cpuBackend();
  if (name === 'webgpu') return webgpuBackend();
  if (name === 'gpujs') return gpujsBackend();
  throw new Error(`unknown backend "${name as string}" (cpu, webgpu or gpujs)`);
}
