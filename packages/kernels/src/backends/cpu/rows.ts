/**
 * Ring buffers of rows with event lists, for cpu emitters (`sparse.csr`'s spike history, the delay
 * rings): row `step mod rows` of a `[rows × width]` buffer receives this step's input, and each row
 * keeps the list of its non-zero columns — so writing a row costs the old and new events (clear the
 * old, set the new), and reading a delayed row costs its events. The lists are rebuilt from the
 * buffer whenever the host writes it.
 *
 * @module
 */

import type { CpuEmitContext, EventList } from './op.ts';

/** Identifiers of a ring's row lists: `lists[row · width + k]`, `counts[row]`. */
export interface RowLists {
  readonly lists: string;
  readonly counts: string;
}

/**
 * Emits the write of this step's input (with its event list `input`) into row `row` (an expression)
 * of the ring bound to `slot`, keeping the rows' lists; returns their identifiers.
 */
export function emitRingRow(
  c: CpuEmitContext,
  o: {
    readonly slot: string;
    readonly rows: number;
    readonly width: number;
    readonly row: string;
    readonly input: string;
    readonly events: EventList;
  },
): RowLists {
  const { rows, width } = o;
  const lists = new Int32Array(rows * width);
  const counts = new Int32Array(rows);
  c.watch([o.slot], () => {
    const a = c.hosts(o.slot)[0] as Float32Array;
    for (let r = 0; r < rows; r++) {
      let m = 0;
      for (let j = 0; j < width; j++) if (a[r * width + j] !== 0) lists[r * width + m++] = j;
      counts[r] = m;
    }
  });
  const RL = c.constant('rowLists', lists);
  const RC = c.constant('rowCounts', counts);
  const ring = c.array(o.slot);
  c.code(
    `      { const r = ${o.row}, b = r * ${width}, on = ${RC}[r]; for (let k = 0; k < on; k++) ${ring}[b + ${RL}[b + k]] = 0;`,
    `        const ns = ${o.events.idx}, nn = ${o.events.count};`,
    `        for (let k = 0; k < nn; k++) { const j = ns[k]; ${ring}[b + j] = ${o.input}[j]; ${RL}[b + k] = j; }`,
    `        ${RC}[r] = nn; }`,
  );
  return { lists: RL, counts: RC };
}

/**
 * Emits the collection of the columns listed in any row of a ring, ascending and without repeats,
 * into `active` (an identifier of an `Int32Array` of `width`), its count into the local `na`; `mark`
 * is `Uint8Array` scratch of `width`, all zero before and after.
 */
export function emitRowUnion(
  c: CpuEmitContext,
  o: {
    readonly rows: readonly string[];
    readonly width: number;
    readonly ring: RowLists;
    readonly active: string;
    readonly mark: string;
  },
): void {
  const { lists, counts } = o.ring;
  const { active: A, mark: M, width } = o;
  c.code('      let na = 0;');
  for (const row of o.rows)
    c.code(
      `      { const b = (${row}) * ${width}; for (let k = b, nn = b + ${counts}[${row}]; k < nn; k++) { const j = ${lists}[k]; if (${M}[j] === 0) { ${M}[j] = 1; ${A}[na++] = j; } } }`,
    );
  emitAscending(c, { active: A, mark: M, width });
}

/** At most this many collected columns are sorted by insertion; more are read back from the marks. */
const INSERTION_SORT_MAX = 64;

/**
 * Emits the sort of the `na` columns collected in `active` (their `mark`s set) into ascending order,
 * clearing the marks.
 */
export function emitAscending(
  c: CpuEmitContext,
  o: {
    readonly active: string;
    readonly mark: string;
    readonly width: number;
    readonly from?: number;
    readonly to?: number;
  },
): void {
  const { active: A, mark: M } = o;
  c.code(
    `      if (na <= ${INSERTION_SORT_MAX}) {`,
    `        for (let a = 1; a < na; a++) { const x = ${A}[a]; let b = a - 1; while (b >= 0 && ${A}[b] > x) { ${A}[b + 1] = ${A}[b]; b--; } ${A}[b + 1] = x; }`,
    `        for (let k = 0; k < na; k++) ${M}[${A}[k]] = 0;`,
    `      } else { na = 0; for (let j = ${o.from ?? 0}; j < ${o.to ?? o.width}; j++) if (${M}[j] !== 0) { ${M}[j] = 0; ${A}[na++] = j; } }`,
  );
}
