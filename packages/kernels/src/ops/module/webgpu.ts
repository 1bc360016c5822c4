/**
 * `module` on webgpu: the definition's generated WGSL (`codegen/wgsl.ts`), its `Params` uniform
 * (sizes, Philox key, dt, scalar parameters and derived constants, offsets into the packed array) and
 * the packed per-element parameter/derived array (`pk`).
 *
 * Module ops that the step schedule fuses (one index space, see `ops/schedule.ts`) become **one**
 * dispatch ({@link createModuleGroup}): one kernel over the members' buffers (each loaded once, kept
 * in registers across members, stored once), one `Params` block, one `pk`. A group whose buffers
 * exceed the device's storage bindings per stage is split into consecutive parts that fit. The
 * kernel also writes the event lists the program asks for (`provideEvents`).
 *
 * @module
 */

import { BackendError } from '@spark-snn/core';
import {
  type Cmd,
  type EntryKind,
  EXPECTED_ACTIVITY,
  type WebGpuContext,
  type WebGpuOp,
  type WebGpuPrepareContext,
  webgpuOp,
  workgroups,
} from '../../backends/webgpu/op.ts';
import {
  ELEMENTWISE_WORKGROUP,
  generateWgslGroup,
  type WgslGroupKernel,
  type WgslMember,
  type WgslReach,
} from '../../codegen/wgsl.ts';
import { type ResolvedModuleOp, slotType, slotValue } from './op.ts';

/** The fused kernel of `rs` (plan buffer names as buffer keys), writing the lists of `events`. */
function groupKernel(
  rs: readonly ResolvedModuleOp[],
  native16: boolean,
  events: readonly string[],
): WgslGroupKernel {
  const members: WgslMember[] = rs.map((r) => ({ compiled: r.compiled, buffers: r.op.bindings }));
  return generateWgslGroup(members, { f16: native16, events });
}

/** Storage bindings a kernel needs, checked against the device. */
function checkBindings(k: WgslGroupKernel, c: WebGpuPrepareContext, what: string): void {
  if (k.bindings.length > c.limits.maxStorageBuffersPerShaderStage)
    throw new BackendError(
      'limit-exceeded',
      c.path,
      `${what} needs ${k.bindings.length} storage buffers; this device allows ${c.limits.maxStorageBuffersPerShaderStage} per shader stage`,
    );
}

/** `module` on webgpu. */
export const moduleWebgpuOp: WebGpuOp<'module'> = webgpuOp('module', {
  prepare(r, c) {
    // The plain kernel must fit on its own (a fused group falls back to parts of one module).
    checkBindings(groupKernel([r], c.native16, []), c, `module "${r.op.name}"`);
    return undefined;
  },
  async create(r, c) {
    return { cmds: await createModuleGroup([r], [c]) };
  },
  async createGroup(rs, ctxs) {
    return { cmds: await createModuleGroup(rs, ctxs) };
  },
  provides: (r) => (r.compiled.def.domain === 'unit' ? r.compiled.def.outputs.map((o) => o.name) : []),
});

/**
 * The dispatches of a fused group of module ops (`ctxs[k]` is member k's context): one per part,
 * each part as many consecutive members as fit the device's storage bindings.
 */
export async function createModuleGroup(
  rs: readonly ResolvedModuleOp[],
  ctxs: readonly WebGpuContext[],
): Promise<Cmd[]> {
  const c0 = ctxs[0] as WebGpuContext;
  // Event lists to write, by plan buffer name (a member's provided output).
  const lists = new Map<string, GPUBuffer>();
  rs.forEach((r, k) => {
    for (const o of r.compiled.def.outputs) {
      const ev = (ctxs[k] as WebGpuContext).provideEvents(o.name);
      if (ev !== undefined) lists.set(r.op.bindings[o.name] as string, ev);
    }
  });
  const cmds: Cmd[] = [];
  let from = 0;
  while (from < rs.length) {
    // The longest run of members from `from` whose kernel fits the binding limit.
    let to = from + 1;
    let kernel = partKernel(from, to);
    while (to < rs.length) {
      const next = partKernel(from, to + 1);
      if (next.bindings.length > c0.limits.maxStorageBuffersPerShaderStage) break;
      kernel = next;
      to++;
    }
    cmds.push(await partCommand(rs.slice(from, to), ctxs.slice(from, to), kernel, lists));
    from = to;
  }
  return cmds;

  function partKernel(a: number, b: number): WgslGroupKernel {
    const part = rs.slice(a, b);
    // A list is written by the part whose last member writes the buffer.
    const events = [...lists.keys()].filter((name) => lastWriter(name) >= a && lastWriter(name) < b);
    return groupKernel(part, c0.native16, events);
  }

  function lastWriter(name: string): number {
    let w = -1;
    rs.forEach((r, k) => {
      for (const o of r.compiled.def.outputs) if (r.op.bindings[o.name] === name) w = k;
      for (const s of r.compiled.def.state) if (r.op.bindings[s.name] === name) w = k;
    });
    return w;
  }
}

/** One dispatch of (part of) a group: pipeline, uniforms, bind group, byte estimate. */
async function partCommand(
  rs: readonly ResolvedModuleOp[],
  ctxs: readonly WebGpuContext[],
  k: WgslGroupKernel,
  lists: ReadonlyMap<string, GPUBuffer>,
): Promise<Cmd> {
  const c0 = ctxs[0] as WebGpuContext;
  const r0 = rs[0] as ResolvedModuleOp;
  const entries: EntryKind[] = [
    'uniform',
    'uniform',
    ...k.bindings.map((x): EntryKind => (x.access === 'read' ? 'read-only-storage' : 'storage')),
  ];
  const { pipeline, layout } = await c0.pipeline(k.code, entries);
  const label = rs.map((r) => r.op.name).join('+');
  const { params, pk, packedElements } = moduleUniforms(rs, c0.key, k);
  const buffers = [c0.ctrl, c0.uniform(params, `${label}.params`)];
  const gpuOf = (name: string): GPUBuffer => {
    for (const [j, r] of rs.entries())
      for (const [slot, bound] of Object.entries(r.op.bindings))
        if (bound === name) return (ctxs[j] as WebGpuContext).g(slot);
    throw new Error(`module group: no member binds "${name}"`);
  };
  for (const x of k.bindings) {
    if (x.slot === 'pk') buffers.push(c0.storage(new Uint8Array(pk), `${label}.pk`));
    else if (x.slot.startsWith('events:')) buffers.push(lists.get(x.slot.slice(7)) as GPUBuffer);
    else buffers.push(gpuOf(x.slot));
  }
  const { size: n, nPre } = r0.instance;
  const reach: Record<WgslReach, number> = {
    element: n,
    unit: r0.compiled.def.domain === 'synapse' ? n / nPre : n,
    pre: nPre,
    scalar: 1,
  };
  let read = 4 * packedElements;
  let write = 0;
  for (const x of k.bindings) {
    if (x.slot === 'pk') continue;
    if (x.slot.startsWith('events:')) {
      // One count per block, one index per event.
      write += 4 * Math.ceil(n / ELEMENTWISE_WORKGROUP) + 4 * Math.ceil(n * EXPECTED_ACTIVITY);
      continue;
    }
    const eb = x.elem === 'f16' ? 2 : 4;
    if (x.reads !== undefined) read += eb * reach[x.reads];
    if (x.writes) write += eb * n;
  }
  const [wx, wy] = workgroups(n, k.workgroupSize);
  return { pipeline, bindGroups: c0.bindGroup(layout, buffers), x: wx, y: wy, bytes: { read, write } };
}

/** Builds the `Params` uniform and the packed per-element array of a (fused) kernel. */
function moduleUniforms(
  rs: readonly ResolvedModuleOp[],
  key: readonly [number, number],
  k: WgslGroupKernel,
): { params: ArrayBuffer; pk: ArrayBuffer; packedElements: number } {
  const offsets = new Map<string, number>();
  let total = 0;
  for (const x of k.packed) {
    offsets.set(`${x.member}:${x.slot}`, total);
    total += (slotValue(rs[x.member] as ResolvedModuleOp, x.slot) as Float64Array).length;
  }
  const pk = new ArrayBuffer(Math.max(4, total * 4));
  const f = new Float32Array(pk);
  const iv = new Int32Array(pk);
  const u = new Uint32Array(pk);
  for (const x of k.packed) {
    const r = rs[x.member] as ResolvedModuleOp;
    const a = slotValue(r, x.slot) as Float64Array;
    const off = offsets.get(`${x.member}:${x.slot}`) as number;
    const t = slotType(r, x.slot);
    for (let j = 0; j < a.length; j++) {
      if (t === 'f32') f[off + j] = a[j] as number;
      else if (t === 'i32') iv[off + j] = a[j] as number;
      else u[off + j] = a[j] as number;
    }
  }
  const nFields = Math.ceil(k.params.length / 4) * 4;
  const params = new ArrayBuffer(nFields * 4);
  const dv = new DataView(params);
  k.params.forEach((field, j) => {
    const op = rs[field.member] as ResolvedModuleOp;
    const inst = op.instance;
    let v: number;
    switch (field.source) {
      case 'n':
        v = inst.size;
        break;
      case 'n_pre':
        v = inst.nPre;
        break;
      case 'k0':
        v = key[0];
        break;
      case 'k1':
        v = key[1];
        break;
      case 'stream_base':
        v = op.streamBase;
        break;
      case 'dt':
        v = inst.dt;
        break;
      default:
        if (field.source.startsWith('offset:'))
          v = offsets.get(`${field.member}:${field.source.slice(7)}`) as number;
        else v = slotValue(op, field.source) as number;
    }
    if (field.type === 'f32') dv.setFloat32(4 * j, v, true);
    else if (field.type === 'i32') dv.setInt32(4 * j, v, true);
    else dv.setUint32(4 * j, v >>> 0, true);
  });
  return { params, pk, packedElements: total };
}
