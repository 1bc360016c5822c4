/**
 * `module` on webgpu: the definition's generated WGSL (`codegen/wgsl.ts`), its `Params` uniform
 * (sizes, Philox key, dt, scalar parameters and derived constants, offsets into the packed array) and
 * the packed per-element parameter/derived array (`pk`).
 *
 * @module
 */

import { BackendError } from '@spark-snn/core';
import {
  bindEntries,
  type EntryKind,
  type WebGpuOp,
  webgpuOp,
  workgroups,
} from '../../backends/webgpu/op.ts';
import { generateWgsl } from '../../codegen/wgsl.ts';
import { type ResolvedModuleOp, slotType, slotValue } from './op.ts';

/** `module` on webgpu. */
export const moduleWebgpuOp: WebGpuOp<'module', ReturnType<typeof generateWgsl>> = webgpuOp('module', {
  prepare(r, c) {
    const k = generateWgsl(r.compiled, { f16: c.native16 });
    if (k.bindings.length > c.limits.maxStorageBuffersPerShaderStage)
      throw new BackendError(
        'limit-exceeded',
        c.path,
        `module "${r.op.name}" needs ${k.bindings.length} storage buffers; this device allows ${c.limits.maxStorageBuffersPerShaderStage} per shader stage`,
      );
    return k;
  },
  async create(r, c, k) {
    const entries: EntryKind[] = [
      'uniform',
      'uniform',
      ...k.bindings.map((x): EntryKind => (x.access === 'read' ? 'read-only-storage' : 'storage')),
    ];
    const { pipeline, layout } = await c.pipeline(k.code, entries);
    const { params, pk } = moduleUniforms(r, c.key, k);
    const buffers = [c.ctrl, c.uniform(params, `${r.op.name}.params`)];
    for (const x of k.bindings)
      buffers.push(
        x.slot === 'pk'
          ? c.storage(new Uint8Array(pk), `${r.op.name}.pk`)
          : c.g(x.slot.slice(x.slot.indexOf(':') + 1)),
      );
    const [x, y] = workgroups(r.instance.size, k.workgroupSize);
    return {
      cmds: [
        { pipeline, bindGroup: c.device.createBindGroup({ layout, entries: bindEntries(buffers) }), x, y },
      ],
    };
  },
});

/** Builds the `Params` uniform and the packed per-element array buffer of a module op. */
function moduleUniforms(
  op: ResolvedModuleOp,
  key: readonly [number, number],
  k: ReturnType<typeof generateWgsl>,
): { params: ArrayBuffer; pk: ArrayBuffer } {
  const inst = op.instance;
  const value = (slot: string): number | Float64Array => slotValue(op, slot);
  const typeOf = (slot: string): string => slotType(op, slot);
  const offsets = new Map<string, number>();
  let total = 0;
  for (const slot of k.packed) {
    offsets.set(slot, total);
    total += (value(slot) as Float64Array).length;
  }
  const pk = new ArrayBuffer(Math.max(4, total * 4));
  const f = new Float32Array(pk);
  const iv = new Int32Array(pk);
  const u = new Uint32Array(pk);
  for (const slot of k.packed) {
    const a = value(slot) as Float64Array;
    const off = offsets.get(slot) as number;
    const t = typeOf(slot);
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
        if (field.source.startsWith('offset:')) v = offsets.get(field.source.slice(7)) as number;
        else v = value(field.source) as number;
    }
    if (field.type === 'f32') dv.setFloat32(4 * j, v, true);
    else if (field.type === 'i32') dv.setInt32(4 * j, v, true);
    else dv.setUint32(4 * j, v >>> 0, true);
  });
  return { params, pk };
}
