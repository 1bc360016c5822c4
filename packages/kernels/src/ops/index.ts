/**
 * Every op kind of `@spark-snn/kernels`, in one list (the registry's backend-independent half; each
 * backend lists its implementations in `backends/<backend>/ops.ts`).
 *
 * @module
 */

import { compact, type ResolvedCompactOp } from './compact/op.ts';
import { concat, copy, type ResolvedConcatOp, type ResolvedCopyOp } from './copy/op.ts';
import {
  delayPerNeuron,
  delayPerSynapse,
  type ResolvedDelayPerNeuronOp,
  type ResolvedDelayPerSynapseOp,
} from './delay/op.ts';
import { denseAsync, denseSync, type ResolvedDenseOp } from './dense/op.ts';
import {
  delayRing,
  moduleEvents,
  type ResolvedDelayRingOp,
  type ResolvedModuleEventsOp,
} from './events/op.ts';
import { groupSum, type ResolvedGroupSumOp } from './group_sum/op.ts';
import { moduleOp, type ResolvedModuleOp } from './module/op.ts';
import type { OpSpec, ResolvedOpBase } from './registry.ts';
import { type ResolvedSparseOp, sparseCsr } from './sparse/op.ts';

/** The op kinds, in the order of the docs' op table. */
export const OP_SPECS = [
  moduleOp,
  denseSync,
  denseAsync,
  delayPerNeuron,
  delayPerSynapse,
  copy,
  concat,
  groupSum,
  compact,
  sparseCsr,
  moduleEvents,
  delayRing,
] as const;

/** An op kind of this package (the `op` field of a plan op). */
export type OpKind =
  | 'module'
  | 'dense.sync'
  | 'dense.async'
  | 'delay.per_neuron'
  | 'delay.per_synapse'
  | 'copy'
  | 'concat'
  | 'reduce.group_sum'
  | 'compact'
  | 'sparse.csr'
  | 'module.events'
  | 'delay.ring';

// OpKind names exactly the kinds OP_SPECS declares (a compile-time check).
type DeclaredKind = (typeof OP_SPECS)[number]['kind'];
const KINDS_AGREE: [DeclaredKind] extends [OpKind]
  ? [OpKind] extends [DeclaredKind]
    ? true
    : never
  : never = true;
void KINDS_AGREE;

/** A resolved op of any kind (the union of every op's resolved form). */
export type ResolvedOp =
  | ResolvedModuleOp
  | ResolvedDenseOp<'dense.sync'>
  | ResolvedDenseOp<'dense.async'>
  | ResolvedDelayPerNeuronOp
  | ResolvedDelayPerSynapseOp
  | ResolvedCopyOp
  | ResolvedConcatOp
  | ResolvedGroupSumOp
  | ResolvedCompactOp
  | ResolvedSparseOp
  | ResolvedModuleEventsOp
  | ResolvedDelayRingOp;

// ResolvedOp is exactly what the declarations of OP_SPECS resolve to (a compile-time check).
type DeclaredResolved = ReturnType<(typeof OP_SPECS)[number]['resolve']>;
const RESOLVED_AGREE: [DeclaredResolved] extends [ResolvedOp]
  ? [ResolvedOp] extends [DeclaredResolved]
    ? true
    : never
  : never = true;
void RESOLVED_AGREE;

/** The resolved form of op kind `K`. */
export type ResolvedOpOf<K extends OpKind> = Extract<ResolvedOp, { readonly kind: K }>;

/**
 * One backend's implementation of op kind `K` (a record of a backend's op list): `create` turns the
 * resolved op into what backend `B` runs, given the backend's context `C`.
 */
export interface OpImpl<B extends string, K extends OpKind, C, Out> {
  readonly op: K;
  readonly backend: B;
  create(r: ResolvedOpOf<K>, ctx: C): Out;
}

/** Every op kind name. */
export const OP_KINDS: readonly OpKind[] = OP_SPECS.map((s) => s.kind);

const BY_KIND = new Map<string, OpSpec<string, ResolvedOpBase>>(
  OP_SPECS.map((s) => [s.kind, s as unknown as OpSpec<string, ResolvedOpBase>]),
);

/** The declaration of op kind `kind`, or undefined for an unknown kind. */
export function opSpec(kind: string): OpSpec<string, ResolvedOp> | undefined {
  return BY_KIND.get(kind) as OpSpec<string, ResolvedOp> | undefined;
}
