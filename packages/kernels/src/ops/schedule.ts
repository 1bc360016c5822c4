/**
 * The step schedule every compiling backend shares: from the access declarations of the op kinds
 * (`OpSpec.access`, `OpSpec.fuse`, `OpSpec.copies`), which ops run as one fused group and in what
 * order, and which copies can become swaps of double buffers. The cpu step program emits a group as
 * one loop, the webgpu backend as one dispatch; both follow this one rule, so a plan fuses the same
 * way everywhere.
 *
 * - **Fusion**: ops with equal (defined) fusion keys whose rule says they may run element by element
 *   together are brought next to each other where the dependency analysis allows — an op moves past
 *   another only when neither writes what the other reads or writes — and form one group.
 * - **Double buffers**: a copy `dst = src` whose source is rewritten completely every step by one
 *   earlier op (access `W`), read by no op before that writer, and whose destination no other op
 *   writes, can be a swap of two storages at the end of the step: both names hold the copied value
 *   after every step, as the plan says.
 *
 * @module
 */

import { opSpec, type ResolvedOp } from './index.ts';
import type { Access } from './registry.ts';

/** How one op uses each buffer it binds, by plan buffer name (a buffer bound twice: `rw` unless equal). */
export type AccessMap = ReadonlyMap<string, Access>;

/** One item of a schedule: a single op, or a fused group (ops in execution order). */
export interface ScheduleItem {
  /** The group's fusion key (undefined for an op that fuses with nothing). */
  readonly key: string | undefined;
  /** Indices of the plan's ops. */
  readonly ops: number[];
}

/** A copy that can be a swap of double buffers. */
export interface SwapCandidate {
  /** Plan buffer names: the copy's source and destination. */
  readonly src: string;
  readonly dst: string;
  /** Index of the copy op (it is not executed). */
  readonly copy: number;
  /** Positions, in the scheduled order, of the source's writer and of the copy. */
  readonly posW: number;
  readonly posC: number;
}

/** The access maps of a plan's ops (from each kind's `OpSpec.access`). */
export function accessMaps(ops: readonly ResolvedOp[]): AccessMap[] {
  return ops.map((op) => {
    const a = (opSpec(op.kind)?.access(op as never) ?? {}) as Record<string, Access>;
    const m = new Map<string, Access>();
    for (const [slot, name] of Object.entries(op.op.bindings)) {
      const x = a[slot] ?? 'r';
      const prev = m.get(name);
      m.set(name, prev === undefined || prev === x ? x : 'rw');
    }
    return m;
  });
}

/** True when ops `a` and `b` may run in either order (no buffer written by one is touched by the other). */
function commute(access: readonly AccessMap[], a: readonly number[], b: readonly number[]): boolean {
  for (const i of a)
    for (const j of b) {
      const x = access[i] as AccessMap;
      const y = access[j] as AccessMap;
      for (const [name, ax] of x) {
        const ay = y.get(name);
        if (ay === undefined) continue;
        if (ax !== 'r' || ay !== 'r') return false;
      }
    }
  return true;
}

/**
 * The ops in execution order, fusable ops grouped. `fusable(i)` says whether the backend can run op
 * `i` inside a group at all (its kind must also declare `OpSpec.fuse`).
 */
export function scheduleOps(
  ops: readonly ResolvedOp[],
  access: readonly AccessMap[],
  fusable: (i: number) => boolean,
): ScheduleItem[] {
  const items: ScheduleItem[] = [];
  const ruleOf = (i: number) => (fusable(i) ? opSpec((ops[i] as ResolvedOp).kind)?.fuse : undefined);
  const keyOf = (i: number): string | undefined => ruleOf(i)?.key(ops[i] as never);
  const fits = (members: readonly number[], i: number): boolean => {
    const f = ruleOf(i);
    return (
      f !== undefined &&
      members.every(
        (m) =>
          f.compatible(ops[m] as never, ops[i] as never) && f.compatible(ops[i] as never, ops[m] as never),
      )
    );
  };
  ops.forEach((_, i) => {
    const key = keyOf(i);
    if (key !== undefined) {
      for (let j = items.length - 1; j >= 0; j--) {
        const it = items[j] as ScheduleItem;
        if (it.key === key && fits(it.ops, i)) {
          const between = items.slice(j + 1).flatMap((x) => x.ops);
          if (commute(access, [i], between)) {
            it.ops.push(i);
            return;
          }
          if (commute(access, it.ops, between)) {
            items.splice(j, 1);
            items.push({ key, ops: [...it.ops, i] });
            return;
          }
          break;
        }
        if (!commute(access, [i], it.ops)) break;
      }
    }
    items.push({ key, ops: [i] });
  });
  return items;
}

/**
 * The copies of a schedule that can be swaps of double buffers (see the module comment); `flat` is
 * the scheduled order of the op indices and `pos` the position of each op in it. A buffer takes part
 * in one pair at most.
 */
export function findSwaps(
  ops: readonly ResolvedOp[],
  access: readonly AccessMap[],
  flat: readonly number[],
  pos: ReadonlyMap<number, number>,
): SwapCandidate[] {
  const out: SwapCandidate[] = [];
  const used = new Set<string>();
  const writersOf = (name: string): number[] =>
    flat.filter((i) => {
      const a = (access[i] as AccessMap).get(name);
      return a !== undefined && a !== 'r';
    });
  ops.forEach((op, c) => {
    const cp = opSpec(op.kind)?.copies?.(op as never);
    if (cp === undefined) return;
    const src = op.op.bindings[cp.src] as string;
    const dst = op.op.bindings[cp.dst] as string;
    if (used.has(src) || used.has(dst) || src === dst) return;
    const posC = pos.get(c) as number;
    const ws = writersOf(src);
    const wd = writersOf(dst);
    if (ws.length !== 1 || wd.length !== 1 || wd[0] !== c) return;
    const w = ws[0] as number;
    const posW = pos.get(w) as number;
    if ((access[w] as AccessMap).get(src) !== 'W' || (access[w] as AccessMap).has(dst) || posW > posC) return;
    // No op reads the source before its writer (its value there would be the copy's).
    for (const i of flat.slice(0, posW)) if ((access[i] as AccessMap).has(src)) return;
    used.add(src);
    used.add(dst);
    out.push({ src, dst, copy: c, posW, posC });
  });
  return out;
}
