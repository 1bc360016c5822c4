/**
 * The exact Brain, for `--connectivity explicit` and dense kernels: the BrainConfig is compiled with
 * `@spark-snn/nn` (no backend, no run) and the edges are read from the plan — the incoming CSR of
 * every `sparse_synapses` (`<name>.offsets`, `<name>.sources`) and the `[units × pre]` kernel of
 * every `linear_synapses` — so the PyNN network and the Brain agree edge for edge. Per-cell values
 * given by initializers are drawn with nn's own `resolveValue` (same seed, same draw site), so the
 * initial state agrees too.
 *
 * @module
 */
import type { Behaviour, ConfigBody, Registry } from '@spark-snn/config';
import type { TypedArray } from '@spark-snn/core';
import { compileBrain, defaultLowerings, resolveValue } from '@spark-snn/nn';
import type { PortRule } from './modules/mapping.ts';
import type { PyNNDiagnostic, PyNNPopulation, PyNNProjection } from './types.ts';

function isInitializer(v: unknown): boolean {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    typeof (v as { __type__?: unknown }).__type__ === 'string' &&
    /_initializer_config$/.test((v as { __type__: string }).__type__)
  );
}

/**
 * A module config with every initializer field replaced by the values the Brain draws for a
 * module of `size` cells at `modulePath` (a top-level module's path is its name).
 */
export function drawInitializers(
  config: ConfigBody,
  modulePath: string,
  configPath: string,
  size: number,
  sink: PyNNDiagnostic[],
): ConfigBody {
  const out: ConfigBody = { ...config };
  const seed = typeof config.seed === 'number' ? config.seed : 0;
  for (const [key, value] of Object.entries(config)) {
    if (!isInitializer(value)) continue;
    try {
      const v = resolveValue(value, `${configPath}.config.${key}`, {
        shape: [size],
        seed,
        site: `${modulePath}/${key}`,
      });
      out[key] = typeof v === 'number' ? v : Array.from(v);
    } catch (e) {
      sink.push({
        severity: 'error',
        code: 'unsupported_value',
        path: `${configPath}.config.${key}`,
        message: `the Brain cannot draw it: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  }
  return out;
}

/** A projection the analysis made, with the synapse module it came from. */
export type DraftProjection = PyNNProjection & {
  readonly synapse?: string;
  /** Only the compiled Brain has its edges: a dense kernel, or sparse synapses with per-connection values. */
  readonly brain?: 'dense' | 'sparse';
};

/** Options of {@link explicitConnectivity}. */
export interface ExplicitOptions {
  readonly registry: Registry;
  readonly behaviour: Behaviour;
  /** Replace the probabilistic connectors too (not only the dense kernels). */
  readonly explicitConnectors: boolean;
  readonly projections: readonly DraftProjection[];
  /** Port rule of every projection (by id), for the dense kernels' signs. */
  readonly rules: ReadonlyMap<string, PortRule>;
  readonly sink: PyNNDiagnostic[];
}

function bufferInit(
  plan: { buffers: readonly { name: string; init?: TypedArray | number }[] },
  name: string,
) {
  const b = plan.buffers.find((x) => x.name === name);
  return b?.init;
}

/**
 * Compiles the Brain and replaces the connectors of the projections by the Brain's edges. Returns
 * undefined (after reporting) when the Brain does not compile.
 */
export function explicitConnectivity(body: ConfigBody, o: ExplicitOptions): DraftProjection[] | undefined {
  let compiled: ReturnType<typeof compileBrain>;
  try {
    compiled = compileBrain(
      body,
      {},
      { inputShapes: {}, lowerings: defaultLowerings(), behaviour: o.behaviour, registry: o.registry },
    );
  } catch (e) {
    const path = (e as { path?: unknown }).path;
    o.sink.push({
      severity: 'error',
      code: 'invalid_document',
      path: typeof path === 'string' ? path : '',
      message: `the Brain does not compile, so its exact connectivity cannot be read: ${e instanceof Error ? e.message : String(e)}`,
    });
    return undefined;
  }
  const { plan } = compiled;
  const out: DraftProjection[] = [];
  for (const p of o.projections) {
    const name = p.synapse;
    if (name === undefined || (p.brain === undefined && !o.explicitConnectors)) {
      out.push(p);
      continue;
    }
    const rule = o.rules.get(p.id);
    const pre = p.pre.stop - p.pre.start;
    const post = p.post.stop - p.post.start;
    if (p.brain === 'dense') {
      // dense kernel: [post × pre] row-major, one edge per non-zero entry
      const kernel = compiled.modules.get(name)?.properties.kernel;
      const init = kernel ? bufferInit(plan, kernel.buffer) : undefined;
      const values =
        typeof init === 'number'
          ? new Float64Array(pre * post).fill(init)
          : init
            ? Float64Array.from(init)
            : undefined;
      if (!values || values.length !== pre * post || !rule) {
        o.sink.push({
          severity: 'error',
          code: 'unsupported_connection',
          path: p.path,
          message: `the compiled Brain has no [${post} × ${pre}] kernel for "${name}"`,
        });
        continue;
      }
      const edges: Edges = { pre: [], post: [], weight: [] };
      for (let i = 0; i < post; i++)
        for (let j = 0; j < pre; j++) {
          const w = values[i * pre + j]!;
          if (w === 0) continue;
          edges.pre.push(j);
          edges.post.push(i);
          edges.weight!.push(w);
        }
      out.push(...emit(p, rule, edges, `${p.path}.config.kernel`, o.sink));
      continue;
    }
    // sparse: the incoming CSR, per-edge weights and delays of the sparse.csr op
    const op = plan.ops.find((x) => x.op === 'sparse.csr' && x.name === name);
    const offsets = bufferInit(plan, `${name}.offsets`);
    const sources = bufferInit(plan, `${name}.sources`);
    if (!op || !ArrayBuffer.isView(offsets) || !ArrayBuffer.isView(sources)) {
      o.sink.push({
        severity: 'error',
        code: 'unsupported_connection',
        path: p.path,
        message: `the compiled Brain has no sparse connectivity for "${name}"`,
      });
      continue;
    }
    const attrs = op.attrs as { weight?: number; delay?: number };
    const wInit = op.bindings.weights ? bufferInit(plan, op.bindings.weights) : undefined;
    const dInit = op.bindings.delays ? bufferInit(plan, op.bindings.delays) : undefined;
    const nnz = Number(offsets[post]);
    const edges: Edges = { pre: [], post: [] };
    if (ArrayBuffer.isView(wInit)) edges.weight = [];
    if (ArrayBuffer.isView(dInit)) edges.delay = [];
    for (let i = 0; i < post; i++)
      for (let e = Number(offsets[i]); e < Number(offsets[i + 1]); e++) {
        edges.pre.push(Number(sources[e]) - p.pre.start);
        edges.post.push(i);
        edges.weight?.push(Number((wInit as ArrayLike<number>)[e]));
        edges.delay?.push(Number((dInit as ArrayLike<number>)[e]));
      }
    if (edges.pre.length !== nnz)
      throw new Error(`internal: ${name} has ${edges.pre.length} of ${nnz} edges`);
    if (p.brain === undefined) {
      // explicit edges of a homogeneous projection: the analysis already set weight, delay, receptor
      out.push({
        ...p,
        connector: { kind: 'from_list', key: p.id, pre: u32(edges.pre), post: u32(edges.post) },
      });
      continue;
    }
    if (!rule) continue;
    const homogeneous = {
      weight: edges.weight ? undefined : (attrs.weight ?? 1),
      delaySteps: edges.delay ? undefined : (attrs.delay ?? 0),
    };
    out.push(...emit(p, rule, edges, `${p.path}.config.weight`, o.sink, homogeneous, plan.dt));
  }
  return out;
}

/** Edges in Brain units: weights as the Brain stores them, delays in steps (beyond the 2 hops). */
interface Edges {
  pre: number[];
  post: number[];
  weight?: number[];
  delay?: number[];
}

const u32 = (a: number[]) => Uint32Array.from(a);

/** PyNN delay in steps of a synapse module's edge with `steps` delay steps (2 module hops + steps). */
function pynnSteps(steps: number, rule: PortRule): number {
  return 2 + steps - (rule.delivery === 'integrated' ? 1 : 0);
}

/**
 * Edges → one `from_list` projection per receptor: weights converted by the port rule, their signs
 * checked, split by sign where the weight picks the receptor; per-edge delays in ms.
 */
function emit(
  p: DraftProjection,
  rule: PortRule,
  edges: Edges,
  weightPath: string,
  sink: PyNNDiagnostic[],
  homogeneous: { weight: number | undefined; delaySteps: number | undefined } = {
    weight: undefined,
    delaySteps: undefined,
  },
  dt = 1,
): DraftProjection[] {
  const receptorOf = (w: number) =>
    rule.receptor === 'sign' ? (w < 0 ? 'inhibitory' : 'excitatory') : rule.receptor;
  const bad = (w: number) => (rule.sign === 'nonnegative' && w < 0) || (rule.sign === 'nonpositive' && w > 0);
  const groups = { excitatory: [] as number[], inhibitory: [] as number[] };
  let wrong = 0;
  const hw = homogeneous.weight === undefined ? undefined : homogeneous.weight * rule.factor;
  for (let e = 0; e < edges.pre.length; e++) {
    const w = hw ?? edges.weight![e]! * rule.factor;
    if (bad(w)) wrong++;
    groups[receptorOf(w)].push(e);
  }
  if (wrong > 0) {
    sink.push({
      severity: 'error',
      code: 'weight_sign',
      path: weightPath,
      message: `${wrong} connections have the wrong sign for the ${rule.receptor} receptor (it takes ${rule.sign} weights); PyNN cannot mix signs on one current receptor`,
    });
    return [];
  }
  let short = 0;
  const delayMs = (steps: number) => {
    const k = pynnSteps(steps, rule);
    if (k < 1) short++;
    return Number((Math.max(1, k) * dt).toPrecision(12));
  };
  const parts = (['excitatory', 'inhibitory'] as const).filter((r) => groups[r].length > 0);
  const out: DraftProjection[] = parts.map((r) => {
    const idx = groups[r];
    const id = parts.length > 1 ? `${p.id}_${r === 'excitatory' ? 'exc' : 'inh'}` : p.id;
    return {
      ...p,
      id,
      receptor: r,
      ...(hw !== undefined ? { weight: hw } : {}),
      ...(homogeneous.delaySteps !== undefined ? { delay: delayMs(homogeneous.delaySteps) } : {}),
      connector: {
        kind: 'from_list',
        key: id,
        pre: u32(idx.map((e) => edges.pre[e]!)),
        post: u32(idx.map((e) => edges.post[e]!)),
        ...(hw === undefined
          ? { weights: Float64Array.from(idx, (e) => edges.weight![e]! * rule.factor) }
          : {}),
        ...(edges.delay ? { delays: Float64Array.from(idx, (e) => delayMs(edges.delay![e]!)) } : {}),
      },
    };
  });
  if (short > 0)
    sink.push({
      severity: 'error',
      code: 'latency',
      path: p.path,
      message: `${short} connections have a Brain latency below PyNN's minimum delay of one dt`,
    });
  return short > 0 ? [] : out;
}

/** Per-cell arrays longer than this go to the `.npz` instead of the script. */
export const INLINE_ARRAY_LIMIT = 16;

/** Gives every long per-cell array of a population an npz key (`<population>__<name>`). */
export function keyArrays(pop: PyNNPopulation): PyNNPopulation {
  const key = (group: Readonly<Record<string, PyNNPopulation['params'][string]>>) =>
    Object.fromEntries(
      Object.entries(group).map(([k, v]) => [
        k,
        v.kind === 'array' && v.values.length > INLINE_ARRAY_LIMIT ? { ...v, key: `${pop.id}__${k}` } : v,
      ]),
    );
  return { ...pop, params: key(pop.params), initial: key(pop.initial) };
}
