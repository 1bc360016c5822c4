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
export type DraftProjection = PyNNProjection & { readonly synapse?: string };

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
    if (name === undefined) {
      out.push(p);
      continue;
    }
    if (p.connector.kind === 'from_list') {
      // dense kernel: [post × pre] row-major, one edge per non-zero entry
      const lowered = compiled.modules.get(name);
      const kernel = lowered?.properties.kernel;
      const init = kernel ? bufferInit(plan, kernel.buffer) : undefined;
      const pre = p.pre.stop - p.pre.start;
      const post = p.post.stop - p.post.start;
      const values =
        typeof init === 'number'
          ? new Float64Array(pre * post).fill(init)
          : init
            ? Float64Array.from(init)
            : undefined;
      if (!values || values.length !== pre * post) {
        o.sink.push({
          severity: 'error',
          code: 'unsupported_connection',
          path: p.path,
          message: `the compiled Brain has no [${post} × ${pre}] kernel for "${name}"`,
        });
        continue;
      }
      const rule = o.rules.get(p.id)!;
      const split: Record<'excitatory' | 'inhibitory', { pre: number[]; post: number[]; w: number[] }> = {
        excitatory: { pre: [], post: [], w: [] },
        inhibitory: { pre: [], post: [], w: [] },
      };
      let bad = 0;
      for (let i = 0; i < post; i++)
        for (let j = 0; j < pre; j++) {
          const w = values[i * pre + j]! * rule.factor;
          if (w === 0) continue;
          if ((rule.sign === 'nonnegative' && w < 0) || (rule.sign === 'nonpositive' && w > 0)) bad++;
          const receptor = rule.receptor === 'sign' ? (w < 0 ? 'inhibitory' : 'excitatory') : rule.receptor;
          split[receptor].pre.push(j);
          split[receptor].post.push(i);
          split[receptor].w.push(w);
        }
      if (bad > 0) {
        o.sink.push({
          severity: 'error',
          code: 'weight_sign',
          path: `${p.path}.config.kernel`,
          message: `${bad} kernel entries have the wrong sign for the ${rule.receptor} receptor (it takes ${rule.sign} weights); PyNN cannot mix signs on one current receptor`,
        });
        continue;
      }
      const parts = (['excitatory', 'inhibitory'] as const).filter((r) => split[r].pre.length > 0);
      for (const r of parts) {
        const id = parts.length > 1 ? `${p.id}_${r === 'excitatory' ? 'exc' : 'inh'}` : p.id;
        out.push({
          ...p,
          id,
          receptor: r,
          connector: {
            kind: 'from_list',
            key: id,
            pre: Uint32Array.from(split[r].pre),
            post: Uint32Array.from(split[r].post),
            weights: Float64Array.from(split[r].w),
          },
        });
      }
      continue;
    }
    if (!o.explicitConnectors) {
      out.push(p);
      continue;
    }
    const offsets = bufferInit(plan, `${name}.offsets`);
    const sources = bufferInit(plan, `${name}.sources`);
    if (!ArrayBuffer.isView(offsets) || !ArrayBuffer.isView(sources)) {
      o.sink.push({
        severity: 'error',
        code: 'unsupported_connection',
        path: p.path,
        message: `the compiled Brain has no sparse connectivity for "${name}"`,
      });
      continue;
    }
    const post = p.post.stop - p.post.start;
    const nnz = Number(offsets[post]);
    const preIdx = new Uint32Array(nnz);
    const postIdx = new Uint32Array(nnz);
    for (let i = 0; i < post; i++)
      for (let e = Number(offsets[i]); e < Number(offsets[i + 1]); e++) {
        preIdx[e] = Number(sources[e]) - p.pre.start;
        postIdx[e] = i;
      }
    out.push({ ...p, connector: { kind: 'from_list', key: p.id, pre: preIdx, post: postIdx } });
  }
  return out;
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
