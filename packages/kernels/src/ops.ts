/**
 * The op kinds of `@spark-snn/kernels` (the `op` field of a core `PlanOp`), their attributes, and
 * {@link instantiateModule}, which builds the plan fragment of one module instance. Each op kind is
 * declared in `src/ops/<op>/op.ts` (bindings, attributes, validation) with its backend
 * implementations beside it; the table below summarises them.
 *
 * | op | bindings | attrs | per step |
 * | --- | --- | --- | --- |
 * | `module` | one per state variable, input and output of the definition | `definition`, `size`, `nPre?`, `params?`, `streamBase?` | the definition's body for every element |
 * | `dense.sync` | `weights` [post×pre], `spikes` [pre], `out` [post] | `post`, `pre`, `accumulate?` | `out_i (+)= Σ_j W_ij s_j` |
 * | `dense.async` | `weights` [post×pre], `spikes` [post×pre], `out` [post] | `post`, `pre`, `accumulate?` | `out_i (+)= Σ_j W_ij s_ij` |
 * | `delay.per_neuron` | `input` [n], `delays` [n], `ring` [slots×n], `out` [n] | `n`, `slots` | push row `t mod slots`, `out_j = ring[(t − d_j) mod slots][j]` |
 * | `delay.per_synapse` | `input` [pre], `delays` [post×pre], `ring` [slots×pre], `out` [post×pre] | `post`, `pre`, `slots` | push, `out_ij = ring[(t − d_ij) mod slots][j]` |
 * | `copy` | `src`, `dst` (same size) | — | `dst = src` |
 * | `concat` | `out`, `in0` … `in{k−1}` | `sizes` | `out = [in0, in1, …]` (flatten + concatenate of multi-source inputs) |
 * | `reduce.group_sum` | `input` [n], `offsets` [groups+1], `members` [m], `out` [groups] | `n`, `groups`, `abs?`, `accumulate?` | `out_g (+)= Σ_{m∈[off_g, off_g+1)} input[members_m]` (f32, in order) |
 * | `compact` | `input` [n], `indices` [n], `count` [1] | `n` | indices of non-zero inputs, ascending; their count |
 * | `sparse.csr` | `offsets` [post+1], `sources` [nnz], `weights` [nnz] (unless `weight`), `delays` [nnz] (per-connection delays, unless `delay`), `spikes` [pre], `history` [(D+1)×pre] (if D = `delay` or `maxDelay` > 0), `out` [post] | `post`, `pre`, `nnz`, `weight?`, `delay?`, `maxDelay?`, `accumulate?`, `delivery?`, `activity?`, `indexWidth?` | `out_i (+)= Σ_{e ∈ [off_i, off_i+1)} w_e · s_{src_e}(t − d_e)` |
 *
 * Delays: with `slots = B` a delay `d ∈ [0, B)` is a true `d`-step delay; `d = B` reads the row written
 * in the same step (Spark's wrap-around, upstream bug §7 — use `slots = max_delay + 1` to avoid it).
 *
 * @module
 */

import { type PlanBuffer, type PlanOp, toFloat16Array } from '@spark-snn/core';
import type { ModuleDefinition } from './lang/ast.ts';
import { compileDefinition, instantiate } from './lang/compile.ts';
import type { ParamValue } from './lang/interpret.ts';
import type { ModuleOpAttrs } from './ops/module/op.ts';

export type { CompactAttrs } from './ops/compact/op.ts';
export type { ConcatAttrs } from './ops/copy/op.ts';
export type { DelayPerNeuronAttrs, DelayPerSynapseAttrs } from './ops/delay/op.ts';
export type { DenseOpAttrs } from './ops/dense/op.ts';
export type { GroupSumAttrs } from './ops/group_sum/op.ts';
export { OP_KINDS, type OpKind } from './ops/index.ts';
export type { ModuleOpAttrs } from './ops/module/op.ts';
export type { SparseCsrAttrs, SparseDelivery } from './ops/sparse/op.ts';

/** Options of {@link instantiateModule}. */
export interface InstantiateModuleOptions {
  /** Prefix of every buffer name (`prefix.stateName`); also the op name. */
  readonly prefix: string;
  readonly size: number;
  readonly nPre?: number;
  readonly dt: number;
  readonly params?: Readonly<Record<string, ParamValue>>;
  readonly streamBase?: number;
  /** Bind these ports or state variables to existing buffers instead of creating new ones. */
  readonly bind?: Readonly<Record<string, string>>;
}

/**
 * Builds the plan fragment of one module instance: buffers for its state (initialised), inputs and
 * outputs (unless bound elsewhere via `bind`), and the `module` op. Parameter values are checked here.
 */
export function instantiateModule(
  def: ModuleDefinition,
  o: InstantiateModuleOptions,
): { buffers: PlanBuffer[]; op: PlanOp } {
  const compiled = compileDefinition(def);
  const inst = instantiate(compiled, {
    size: o.size,
    dt: o.dt,
    ...(o.nPre !== undefined ? { nPre: o.nPre } : {}),
    ...(o.params ? { params: o.params } : {}),
  });
  const buffers: PlanBuffer[] = [];
  const bindings: Record<string, string> = {};
  const bind = o.bind ?? {};
  const unitSize = o.size / (o.nPre ?? 1);
  const add = (
    name: string,
    dtype: PlanBuffer['dtype'],
    size: number,
    init?: Float64Array | number,
  ): void => {
    const b = bind[name];
    if (b !== undefined) {
      bindings[name] = b;
      return;
    }
    const full = `${o.prefix}.${name}`;
    bindings[name] = full;
    const buf: PlanBuffer = { name: full, dtype, shape: [size] };
    if (init === undefined || init === 0 || (typeof init !== 'number' && allZero(init))) buffers.push(buf);
    // One starting value fills the buffer (float16 buffers hold bit patterns: they get an array).
    else if (typeof init === 'number' && dtype !== 'float16') buffers.push({ ...buf, init });
    else {
      const values = typeof init === 'number' ? new Float64Array(size).fill(init) : init;
      buffers.push({ ...buf, init: toDType(dtype, values) as NonNullable<PlanBuffer['init']> });
    }
  };
  for (const s of compiled.def.state) add(s.name, s.storage, o.size, inst.initialState.get(s.name));
  for (const p of compiled.def.inputs) {
    const len =
      p.extent === 'scalar'
        ? 1
        : p.extent === 'unit'
          ? unitSize
          : p.extent === 'pre'
            ? (o.nPre ?? 1)
            : o.size;
    add(p.name, p.storage, len);
  }
  for (const p of compiled.def.outputs) add(p.name, p.storage, o.size);
  const attrs: ModuleOpAttrs = {
    definition: def,
    size: o.size,
    ...(o.nPre !== undefined ? { nPre: o.nPre } : {}),
    ...(o.params ? { params: o.params } : {}),
    ...(o.streamBase !== undefined ? { streamBase: o.streamBase } : {}),
  };
  return {
    buffers,
    op: { op: 'module', name: o.prefix, bindings, attrs: attrs as unknown as Record<string, unknown> },
  };
}

function allZero(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
  return true;
}

function toDType(dtype: PlanBuffer['dtype'], v: Float64Array): PlanBuffer['init'] {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(v);
    case 'int32':
      return Int32Array.from(v);
    case 'uint32':
      return Uint32Array.from(v);
    case 'float16':
      return toFloat16Array(v);
    default:
      throw new Error(`instantiateModule: state storage ${dtype} needs conversion`);
  }
}
