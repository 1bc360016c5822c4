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
export * from './npy.ts';
export * from './payload.ts';
export * from './rng/index.ts';
export * from './safetensors.ts';
export * from './state.ts';
export * from './tensor.ts';
