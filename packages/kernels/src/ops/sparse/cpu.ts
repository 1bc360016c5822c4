/**
 * Event-driven sparse propagation on the cpu (`sparse.csr`). The op's connectivity is the incoming
 * (post-major) CSR; at load it is transposed (pre-major, targets ascending, see `transposeSparse`), so
 * a step costs the out-edges of the units that spiked. Sources are visited in ascending order and the
 * edges of one source keep their incoming order, so every target receives its contributions in the
 * order of the GPU gathers: the float32 sums are bit-identical.
 *
 * The active units come from the spike vector's **event list** when it has one (the step then costs
 * the spikes, not the units), else from one scan of the spike vector. With delays the op keeps its
 * spike history (the plan's `history` buffer, one row per step) and, when the spikes carry a list, one
 * list per history row: a row is rewritten by clearing its old events and setting the new ones, and
 * a delayed step reads the row's list. The lists are rebuilt from `history` whenever the host writes it.
 *
 * Targets are stored as uint16 when the postsynaptic population has at most 65,536 units (2 bytes
 * per edge instead of 4; `indexWidth` 32 turns it off), per-connection delays as uint16.
 *
 * @module
 */

import { type CpuEmitContext, type CpuOp, cpuOp } from '../../backends/cpu/op.ts';
import { jsNumber } from '../../codegen/js.ts';
import { historySlots, indexWidthFor, transposeSparse } from './layout.ts';
import type { ResolvedSparseOp } from './op.ts';

/** At most this many active units are sorted by insertion; more are collected by a scan of the marks. */
const INSERTION_SORT_MAX = 64;

/** `sparse.csr` on cpu. */
export const sparseCsrCpuOp: CpuOp<'sparse.csr'> = cpuOp('sparse.csr', { emit: emitSparse });

function emitSparse(r: ResolvedSparseOp, c: CpuEmitContext): void {
  const h = r.host;
  const g = transposeSparse(h);
  const { pre, post, accumulate } = h;
  const slots = historySlots(h);
  const OFF = c.constant('spOffsets', Int32Array.from(g.offsets));
  const TG = c.constant(
    'spTargets',
    indexWidthFor(r.attrs.indexWidth, post) === 16 ? Uint16Array.from(g.targets) : Int32Array.from(g.targets),
  );
  const W = g.weights ? c.constant('spWeights', g.weights) : undefined;
  const spikes = c.array('spikes');
  const out = c.array('out');
  const hist = slots > 0 ? c.array('history') : undefined;
  const T = accumulate ? c.constant('spAcc', new Float32Array(post)) : out;
  const ev = c.events('spikes');
  /** Adds the out-edges of unit `j` with spike value `v` into T. */
  const push = (j: string, v: string): string[] =>
    W !== undefined
      ? [
          `        for (let e = ${OFF}[${j}], end = ${OFF}[${j} + 1]; e < end; e++) { const i = ${TG}[e]; ${T}[i] = ${T}[i] + Math.fround(${W}[e] * ${v}); }`,
        ]
      : [
          `        const wv = Math.fround(${jsNumber(h.weight)} * ${v});`,
          `        for (let e = ${OFF}[${j}], end = ${OFF}[${j} + 1]; e < end; e++) { const i = ${TG}[e]; ${T}[i] = ${T}[i] + wv; }`,
        ];
  c.code('    {', `      ${T}.fill(0);`);
  // Per-row event lists of the history (when the spikes carry a list): RL[row·pre + k], RC[row].
  let RL: string | undefined;
  let RC: string | undefined;
  if (slots > 0 && ev !== undefined) {
    const lists = new Int32Array(slots * pre);
    const counts = new Int32Array(slots);
    RL = c.constant('spRowLists', lists);
    RC = c.constant('spRowCounts', counts);
    c.watch(['history'], () => {
      const a = c.hosts('history')[0] as Float32Array;
      for (let row = 0; row < slots; row++) {
        let m = 0;
        for (let j = 0; j < pre; j++) if (a[row * pre + j] !== 0) lists[row * pre + m++] = j;
        counts[row] = m;
      }
    });
  }
  if (slots > 0) {
    c.code(`      const now = ${c.step} % ${slots};`);
    if (RL !== undefined && ev !== undefined)
      c.code(
        `      { const b = now * ${pre}, on = ${RC}[now]; for (let k = 0; k < on; k++) ${hist}[b + ${RL}[b + k]] = 0;`,
        `        const ns = ${ev.idx}, nn = ${ev.count};`,
        `        for (let k = 0; k < nn; k++) { const j = ns[k]; ${hist}[b + j] = ${spikes}[j]; ${RL}[b + k] = j; }`,
        `        ${RC}[now] = nn; }`,
      );
    else c.code(`      ${hist}.set(${spikes}, now * ${pre});`);
  }
  if (g.delays === undefined) {
    // One delay for every connection: the spikes of step t − delay.
    const src = slots > 0 ? (hist as string) : spikes;
    const base = slots > 0 ? `((now + ${slots - h.delay}) % ${slots}) * ${pre}` : '0';
    c.code(`      const b = ${base};`);
    if (slots > 0 && RL !== undefined)
      c.code(`      const ns = ${RL}, k0 = b, nn = b + ${RC}[b / ${pre}];`, '      for (let k = k0; k < nn; k++) {');
    else if (slots === 0 && ev !== undefined)
      c.code(`      const ns = ${ev.idx}, nn = ${ev.count};`, '      for (let k = 0; k < nn; k++) {');
    else c.code(`      for (let j0 = ${g.first}; j0 < ${g.last}; j0++) { if (${src}[b + j0] === 0) continue;`);
    c.code(
      `        const j = ${slots > 0 && RL !== undefined ? 'ns[k]' : slots === 0 && ev !== undefined ? 'ns[k]' : 'j0'};`,
      `        const v = ${src}[b + j];`,
      ...push('j', 'v'),
      '      }',
    );
  } else {
    // Per-connection delays: the units with a spike in any delay row in use, in ascending order.
    const seen = new Uint8Array(h.maxDelay + 1);
    for (let e = 0; e < g.delays.length; e++) seen[g.delays[e] as number] = 1;
    const used: number[] = [];
    for (let d = 0; d <= h.maxDelay; d++) if (seen[d]) used.push(d);
    const DL = c.constant('spDelays', g.delays);
    const MARK = c.constant('spMark', new Uint8Array(pre));
    const ACT = c.constant('spActive', new Int32Array(pre));
    const src = slots > 0 ? (hist as string) : spikes;
    const rowOf = (d: string): string => (slots > 0 ? `((now + ${slots} - ${d}) % ${slots}) * ${pre}` : '0');
    c.code('      let na = 0;');
    for (const d of used) {
      c.code(`      { const b = ${rowOf(String(d))};`);
      if (slots > 0 && RL !== undefined)
        c.code(
          `        for (let k = b, nn = b + ${RC}[b / ${pre}]; k < nn; k++) { const j = ${RL}[k]; if (${MARK}[j] === 0) { ${MARK}[j] = 1; ${ACT}[na++] = j; } }`,
        );
      else if (slots === 0 && ev !== undefined)
        c.code(
          `        for (let k = 0, ns = ${ev.idx}, nn = ${ev.count}; k < nn; k++) { const j = ns[k]; if (${MARK}[j] === 0) { ${MARK}[j] = 1; ${ACT}[na++] = j; } }`,
        );
      else
        c.code(
          `        for (let j = ${g.first}; j < ${g.last}; j++) if (${src}[b + j] !== 0 && ${MARK}[j] === 0) { ${MARK}[j] = 1; ${ACT}[na++] = j; }`,
        );
      c.code('      }');
    }
    // Ascending: insertion sort for a few units, else the marks in order.
    c.code(
      `      if (na <= ${INSERTION_SORT_MAX}) {`,
      `        for (let a = 1; a < na; a++) { const x = ${ACT}[a]; let b = a - 1; while (b >= 0 && ${ACT}[b] > x) { ${ACT}[b + 1] = ${ACT}[b]; b--; } ${ACT}[b + 1] = x; }`,
      `      } else { na = 0; for (let j = ${g.first}; j < ${g.last}; j++) if (${MARK}[j] !== 0) ${ACT}[na++] = j; }`,
      '      for (let k = 0; k < na; k++) {',
      `        const j = ${ACT}[k]; ${MARK}[j] = 0;`,
      `        for (let e = ${OFF}[j], end = ${OFF}[j + 1]; e < end; e++) {`,
      `          const x = ${src}[${slots > 0 ? `((now + ${slots} - ${DL}[e]) % ${slots}) * ${pre}` : '0'} + j];`,
      '          if (x === 0) continue;',
      `          const i = ${TG}[e]; ${T}[i] = ${T}[i] + Math.fround(${W !== undefined ? `${W}[e]` : jsNumber(h.weight)} * x);`,
      '        }',
      '      }',
    );
  }
  if (accumulate) c.code(`      for (let i = 0; i < ${post}; i++) ${out}[i] = ${out}[i] + ${T}[i];`);
  c.code('    }');
}
