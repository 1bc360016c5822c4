// The harness end to end on the cpu backend (smoke suite, one seed, no Brian2) and its pieces:
// the naive peer passes its own rate gate, tables refuse speed figures for a failed gate, the SVG
// plot is well formed.

import { cpuBackend, webgpuBackend } from '@spark-snn/kernels';
import { Brain } from '@spark-snn/nn';
import { describe, expect, it } from 'vitest';
import {
  type BenchOptions,
  cubaConfig,
  type Row,
  renderAb,
  renderSparse,
  renderTables,
  runBenchmarks,
  runSparseBench,
  scalingSvg,
} from '../src/index.ts';
import { checkout, configPlan, runJob } from '../src/jobs.ts';
import { interleave } from '../src/measure.ts';
import { naiveCuba } from '../src/naive.ts';

/** Runs the harness quietly on cpu (smoke suite unless told otherwise); returns its exit code and output. */
async function bench(o: Partial<BenchOptions>): Promise<{ code: number; out: string }> {
  let out = '';
  const write = (t: string): void => {
    out += t;
  };
  const code = await runBenchmarks({ suite: 'smoke', backend: 'cpu', json: false, tty: false, write, ...o });
  return { code, out };
}

describe('bench harness', () => {
  it('runs the smoke suite on cpu and prints a gated table', async () => {
    const { code, out } = await bench({ seeds: 1, peers: true, noBrian2: true });
    expect(code).toBe(0);
    expect(out).toMatch(/### W1: CUBA/);
    expect(out).toMatch(/\| spark-snn cpu \| 4000 \| 0.3 × 1 \|.*\| pass \|/);
    expect(out).toMatch(/naive JS loop/);
  }, 120_000);

  it('--from-config: the compiled BrainConfig with the population monitor counts what Brain.run records', async () => {
    const c = { id: 'W1', network: 'cuba' as const, n: 400, seconds: 0.03 };
    const { plan, monitor, nE } = configPlan(c, 2);
    expect(nE).toBe(320);
    const b = cpuBackend();
    const p = await b.load(plan);
    const steps = 300;
    const counts = (await p.run({ steps, record: [monitor] })).records[monitor] as Float32Array;
    p.destroy();
    const brain = await Brain.fromConfig(cubaConfig({ n: 400, seed: 2 }).document, {
      backend: b,
      inputShapes: {},
    });
    const spikes = (await brain.run({ steps, record: ['neurons.spikes'] })).series['neurons.spikes']!.data;
    brain.destroy();
    b.destroy();
    let total = 0;
    for (let t = 0; t < steps; t++) {
      let e = 0;
      let i = 0;
      for (let k = 0; k < 400; k++) {
        if (k < 320) e += spikes[t * 400 + k]!;
        else i += spikes[t * 400 + k]!;
      }
      expect([counts[2 * t], counts[2 * t + 1]], `step ${t}`).toEqual([e, i]);
      total += e + i;
    }
    expect(total).toBeGreaterThan(50);
  }, 120_000);

  it('rejects an unknown suite', async () => {
    const { code, out } = await bench({ suite: 'nope' });
    expect(code).toBe(2);
    expect(out).toMatch(/unknown suite/);
  });

  it('the naive CUBA loop fires at the expected rate', () => {
    const r = naiveCuba(4000, 5000, 1);
    expect((r.rateE * 3200 + r.rateI * 800) / 4000).toBeGreaterThan(4.5);
    expect((r.rateE * 3200 + r.rateI * 800) / 4000).toBeLessThan(6.7);
  });

  it('refuses speed figures when the gate fails, and plots only gated rows', () => {
    const failed: Row = {
      workload: 'W1',
      network: 'cuba',
      runner: 'x',
      n: 4000,
      seconds: 1,
      seeds: 5,
      rateE: 1,
      rateI: 1,
      gate: 'fail',
      gateNote: 'mean 1.00 Hz vs 5.6 Hz ± 10 %',
    };
    const ok: Row = { ...failed, runner: 'y', gate: 'pass', rtf: 0.5, usPerStep: 50 };
    const t = renderTables([failed, ok]);
    expect(t).toMatch(/\| x \| 4000 .*\*\*REFUSED\*\* \(mean 1.00 Hz/);
    expect(t).not.toMatch(/\| x \|.*\| 0\.500 \|/);
    const svg = scalingSvg([failed, ok, { ...ok, n: 40000, rtf: 5 }]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/CUBA · y/);
    expect(svg).not.toMatch(/CUBA · x/);
  });

  it('W0s: every sparse variant (cpu u16/u32, webgpu gather/scatter × u16/u32) equals the cpu', async () => {
    const cpu = cpuBackend();
    let gpu: Awaited<ReturnType<typeof webgpuBackend>> | undefined;
    try {
      gpu = await webgpuBackend();
    } catch {
      // cpu rows only
    }
    const rows = await runSparseBench({
      cpu,
      ...(gpu ? { webgpu: gpu } : {}),
      sizes: [3000],
      activities: [0.01],
      k: 20,
      steps: 3,
    });
    gpu?.destroy();
    expect(rows.map((r) => `${r.runner} ${r.delivery} ${r.indexWidth}`)).toEqual([
      'cpu push 16',
      'cpu push 32',
      ...(gpu ? ['webgpu gather 16', 'webgpu gather 32', 'webgpu scatter 16', 'webgpu scatter 32'] : []),
    ]);
    for (const r of rows) expect(r.exact, `${r.runner} ${r.delivery} u${r.indexWidth}`).toBe(true);
    // 30 active units × 20 edges = 600 events; push reads 2 or 4 index bytes per event plus the spike scan.
    expect(rows[0]!.bytesPerStep).toBe(600 * 2 + 3000 * 4);
    expect(renderSparse(rows, gpu?.description)).toMatch(/\| 3000 \| 0.01 \| cpu \| push \| 2 \|/);
  }, 120_000);
});

describe('fair timing and A/B mode', () => {
  it('interleaves runners: every round runs each once, the order rotated by the round', () => {
    expect([0, 1, 2, 3].map((r) => interleave(['a', 'b', 'c'], r).join(''))).toEqual([
      'abc',
      'bca',
      'cab',
      'abc',
    ]);
    expect(interleave([], 3)).toEqual([]);
  });

  it('a job reports CPU and wall time of its step loop, its cold start and its peak memory', async () => {
    const s = await runJob({
      kind: 'network',
      runner: 'plan',
      backend: 'cpu',
      network: 'cuba',
      n: 400,
      seconds: 0.3,
      seed: 1,
    });
    expect(s.steps).toBe(3000);
    expect(s.loop.wall).toBeGreaterThan(0);
    expect(s.loop.cpu).toBeGreaterThan(0);
    expect(s.cold.cpu).toBeGreaterThan(0);
    expect(s.peakRssMiB).toBeGreaterThanOrEqual(s.startRssMiB * 0.99);
    expect(s.backend?.kind).toBe('cpu');
    // the program's counters, per step
    expect(s.statsPerStep?.dispatches).toBeGreaterThan(0);
    expect(s.rateE + s.rateI).toBeGreaterThan(0);
  }, 60_000);

  it('--vs runs the same jobs from another checkout, alternating, and prints the A/B table', async () => {
    const { code, out } = await bench({ seeds: 2, vs: checkout().root });
    expect(code, out).toBe(0);
    // peers are off by default in A/B mode
    expect(out).not.toMatch(/naive JS loop/);
    const label = checkout().label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const order = [...out.matchAll(/round (\d) (spark-snn cpu \[[^\]]+\])/g)].map((m) => m[1]);
    expect(order).toEqual(['1', '1', '2', '2']);
    expect(out).toMatch(new RegExp(`### A/B: ${label} \\(A\\) vs ${label} \\(B\\)`));
    expect(out).toMatch(
      /\| W1 cuba N=4000, µs\/step \| spark-snn cpu \| 2 \| [\d.]+ \| [\d.]+ \| \*\*[\d.]+\*\* \|/,
    );
  }, 180_000);

  it('--vs refuses a folder that is not a checkout, with its path', async () => {
    const { code, out } = await bench({ vs: '/nonexistent/x' });
    expect(code).toBe(2);
    expect(out).toMatch(/\/nonexistent\/x: no apps\/bench\/src\/child\.ts/);
  });

  it('renders the A/B ratios', () => {
    const t = renderAb([
      {
        what: 'W1 cuba N=4000, µs/step',
        runner: 'spark-snn cpu',
        a: 'x@1',
        b: 'main@2',
        seeds: 5,
        aCpuUs: 50,
        bCpuUs: 100,
        aWallUs: 60,
        bWallUs: 90,
        seedRatioMin: 1.8,
        seedRatioMax: 2.2,
        aPeakRssMiB: 120,
        bPeakRssMiB: 130,
      },
    ]);
    expect(t).toMatch(/### A\/B: x@1 \(A\) vs main@2 \(B\)/);
    expect(t).toMatch(
      /\| W1 cuba N=4000, µs\/step \| spark-snn cpu \| 5 \| 50\.0 \| 100\.0 \| \*\*2\.000\*\* \| 1\.800–2\.200 \| 60\.0 \| 90\.0 \| 1\.500 \| 120 \/ 130 \|/,
    );
  });
});
