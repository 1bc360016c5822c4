/**
 * Event-driven sparse propagation on the CPU (`sparse.csr`). The op's connectivity is the incoming
 * (post-major) CSR; at load the backend builds its transpose (pre-major, targets ascending, see
 * `transposeSparse`), so a step costs one scan of the spike vector (of each delay row in use) plus
 * the out-edges of the units that spiked. Sources are visited in ascending order and the edges of one
 * source keep their incoming order, so every target receives its contributions in the order of the
 * GPU gathers: the f32 sums are bit-identical.
 *
 * Targets are stored as uint16 when the postsynaptic population has at most 65,536 units (2 bytes
 * per edge instead of 4; `indexWidth` 32 turns it off), per-connection delays as uint16.
 *
 * @module
 */

import { type CpuOp, cpuOp } from '../../backends/cpu/op.ts';
import { historySlots, indexWidthFor, type SparseHost, transposeSparse } from './layout.ts';

/** One step of a loaded `sparse.csr` op: reads `spikes`, updates `history` (when delayed), writes `out`. */
export type SparseCpuStep = (
  spikes: Float32Array,
  history: Float32Array | undefined,
  out: Float32Array,
  step: number,
) => void;

/** Builds the cpu step of a `sparse.csr` op from its validated connectivity. */
export function sparseCsrCpu(h: SparseHost, indexWidth: 'auto' | 16 | 32 = 'auto'): SparseCpuStep {
  const g = transposeSparse(h);
  const targets: Uint16Array | Int32Array =
    indexWidthFor(indexWidth, h.post) === 16 ? Uint16Array.from(g.targets) : Int32Array.from(g.targets);
  const offsets = Int32Array.from(g.offsets);
  const { first, last, weights, delays } = g;
  const { pre, post, accumulate } = h;
  const weight = h.weight;
  const slots = historySlots(h);
  const acc = new Float32Array(accumulate ? post : 0);
  // Per-connection delays: the delay values in use (one history row each), and scratch for the
  // units active in any of them.
  const used: number[] = [];
  if (delays) {
    const seen = new Uint8Array(h.maxDelay + 1);
    for (let e = 0; e < delays.length; e++) seen[delays[e] as number] = 1;
    for (let d = 0; d <= h.maxDelay; d++) if (seen[d]) used.push(d);
  }
  const mark = new Uint8Array(delays ? pre : 0);
  const active = new Int32Array(delays ? pre : 0);

  const push = (x: Float32Array, j: number, target: Float32Array): void => {
    const v0 = x[j] as number;
    const end = offsets[j + 1] as number;
    if (weights) {
      for (let e = offsets[j] as number; e < end; e++) {
        const i = targets[e] as number;
        target[i] = Math.fround((target[i] as number) + Math.fround((weights[e] as number) * v0));
      }
    } else {
      const v = Math.fround(weight * v0);
      for (let e = offsets[j] as number; e < end; e++) {
        const i = targets[e] as number;
        target[i] = Math.fround((target[i] as number) + v);
      }
    }
  };

  return (spikes, history, out, step) => {
    const target = accumulate ? acc : out;
    target.fill(0);
    let now = 0;
    if (slots > 0) {
      now = step % slots;
      (history as Float32Array).set(spikes, now * pre);
    }
    if (!delays) {
      // One delay for every connection: scan the row of step t − delay.
      const x =
        slots > 0
          ? (history as Float32Array).subarray(
              ((now + slots - h.delay) % slots) * pre,
              ((now + slots - h.delay) % slots) * pre + pre,
            )
          : spikes;
      for (let j = first; j < last; j++) if (x[j] !== 0) push(x, j, target);
    } else {
      const hist = history ?? spikes;
      // Units with a spike in any delay row in use, visited in ascending order.
      let n = 0;
      for (const d of used) {
        const base = slots > 0 ? ((now + slots - d) % slots) * pre : 0;
        for (let j = first; j < last; j++) {
          if (hist[base + j] !== 0 && mark[j] === 0) {
            mark[j] = 1;
            active[n++] = j;
          }
        }
      }
      const list = active.subarray(0, n).sort();
      for (let k = 0; k < n; k++) {
        const j = list[k] as number;
        mark[j] = 0;
        const end = offsets[j + 1] as number;
        for (let e = offsets[j] as number; e < end; e++) {
          const d = delays[e] as number;
          const x = hist[(slots > 0 ? ((now + slots - d) % slots) * pre : 0) + j] as number;
          if (x === 0) continue;
          const i = targets[e] as number;
          const w = weights ? Math.fround((weights[e] as number) * x) : Math.fround(weight * x);
          target[i] = Math.fround((target[i] as number) + w);
        }
      }
    }
    if (accumulate) for (let i = 0; i < post; i++) out[i] = (out[i] as number) + (acc[i] as number);
  };
}

/**
 * The spike history of a delayed `sparse.csr`: writes `s` into row `t mod slots` and returns the row
 * of step `t − delay` (`slots = delay + 1`) as a view.
 */
export function historyStep(
  history: Float32Array,
  s: Float32Array,
  pre: number,
  slots: number,
  step: number,
): Float32Array {
  const w = step % slots;
  history.set(s, w * pre);
  const r = (step + 1) % slots;
  return history.subarray(r * pre, r * pre + pre);
}

/** `sparse.csr` on cpu: the connectivity is static, transposed once into the push (pre-major) form. */
export const sparseCsrCpuOp: CpuOp<'sparse.csr'> = cpuOp('sparse.csr', (r, c) => {
  const fn = sparseCsrCpu(r.host, r.attrs.indexWidth);
  const s = c.get<Float32Array>('spikes');
  const out = c.get<Float32Array>('out');
  const history = r.op.bindings.history === undefined ? undefined : c.get<Float32Array>('history');
  return (step) => fn(s, history, out, step);
});
