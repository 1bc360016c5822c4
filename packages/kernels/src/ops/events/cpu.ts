/**
 * The event ops on cpu: the generated step of `events/cpu.ts` and the ring push.
 *
 * @module
 */

import { type CpuOp, cpuOp } from '../../backends/cpu/op.ts';
import { delayRingCpu, moduleEventsCpu } from '../../events/cpu.ts';

/** `module.events` on cpu. */
export const moduleEventsCpuOp: CpuOp<'module.events'> = cpuOp('module.events', (r, c) =>
  moduleEventsCpu({
    attrs: r.attrs,
    bindings: r.op.bindings,
    compiled: r.compiled,
    instance: r.instance,
    key: c.key,
    streamBase: r.streamBase,
    get: (slot) => c.get(slot),
  }),
);

/** `delay.ring` on cpu. */
export const delayRingCpuOp: CpuOp<'delay.ring'> = cpuOp('delay.ring', (r, c) =>
  delayRingCpu(r.attrs, c.get<Float32Array>('input'), c.get<Float32Array>('ring')),
);
