import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry } from '@spark-snn/config';
import { roundToFloat16 } from '@spark-snn/core';
import { describe, expect, it } from 'vitest';
import { CartPoleAgent, loadAbBrain, processObservation, punishment, summarise, TUTORIAL } from './agent.ts';
import { CartPole } from './env.ts';
import { AB_BRAIN_SHA256, AB_BRAIN_URL, abBrainBytes, parseCartPoleArgs } from './run.ts';

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

describe('the tutorial’s training scheme', () => {
  it('scales observations by (2.4, 2.5, 0.2095, 3.5) and clips to [−1, 1]', () => {
    expect(Array.from(processObservation([1.2, -5, 0.10475, 7]))).toEqual([
      Math.fround(0.5),
      -1,
      Math.fround(0.5),
      1,
    ]);
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
    expect(() => parseCartPoleArgs(['--backend', 'tpu'])).toThrow(/--backend/);
    expect(() => parseCartPoleArgs(['--episodes', '0'])).toThrow(/--episodes/);
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
    expect(a[1]).toBe(roundToFloat16(Math.fround(roundToFloat16(-25 * scale) * Math.fround(Math.exp(-2)))));
    expect(replay.mod_a_in![0]).toBe(roundToFloat16(-6.25 * scale));
    const w1 = await kernel();
    let changed = 0;
    for (let i = 0; i < w0.length; i++) if (w0[i] !== w1[i]) changed++;
    expect(changed).toBeGreaterThan(0);
    const s = summarise(agent.history, 1000, 500);
    expect(s.episodes).toBe(2);
    expect(s.envSteps).toBe(first.steps + second.steps);
    agent.destroy();
  }, 120_000);
});

describe('the command', () => {
  it('runs two short episodes from the README command line and prints the figures', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(here, 'main.ts'), '--episodes', '2', '--max-steps', '2', '--brain-steps', '3'],
      { encoding: 'utf8', cwd: join(here, '..', '..'), timeout: 90_000 },
    );
    expect(out).toMatch(/episode {3}1: +\d+ steps/);
    expect(out).toMatch(/episode {3}2: +\d+ steps/);
    expect(out).toMatch(/env-steps\/s/);
    expect(out).toMatch(/first reached the 2-step cap in episode 1|never reached/);
  }, 120_000);
});
