/**
 * The `gpujs` backend: the same programs through gpu.js 2.24.1 (imported lazily; WebGL2 in
 * browsers, its CPU `webasm` mode in Node without headless-gl — correctness only there).
 *
 * Every op is a gather (one output element per thread): a `module` op runs one kernel per written
 * variable, structural ops use the gather kernels next to their cpu/wgsl twins. Random draws are
 * generated on the host with the same Philox4x32-10 (bit-identical streams) and passed as arrays.
 * gpu.js calls are synchronous in 2.x; this backend keeps them behind the async Program interface
 * so the planned v3 (Promise-returning kernels) does not change callers. Buffers are host typed
 * arrays; integer and `float16` buffers reach the kernels through float32 mirrors (integers exact
 * below 2^24, see `codegen/gpujs.ts`).
 *
 * @module
 */

import {
  type Backend,
  BackendError,
  fromFloat16Bits,
  type Plan,
  type TypedArray,
  toFloat16Array,
} from '@spark-snn/core';
import { GPUJS_MATH_FUNCTIONS, generateGpujs, gpujsUnsupported } from '../../codegen/gpujs.ts';
import { compactCpu } from '../../compact/cpu.ts';
import { RING_GATHER_GPUJS, RING_PUSH_GPUJS } from '../../delays/ring/gpujs.ts';
import type { TExpr } from '../../lang/ir.ts';
import { OP_KINDS } from '../../ops.ts';
import { type ResolvedPlan, resolvePlan } from '../../plan.ts';
import { DENSE_ASYNC_GPUJS, DENSE_SYNC_GPUJS } from '../../propagation/dense/gpujs.ts';
import { SPARSE_CSR_GPUJS } from '../../propagation/sparse/gpujs.ts';
import { historySlots } from '../../propagation/sparse/layout.ts';
import { GROUP_SUM_GPUJS } from '../../reduce/group_sum/gpujs.ts';
import { fillDraws } from '../../rng/philox.ts';
import { type Exec, HostProgram } from '../host.ts';

/** Minimal view of the gpu.js API used here. */
interface GpuJsKernel {
  (...args: unknown[]): Float32Array | number[];
  setOutput(output: number[]): GpuJsKernel;
  destroy?(): void;
}
interface GpuJs {
  readonly mode: string;
  createKernel(source: string, settings?: Record<string, unknown>): GpuJsKernel;
  addFunction(source: string, settings?: Record<string, unknown>): unknown;
  destroy(): void | Promise<void>;
}

/** Options of {@link gpujsBackend}. */
export interface GpujsBackendOptions {
  /** gpu.js mode (`'webasm'`, `'webgl2'`, `'cpu'`…); default: gpu.js's choice. */
  readonly mode?: string;
  /** Default steps per chunk (between `onChunk` callbacks). Default 1000. */
  readonly chunk?: number;
}

/** Creates the gpujs backend (imports gpu.js on first use). */
export async function gpujsBackend(options: GpujsBackendOptions = {}): Promise<Backend> {
  let mod: {
    GPU?: new (s?: Record<string, unknown>) => GpuJs;
    default?: { GPU?: new (s?: Record<string, unknown>) => GpuJs };
  };
  try {
    // A literal specifier: gpu.js is a dependency, so bundlers split it into its own lazy chunk.
    mod = (await import('gpu.js')) as unknown as typeof mod;
  } catch (cause) {
    throw new BackendError(
      'unavailable',
      '',
      'gpu.js could not be imported (dependency of @spark-snn/kernels)',
      { cause },
    );
  }
  const GPU = mod.GPU ?? mod.default?.GPU;
  if (GPU === undefined) throw new BackendError('unavailable', '', 'gpu.js has no GPU export');
  const gpu = new GPU(options.mode ? { mode: options.mode } : {});
  for (const f of GPUJS_MATH_FUNCTIONS)
    gpu.addFunction(f, { argumentTypes: { x: 'Number', c: 'Number' }, returnType: 'Number' });
  const supported = new Set<string>(OP_KINDS);
  return {
    kind: 'gpujs',
    description: `gpu.js 2.24.1, mode ${gpu.mode}`,
    supports: (op) => supported.has(op),
    load: async (plan: Plan) => {
      const r = resolvePlan(plan, (op) => supported.has(op));
      r.ops.forEach((op, i) => {
        if (op.kind === 'module') {
          const why = gpujsUnsupported(op.compiled);
          if (why !== undefined)
            throw new BackendError(
              'not-implemented',
              `ops[${i}]`,
              `not implemented yet: gpujs backend with ${why}`,
            );
        }
      });
      return new GpujsProgram(gpu, r, options.chunk ?? 1000);
    },
    destroy: () => {
      void gpu.destroy();
    },
  };
}

function f32(a: TypedArray | Float64Array): Float32Array {
  return a instanceof Float32Array ? a : Float32Array.from(a as ArrayLike<number>);
}

class GpujsProgram extends HostProgram {
  readonly backend = 'gpujs' as const;

  constructor(gpu: GpuJs, r: ResolvedPlan, defaultChunk: number) {
    super(r, defaultChunk);
    const get = (name: string | undefined): TypedArray => this.buffer(name);
    const dtypeOf = (name: string): string => r.buffers.get(name)?.spec.dtype ?? 'float32';
    const kernel = (source: string, n: number): GpuJsKernel =>
      gpu.createKernel(source, { output: [n], tactic: 'precision', precision: 'single' });
    this.execs = r.ops.map((op): Exec => {
      const b = op.op.bindings;
      switch (op.kind) {
        case 'module': {
          const g = generateGpujs(op.compiled);
          const inst = op.instance;
          const n = inst.size;
          const kernels = g.kernels.map((k) => ({
            target: k.target,
            fn: kernel(k.source, n),
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
            if (kind === 'state' || kind === 'input') return get(b[name]);
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
          const [k0, k1] = r.key;
          const words = new Uint32Array(4);
          return (step) => {
            for (const [site, rd] of rand) {
              fillDraws(
                rd.data,
                rd.dist === 'normal' ? 'normal' : 'uniform',
                k0,
                k1,
                (op.streamBase + site) >>> 0,
                step,
                words,
              );
            }
            // Array arguments are float32: integer and float16 buffers go through float mirrors.
            for (const k of stateIdx) {
              const slot = g.args[k] as string;
              const name = b[slot.slice(slot.indexOf(':') + 1)] as string;
              const host = get(name);
              if (host instanceof Float32Array) {
                args[k] = host;
                continue;
              }
              let m = mirrors.get(name);
              if (m === undefined) {
                m = new Float32Array(host.length);
                mirrors.set(name, m);
              }
              if (dtypeOf(name) === 'float16')
                for (let i = 0; i < m.length; i++) m[i] = fromFloat16Bits(host[i] as number);
              else m.set(host);
              args[k] = m;
            }
            const results = kernels.map((k) => k.fn(...args));
            for (const [j, k] of kernels.entries()) {
              const host = get(k.buffer);
              const res = results[j] as Float32Array;
              if (dtypeOf(k.buffer) === 'float16') (host as Uint16Array).set(toFloat16Array(res));
              else host.set(res);
            }
            this.stats.dispatches += kernels.length;
          };
        }
        case 'dense.sync':
        case 'dense.async': {
          const { post, pre, accumulate } = op.attrs;
          const fn = kernel(op.kind === 'dense.sync' ? DENSE_SYNC_GPUJS : DENSE_ASYNC_GPUJS, post);
          return () => {
            const out = get(b.out) as Float32Array;
            out.set(fn(get(b.weights), get(b.spikes), out, pre, accumulate ? 1 : 0) as Float32Array);
            this.stats.dispatches++;
          };
        }
        case 'delay.per_neuron':
        case 'delay.per_synapse': {
          const post = op.kind === 'delay.per_neuron' ? 1 : op.attrs.post;
          const pre = op.kind === 'delay.per_neuron' ? op.attrs.n : op.attrs.pre;
          const slots = op.attrs.slots;
          const push = kernel(RING_PUSH_GPUJS, slots * pre);
          const gather = kernel(RING_GATHER_GPUJS, post * pre);
          const dmod = new Float32Array(post * pre);
          return (step) => {
            const d = get(b.delays);
            for (let k = 0; k < dmod.length; k++) dmod[k] = ((d[k] as number) >>> 0) % slots;
            const w = step % slots;
            const ring = get(b.ring) as Float32Array;
            ring.set(push(ring, get(b.input), w, pre) as Float32Array);
            (get(b.out) as Float32Array).set(gather(ring, dmod, w, pre, slots) as Float32Array);
            this.stats.dispatches += 2;
          };
        }
        case 'copy':
          return () => get(b.dst).set(get(b.src));
        case 'concat': {
          const sizes = op.attrs.sizes;
          const offs = sizes.map((_, k) => sizes.slice(0, k).reduce((a, x) => a + x, 0));
          return () => {
            const out = get(b.out);
            for (let k = 0; k < sizes.length; k++) out.set(get(b[`in${k}`]), offs[k]);
          };
        }
        case 'reduce.group_sum': {
          const { groups, abs, accumulate } = op.attrs;
          const fn = gpu.createKernel(GROUP_SUM_GPUJS, {
            output: [groups],
            tactic: 'precision',
            precision: 'single',
            loopMaxIterations: Math.max(1, op.members),
          });
          return () => {
            const out = get(b.out) as Float32Array;
            const offsets = Float32Array.from(get(b.offsets));
            const members = Float32Array.from(get(b.members));
            out.set(fn(get(b.input), offsets, members, out, abs ? 1 : 0, accumulate ? 1 : 0) as Float32Array);
            this.stats.dispatches++;
          };
        }
        case 'sparse.csr': {
          const h = op.host;
          const slots = historySlots(h);
          const fn = gpu.createKernel(SPARSE_CSR_GPUJS, {
            output: [h.post],
            tactic: 'precision',
            precision: 'single',
            loopMaxIterations: Math.max(1, op.maxRow),
          });
          // Static connectivity as floats (exact below 2^24 indices, as every gpujs integer).
          const offsets = Float32Array.from(h.offsets);
          const sources = h.nnz > 0 ? Float32Array.from(h.sources) : new Float32Array(1);
          const weights = h.weights && h.nnz > 0 ? h.weights : new Float32Array(1);
          const delays = h.delays && h.nnz > 0 ? Float32Array.from(h.delays) : new Float32Array(1);
          return (step) => {
            const s = get(b.spikes) as Float32Array;
            let hist = s;
            const now = slots > 0 ? step % slots : 0;
            if (slots > 0) {
              hist = get(b.history) as Float32Array;
              hist.set(s, now * h.pre);
            }
            const out = get(b.out) as Float32Array;
            out.set(
              fn(
                offsets,
                sources,
                weights,
                delays,
                hist,
                out,
                h.weight,
                h.weights === undefined ? 1 : 0,
                h.accumulate ? 1 : 0,
                h.delays === undefined ? 0 : 1,
                h.delay,
                slots,
                now,
                h.pre,
              ) as Float32Array,
            );
            this.stats.dispatches++;
          };
        }
        case 'compact': {
          // Compaction is a scatter; gpu.js kernels are gathers, so it runs on the host here.
          const n = op.attrs.n;
          return () => {
            compactCpu(
              get(b.input) as Float32Array,
              get(b.indices) as Uint32Array,
              get(b.count) as Uint32Array,
              n,
            );
          };
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
