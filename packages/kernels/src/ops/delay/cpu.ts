/**
 * Delay ring buffers on the cpu. The ring has `slots` rows of the input's width; at step `t` row
 * `t mod slots` receives the input, then element `k` with delay `d` reads row `(t − d) mod slots`.
 * `d = 0` is no delay, `d = slots` reads the row written in the same step (Spark's wrap-around).
 *
 * When the input carries an event list (spikes), the ring's rows keep lists too and a step costs the
 * events: the row is rewritten by clearing its old events and setting the new ones, and only the
 * units listed in some row can make an output element non-zero (the output's previous non-zeros are
 * cleared first) — so `delay.per_synapse` of a few spikes touches a few columns of `[post × pre]`.
 *
 * @module
 */

import { type CpuOp, cpuOp } from '../../backends/cpu/op.ts';
import { emitRingRow, emitRowUnion } from '../../backends/cpu/rows.ts';
import { delayShape } from './op.ts';

function delayCpu<K extends 'delay.per_neuron' | 'delay.per_synapse'>(kind: K): CpuOp<K> {
  return cpuOp(kind, {
    emit(r, c) {
      const { post, pre, slots } = delayShape(r as Parameters<typeof delayShape>[0]);
      const input = c.array('input');
      const delays = c.array('delays');
      const ring = c.array('ring');
      const out = c.array('out');
      // Row of every delay 0..slots this step: no modulo per element.
      const lut = c.constant('delayLut', new Int32Array(slots + 1));
      const rowOf = (d: string): string =>
        `(${d} <= ${slots} ? ${lut}[${d}] : (w + ${slots} - (${d} % ${slots})) % ${slots})`;
      c.code(
        `    { const w = ${c.step} % ${slots};`,
        `      for (let d = 0; d <= ${slots}; d++) ${lut}[d] = (w + ${slots} - (d % ${slots})) % ${slots};`,
      );
      const ev = c.events('input');
      if (ev === undefined) {
        c.code(
          `      ${ring}.set(${input}, w * ${pre});`,
          `      for (let i = 0, row = 0; i < ${post}; i++, row += ${pre})`,
          `        for (let j = 0; j < ${pre}; j++) ${out}[row + j] = ${ring}[${rowOf(`(${delays}[row + j] >>> 0)`)} * ${pre} + j];`,
          '    }',
        );
        return;
      }
      // Event form: only the units with a spike in some ring row can make an output non-zero; the
      // output's previous non-zeros (its list) are cleared first. Cost ∝ post × those units.
      const rows = emitRingRow(c, { slot: 'ring', rows: slots, width: pre, row: 'w', input, events: ev });
      const ACT = c.constant('delayActive', new Int32Array(pre));
      const MARK = c.constant('delayMark', new Uint8Array(pre));
      emitRowUnion(c, {
        rows: Array.from({ length: slots }, (_, k) => String(k)),
        width: pre,
        ring: rows,
        active: ACT,
        mark: MARK,
      });
      let list = c.provideEvents('out');
      if (list === undefined) {
        // The op's own list of the output's non-zeros, rebuilt when the host writes the output.
        const idx = new Int32Array(post * pre);
        const count = new Int32Array(1);
        c.watch(['out'], () => {
          const a = c.hosts('out')[0] as Float32Array;
          let m = 0;
          for (let k = 0; k < a.length; k++) if (a[k] !== 0) idx[m++] = k;
          count[0] = m;
        });
        list = { idx: c.constant('delayOut', idx), count: `${c.constant('delayOutCount', count)}[0]` };
      }
      c.code(
        `      const L = ${list.idx}; { const on = ${list.count}; for (let k = 0; k < on; k++) ${out}[L[k]] = 0; }`,
        '      let m = 0;',
        `      for (let i = 0, row = 0; i < ${post}; i++, row += ${pre})`,
        '        for (let k = 0; k < na; k++) {',
        `          const j = ${ACT}[k], d = ${delays}[row + j] >>> 0, v = ${ring}[${rowOf('d')} * ${pre} + j];`,
        `          if (v !== 0) { ${out}[row + j] = v; L[m++] = row + j; }`,
        '        }',
        `      ${list.count} = m;`,
        '    }',
      );
    },
  });
}

/** `delay.per_neuron` on cpu. */
export const delayPerNeuronCpuOp: CpuOp<'delay.per_neuron'> = delayCpu('delay.per_neuron');
/** `delay.per_synapse` on cpu. */
export const delayPerSynapseCpuOp: CpuOp<'delay.per_synapse'> = delayCpu('delay.per_synapse');
