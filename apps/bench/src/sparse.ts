/**
 * W0s: a W0-style microbenchmark of sparse propagation alone — one `sparse.csr` op (fixed in-degree
 * K, homogeneous weight) at several sizes N and active fractions, on cpu (u16 vs u32 targets) and on
 * webgpu (gather vs atomic scatter, u16 vs u32 indices). The spike vector is written once and stays
 * on the device (no per-step upload), so a step is the propagation only. Every variant's currents are
 * checked against the cpu's before its time is reported (integer weights: exact).
 *
 * Software adapters (SwiftShader, lavapipe) execute WGSL on the CPU: their figures measure dispatch
 * overheads and relative trends only, never GPU performance.
 *
 * @module
 */
import type { Backend, Plan } from '@spark-snn/core';
import { fixedInDegree, type WebGpuBackend, webgpuSparseInfo } from '@spark-snn/kernels';

/** One measured variant. */
export interface SparseRow {
  readonly n: number;
  readonly k: number;
  /** Fraction of presynaptic units active every step. */
  readonly activity: number;
  readonly runner: string;
  readonly delivery: string;
  readonly indexWidth: number;
  /** Model bytes per step divided by the delivered events (gather reads every edge, so it pays for idle ones). */
  readonly bytesPerEvent: number;
  /** Bytes the kernels read per step by the byte model (gather: every edge; scatter/cpu: active edges). */
  readonly bytesPerStep: number;
  readonly usPerStep: number;
  readonly eventsPerS: number;
  readonly exact: boolean;
}

/** Options of {@link runSparseBench}. */
export interface SparseBenchOptions {
  readonly sizes?: readonly number[];
  readonly activities?: readonly number[];
  /** In-degree (default 100). */
  readonly k?: number;
  /** Steps per timed run (default 50; the median of three runs after one warm run is reported). */
  readonly steps?: number;
  readonly cpu: Backend;
  readonly webgpu?: Backend;
  readonly log?: (line: string) => void;
}

function plan(n: number, k: number, o: { delivery: string; indexWidth: 16 | 32; activity: number }): Plan {
  const c = fixedInDegree({ pre: n, post: n, k, seed: 1, stream: 0 });
  return {
    dt: 1,
    seed: 0,
    buffers: [
      { name: 's', dtype: 'float32', shape: [n] },
      { name: 'o', dtype: 'uint32', shape: [n + 1], init: c.offsets },
      { name: 'src', dtype: 'uint32', shape: [c.sources.length], init: c.sources },
      { name: 'out', dtype: 'float32', shape: [n] },
    ],
    ops: [
      {
        op: 'sparse.csr',
        name: 'syn',
        bindings: { offsets: 'o', sources: 'src', spikes: 's', out: 'out' },
        attrs: { post: n, pre: n, nnz: c.sources.length, weight: 1, ...o },
      },
    ],
  };
}

/** Spikes of a fixed fraction of units (every ⌊1/activity⌋-th unit). */
function spikes(n: number, activity: number): Float32Array {
  const s = new Float32Array(n);
  const every = Math.max(1, Math.round(1 / activity));
  for (let j = 0; j < n; j += every) s[j] = 1;
  return s;
}

async function time(
  b: Backend,
  p: Plan,
  s: Float32Array,
  steps: number,
): Promise<{ us: number; out: Float32Array; info: ReturnType<typeof webgpuSparseInfo> }> {
  const prog = await b.load(p);
  // A run without recordings returns once submitted: wait for the GPU (benchmarks.md §3.3).
  const device = (b as Partial<WebGpuBackend>).device;
  const done = async (): Promise<void> => {
    if (device) await device.queue.onSubmittedWorkDone();
  };
  try {
    await prog.write('s', s);
    await prog.run({ steps }); // warm (pipelines, JIT, caches)
    await done();
    // Median of three timed runs (the machine is shared: single runs are noisy).
    const times: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      await prog.run({ steps });
      await done();
      times.push(((performance.now() - t0) * 1000) / steps);
    }
    const us = times.sort((a, b) => a - b)[1] as number;
    const out = (await prog.read('out')) as Float32Array;
    return { us, out, info: webgpuSparseInfo(prog) };
  } finally {
    prog.destroy();
  }
}

/** Runs W0s; returns its rows (cpu first). */
export async function runSparseBench(o: SparseBenchOptions): Promise<SparseRow[]> {
  const k = o.k ?? 100;
  const steps = o.steps ?? 50;
  const rows: SparseRow[] = [];
  for (const n of o.sizes ?? [4000, 32_000, 65_536]) {
    for (const activity of o.activities ?? [0.001, 0.01, 0.1]) {
      const s = spikes(n, activity);
      const active = s.reduce((a, x) => a + (x !== 0 ? 1 : 0), 0);
      const events = active * k;
      let want: Float32Array | undefined;
      const variants: { b: Backend; runner: string; delivery: string; width: 16 | 32 }[] = [
        { b: o.cpu, runner: 'cpu', delivery: 'push', width: 16 },
        { b: o.cpu, runner: 'cpu', delivery: 'push', width: 32 },
      ];
      if (o.webgpu)
        for (const delivery of ['gather', 'scatter'])
          for (const width of [16, 32] as const)
            variants.push({ b: o.webgpu, runner: 'webgpu', delivery, width });
      for (const v of variants) {
        const r = await time(
          v.b,
          plan(n, k, {
            delivery: v.delivery === 'push' ? 'auto' : v.delivery,
            indexWidth: v.width,
            activity,
          }),
          s,
          steps,
        );
        want ??= r.out;
        const exact = r.out.every((x, i) => x === want?.[i]);
        const idx = v.width / 8;
        const gather = v.delivery === 'gather';
        const bytesPerStep = gather
          ? n * k * idx + n * 4
          : events * (idx + (v.runner === 'webgpu' ? 4 : 0)) + n * 4;
        const row: SparseRow = {
          n,
          k,
          activity,
          runner: v.runner,
          delivery: r.info[0]?.delivery ?? v.delivery,
          indexWidth: r.info[0]?.indexWidth ?? v.width,
          bytesPerEvent: bytesPerStep / Math.max(1, events),
          bytesPerStep,
          usPerStep: r.us,
          eventsPerS: events / (r.us * 1e-6),
          exact,
        };
        rows.push(row);
        o.log?.(
          `  N ${n}, activity ${activity}: ${v.runner} ${row.delivery} u${row.indexWidth}: ${r.us.toFixed(1)} µs/step${exact ? '' : ' (MISMATCH)'}`,
        );
      }
    }
  }
  return rows;
}

/** The W0s table (markdown). */
export function renderSparse(rows: readonly SparseRow[], adapter: string | undefined): string {
  const software = adapter !== undefined && /swiftshader|lavapipe|llvmpipe/i.test(adapter);
  return [
    `### W0s: sparse propagation (one \`sparse.csr\`, fixed in-degree K = ${rows[0]?.k ?? 100}, homogeneous weight, spikes resident on the device)`,
    '',
    `webgpu adapter: ${adapter ?? 'none'}${software ? ' — **software adapter: overheads and trends only, not GPU performance**' : ''}`,
    '',
    '| N | active fraction | runner | delivery | index bytes | bytes/event | model bytes/step | µs/step | events/s | equals cpu |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.n} | ${r.activity} | ${r.runner} | ${r.delivery} | ${r.indexWidth / 8} | ${r.bytesPerEvent.toFixed(1)} | ${r.bytesPerStep.toExponential(2)} | ${r.usPerStep.toFixed(1)} | ${r.eventsPerS.toExponential(2)} | ${r.exact ? 'yes' : '**no**'} |`,
    ),
    '',
  ].join('\n');
}
