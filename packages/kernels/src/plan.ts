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
  type RunOptions,
  shapeSize,
  type TypedArray,
} from '@spark-snn/core';
import { OP_KINDS, opSpec, type ResolvedOp } from './ops/index.ts';
import { type ResolvedBuffer, resolveContext } from './ops/registry.ts';

export type { ResolvedOp } from './ops/index.ts';
export type { ResolvedModuleOp } from './ops/module/op.ts';
export type { ResolvedBuffer } from './ops/registry.ts';

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
  const ops: ResolvedOp[] = plan.ops.map((op, i): ResolvedOp => {
    const path = `ops[${i}]`;
    const spec = opSpec(op.op);
    if (spec === undefined)
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
    return spec.resolve(op, resolveContext(op, path, plan.dt, buffers));
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
