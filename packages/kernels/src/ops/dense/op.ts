/**
 * `dense.sync` and `dense.async`: dense spike propagation through a row-major `[post][pre]` weight
 * matrix. Bindings `weights` [post×pre], `spikes` ([pre] for sync, [post×pre] for async: per-synapse
 * spikes), `out` [post]; attributes `post`, `pre`, `accumulate?`. Per step
 * `out_i (+)= Σ_j W_ij s_j` (sync) or `Σ_j W_ij s_ij` (async).
 *
 * @module
 */

import { defineOp, type ResolvedOpBase } from '../registry.ts';

/** Attributes of the dense propagation ops. */
export interface DenseOpAttrs {
  readonly post: number;
  readonly pre: number;
  /** Add to `out` instead of overwriting it. */
  readonly accumulate?: boolean;
}

/** A resolved `dense.sync` or `dense.async` op. */
export interface ResolvedDenseOp<K extends 'dense.sync' | 'dense.async' = 'dense.sync' | 'dense.async'>
  extends ResolvedOpBase<K> {
  readonly attrs: Required<DenseOpAttrs>;
}

function denseOp<K extends 'dense.sync' | 'dense.async'>(kind: K, summary: string) {
  const sync = kind === 'dense.sync';
  return defineOp<K, ResolvedDenseOp<K>>({
    kind,
    summary,
    resolve(op, c) {
      const post = c.posInt('post');
      const pre = c.posInt('pre');
      c.bind('weights', post * pre, ['float32']);
      c.bind('spikes', sync ? pre : post * pre, ['float32']);
      c.bind('out', post, ['float32']);
      return { kind, op, attrs: { post, pre, accumulate: c.attrs.accumulate === true } };
    },
    access: (r) => ({ out: r.attrs.accumulate ? 'rw' : 'W' }),
    reference(r, c) {
      const { post, pre, accumulate } = r.attrs;
      const w = c.buf('weights');
      const s = c.buf('spikes');
      const out = c.buf('out');
      return () => {
        for (let i = 0; i < post; i++) {
          let sum = 0;
          for (let j = 0; j < pre; j++) {
            const x = s[sync ? j : i * pre + j] as number;
            if (x !== 0) sum += (w[i * pre + j] as number) * x;
          }
          out[i] = accumulate ? (out[i] as number) + sum : sum;
        }
      };
    },
  });
}

/** `dense.sync`: `out_i (+)= Σ_j W_ij s_j`. */
export const denseSync = denseOp(
  'dense.sync',
  '`out_i (+)= Σ_j W_ij s_j` (weights [post×pre], spikes [pre])',
);
/** `dense.async`: `out_i (+)= Σ_j W_ij s_ij` (per-synapse spikes). */
export const denseAsync = denseOp(
  'dense.async',
  '`out_i (+)= Σ_j W_ij s_ij` (weights and per-synapse spikes [post×pre])',
);
