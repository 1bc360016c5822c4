import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CARTPOLE, CartPole } from './env.ts';
import { FIXTURES_URL } from './run.ts';

interface Recorded {
  actions: number[];
  states: number[][];
  rewards: number[];
  terminated: boolean;
  truncated: boolean;
}
/** Gymnasium 1.3.0 recordings (see the file's description). */
const gymnasium = JSON.parse(
  readFileSync(new URL('cartpole/gymnasium_trajectories.json', FIXTURES_URL), 'utf8'),
) as { episodes: Recorded[] };

describe('CartPole-v1 dynamics', () => {
  it('matches a hand-computed Euler step from an upright pole pushed right', () => {
    const env = new CartPole();
    env.reset();
    env.setState([0, 0, 0, 0]);
    const { observation, reward, terminated, truncated } = env.step(1);
    // θ = 0: temp = 10/1.1; θ̈ = −temp / (0.5·(4/3 − 0.1/1.1)); ẍ = temp − 0.05·θ̈/1.1
    const temp = 10 / 1.1;
    const thetaAcc = -temp / (0.5 * (4 / 3 - 0.1 / 1.1));
    const xAcc = temp - (0.05 * thetaAcc) / 1.1;
    expect(observation[0]).toBe(0); // x uses the old velocity
    expect(observation[1]).toBe(Math.fround(0.02 * xAcc));
    expect(observation[2]).toBe(0);
    expect(observation[3]).toBe(Math.fround(0.02 * thetaAcc));
    expect(observation[1]).toBeCloseTo(0.19512196, 7);
    expect(observation[3]).toBeCloseTo(-0.29268292, 7);
    expect(reward).toBe(1);
    expect(terminated).toBe(false);
    expect(truncated).toBe(false);
  });

  it('integrates a tilted, moving state with both gravity and centripetal terms', () => {
    const env = new CartPole();
    env.reset();
    const s0 = [0.1, -0.2, 0.05, 0.3];
    env.setState(s0);
    env.step(0);
    const [x, xd, th, thd] = s0 as [number, number, number, number];
    const cos = Math.cos(th);
    const sin = Math.sin(th);
    const temp = (-10 + 0.05 * (thd * thd) * sin) / 1.1;
    const thAcc = (9.8 * sin - cos * temp) / (0.5 * (4 / 3 - (0.1 * (cos * cos)) / 1.1));
    const xAcc = temp - (0.05 * thAcc * cos) / 1.1;
    expect(Array.from(env.state)).toEqual([
      x + 0.02 * xd,
      xd + 0.02 * xAcc,
      th + 0.02 * thd,
      thd + 0.02 * thAcc,
    ]);
  });

  it('terminates past 12 degrees and past the track edge, with gymnasium rewards', () => {
    const env = new CartPole();
    env.reset();
    env.setState([0, 0, CARTPOLE.thetaThreshold - 1e-6, 1]);
    const fell = env.step(1);
    expect(fell.terminated).toBe(true);
    expect(fell.reward).toBe(1);
    expect(env.step(1).reward).toBe(0); // stepping after termination

    const sb = new CartPole({ suttonBartoReward: true });
    sb.reset();
    sb.setState([0, 0, 0, 0]);
    expect(sb.step(1).reward).toBe(0);
    sb.setState([2.4, 1, 0, 0]);
    const out = sb.step(1);
    expect(out.terminated).toBe(true);
    expect(out.reward).toBe(-1);
  });

  it('truncates after 500 steps under a balancing controller', () => {
    const env = new CartPole({ seed: 3 });
    env.reset();
    let last = { terminated: false, truncated: false };
    let steps = 0;
    while (!last.terminated && !last.truncated) {
      const s = env.state;
      // A PD controller on the pole angle and cart position keeps it up indefinitely.
      last = env.step(s[2]! + 0.5 * s[3]! + 0.01 * s[0]! + 0.1 * s[1]! > 0 ? 1 : 0);
      steps++;
    }
    expect(last.truncated).toBe(true);
    expect(steps).toBe(500);
  });

  it('resets reproducibly from the seed into [−0.05, 0.05)', () => {
    const a = new CartPole({ seed: 42 });
    const b = new CartPole({ seed: 42 });
    const c = new CartPole({ seed: 43 });
    const first = a.reset();
    expect(Array.from(first)).toEqual(Array.from(b.reset()));
    expect(Array.from(first)).not.toEqual(Array.from(c.reset()));
    for (let e = 0; e < 50; e++) {
      for (const v of a.reset()) {
        expect(v).toBeGreaterThanOrEqual(-0.05);
        expect(v).toBeLessThan(0.05);
      }
    }
  });

  it('follows Gymnasium’s recorded trajectories bit for bit (cap, pole fell, out of bounds)', () => {
    const outcomes: string[] = [];
    for (const ep of gymnasium.episodes) {
      const env = new CartPole({ suttonBartoReward: true, starts: [ep.states[0]!] });
      env.reset();
      let last = { terminated: false, truncated: false, reward: 0 };
      ep.actions.forEach((a, t) => {
        last = env.step(a);
        expect(Array.from(env.state), `step ${t + 1}`).toEqual(ep.states[t + 1]);
        expect(last.reward).toBe(ep.rewards[t]);
      });
      expect(last.terminated).toBe(ep.terminated);
      expect(last.truncated).toBe(ep.truncated);
      outcomes.push(`${ep.actions.length}:${ep.terminated ? 'terminated' : 'truncated'}`);
    }
    expect(outcomes).toEqual(['500:truncated', '9:terminated', '176:terminated']);
  });

  it('takes given initial states in order and refuses to reset past them', () => {
    const env = new CartPole({
      starts: [
        [0.1, 0.2, 0.3, 0.4],
        [-0.01, 0, 0.02, 0],
      ],
    });
    expect(Array.from(env.reset())).toEqual(Array.from(Float32Array.of(0.1, 0.2, 0.3, 0.4)));
    expect(Array.from(env.state)).toEqual([0.1, 0.2, 0.3, 0.4]);
    env.reset();
    expect(Array.from(env.state)).toEqual([-0.01, 0, 0.02, 0]);
    expect(() => env.reset()).toThrow(/reset 3 asked for, but only 2 initial states were given/);
    expect(() => new CartPole({ starts: [[0, 0, 0]] })).toThrow(/starts\[0\] must be 4 finite numbers/);
  });

  it('flags the step that reaches the limit truncated even when it also terminates (Gymnasium’s TimeLimit)', () => {
    const env = new CartPole({ maxEpisodeSteps: 1 });
    env.reset();
    env.setState([0, 0, CARTPOLE.thetaThreshold, 1]);
    expect(env.step(1)).toMatchObject({ terminated: true, truncated: true });
  });

  it('rejects bad actions and stepping before reset', () => {
    const env = new CartPole();
    expect(() => env.step(1)).toThrow(/reset\(\) before the first step/);
    env.reset();
    expect(() => env.step(2)).toThrow(/action must be 0 \(left\) or 1 \(right\), got 2/);
  });
});
