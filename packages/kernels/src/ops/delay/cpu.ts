/**
 * Delay ring buffers on the cpu. The ring has `slots` rows of the input's width; at step `t` row
 * `t mod slots` receives the input, then element `k` with delay `d` reads row `(t − d) mod slots`.
 * `d = 0` is no delay, `d = slots` reads the row written in the same step (Spark's wrap-around).
 *
 * @module
 */

import { type CpuOp, cpuOp } from '../../backends/cpu/op.ts';
import { delayShape } from './op.ts';

/** Ring row read by delay `d` at step `t` (`d` taken as a u32, modulo `slots`). */
export function ringRow(t: number, d: number, slots: number): number {
  const w = t % slots;
  return (w + slots - ((d >>> 0) % slots)) % slots;
}

function delayCpu<K extends 'delay.per_neuron' | 'delay.per_synapse'>(kind: K): CpuOp<K> {
  return cpuOp(kind, {
    emit(r, c) {
      const { post, pre, slots } = delayShape(r as Parameters<typeof delayShape>[0]);
      const input = c.array('input');
      const delays = c.array('delays');
      const ring = c.array('ring');
      const out = c.array('out');
      // Row offset of every delay 0..slots this step: no modulo per element.
      const lut = c.constant('delayLut', new Int32Array(slots + 1));
      c.code(
        `    { const w = ${c.step} % ${slots};`,
        `      ${ring}.set(${input}, w * ${pre});`,
        `      for (let d = 0; d <= ${slots}; d++) ${lut}[d] = ((w + ${slots} - (d % ${slots})) % ${slots}) * ${pre};`,
        `      for (let i = 0, row = 0; i < ${post}; i++, row += ${pre})`,
        `        for (let j = 0; j < ${pre}; j++) { const d = ${delays}[row + j] >>> 0;`,
        `          ${out}[row + j] = ${ring}[(d <= ${slots} ? ${lut}[d] : ((w + ${slots} - (d % ${slots})) % ${slots}) * ${pre}) + j]; }`,
        '    }',
      );
    },
  });
}

/** `delay.per_neuron` on cpu. */
export const delayPerNeuronCpuOp: CpuOp<'delay.per_neuron'> = delayCpu('delay.per_neuron');
/** `delay.per_synapse` on cpu. */
export const delayPerSynapseCpuOp: CpuOp<'delay.per_synapse'> = delayCpu('delay.per_synapse');
