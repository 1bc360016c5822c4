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

import { type Backend, BackendError, type Plan, type TypedArray } from '@spark-snn/core';
import { GPUJS_MATH_FUNCTIONS } from '../../codegen/gpujs.ts';
import { type ResolvedPlan, resolvePlan } from '../../plan.ts';
import { type Exec, HostProgram, type HostRecord, type HostStream } from '../host.ts';
import type { GpuJs, GpujsContext } from './op.ts';
import { GPUJS_OPS } from './ops.ts';

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
    // A literal specifier: an app that installs gpu.js gets it bundled as its own lazy chunk; Vite
    // turns the import of this optional peer dependency into a module that throws where it is missing.
    mod = (await import('gpu.js')) as unknown as typeof mod;
  } catch (cause) {
    throw new BackendError(
      'unavailable',
      '',
      'the gpujs backend needs gpu.js, an optional peer dependency of @spark-snn/kernels: ' +
        '`npm install gpu.js@2.24.1` (or use the cpu or webgpu backend)',
      { cause },
    );
  }
  const GPU = mod.GPU ?? mod.default?.GPU;
  if (GPU === undefined) throw new BackendError('unavailable', '', 'gpu.js has no GPU export');
  const gpu = new GPU(options.mode ? { mode: options.mode } : {});
  for (const f of GPUJS_MATH_FUNCTIONS)
    gpu.addFunction(f, { argumentTypes: { x: 'Number', c: 'Number' }, returnType: 'Number' });
  const supports = (op: string): boolean => GPUJS_OPS.has(op);
  return {
    kind: 'gpujs',
    description: `gpu.js 2.24.1, mode ${gpu.mode}`,
    supports,
    load: async (plan: Plan) => new GpujsProgram(gpu, resolvePlan(plan, supports), options.chunk ?? 1000),
    destroy: () => {
      void gpu.destroy();
    },
  };
}

class GpujsProgram extends HostProgram {
  readonly backend = 'gpujs' as const;
  private readonly execs: readonly Exec[];

  constructor(gpu: GpuJs, r: ResolvedPlan, defaultChunk: number) {
    super(r, defaultChunk);
    const dtypeOf = (name: string) => r.buffers.get(name)?.spec.dtype ?? 'float32';
    this.execs = r.ops.map((op, i) => {
      const path = `ops[${i}]`;
      const ctx: GpujsContext = {
        get: <T extends TypedArray>(slot: string): T => this.buffer<T>(op.op.bindings[slot]),
        buffer: (name) => this.buffer(name),
        dtypeOf,
        kernel: (source, n, loopMaxIterations) =>
          gpu.createKernel(source, {
            output: [n],
            tactic: 'precision',
            precision: 'single',
            ...(loopMaxIterations !== undefined ? { loopMaxIterations } : {}),
          }),
        stats: this.stats,
        key: r.key,
        path,
      };
      return GPUJS_OPS.get(op.kind, path).create(op as never, ctx);
    });
  }

  protected runChunk(
    step: number,
    count: number,
    done: number,
    streams: readonly HostStream[],
    records: readonly HostRecord[],
  ): void {
    for (let s = 0; s < count; s++) {
      const t = done + s;
      for (const x of streams) {
        const dst = this.buffer(x.name);
        const n = dst.length;
        dst.set(x.data.subarray(t * n, t * n + n));
      }
      for (const e of this.execs) e(step + s);
      for (const rc of records) {
        const src = this.buffer(rc.name);
        rc.out.set(src, t * src.length);
      }
    }
  }
}
