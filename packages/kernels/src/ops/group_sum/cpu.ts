/**
 * Grouped sums (integrators) on the cpu, in CSR form: group `g` sums `input[members[m]]` for
 * `m ∈ [offsets[g], offsets[g+1])`, in that order, accumulating in float32 (`Math.fround` after every
 * add) so the result is bit-identical to the WGSL kernel. Zero inputs are skipped (exact: `acc + ±0 =
 * acc` for every acc, with the sum starting at +0).
 *
 * With an event list on the input (spikes), a step costs the groups plus the events: when every input
 * element belongs to at most one group and each group's members are ascending, visiting the events
 * in ascending order adds each group's non-zero members in member order — the same float32 sums.
 * Whether the CSR allows it is checked again whenever the host writes `offsets` or `members`.
 *
 * @module
 */

import { type CpuOp, cpuOp } from '../../backends/cpu/op.ts';

/** `reduce.group_sum` on cpu. */
export const groupSumCpuOp: CpuOp<'reduce.group_sum'> = cpuOp('reduce.group_sum', {
  emit(r, c) {
    const { n, groups, abs, accumulate } = r.attrs;
    const input = c.array('input');
    const offsets = c.array('offsets');
    const members = c.array('members');
    const out = c.array('out');
    const value = (x: string): string => (abs ? `Math.abs(${x})` : x);
    const store = (g: string, acc: string): string =>
      accumulate ? `${out}[${g}] = Math.fround(${out}[${g}] + ${acc});` : `${out}[${g}] = ${acc};`;
    const dense = [
      `      for (let g = 0; g < ${groups}; g++) {`,
      `        let acc = 0; const end = ${offsets}[g + 1];`,
      `        for (let m = ${offsets}[g]; m < end; m++) { const x = ${input}[${members}[m]]; if (x !== 0) acc = Math.fround(acc + ${value('x')}); }`,
      `        ${store('g', 'acc')}`,
      '      }',
    ];
    const e = c.events('input');
    if (e === undefined) {
      c.code('    {', ...dense, '    }');
      return;
    }
    // groupOf[i]: the group of input element i (−1: none); ok[0]: the CSR allows the event form.
    const groupOf = new Int32Array(n);
    const ok = new Int32Array(1);
    c.watch(['offsets', 'members'], () => {
      const o = c.hosts('offsets')[0] as Int32Array;
      const m = c.hosts('members')[0] as Int32Array;
      groupOf.fill(-1);
      ok[0] = 1;
      for (let g = 0; g < groups && ok[0] === 1; g++) {
        let last = -1;
        for (let k = o[g] as number; k < (o[g + 1] as number); k++) {
          const i = m[k] as number;
          if (i <= last || groupOf[i] !== -1) {
            ok[0] = 0;
            break;
          }
          groupOf[i] = g;
          last = i;
        }
      }
    });
    const G = c.constant('groupOf', groupOf);
    const OK = c.constant('groupOk', ok);
    const acc = c.constant('groupAcc', new Float32Array(groups));
    c.code(
      `    if (${OK}[0] === 1) {`,
      `      ${acc}.fill(0);`,
      `      const ns = ${e.idx}, nn = ${e.count};`,
      `      for (let k = 0; k < nn; k++) { const i = ns[k], g = ${G}[i]; if (g >= 0) ${acc}[g] = ${acc}[g] + ${value(`${input}[i]`)}; }`,
      `      for (let g = 0; g < ${groups}; g++) { const a = ${acc}[g]; ${store('g', 'a')} }`,
      '    } else {',
      ...dense,
      '    }',
    );
  },
});
