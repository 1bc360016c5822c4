/**
 * The event form of a `module.events` op as statements: what each phase of the step computes (see
 * `cpu.ts` for the phases), in the module's own typed IR, so the JavaScript (`cpu.ts`) and the
 * WebAssembly (`wasm.ts`) emitters run the same arithmetic — one description, two targets.
 *
 * Sub-expressions that are the same for every element of a step (scalars, uniform slots, scalar inputs
 * such as a modulation) are hoisted into `hoisted`: lets computed once at the start of the step, read
 * by every phase as locals (the same float32 values).
 *
 * @module
 */

import type { CompiledModule, InstanceData } from '../lang/compile.ts';
import { childrenOf, mapChildren, type TExpr, type TStmt } from '../lang/ir.ts';
import { analyzeEvents, type EventAnalysis } from './analysis.ts';
import { type ModuleEventsAttrs, zeroParamsOf } from './plan.ts';
import { leaves, quiet } from './quiet.ts';

/** One shared state's update: its statements, run once per key (and class). */
export interface SharedPhase {
  readonly state: string;
  readonly key: ModuleEventsAttrs['shared'][string];
  readonly statements: readonly TStmt[];
}

/** One integrator: its decay factor (`let f_NAME`) and the increment of an arriving event (`let d_NAME`). */
export interface IntegratorPhase {
  readonly name: string;
  readonly factor: readonly TStmt[];
  readonly increment: readonly TStmt[];
}

/** The statements of every phase of a `module.events` op. */
export interface EventForm {
  readonly analysis: EventAnalysis;
  /** The delayed spike input (bound behind a ring), if any. */
  readonly delayedInput?: string;
  /** Ring slots (1 without a delayed input). */
  readonly slots: number;
  /** Spike inputs of the postsynaptic units (rows) and of the presynaptic units (columns, direct). */
  readonly postInputs: readonly string[];
  readonly preInputs: readonly string[];
  /** Inputs and states stored as float16. */
  readonly halfInputs: ReadonlySet<string>;
  readonly halfStates: ReadonlySet<string>;
  readonly shared: readonly SharedPhase[];
  readonly integrators: readonly IntegratorPhase[];
  /** `@rows` as a linear combination: per term, the state and its coefficient (`let cN`). */
  readonly rowTerms?: readonly { readonly state: string; readonly coefficient: readonly TStmt[] }[];
  /** An event site's statements (every output updated in place), and the same with the delayed spike 0. */
  readonly site?: readonly TStmt[];
  readonly siteQuiet?: readonly TStmt[];
  /**
   * The site of a synapse whose post unit did not spike (an arrival or a spiking column's synapse
   * outside the spiking rows): the post units' spike inputs 0 and the zeros propagated.
   */
  readonly siteNoPost?: readonly TStmt[];
  /** The step's invariants (run first). */
  readonly hoisted: readonly TStmt[];
}

/** The event form of `module.events` op attributes `a` over compiled module `c` and its instance. */
export function eventForm(a: ModuleEventsAttrs, c: CompiledModule, inst: InstanceData): EventForm {
  const analysis = analyzeEvents({ ...c.def, body: c.body }, { zeroParams: zeroParamsOf(c, inst) });
  const delayed = Object.entries(a.events).find(([, e]) => e.source === 'delayed');
  const slots = delayed?.[1].source === 'delayed' ? delayed[1].slots : 1;
  const postInputs = Object.entries(a.events)
    .filter(([, e]) => e.source === 'direct' && e.extent === 'unit')
    .map(([n]) => n);
  const preInputs = Object.entries(a.events)
    .filter(([, e]) => e.source === 'direct' && e.extent === 'pre')
    .map(([n]) => n);

  const hoisted: TStmt[] = [];
  const hoistedBy = new Map<string, string>();
  const taken = new Set(c.body.flatMap((st) => (st.k === 'let' ? [st.name] : [])));
  const invariantLeaf = (l: TExpr): boolean =>
    l.k === 'const' ||
    l.k === 'dt' ||
    (l.k === 'param' && (l.extent === 'scalar' || inst.uniform.has(`param:${l.name}`))) ||
    (l.k === 'derived' && (l.extent === 'scalar' || inst.uniform.has(`derived:${l.id}`))) ||
    (l.k === 'input' && l.extent === 'scalar' && a.events[l.name] === undefined);
  const hoist = (e: TExpr): TExpr => {
    if (childrenOf(e).length > 0 && leaves(e).every(invariantLeaf)) {
      const key = JSON.stringify(e);
      let name = hoistedBy.get(key);
      if (name === undefined) {
        let n = hoistedBy.size;
        while (taken.has(`inv${n}`)) n++;
        name = `inv${n}`;
        taken.add(name);
        hoistedBy.set(key, name);
        hoisted.push({ k: 'let', name, value: e });
      }
      return { k: 'local', ty: e.ty, name };
    }
    return mapChildren(e, hoist);
  };
  const hoistAll = (statements: readonly TStmt[]): TStmt[] =>
    statements.map((st) => ({ ...st, value: hoist(st.value) }));
  const letOf = (name: string, value: TExpr): TStmt[] => hoistAll([{ k: 'let', name, value }]);

  const shared = Object.entries(a.shared).map(([state, key]) => ({
    state,
    key,
    statements: hoistAll(slice(c.body, [`state:${state}`])),
  }));

  const integrators = a.integrators.map((name) => {
    const s = analysis.states.find((x) => x.name === name);
    if (s?.quiet.kind !== 'decay' || !s.increment) throw new Error(`events: "${name}" is not an integrator`);
    return { name, factor: letOf(`f_${name}`, s.quiet.factor), increment: s.increment };
  });
  if (integrators.length > 0 && !delayed && preInputs.length === 0)
    throw new Error('events: an integrator without presynaptic events');
  const withIncrements = integrators.map((g) => ({ ...g, increment: letOf(`d_${g.name}`, g.increment) }));

  let rowTerms: EventForm['rowTerms'];
  const rows = a.rows;
  if (integrators.length > 0 && rows && !('state' in rows)) {
    const out = analysis.outputs.find((o) => o.name === rows.output);
    if (!out?.linear) throw new Error(`events: output "${rows.output}" is not linear in the states`);
    rowTerms = out.linear.map((t, n) => ({ state: t.state, coefficient: letOf(`c${n}`, t.coefficient) }));
  }

  const inPlace = Object.keys(a.inPlace);
  let site: TStmt[] | undefined;
  let siteQuiet: TStmt[] | undefined;
  let siteNoPost: TStmt[] | undefined;
  if (inPlace.length > 0) {
    // The whole element but the shared states' statements: it reads their values of this step (the
    // dense element's locals, which are float32 values — the code rounds every operation).
    const targets = inPlace.map((o) => `output:${o}`);
    site = hoistAll(slice(c.body, targets));
    // Most synapses of a spiking row see no presynaptic spike: for them the element with that spike 0
    // and the zeros propagated (`quiet.ts`: exact for the weight written, which is never −0 — it is
    // clipped into range).
    if (delayed) siteQuiet = withoutSpike(hoistAll(slice(c.body, targets)), delayed[0]);
    // Outside the spiking rows every post unit's spike input is 0 (the rows' flag is their `!= 0`).
    siteNoPost = postInputs.reduce((st, n) => withoutSpike(st, n), site);
  }

  return {
    analysis,
    ...(delayed ? { delayedInput: delayed[0] } : {}),
    slots,
    postInputs,
    preInputs,
    halfInputs: new Set(c.def.inputs.filter((p) => p.storage === 'float16').map((p) => p.name)),
    halfStates: new Set(c.def.state.filter((s) => s.storage === 'float16').map((s) => s.name)),
    shared,
    integrators: withIncrements,
    ...(rowTerms ? { rowTerms } : {}),
    ...(site ? { site } : {}),
    ...(siteQuiet ? { siteQuiet } : {}),
    ...(siteNoPost ? { siteNoPost } : {}),
    hoisted,
  };
}

/**
 * The statements that assignments to `targets` (`state:NAME`, `output:NAME`) need, in body order:
 * those assignments and the lets they read (transitively). States they read are read, not assigned.
 */
export function slice(body: readonly TStmt[], targets: readonly string[]): TStmt[] {
  const want = new Set(targets);
  const need = new Set<string>();
  const out: TStmt[] = [];
  for (let k = body.length - 1; k >= 0; k--) {
    const st = body[k] as TStmt;
    const hit = st.k === 'set' ? want.has(`${st.to}:${st.target}`) : need.has(st.name);
    if (!hit) continue;
    for (const l of leaves(st.value)) if (l.k === 'local') need.add(l.name);
    out.unshift(st);
  }
  return out;
}

/**
 * The statements with spike input `input` read as 0 and the zeros propagated through the lets
 * (`quiet`): what an element computes when that spike is 0.
 */
function withoutSpike(statements: readonly TStmt[], input: string): TStmt[] {
  const q = { spikes: new Set([input]), zeroParams: new Set<string>() };
  const consts = new Map<string, TExpr>();
  const sub = (e: TExpr): TExpr => (e.k === 'local' ? (consts.get(e.name) ?? e) : mapChildren(e, sub));
  return statements.map((st) => {
    const value = quiet(sub(st.value), q);
    if (st.k === 'let' && value.k === 'const') consts.set(st.name, value);
    return { ...st, value };
  });
}

/**
 * Where an event form's element reads input `name` (of extent `extent`): the element's delayed spike
 * (`spike`, the name of its local), or the input at the index variable of its extent (`zero` for a
 * scalar input). Throws where the element does not know it.
 */
export function eventInputAt(
  a: ModuleEventsAttrs,
  name: string,
  extent: string,
  v: { readonly k?: string; readonly i?: string; readonly j?: string },
  spike: string | undefined,
  zero: string,
): { readonly spike: string } | { readonly index: string } {
  if (a.events[name]?.source === 'delayed') {
    if (spike === undefined) throw new Error(`events: spike "${name}" read where it is not known`);
    return { spike };
  }
  const index = extent === 'scalar' ? zero : extent === 'synapse' ? v.k : extent === 'unit' ? v.i : v.j;
  if (index === undefined)
    throw new Error(`events: input "${name}" (${extent}) read where that index is not known`);
  return { index };
}
