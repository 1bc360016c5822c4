/**
 * `compact`: the indices of the non-zero elements of `input` [n], ascending, into `indices` [n], and
 * their number into `count` [1] (same integer dtype as `indices`); attribute `n`. Entries of
 * `indices` at or beyond the count are left untouched (same on every backend).
 *
 * @module
 */

import { defineOp, type ResolvedOpBase } from '../registry.ts';

/** Attributes of `compact`. */
export interface CompactAttrs {
  readonly n: number;
}

/** A resolved `compact` op. */
export interface ResolvedCompactOp extends ResolvedOpBase<'compact'> {
  readonly attrs: CompactAttrs;
}

/** `compact`. */
export const compact = defineOp<'compact', ResolvedCompactOp>({
  kind: 'compact',
  summary: 'indices of non-zero inputs, ascending; their count',
  resolve(op, c) {
    const n = c.posInt('n');
    c.bind('input', n, ['float32']);
    const idx = c.bind('indices', n, ['int32', 'uint32']);
    c.bind('count', 1, [idx.spec.dtype]);
    return { kind: 'compact', op, attrs: { n } };
  },
  access: () => ({ indices: 'w', count: 'W' }),
  reference(r, c) {
    const input = c.buf('input');
    const indices = c.buf('indices');
    const count = c.buf('count');
    return () => {
      let k = 0;
      for (let i = 0; i < r.attrs.n; i++) if (input[i] !== 0) indices[k++] = i;
      count[0] = k;
    };
  },
});
