/**
 * `module`: one instance of an equation-language definition, executed for every element of its
 * domain each step. Bindings: one per state variable, input and output of the definition; attributes
 * `definition`, `size`, `nPre?` (synapse domain), `params?`, `streamBase?`. The definition is
 * compiled and instantiated here (parameter values checked), so every backend starts from the same
 * hoisted body and derived constants.
 *
 * @module
 */

import { BackendError, type PlanOp } from '@spark-snn/core';
import type { Extent, ModuleDefinition } from '../../lang/ast.ts';
import { DefinitionError } from '../../lang/check.ts';
import {
  type CompiledModule,
  compileDefinition,
  type InstanceData,
  InstanceError,
  instantiate,
} from '../../lang/compile.ts';
import { extentLength, interpretStep, type ParamValue } from '../../lang/interpret.ts';
import { type Access, defineOp, type ResolvedOpBase } from '../registry.ts';

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

/** A `module` op, compiled and instantiated. */
export interface ResolvedModuleOp extends ResolvedOpBase<'module'> {
  readonly compiled: CompiledModule;
  readonly instance: InstanceData;
  readonly streamBase: number;
  /** Plan buffer names in the JS kernel's io order (states, inputs, outputs). */
  readonly io: readonly string[];
}

/**
 * The value of a parameter or derived slot of a module instance (`param:NAME` or `derived:ID`, the slot
 * names of the code generators): a scalar, or one value per element of its extent.
 */
export function slotValue(r: SlotOwner, slot: string): number | Float64Array {
  const [kind, name] = slot.split(':') as [string, string];
  const inst = r.instance;
  if (kind === 'param') return inst.scalarParams.get(name) ?? (inst.arrayParams.get(name) as Float64Array);
  return inst.derived[Number(name)] as number | Float64Array;
}

/** The numeric type (`f32`, `i32`, `u32`) of a parameter or derived slot. */
export function slotType(r: SlotOwner, slot: string): string {
  const [kind, name] = slot.split(':') as [string, string];
  if (kind === 'param') return r.compiled.def.params.find((p) => p.name === name)?.type ?? 'f32';
  return r.compiled.derived[Number(name)]?.ty ?? 'f32';
}

/**
 * The one value of a slot read at `extent`: a scalar's, or a per-element slot's that holds one value
 * everywhere (`uniform`); undefined when it varies by element.
 */
export function slotOne(r: SlotOwner, slot: string, extent: Extent): number | undefined {
  if (extent !== 'scalar') return r.instance.uniform.get(slot);
  const [kind, name] = slot.split(':') as [string, string];
  return kind === 'param' ? r.instance.scalarParams.get(name) : (r.instance.derived[Number(name)] as number);
}

/** What a slot belongs to: a compiled module and its instance (a module op, or its event form). */
export interface SlotOwner {
  readonly compiled: CompiledModule;
  readonly instance: InstanceData;
}

/** Compiles and instantiates a module op's definition; problems are `BackendError`s at the op's path. */
export function compileAndInstantiate(
  op: PlanOp,
  a: ModuleOpAttrs,
  dt: number,
  path: string,
): { compiled: CompiledModule; instance: InstanceData } {
  try {
    const compiled = compileDefinition(a.definition);
    const instance = instantiate(compiled, {
      size: a.size,
      dt,
      ...(a.nPre !== undefined ? { nPre: a.nPre } : {}),
      ...(a.params ? { params: a.params } : {}),
      path: `${path}.attrs.params`,
    });
    return { compiled, instance };
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
    throw new BackendError('invalid-plan', `${path}.attrs`, `module "${op.name}": ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** How a module op touches each buffer: written or read, at its own element or elsewhere. */
function touches(r: ResolvedModuleOp): Map<string, { w: boolean; elem: boolean }> {
  const own = r.compiled.def.domain === 'synapse' ? 'synapse' : 'unit';
  const m = new Map<string, { w: boolean; elem: boolean }>();
  const b = r.op.bindings;
  for (const s of r.compiled.def.state) m.set(b[s.name] as string, { w: true, elem: true });
  for (const o of r.compiled.def.outputs) m.set(b[o.name] as string, { w: true, elem: true });
  for (const p of r.compiled.def.inputs) {
    const name = b[p.name] as string;
    const prev = m.get(name);
    m.set(name, { w: prev?.w ?? false, elem: (prev?.elem ?? true) && p.extent === own });
  }
  return m;
}

/** `module`. */
export const moduleOp = defineOp<'module', ResolvedModuleOp>({
  kind: 'module',
  summary: "the definition's body for every element",
  resolve(op, c) {
    const a = c.attrs as unknown as ModuleOpAttrs;
    const { compiled, instance } = compileAndInstantiate(op, a, c.dt, c.path);
    const shape = { size: instance.size, nPre: instance.nPre };
    const io: string[] = [];
    for (const s of compiled.def.state) io.push(c.bind(s.name, instance.size, [s.storage]).spec.name);
    for (const p of compiled.def.inputs)
      io.push(c.bind(p.name, extentLength(p.extent, shape), [p.storage]).spec.name);
    for (const p of compiled.def.outputs) io.push(c.bind(p.name, instance.size, [p.storage]).spec.name);
    const sb = a.streamBase ?? 0;
    if (!Number.isInteger(sb) || sb < 0 || sb > 0xffffffff)
      throw c.error('attrs.streamBase', `must be a u32, got ${sb}`);
    return { kind: 'module', op, compiled, instance, streamBase: sb, io };
  },
  access: (r) => {
    const a: Record<string, Access> = {};
    for (const s of r.compiled.def.state) a[s.name] = 'rw';
    for (const o of r.compiled.def.outputs) a[o.name] = 'W';
    return a;
  },
  fuse: {
    key: (r) => `${r.compiled.def.domain}:${r.instance.size}:${r.instance.nPre}`,
    compatible(a, b) {
      // A buffer one of them writes must be touched by both at their own element only (a fused loop
      // interleaves them element by element), and written by one of them at most.
      const ta = touches(a);
      for (const [name, y] of touches(b)) {
        const x = ta.get(name);
        if (x === undefined) continue;
        if ((x.w || y.w) && !(x.elem && y.elem)) return false;
        if (x.w && y.w) return false;
      }
      return true;
    },
  },
  reference(r, c) {
    const def = r.compiled.def;
    const a = r.op.attrs as unknown as ModuleOpAttrs;
    const pick = (names: readonly { name: string }[]) =>
      Object.fromEntries(names.map((s) => [s.name, c.buf(s.name)]));
    const state = pick(def.state);
    const inputs = pick(def.inputs);
    const outputs = pick(def.outputs);
    return (step) =>
      interpretStep(def, {
        size: a.size,
        ...(a.nPre !== undefined ? { nPre: a.nPre } : {}),
        params: a.params ?? {},
        state,
        inputs,
        outputs,
        step,
        dt: c.dt,
        seed: c.seed,
        streamBase: r.streamBase,
      });
  },
});
