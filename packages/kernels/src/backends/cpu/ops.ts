/**
 * Every op kind's cpu implementation, in one list (the registration of the cpu backend, as tfjs's
 * `register_all_kernels.ts`). A new op kind adds its `cpu.ts` record here.
 *
 * @module
 */

import { compactCpuOp } from '../../ops/compact/cpu.ts';
import { concatCpuOp, copyCpuOp } from '../../ops/copy/cpu.ts';
import { delayPerNeuronCpuOp, delayPerSynapseCpuOp } from '../../ops/delay/cpu.ts';
import { denseAsyncCpuOp, denseSyncCpuOp } from '../../ops/dense/cpu.ts';
import { delayRingCpuOp, moduleEventsCpuOp } from '../../ops/events/cpu.ts';
import { groupSumCpuOp } from '../../ops/group_sum/cpu.ts';
import { moduleCpuOp } from '../../ops/module/cpu.ts';
import { BackendOpTable } from '../../ops/registry.ts';
import { sparseCsrCpuOp } from '../../ops/sparse/cpu.ts';
import type { CpuOp } from './op.ts';

/** The cpu backend's op table. */
export const CPU_OPS: BackendOpTable<CpuOp> = new BackendOpTable<CpuOp>('cpu', [
  moduleCpuOp,
  denseSyncCpuOp,
  denseAsyncCpuOp,
  delayPerNeuronCpuOp,
  delayPerSynapseCpuOp,
  copyCpuOp,
  concatCpuOp,
  groupSumCpuOp,
  compactCpuOp,
  sparseCsrCpuOp,
  moduleEventsCpuOp,
  delayRingCpuOp,
] as unknown as CpuOp[]);
