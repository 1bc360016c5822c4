/**
 * The event ops on cpu: `module.events` is the generated step of `events/cpu.ts`, a step kernel that the
 * step program calls with the op's arrays (`emitStepKernel`); the ring push is emitted inline.
 *
 * @module
 */

import { type CpuOp, cpuOp, emitStepKernel } from '../../backends/cpu/op.ts';
import { moduleEventsCpu } from '../../events/cpu.ts';

/** `module.events` on cpu. */
export const moduleEventsCpuOp: CpuOp<'module.events'> = cpuOp('module.events', {
  emit(r, c) {
    return emitStepKernel(r, c, () =>
      moduleEventsCpu({
        attrs: r.attrs,
        bindings: r.op.bindings,
        compiled: r.compiled,
        instance: r.instance,
        key: c.key,
        streamBase: r.streamBase,
        ...(c.memory !== undefined ? { memory: c.memory, dtype: c.dtype } : {}),
      }),
    );
  },
});

/** `delay.ring` on cpu. */
export const delayRingCpuOp: CpuOp<'delay.ring'> = cpuOp('delay.ring', {
  emit(r, c) {
    // Row t mod slots of the ring receives the input.
    const { pre, slots } = r.attrs;
    const input = c.array('input');
    const ring = c.array('ring');
    c.code(
      `    { const o = (${c.step} % ${slots}) * ${pre}; for (let j = 0; j < ${pre}; j++) ${ring}[o + j] = ${input}[j]; }`,
    );
  },
});
