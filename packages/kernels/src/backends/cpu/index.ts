/**
 * The `cpu` backend: generated JavaScript loops for `module` ops plus the hand-written structural
 * ops, over host typed arrays with the same layout as the GPU buffers. Every per-step path is
 * allocation-free. It is the reference every other backend is compared with, and the default in
 * Node when no WebGPU adapter exists.
 *
 * @module
 */

import { type Backend, BackendError, type Plan, type TypedArray } from '@spark-snn/core';
import { createJsKernel, type JsKernelArgs } from '../../codegen/js.ts';
import { compactCpu } from '../../compact/cpu.ts';
import { delayPerNeuronCpu, delayPerSynapseCpu } from '../../delays/ring/cpu.ts';
import { OP_KINDS } from '../../ops.ts';
import { type ResolvedModuleOp, type ResolvedPlan, resolvePlan } from '../../plan.ts';
import { denseAsyncCpu, denseSyncCpu } from '../../propagation/dense/cpu.ts';
import { sparseCsrCpu } from '../../propagation/sparse/cpu.ts';
import { groupSumCpu } from '../../reduce/group_sum/cpu.ts';
import { type Exec, HostProgram } from '../host.ts';

/** Options of {@link cpuBackend}. */
export interface CpuBackendOptions {
  /** Default steps per chunk (between `onChunk` callbacks). Default 1000. */
  readonly chunk?: number;
}

/** Creates the cpu backend. */
export function cpuBackend(options: CpuBackendOptions = {}): Backend {
  const supported = new Set<string>(OP_KINDS);
  return {
    kind: 'cpu',
    description: 'JavaScript (generated loops over typed arrays)',
    supports: (op) => supported.has(op),
    load: async (plan: Plan) =>
      new CpuProgram(
        resolvePlan(plan, (op) => supported.has(op)),
        options.chunk ?? 1000,
      ),
    destroy: () => {},
  };
}

/** True when every element equals the first (NaN never counts as equal). */
function isUniform(a: ArrayLike<number>): boolean {
  if (a.length < 2) return false;
  const x = a[0]!;
  for (let i = 1; i < a.length; i++) if (a[i] !== x) return false;
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
  const value = (slot: string): number | Float64Array => {
    const [kind, name] = slot.split(':') as [string, string];
    if (kind === 'param') return inst.scalarParams.get(name) ?? (inst.arrayParams.get(name) as Float64Array);
    return inst.derived[Number(name)] as number | Float64Array;
  };
  const typeOf = (slot: string): string => {
    const [kind, name] = slot.split(':') as [string, string];
    if (kind === 'param') return r.compiled.def.params.find((p) => p.name === name)?.type ?? 'f32';
    return r.compiled.derived[Number(name)]?.ty ?? 'f32';
  };
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

class CpuProgram extends HostProgram {
  readonly backend = 'cpu' as const;

  constructor(r: ResolvedPlan, defaultChunk: number) {
    super(r, defaultChunk);
    const get = <T extends TypedArray>(name: string | undefined): T => this.buffer<T>(name);
    this.execs = r.ops.map((op): Exec => {
      const b = op.op.bindings;
      switch (op.kind) {
        case 'module': {
          const generic = createJsKernel(op.compiled);
          const args = moduleKernelArgs(op, r.key, op.io.map((n) => get(n)) as JsKernelArgs['io'], generic);
          // Per-element parameters that are the same everywhere are read once per step, not per element.
          const uniform = new Set(
            generic.arrayNames.filter((s, k) => op.instance.uniform.has(s) || isUniform(args.arrays[k]!)),
          );
          const k = uniform.size > 0 ? createJsKernel(op.compiled, uniform) : generic;
          return (step) => k.run(args, step);
        }
        case 'dense.sync': {
          const { post, pre, accumulate } = op.attrs;
          const w = get<Float32Array>(b.weights);
          const s = get<Float32Array>(b.spikes);
          const out = get<Float32Array>(b.out);
          const active = new Int32Array(pre);
          return () => denseSyncCpu(w, s, out, post, pre, accumulate === true, active);
        }
        case 'dense.async': {
          const { post, pre, accumulate } = op.attrs;
          const w = get<Float32Array>(b.weights);
          const s = get<Float32Array>(b.spikes);
          const out = get<Float32Array>(b.out);
          return () => denseAsyncCpu(w, s, out, post, pre, accumulate === true);
        }
        case 'delay.per_neuron': {
          const { n, slots } = op.attrs;
          const input = get<Float32Array>(b.input);
          const d = get<Int32Array>(b.delays);
          const ring = get<Float32Array>(b.ring);
          const out = get<Float32Array>(b.out);
          return (step) => delayPerNeuronCpu(input, d, ring, out, n, slots, step);
        }
        case 'delay.per_synapse': {
          const { post, pre, slots } = op.attrs;
          const input = get<Float32Array>(b.input);
          const d = get<Int32Array>(b.delays);
          const ring = get<Float32Array>(b.ring);
          const out = get<Float32Array>(b.out);
          const lut = new Int32Array(slots + 1);
          return (step) => delayPerSynapseCpu(input, d, ring, out, post, pre, slots, step, lut);
        }
        case 'copy': {
          const src = get(b.src);
          const dst = get(b.dst);
          return () => dst.set(src);
        }
        case 'concat': {
          const out = get(b.out);
          const parts = op.attrs.sizes.map((_, k) => get(b[`in${k}`]));
          const offs = op.attrs.sizes.map((_, k) => op.attrs.sizes.slice(0, k).reduce((a, x) => a + x, 0));
          return () => {
            for (let k = 0; k < parts.length; k++) out.set(parts[k] as TypedArray, offs[k]);
          };
        }
        case 'reduce.group_sum': {
          const { groups, abs, accumulate } = op.attrs;
          const input = get<Float32Array>(b.input);
          const offsets = get<Int32Array>(b.offsets);
          const members = get<Int32Array>(b.members);
          const out = get<Float32Array>(b.out);
          return () => groupSumCpu(input, offsets, members, out, groups, abs, accumulate);
        }
        case 'compact': {
          const n = op.attrs.n;
          const input = get<Float32Array>(b.input);
          const indices = get<Uint32Array>(b.indices);
          const count = get<Uint32Array>(b.count);
          return () => {
            compactCpu(input, indices, count, n);
          };
        }
        case 'sparse.csr': {
          // Connectivity is static: transposed once into the push (pre-major) form.
          const fn = sparseCsrCpu(op.host, op.attrs.indexWidth);
          const s = get<Float32Array>(b.spikes);
          const out = get<Float32Array>(b.out);
          const history = b.history === undefined ? undefined : get<Float32Array>(b.history);
          return (step) => fn(s, history, out, step);
        }
      }
      throw new BackendError(
        'unsupported-op',
        '',
        `unknown op kind "${(op as { op: { op: string } }).op.op}"`,
      );
    });
  }
}
