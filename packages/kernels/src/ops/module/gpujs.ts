/**
 * `module` on gpujs: one gather kernel per written variable (`codegen/gpujs.ts`). Random draws are
 * generated on the host with the same Philox4x32-10 (bit-identical streams) and passed as arrays;
 * integer and `float16` buffers reach the kernels through float32 mirrors (integers exact below 2^24).
 *
 * @module
 */

import { BackendError, fromFloat16Bits, toFloat16Array } from '@spark-snn/core';
import { type GpujsOp, gpujsOp } from '../../backends/gpujs/op.ts';
import { generateGpujs, gpujsUnsupported } from '../../codegen/gpujs.ts';
import type { TExpr } from '../../lang/ir.ts';
import { fillDraws } from '../../rng/philox.ts';

function f32(a: ArrayLike<number>): Float32Array {
  return a instanceof Float32Array ? a : Float32Array.from(a);
}

/** `module` on gpujs. */
export const moduleGpujsOp: GpujsOp<'module'> = gpujsOp('module', (op, c) => {
  const why = gpujsUnsupported(op.compiled);
  if (why !== undefined)
    throw new BackendError('not-implemented', c.path, `not implemented yet: gpujs backend with ${why}`);
  const b = op.op.bindings;
  const g = generateGpujs(op.compiled);
  const inst = op.instance;
  const n = inst.size;
  const kernels = g.kernels.map((k) => ({
    target: k.target,
    fn: c.kernel(k.source, n),
    buffer: b[k.target.slice(k.target.indexOf(':') + 1)] as string,
  }));
  const rand = new Map<number, { dist: string; data: Float32Array }>();
  const visit = (e: TExpr): void => {
    if (e.k === 'rand') rand.set(e.site, { dist: e.dist, data: new Float32Array(n) });
    if (e.k === 'unary' || e.k === 'cast') visit(e.a);
    if (e.k === 'binary') {
      visit(e.a);
      visit(e.b);
    }
    if (e.k === 'math' || e.k === 'rand') e.args.forEach(visit);
    if (e.k === 'select') {
      visit(e.c);
      visit(e.t);
      visit(e.e);
    }
  };
  for (const s of op.compiled.body) visit(s.value);
  const args: unknown[] = g.args.map((slot) => {
    const [kind, name, rest] = slot.split(':') as [string, string, string | undefined];
    if (kind === 'state' || kind === 'input') return c.get(name);
    if (kind === 'param') return f32(inst.arrayParams.get(name) as Float64Array);
    if (kind === 'derived') return f32(inst.derived[Number(name)] as Float64Array);
    if (kind === 'rand') return rand.get(Number(name))?.data;
    if (kind === 'scalar')
      return Math.fround(
        name === 'param'
          ? (inst.scalarParams.get(rest as string) as number)
          : (inst.derived[Number(rest)] as number),
      );
    if (kind === 'dt') return Math.fround(inst.dt);
    return inst.nPre;
  });
  const mirrors = new Map<string, Float32Array>();
  const stateIdx = g.args.flatMap((slot, k) =>
    slot.startsWith('state:') || slot.startsWith('input:') ? [k] : [],
  );
  const [k0, k1] = c.key;
  const words = new Uint32Array(4);
  return (step) => {
    for (const [site, rd] of rand)
      fillDraws(
        rd.data,
        rd.dist === 'normal' ? 'normal' : 'uniform',
        k0,
        k1,
        (op.streamBase + site) >>> 0,
        step,
        words,
      );
    // Array arguments are float32: integer and float16 buffers go through float mirrors.
    for (const k of stateIdx) {
      const slot = g.args[k] as string;
      const name = b[slot.slice(slot.indexOf(':') + 1)] as string;
      const host = c.buffer(name);
      if (host instanceof Float32Array) {
        args[k] = host;
        continue;
      }
      let m = mirrors.get(name);
      if (m === undefined) {
        m = new Float32Array(host.length);
        mirrors.set(name, m);
      }
      if (c.dtypeOf(name) === 'float16')
        for (let i = 0; i < m.length; i++) m[i] = fromFloat16Bits(host[i] as number);
      else m.set(host);
      args[k] = m;
    }
    const results = kernels.map((k) => k.fn(...args));
    for (const [j, k] of kernels.entries()) {
      const host = c.buffer(k.buffer);
      const res = results[j] as Float32Array;
      if (c.dtypeOf(k.buffer) === 'float16') (host as Uint16Array).set(toFloat16Array(res));
      else host.set(res);
    }
    c.stats.dispatches += kernels.length;
  };
});
