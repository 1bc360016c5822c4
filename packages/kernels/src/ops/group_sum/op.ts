/**
 * `reduce.group_sum`: grouped sums in CSR form. Bindings `input` [n], `offsets` [groups+1],
 * `members` [m] (same integer dtype as `offsets`), `out` [groups]; attributes `n`, `groups`, `abs?`,
 * `accumulate?`. Per step `out_g (+)= Σ_{m ∈ [off_g, off_g+1)} input[members_m]`, summed in order in
 * float32 (absolute values with `abs`).
 *
 * @module
 */

import { defineOp, type ResolvedOpBase } from '../registry.ts';

/** Attributes of `reduce.group_sum`. */
export interface GroupSumAttrs {
  /** Elements of `input`. */
  readonly n: number;
  /** Number of groups (`offsets` has groups + 1 entries). */
  readonly groups: number;
  /** Sum absolute values (e.g. signed spikes counted as events). */
  readonly abs?: boolean;
  /** Add to `out` instead of overwriting it. */
  readonly accumulate?: boolean;
}

/** A resolved `reduce.group_sum` op. */
export interface ResolvedGroupSumOp extends ResolvedOpBase<'reduce.group_sum'> {
  readonly attrs: Required<GroupSumAttrs>;
  /** Number of members (length of `members`). */
  readonly members: number;
}

/** `reduce.group_sum`. */
export const groupSum = defineOp<'reduce.group_sum', ResolvedGroupSumOp>({
  kind: 'reduce.group_sum',
  summary: '`out_g (+)= Σ_{m∈[off_g, off_g+1)} input[members_m]` (f32, in order)',
  resolve(op, c) {
    const n = c.posInt('n');
    const groups = c.posInt('groups');
    c.bind('input', n, ['float32']);
    const offsets = c.bind('offsets', groups + 1, ['int32', 'uint32']);
    const mem = c.lookup('members');
    c.bind('members', mem.size, [offsets.spec.dtype]);
    c.bind('out', groups, ['float32']);
    // Check the CSR structure when its contents are known at load.
    const o = offsets.spec.init;
    const m = mem.spec.init;
    if (o !== undefined && typeof o !== 'number') {
      for (let g = 0; g < groups; g++) {
        const a = o[g] as number;
        const b = o[g + 1] as number;
        if (!(a >= 0 && a <= b && b <= mem.size))
          throw c.error(
            'bindings.offsets',
            `offsets must be non-decreasing within [0, ${mem.size}]; group ${g} spans [${a}, ${b})`,
          );
      }
    }
    if (m !== undefined && typeof m !== 'number') {
      for (let k = 0; k < m.length; k++) {
        const x = m[k] as number;
        if (!(x >= 0 && x < n)) throw c.error('bindings.members', `member ${k} = ${x} is outside [0, ${n})`);
      }
    }
    return {
      kind: 'reduce.group_sum',
      op,
      attrs: { n, groups, abs: c.attrs.abs === true, accumulate: c.attrs.accumulate === true },
      members: mem.size,
    };
  },
  access: (r) => ({ out: r.attrs.accumulate ? 'rw' : 'W' }),
  reference(r, c) {
    const { groups, abs, accumulate } = r.attrs;
    const input = c.buf('input');
    const offsets = c.buf('offsets');
    const members = c.buf('members');
    const out = c.buf('out');
    return () => {
      for (let g = 0; g < groups; g++) {
        let sum = 0;
        for (let k = offsets[g] as number; k < (offsets[g + 1] as number); k++) {
          const x = input[members[k] as number] as number;
          sum += abs ? Math.abs(x) : x;
        }
        out[g] = accumulate ? (out[g] as number) + sum : sum;
      }
    };
  },
});
