/**
 * The op kinds of the event-driven synapse domain (`events/plan.ts` writes them into a plan):
 *
 * - `module.events`: a synapse-domain module run at its events — shared traces per (delay, pre unit,
 *   class) / (post unit, class) / class, per-row integrators of traces that a row sum reads, weights
 *   updated in place at the synapses of spiking units ({@link ModuleEventsAttrs});
 * - `delay.ring`: the push half of `delay.per_synapse` (bindings `input` [pre], `ring` [slots × pre]),
 *   when no op reads per-synapse spikes any more.
 *
 * No float64 reference: a plan in event form is compared with its dense plan, which has one.
 *
 * @module
 */

import type { DelayRingAttrs, ModuleEventsAttrs } from '../../events/plan.ts';
import type { CompiledModule, InstanceData } from '../../lang/compile.ts';
import { compileAndInstantiate } from '../module/op.ts';
import { type Access, defineOp, type ResolvedOpBase } from '../registry.ts';

/** A resolved `module.events` op. */
export interface ResolvedModuleEventsOp extends ResolvedOpBase<'module.events'> {
  readonly attrs: ModuleEventsAttrs;
  readonly compiled: CompiledModule;
  readonly instance: InstanceData;
  readonly streamBase: number;
}

/** A resolved `delay.ring` op. */
export interface ResolvedDelayRingOp extends ResolvedOpBase<'delay.ring'> {
  readonly attrs: DelayRingAttrs;
}

/** `module.events`. */
export const moduleEvents = defineOp<'module.events', ResolvedModuleEventsOp>({
  kind: 'module.events',
  summary: 'a synapse-domain module at its events: shared traces, row integrators, in-place weights',
  resolve(op, c) {
    const a = c.attrs as unknown as ModuleEventsAttrs;
    const { compiled, instance } = compileAndInstantiate(op, a, c.dt, c.path);
    if (compiled.def.domain !== 'synapse')
      throw c.error('attrs.definition', 'an event-driven module is synapse-domain');
    if (a.post * a.pre !== a.size || a.pre !== instance.nPre)
      throw c.error(
        'attrs',
        `post ${a.post} × pre ${a.pre} does not match size ${a.size} / nPre ${instance.nPre}`,
      );
    const C = a.classes;
    if (!Number.isInteger(C) || C < 1 || a.representatives.length !== C)
      throw c.error(
        'attrs.classes',
        `${C} classes need as many representatives (got ${a.representatives.length})`,
      );
    for (const r of a.representatives)
      if (!Number.isInteger(r) || r < 0 || r >= a.size)
        throw c.error('attrs.representatives', `${r} is not a synapse`);
    if (C > 1) c.bind('@classes', a.size, ['int32']);
    let slots = 0;
    for (const [name, ev] of Object.entries(a.events)) {
      const port = compiled.def.inputs.find((p) => p.name === name);
      if (port?.payload !== 'SpikeArray') throw c.error(`attrs.events.${name}`, 'is not a spike input');
      if (ev.source === 'delayed') {
        slots = ev.slots;
        c.bind(`${name}@ring`, a.pre * ev.slots, ['float32']);
        c.bind(`${name}@delays`, a.size, ['int32', 'uint32']);
        c.bind(`${name}@offsets`, ev.slots * a.pre + 1, ['int32']);
        c.bind(`${name}@posts`, a.size, ['int32']);
      } else c.bind(name, ev.extent === 'unit' ? a.post : a.pre, [port.storage]);
    }
    for (const p of compiled.def.inputs)
      if (p.payload !== 'SpikeArray')
        c.bind(
          p.name,
          p.extent === 'scalar' ? 1 : p.extent === 'unit' ? a.post : p.extent === 'pre' ? a.pre : a.size,
          [p.storage],
        );
    for (const [name, key] of Object.entries(a.shared)) {
      const keys = key === 'all' ? 1 : key === 'post' ? a.post : slots > 0 ? slots * a.pre : a.pre;
      c.bind(name, keys * C, ['float32']);
    }
    for (const name of a.integrators) c.bind(name, a.post, ['float32']);
    if (a.rows) c.bind('@rows', a.post, ['float32']);
    const sb = a.streamBase ?? 0;
    if (!Number.isInteger(sb) || sb < 0 || sb > 0xffffffff)
      throw c.error('attrs.streamBase', `must be a u32, got ${sb}`);
    return { kind: 'module.events', op, attrs: a, compiled, instance, streamBase: sb };
  },
  access(r) {
    // Written: the shared states, the integrators, `@rows` (rewritten whole where there are
    // integrators) and the inputs updated in place; every other binding is read.
    const a = r.attrs;
    const out: Record<string, Access> = {};
    for (const name of Object.keys(a.shared)) out[name] = 'rw';
    for (const name of a.integrators) out[name] = 'rw';
    if (a.integrators.length > 0 && a.rows) out['@rows'] = 'W';
    for (const input of Object.values(a.inPlace)) out[input] = 'rw';
    return out;
  },
});

/** `delay.ring`. */
export const delayRing = defineOp<'delay.ring', ResolvedDelayRingOp>({
  kind: 'delay.ring',
  summary: 'push the input into row t mod slots of a delay ring',
  resolve(op, c) {
    const pre = c.posInt('pre');
    const slots = c.posInt('slots');
    c.bind('input', pre, ['float32']);
    c.bind('ring', pre * slots, ['float32']);
    return { kind: 'delay.ring', op, attrs: { pre, slots } };
  },
  access: () => ({ ring: 'rw' }),
});
