// W4b: ours measured on ab_brain in this process (load → first step, one step, k = 16 / 50 per
// call, the CartPole loop), the table and its ratios to Spark, and the Spark peer's detection
// refusing clearly when it is missing (the harness installs nothing).

import { describe, expect, it } from 'vitest';
import { type AbBrainSample, abBrainRow, detectSpark, renderAbBrain, runAbBrain } from '../src/ab_brain.ts';

const t = (cpu: number, wall: number) => ({ cpu, wall });

describe('W4b ab_brain', () => {
  it('times load → first step, one step, k = 16 / 50 per call and the CartPole loop, CPU and wall', async () => {
    const s = await runAbBrain({ kind: 'ab_brain', backend: 'cpu', calls: 1, warmup: 20 });
    for (const [name, x] of Object.entries({
      load: s.load,
      single: s.single,
      k16: s.k16,
      k50: s.k50,
      envStep: s.envStep,
      warmup: s.warmup,
    })) {
      expect(x?.wall, name).toBeGreaterThan(0);
      expect(x?.cpu, name).toBeGreaterThan(0);
    }
    // an environment step is 50 brain steps plus reading the action: more than one step
    expect(s.envStep.cpu).toBeGreaterThan(s.single.cpu);
    expect(s.backend?.kind).toBe('cpu');
    expect(s.statsPerStep?.dispatches).toBeGreaterThan(0);
    expect(s.peakRssMiB).toBeGreaterThan(s.startRssMiB ?? 0);
  }, 240_000);

  it('renders rows with the ratios to Spark by CPU time', () => {
    const ours: AbBrainSample = {
      load: t(0.2, 0.3),
      single: t(0.001, 0.002),
      k16: t(0.0009, 0.001),
      k50: t(0.0008, 0.001),
      envStep: t(0.05, 0.06),
      warmup: t(0.0005, 0.0004),
      peakRssMiB: 200,
      startRssMiB: 100,
    };
    const row = { ...abBrainRow('spark-snn cpu', [ours]), vsSparkSingle: 2.6, vsSparkScan: 4 };
    const spark = abBrainRow('Spark (JAX 0.10.2, float32, 1 thread)', [
      {
        ...ours,
        compileSingle: t(1, 2),
        compileScan: t(30, 60),
        load: t(16, 20),
        peakRssMiB: 1800,
      },
    ]);
    const md = renderAbBrain([spark, row]);
    expect(md).toMatch(
      /\| spark-snn cpu \| 1 \| 0\.20 \/ 0\.30 \| warm-up: 500 \/ 400 µs\/step \| 1000 \/ 2000 \| 900 \/ 1000 \| 800 \/ 1000 \| 50\.0 \/ 60\.0 \| 20\.00 \/ 16\.67 \| 200 \(100\) \| 2\.60 \/ 4\.00 \| — \/ — \|/,
    );
    expect(md).toMatch(
      /\| Spark \(JAX 0\.10\.2, float32, 1 thread\) \| 1 \| 16\.00 \/ 20\.00 \| 1\.00 \/ 2\.00; 30\.00 \/ 60\.00 \|/,
    );
  });

  it('the Spark peer is refused with a reason and how to get it', () => {
    const none = detectSpark('', 'python3');
    expect(none.available).toBe(false);
    expect(none.hint).toMatch(/SPARK_PEER_DIR/);
    const bad = detectSpark('/nonexistent/spark', 'python3');
    expect(bad.available).toBe(false);
    expect(bad.hint).toMatch(/cannot import jax, flax and spark from \/nonexistent\/spark/);
  });
});
