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
import { emitAscending, emitRingRow, emitRowUnion, type RowLists } from '../../backends/cpu/rows.ts';
import { jsNumber } from '../../codegen/js.ts';
import { historySlots, indexWidthFor, transposeSparse } from './layout.ts';
import type { ResolvedSparseOp } from './op.ts';

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
  // The history's rows keep lists when the spikes carry one (cost ∝ events), else a row is copied.
  let rows: RowLists | undefined;
  if (slots > 0) {
    c.code(`      const now = ${c.step} % ${slots};`);
    if (ev !== undefined)
      rows = emitRingRow(c, {
        slot: 'history',
        rows: slots,
        width: pre,
        row: 'now',
        input: spikes,
        events: ev,
      });
    else c.code(`      ${hist}.set(${spikes}, now * ${pre});`);
  }
  const src = slots > 0 ? (hist as string) : spikes;
  const rowOf = (d: string): string => (slots > 0 ? `((now + ${slots} - ${d}) % ${slots})` : '0');
  if (g.delays === undefined) {
    // One delay for every connection: the spikes of step t − delay, from the row's list, the spike
    // list, or a scan.
    c.code(`      const r = ${rowOf(String(h.delay))}, b = r * ${pre};`);
    if (rows !== undefined)
      c.code(`      for (let k = b, nn = b + ${rows.counts}[r]; k < nn; k++) { const j = ${rows.lists}[k];`);
    else if (slots === 0 && ev !== undefined)
      c.code(`      for (let k = 0, ns = ${ev.idx}, nn = ${ev.count}; k < nn; k++) { const j = ns[k];`);
    else c.code(`      for (let j = ${g.first}; j < ${g.last}; j++) { if (${src}[b + j] === 0) continue;`);
    c.code(`        const v = ${src}[b + j];`, ...push('j', 'v'), '      }');
  } else {
    // Per-connection delays: the units with a spike in any delay row in use, in ascending order.
    const seen = new Uint8Array(h.maxDelay + 1);
    for (let e = 0; e < g.delays.length; e++) seen[g.delays[e] as number] = 1;
    const used: string[] = [];
    for (let d = 0; d <= h.maxDelay; d++) if (seen[d]) used.push(rowOf(String(d)));
    const DL = c.constant('spDelays', g.delays);
    const MARK = c.constant('spMark', new Uint8Array(pre));
    const ACT = c.constant('spActive', new Int32Array(pre));
    if (rows !== undefined) emitRowUnion(c, { rows: used, width: pre, ring: rows, active: ACT, mark: MARK });
    else {
      c.code('      let na = 0;');
      for (const row of used)
        c.code(
          slots === 0 && ev !== undefined
            ? `      for (let k = 0, ns = ${ev.idx}, nn = ${ev.count}; k < nn; k++) { const j = ns[k]; if (${MARK}[j] === 0) { ${MARK}[j] = 1; ${ACT}[na++] = j; } }`
            : `      { const b = ${row} * ${pre}; for (let j = ${g.first}; j < ${g.last}; j++) if (${src}[b + j] !== 0 && ${MARK}[j] === 0) { ${MARK}[j] = 1; ${ACT}[na++] = j; } }`,
        );
      emitAscending(c, { active: ACT, mark: MARK, width: pre, from: g.first, to: g.last });
    }
    c.code(
      '      for (let k = 0; k < na; k++) {',
      `        const j = ${ACT}[k];`,
      `        for (let e = ${OFF}[j], end = ${OFF}[j + 1]; e < end; e++) {`,
      `          const x = ${src}[${rowOf(`${DL}[e]`)} * ${pre} + j];`,
      '          if (x === 0) continue;',
      `          const i = ${TG}[e]; ${T}[i] = ${T}[i] + Math.fround(${W !== undefined ? `${W}[e]` : jsNumber(h.weight)} * x);`,
      '        }',
      '      }',
    );
  }
  if (accumulate) c.code(`      for (let i = 0; i < ${post}; i++) ${out}[i] = ${out}[i] + ${T}[i];`);
  c.code('    }');
}
