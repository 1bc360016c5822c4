/**
 * Grouped sums in WGSL: one invocation per group, CSR members summed in order in f32 (bit-identical
 * to `cpu.ts`). Bindings: 0 `ctrl`, 1 `args` {groups, abs, accumulate}, 2 `input`, 3 `offsets`,
 * 4 `members`, 5 `out`.
 *
 * @module
 */

import { bindEntries, type WebGpuOp, webgpuOp, workgroups } from '../../backends/webgpu/op.ts';

function groupSumWgsl(index: 'i32' | 'u32'): string {
  return /* wgsl */ `
struct Ctrl { step: u32, slot: u32, _pad0: u32, _pad1: u32 }
struct Args { groups: u32, abs: u32, accumulate: u32, _pad: u32 }
@group(0) @binding(0) var<uniform> ctrl: Ctrl;
@group(0) @binding(1) var<uniform> args: Args;
@group(0) @binding(2) var<storage, read> input: array<f32>;
@group(0) @binding(3) var<storage, read> offsets: array<${index}>;
@group(0) @binding(4) var<storage, read> members: array<${index}>;
@group(0) @binding(5) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * 64u;
  if (g >= args.groups) { return; }
  var acc = 0.0f;
  let end = u32(offsets[g + 1u]);
  for (var m = u32(offsets[g]); m < end; m = m + 1u) {
    let x = input[u32(members[m])];
    if (args.abs != 0u) {
      acc = acc + abs(x);
    } else {
      acc = acc + x;
    }
  }
  if (args.accumulate != 0u) {
    out[g] = out[g] + acc;
  } else {
    out[g] = acc;
  }
}
`;
}

/** Group-sum kernel with i32 offsets/members. */
export const GROUP_SUM_WGSL_I32: string = groupSumWgsl('i32');
/** Group-sum kernel with u32 offsets/members. */
export const GROUP_SUM_WGSL_U32: string = groupSumWgsl('u32');

/** `reduce.group_sum` on webgpu. */
export const groupSumWebgpuOp: WebGpuOp<'reduce.group_sum'> = webgpuOp('reduce.group_sum', {
  async create(r, c) {
    const { groups, abs, accumulate } = r.attrs;
    const { pipeline, layout } = await c.pipeline(
      c.dtypeOf('offsets') === 'int32' ? GROUP_SUM_WGSL_I32 : GROUP_SUM_WGSL_U32,
      ['uniform', 'uniform', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'storage'],
    );
    const A = c.uniform(
      new Uint32Array([groups, abs ? 1 : 0, accumulate ? 1 : 0, 0]).buffer,
      `${r.op.name}.args`,
    );
    const bindGroup = c.device.createBindGroup({
      layout,
      entries: bindEntries([c.ctrl, A, c.g('input'), c.g('offsets'), c.g('members'), c.g('out')]),
    });
    const [x, y] = workgroups(groups, 64);
    return { cmds: [{ pipeline, bindGroup, x, y }] };
  },
});
