import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry } from '@spark-snn/config';
import { roundToFloat16 } from '@spark-snn/core';
import { describe, expect, it } from 'vitest';
import {
  CartPoleAgent,
  loadAbBrain,
  modulationSchedule,
  processObservation,
  punishment,
  summarise,
  TUTORIAL,
  withDtype,
} from './agent.ts';
import { CURVE_CSV_HEADER, parseCurveCsv } from './curve.ts';
import { CartPole } from './env.ts';
import {
  AB_BRAIN_SHA256,
  AB_BRAIN_URL,
  abBrainBytes,
  createTraining,
  FIXTURES_URL,
  parseCartPoleArgs,
} from './run.ts';

const here = dirname(fileURLToPath(import.meta.url));

describe('the bundled ab_brain.scfg', () => {
  it('is Spark’s tutorial file, byte for byte', () => {
    const sha = createHash('sha256').update(readFileSync(AB_BRAIN_URL)).digest('hex');
    expect(sha).toBe(AB_BRAIN_SHA256);
    expect(sha).toBe('88828fa41c0aba73939e30ea219cdc4ec186ab234835656fbff14482d26a4aed');
  });

  it('loads once alif_mod_neuron is registered, as a Spark-provenance brain', () => {
    const doc = loadAbBrain(abBrainBytes(), createRegistry());
    expect(doc.type).toBe('brain_config');
    expect(doc.provenance).toBe('spark');
    const names = (doc.config.modules_specs as { name: string }[]).map((m) => m.name).sort();
    expect(names).toEqual([
      'A_excitatory',
      'A_inhibitory',
      'B_excitatory',
      'B_inhibitory',
      'integrator',
      'spiker',
    ]);
  });
});

describe('--dtype', () => {
  const dtypes = (config: unknown): string[] => JSON.stringify(config).match(/"dtype":"\w+"/g) ?? [];

  it('file keeps Spark’s float16 modules; float32 sets every module’s dtype, nothing else', () => {
    const doc = loadAbBrain(abBrainBytes(), createRegistry());
    const before = dtypes(doc.config);
    const floats = before.filter((d) => d.includes('float'));
    expect(floats.length).toBeGreaterThan(10);
    expect(new Set(floats)).toEqual(new Set(['"dtype":"float16"']));
    expect(withDtype(doc, 'file')).toBe(doc);
    const f32 = withDtype(doc, 'float32');
    // every float dtype is float32 now, integer ones (delays: int32) stay, nothing else changes
    expect(dtypes(f32.config)).toEqual(before.map((d) => d.replace('float16', 'float32')));
    expect(JSON.stringify(f32.config).replaceAll('"float32"', '"float16"')).toBe(JSON.stringify(doc.config));
    expect(dtypes(doc.config)).toEqual(before); // the input is not changed
  });

  it('is a flag of the command; float16 is refused for Spark’s float32 network', () => {
    expect(parseCartPoleArgs([]).dtype).toBe('file');
    expect(parseCartPoleArgs(['--dtype', 'float32']).dtype).toBe('float32');
    expect(() => parseCartPoleArgs(['--dtype', 'f32'])).toThrow(
      /--dtype: expected one of file, float32, float16/,
    );
    expect(() => parseCartPoleArgs(['--network', 'spark', '--dtype', 'float16'])).toThrow(/float32/);
  });
});

describe('the tutorial’s training scheme', () => {
  it('scales observations by (2.4, 2.5, 0.2095, 3.5) and clips to [−1, 1]', () => {
    expect(Array.from(processObservation([1.2, -5, 0.10475, 7]))).toEqual([0.5, -1, 0.5, 1]);
    // float64 as NumPy: the float16 cast of the brain input then rounds once
    expect(processObservation([0.1, 0, 0, 0])[0]).toBe(0.1 / 2.4);
  });

  it('decays a modulation in float16 step by step, as JAX computes the tutorial’s scan', () => {
    // Recorded with jax 0.10.2: m ← jnp.array(exp(−2) · m, float16), from m = −22.5, 0.5625, −1e−4
    // (2⁻²⁴ is float16's smallest subnormal; JAX keeps the sign of the zero).
    const jax: [number, number[]][] = [
      [
        -22.5,
        [
          -22.5,
          -3.046875,
          -0.412353515625,
          -0.055816650390625,
          -0.007556915283203125,
          -0.0010232925415039062,
          -0.0001385211944580078,
          -1.8775463104248047e-5,
          -2.562999725341797e-6,
          -3.5762786865234375e-7,
          -(2 ** -24),
          -0,
        ],
      ],
      [
        0.5625,
        [
          0.5625,
          0.076171875,
          0.01031494140625,
          0.00139617919921875,
          0.00018906593322753906,
          2.5570392608642578e-5,
          3.4570693969726562e-6,
          4.76837158203125e-7,
          2 ** -24,
          0,
          0,
          0,
        ],
      ],
      [
        -1e-4,
        [
          -0.00010001659393310547,
          -1.3530254364013672e-5,
          -1.8477439880371094e-6,
          -2.384185791015625e-7,
          -(2 ** -24),
          -0,
          -0,
          -0,
          -0,
          -0,
          -0,
          -0,
        ],
      ],
    ];
    for (const [m, expected] of jax) {
      const got = Array.from(modulationSchedule(m, TUTORIAL.modulationDecay, expected.length));
      got.forEach((v, k) => {
        expect(Object.is(v, expected[k]), `m=${m} step ${k}: ${v} vs ${expected[k]}`).toBe(true);
      });
    }
    expect(Array.from(modulationSchedule(-1e-4, 1, 3))).toEqual(new Array(3).fill(roundToFloat16(-1e-4)));
  });

  it('punishes the pool that pushed the wrong way when the pole fell', () => {
    // Pole fell to the right (θ > 0): the cart should have gone right (B); A gets −25·scale.
    expect(punishment([0.1, 0, 0.9, 0], 0.5)).toEqual({ a: -12.5, b: 1.25, outOfBounds: false });
    expect(punishment([0.1, 0, -0.9, 0], 1)).toEqual({ a: 2.5, b: -25, outOfBounds: false });
  });

  it('steers back to the centre when the cart left the track with the pole upright', () => {
    // Off the left edge: steer to B (right), so A is punished.
    expect(punishment([-1, 0, 0.01, 0], 1)).toEqual({ a: -25, b: 2.5, outOfBounds: true });
    expect(punishment([1, 0, -0.01, 0], 1)).toEqual({ a: 2.5, b: -25, outOfBounds: true });
    // Off the track but the pole was not upright: treated as a fall.
    expect(punishment([1, 0, -0.5, 0], 1)).toEqual({ a: 2.5, b: -25, outOfBounds: true });
  });

  it('uses the tutorial’s constants', () => {
    expect(TUTORIAL.modulationDecay).toBeCloseTo(Math.exp(-2), 15);
    expect(TUTORIAL.brainStepsPerEnvStep).toBe(50);
    expect(TUTORIAL.passiveModulationScale).toBe(-1e-4);
    expect(TUTORIAL.modulationInhibitionScale).toBe(0.25);
  });

  it('parses the command-line flags', () => {
    expect(parseCartPoleArgs(['--episodes', '2', '--backend', 'auto', '--max-steps', '20'])).toMatchObject({
      episodes: 2,
      backend: 'auto',
      maxSteps: 20,
      brainSteps: 50,
      seed: 42,
    });
    expect(
      parseCartPoleArgs(['--seeds', '3', '--network', 'file', '--out', 'x', '--save-checkpoint']),
    ).toMatchObject({
      seeds: 3,
      seed: 42,
      network: 'file',
      out: 'x',
      saveCheckpoint: true,
    });
    expect(parseCartPoleArgs(['--network', 'spark'])).toMatchObject({ network: 'spark', seeds: 1, seed: 42 });
    expect(() => parseCartPoleArgs(['--backend', 'tpu'])).toThrow(/--backend/);
    expect(() => parseCartPoleArgs(['--episodes', '0'])).toThrow(/--episodes/);
    expect(() => parseCartPoleArgs(['--seeds'])).toThrow(/--seeds: expected an integer ≥ 1, got undefined/);
    expect(() => parseCartPoleArgs(['--network', 'jax'])).toThrow(/--network: expected one of file, spark/);
    expect(() => parseCartPoleArgs(['--network', 'spark', '--seeds', '3'])).toThrow(/seed 42 only/);
    expect(() => parseCartPoleArgs(['--out', '--seeds'])).toThrow(/--out: expected a value/);
    expect(() => parseCartPoleArgs(['--json', 'x'])).toThrow(/unknown flag --json/);
  });
});

describe('the closed loop (cpu, shortened)', () => {
  it('runs episodes, feeds decaying float16 modulations and changes the weights through plasticity', async () => {
    const registry = createRegistry();
    const agent = await CartPoleAgent.create(loadAbBrain(abBrainBytes(), registry), {
      backend: 'cpu',
      registry,
      brainStepsPerEnvStep: 4,
    });
    const fed: Record<string, Float32Array>[] = [];
    const run = agent.brain.run.bind(agent.brain);
    agent.brain.run = (options) => {
      fed.push({ ...(options.inputs as Record<string, Float32Array>) });
      return run(options);
    };
    const kernel = async () =>
      (await agent.brain.readState(['A_excitatory/synapses/kernel']))[
        'A_excitatory/synapses/kernel'
      ]!.data.slice();
    const w0 = await kernel();
    const env = new CartPole({ seed: 42, suttonBartoReward: true, maxEpisodeSteps: 3 });
    const first = await agent.runEpisode(env);
    expect(first).toMatchObject({ episode: 0, steps: 3, truncated: true, modulationScale: 1 });
    expect(first.brainSteps).toBe(4 * 4); // warm-up + 3 env steps, no replay after a truncation
    // warm-up: zero signal and modulation; then the scaled observation with the passive modulation
    expect(Array.from(fed[0]!.signal!)).toEqual([0, 0, 0, 0]);
    expect(Array.from(fed[0]!.mod_a_ex!)).toEqual([0, 0, 0, 0]);
    expect(Array.from(fed[1]!.mod_a_ex!)).toEqual(new Array(4).fill(roundToFloat16(-1e-4)));
    expect(Array.from(fed[1]!.mod_b_in!)).toEqual(new Array(4).fill(roundToFloat16(-0.25e-4)));

    // An episode that ends with the pole falling gets the punishment replay, decaying per step.
    const falling = new CartPole({ seed: 1, suttonBartoReward: true });
    falling.reset = () => {
      falling.episode += 1;
      falling.setState([0, 0, 0.2, 2]);
      return Float32Array.from(falling.state);
    };
    fed.length = 0;
    const second = await agent.runEpisode(falling);
    expect(second.terminated).toBe(true);
    expect(second.truncated).toBe(false);
    const replay = fed.at(-1)!;
    const scale = second.modulationScale;
    const a = replay.mod_a_ex!;
    const b = replay.mod_b_ex!;
    expect(a[0]).toBe(roundToFloat16(-25 * scale));
    expect(b[0]).toBe(roundToFloat16(2.5 * scale));
    expect(Array.from(a)).toEqual(Array.from(modulationSchedule(-25 * scale, Math.exp(-2), 4)));
    expect(replay.mod_a_in![0]).toBe(roundToFloat16(-6.25 * scale));
    const w1 = await kernel();
    let changed = 0;
    for (let i = 0; i < w0.length; i++) if (w0[i] !== w1[i]) changed++;
    expect(changed).toBeGreaterThan(0);
    const s = summarise(agent.history, 1000, 500);
    expect(s.episodes).toBe(2);
    expect(s.envSteps).toBe(first.steps + second.steps);

    // The trained state round-trips through a checkpoint: a fresh agent loaded from it plays the
    // next episode exactly as the original does.
    const bytes = await agent.saveCheckpoint('file');
    const copy = await CartPoleAgent.create(loadAbBrain(abBrainBytes(), registry), {
      backend: 'cpu',
      registry,
      brainStepsPerEnvStep: 4,
    });
    await expect(copy.loadCheckpoint(bytes, 'spark')).rejects.toThrow(
      /trained on the file network, this agent runs the spark network/,
    );
    await expect(copy.loadCheckpoint(await copy.brain.saveCheckpoint(), 'file')).rejects.toThrow(
      /not a CartPole agent checkpoint/,
    );
    expect(await copy.loadCheckpoint(bytes, 'file')).toEqual(agent.progress);
    expect(copy.modulationScale).toBe(agent.modulationScale);
    const values = async (a: CartPoleAgent) => {
      const seen: number[] = [];
      const env = new CartPole({ seed: 7, suttonBartoReward: true, maxEpisodeSteps: 5 });
      const r = await a.runEpisode(env, { onStep: (v) => void seen.push(...v.actionValues) });
      return { r: { ...r, ms: 0 }, seen };
    };
    const [mine, theirs] = [await values(agent), await values(copy)];
    expect(theirs).toEqual(mine);
    expect(copy.progress).toEqual(agent.progress);

    // Watching: plasticity off, no replay, nothing counted, no weight changes.
    await agent.setLearning(false);
    const before = await kernel();
    const watched = await agent.runEpisode(falling, { learn: false });
    expect(watched.terminated).toBe(true);
    expect(watched.brainSteps).toBe(4 * (watched.steps + 1)); // no punishment replay
    expect(Array.from(await kernel())).toEqual(Array.from(before));
    expect(agent.progress).toEqual(copy.progress);
    copy.destroy();
    agent.destroy();
  }, 240_000);
});

describe("Spark's own network on Gymnasium's starts", () => {
  it('acts as upstream Spark does, step for step, through its first three episodes', async () => {
    // Recorded by spark_cartpole.py --network frozen --trace (see the file's description).
    const spark = JSON.parse(
      readFileSync(new URL('cartpole/spark_frozen_float32_first_episodes.json', FIXTURES_URL), 'utf8'),
    ) as { episodes: [number, number, number][][] };
    const { agent, env } = await createTraining({
      network: 'spark',
      seed: 42,
      backend: 'cpu',
      brainSteps: 50,
      maxSteps: 500,
    });
    try {
      for (const [e, ref] of spark.episodes.entries()) {
        const ours: number[][] = [];
        const r = await agent.runEpisode(env, {
          onStep: (v) => void ours.push([v.actionValues[0]!, v.actionValues[1]!, v.action]),
        });
        expect(r.steps, `episode ${e + 1}`).toBe(ref.length);
        expect(
          ours.map((o) => o[2]),
          `episode ${e + 1}: actions`,
        ).toEqual(ref.map((o) => o[2]));
        ours.forEach((o, t) => {
          for (const i of [0, 1]) {
            const rel = Math.abs(o[i]! - ref[t]![i]!) / Math.abs(ref[t]![i]!);
            expect(rel, `episode ${e + 1}, env step ${t + 1}, action value ${i}`).toBeLessThanOrEqual(1e-5);
          }
        });
      }
      expect(agent.history.map((h) => h.steps)).toEqual([9, 12, 10]);
    } finally {
      agent.destroy();
    }
  }, 300_000);
});

describe('the command', () => {
  it('trains two seeds × two short episodes from the README command and writes the curve', () => {
    const out = mkdtempSync(join(tmpdir(), 'cartpole-'));
    try {
      const text = execFileSync(
        'pnpm',
        [
          '--silent',
          '--filter',
          '@spark-snn/examples',
          'cartpole',
          ...['--episodes', '2', '--seeds', '2', '--max-steps', '2', '--brain-steps', '3', '--out', out],
        ],
        { encoding: 'utf8', cwd: join(here, '..', '..', '..', '..'), timeout: 150_000 },
      );
      expect(text).toMatch(/seed 42 episode {3}1: +\d+ steps/);
      expect(text).toMatch(/seed 43 episode {3}2: +\d+ steps/);
      expect(text).toMatch(/env-steps\/s/);
      expect(text).toMatch(/seed 43: 2 episodes, (first reached the 2-step cap in episode \d|never reached)/);
      checkCurveFiles(out, [42, 43], 2, 2);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);
});

/** The files of a run: the CSV's shape (header, one row per seed and episode), the SVG's panels, the summary. */
export function checkCurveFiles(out: string, seeds: number[], episodes: number, cap: number): void {
  const rows = parseCurveCsv(readFileSync(join(out, 'curve.csv'), 'utf8'));
  expect(readFileSync(join(out, 'curve.csv'), 'utf8').split('\n')[0]).toBe(CURVE_CSV_HEADER);
  expect(rows.map((r) => [r.seed, r.episode])).toEqual(
    seeds.flatMap((s) => Array.from({ length: episodes }, (_, e) => [s, e + 1])),
  );
  for (const r of rows) {
    expect(r.steps).toBeGreaterThanOrEqual(1);
    expect(r.steps).toBeLessThanOrEqual(cap);
    expect(r.outcome === 'truncated').toBe(r.steps === cap);
    expect(r.brainSteps).toBeGreaterThan(0);
    expect(r.ms).toBeGreaterThan(0);
  }
  const svg = readFileSync(join(out, 'curve.svg'), 'utf8');
  expect(svg.match(/<polyline /g)).toHaveLength(2 * seeds.length);
  expect(svg.match(/<use href="#(pole_fell|out_of_bounds|truncated)" x=/g)).toHaveLength(rows.length + 3);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  expect(summary.seeds.map((s: { seed: number }) => s.seed)).toEqual(seeds);
  expect(summary.envSteps).toBe(rows.reduce((a, r) => a + r.steps, 0));
}
