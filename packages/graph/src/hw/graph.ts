/**
 * The channel-level hardware graph (Rockpool semantics, our own types).
 *
 * A graph is a bipartite structure of **modules** (weights, neuron populations, aliases) and
 * **channels** (one scalar wire each). Modules list their input and output channel ids in order;
 * each channel records, in registration order, the modules that write it (`sources`) and read it
 * (`sinks`). Several sources on one channel = summation (fan-in); several sinks = fan-out.
 *
 * Differences from Rockpool, on purpose: ids instead of object identity; every operation returns a
 * **new graph** and never mutates its argument; holders (boundaries) are plain named channel lists
 * kept in the graph, so they can never be a channel's source or sink and they stay up to date when
 * channels are merged.
 *
 * @module
 */
import { diag, GraphError } from '../diagnostics.ts';
import type { Tensor } from '../tensor.ts';
import { appendUnique } from './setlist.ts';

/** Id of a channel (one scalar wire). */
export type ChannelId = number;
/** Id of a module (unique string within a graph). */
export type ModuleId = string;

/** Fields shared by every module. */
export interface HwModuleBase {
  readonly id: ModuleId;
  /** Human-readable name (defaults to the id). */
  readonly name: string;
  /** Ordered input channels. */
  readonly inputs: readonly ChannelId[];
  /** Ordered output channels; for neurons, output i is neuron i. */
  readonly outputs: readonly ChannelId[];
  /** Where the module came from: a NIR node path or a Brain module name. */
  readonly origin?: string;
}

/** A generic computational module (Rockpool `GraphModule`) or generic neuron population (`GenericNeurons`). */
export interface GenericModule extends HwModuleBase {
  readonly kind: 'module' | 'neurons';
  /** Free parameters of a user-defined module. */
  readonly params?: Readonly<Record<string, unknown>>;
}

/** A dense weight matrix, **input-major**: `weights.shape = [nIn, nOut]` (transposed w.r.t. NIR). */
export interface LinearWeights extends HwModuleBase {
  readonly kind: 'linear';
  readonly weights: Tensor;
  /** Optional bias `[nOut]` (not transferable to Xylo). */
  readonly bias?: Tensor;
}

/**
 * Real-valued LIF neurons with `S = inputs/outputs` exponential synapses per neuron.
 * Input channel index = `neuron * S + synapse` (neuron-major). Times in seconds.
 * `tauSyn[k] <= 0` means "no synaptic filter" (NIR `LIF`).
 */
export interface LifNeurons extends HwModuleBase {
  readonly kind: 'lif';
  readonly tauMem: Float64Array;
  readonly tauSyn: Float64Array;
  readonly threshold: Float64Array;
  readonly bias: Float64Array;
  readonly dt?: number;
}

/** Real-valued rate neurons (no mapper consumes them). */
export interface RateNeurons extends HwModuleBase {
  readonly kind: 'rate';
  readonly tau: Float64Array;
  readonly bias: Float64Array;
  readonly dt?: number;
}

/** Copies spikes of input channel i onto output channel i (residual sums on Xylo). */
export interface AliasConnection extends HwModuleBase {
  readonly kind: 'alias';
}

/** Xylo-specific neurons after conversion (dash values unrounded until quantised). */
export interface XyloNeurons extends HwModuleBase {
  readonly kind: 'xylo.hidden' | 'xylo.output';
  /** Profile id the module was converted for. */
  readonly device: string;
  /** Allocated hardware ids (empty until allocation). */
  readonly hwIds: readonly number[];
  readonly threshold: Float64Array;
  readonly bias: Float64Array;
  readonly dashMem: Float64Array;
  /** `[N]` or `[2N]` interleaved per neuron. */
  readonly dashSyn: Float64Array;
  readonly dt: number;
}

/** Any module of a hardware graph. */
export type HwModule =
  | GenericModule
  | LinearWeights
  | LifNeurons
  | RateNeurons
  | AliasConnection
  | XyloNeurons;

/** Kind names of the built-in modules. */
export type HwModuleKind = HwModule['kind'];

/** A module description without channels (what builders and converters produce). */
export type HwModuleSpec = HwModule extends infer M
  ? M extends HwModule
    ? Omit<M, 'id' | 'inputs' | 'outputs' | 'name'> & { name?: string }
    : never
  : never;

/** Registration record of one channel. */
export interface ChannelInfo {
  readonly sources: readonly ModuleId[];
  readonly sinks: readonly ModuleId[];
}

/** A boundary: input and output channel lists (Rockpool's `GraphHolder`), never on a channel. */
export interface Boundary {
  readonly name: string;
  readonly inputs: readonly ChannelId[];
  readonly outputs: readonly ChannelId[];
}

/** An immutable hardware graph. */
export interface HwGraph {
  readonly modules: ReadonlyMap<ModuleId, HwModule>;
  readonly channels: ReadonlyMap<ChannelId, ChannelInfo>;
  /** Named boundaries (holders), kept up to date by every operation. */
  readonly holders: ReadonlyMap<string, Boundary>;
  /** The graph's own boundary (inputs of the network). */
  readonly inputs: readonly ChannelId[];
  /** The graph's own boundary (outputs of the network). */
  readonly outputs: readonly ChannelId[];
  /** Next free channel id. */
  readonly nextChannel: number;
}

// ---------------------------------------------------------------------------------------------
// Kind hierarchy (isinstance)

const KIND_PARENTS = new Map<string, string>([
  ['neurons', 'module'],
  ['linear', 'module'],
  ['alias', 'module'],
  ['lif', 'neurons'],
  ['rate', 'neurons'],
  ['xylo.hidden', 'neurons'],
  ['xylo.output', 'neurons'],
]);

/** True when `kind` is `base` or derives from it (`lif` is a `neurons` is a `module`). */
export function isKindOf(kind: string, base: string): boolean {
  let k: string | undefined = kind;
  while (k !== undefined) {
    if (k === base) return true;
    k = KIND_PARENTS.get(k);
  }
  return false;
}

/** True for neuron populations (Rockpool `isinstance(m, GenericNeurons)`). */
export function isNeurons(m: HwModule): boolean {
  return isKindOf(m.kind, 'neurons');
}

// ---------------------------------------------------------------------------------------------
// Mutable working copy used inside operations

interface Draft {
  modules: Map<ModuleId, HwModule>;
  channels: Map<ChannelId, { sources: ModuleId[]; sinks: ModuleId[] }>;
  holders: Map<string, Boundary>;
  inputs: ChannelId[];
  outputs: ChannelId[];
  nextChannel: number;
}

function draft(g: HwGraph): Draft {
  const channels = new Map<ChannelId, { sources: ModuleId[]; sinks: ModuleId[] }>();
  for (const [id, c] of g.channels) channels.set(id, { sources: [...c.sources], sinks: [...c.sinks] });
  return {
    modules: new Map(g.modules),
    channels,
    holders: new Map(g.holders),
    inputs: [...g.inputs],
    outputs: [...g.outputs],
    nextChannel: g.nextChannel,
  };
}

function freeze(d: Draft): HwGraph {
  return {
    modules: d.modules,
    channels: d.channels,
    holders: d.holders,
    inputs: d.inputs,
    outputs: d.outputs,
    nextChannel: d.nextChannel,
  };
}

function fail(code: string, path: string, message: string): never {
  throw new GraphError(diag('error', code, path, message));
}

/** An empty graph. */
export function emptyGraph(): HwGraph {
  return {
    modules: new Map(),
    channels: new Map(),
    holders: new Map(),
    inputs: [],
    outputs: [],
    nextChannel: 0,
  };
}

/** Module by id, or a thrown {@link GraphError}. */
export function getModule(g: HwGraph, id: ModuleId): HwModule {
  const m = g.modules.get(id);
  if (!m) fail('graph.unknown-module', id, `No module with id "${id}"`);
  return m;
}

/** Channel registration, or empty lists for an unregistered channel. */
export function channelInfo(g: HwGraph, c: ChannelId): ChannelInfo {
  return g.channels.get(c) ?? { sources: [], sinks: [] };
}

function uniqueId(modules: ReadonlyMap<ModuleId, unknown>, base: string): ModuleId {
  if (!modules.has(base)) return base;
  for (let i = 1; ; i++) if (!modules.has(`${base}_${i}`)) return `${base}_${i}`;
}

function validateModule(m: HwModule): void {
  const nIn = m.inputs.length;
  const nOut = m.outputs.length;
  switch (m.kind) {
    case 'linear': {
      const s = m.weights.shape;
      if (s.length !== 2 || s[0] !== nIn || s[1] !== nOut) {
        fail(
          'graph.weight-shape',
          m.id,
          `weights have shape [${s.join(', ')}], expected [${nIn}, ${nOut}] (input-major)`,
        );
      }
      if (m.bias && (m.bias.shape.length !== 1 || m.bias.shape[0] !== nOut)) {
        fail('graph.bias-shape', m.id, `bias has shape [${m.bias.shape.join(', ')}], expected [${nOut}]`);
      }
      break;
    }
    case 'alias':
      if (nIn !== nOut)
        fail('graph.alias-arity', m.id, `AliasConnection needs as many inputs (${nIn}) as outputs (${nOut})`);
      break;
    case 'lif': {
      if (nOut > 0 && nIn % nOut !== 0)
        fail('graph.synapses', m.id, `${nIn} inputs is not a multiple of ${nOut} neurons`);
      const check = (name: string, a: Float64Array, n: number): void => {
        if (a.length !== n)
          fail('graph.param-shape', `${m.id}.${name}`, `${name} has ${a.length} values, expected ${n}`);
      };
      check('tauMem', m.tauMem, nOut);
      check('tauSyn', m.tauSyn, nIn);
      check('threshold', m.threshold, nOut);
      check('bias', m.bias, nOut);
      break;
    }
    case 'rate':
      if (m.tau.length !== nOut)
        fail('graph.param-shape', `${m.id}.tau`, `tau has ${m.tau.length} values, expected ${nOut}`);
      break;
    default:
      break;
  }
}

function register(d: Draft, m: HwModule): void {
  for (const c of m.inputs) {
    let info = d.channels.get(c);
    if (!info) {
      info = { sources: [], sinks: [] };
      d.channels.set(c, info);
    }
    appendUnique(info.sinks, m.id);
  }
  for (const c of m.outputs) {
    let info = d.channels.get(c);
    if (!info) {
      info = { sources: [], sinks: [] };
      d.channels.set(c, info);
    }
    appendUnique(info.sources, m.id);
  }
}

function unregister(d: Draft, m: HwModule): void {
  for (const c of m.inputs) {
    const info = d.channels.get(c);
    if (info) info.sinks = info.sinks.filter((x) => x !== m.id);
  }
  for (const c of m.outputs) {
    const info = d.channels.get(c);
    if (info) info.sources = info.sources.filter((x) => x !== m.id);
  }
}

/** Options of {@link addModule}. */
export interface AddModuleOptions {
  /** Existing channels to use as inputs (else `nIn` fresh ones). */
  inputs?: readonly ChannelId[];
  /** Existing channels to use as outputs (else `nOut` fresh ones). */
  outputs?: readonly ChannelId[];
  /** Requested id (made unique with `_1`, `_2`… suffixes). Defaults to the name or the kind. */
  id?: string;
}

/**
 * Adds a module. With `nIn`/`nOut` it gets fresh channels (Rockpool `_factory`, `nIn = 0` allowed);
 * with explicit `inputs`/`outputs` it is wired to existing channels and registers itself on them
 * (this is how recurrent weights and aliases close loops without a connect call).
 *
 * @returns the new graph and the id of the module.
 */
export function addModule(
  g: HwGraph,
  spec: HwModuleSpec,
  nIn: number,
  nOut: number,
  options: AddModuleOptions = {},
): { graph: HwGraph; id: ModuleId } {
  const d = draft(g);
  const inputs = options.inputs ? [...options.inputs] : [];
  const outputs = options.outputs ? [...options.outputs] : [];
  if (!options.inputs) for (let i = 0; i < nIn; i++) inputs.push(d.nextChannel++);
  if (!options.outputs) for (let i = 0; i < nOut; i++) outputs.push(d.nextChannel++);
  const id = uniqueId(d.modules, options.id ?? spec.name ?? spec.kind);
  const m = { ...spec, id, name: spec.name ?? id, inputs, outputs } as HwModule;
  validateModule(m);
  d.modules.set(id, m);
  register(d, m);
  return { graph: freeze(d), id };
}

/** Allocates `n` fresh, unregistered channels. */
export function addChannels(g: HwGraph, n: number): { graph: HwGraph; channels: ChannelId[] } {
  const d = draft(g);
  const channels: ChannelId[] = [];
  for (let i = 0; i < n; i++) {
    const c = d.nextChannel++;
    d.channels.set(c, { sources: [], sinks: [] });
    channels.push(c);
  }
  return { graph: freeze(d), channels };
}

/** Sets the graph's own boundary. */
export function withBoundary(
  g: HwGraph,
  inputs: readonly ChannelId[],
  outputs: readonly ChannelId[],
): HwGraph {
  return { ...g, inputs: [...inputs], outputs: [...outputs] };
}

/** Adds or replaces a named holder (boundary). */
export function setHolder(g: HwGraph, holder: Boundary): HwGraph {
  const holders = new Map(g.holders);
  holders.set(holder.name, { name: holder.name, inputs: [...holder.inputs], outputs: [...holder.outputs] });
  return { ...g, holders };
}

/** Boundary of a module, holder name or the graph itself (`'graph'` or omitted). */
export function boundaryOf(g: HwGraph, ref?: ModuleId | Boundary): Boundary {
  if (ref === undefined || ref === 'graph') return { name: 'graph', inputs: g.inputs, outputs: g.outputs };
  if (typeof ref !== 'string') return ref;
  const h = g.holders.get(ref);
  if (h) return h;
  const m = getModule(g, ref);
  return { name: m.id, inputs: m.inputs, outputs: m.outputs };
}

/** Rockpool's `as_GraphHolder`: a boundary with the same channels and name as the module. */
export function asHolder(g: HwGraph, id: ModuleId, name = id): Boundary {
  const m = getModule(g, id);
  return { name, inputs: [...m.inputs], outputs: [...m.outputs] };
}

function mapChannels(list: readonly ChannelId[], resolve: (c: ChannelId) => ChannelId): ChannelId[] {
  return list.map(resolve);
}

/**
 * Merges channel pairs `(keep[k], drop[k])`: every use of `drop[k]` becomes `keep[k]`, and the
 * dropped channel's sources and sinks are appended (deduplicated) to the kept one.
 */
function mergeChannels(d: Draft, keep: readonly ChannelId[], drop: readonly ChannelId[]): void {
  const parent = new Map<ChannelId, ChannelId>();
  const resolve = (c: ChannelId): ChannelId => {
    let x = c;
    for (let guard = 0; parent.has(x) && guard < 1e7; guard++) x = parent.get(x)!;
    return x;
  };
  for (let k = 0; k < keep.length; k++) {
    const s = resolve(keep[k]!);
    const t = resolve(drop[k]!);
    if (s === t) continue;
    let si = d.channels.get(s);
    if (!si) {
      si = { sources: [], sinks: [] };
      d.channels.set(s, si);
    }
    const ti = d.channels.get(t) ?? { sources: [], sinks: [] };
    for (const x of ti.sinks) appendUnique(si.sinks, x);
    for (const x of ti.sources) appendUnique(si.sources, x);
    d.channels.delete(t);
    parent.set(t, s);
  }
  if (parent.size === 0) return;
  for (const [id, m] of d.modules) {
    if (m.inputs.some((c) => parent.has(c)) || m.outputs.some((c) => parent.has(c))) {
      d.modules.set(id, {
        ...m,
        inputs: mapChannels(m.inputs, resolve),
        outputs: mapChannels(m.outputs, resolve),
      });
    }
  }
  for (const [name, h] of d.holders) {
    d.holders.set(name, {
      name,
      inputs: mapChannels(h.inputs, resolve),
      outputs: mapChannels(h.outputs, resolve),
    });
  }
  d.inputs = mapChannels(d.inputs, resolve);
  d.outputs = mapChannels(d.outputs, resolve);
}

/** Something that has a boundary: a module id, a holder name, `'graph'` or an explicit boundary. */
export type Endpoint = ModuleId | Boundary;

/**
 * Connects `src`'s output channels to `dst`'s input channels (Rockpool `connect_modules`).
 *
 * Each destination input channel is merged into the corresponding source output channel: the
 * source's channels survive, the destination's are dropped, and everything that used them (the
 * destination, pass-through outputs, holders, the graph boundary) now uses the source's channels.
 *
 * **Fan-in merge:** connecting a second source `c` into a destination already fed by `a` merges
 * `a`'s and `c`'s output channels (both now write the same channels = summation, and everyone
 * reading `a` now also reads `c`). Use {@link sumInto} to make that intent explicit.
 *
 * @param srcIdx subset of source outputs (default: all)
 * @param dstIdx subset of destination inputs (default: all)
 * @throws GraphError when the two index lists differ in length
 */
export function connect(
  g: HwGraph,
  src: Endpoint,
  dst: Endpoint,
  srcIdx?: readonly number[],
  dstIdx?: readonly number[],
): HwGraph {
  const s = boundaryOf(g, src);
  const t = boundaryOf(g, dst);
  const si = srcIdx ?? s.outputs.map((_, i) => i);
  const di = dstIdx ?? t.inputs.map((_, i) => i);
  if (si.length !== di.length) {
    fail(
      'graph.connect-arity',
      `${s.name}->${t.name}`,
      `Connecting ${s.name} and ${t.name}. Number of output nodes ${si.length} does not match number of input nodes ${di.length}.`,
    );
  }
  const keep = si.map((i) => {
    const c = s.outputs[i];
    if (c === undefined) fail('graph.index', s.name, `output index ${i} out of range (${s.outputs.length})`);
    return c;
  });
  const drop = di.map((i) => {
    const c = t.inputs[i];
    if (c === undefined) fail('graph.index', t.name, `input index ${i} out of range (${t.inputs.length})`);
    return c;
  });
  const d = draft(g);
  mergeChannels(d, keep, drop);
  return freeze(d);
}

/**
 * Explicit fan-in: makes every module in `sources` write into `dst`'s inputs (summation).
 * Equivalent to connecting each source in turn, which merges the sources' output channels.
 */
export function sumInto(g: HwGraph, sources: readonly Endpoint[], dst: Endpoint): HwGraph {
  let out = g;
  for (const s of sources) out = connect(out, s, dst);
  return out;
}

/**
 * Replaces module `target` by `replacement`, which takes over the target's channels
 * (Rockpool `replace_module`): on each channel the target is removed and the replacement appended.
 *
 * @param replacement a module spec (without channels) or a module whose input/output counts match.
 * @param newId id of the replacement (default: the target's id)
 * @throws GraphError when the input or output counts differ
 */
export function replaceModule(
  g: HwGraph,
  target: ModuleId,
  replacement: HwModuleSpec | HwModule,
  newId: ModuleId = target,
): HwGraph {
  const old = getModule(g, target);
  if ('inputs' in replacement) {
    if (replacement.inputs.length !== old.inputs.length) {
      fail(
        'graph.replace-arity',
        target,
        `Number of input nodes do not match (${old.inputs.length} vs ${replacement.inputs.length})`,
      );
    }
    if (replacement.outputs.length !== old.outputs.length) {
      fail(
        'graph.replace-arity',
        target,
        `Number of output nodes do not match (${old.outputs.length} vs ${replacement.outputs.length})`,
      );
    }
  }
  const d = draft(g);
  unregister(d, old);
  d.modules.delete(target);
  const id = newId === target ? target : uniqueId(d.modules, newId);
  const name = ('name' in replacement && replacement.name) || old.name;
  const { id: _i, inputs: _in, outputs: _out, ...rest } = replacement as HwModule;
  const m = { ...rest, id, name, inputs: [...old.inputs], outputs: [...old.outputs] } as HwModule;
  validateModule(m);
  // keep module insertion order stable when the id is kept
  if (id === target) {
    const entries = [...g.modules.keys()];
    const ordered = new Map<ModuleId, HwModule>();
    for (const k of entries) ordered.set(k, k === target ? m : d.modules.get(k)!);
    d.modules = ordered;
  } else {
    d.modules.set(id, m);
  }
  register(d, m);
  return freeze(d);
}

/** Updates fields of a module without touching its channels (e.g. `hwIds` after allocation). */
export function updateModule<M extends HwModule>(
  g: HwGraph,
  id: ModuleId,
  patch: Partial<Omit<M, 'id' | 'inputs' | 'outputs' | 'kind'>>,
): HwGraph {
  const m = getModule(g, id);
  const modules = new Map(g.modules);
  const next = { ...m, ...patch } as HwModule;
  validateModule(next);
  modules.set(id, next);
  return { ...g, modules };
}

/** Which channel list of a module. */
export type ModuleSide = 'inputs' | 'outputs';

/**
 * Appends a channel to a module's inputs or outputs and registers the module on it
 * (Rockpool `add_input` / `add_output`; a channel already present is not added twice).
 * Shape invariants of the module kind are checked (e.g. a `linear` module cannot grow).
 */
export function addModuleChannel(g: HwGraph, id: ModuleId, side: ModuleSide, channel: ChannelId): HwGraph {
  const m = getModule(g, id);
  if (m[side].includes(channel)) return g;
  return setModuleChannels(g, id, side, [...m[side], channel]);
}

/** Removes a channel from a module's inputs or outputs and unregisters it (no error if absent). */
export function removeModuleChannel(g: HwGraph, id: ModuleId, side: ModuleSide, channel: ChannelId): HwGraph {
  const m = getModule(g, id);
  if (!m[side].includes(channel)) return g;
  return setModuleChannels(
    g,
    id,
    side,
    m[side].filter((c) => c !== channel),
  );
}

/** Removes all inputs or outputs of a module (Rockpool `clear_inputs` / `clear_outputs`). */
export function clearModuleChannels(g: HwGraph, id: ModuleId, side: ModuleSide): HwGraph {
  return setModuleChannels(g, id, side, []);
}

function setModuleChannels(
  g: HwGraph,
  id: ModuleId,
  side: ModuleSide,
  channels: readonly ChannelId[],
): HwGraph {
  const m = getModule(g, id);
  const d = draft(g);
  unregister(d, m);
  const next = { ...m, [side]: [...channels] } as HwModule;
  validateModule(next);
  d.modules.set(id, next);
  for (const c of channels) if (c >= d.nextChannel) d.nextChannel = c + 1;
  register(d, next);
  return freeze(d);
}

/** Removes a module (its channels stay, without it as source/sink). */
export function removeModule(g: HwGraph, id: ModuleId): HwGraph {
  const m = getModule(g, id);
  const d = draft(g);
  unregister(d, m);
  d.modules.delete(id);
  return freeze(d);
}

/**
 * Disjoint union: adds all modules, channels and holders of `other` to `g`, renumbering channels
 * and suffixing clashing module ids / holder names. Returns the maps used.
 */
export function merge(
  g: HwGraph,
  other: HwGraph,
): { graph: HwGraph; channelMap: Map<ChannelId, ChannelId>; moduleMap: Map<ModuleId, ModuleId> } {
  const d = draft(g);
  const channelMap = new Map<ChannelId, ChannelId>();
  const mapC = (c: ChannelId): ChannelId => {
    let n = channelMap.get(c);
    if (n === undefined) {
      n = d.nextChannel++;
      channelMap.set(c, n);
    }
    return n;
  };
  const moduleMap = new Map<ModuleId, ModuleId>();
  const taken = new Map<ModuleId, unknown>(d.modules);
  for (const id of other.modules.keys()) {
    const nid = uniqueId(taken, id);
    taken.set(nid, true);
    moduleMap.set(id, nid);
  }
  for (const c of [...other.channels.keys()].sort((a, b) => a - b)) mapC(c);
  for (const [id, m] of other.modules) {
    const nid = moduleMap.get(id)!;
    d.modules.set(nid, {
      ...m,
      id: nid,
      name: m.name === id ? nid : m.name,
      inputs: m.inputs.map(mapC),
      outputs: m.outputs.map(mapC),
    });
  }
  for (const [c, info] of other.channels) {
    d.channels.set(mapC(c), {
      sources: info.sources.map((s) => moduleMap.get(s)!),
      sinks: info.sinks.map((s) => moduleMap.get(s)!),
    });
  }
  for (const [name, h] of other.holders) {
    const nn = uniqueId(d.holders, name);
    d.holders.set(nn, { name: nn, inputs: h.inputs.map(mapC), outputs: h.outputs.map(mapC) });
  }
  return { graph: freeze(d), channelMap, moduleMap };
}

// ---------------------------------------------------------------------------------------------
// Traversal

/** Order of {@link bag}. */
export type BagOrder = 'rockpool' | 'topological';

/** Result of {@link bag}: reachable channels and modules. */
export interface Bag {
  readonly channels: ChannelId[];
  readonly modules: ModuleId[];
}

function neighbours(g: HwGraph, ins: readonly ChannelId[], outs: readonly ChannelId[]): ModuleId[] {
  const out: ModuleId[] = [];
  for (const list of [ins, outs]) {
    for (const c of list) {
      const info = channelInfo(g, c);
      out.push(...info.sources, ...info.sinks);
    }
  }
  return out;
}

function rockpoolBag(g: HwGraph, start: Boundary | HwModule): Bag {
  const seen = new Set<ModuleId>();
  const channels: ChannelId[] = [];
  const channelSeen = new Set<ChannelId>();
  const modules: ModuleId[] = [];
  const addChannels = (list: readonly ChannelId[]): void => {
    for (const c of list) {
      if (!channelSeen.has(c)) {
        channelSeen.add(c);
        channels.push(c);
      }
    }
  };
  const stack: { list: ModuleId[]; i: number }[] = [];
  const visit = (m: HwModule): void => {
    seen.add(m.id);
    modules.push(m.id);
    addChannels(m.inputs);
    addChannels(m.outputs);
    stack.push({ list: neighbours(g, m.inputs, m.outputs), i: 0 });
  };
  if ('kind' in start) visit(start);
  else {
    addChannels(start.inputs);
    addChannels(start.outputs);
    stack.push({ list: neighbours(g, start.inputs, start.outputs), i: 0 });
  }
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.i >= top.list.length) {
      stack.pop();
      continue;
    }
    const next = top.list[top.i++]!;
    if (!seen.has(next)) visit(getModule(g, next));
  }
  return { channels, modules };
}

/** Module-level successor lists: `a → b` when a channel has `a` as source and `b` as sink. */
export function moduleEdges(g: HwGraph): Map<ModuleId, ModuleId[]> {
  const succ = new Map<ModuleId, ModuleId[]>();
  for (const id of g.modules.keys()) succ.set(id, []);
  for (const m of g.modules.values()) {
    for (const c of m.outputs) for (const s of channelInfo(g, c).sinks) appendUnique(succ.get(m.id)!, s);
  }
  return succ;
}

/**
 * Collects the modules and channels reachable from `start` (a module id, holder name, boundary, or
 * the graph's own boundary when omitted; all modules when the graph has no boundary).
 *
 * - `'rockpool'`: depth-first pre-order exactly as Rockpool's `bag_graph` (sources then sinks of
 *   the input channels, then of the output channels). Hardware ids depend on this order.
 * - `'topological'` (default): the same set, ordered by Kahn's algorithm on the module graph after
 *   removing back edges, ties broken by the Rockpool order.
 */
export function bag(g: HwGraph, start?: Endpoint, order: BagOrder = 'topological'): Bag {
  let b: Bag;
  if (start === undefined && g.inputs.length === 0 && g.outputs.length === 0) {
    const modules: ModuleId[] = [];
    const channels: ChannelId[] = [];
    const seenC = new Set<ChannelId>();
    for (const m of g.modules.values()) {
      if (modules.includes(m.id)) continue;
      const sub = rockpoolBag(g, m);
      for (const id of sub.modules) if (!modules.includes(id)) modules.push(id);
      for (const c of sub.channels) {
        if (seenC.has(c)) continue;
        seenC.add(c);
        channels.push(c);
      }
    }
    b = { modules, channels };
  } else {
    const s =
      typeof start === 'string' && g.modules.has(start) && !g.holders.has(start)
        ? getModule(g, start)
        : boundaryOf(g, start);
    b = rockpoolBag(g, s);
  }
  if (order === 'rockpool') return b;
  return { channels: b.channels, modules: topologicalOrder(g, b.modules) };
}

/** Orders `ids` topologically (back edges of a DFS in the given order ignored). */
export function topologicalOrder(g: HwGraph, ids: readonly ModuleId[]): ModuleId[] {
  const inSet = new Set(ids);
  const succ = moduleEdges(g);
  const rank = new Map(ids.map((id, i) => [id, i]));
  // find back edges with an iterative DFS
  const state = new Map<ModuleId, 1 | 2>();
  const back = new Set<string>();
  for (const root of ids) {
    if (state.has(root)) continue;
    const stack: { id: ModuleId; i: number }[] = [{ id: root, i: 0 }];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const list = (succ.get(top.id) ?? []).filter((s) => inSet.has(s));
      if (top.i >= list.length) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const nxt = list[top.i++]!;
      const st = state.get(nxt);
      if (st === 1) back.add(`${top.id}\u0000${nxt}`);
      else if (st === undefined) {
        state.set(nxt, 1);
        stack.push({ id: nxt, i: 0 });
      }
    }
  }
  const indeg = new Map<ModuleId, number>(ids.map((id) => [id, 0]));
  for (const a of ids) {
    for (const b of succ.get(a) ?? []) {
      if (inSet.has(b) && !back.has(`${a}\u0000${b}`)) indeg.set(b, indeg.get(b)! + 1);
    }
  }
  const ready = ids.filter((id) => indeg.get(id) === 0);
  const out: ModuleId[] = [];
  while (ready.length) {
    ready.sort((a, b) => rank.get(a)! - rank.get(b)!);
    const a = ready.shift()!;
    out.push(a);
    for (const b of succ.get(a) ?? []) {
      if (!inSet.has(b) || back.has(`${a}\u0000${b}`)) continue;
      const n = indeg.get(b)! - 1;
      indeg.set(b, n);
      if (n === 0) ready.push(b);
    }
  }
  return out;
}

/**
 * Modules of a kind (subkinds included: `'neurons'` finds `lif`, `rate`, `xylo.*`; `'module'`
 * finds everything) or matching a predicate, in bag order (Rockpool `find_modules_of_subclass`).
 */
export function findByKind(
  g: HwGraph,
  kind: string | ((m: HwModule) => boolean),
  start?: Endpoint,
  order: BagOrder = 'rockpool',
): HwModule[] {
  const pred = typeof kind === 'string' ? (m: HwModule) => isKindOf(m.kind, kind) : kind;
  return bag(g, start, order)
    .modules.map((id) => getModule(g, id))
    .filter(pred);
}

/**
 * Rockpool's `find_recurrent_modules`: a module is recurrent when a module writing its inputs also
 * reads its outputs (a two-module loop A→B→A, or a self-loop). Both loop members are reported.
 * Longer cycles are found by {@link stronglyConnected}.
 */
export function findRecurrent(g: HwGraph, start?: Endpoint): { modules: ModuleId[]; recurrent: ModuleId[] } {
  const modules = bag(g, start, 'rockpool').modules;
  const recurrent: ModuleId[] = [];
  for (const id of modules) {
    const m = getModule(g, id);
    const srcs = new Set<ModuleId>();
    for (const c of m.inputs) for (const s of channelInfo(g, c).sources) srcs.add(s);
    let rec = false;
    for (const c of m.outputs) for (const s of channelInfo(g, c).sinks) if (srcs.has(s)) rec = true;
    if (rec) recurrent.push(id);
  }
  return { modules, recurrent };
}

/**
 * Strongly connected components of the module graph (Tarjan, iterative) that contain a cycle:
 * components with more than one module, or one module feeding itself.
 */
export function stronglyConnected(g: HwGraph): ModuleId[][] {
  const succ = moduleEdges(g);
  let index = 0;
  const idx = new Map<ModuleId, number>();
  const low = new Map<ModuleId, number>();
  const onStack = new Set<ModuleId>();
  const stack: ModuleId[] = [];
  const out: ModuleId[][] = [];
  for (const root of g.modules.keys()) {
    if (idx.has(root)) continue;
    const work: { id: ModuleId; i: number }[] = [{ id: root, i: 0 }];
    idx.set(root, index);
    low.set(root, index++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1]!;
      const list = succ.get(top.id) ?? [];
      if (top.i < list.length) {
        const w = list[top.i++]!;
        if (!idx.has(w)) {
          idx.set(w, index);
          low.set(w, index++);
          stack.push(w);
          onStack.add(w);
          work.push({ id: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(top.id, Math.min(low.get(top.id)!, idx.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(top.id)!));
      if (low.get(top.id) === idx.get(top.id)) {
        const comp: ModuleId[] = [];
        let w: ModuleId;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== top.id);
        if (comp.length > 1 || (succ.get(top.id) ?? []).includes(top.id)) out.push(comp.reverse());
      }
    }
  }
  return out;
}

/** Modules writing a channel list (deduplicated, in order). */
export function sourcesOf(g: HwGraph, channels: readonly ChannelId[]): HwModule[] {
  const ids: ModuleId[] = [];
  for (const c of channels) for (const s of channelInfo(g, c).sources) appendUnique(ids, s);
  return ids.map((id) => getModule(g, id));
}

/** Modules reading a channel list (deduplicated, in order). */
export function sinksOf(g: HwGraph, channels: readonly ChannelId[]): HwModule[] {
  const ids: ModuleId[] = [];
  for (const c of channels) for (const s of channelInfo(g, c).sinks) appendUnique(ids, s);
  return ids.map((id) => getModule(g, id));
}
