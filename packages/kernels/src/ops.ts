/**
 * The op kinds of `@spark-snn/kernels` (the `op` field of a core `PlanOp`), their attributes, and
 * helpers that build plan fragments.
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

/** Every op kind of this package. */
export const OP_KINDS = [
  'module',
  'dense.sync',
  'dense.async',
  'delay.per_neuron',
  'delay.per_synapse',
  'copy',
  'concat',
  'reduce.group_sum',
  'compact',
  'sparse.csr',
] as const;

/** An op kind of this package. */
export type OpKind = (typeof OP_KINDS)[number];

/** Attributes of a `module` op. */
export interface ModuleOpAttrs {
  /** The definition (plain data; validated at load). */
  readonly definition: ModuleDefinition;
  /** Number of elements. */
  readonly size: number;
  /** Presynaptic size (synapse domain). */
  readonly nPre?: number;
  /** Parameter values (scalars or per-extent arrays); defaults fill the rest. */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** First RNG stream of this instance (draw site k uses `streamBase + k`). */
  readonly streamBase?: number;
}

/** Attributes of the dense propagation ops. */
export interface DenseOpAttrs {
  readonly post: number;
  readonly pre: number;
  /** Add to `out` instead of overwriting it. */
  readonly accumulate?: boolean;
}

/** Attributes of `delay.per_neuron`. */
export interface DelayPerNeuronAttrs {
  readonly n: number;
  readonly slots: number;
}

/** Attributes of `delay.per_synapse`. */
export interface DelayPerSynapseAttrs {
  readonly post: number;
  readonly pre: number;
  readonly slots: number;
}

/** Attributes of `concat`: the element counts of `in0`, `in1`, …. */
export interface ConcatAttrs {
  readonly sizes: readonly number[];
}

/** Attributes of `reduce.group_sum`. */
export interface GroupSumAttrs {
  /** Elements of `input`. */
  readonly n: number;
  /** Number of groups (`offsets` has groups + 1 entries). */
  readonly groups: number;
  /** Sum absolute values (e.g. signed spikes counted as events). */
  readonly abs?: boolean;
  /** Add to `out` instead of overwriting it. */
  readonly accumulate?: boolean;
}

/** Attributes of `compact`. */
export interface CompactAttrs {
  readonly n: number;
}

/** How a `sparse.csr` op delivers spikes on the webgpu backend (the other backends ignore it). */
export type SparseDelivery = 'auto' | 'gather' | 'scatter';

/**
 * Attributes of `sparse.csr`: event-driven propagation over an incoming (post-major) CSR whose rows
 * are sorted by source. Per-connection weights come from the `weights` binding, or one homogeneous
 * `weight` replaces it (no weight bytes per synapse). Delays: one homogeneous `delay` of D steps, or
 * per-connection delays in the `delays` binding (integers in `[0, maxDelay]`, D = `maxDelay`); either
 * way the op keeps a spike history of D + 1 rows (binding `history`) and a connection of delay d reads
 * the spikes of step t − d.
 */
export interface SparseCsrAttrs {
  readonly post: number;
  readonly pre: number;
  /** Number of edges (`offsets[post]`). */
  readonly nnz: number;
  /** Homogeneous weight; when set, the op has no `weights` binding. */
  readonly weight?: number;
  /** Homogeneous transmission delay in steps (default 0); excludes a `delays` binding. */
  readonly delay?: number;
  /** Largest per-connection delay in steps (required with a `delays` binding; sizes `history`). */
  readonly maxDelay?: number;
  /** Add to `out` instead of overwriting it. */
  readonly accumulate?: boolean;
  /**
   * webgpu delivery: `gather` (one invocation per postsynaptic unit over its incoming edges),
   * `scatter` (spike compaction, then i32 fixed-point atomics over outgoing edges), or `auto`
   * (default: the cost rule of `chooseDelivery`). cpu is always event-driven (push), gpujs a gather.
   */
  readonly delivery?: SparseDelivery;
  /** Expected fraction of presynaptic units that spike in a step (the `auto` rule's input; default 0.01). */
  readonly activity?: number;
  /**
   * Bytes per stored index: 16 packs indices as uint16 (two per u32 word on webgpu) and needs the
   * indexed population ≤ 65,536; `auto` (default) uses 16 where it fits.
   */
  readonly indexWidth?: 'auto' | 16 | 32;
}

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
