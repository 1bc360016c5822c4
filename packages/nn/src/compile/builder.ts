/**
 * Accumulates the buffers and ops of a plan while a Brain is compiled.
 *
 * Ops are collected in named *sections* so that the compiler can lower modules in execution order
 * (needed for shape inference) yet emit their ops in the order Spark calls them.
 *
 * @module
 */

import type { PayloadType } from '@spark-snn/config';
import type { Plan, PlanBuffer, PlanOp } from '@spark-snn/core';
import { shapeSize } from '@spark-snn/core';

/** A value flowing on a port: a plan buffer plus what it means. */
export interface PortValue {
  /** Plan buffer holding the value (flat, row-major). */
  readonly buffer: string;
  /** Logical shape (Spark's: e.g. `[4, 128]` for a topological spiker; async spikes `[...units, ...pre]`). */
  readonly shape: readonly number[];
  /** Payload type (Spark's class name). */
  readonly payload: PayloadType;
  /** Spikes are per synapse (`[post, pre]`), as produced by N2N delays. */
  readonly asyncSpikes?: boolean;
  /** For async spikes: the presynaptic shape (the tail of `shape`). */
  readonly preShape?: readonly number[];
  /**
   * For spikes: which source units are inhibitory (1) — the sign their spikes carry. Spikes are stored
   * signed (−1/0/+1), so this is build-time metadata (Spark keeps it in port specs).
   */
  readonly inhibitionMask?: Uint8Array;
  /** For a multi-source input: the sizes of the concatenated sources, in PortMap order. */
  readonly parts?: readonly number[];
}

/** Number of elements of a port value. */
export function portSize(v: PortValue): number {
  return shapeSize(v.shape);
}

/** Collects plan buffers and ops. */
export class PlanBuilder {
  private readonly buffers = new Map<string, PlanBuffer>();
  private readonly sections = new Map<string, PlanOp[]>();

  /** Adds a buffer; throws when the name is taken. Returns the name. */
  addBuffer(buffer: PlanBuffer): string {
    if (this.buffers.has(buffer.name)) throw new Error(`plan buffer "${buffer.name}" defined twice`);
    this.buffers.set(buffer.name, buffer);
    return buffer.name;
  }

  /** True when a buffer of that name exists. */
  hasBuffer(name: string): boolean {
    return this.buffers.has(name);
  }

  /** The buffer of that name. */
  buffer(name: string): PlanBuffer {
    const b = this.buffers.get(name);
    if (!b) throw new Error(`unknown plan buffer "${name}"`);
    return b;
  }

  /** Appends ops to a section (sections are concatenated in the order given to {@link build}). */
  addOps(section: string, ...ops: PlanOp[]): void {
    let list = this.sections.get(section);
    if (!list) {
      list = [];
      this.sections.set(section, list);
    }
    list.push(...ops);
  }

  /** Adds a fragment (buffers + op) as produced by `instantiateModule` of the kernels package. */
  addFragment(section: string, fragment: { buffers: readonly PlanBuffer[]; op: PlanOp }): void {
    for (const b of fragment.buffers) this.addBuffer(b);
    this.addOps(section, fragment.op);
  }

  /** Appends a copy of `count` elements `src[srcOffset…] → dst[dstOffset…]`. */
  copy(
    section: string,
    name: string,
    src: string,
    dst: string,
    srcOffset = 0,
    dstOffset = 0,
    count?: number,
  ): void {
    const n = count ?? shapeSize(this.buffer(src).shape);
    const whole =
      srcOffset === 0 &&
      dstOffset === 0 &&
      n === shapeSize(this.buffer(src).shape) &&
      n === shapeSize(this.buffer(dst).shape);
    this.addOps(section, {
      op: 'copy',
      name,
      bindings: { src, dst },
      ...(whole ? {} : { attrs: { srcOffset, dstOffset, count: n } }),
    });
  }

  /** The plan: every buffer and the ops of `sectionOrder`, in that order. */
  build(sectionOrder: readonly string[], dt: number, seed: number | bigint): Plan {
    const ops: PlanOp[] = [];
    for (const s of sectionOrder) ops.push(...(this.sections.get(s) ?? []));
    return { buffers: [...this.buffers.values()], ops, dt, seed };
  }
}
