/**
 * `copy` and `concat`: buffer moves. `copy` binds `src` and `dst` (same size and dtype) and writes
 * `dst = src`; `concat` binds `out` and `in0` … `in{k−1}` (attribute `sizes`, all of `out`'s dtype) and
 * writes `out = [in0, in1, …]` (the flatten + concatenate of multi-source inputs).
 *
 * @module
 */

import { defineOp, type ResolvedOpBase } from '../registry.ts';

/** Attributes of `concat`: the element counts of `in0`, `in1`, …. */
export interface ConcatAttrs {
  readonly sizes: readonly number[];
}

/** A resolved `copy` op. */
export type ResolvedCopyOp = ResolvedOpBase<'copy'>;

/** A resolved `concat` op. */
export interface ResolvedConcatOp extends ResolvedOpBase<'concat'> {
  readonly attrs: ConcatAttrs;
  /** Element offset of every input in `out`. */
  readonly offsets: readonly number[];
}

/** `copy`: `dst = src`. */
export const copy = defineOp<'copy', ResolvedCopyOp>({
  kind: 'copy',
  summary: '`dst = src` (same size and dtype)',
  resolve(op, c) {
    const src = c.lookup('src');
    c.bind('dst', src.size, [src.spec.dtype]);
    if (op.bindings.dst === op.bindings.src)
      throw c.error('bindings.dst', 'a copy needs two different buffers');
    return { kind: 'copy', op };
  },
  access: () => ({ dst: 'W' }),
  copies: () => ({ src: 'src', dst: 'dst' }),
  reference(_r, c) {
    const src = c.buf('src');
    const dst = c.buf('dst');
    return () => dst.set(src);
  },
});

/** `concat`: `out = [in0, in1, …]`. */
export const concat = defineOp<'concat', ResolvedConcatOp>({
  kind: 'concat',
  summary: '`out = [in0, in1, …]` (flatten + concatenate of multi-source inputs)',
  resolve(op, c) {
    const sizes = c.attrs.sizes;
    if (!Array.isArray(sizes) || sizes.length === 0)
      throw c.error('attrs.sizes', 'must be a non-empty array of positive integers');
    const offsets: number[] = [];
    let total = 0;
    sizes.forEach((x: unknown, k: number) => {
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 1)
        throw c.error(`attrs.sizes[${k}]`, `must be a positive integer, got ${String(x)}`);
      offsets.push(total);
      total += x;
    });
    const out = c.lookup('out');
    c.bind('out', total, [out.spec.dtype]);
    sizes.forEach((n: number, k: number) => {
      c.bind(`in${k}`, n, [out.spec.dtype]);
      if (op.bindings[`in${k}`] === op.bindings.out)
        throw c.error(`bindings.in${k}`, 'an input of concat cannot be its output');
    });
    return { kind: 'concat', op, attrs: { sizes: [...sizes] as number[] }, offsets };
  },
  access: () => ({ out: 'W' }),
  reference(r, c) {
    const ins = r.attrs.sizes.map((_, k) => c.buf(`in${k}`));
    const out = c.buf('out');
    return () => {
      for (let k = 0; k < ins.length; k++) out.set(ins[k] as Float64Array, r.offsets[k]);
    };
  },
});
