/**
 * The op registry's backend-independent half: what an op kind declares once — how a plan op of that
 * kind is validated into its resolved (typed) form, and optionally its float64 reference step — and
 * the context a resolver works in. Each op kind lives in `src/ops/<op>/` with this declaration in
 * `op.ts` and one file per backend (`cpu.ts`, `webgpu.ts`, `gpujs.ts`); every backend collects its
 * implementations in one list (`backends/<backend>/ops.ts`) and dispatches through it. Adding an op
 * kind never touches a backend's program code (see CONTRIBUTING.md, "Add an op").
 *
 * @module
 */

import { BackendError, type DType, type PlanBuffer, type PlanOp } from '@spark-snn/core';

/** A plan buffer with its element count. */
export interface ResolvedBuffer {
  readonly spec: PlanBuffer;
  readonly size: number;
}

/** The fields every resolved op has: its kind and the plan op it came from. */
export interface ResolvedOpBase<K extends string = string> {
  readonly kind: K;
  readonly op: PlanOp;
}

/** What an op's resolver works with: the plan's buffers and checks that fail with a path. */
export interface ResolveContext {
  /** The op's path in the plan, e.g. `ops[3]`. */
  readonly path: string;
  /** The plan's integration step (ms). */
  readonly dt: number;
  /** The op's attributes (`{}` when absent). */
  readonly attrs: Readonly<Record<string, unknown>>;
  /** Every buffer of the plan. */
  readonly buffers: ReadonlyMap<string, ResolvedBuffer>;
  /**
   * The buffer bound to `slot`, checked: the binding exists, names a buffer of `size` elements whose
   * dtype is one of `dtypes`.
   */
  bind(slot: string, size: number, dtypes: readonly DType[]): ResolvedBuffer;
  /** The buffer bound to `slot` (the binding must exist and name a buffer; its size is not checked). */
  lookup(slot: string): ResolvedBuffer;
  /** The attribute `name` as a positive integer. */
  posInt(name: string): number;
  /** An `invalid-plan` error at `<path>.<where>` (e.g. `attrs.sizes`, `bindings.offsets`). */
  error(where: string, message: string): BackendError;
}

/** The float64 buffers of a reference execution, by plan buffer name. */
export interface ReferenceContext {
  /** The plan buffer bound to `slot` of the op, as float64. */
  buf(slot: string): Float64Array;
  /** The plan's integration step and seed (module ops). */
  readonly dt: number;
  readonly seed: number | bigint;
}

/** One step of a reference execution, given the global step counter. */
export type ReferenceStep = (step: number) => void;

/**
 * How an op uses a bound buffer in a step: `r` reads it, `w` writes some elements, `rw` reads and
 * writes, `W` writes every element every step without reading it (a fully rewritten output).
 */
export type Access = 'r' | 'w' | 'rw' | 'W';

/**
 * Which ops of a kind may run as one fused group (one loop on cpu, one dispatch on webgpu): ops whose
 * keys are equal and defined, pairwise compatible. See `ops/schedule.ts`.
 */
export interface FuseRule<R> {
  /** The index space the op runs over (e.g. domain and sizes), or undefined when it fuses with nothing. */
  key(r: R): string | undefined;
  /** Whether `b`, after `a` in a group, may run element by element interleaved with it. */
  compatible(a: R, b: R): boolean;
}

/**
 * An op kind: its name, the validation that turns a plan op into its resolved form `R`, how it uses
 * its bindings (for the dependency analyses of a backend: reordering, fusion, buffer swaps), and
 * optionally a float64 reference step (used by `ReferenceProgram`, the oracle of composite modules).
 */
export interface OpSpec<K extends string = string, R extends ResolvedOpBase<K> = ResolvedOpBase<K>> {
  readonly kind: K;
  /** One line for the op table of the docs. */
  readonly summary: string;
  /** Validates `op` completely (bindings, sizes, dtypes, attributes) and returns its resolved form. */
  resolve(op: PlanOp, ctx: ResolveContext): R;
  /** How the op uses each bound slot (slots absent from the answer are read). */
  access(r: R): Readonly<Record<string, Access>>;
  /** The fusion rule of the kind (absent: its ops never fuse). */
  readonly fuse?: FuseRule<R>;
  /**
   * For a kind that copies one binding into another unchanged (`dst = src`): the two slots. A
   * backend may then swap double buffers instead of copying (`ops/schedule.ts`).
   */
  copies?(r: R): { readonly src: string; readonly dst: string };
  /** A float64 step of a resolved op over the reference buffers. */
  reference?(r: R, ctx: ReferenceContext): ReferenceStep;
}

/** Declares an op kind (identity; it fixes the type parameters). */
export function defineOp<K extends string, R extends ResolvedOpBase<K>>(spec: OpSpec<K, R>): OpSpec<K, R> {
  return spec;
}

/** The resolve context of op `i` (see {@link ResolveContext}). */
export function resolveContext(
  op: PlanOp,
  path: string,
  dt: number,
  buffers: ReadonlyMap<string, ResolvedBuffer>,
): ResolveContext {
  const attrs = (op.attrs ?? {}) as Readonly<Record<string, unknown>>;
  const error = (where: string, message: string): BackendError =>
    new BackendError('invalid-plan', `${path}.${where}`, message);
  const lookup = (slot: string): ResolvedBuffer => {
    const name = op.bindings[slot];
    if (name === undefined)
      throw new BackendError('invalid-plan', `${path}.bindings`, `missing binding "${slot}"`);
    const b = buffers.get(name);
    if (b === undefined) throw error(`bindings.${slot}`, `unknown buffer "${name}"`);
    return b;
  };
  return {
    path,
    dt,
    attrs,
    buffers,
    lookup,
    error,
    bind(slot, size, dtypes) {
      const b = lookup(slot);
      if (b.size !== size)
        throw error(
          `bindings.${slot}`,
          `shape mismatch: buffer "${b.spec.name}" has ${b.size} elements, the op needs ${size}`,
        );
      if (!dtypes.includes(b.spec.dtype))
        throw error(
          `bindings.${slot}`,
          `buffer "${b.spec.name}" has dtype ${b.spec.dtype}, the op needs ${dtypes.join(' or ')}`,
        );
      return b;
    },
    posInt(name) {
      const v = attrs[name];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
        throw error(`attrs.${name}`, `must be a positive integer, got ${String(v)}`);
      return v;
    },
  };
}

/**
 * A per-backend table of op implementations, built from a list of `{ op, backend, … }` records.
 * Throws at construction on a duplicate; {@link BackendOpTable.get} on an op kind the backend has no
 * implementation for.
 */
export class BackendOpTable<I extends { readonly op: string; readonly backend: string }> {
  private readonly byKind = new Map<string, I>();
  readonly backend: string;

  constructor(backend: string, impls: readonly I[]) {
    this.backend = backend;
    for (const impl of impls) {
      if (impl.backend !== backend)
        throw new Error(`op registry: ${impl.op} is registered for ${impl.backend}, not ${backend}`);
      if (this.byKind.has(impl.op))
        throw new Error(`op registry: ${impl.op} is registered twice on ${backend}`);
      this.byKind.set(impl.op, impl);
    }
  }

  /** True when the backend implements `kind`. */
  has(kind: string): boolean {
    return this.byKind.has(kind);
  }

  /** Op kinds implemented on this backend. */
  kinds(): string[] {
    return [...this.byKind.keys()];
  }

  /** The implementation of `kind`. */
  get(kind: string, path: string): I {
    const impl = this.byKind.get(kind);
    if (impl === undefined)
      throw new BackendError(
        'unsupported-op',
        `${path}.op`,
        `op kind "${kind}" is not implemented on the ${this.backend} backend`,
      );
    return impl;
  }
}
