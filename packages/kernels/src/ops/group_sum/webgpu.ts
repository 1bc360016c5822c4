/**
 * Grouped sums in WGSL: one invocation per group, CSR members summed in order in f32 (bit-identical
 * to `cpu.ts`). Bindings: 0 `ctrl`, 1 `args` {groups, abs, accumulate}, 2 `input`, 3 `offsets`,
 * 4 `members`, 5 `out`.
 *
 * @module
 */

import { EVENT_BLOCK, eventBlocks } from '../../backends/webgpu/events.ts';
import { storeWgsl, type WgslStorage, wgslKernel } from '../../backends/webgpu/kernel.ts';
import {
  type Cmd,
  EXPECTED_ACTIVITY,
  type WebGpuOp,
  webgpuOp,
  workgroups,
} from '../../backends/webgpu/op.ts';

/**
 * The group-sum kernel over CSR `offsets`/`members` of type `index`, or (`ranges`) over the input's
 * event list for groups that are contiguous ranges.
 */
function groupSumWgsl(index: 'i32' | 'u32' | 'ranges'): string {
  const storage: readonly WgslStorage[] =
    index === 'ranges'
      ? [
          ['events', 'u32'],
          ['ranges', 'u32'],
        ]
      : [
          ['offsets', index],
          ['members', index],
        ];
  // The listed elements of the range in ascending order, or the members in CSR order.
  const loop =
    index === 'ranges'
      ? /* wgsl */ `
  let first = ranges[2u * g];
  let end = ranges[2u * g + 1u];
  let nb = (args.n + ${EVENT_BLOCK - 1}u) / ${EVENT_BLOCK}u;
  if (end > first) {
    for (var b = first / ${EVENT_BLOCK}u; b <= (end - 1u) / ${EVENT_BLOCK}u; b = b + 1u) {
      let count = events[b];
      for (var k = 0u; k < count; k = k + 1u) {
        let j = events[nb + b * ${EVENT_BLOCK}u + k];
        if (j >= first && j < end) {
          acc = acc + term(input[j]);
        }
      }
    }
  }`
      : /* wgsl */ `
  let end = u32(offsets[g + 1u]);
  for (var m = u32(offsets[g]); m < end; m = m + 1u) {
    acc = acc + term(input[u32(members[m])]);
  }`;
  return wgslKernel({
    args: 'groups: u32, abs: u32, accumulate: u32, n: u32',
    storage: [['input', 'f32'], ...storage, ['out', 'f32', 'read_write']],
    decls: /* wgsl */ `
fn term(x: f32) -> f32 {
  if (args.abs != 0u) { return abs(x); }
  return x;
}`,
    workgroup: 64,
    index: 'g',
    body: /* wgsl */ `
  if (g >= args.groups) { return; }
  var acc = 0.0f;${loop}
${storeWgsl('args.accumulate != 0u', 'out[g]', 'acc')}`,
  });
}

/** Group-sum kernel with i32 offsets/members. */
export const GROUP_SUM_WGSL_I32: string = groupSumWgsl('i32');
/** Group-sum kernel with u32 offsets/members. */
export const GROUP_SUM_WGSL_U32: string = groupSumWgsl('u32');

/**
 * Grouped sums over the input's event list, for groups that are contiguous ascending ranges of the
 * input (`ranges`: [first, end) per group): the listed elements of the range in ascending order —
 * the dense loop's non-zero terms in its order, so the f32 sum is bit-identical (adding a zero leaves
 * a sum unchanged). Bindings: 0 `ctrl`, 1 `args` {groups, abs, accumulate, n}, 2 `input`,
 * 3 `events`, 4 `ranges`, 5 `out`.
 */
export const GROUP_SUM_EVENTS_WGSL: string = groupSumWgsl('ranges');

/**
 * `[first, end)` of every group when each group's members are a contiguous ascending range of the
 * input, else undefined.
 */
export function groupRanges(
  groups: number,
  offsets: ArrayLike<number> | number | undefined,
  members: ArrayLike<number> | number | undefined,
): Uint32Array<ArrayBuffer> | undefined {
  const off = (g: number): number => (typeof offsets === 'object' ? (offsets[g] as number) : (offsets ?? 0));
  const mem = (m: number): number => (typeof members === 'object' ? (members[m] as number) : (members ?? 0));
  const out = new Uint32Array(2 * groups);
  for (let g = 0; g < groups; g++) {
    const a = off(g);
    const e = off(g + 1);
    if (e <= a) continue;
    const first = mem(a);
    for (let m = a; m < e; m++) if (mem(m) !== first + (m - a)) return undefined;
    out[2 * g] = first;
    out[2 * g + 1] = first + (e - a);
  }
  return out;
}

/**
 * `reduce.group_sum` on webgpu: a gather per group over its members; over the input's event list
 * when the groups are contiguous ranges (decided from the contents at load and kept in step with host
 * writes of `offsets`/`members`: a write that breaks the ranges switches to the gather).
 */
export const groupSumWebgpuOp: WebGpuOp<'reduce.group_sum', Uint32Array<ArrayBuffer> | undefined> = webgpuOp(
  'reduce.group_sum',
  {
    prepare: (r, c) => groupRanges(r.attrs.groups, c.initial('offsets'), c.initial('members')),
    reads: (_r, _listed, ranges) => (ranges ? ['input'] : []),
    async create(r, c, ranges) {
      const { groups, abs, accumulate } = r.attrs;
      const A = c.uniform(
        new Uint32Array([groups, abs ? 1 : 0, accumulate ? 1 : 0, r.attrs.n]).buffer,
        `${r.op.name}.args`,
      );
      const [x, y] = workgroups(groups, 64);
      const out = accumulate ? 4 * groups : 0;
      const dense = await c.pipeline(
        c.dtypeOf('offsets') === 'int32' ? GROUP_SUM_WGSL_I32 : GROUP_SUM_WGSL_U32,
      );
      // Offsets, and per member its index and input element; the output (read too when accumulating).
      const gather: Cmd = {
        pipeline: dense.pipeline,
        bindGroups: c.bindGroup(dense.layout, [
          c.ctrl,
          A,
          c.g('input'),
          c.g('offsets'),
          c.g('members'),
          c.g('out'),
        ]),
        x,
        y,
        bytes: { read: 4 * (groups + 1) + 8 * r.members + out, write: 4 * groups },
      };
      const events = c.events('input');
      if (ranges === undefined || events === undefined) return { cmds: [gather] };
      const pipe = await c.pipeline(GROUP_SUM_EVENTS_WGSL);
      const rangeBuf = c.storage(ranges, `${r.op.name}.ranges`);
      // The ranges, every block count and the expected events of the input.
      const listed: Cmd = {
        pipeline: pipe.pipeline,
        bindGroups: c.bindGroup(pipe.layout, [c.ctrl, A, c.g('input'), events, rangeBuf, c.g('out')]),
        x,
        y,
        bytes: {
          read: 8 * groups + 4 * eventBlocks(r.attrs.n) + 8 * Math.ceil(EXPECTED_ACTIVITY * r.attrs.n) + out,
          write: 4 * groups,
        },
      };
      const result = { cmds: [listed] as readonly Cmd[] };
      // Host writes of the CSR: keep the ranges in step, or fall back to the gather for good.
      const now: {
        offsets: ArrayLike<number> | number | undefined;
        members: ArrayLike<number> | number | undefined;
      } = {
        offsets: c.initial('offsets') as ArrayLike<number> | number | undefined,
        members: c.initial('members') as ArrayLike<number> | number | undefined,
      };
      const offsetsName = r.op.bindings.offsets;
      c.watch(['offsets', 'members'], (name, data) => {
        if (name === offsetsName) now.offsets = data;
        else now.members = data;
        const next = result.cmds[0] === listed ? groupRanges(groups, now.offsets, now.members) : undefined;
        if (next) c.device.queue.writeBuffer(rangeBuf, 0, next);
        else result.cmds = [gather];
      });
      return result;
    },
  },
);
