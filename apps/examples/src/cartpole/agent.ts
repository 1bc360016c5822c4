/**
 * The CartPole agent of Spark's tutorial #6 ("Solving the CartPole"): the `ab_brain` network of
 * `alif_mod_neuron` pools trained with reward-modulated quadruplet plasticity, exactly as the
 * tutorial trains it:
 *
 * - observation `[x, ẋ, θ, θ̇]` divided by `(2.4, 2.5, 0.2095, 3.5)`, clipped to [−1, 1], cast to
 *   float16;
 * - before training, the tutorial's build call: one brain step with the first observation of the
 *   seeded reset and zero modulation ({@link CartPoleAgent.prime});
 * - per episode one warm-up call of 50 brain steps with zero signal and zero modulation;
 * - every environment step = 50 brain steps with the observation held and the passive modulation
 *   `−1e−4 × scale` (inhibitory pools × 0.25, decay 1); action = argmax of the integrator's 2 outputs
 *   (0 = push left ← pool A, 1 = push right ← pool B);
 * - at the end of an episode that was not truncated, one more 50-step call replays the previous
 *   observation with a punishment that decays by `modulation_decay = e^{−1/0.5}` every brain step
 *   (in float16 as the tutorial's `lax.scan` computes it: `m ← f16(f16(decay)·m)`): if the cart
 *   left the track (|x| ≥ 1 after scaling) with the pole nearly upright (|θ| < 0.05 after scaling),
 *   the pool that pushes away from the centre gets `−25 × scale` and the one that would have steered
 *   back gets `−0.1 ×` that; otherwise (the pole fell) the pool that pushes away from the side the
 *   pole fell to gets `−25 × scale` and the other `−0.1 ×` that;
 * - `scale = sqrt(1 − EMA/500)`, EMA of the episode lengths with α = 0.8; as in the tutorial's loop
 *   the scale of episode e uses the EMA after episode e − 2 (its metric update lags by one episode).
 *
 * @module
 */
import {
  type ConfigDocument,
  defaultRegistry,
  documentFromJson,
  type Registry,
  readScfg,
  registerAlifModNeuron,
} from '@spark-snn/config';
import { decodeSafetensors, encodeSafetensors, roundToFloat16 } from '@spark-snn/core';
import { Brain, type BrainOptions } from '@spark-snn/nn';
import { type CurveStats, curveStats } from './curve.ts';
import { CARTPOLE, type CartPole } from './env.ts';

/** The tutorial's reward and model metaparameters. */
export const TUTORIAL = {
  /** Passive modulation per env step (× modulation scale). */
  passiveModulationScale: -0.0001,
  /** Punishment when the pole fell (× modulation scale). */
  rewardFallScale: -25,
  /** Punishment when the cart left the track with the pole upright (× modulation scale). */
  rewardOutOfBoundsScale: -25,
  /** |θ| (scaled) under which leaving the track counts as "out of bounds" rather than "fell". */
  rewardOutOfBoundsThreshold: 0.05,
  /** Factor of the punishment given to the other pool. */
  negativeRewardScale: -0.1,
  /** Modulation of the inhibitory pools relative to the excitatory ones. */
  modulationInhibitionScale: 0.25,
  /** Per-brain-step decay of the punishment: e^{−dt/0.5}. */
  modulationDecay: Math.exp(-1 / 0.5),
  /** Brain steps per environment step (50 ms of 1 ms steps). */
  brainStepsPerEnvStep: 50,
  /** Training episodes. */
  episodes: 150,
  /** EMA factor of the episode-length metric. */
  emaAlpha: 0.8,
  /** Observation scaling (x, ẋ, θ, θ̇). */
  observationScale: [2.4, 2.5, 0.2095, 3.5] as const,
} as const;

/** The brain inputs (Spark's `ab_brain`: `signal` [4] and four modulations [1]). */
export const AB_BRAIN_INPUT_SHAPES = {
  signal: [4],
  mod_a_ex: [1],
  mod_b_ex: [1],
  mod_a_in: [1],
  mod_b_in: [1],
} as const;

/** The four plastic pools of `ab_brain`. */
export const AB_BRAIN_POOLS = ['A_excitatory', 'A_inhibitory', 'B_excitatory', 'B_inhibitory'] as const;

/** The spiking modules of `ab_brain` and the port to read their spikes from. */
export const AB_BRAIN_SPIKE_PORTS = [
  'spiker.spikes',
  'A_excitatory.out_spikes',
  'A_inhibitory.out_spikes',
  'B_excitatory.out_spikes',
  'B_inhibitory.out_spikes',
] as const;

/**
 * Reads `ab_brain.scfg` after registering the tutorial's custom neuron (`alif_mod_neuron`) — the
 * tutorial's "Oh no: there is no module alif_mod_neuron" step, done right.
 */
export function loadAbBrain(bytes: Uint8Array, registry: Registry = defaultRegistry): ConfigDocument {
  registerAlifModNeuron(registry);
  const read = readScfg(bytes, { registry });
  if (!read.ok) {
    throw new Error(
      `cannot read ab_brain.scfg: ${read.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  }
  return read.document;
}

/** A config's module precision: as the file says, or every module's `dtype` set to one value. */
export type CartPoleDtype = 'file' | 'float32' | 'float16';

/**
 * The document with every module's `dtype` set to `dtype` (`'file'`: unchanged). Spark writes its
 * default, float16, into every module of `ab_brain.scfg`; `float32` trains the same network as
 * Spark's float32 runs do (what upstream Spark was measured with on this machine).
 */
export function withDtype(doc: ConfigDocument, dtype: CartPoleDtype): ConfigDocument {
  if (dtype === 'file') return doc;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v; // typed arrays, tensors: as they are
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      out[k] = k === 'dtype' && (x === 'float16' || x === 'float32') ? dtype : walk(x);
    return out;
  };
  return { ...doc, config: walk(doc.config) as ConfigDocument['config'] };
}

/**
 * Spark's own ab_brain network: the frozen float32 `ab_brain` of the Spark golden run
 * (`fixtures/spark-golden/brain_ab_float32.json`, parsed), whose kernels, delays and inhibitory
 * masks were drawn by Spark (JAX) from the tutorial file's seeds. Registers `alif_mod_neuron` first.
 */
export function loadSparkNetwork(golden: unknown, registry: Registry = defaultRegistry): ConfigDocument {
  const config =
    typeof golden === 'object' && golden !== null ? (golden as { config?: unknown }).config : undefined;
  if (config === undefined)
    throw new Error('Spark golden brain: expected the parsed brain_ab_float32.json, with a "config" field');
  registerAlifModNeuron(registry);
  const read = documentFromJson(config, { registry });
  if (!read.ok) {
    throw new Error(
      `cannot read the Spark golden brain: ${read.issues.map((i) => `config.${i.path}: ${i.message}`).join('; ')}`,
    );
  }
  return read.document;
}

/**
 * The initial states Gymnasium's `CartPole-v1` draws in the tutorial
 * (`fixtures/cartpole/gymnasium_seed42_initial_states.json`, parsed): `[x, ẋ, θ, θ̇]` after
 * `env.reset(seed=42)` and after each of the following plain `env.reset()` calls. Checks the shape.
 */
export function gymnasiumStarts(parsed: unknown): number[][] {
  if (!Array.isArray(parsed) || parsed.length < 2)
    throw new Error('gymnasium starts: expected an array of initial states [x, ẋ, θ, θ̇]');
  parsed.forEach((s, k) => {
    if (!Array.isArray(s) || s.length !== 4 || !s.every((v) => typeof v === 'number' && Number.isFinite(v)))
      throw new Error(`gymnasium starts[${k}]: expected 4 finite numbers, got ${JSON.stringify(s)}`);
  });
  return parsed as number[][];
}

/**
 * Scales an observation as the tutorial's `process_obs` (divide, clip to [−1, 1]), in float64 as
 * NumPy does (the float16 cast of the brain input rounds once, from the float64 value).
 */
export function processObservation(obs: ArrayLike<number>): Float64Array {
  const out = new Float64Array(4);
  for (let i = 0; i < 4; i++) {
    const v = obs[i]! / TUTORIAL.observationScale[i]!;
    out[i] = Math.min(1, Math.max(-1, v));
  }
  return out;
}

/** Rounds every value to float16 (the tutorial feeds every input as float16). */
function f16(values: ArrayLike<number>): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = roundToFloat16(values[i]!);
  return out;
}

/**
 * The modulation a call feeds on each of its `steps` brain steps. The tutorial builds each
 * modulation as a float16 array and, after every brain step, replaces it by `float16(decay · m)`:
 * JAX multiplies a float16 array by a Python float in float16, so the decay is rounded to float16
 * too and every product is rounded again (`m ← f16(f16(decay) · m)`, exact here because the product
 * of two float16 values is exact in float64).
 */
export function modulationSchedule(m: number, decay: number, steps: number): Float32Array {
  const d16 = roundToFloat16(decay);
  const out = new Float32Array(steps);
  let v = roundToFloat16(m);
  for (let k = 0; k < steps; k++) {
    out[k] = v;
    v = roundToFloat16(d16 * v);
  }
  return out;
}

/** The four modulations of one call. */
export interface Modulation {
  readonly a: number;
  readonly b: number;
}

/**
 * The punishment at the end of a terminated episode (tutorial cell "Critic-like action update").
 * `last` is the scaled observation after the final step.
 */
export function punishment(
  last: ArrayLike<number>,
  modulationScale: number,
): Modulation & { outOfBounds: boolean } {
  const outOfBounds = Math.abs(last[0]!) >= 1;
  let steerToB: boolean;
  let reward: number;
  if (outOfBounds && Math.abs(last[2]!) < TUTORIAL.rewardOutOfBoundsThreshold) {
    // The cart left the track: steer it back to the centre (B pushes right).
    steerToB = last[0]! < 0;
    reward = TUTORIAL.rewardOutOfBoundsScale * modulationScale;
  } else {
    // The pole fell: move the cart towards the side it fell to.
    steerToB = last[2]! > 0;
    reward = TUTORIAL.rewardFallScale * modulationScale;
  }
  const other = TUTORIAL.negativeRewardScale * reward;
  return { a: steerToB ? reward : other, b: steerToB ? other : reward, outOfBounds };
}

/** What one episode produced. */
export interface EpisodeResult {
  /** 0-based episode index. */
  readonly episode: number;
  /** Environment steps survived (500 = the cap). */
  readonly steps: number;
  readonly terminated: boolean;
  readonly truncated: boolean;
  readonly outOfBounds: boolean;
  /** Modulation scale used in this episode. */
  readonly modulationScale: number;
  /** EMA of the episode lengths after this episode. */
  readonly ema: number;
  /** Brain steps run in this episode (warm-up and replay included). */
  readonly brainSteps: number;
  /** Wall-clock milliseconds of the episode. */
  readonly ms: number;
}

/** The agent's training state besides the brain (stored with {@link CartPoleAgent.saveCheckpoint}). */
export interface AgentProgress {
  /** Episodes trained. */
  readonly episodes: number;
  /** EMA of the episode lengths after the last episode. */
  readonly ema: number;
  /** The EMA the next episode's modulation scale reads (one episode behind). */
  readonly laggedEma: number;
}

/** Called after every environment step (for drawing). */
export interface StepView {
  readonly state: Float64Array;
  readonly action: number;
  readonly actionValues: Float32Array;
  readonly envStep: number;
  /** Per recorded spike port: `brainSteps × size` values (only when `recordSpikes` is on). */
  readonly spikes?: Readonly<Record<string, Float32Array>>;
}

/** Options of {@link CartPoleAgent.create}. */
export interface AgentOptions {
  /** Backend of the brain (default `'cpu'`). */
  readonly backend?: BrainOptions['backend'];
  /** Registry holding `alif_mod_neuron` (default: the default registry). */
  readonly registry?: Registry;
  /** Brain steps per environment step (default 50). */
  readonly brainStepsPerEnvStep?: number;
  /** Per-brain-step decay of the punishment (default e^{−2}). */
  readonly modulationDecay?: number;
}

/** The ab_brain agent and its training loop. */
export class CartPoleAgent {
  readonly brain: Brain;
  readonly stepsPerEnvStep: number;
  readonly modulationDecay: number;
  /** Episode lengths so far. */
  readonly history: EpisodeResult[] = [];
  /** Brain steps run so far. */
  brainSteps = 0;
  /** Episodes trained, including those of a loaded checkpoint. */
  private trained = 0;
  private ema = 0;
  /** The EMA the tutorial's loop reads for the next scale (one episode behind {@link ema}). */
  private laggedEma = 0;

  private constructor(brain: Brain, options: AgentOptions) {
    this.brain = brain;
    this.stepsPerEnvStep = options.brainStepsPerEnvStep ?? TUTORIAL.brainStepsPerEnvStep;
    this.modulationDecay = options.modulationDecay ?? TUTORIAL.modulationDecay;
  }

  /** Compiles `ab_brain` (a document from {@link loadAbBrain}) on the chosen backend. */
  static async create(doc: ConfigDocument, options: AgentOptions = {}): Promise<CartPoleAgent> {
    const brain = await Brain.fromConfig(doc, {
      backend: options.backend ?? 'cpu',
      registry: options.registry ?? defaultRegistry,
      inputShapes: AB_BRAIN_INPUT_SHAPES,
    });
    return new CartPoleAgent(brain, options);
  }

  /** The modulation scale the next episode uses: sqrt(1 − EMA/500). */
  get modulationScale(): number {
    return Math.sqrt(Math.max(0, 1 - this.laggedEma / CARTPOLE.maxEpisodeSteps));
  }

  /**
   * Runs the brain for one environment step's worth of brain steps with `signal` held and the
   * modulations decaying by `decay` per brain step; returns the action values of the last step.
   */
  async think(
    signal: ArrayLike<number>,
    mod: Modulation,
    decay: number,
    recordSpikes = false,
  ): Promise<{ action: Float32Array; spikes?: Record<string, Float32Array> }> {
    const n = this.stepsPerEnvStep;
    const stream = (m: number) => modulationSchedule(m, decay, n);
    const inh = TUTORIAL.modulationInhibitionScale;
    const record = recordSpikes ? ['action', ...AB_BRAIN_SPIKE_PORTS] : ['action'];
    const rec = await this.brain.run({
      steps: n,
      inputs: {
        signal: f16(signal),
        mod_a_ex: stream(mod.a),
        mod_b_ex: stream(mod.b),
        mod_a_in: stream(mod.a * inh),
        mod_b_in: stream(mod.b * inh),
      },
      record,
      chunk: n,
    });
    this.brainSteps += n;
    const a = rec.series.action!.data;
    const action = a.slice((n - 1) * 2, n * 2);
    if (!recordSpikes) return { action };
    const spikes: Record<string, Float32Array> = {};
    for (const p of AB_BRAIN_SPIKE_PORTS) spikes[p] = rec.series[p]!.data;
    return { action, spikes };
  }

  /**
   * The tutorial's build call before training: `env.reset(seed=42)` and one brain step with that
   * (scaled) observation and zero modulation. The episode of that reset is not played; training
   * starts with the next reset.
   */
  async prime(env: CartPole): Promise<void> {
    const obs = processObservation(env.reset());
    await this.brain.step({ signal: f16(obs), mod_a_ex: [0], mod_b_ex: [0], mod_a_in: [0], mod_b_in: [0] });
    this.brainSteps += 1;
  }

  /**
   * Turns the plasticity of the four pools on or off (off: {@link CartPoleAgent.runEpisode} with
   * `learn: false` plays the trained agent without changing a weight).
   */
  async setLearning(on: boolean): Promise<void> {
    for (const pool of AB_BRAIN_POOLS) await this.brain.setLearning(pool, on);
  }

  /**
   * One episode of the tutorial's `run_episode`. With `learn: false` (watching a trained agent; turn
   * plasticity off first with {@link CartPoleAgent.setLearning}) the punishment replay and the EMA
   * update are left out and the episode is not counted.
   */
  async runEpisode(
    env: CartPole,
    options: {
      onStep?: (view: StepView) => void | Promise<void>;
      recordSpikes?: boolean;
      learn?: boolean;
    } = {},
  ): Promise<EpisodeResult> {
    const learn = options.learn ?? true;
    const t0 = performance.now();
    const brainSteps0 = this.brainSteps;
    const scale = this.modulationScale;
    let obs = processObservation(env.reset());
    // Warm-up: zero signal, zero modulation.
    await this.think([0, 0, 0, 0], { a: 0, b: 0 }, 0);
    let terminated = false;
    let truncated = false;
    let steps = 0;
    let previous = obs;
    const passive = TUTORIAL.passiveModulationScale * scale;
    while (!(terminated || truncated)) {
      const out = await this.think(obs, { a: passive, b: passive }, 1, options.recordSpikes ?? false);
      const action = out.action[1]! > out.action[0]! ? 1 : 0; // argmax, first index on ties
      previous = obs;
      const r = env.step(action);
      obs = processObservation(r.observation);
      terminated = r.terminated;
      truncated = r.truncated;
      steps += 1;
      if (options.onStep) {
        const view: StepView = {
          state: env.state,
          action,
          actionValues: out.action,
          envStep: steps,
          ...(out.spikes ? { spikes: out.spikes } : {}),
        };
        await options.onStep(view);
      }
    }
    let outOfBounds = false;
    if (!truncated) {
      const p = punishment(obs, scale);
      outOfBounds = p.outOfBounds;
      if (learn) await this.think(previous, p, this.modulationDecay);
    }
    if (learn) {
      // The tutorial's metric update: `current` ← last EMA; EMA ← α·current + (1 − α)·steps.
      this.laggedEma = this.ema;
      this.ema = TUTORIAL.emaAlpha * this.ema + (1 - TUTORIAL.emaAlpha) * steps;
    }
    const result: EpisodeResult = {
      episode: this.trained,
      steps,
      terminated,
      truncated,
      outOfBounds,
      modulationScale: scale,
      ema: this.ema,
      brainSteps: this.brainSteps - brainSteps0,
      ms: performance.now() - t0,
    };
    if (learn) {
      this.trained += 1;
      this.history.push(result);
    }
    return result;
  }

  /** Episodes trained and the EMA state. */
  get progress(): AgentProgress {
    return { episodes: this.trained, ema: this.ema, laggedEma: this.laggedEma };
  }

  /**
   * The trained state: the brain's checkpoint (safetensors, {@link Brain.saveCheckpoint}) with the
   * training progress (episodes, EMA) and a `network` label in its metadata.
   */
  async saveCheckpoint(network: string): Promise<Uint8Array> {
    const brain = decodeSafetensors(await this.brain.saveCheckpoint());
    const p = this.progress;
    return encodeSafetensors(brain.tensors, {
      metadata: {
        ...brain.metadata,
        'cartpole.network': network,
        'cartpole.episodes': String(p.episodes),
        'cartpole.ema': String(p.ema),
        'cartpole.lagged_ema': String(p.laggedEma),
      },
    });
  }

  /**
   * Restores a checkpoint of {@link CartPoleAgent.saveCheckpoint} made with the same `network`: the
   * brain state, the episode count and the EMA that sets the next modulation scale. Returns the
   * stored progress.
   */
  async loadCheckpoint(bytes: Uint8Array, network: string): Promise<AgentProgress> {
    const metadata = decodeSafetensors(bytes).metadata ?? {};
    const stored = metadata['cartpole.network'];
    if (stored === undefined)
      throw new Error('checkpoint: not a CartPole agent checkpoint (no cartpole.network in its metadata)');
    if (stored !== network)
      throw new Error(`checkpoint: trained on the ${stored} network, this agent runs the ${network} network`);
    const num = (key: string): number => {
      const v = Number(metadata[key]);
      if (metadata[key] === undefined || !Number.isFinite(v) || v < 0)
        throw new Error(`checkpoint: metadata ${key} must be a number ≥ 0, got ${metadata[key]}`);
      return v;
    };
    const progress: AgentProgress = {
      episodes: num('cartpole.episodes'),
      ema: num('cartpole.ema'),
      laggedEma: num('cartpole.lagged_ema'),
    };
    await this.brain.loadCheckpoint(bytes);
    this.trained = progress.episodes;
    this.ema = progress.ema;
    this.laggedEma = progress.laggedEma;
    return progress;
  }

  /** Releases the brain. */
  destroy(): void {
    this.brain.destroy();
  }
}

/** Figures of a training run. */
export interface TrainingSummary extends CurveStats {
  readonly envSteps: number;
  readonly brainSteps: number;
  readonly ms: number;
  readonly envStepsPerSecond: number;
  readonly msPerBrainStep: number;
}

/** Summarises episode results (`ms`: wall-clock of the whole run). */
export function summarise(results: readonly EpisodeResult[], ms: number, cap: number): TrainingSummary {
  const envSteps = results.reduce((a, r) => a + r.steps, 0);
  const brainSteps = results.reduce((a, r) => a + r.brainSteps, 0);
  return {
    ...curveStats(
      results.map((r) => r.steps),
      cap,
    ),
    envSteps,
    brainSteps,
    ms,
    envStepsPerSecond: ms > 0 ? (envSteps * 1000) / ms : 0,
    msPerBrainStep: brainSteps > 0 ? ms / brainSteps : 0,
  };
}
