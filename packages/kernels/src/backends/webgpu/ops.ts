/**
 * Every op kind's webgpu implementation, in one list (the registration of the webgpu backend). A new
 * op kind adds its `webgpu.ts` record here.
 *
 * @module
 */

import { compactWebgpuOp } from '../../ops/compact/webgpu.ts';
import { concatWebgpuOp, copyWebgpuOp } from '../../ops/copy/webgpu.ts';
import { delayPerNeuronWebgpuOp, delayPerSynapseWebgpuOp } from '../../ops/delay/webgpu.ts';
import { denseAsyncWebgpuOp, denseSyncWebgpuOp } from '../../ops/dense/webgpu.ts';
import { delayRingWebgpuOp, moduleEventsWebgpuOp } from '../../ops/events/webgpu.ts';
import { groupSumWebgpuOp } from '../../ops/group_sum/webgpu.ts';
import { moduleWebgpuOp } from '../../ops/module/webgpu.ts';
import { BackendOpTable } from '../../ops/registry.ts';
import { sparseCsrWebgpuOp } from '../../ops/sparse/webgpu.ts';
import type { WebGpuOp } from './op.ts';

/** The webgpu backend's op table. */
export const WEBGPU_OPS: BackendOpTable<WebGpuOp> = new BackendOpTable<WebGpuOp>('webgpu', [
  moduleWebgpuOp,
  denseSyncWebgpuOp,
  denseAsyncWebgpuOp,
  delayPerNeuronWebgpuOp,
  delayPerSynapseWebgpuOp,
  copyWebgpuOp,
  concatWebgpuOp,
  groupSumWebgpuOp,
  compactWebgpuOp,
  sparseCsrWebgpuOp,
  moduleEventsWebgpuOp,
  delayRingWebgpuOp,
] as unknown as WebGpuOp[]);
