/**
 * Spark's `quadruplet_rule_tensor` (QuadrupletRuleTensor, used by ALIFModNeuron). Every field is a
 * 4-tuple over the synapse types (EE, EI, IE, II; first letter = postsynaptic type). At build the
 * type `k_ij = 2·inh_post_i + inh_pre_j` selects per-synapse parameters `p_ij = p[k_ij]`
 * ({@link quadrupletTensorParams}, a host step). Per synapse:
 * ```
 * X_ij = e^(−dt/pre_tau_ij)·X_ij  + s_ij/pre_tau_ij          (s: unsigned pre spikes; sync: s_j)
 * Y_ij = e^(−dt/post_tau_ij)·Y_ij + z_i/post_tau_ij
 * ΔW_ij = eta·m·(q_alpha_ij·s_ij + q_beta_ij·Y_ij·s_ij + q_gamma_ij·z_i + q_delta_ij·X_ij·z_i)
 * W_ij  = clip(W_ij + dt·ΔW_ij, 0, max_clip_ij)
 * ```
 * Compatibility:
 * - `quadrupletFloat16Params`: Spark assembles the per-type arrays in float16 and computes the
 *   decays `e^(−dt/τ)` and scales `1/τ` in float16. The language cannot round to float16, so the
 *   Spark variant ({@link quadrupletRuleTensorDefinition} with the switch on) takes the decays and
 *   scales as host-computed per-synapse parameters (`pre_decay`, `pre_scale`, `post_decay`,
 *   `post_scale`, from {@link quadrupletTensorParams}).
 * - `quadrupletNeuronMasksMissing`: inside a Neuron, Spark's type mask is all EE.
 *
 * @module
 */

import { roundToFloat16 } from '@spark-snn/core';
import type { ModuleDefinition } from '../lang/ast.ts';
import { abs, clamp, defineModule, dt, type Ex, exp, lit } from '../lang/builder.ts';
import { CORRECTED, type SparkCompat } from '../library/compat.ts';
import { configSchema } from '../library/schema.ts';

/** The per-synapse-type (EE, EI, IE, II) 4-tuple fields; their defaults are the config schema's. */
const TUPLE_FIELDS = ['pre_tau', 'post_tau', 'q_alpha', 'q_beta', 'q_gamma', 'q_delta', 'max_clip'] as const;

/** The config schema's default of a 4-tuple field. */
function tupleDefault(name: (typeof TUPLE_FIELDS)[number]): number[] {
  const d = configSchema('quadruplet_rule_tensor').fields.find((f) => f.name === name)?.default;
  if (!Array.isArray(d))
    throw new RangeError(`quadruplet_rule_tensor.${name}: the config schema has no tuple default`);
  return d.map(Number);
}

/** The synapse-domain definition (Spark variant when `compat.quadrupletFloat16Params`). */
export function quadrupletRuleTensorDefinition(
  async = true,
  compat: SparkCompat = CORRECTED,
): ModuleDefinition {
  const f16 = compat.quadrupletFloat16Params;
  return defineModule(
    'quadruplet_rule_tensor',
    (m) => {
      const eta = m.param('eta');
      // Per-type tuples of the schema, expanded per synapse on the host (quadrupletTensorParams).
      const syn = (name: string): Ex => m.param(name, { extent: 'synapse' });
      // Host-computed decays and scales (Spark compatibility): not config fields.
      const host = (name: string, dflt: number, doc: string): Ex =>
        m.param(name, { default: dflt, extent: 'synapse', doc, internal: true });
      let preDecay: Ex;
      let preScale: Ex;
      let postDecay: Ex;
      let postScale: Ex;
      if (f16) {
        preDecay = host(
          'pre_decay',
          Math.exp(-0.1),
          'e^(−dt/pre_tau) computed in float16 on the host (Spark compatibility)',
        );
        preScale = host('pre_scale', 0.1, '1/pre_tau computed in float16 on the host (Spark compatibility)');
        postDecay = host(
          'post_decay',
          Math.exp(-0.1),
          'e^(−dt/post_tau) computed in float16 on the host (Spark compatibility)',
        );
        postScale = host(
          'post_scale',
          0.1,
          '1/post_tau computed in float16 on the host (Spark compatibility)',
        );
      } else {
        const preTau = syn('pre_tau');
        const postTau = syn('post_tau');
        preDecay = exp(dt.neg().div(preTau));
        preScale = lit(1).div(preTau);
        postDecay = exp(dt.neg().div(postTau));
        postScale = lit(1).div(postTau);
      }
      const alpha = syn('q_alpha');
      const beta = syn('q_beta');
      const gamma = syn('q_gamma');
      const delta = syn('q_delta');
      const maxClip = syn('max_clip');
      const x = m.state('pre_trace', {
        init: 0,
        ...(f16 ? {} : { unit: 'ms^-1' }),
        doc: 'per-synapse pre trace X',
      });
      const y = m.state('post_trace', {
        init: 0,
        ...(f16 ? {} : { unit: 'ms^-1' }),
        doc: 'per-synapse post trace Y',
      });
      const modulation = m.input('modulation', {
        payload: 'FloatArray',
        extent: 'scalar',
        doc: 'modulation m (length-1 array)',
      });
      const kernel = m.input('kernel', { payload: 'FloatArray', extent: 'synapse' });
      const pre = m.input('pre_spikes', { payload: 'SpikeArray', extent: async ? 'synapse' : 'pre' });
      const post = m.input('post_spikes', { payload: 'SpikeArray', extent: 'unit' });
      const out = m.output('updated_kernel', { payload: 'FloatArray' });
      const s = m.let_('s', abs(pre));
      const z = m.let_('z', abs(post));
      m.assign(x, preDecay.mul(x).add(preScale.mul(s)));
      m.assign(y, postDecay.mul(y).add(postScale.mul(z)));
      const dw = m.let_(
        'dw',
        eta
          .mul(modulation)
          .mul(alpha.mul(s).add(beta.mul(y).mul(s)).add(gamma.mul(z)).add(delta.mul(x).mul(z))),
      );
      m.assign(out, clamp(kernel.add(dt.mul(dw)), 0, maxClip));
    },
    {
      domain: 'synapse',
      schema: configSchema('quadruplet_rule_tensor'),
      doc: "Spark's QuadrupletRuleTensor (quadruplet_rule_tensor): per-type quadruplet rule.",
    },
  );
}

/**
 * Host step (build time): the per-synapse parameter arrays from the 4-tuples and the inhibition
 * masks (`k_ij = 2·inh_post_i + inh_pre_j`; all EE when `masksMissing`). With `float16` the
 * parameters are rounded to float16 and the decays/scales computed in float16, as Spark does. A
 * parameter that is the same for every synapse type present is one number (uniform per synapse).
 */
export function quadrupletTensorParams(
  config: Readonly<Record<string, unknown>>,
  o: {
    units: number;
    pre: number;
    dt: number;
    inhibitionPost?: ArrayLike<number>;
    inhibitionPre?: ArrayLike<number>;
    float16: boolean;
    masksMissing: boolean;
  },
): Record<string, Float64Array | number> {
  const tuple = (name: (typeof TUPLE_FIELDS)[number]): number[] => {
    const v = config[name];
    const t =
      v === undefined || v === null
        ? tupleDefault(name)
        : typeof v === 'number'
          ? [v, v, v, v]
          : (v as number[]).map(Number);
    if (t.length !== 4)
      throw new RangeError(`config.${name}: expected 4 values (EE, EI, IE, II), got ${t.length}`);
    return t.map((x) => (o.float16 ? roundToFloat16(x) : Math.fround(x)));
  };
  const inhPost = (i: number): number => (o.masksMissing ? 0 : (o.inhibitionPost?.[i] ?? 0) ? 1 : 0);
  const inhPre = (j: number): number => (o.masksMissing ? 0 : (o.inhibitionPre?.[j] ?? 0) ? 1 : 0);
  // Presynaptic type of every column and postsynaptic type of every row, once.
  const preType = Uint8Array.from({ length: o.pre }, (_, j) => inhPre(j));
  const postType = Uint8Array.from({ length: o.units }, (_, i) => inhPost(i));
  const present: number[] = [];
  for (const post of new Set(postType)) for (const pre of new Set(preType)) present.push(2 * post + pre);
  // One value when every synapse type that occurs has the same (e.g. all EE inside a Spark neuron).
  const expand = (t: readonly number[]): Float64Array | number => {
    const first = t[present[0] ?? 0] as number;
    if (present.every((k) => t[k] === first)) return first;
    const a = new Float64Array(o.units * o.pre);
    for (let i = 0; i < o.units; i++) {
      const row = 2 * (postType[i] as number);
      const base = i * o.pre;
      for (let j = 0; j < o.pre; j++) a[base + j] = t[row + (preType[j] as number)] as number;
    }
    return a;
  };
  const out: Record<string, Float64Array | number> = {};
  for (const f of ['q_alpha', 'q_beta', 'q_gamma', 'q_delta', 'max_clip'] as const) out[f] = expand(tuple(f));
  const eta = config.eta;
  if (typeof eta === 'number') out.eta = Math.fround(eta);
  for (const side of ['pre', 'post'] as const) {
    const tau = tuple(`${side}_tau`);
    if (o.float16) {
      const h = roundToFloat16;
      out[`${side}_decay`] = expand(tau.map((t) => Math.fround(h(Math.exp(h(-o.dt / t))))));
      out[`${side}_scale`] = expand(tau.map((t) => Math.fround(h(1 / t))));
    } else out[`${side}_tau`] = expand(tau);
  }
  return out;
}
