/**
 * Event lists on the device (the layout is described in `op.ts`): the rescan kernel that rebuilds
 * the list of a buffer from its contents (at load, after a host write, a reset or a streamed input
 * row), and the sizes every list user shares. Producers (`generateWgslGroup`) and this kernel write
 * the same blocks, so a list never depends on who wrote it.
 *
 * @module
 */

import { ELEMENTWISE_WORKGROUP, eventListWgsl } from '../../codegen/wgsl.ts';
import { wgslKernel } from './kernel.ts';

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
export const EVENTS_RESCAN_WGSL: string = wgslKernel({
  args: 'n: u32, _p0: u32, _p1: u32, _p2: u32',
  storage: [
    ['src', 'f32'],
    ['list', 'u32', 'read_write'],
  ],
  decls: 'var<workgroup> mask: array<atomic<u32>, 2>;',
  workgroup: EVENT_BLOCK,
  index: 'i',
  body: /* wgsl */ `
  var ev = false;
  if (i < args.n) { ev = src[i] != 0.0f; }
${eventListWgsl('ev', 'mask', 'list', 'args.n').join('\n')}`,
});
