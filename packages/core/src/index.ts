/// <reference types="@webgpu/types" preserve="true" />
// The WebGPU types of the public API (GPUDevice, GPUAdapter, …) come from @webgpu/types, a dependency
// of this package, so a consumer's type-check needs nothing else installed (docs/decisions.md).
/**
 * `@spark-snn/core`: dtypes, host tensors, float16 conversion, payload types, state trees, safetensors
 * checkpoints, the Philox4x32-10 counter-based RNG, WebGPU device acquisition, the Backend contract and
 * the rule that picks a backend for `'auto'`.
 *
 * @packageDocumentation
 */

export * from './backend.ts';
export * from './backend-choice.ts';
export * from './crc32.ts';
export * from './device.ts';
export * from './dtype.ts';
export * from './float16.ts';
export * from './issue.ts';
export * from './npy.ts';
export * from './payload.ts';
export * from './rng/index.ts';
export * from './safetensors.ts';
export * from './state.ts';
export * from './tensor.ts';
export * from './text.ts';
