/**
 * The event ops on webgpu: `module.events` runs the kernels `events/webgpu.ts` generates from its
 * event form (shared states, row sums, event sites: up to three dispatches); `delay.ring` pushes the
 * input into row `t mod slots` of the ring and, where the program keeps an event list of the ring
 * (some `module.events` reads it), rewrites the blocks of that list the row covers — so the list of
 * the ring's cells is current at every step without a rescan, and the event kernels find the delayed
 * spikes of every delay in it.
 *
 * @module
 */

import { BackendError } from '@spark-snn/core';
import { EVENT_BLOCK, eventBlocks } from '../../backends/webgpu/events.ts';
import { wgslKernel } from '../../backends/webgpu/kernel.ts';
import { type Cmd, type WebGpuOp, webgpuOp, workgroups } from '../../backends/webgpu/op.ts';
import { eventListWgsl } from '../../codegen/wgsl.ts';
import { moduleEventsListSlots, moduleEventsStaticSlots, moduleEventsWgsl } from '../../events/webgpu.ts';

/**
 * `delay.ring` without a list: row `step mod slots` of the ring receives the input. Bindings:
 * 0 `ctrl`, 1 `args` {pre, slots}, 2 `input`, 3 `ring`.
 */
export const DELAY_RING_WGSL: string = wgslKernel({
  args: 'pre: u32, slots: u32, _p0: u32, _p1: u32',
  storage: [
    ['input', 'f32'],
    ['ring', 'f32', 'read_write'],
  ],
  workgroup: EVENT_BLOCK,
  index: 'j',
  body: /* wgsl */ `
  if (j >= args.pre) { return; }
  ring[(ctrl.step % args.slots) * args.pre + j] = input[j];`,
});

/**
 * `delay.ring` with the ring's event list (the blocked list of `backends/webgpu/op.ts` over all
 * `slots × pre` cells): one workgroup per block the row `step mod slots` overlaps (the first
 * `⌈pre/64⌉ + 1` from the row's first block; those past the row return). Each writes the row's cells
 * of its block and rebuilds the block's list from its cells (a block a row boundary cuts keeps the
 * other row's cells, unchanged). Bindings: 0 `ctrl`, 1 `args` {pre, slots}, 2 `input`, 3 `ring`,
 * 4 `list`.
 */
export const DELAY_RING_LIST_WGSL: string = wgslKernel({
  args: 'pre: u32, slots: u32, _p0: u32, _p1: u32',
  storage: [
    ['input', 'f32'],
    ['ring', 'f32', 'read_write'],
    ['list', 'u32', 'read_write'],
  ],
  decls: 'var<workgroup> mask: array<atomic<u32>, 2>;',
  workgroup: EVENT_BLOCK,
  body: /* wgsl */ `
  let n = args.pre * args.slots;
  let lo = (ctrl.step % args.slots) * args.pre;
  let b = lo / ${EVENT_BLOCK}u + wid.x + wid.y * nwg.x;
  if (b * ${EVENT_BLOCK}u >= lo + args.pre) { return; }
  let i = b * ${EVENT_BLOCK}u + lid;
  var v = 0.0f;
  if (i >= lo && i < lo + args.pre) {
    v = input[i - lo];
    ring[i] = v;
  } else if (i < n) {
    v = ring[i];
  }
  let ev = v != 0.0f;
${eventListWgsl('ev', 'mask', 'list', 'n', 'b').join('\n')}`,
});

/** `module.events` on webgpu. */
export const moduleEventsWebgpuOp: WebGpuOp<'module.events'> = webgpuOp('module.events', {
  reads: (r) => moduleEventsListSlots(r),
  async create(r, c) {
    const name = r.op.name;
    // The static tables as the host last wrote them (else the plan's contents).
    const written = new Map<string, ArrayLike<number>>();
    const generate = (listed: ReadonlySet<string>) =>
      moduleEventsWgsl(r, {
        key: c.key,
        native16: c.native16,
        listed,
        dtypeOf: c.dtypeOf,
        initial: (slot) => written.get(slot) ?? c.initial(slot),
      });
    // The event lists cost a binding each: without them where a kernel would exceed the device's
    // storage buffers per stage (the kernels then test every unit of a block instead).
    const limit = c.limits.maxStorageBuffersPerShaderStage;
    const most = (g: ReturnType<typeof generate>) => Math.max(...g.kernels.map((k) => k.storage.length));
    let listed = new Set(moduleEventsListSlots(r).filter((slot) => c.events(slot) !== undefined));
    let g = generate(listed);
    if (most(g) > limit) {
      listed = new Set();
      g = generate(listed);
    }
    if (most(g) > limit)
      throw new BackendError(
        'limit-exceeded',
        c.path,
        `module.events "${name}" needs ${most(g)} storage buffers; this device allows ${limit} per shader stage`,
      );
    const args = c.uniform(g.args.buffer, `${name}.args`);
    const pk = c.storage(g.pk, `${name}.pk`);
    c.watch(moduleEventsStaticSlots(r), (buffer, data) => {
      for (const [slot, bound] of Object.entries(r.op.bindings))
        if (bound === buffer) written.set(slot, data);
      const again = generate(listed).pk;
      c.device.queue.writeBuffer(pk, 0, again.buffer, again.byteOffset, again.byteLength);
    });
    const cmds: Cmd[] = [];
    for (const k of g.kernels) {
      const { pipeline, layout } = await c.pipeline(k.code);
      const buffers = k.storage.map((slot) => {
        if (slot === 'pk') return pk;
        if (slot.endsWith('#events')) return c.events(slot.slice(0, -7)) as GPUBuffer;
        return c.g(slot);
      });
      const [x, y] = workgroups(k.workgroups * EVENT_BLOCK, EVENT_BLOCK);
      cmds.push({
        pipeline,
        bindGroups: c.bindGroup(layout, [c.ctrl, args, ...buffers]),
        x,
        y,
        bytes: k.bytes,
      });
    }
    return { cmds };
  },
});

/** `delay.ring` on webgpu. */
export const delayRingWebgpuOp: WebGpuOp<'delay.ring'> = webgpuOp('delay.ring', {
  provides: () => ['ring'],
  async create(r, c) {
    const { pre, slots } = r.attrs;
    const list = c.provideEvents('ring');
    const { pipeline, layout } = await c.pipeline(list ? DELAY_RING_LIST_WGSL : DELAY_RING_WGSL);
    const args = c.uniform(new Uint32Array([pre, slots, 0, 0]).buffer, `${r.op.name}.args`);
    const bindGroups = c.bindGroup(layout, [
      c.ctrl,
      args,
      c.g('input'),
      c.g('ring'),
      ...(list ? [list] : []),
    ]);
    const blocks = list ? eventBlocks(pre) + 1 : eventBlocks(pre);
    const [x, y] = workgroups(blocks * EVENT_BLOCK, EVENT_BLOCK);
    // The input row and the ring row (with the list: the cells of its blocks and their lists).
    const cells = list ? blocks * EVENT_BLOCK : pre;
    const bytes = { read: 4 * cells, write: 4 * pre + (list ? 4 * (blocks + pre) : 0) };
    return { cmds: [{ pipeline, bindGroups, x, y, bytes }] };
  },
});
