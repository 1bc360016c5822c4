/**
 * Dense spike propagation on the cpu. Weights are row-major `[post][pre]`; sums are float32, in
 * ascending `j`, zero spikes skipped — the WGSL kernel's order and rounding, so the results are the
 * same to the bit.
 *
 * `sync`: `out_i (+)= Σ_j W_ij s_j` over the active presynaptic units only — the spike vector's event
 * list when it has one (a step then costs post × events), else one scan of `s` collects them.
 * `async`: `out_i (+)= Σ_j W_ij s_ij` (per-synapse spikes, zero entries skipped).
 *
 * @module
 */

import { type CpuOp, cpuOp } from '../../backends/cpu/op.ts';

/** `dense.sync` on cpu. */
export const denseSyncCpuOp: CpuOp<'dense.sync'> = cpuOp('dense.sync', {
  emit(r, c) {
    const { post, pre, accumulate } = r.attrs;
    const w = c.array('weights');
    const s = c.array('spikes');
    const out = c.array('out');
    const e = c.events('spikes');
    c.code('    {');
    if (e !== undefined) c.code(`      const act = ${e.idx}, na = ${e.count};`);
    else {
      const act = c.constant('denseActive', new Int32Array(pre));
      c.code(
        `      const act = ${act}; let na = 0;`,
        `      for (let j = 0; j < ${pre}; j++) if (${s}[j] !== 0) act[na++] = j;`,
      );
    }
    c.code(
      `      for (let i = 0, row = 0; i < ${post}; i++, row += ${pre}) {`,
      '        let acc = 0;',
      `        for (let k = 0; k < na; k++) { const j = act[k]; acc = Math.fround(acc + Math.fround(${w}[row + j] * ${s}[j])); }`,
      accumulate ? `        ${out}[i] = Math.fround(${out}[i] + acc);` : `        ${out}[i] = acc;`,
      '      }',
      '    }',
    );
  },
});

/** `dense.async` on cpu. */
export const denseAsyncCpuOp: CpuOp<'dense.async'> = cpuOp('dense.async', {
  emit(r, c) {
    const { post, pre, accumulate } = r.attrs;
    const w = c.array('weights');
    const s = c.array('spikes');
    const out = c.array('out');
    c.code(
      `    for (let i = 0, row = 0; i < ${post}; i++, row += ${pre}) {`,
      '      let acc = 0;',
      `      for (let j = 0; j < ${pre}; j++) { const x = ${s}[row + j]; if (x !== 0) acc = Math.fround(acc + Math.fround(${w}[row + j] * x)); }`,
      accumulate ? `      ${out}[i] = Math.fround(${out}[i] + acc);` : `      ${out}[i] = acc;`,
      '    }',
    );
  },
});
