/**
 * CartPole-v1, the classic cart-pole balancing task, with the dynamics, thresholds, termination,
 * truncation and rewards of Gymnasium's `CartPole-v1` (including its `sutton_barto_reward` option).
 *
 * - state `[x, ẋ, θ, θ̇]` kept in float64 as Gymnasium does; observations are returned as float32;
 * - explicit Euler integration with τ = 0.02 s; force ±10 N;
 * - terminated when |x| > 2.4 or |θ| > 12° (2π·12/360 rad); truncated after 500 steps (the
 *   `TimeLimit` wrapper of the registered environment, which flags the 500th step truncated even when
 *   it also terminates);
 * - reward 1 per step (also on the terminating step); with `suttonBartoReward` 0 per step and −1 on
 *   termination;
 * - `reset` draws each state variable uniformly from [−0.05, 0.05) with the counter-based RNG of
 *   `@spark-snn/core`, so an episode is reproducible from (seed, episode) — or takes the next of a
 *   given list of initial states (`starts`, e.g. the states Gymnasium draws after `reset(seed=42)`);
 * - every operation of the step in Gymnasium's order (`np.square`, `polemass_length`), so a
 *   trajectory is bit-identical to Gymnasium's for the same actions (tested against a recording).
 *
 * @module
 */
import { CounterRng, deriveStream } from '@spark-snn/core';

/** Physical constants of CartPole-v1. */
export const CARTPOLE = {
  gravity: 9.8,
  massCart: 1.0,
  massPole: 0.1,
  /** Half the pole's length (m). */
  length: 0.5,
  forceMag: 10.0,
  /** Seconds between state updates. */
  tau: 0.02,
  /** Pole angle at which an episode terminates (rad). */
  thetaThreshold: (12 * 2 * Math.PI) / 360,
  /** Cart position at which an episode terminates (m). */
  xThreshold: 2.4,
  /** Steps after which an episode is truncated. */
  maxEpisodeSteps: 500,
} as const;

/** Options of {@link CartPole}. */
export interface CartPoleOptions {
  /** Seed of the reset noise (default 0). */
  seed?: number;
  /** Gymnasium's `sutton_barto_reward`: 0 per step, −1 when the pole falls. Default false. */
  suttonBartoReward?: boolean;
  /** Truncate after this many steps (default 500, as the registered `CartPole-v1`). */
  maxEpisodeSteps?: number;
  /**
   * Initial states `[x, ẋ, θ, θ̇]` of the successive resets instead of drawn ones (reset k takes
   * `starts[k]`; resetting past the end is an error).
   */
  starts?: readonly (readonly number[])[];
}

/** What {@link CartPole.step} returns (Gymnasium's 5-tuple as an object). */
export interface CartPoleStep {
  observation: Float32Array;
  reward: number;
  terminated: boolean;
  truncated: boolean;
}

/** The CartPole-v1 environment. */
export class CartPole {
  /** `[x, ẋ, θ, θ̇]` in float64. */
  readonly state = new Float64Array(4);
  /** Steps taken in the current episode. */
  elapsedSteps = 0;
  /** Episodes started with {@link CartPole.reset}. */
  episode = -1;
  private readonly rng: CounterRng;
  private readonly stream = deriveStream('cartpole.reset');
  private readonly suttonBarto: boolean;
  private readonly maxSteps: number;
  private stepsBeyondTerminated: number | null = null;
  private readonly starts: readonly (readonly number[])[] | undefined;

  constructor(options: CartPoleOptions = {}) {
    this.rng = new CounterRng(options.seed ?? 0);
    this.suttonBarto = options.suttonBartoReward ?? false;
    this.maxSteps = options.maxEpisodeSteps ?? CARTPOLE.maxEpisodeSteps;
    if (options.starts) {
      options.starts.forEach((s, k) => {
        if (s.length !== 4 || !s.every((v) => Number.isFinite(v)))
          throw new RangeError(`CartPole: starts[${k}] must be 4 finite numbers, got ${JSON.stringify(s)}`);
      });
      this.starts = options.starts;
    }
  }

  /** Starts a new episode; returns the first observation. */
  reset(): Float32Array {
    this.episode += 1;
    if (this.starts) {
      const start = this.starts[this.episode];
      if (!start)
        throw new RangeError(
          `CartPole.reset: reset ${this.episode + 1} asked for, but only ${this.starts.length} initial states were given`,
        );
      this.state.set(start);
    } else {
      for (let i = 0; i < 4; i++)
        this.state[i] = -0.05 + 0.1 * this.rng.uniform(this.stream, this.episode, i);
    }
    this.elapsedSteps = 0;
    this.stepsBeyondTerminated = null;
    return Float32Array.from(this.state);
  }

  /** Sets the state directly (tests, replays). */
  setState(state: ArrayLike<number>): void {
    if (state.length !== 4) throw new RangeError(`CartPole.setState: expected 4 values, got ${state.length}`);
    for (let i = 0; i < 4; i++) this.state[i] = state[i]!;
    this.elapsedSteps = 0;
    this.stepsBeyondTerminated = null;
  }

  /** Applies action 0 (push left) or 1 (push right) for one step of τ = 0.02 s. */
  step(action: number): CartPoleStep {
    if (action !== 0 && action !== 1) {
      throw new RangeError(`CartPole.step: action must be 0 (left) or 1 (right), got ${action}`);
    }
    if (this.episode < 0) throw new Error('CartPole.step: call reset() before the first step');
    const { gravity, massCart, massPole, length, forceMag, tau } = CARTPOLE;
    const totalMass = massPole + massCart;
    const poleMassLength = massPole * length;
    // Gymnasium's operation order, for bit-identical trajectories: (a·x²)·b, not ((a·x)·x)·b.
    const s = this.state;
    const x = s[0]!;
    const xDot = s[1]!;
    const theta = s[2]!;
    const thetaDot = s[3]!;
    const force = action === 1 ? forceMag : -forceMag;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    // Florian (2007), "Correct equations for the dynamics of the cart-pole system", as in Gymnasium.
    const temp = (force + poleMassLength * (thetaDot * thetaDot) * sin) / totalMass;
    const thetaAcc =
      (gravity * sin - cos * temp) / (length * (4.0 / 3.0 - (massPole * (cos * cos)) / totalMass));
    const xAcc = temp - (poleMassLength * thetaAcc * cos) / totalMass;
    // Explicit Euler, positions first with the old velocities.
    s[0] = x + tau * xDot;
    s[1] = xDot + tau * xAcc;
    s[2] = theta + tau * thetaDot;
    s[3] = thetaDot + tau * thetaAcc;
    this.elapsedSteps += 1;

    const terminated =
      s[0]! < -CARTPOLE.xThreshold ||
      s[0]! > CARTPOLE.xThreshold ||
      s[2]! < -CARTPOLE.thetaThreshold ||
      s[2]! > CARTPOLE.thetaThreshold;
    let reward: number;
    if (!terminated) {
      reward = this.suttonBarto ? 0 : 1;
    } else if (this.stepsBeyondTerminated === null) {
      this.stepsBeyondTerminated = 0;
      reward = this.suttonBarto ? -1 : 1;
    } else {
      this.stepsBeyondTerminated += 1;
      reward = this.suttonBarto ? -1 : 0;
    }
    // Gymnasium's `TimeLimit`: the step that reaches the limit is truncated even when it also terminates.
    const truncated = this.elapsedSteps >= this.maxSteps;
    return { observation: Float32Array.from(s), reward, terminated, truncated };
  }
}
