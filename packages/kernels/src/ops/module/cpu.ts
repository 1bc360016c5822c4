/**
 * `module` on cpu: the definition's generated JavaScript loop (`codegen/js.ts`) over the op's host
 * arrays. Per-element parameters that hold one value everywhere are read once per step.
 *
 * @module
 */

import { type CpuOp, cpuOp } from '../../backends/cpu/op.ts';
import { createJsKernel, type JsKernelArgs } from '../../codegen/js.ts';
import { createWasmGroup } from '../../codegen/wasm.ts';
import { type ResolvedModuleOp, slotType, slotValue } from './op.ts';

/** True when every element equals the first (0 and −0 differ; NaN never counts as equal). */
function isUniform(a: ArrayLike<number>): boolean {
  if (a.length < 2) return false;
  const x = a[0]!;
  if (Number.isNaN(x)) return false;
  // Object.is: −0 and +0 differ (a kernel reading element 0 for all would turn one into the other).
  for (let i = 1; i < a.length; i++) if (!Object.is(a[i], x)) return false;
  return true;
}

/** Float32 parameter/derived arrays and scalars of a module instance, in the JS kernel's slot order. */
export function moduleKernelArgs(
  r: ResolvedModuleOp,
  key: readonly [number, number],
  io: JsKernelArgs['io'],
  names: { scalarNames: readonly string[]; arrayNames: readonly string[] },
): JsKernelArgs {
  const inst = r.instance;
  const value = (slot: string): number | Float64Array => slotValue(r, slot);
  const typeOf = (slot: string): string => slotType(r, slot);
  const scalars = new Float64Array(names.scalarNames.length);
  names.scalarNames.forEach((s, i) => {
    const v = value(s) as number;
    scalars[i] = typeOf(s) === 'f32' ? Math.fround(v) : v;
  });
  const arrays = names.arrayNames.map((s) => {
    // A slot with one value everywhere is passed as that value (the kernel reads element 0 once).
    const one = inst.uniform.get(s);
    const v = one === undefined ? (value(s) as Float64Array) : Float64Array.of(one);
    const t = typeOf(s);
    return t === 'f32' ? Float32Array.from(v) : t === 'i32' ? Int32Array.from(v) : Uint32Array.from(v);
  });
  return {
    n: inst.size,
    nPre: inst.nPre,
    k0: key[0],
    k1: key[1],
    streamBase: r.streamBase,
    dt: Math.fround(inst.dt),
    scalars,
    arrays,
    io,
  };
}

/** `module` on cpu. */
export const moduleCpuOp: CpuOp<'module'> = cpuOp('module', (r, c) => {
  const generic = createJsKernel(r.compiled);
  const io = [
    ...r.compiled.def.state.map((s) => c.get(s.name)),
    ...r.compiled.def.inputs.map((p) => c.get(p.name)),
    ...r.compiled.def.outputs.map((p) => c.get(p.name)),
  ] as JsKernelArgs['io'];
  const args = moduleKernelArgs(r, c.key, io, generic);
  // Per-element parameters that are the same everywhere are read once per step, not per element.
  const uniform = new Set(
    generic.arrayNames.filter((s, k) => r.instance.uniform.has(s) || isUniform(args.arrays[k]!)),
  );
  const k = uniform.size > 0 ? createJsKernel(r.compiled, uniform) : generic;
  // The same loop in WebAssembly SIMD where it can run (codegen/wasm.ts), else the JS loop.
  if (c.memory !== undefined) {
    const g = createWasmGroup([{ compiled: r.compiled, uniform, names: k, args }], c.memory);
    if (!('unsupported' in g)) return (step) => g.run(step);
  }
  return (step) => k.run(args, step);
});
