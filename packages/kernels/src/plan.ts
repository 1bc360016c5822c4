/**
 * Plan validation shared by every backend: a plan is checked completely (buffer names, shapes,
 * initial contents, op bindings, sizes and dtypes, definitions, parameter values) before any device
 * work, and every problem is a `BackendError` with a path. Run options are checked the same way.
 *
 * @module
 */

import {
  BackendError,
  type DType,
  isDType,
  matchesDType,
  type Plan,
  type PlanBuffer,
  type PlanOp,
  type RunOptions,
  shapeSize,
  type TypedArray,
} from '@spark-snn/core';
import { DefinitionError } from './lang/check.ts';
import {
  type CompiledModule,
  compileDefinition,
  type InstanceData,
  InstanceError,
  instantiate,
} from './lang/compile.ts';
import { extentLength } from './lang/interpret.ts';
import type {
  CompactAttrs,
  ConcatAttrs,
  DelayPerNeuronAttrs,
  DelayPerSynapseAttrs,
  DenseOpAttrs,
  GroupSumAttrs,
  ModuleOpAttrs,
  OpKind,
  SparseCsrAttrs,
} from './ops.ts';
import { OP_KINDS } from './ops.ts';
import type { SparseHost } from './propagation/sparse/layout.ts';

/** A plan buffer with its element count. */
export interface ResolvedBuffer {
  readonly spec: PlanBuffer;
  readonly size: number;
}

/** A `module` op, compiled and instantiated. */
export interface ResolvedModuleOp {
  readonly kind: 'module';
  readonly op: PlanOp;
  readonly compiled: CompiledModule;
  readonly instance: InstanceData;
  readonly streamBase: number;
  /** Plan buffer names in the JS kernel's io order (states, inputs, outputs). */
  readonly io: readonly string[];
}

/** A structural op with its typed attributes. */
export type ResolvedStructuralOp =
  | { readonly kind: 'dense.sync' | 'dense.async'; readonly op: PlanOp; readonly attrs: DenseOpAttrs }
  | { readonly kind: 'delay.per_neuron'; readonly op: PlanOp; readonly attrs: DelayPerNeuronAttrs }
  | { readonly kind: 'delay.per_synapse'; readonly op: PlanOp; readonly attrs: DelayPerSynapseAttrs }
  | { readonly kind: 'copy'; readonly op: PlanOp }
  | { readonly kind: 'concat'; readonly op: PlanOp; readonly attrs: ConcatAttrs }
  | {
      readonly kind: 'reduce.group_sum';
      readonly op: PlanOp;
      readonly attrs: Required<GroupSumAttrs>;
      readonly members: number;
    }
  | { readonly kind: 'compact'; readonly op: PlanOp; readonly attrs: CompactAttrs }
  | {
      readonly kind: 'sparse.csr';
      readonly op: PlanOp;
      readonly attrs: Required<Omit<SparseCsrAttrs, 'weight'>> & { readonly weight: number | undefined };
      /** Longest row (gpu.js loop bound). */
      readonly maxRow: number;
      /** The connectivity as host arrays (validated). */
      readonly host: SparseHost;
    };

/** A resolved op. */
export type ResolvedOp = ResolvedModuleOp | ResolvedStructuralOp;

/** A validated plan. */
export interface ResolvedPlan {
  readonly plan: Plan;
  readonly buffers: ReadonlyMap<string, ResolvedBuffer>;
  readonly ops: readonly ResolvedOp[];
  /** Philox key. */
  readonly key: readonly [number, number];
}

function seedKey(seed: number | bigint): [number, number] {
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed >= 1n << 64n)
      throw new BackendError('invalid-plan', 'seed', `must be in [0, 2^64), got ${seed}`);
    return [Number(seed & 0xffffffffn), Number(seed >> 32n)];
  }
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new BackendError(
      'invalid-plan',
      'seed',
      `must be a non-negative safe integer, got ${String(seed)}`,
    );
  return [seed >>> 0, Math.floor(seed / 0x100000000) >>> 0];
}

function posInt(path: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new BackendError('invalid-plan', path, `must be a positive integer, got ${String(v)}`);
  return v;
}

/** Validates a plan against the op kinds `supported`. Throws `BackendError` on the first problem. */
export function resolvePlan(plan: Plan, supported: (op: string) => boolean): ResolvedPlan {
  if (typeof plan !== 'object' || plan === null)
    throw new BackendError('invalid-plan', '', 'a plan must be an object');
  if (!(typeof plan.dt === 'number' && plan.dt > 0 && Number.isFinite(plan.dt)))
    throw new BackendError('invalid-plan', 'dt', `must be a positive finite number, got ${String(plan.dt)}`);
  const key = seedKey(plan.seed);
  const buffers = new Map<string, ResolvedBuffer>();
  plan.buffers.forEach((b, i) => {
    const path = `buffers[${i}]`;
    if (typeof b.name !== 'string' || b.name === '')
      throw new BackendError('invalid-plan', `${path}.name`, 'must be a non-empty string');
    if (buffers.has(b.name))
      throw new BackendError('invalid-plan', `${path}.name`, `duplicate buffer "${b.name}"`);
    if (!isDType(b.dtype))
      throw new BackendError('invalid-plan', `${path}.dtype`, `unknown dtype ${JSON.stringify(b.dtype)}`);
    let size: number;
    try {
      size = shapeSize(b.shape);
    } catch (e) {
      throw new BackendError('invalid-plan', `${path}.shape`, (e as Error).message);
    }
    if (b.init !== undefined) {
      if (typeof b.init === 'number') {
        if (Number.isNaN(b.init)) throw new BackendError('invalid-plan', `${path}.init`, 'is NaN');
      } else {
        if (!matchesDType(b.dtype, b.init))
          throw new BackendError(
            'invalid-plan',
            `${path}.init`,
            `typed array does not match dtype ${b.dtype}`,
          );
        if (b.init.length !== size)
          throw new BackendError(
            'invalid-plan',
            `${path}.init`,
            `has ${b.init.length} elements, shape [${b.shape.join(', ')}] needs ${size}`,
          );
      }
    }
    buffers.set(b.name, { spec: b, size });
  });
  const buf = (
    path: string,
    op: PlanOp,
    slot: string,
    size: number,
    dtypes: readonly DType[],
  ): ResolvedBuffer => {
    const name = op.bindings[slot];
    if (name === undefined)
      throw new BackendError('invalid-plan', `${path}.bindings`, `missing binding "${slot}"`);
    const b = buffers.get(name);
    if (b === undefined)
      throw new BackendError('invalid-plan', `${path}.bindings.${slot}`, `unknown buffer "${name}"`);
    if (b.size !== size)
      throw new BackendError(
        'invalid-plan',
        `${path}.bindings.${slot}`,
        `shape mismatch: buffer "${name}" has ${b.size} elements, the op needs ${size}`,
      );
    if (!dtypes.includes(b.spec.dtype))
      throw new BackendError(
        'invalid-plan',
        `${path}.bindings.${slot}`,
        `buffer "${name}" has dtype ${b.spec.dtype}, the op needs ${dtypes.join(' or ')}`,
      );
    return b;
  };
  const ops: ResolvedOp[] = plan.ops.map((op, i): ResolvedOp => {
    const path = `ops[${i}]`;
    if (!(OP_KINDS as readonly string[]).includes(op.op))
      throw new BackendError(
        'unsupported-op',
        `${path}.op`,
        `unknown op kind "${op.op}" (known: ${OP_KINDS.join(', ')})`,
      );
    if (!supported(op.op))
      throw new BackendError(
        'unsupported-op',
        `${path}.op`,
        `op kind "${op.op}" is not implemented on this backend yet`,
      );
    const kind = op.op as OpKind;
    const attrs = (op.attrs ?? {}) as Record<string, unknown>;
    switch (kind) {
      case 'module': {
        const a = attrs as unknown as ModuleOpAttrs;
        let compiled: CompiledModule;
        let instance: InstanceData;
        try {
          compiled = compileDefinition(a.definition);
          instance = instantiate(compiled, {
            size: a.size,
            dt: plan.dt,
            ...(a.nPre !== undefined ? { nPre: a.nPre } : {}),
            ...(a.params ? { params: a.params } : {}),
            path: `${path}.attrs.params`,
          });
        } catch (e) {
          if (e instanceof DefinitionError)
            throw new BackendError('invalid-plan', `${path}.attrs.definition`, e.message, { cause: e });
          if (e instanceof InstanceError)
            throw new BackendError(
              'invalid-plan',
              e.path.startsWith(path) ? e.path : `${path}.attrs.${e.path}`,
              e.message.slice(e.path.length + 2),
              { cause: e },
            );
          throw e;
        }
        const shape = { size: instance.size, nPre: instance.nPre };
        const io: string[] = [];
        for (const s of compiled.def.state)
          io.push(buf(path, op, s.name, instance.size, [s.storage]).spec.name);
        for (const p of compiled.def.inputs)
          io.push(buf(path, op, p.name, extentLength(p.extent, shape), [p.storage]).spec.name);
        for (const p of compiled.def.outputs)
          io.push(buf(path, op, p.name, instance.size, [p.storage]).spec.name);
        const sb = a.streamBase ?? 0;
        if (!Number.isInteger(sb) || sb < 0 || sb > 0xffffffff)
          throw new BackendError('invalid-plan', `${path}.attrs.streamBase`, `must be a u32, got ${sb}`);
        return { kind, op, compiled, instance, streamBase: sb, io };
      }
      case 'dense.sync':
      case 'dense.async': {
        const post = posInt(`${path}.attrs.post`, attrs.post);
        const pre = posInt(`${path}.attrs.pre`, attrs.pre);
        buf(path, op, 'weights', post * pre, ['float32']);
        buf(path, op, 'spikes', kind === 'dense.sync' ? pre : post * pre, ['float32']);
        buf(path, op, 'out', post, ['float32']);
        return { kind, op, attrs: { post, pre, accumulate: attrs.accumulate === true } };
      }
      case 'delay.per_neuron': {
        const n = posInt(`${path}.attrs.n`, attrs.n);
        const slots = posInt(`${path}.attrs.slots`, attrs.slots);
        buf(path, op, 'input', n, ['float32']);
        buf(path, op, 'delays', n, ['int32', 'uint32']);
        buf(path, op, 'ring', slots * n, ['float32']);
        buf(path, op, 'out', n, ['float32']);
        return { kind, op, attrs: { n, slots } };
      }
      case 'delay.per_synapse': {
        const post = posInt(`${path}.attrs.post`, attrs.post);
        const pre = posInt(`${path}.attrs.pre`, attrs.pre);
        const slots = posInt(`${path}.attrs.slots`, attrs.slots);
        buf(path, op, 'input', pre, ['float32']);
        buf(path, op, 'delays', post * pre, ['int32', 'uint32']);
        buf(path, op, 'ring', slots * pre, ['float32']);
        buf(path, op, 'out', post * pre, ['float32']);
        return { kind, op, attrs: { post, pre, slots } };
      }
      case 'copy': {
        const src = buffers.get(op.bindings.src ?? '');
        if (src === undefined)
          throw new BackendError(
            'invalid-plan',
            `${path}.bindings.src`,
            `unknown buffer "${op.bindings.src}"`,
          );
        buf(path, op, 'dst', src.size, [src.spec.dtype]);
        if (op.bindings.dst === op.bindings.src)
          throw new BackendError(
            'invalid-plan',
            `${path}.bindings.dst`,
            'a copy needs two different buffers',
          );
        return { kind, op };
      }
      case 'concat': {
        const sizes = attrs.sizes;
        if (!Array.isArray(sizes) || sizes.length === 0)
          throw new BackendError(
            'invalid-plan',
            `${path}.attrs.sizes`,
            'must be a non-empty array of positive integers',
          );
        const total = sizes.reduce(
          (a: number, x: unknown, k: number) => a + posInt(`${path}.attrs.sizes[${k}]`, x),
          0,
        );
        const out = buffers.get(op.bindings.out ?? '');
        if (out === undefined)
          throw new BackendError(
            'invalid-plan',
            `${path}.bindings.out`,
            `unknown buffer "${op.bindings.out}"`,
          );
        buf(path, op, 'out', total, [out.spec.dtype]);
        sizes.forEach((n: number, k: number) => {
          buf(path, op, `in${k}`, n, [out.spec.dtype]);
          if (op.bindings[`in${k}`] === op.bindings.out)
            throw new BackendError(
              'invalid-plan',
              `${path}.bindings.in${k}`,
              'an input of concat cannot be its output',
            );
        });
        return { kind, op, attrs: { sizes: [...sizes] as number[] } };
      }
      case 'reduce.group_sum': {
        const n = posInt(`${path}.attrs.n`, attrs.n);
        const groups = posInt(`${path}.attrs.groups`, attrs.groups);
        buf(path, op, 'input', n, ['float32']);
        const offsets = buf(path, op, 'offsets', groups + 1, ['int32', 'uint32']);
        const mem = buffers.get(op.bindings.members ?? '');
        if (mem === undefined)
          throw new BackendError(
            'invalid-plan',
            `${path}.bindings.members`,
            `unknown buffer "${op.bindings.members}"`,
          );
        buf(path, op, 'members', mem.size, [offsets.spec.dtype]);
        buf(path, op, 'out', groups, ['float32']);
        // Check the CSR structure when its contents are known at load.
        const o = offsets.spec.init;
        const m = mem.spec.init;
        if (o !== undefined && typeof o !== 'number') {
          for (let g = 0; g < groups; g++) {
            const a = o[g] as number;
            const b = o[g + 1] as number;
            if (!(a >= 0 && a <= b && b <= mem.size))
              throw new BackendError(
                'invalid-plan',
                `${path}.bindings.offsets`,
                `offsets must be non-decreasing within [0, ${mem.size}]; group ${g} spans [${a}, ${b})`,
              );
          }
        }
        if (m !== undefined && typeof m !== 'number') {
          for (let k = 0; k < m.length; k++) {
            const x = m[k] as number;
            if (!(x >= 0 && x < n))
              throw new BackendError(
                'invalid-plan',
                `${path}.bindings.members`,
                `member ${k} = ${x} is outside [0, ${n})`,
              );
          }
        }
        return {
          kind,
          op,
          attrs: { n, groups, abs: attrs.abs === true, accumulate: attrs.accumulate === true },
          members: mem.size,
        };
      }
      case 'compact': {
        const n = posInt(`${path}.attrs.n`, attrs.n);
        buf(path, op, 'input', n, ['float32']);
        const idx = buf(path, op, 'indices', n, ['int32', 'uint32']);
        buf(path, op, 'count', 1, [idx.spec.dtype]);
        return { kind, op, attrs: { n } };
      }
      case 'sparse.csr': {
        const post = posInt(`${path}.attrs.post`, attrs.post);
        const pre = posInt(`${path}.attrs.pre`, attrs.pre);
        const nnz = attrs.nnz;
        if (typeof nnz !== 'number' || !Number.isInteger(nnz) || nnz < 0)
          throw new BackendError(
            'invalid-plan',
            `${path}.attrs.nnz`,
            `must be a non-negative integer, got ${String(nnz)}`,
          );
        const stepsIn = (key: string, v: unknown): number => {
          if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535)
            throw new BackendError(
              'invalid-plan',
              `${path}.attrs.${key}`,
              `must be an integer in [0, 65535], got ${String(v)}`,
            );
          return v;
        };
        const perEdgeDelays = op.bindings.delays !== undefined;
        if (perEdgeDelays && attrs.delay !== undefined)
          throw new BackendError(
            'invalid-plan',
            `${path}.attrs.delay`,
            'a homogeneous delay and a delays binding exclude each other',
          );
        const delay = perEdgeDelays ? 0 : stepsIn('delay', attrs.delay ?? 0);
        const maxDelay = perEdgeDelays ? stepsIn('maxDelay', attrs.maxDelay) : delay;
        const weight = attrs.weight;
        if (weight !== undefined && !(typeof weight === 'number' && Number.isFinite(weight)))
          throw new BackendError(
            'invalid-plan',
            `${path}.attrs.weight`,
            `must be a finite number, got ${String(weight)}`,
          );
        const delivery = attrs.delivery ?? 'auto';
        if (delivery !== 'auto' && delivery !== 'gather' && delivery !== 'scatter')
          throw new BackendError(
            'invalid-plan',
            `${path}.attrs.delivery`,
            `must be "auto", "gather" or "scatter", got ${JSON.stringify(delivery)}`,
          );
        const activity = attrs.activity ?? 0.01;
        if (!(typeof activity === 'number' && activity >= 0 && activity <= 1))
          throw new BackendError(
            'invalid-plan',
            `${path}.attrs.activity`,
            `must be a number in [0, 1], got ${String(activity)}`,
          );
        const indexWidth = attrs.indexWidth ?? 'auto';
        if (indexWidth !== 'auto' && indexWidth !== 16 && indexWidth !== 32)
          throw new BackendError(
            'invalid-plan',
            `${path}.attrs.indexWidth`,
            `must be "auto", 16 or 32, got ${JSON.stringify(indexWidth)}`,
          );
        if (indexWidth === 16 && Math.max(pre, post) > 0x10000)
          throw new BackendError(
            'invalid-plan',
            `${path}.attrs.indexWidth`,
            `16-bit indices need pre and post ≤ 65,536, got pre ${pre}, post ${post}`,
          );
        const offsets = buf(path, op, 'offsets', post + 1, ['int32', 'uint32']);
        const sources = buf(path, op, 'sources', Math.max(1, nnz), [offsets.spec.dtype]);
        const weightsBuf =
          weight === undefined ? buf(path, op, 'weights', Math.max(1, nnz), ['float32']) : undefined;
        if (weight !== undefined && op.bindings.weights !== undefined)
          throw new BackendError(
            'invalid-plan',
            `${path}.bindings.weights`,
            'a homogeneous weight and a weights binding exclude each other',
          );
        const delaysBuf = perEdgeDelays
          ? buf(path, op, 'delays', Math.max(1, nnz), ['int32', 'uint32'])
          : undefined;
        buf(path, op, 'spikes', pre, ['float32']);
        if (maxDelay > 0) buf(path, op, 'history', (maxDelay + 1) * pre, ['float32']);
        buf(path, op, 'out', post, ['float32']);
        // The connectivity must be known at load (it is static) and well formed.
        const o = offsets.spec.init;
        const sv = sources.spec.init;
        if (
          o === undefined ||
          typeof o === 'number' ||
          (nnz > 0 && (sv === undefined || typeof sv === 'number'))
        )
          throw new BackendError(
            'invalid-plan',
            `${path}.bindings.offsets`,
            'sparse connectivity (offsets and sources) must have initial contents',
          );
        if ((o[0] as number) !== 0 || (o[post] as number) !== nnz)
          throw new BackendError(
            'invalid-plan',
            `${path}.bindings.offsets`,
            `offsets must start at 0 and end at nnz = ${nnz}`,
          );
        let maxRow = 0;
        for (let i = 0; i < post; i++) {
          const a = o[i] as number;
          const b = o[i + 1] as number;
          if (!(a <= b))
            throw new BackendError(
              'invalid-plan',
              `${path}.bindings.offsets`,
              `offsets must be non-decreasing; row ${i} spans [${a}, ${b})`,
            );
          if (b - a > maxRow) maxRow = b - a;
          let last = 0;
          for (let e = a; e < b; e++) {
            const j = (sv as ArrayLike<number>)[e] as number;
            if (!(j >= 0 && j < pre))
              throw new BackendError(
                'invalid-plan',
                `${path}.bindings.sources`,
                `source ${e} = ${j} is outside [0, ${pre})`,
              );
            if (j < last)
              throw new BackendError(
                'invalid-plan',
                `${path}.bindings.sources`,
                `row ${i} is not sorted by source (edge ${e})`,
              );
            last = j;
          }
        }
        const values = (rb: ResolvedBuffer | undefined, what: string): ArrayLike<number> | undefined => {
          if (rb === undefined) return undefined;
          const init = rb.spec.init;
          if (nnz === 0) return new Float32Array(0);
          if (init === undefined)
            throw new BackendError(
              'invalid-plan',
              `${path}.bindings.${what}`,
              `per-connection ${what} must have initial contents`,
            );
          return typeof init === 'number' ? new Float64Array(nnz).fill(init) : (init as ArrayLike<number>);
        };
        const wv = values(weightsBuf, 'weights');
        let maxAbsWeight = weight === undefined ? 0 : Math.abs(Math.fround(weight));
        let weights: Float32Array | undefined;
        if (wv !== undefined) {
          weights = new Float32Array(nnz);
          for (let e = 0; e < nnz; e++) {
            const x = wv[e] as number;
            if (!Number.isFinite(x))
              throw new BackendError('invalid-plan', `${path}.bindings.weights`, `weight ${e} is ${x}`);
            weights[e] = x;
            const m = Math.abs(weights[e] as number);
            if (m > maxAbsWeight) maxAbsWeight = m;
          }
        }
        const dv = values(delaysBuf, 'delays');
        let delays: Uint16Array | undefined;
        let minDelay = delay;
        if (dv !== undefined) {
          delays = new Uint16Array(nnz);
          minDelay = nnz > 0 ? maxDelay : 0;
          for (let e = 0; e < nnz; e++) {
            const x = dv[e] as number;
            if (!(Number.isInteger(x) && x >= 0 && x <= maxDelay))
              throw new BackendError(
                'invalid-plan',
                `${path}.bindings.delays`,
                `delay ${e} = ${x} is outside [0, maxDelay = ${maxDelay}]`,
              );
            delays[e] = x;
            if (x < minDelay) minDelay = x;
          }
        }
        const host: SparseHost = {
          post,
          pre,
          nnz,
          offsets: o instanceof Uint32Array ? o : Uint32Array.from(o as ArrayLike<number>),
          sources:
            nnz === 0
              ? new Uint32Array(0)
              : sv instanceof Uint32Array
                ? sv
                : Uint32Array.from(sv as ArrayLike<number>),
          weights,
          weight: weight === undefined ? 0 : Math.fround(weight),
          delays,
          delay,
          minDelay,
          maxDelay,
          maxRow,
          maxAbsWeight,
          accumulate: attrs.accumulate === true,
        };
        return {
          kind,
          op,
          attrs: {
            post,
            pre,
            nnz,
            delay,
            maxDelay,
            weight,
            accumulate: attrs.accumulate === true,
            delivery,
            activity,
            indexWidth,
          },
          maxRow,
          host,
        };
      }
    }
    throw new BackendError('unsupported-op', `ops[${i}]`, `unknown op kind "${(op as { op: string }).op}"`);
  });
  return { plan, buffers, ops, key };
}

/** Validates run options against a resolved plan; returns the number of steps. */
export function checkRunOptions(r: ResolvedPlan, o: RunOptions): number {
  if (typeof o !== 'object' || o === null)
    throw new BackendError('invalid-input', '', 'run options must be an object');
  if (!Number.isInteger(o.steps) || o.steps < 0)
    throw new BackendError(
      'invalid-input',
      'steps',
      `must be a non-negative integer, got ${String(o.steps)}`,
    );
  if (o.chunk !== undefined && (!Number.isInteger(o.chunk) || o.chunk < 1))
    throw new BackendError('invalid-input', 'chunk', `must be a positive integer, got ${String(o.chunk)}`);
  for (const [name, data] of Object.entries(o.inputs ?? {})) {
    const b = r.buffers.get(name);
    if (b === undefined) throw new BackendError('invalid-input', `inputs.${name}`, 'unknown buffer');
    if (!matchesDType(b.spec.dtype, data as TypedArray))
      throw new BackendError(
        'invalid-input',
        `inputs.${name}`,
        `typed array does not match the buffer's dtype ${b.spec.dtype}`,
      );
    if (data.length !== b.size && data.length !== b.size * o.steps) {
      throw new BackendError(
        'invalid-input',
        `inputs.${name}`,
        `shape mismatch: has ${data.length} values; expected ${b.size} (constant) or ${o.steps} × ${b.size} (per step)`,
      );
    }
    if (b.spec.dtype === 'float32') {
      const f = data as Float32Array;
      for (let i = 0; i < f.length; i++) {
        if (Number.isNaN(f[i])) throw new BackendError('invalid-input', `inputs.${name}[${i}]`, 'is NaN');
      }
    }
  }
  for (const [i, name] of (o.record ?? []).entries()) {
    if (!r.buffers.has(name))
      throw new BackendError('invalid-input', `record[${i}]`, `unknown buffer "${name}"`);
  }
  return o.steps;
}

/** Initial host contents of a buffer. */
export function initialContents(b: ResolvedBuffer): TypedArray {
  const a = allocFor(b.spec.dtype, b.size);
  const init = b.spec.init;
  if (typeof init === 'number') a.fill(init);
  else if (init !== undefined) a.set(init);
  return a;
}

/** A zero-filled host array of a dtype. */
export function allocFor(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float16':
      return new Uint16Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'uint32':
      return new Uint32Array(n);
    default:
      return new Uint8Array(n);
  }
}
