/**
 * `copy` and `concat` on cpu. With event lists on both sides a move costs what the events cost: the
 * old events of the destination are cleared and the new ones set (the destination's non-zeros are
 * exactly its list). A `copy` into a one-step-latency buffer usually disappears altogether: the step
 * compiler swaps double buffers instead (`OpSpec.copies`, `ops/schedule.ts`).
 *
 * @module
 */

import { type CpuOp, cpuOp } from '../../backends/cpu/op.ts';

/** `copy` on cpu. */
export const copyCpuOp: CpuOp<'copy'> = cpuOp('copy', {
  emit(_r, c) {
    const src = c.array('src');
    const dst = c.array('dst');
    const es = c.events('src');
    const ed = es === undefined ? undefined : c.provideEvents('dst');
    if (es !== undefined && ed !== undefined) {
      c.code(
        `    { const od = ${ed.idx}, on = ${ed.count}; for (let k = 0; k < on; k++) ${dst}[od[k]] = 0;`,
        `      const ns = ${es.idx}, nn = ${es.count};`,
        `      for (let k = 0; k < nn; k++) { const j = ns[k]; ${dst}[j] = ${src}[j]; od[k] = j; }`,
        `      ${ed.count} = nn; }`,
      );
    } else c.code(`    ${dst}.set(${src});`);
  },
});

/** `concat` on cpu. */
export const concatCpuOp: CpuOp<'concat'> = cpuOp('concat', {
  emit(r, c) {
    const out = c.array('out');
    const ins = r.attrs.sizes.map((_, k) => ({ a: c.array(`in${k}`), e: c.events(`in${k}`) }));
    const eo = ins.every((x) => x.e !== undefined) ? c.provideEvents('out') : undefined;
    if (eo !== undefined) {
      // Inputs in order, each list ascending: the output's list is ascending too.
      c.code(`    { const od = ${eo.idx}, on = ${eo.count}; for (let k = 0; k < on; k++) ${out}[od[k]] = 0;`);
      c.code('      let m = 0;');
      ins.forEach((x, k) => {
        const e = x.e as NonNullable<typeof x.e>;
        const off = r.offsets[k] as number;
        c.code(
          `      { const ns = ${e.idx}, nn = ${e.count}; for (let q = 0; q < nn; q++) { const j = ns[q]; ${out}[${off} + j] = ${x.a}[j]; od[m++] = ${off} + j; } }`,
        );
      });
      c.code(`      ${eo.count} = m; }`);
      return;
    }
    ins.forEach((x, k) => {
      c.code(`    ${out}.set(${x.a}, ${r.offsets[k]});`);
    });
  },
});
