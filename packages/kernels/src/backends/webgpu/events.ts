/**
 * Event lists on the device (the layout is described in `op.ts`): the rescan kernel that rebuilds
 * the list of a buffer from its contents (at load, after a host write, a reset or a streamed input
 * row), and the sizes every list user shares. Producers (`generateWgslGroup`) and this kernel write
 * the same blocks, so a list never depends on who wrote it.
 *
 * @module
 */

import { ELEMENTWISE_WORKGROUP, eventListWgsl } from '../../codegen/wgsl.ts';

/** Elements per block of an event list (one workgroup of an element-wise kernel). */
export const EVENT_BLOCK: number = ELEMENTWISE_WORKGROUP;

/** Blocks of the list of a buffer of `n` elements. */
export function eventBlocks(n: number): number {
  return Math.ceil(n / EVENT_BLOCK);
}

/** Words (u32) of the list of a buffer of `n` elements: block counts, then the indices. */
export function eventListWords(n: number): number {
  return eventBlocks(n) + n;
}

/**
 * The rescan kernel: the list of `src` (f32, `args.n` elements) into `list`. One workgroup per block.
 * Bindings: 0 `ctrl`, 1 `args` {n}, 2 `src`, 3 `list`.
 */
export const EVENTS_RESCAN_WGSL: string = /* wgsl */ `
struct Ctrl { step: u32, slot: u32, _pad0: u32, _pad1: u32 }
struct Args { n: u32, _p0: u32, _p1: u32, _p2: u32 }
@group(0) @binding(0) var<uniform> ctrl: Ctrl;
@group(0) @binding(1) var<uniform> args: Args;
@group(0) @binding(2) var<storage, read> src: array<f32>;
@group(0) @binding(3) var<storage, read_write> list: array<u32>;
var<workgroup> mask: array<atomic<u32>, 2>;
@compute @workgroup_size(${EVENT_BLOCK}, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x + gid.y * nwg.x * ${EVENT_BLOCK}u;
  var ev = false;
  if (i < args.n) { ev = src[i] != 0.0f; }
${eventListWgsl('ev', 'mask', 'list', 'args.n').join('\n')}
}
`;
