/**
 * Value checks of NIR neuron parameters, the way the config package checks Spark's: time constants
 * must be finite and > 0 (a `tau ≤ 0` makes the decay `exp(−dt/τ)` blow up or divide by zero), delays
 * ≥ 0, and no parameter may be NaN. Without them a graph with `tau = 0` was simulated silently.
 *
 * @module
 */
import { type Diagnostic, diag } from '../diagnostics.ts';
import type { Tensor } from '../tensor.ts';
import type { NirNode, NirNodeType } from './types.ts';

/** Parameters of each node type, in file order; `?` marks optional ones. */
export const TENSOR_PARAMS: Partial<Record<NirNodeType, readonly string[]>> = {
  Affine: ['weight', 'bias'],
  Linear: ['weight'],
  Scale: ['scale'],
  Delay: ['delay'],
  Threshold: ['threshold'],
  I: ['r'],
  IF: ['r', 'v_threshold', 'v_reset?'],
  LI: ['tau', 'r', 'v_leak'],
  LIF: ['tau', 'r', 'v_leak', 'v_threshold', 'v_reset?'],
  CubaLI: ['tau_syn', 'tau_mem', 'r', 'v_leak', 'w_in?'],
  CubaLIF: ['tau_syn', 'tau_mem', 'r', 'v_leak', 'v_threshold', 'v_reset?', 'w_in?'],
};

/** Parameters that are time constants (seconds), per node type. */
const TIME_CONSTANTS: Readonly<Record<string, readonly string[]>> = {
  LI: ['tau'],
  LIF: ['tau'],
  CubaLI: ['tau_syn', 'tau_mem'],
  CubaLIF: ['tau_syn', 'tau_mem'],
};

/** The first element of `t` failing `ok`, as `[index, value]`. */
function firstBad(t: Tensor, ok: (x: number) => boolean): [number, number] | undefined {
  const d = t.data as ArrayLike<number>;
  for (let i = 0; i < d.length; i++) if (!ok(d[i]!)) return [i, d[i]!];
  return undefined;
}

/** Checks the parameter values of one node (`path`: the node's path). */
export function checkParameterValues(node: NirNode, path: string): Diagnostic[] {
  const rec = node as unknown as Record<string, Tensor | undefined>;
  const out: Diagnostic[] = [];
  const at = (k: string, i: number, n: number) => `${path ? `${path}.` : ''}${k}${n > 1 ? `[${i}]` : ''}`;
  const taus = new Set(TIME_CONSTANTS[node.type] ?? []);
  for (const spec of TENSOR_PARAMS[node.type as keyof typeof TENSOR_PARAMS] ?? []) {
    const k = spec.replace(/\?$/, '');
    const t = rec[k];
    if (!t || typeof t !== 'object' || !('data' in t)) continue;
    const n = t.data.length;
    if (taus.has(k)) {
      const bad = firstBad(t, (x) => Number.isFinite(x) && x > 0);
      if (bad)
        out.push(
          diag(
            'error',
            'nir.bad-parameter',
            at(k, bad[0], n),
            `${k} must be a finite time constant > 0 (seconds), got ${bad[1]}`,
          ),
        );
      continue;
    }
    if (k === 'delay') {
      const bad = firstBad(t, (x) => Number.isFinite(x) && x >= 0);
      if (bad)
        out.push(diag('error', 'nir.bad-parameter', at(k, bad[0], n), `delay must be ≥ 0, got ${bad[1]}`));
      continue;
    }
    const bad = firstBad(t, (x) => !Number.isNaN(x));
    if (bad) out.push(diag('error', 'nir.bad-parameter', at(k, bad[0], n), `${k} is NaN`));
  }
  return out;
}
