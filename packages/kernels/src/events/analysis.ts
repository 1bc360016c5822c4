/**
 * Event analysis of a synapse-domain definition: what its state and outputs do in a step in which
 * an element sees no spike (every spike input 0) — the partial evaluation of `quiet.ts` — and what
 * each update reads. From it follows whether the module can run event-driven, and how:
 *
 * - a state whose quiet update is `x` (**hold**) changes only at events; one whose quiet update is
 *   `base + factor·(x − base)` with a parameter-only factor (**decay**) evolves without events by a
 *   decay that does not depend on per-synapse values;
 * - a state whose update reads only its own value, parameters and spikes/inputs indexed by the
 *   presynaptic unit (per synapse behind a delay: pre unit and delay) is the same float32 sequence for
 *   every synapse with the same presynaptic source and parameter values (**key** `pre`), one indexed
 *   by the postsynaptic unit (**key** `post`) likewise, one reading neither (**key** `all`) is one
 *   sequence per parameter class; anything else is per synapse (`synapse`);
 * - a decaying state whose update is `quiet part + increment` (affine, the increment 0 when quiet)
 *   can be summed per postsynaptic unit as it evolves: the row sum itself decays and takes the
 *   increments of the events (an **integrator**);
 * - an output whose quiet value is an input, possibly clipped (`clamp(kernel, 0, max)`,
 *   `max(0, kernel)`), is a **passthrough**: a weight update writes only at its events when the
 *   weights are kept inside the clip range (rows of postsynaptic spikes and synapses with a
 *   presynaptic event) — exactly the dense result.
 *
 * Everything here is a pure function of the typed IR and the parameters known to be zero; the
 * instance-level decisions (delays, parameter classes, consumers) are `plan.ts`'s.
 *
 * @module
 */

import type { Extent } from '../lang/ast.ts';
import type { CheckedDefinition, TExpr } from '../lang/ir.ts';
import {
  additiveTerms,
  decayFactor,
  inlineBody,
  isZero,
  leaves,
  paramOnly,
  type QuietContext,
  quiet,
  readsState,
  sameExpr,
} from './quiet.ts';

/** A port read by an update, with its extent. */
export interface PortRead {
  readonly name: string;
  readonly extent: Extent;
}

/** What an update (a state's or an output's, lets and earlier statements inlined) reads. */
export interface Reads {
  /** Spike inputs (payload `SpikeArray`). */
  readonly spikes: readonly PortRead[];
  /** Other inputs (kernel, modulation, unit traces …). */
  readonly inputs: readonly PortRead[];
  /**
   * Per-element parameters (`param:NAME`, not the known zeros) and hoisted constants (`derived:ID`, in
   * a compiled body) — the slot names of `InstanceData`.
   */
  readonly params: readonly PortRead[];
  /** States read as they were before the step (the updated one included when it reads itself). */
  readonly states: readonly string[];
  /** Random draws. */
  readonly random: boolean;
}

/** How a state evolves in a quiet element. */
export type QuietState =
  | { readonly kind: 'hold' }
  | { readonly kind: 'decay'; readonly factor: TExpr; readonly base?: TExpr }
  | { readonly kind: 'dense'; readonly reason: string };

/** Which synapses share a state's sequence (see the module comment). */
export type StateKey = 'all' | 'pre' | 'post' | 'synapse';

/** The analysis of one state variable. */
export interface StateAnalysis {
  readonly name: string;
  readonly quiet: QuietState;
  /** The whole update, over the values before the step. */
  readonly update: TExpr;
  readonly reads: Reads;
  readonly key: StateKey;
  /**
   * For an affine update `quiet part + increment`: the increment (0 in a quiet element, never
   * reading the state). Summed per row, the state is an integrator.
   */
  readonly increment?: TExpr;
}

/** What an output is in a quiet element. */
export type QuietOutput =
  | {
      readonly kind: 'passthrough';
      /** The input it passes. */
      readonly input: string;
      /** Clip bounds applied to it (parameter-only expressions); the input must stay inside them. */
      readonly lo?: TExpr;
      readonly hi?: TExpr;
    }
  | { readonly kind: 'dense'; readonly reason: string };

/** A term `coefficient·state` of an output that is linear in the states. */
export interface LinearTerm {
  readonly state: string;
  /** Parameter-only coefficient (a product of factors; sign included). */
  readonly coefficient: TExpr;
}

/** The analysis of one output. */
export interface OutputAnalysis {
  readonly name: string;
  readonly quiet: QuietOutput;
  readonly value: TExpr;
  readonly reads: Reads;
  /**
   * When the output is a linear combination of states with parameter-only coefficients (RD/RFS
   * synapses' `D − R`), each state read after its update in this step: its terms. Its row sum is then
   * the same combination of the states' row sums.
   */
  readonly linear?: readonly LinearTerm[];
}

/** The event analysis of a definition. */
export interface EventAnalysis {
  readonly definition: string;
  /** Spike inputs: an element is quiet when all of them are 0 there. */
  readonly spikes: readonly PortRead[];
  readonly states: readonly StateAnalysis[];
  readonly outputs: readonly OutputAnalysis[];
  /**
   * Whether the weight-like outputs change only at events (every output a passthrough and every
   * state held or decaying): the condition for updating only event rows and synapses.
   */
  readonly gated: boolean;
  /** Why not, when not gated. */
  readonly reasons: readonly string[];
}

/** Options of {@link analyzeEvents}. */
export interface EventAnalysisOptions {
  /** Parameters known to be 0 for every element (an instance's uniform zeros, e.g. a trace base). */
  readonly zeroParams?: Iterable<string>;
}

function readsOf(def: CheckedDefinition, e: TExpr, zero: ReadonlySet<string>): Reads {
  const spikes = new Map<string, PortRead>();
  const inputs = new Map<string, PortRead>();
  const params = new Map<string, PortRead>();
  const states = new Set<string>();
  let random = false;
  for (const l of leaves(e)) {
    if (l.k === 'input') {
      const port = def.inputs.find((p) => p.name === l.name);
      const read = { name: l.name, extent: l.extent };
      if (port?.payload === 'SpikeArray') spikes.set(l.name, read);
      else inputs.set(l.name, read);
    } else if (l.k === 'param' && l.extent !== 'scalar' && !zero.has(l.name))
      params.set(`param:${l.name}`, { name: `param:${l.name}`, extent: l.extent });
    else if (l.k === 'derived' && l.extent !== 'scalar')
      params.set(`derived:${l.id}`, { name: `derived:${l.id}`, extent: l.extent });
    else if (l.k === 'state') states.add(l.name);
    else if (l.k === 'rand') random = true;
  }
  return {
    spikes: [...spikes.values()],
    inputs: [...inputs.values()],
    params: [...params.values()],
    states: [...states],
    random,
  };
}

/** Which synapses share the sequence of a state whose update has `reads` (itself excluded). */
function keyOf(reads: Reads, self: string): StateKey {
  if (reads.random || reads.states.some((s) => s !== self)) return 'synapse';
  let pre = false;
  let post = false;
  for (const r of [...reads.spikes, ...reads.inputs]) {
    if (r.extent === 'unit') post = true;
    else if (r.extent === 'pre') pre = true;
    // A per-synapse spike is a presynaptic unit's spike behind the synapse's delay (`plan.ts`
    // checks the binding); any other per-synapse input is per synapse.
    else if (r.extent === 'synapse') {
      if (reads.spikes.includes(r)) pre = true;
      else return 'synapse';
    }
  }
  return pre && post ? 'synapse' : pre ? 'pre' : post ? 'post' : 'all';
}

/** The quiet form of a state update, when it is a hold or a decay. */
function quietState(x: string, q: TExpr): QuietState {
  if (q.k === 'state' && q.name === x) return { kind: 'hold' };
  const factor = decayFactor(q, x);
  if (factor !== undefined) return { kind: 'decay', factor };
  // base + factor·(x − base)
  if (q.k === 'binary' && q.op === '+' && paramOnly(q.a)) {
    const base = q.a;
    const m = q.b;
    if (m.k === 'binary' && m.op === '*') {
      const [f, d] = paramOnly(m.a) ? [m.a, m.b] : [m.b, m.a];
      if (
        paramOnly(f) &&
        d.k === 'binary' &&
        d.op === '-' &&
        d.a.k === 'state' &&
        d.a.name === x &&
        sameExpr(d.b, base)
      )
        return { kind: 'decay', factor: f, base };
    }
  }
  return {
    kind: 'dense',
    reason: `without spikes "${x}" is not held or decayed by parameters alone`,
  };
}

/**
 * The increment of an affine update: `update = quiet part + increment` where the terms reading the
 * state read no spike and sum to the quiet part, and the other terms vanish without spikes.
 */
function incrementOf(x: string, update: TExpr, q: QuietContext, quietUpdate: TExpr): TExpr | undefined {
  const terms = additiveTerms(update);
  const withX = terms.filter((t) => readsState(t.term, x));
  const rest = terms.filter((t) => !readsState(t.term, x));
  const noSpike = (e: TExpr) => !leaves(e).some((l) => l.k === 'input' && q.spikes.has(l.name));
  if (!withX.every((t) => noSpike(t.term))) return undefined;
  const vanishing = rest.filter((t) => isZero(quiet(t.term, q)));
  const staying = rest.filter((t) => !isZero(quiet(t.term, q)));
  if (vanishing.length === 0 || !staying.every((t) => noSpike(t.term))) return undefined;
  // The quiet update must be exactly the terms that stay (same tree), so the increment is the rest.
  const [first, ...more] = vanishing;
  if (first === undefined) return undefined;
  let inc: TExpr = first.sign > 0 ? first.term : { k: 'unary', ty: 'f32', op: '-', a: first.term };
  for (const t of more) inc = { k: 'binary', ty: 'f32', op: t.sign > 0 ? '+' : '-', a: inc, b: t.term };
  void quietUpdate;
  return inc;
}

/** The quiet form of an output: a passthrough of an input (optionally clipped), else dense. */
function quietOutput(def: CheckedDefinition, q: TExpr): QuietOutput {
  const inputOf = (e: TExpr) =>
    e.k === 'input' && def.inputs.find((p) => p.name === e.name)?.payload !== 'SpikeArray'
      ? e.name
      : undefined;
  const direct = inputOf(q);
  if (direct !== undefined) return { kind: 'passthrough', input: direct };
  if (q.k === 'math') {
    const [a, b, c] = q.args;
    if (q.fn === 'clamp' && a && b && c && paramOnly(b) && paramOnly(c)) {
      const input = inputOf(a);
      if (input !== undefined) return { kind: 'passthrough', input, lo: b, hi: c };
    }
    if ((q.fn === 'max' || q.fn === 'min') && a && b) {
      const [v, bound] = paramOnly(a) ? [b, a] : [a, b];
      const input = inputOf(v);
      if (input !== undefined && paramOnly(bound))
        return q.fn === 'max'
          ? { kind: 'passthrough', input, lo: bound }
          : { kind: 'passthrough', input, hi: bound };
    }
  }
  return {
    kind: 'dense',
    reason: 'without spikes it is not an input passed through (it changes every step)',
  };
}

const ONE: TExpr = { k: 'const', ty: 'f32', value: 1 };

function times(a: TExpr, b: TExpr): TExpr {
  if (a.k === 'const' && a.value === 1) return b;
  if (b.k === 'const' && b.value === 1) return a;
  return { k: 'binary', ty: 'f32', op: '*', a, b };
}

function negate(a: TExpr): TExpr {
  return { k: 'unary', ty: 'f32', op: '-', a };
}

/** `e` as Σ coefficient·state with parameter-only coefficients, or undefined. */
function linearTerms(e: TExpr): LinearTerm[] | undefined {
  if (e.k === 'state') return [{ state: e.name, coefficient: ONE }];
  if (e.k === 'unary' && e.op === '-') {
    const t = linearTerms(e.a);
    return t?.map((x) => ({ ...x, coefficient: negate(x.coefficient) }));
  }
  if (e.k === 'binary' && (e.op === '+' || e.op === '-')) {
    const a = linearTerms(e.a);
    const b = linearTerms(e.b);
    if (!a || !b) return undefined;
    return [...a, ...(e.op === '+' ? b : b.map((x) => ({ ...x, coefficient: negate(x.coefficient) })))];
  }
  if (e.k === 'binary' && e.op === '*') {
    const [f, v] = paramOnly(e.a) ? [e.a, e.b] : paramOnly(e.b) ? [e.b, e.a] : [undefined, undefined];
    if (!f || !v) return undefined;
    return linearTerms(v)?.map((x) => ({ ...x, coefficient: times(f, x.coefficient) }));
  }
  return undefined;
}

/** Analyses a (synapse-domain) definition for its event-driven form. */
export function analyzeEvents(def: CheckedDefinition, options: EventAnalysisOptions = {}): EventAnalysis {
  const zero = new Set(options.zeroParams ?? []);
  const spikeNames = new Set(def.inputs.filter((p) => p.payload === 'SpikeArray').map((p) => p.name));
  const q: QuietContext = { spikes: spikeNames, zeroParams: zero };
  const { states: updates, outputs: values } = inlineBody(def);
  const overStates = inlineBody(def, { keepStates: true }).outputs;
  // Statement index of each state's last assignment and of each output's.
  const assignedAt = new Map<string, number>();
  def.body.forEach((st, k) => {
    if (st.k === 'set') assignedAt.set(`${st.to}:${st.target}`, k);
  });
  const states: StateAnalysis[] = [];
  const reasons: string[] = [];
  for (const s of def.state) {
    const update = updates.get(s.name);
    const own: TExpr = { k: 'state', ty: s.type, name: s.name };
    if (update === undefined) {
      states.push({
        name: s.name,
        quiet: { kind: 'hold' },
        update: own,
        reads: readsOf(def, own, zero),
        key: 'all',
      });
      continue;
    }
    const quietUpdate = quiet(update, q);
    const form = quietState(s.name, quietUpdate);
    if (form.kind === 'dense') reasons.push(`state "${s.name}": ${form.reason}`);
    const reads = readsOf(def, update, zero);
    const increment = form.kind === 'decay' ? incrementOf(s.name, update, q, quietUpdate) : undefined;
    states.push({
      name: s.name,
      quiet: form,
      update,
      reads,
      key: keyOf(reads, s.name),
      ...(increment !== undefined ? { increment } : {}),
    });
  }
  const outputs: OutputAnalysis[] = [];
  for (const o of def.outputs) {
    const value = values.get(o.name) ?? { k: 'const', ty: 'f32', value: 0 };
    const form = quietOutput(def, quiet(value, q));
    if (form.kind === 'dense') reasons.push(`output "${o.name}": ${form.reason}`);
    // Linear in the states as updated this step (each assigned before the output).
    const at = assignedAt.get(`output:${o.name}`) ?? -1;
    const terms = linearTerms(overStates.get(o.name) ?? value);
    const linear = terms?.every((t) => (assignedAt.get(`state:${t.state}`) ?? Infinity) < at)
      ? terms
      : undefined;
    outputs.push({
      name: o.name,
      quiet: form,
      value,
      reads: readsOf(def, value, zero),
      ...(linear !== undefined ? { linear } : {}),
    });
  }
  const spikes = def.inputs
    .filter((p) => p.payload === 'SpikeArray')
    .map((p) => ({ name: p.name, extent: p.extent }));
  return { definition: def.name, spikes, states, outputs, gated: reasons.length === 0, reasons };
}
