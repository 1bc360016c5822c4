/**
 * Every op kind's gpujs implementation, in one list (the registration of the gpujs backend). A new
 * op kind adds its `gpujs.ts` record here.
 *
 * @module
 */

import { compactGpujsOp } from '../../ops/compact/gpujs.ts';
import { concatGpujsOp, copyGpujsOp } from '../../ops/copy/gpujs.ts';
import { delayPerNeuronGpujsOp, delayPerSynapseGpujsOp } from '../../ops/delay/gpujs.ts';
import { denseAsyncGpujsOp, denseSyncGpujsOp } from '../../ops/dense/gpujs.ts';
import { groupSumGpujsOp } from '../../ops/group_sum/gpujs.ts';
import { moduleGpujsOp } from '../../ops/module/gpujs.ts';
import { BackendOpTable } from '../../ops/registry.ts';
import { sparseCsrGpujsOp } from '../../ops/sparse/gpujs.ts';
import type { GpujsOp } from './op.ts';

/** The gpujs backend's op table. */
export const GPUJS_OPS: BackendOpTable<GpujsOp> = new BackendOpTable<GpujsOp>('gpujs', [
  moduleGpujsOp,
  denseSyncGpujsOp,
  denseAsyncGpujsOp,
  delayPerNeuronGpujsOp,
  delayPerSynapseGpujsOp,
  copyGpujsOp,
  concatGpujsOp,
  groupSumGpujsOp,
  compactGpujsOp,
  sparseCsrGpujsOp,
] as unknown as GpujsOp[]);
