/**
 * The contract between the live simulation panel and a simulation engine (`@spark-snn/nn` once it
 * exists), the input sources the panel can feed, and an honest placeholder engine.
 *
 * @module
 */
import { type BackendChoice as CoreBackendChoice, mulberry32 } from '@spark-snn/core';
import type { JsonObject } from '../model/types.ts';

/**
 * Backend choice: `@spark-snn/core`'s (a backend name or `'auto'`), as `Brain.fromConfig(config, {backend})`
 * takes it.
 */
export type BackendChoice = CoreBackendChoice;

/** A spiking population the panel can draw (a neuron, or any module with a spike output). */
export interface PopulationInfo {
  name: string;
  size: number;
}

/** A controller input the panel must feed each step. */
export interface InputInfo {
  name: string;
  size: number;
}

/** Progress of {@link Simulator.load}: modules compiled of total, then the backend load. */
export interface LoadProgress {
  stage: 'compile' | 'load';
  done: number;
  total: number;
  /** The module just compiled. */
  module?: string;
}

/** Options of {@link Simulator.load}. */
export interface LoadOptions {
  backend: BackendChoice;
  /**
   * Carry the running state (potentials, traces, weights, step counter) over to the new model when
   * it has the same structure (a parameter edit); the model starts from its initial state otherwise.
   */
  keepState?: boolean;
  /** Called as the build goes. */
  onProgress?: (p: LoadProgress) => void;
  /**
   * The caller has validated this very config with config's full validation (the session does,
   * for its Problems list): the engine need not validate it again.
   */
  validated?: boolean;
}

/** What a loaded model exposes. */
export interface LoadedModel {
  /** The backend that actually runs (`webgpu`, `gpujs` or `cpu`) and why it was picked. */
  backend: Exclude<BackendChoice, 'auto'>;
  reason: string;
  /** The state of the previous model was carried over ({@link LoadOptions.keepState}). */
  continued: boolean;
  /** Index of the next step (0, or where the carried-over state was). */
  firstStep: number;
  populations: PopulationInfo[];
  inputs: InputInfo[];
  /** Trace names (`A_excitatory.soma.potential`, `action`, …). */
  traces: string[];
}

/** Result of `step(k)`: the last `k` steps. */
export interface StepResult {
  /** Index of the first returned step. */
  firstStep: number;
  steps: number;
  /** Per population: `steps × size` spike flags (0/1), row-major by step. */
  spikes: Record<string, Uint8Array>;
  /** Per trace: `steps` values (one scalar per step, e.g. a mean potential or an output). */
  traces: Record<string, Float32Array>;
}

/** A simulation engine. */
export interface Simulator {
  /** False for an engine that cannot run (the panel then says so and runs nothing). */
  readonly available: boolean;
  /** Why it cannot run. */
  readonly unavailableReason?: string;
  load(config: JsonObject, options: LoadOptions): Promise<LoadedModel>;
  /** Frees the loaded model (the document became invalid or empty); `step` then rejects. */
  unload?(): Promise<void>;
  /** Advances `k` steps with the given per-step inputs (`k × size` values per input). */
  step(k: number, inputs: Record<string, Float32Array>): Promise<StepResult>;
  reset(): Promise<void>;
  dispose(): void;
  /**
   * Optional, for engines that can run on WebGPU: draws the spike raster on the engine's side with
   * the simulator's own device, straight from its spike buffers, into `canvas` (an `OffscreenCanvas`
   * transferred from the page with `transferControlToOffscreen`; `undefined` reuses the canvas of an
   * earlier call). It applies to the loaded model: `load` detaches it, so attach again after each
   * load. While attached, `step` results carry no spikes (they never leave the device) and `reset`
   * clears the raster. Resolves `{ ok: false, reason }` when the loaded model does not run on
   * WebGPU or the canvas cannot be used; the page then keeps its Canvas 2D raster.
   */
  attachRaster?(canvas: OffscreenCanvas | undefined, size: RasterSize): Promise<RasterAttachResult>;
  /** Resizes the attached raster's canvas (backing pixels). */
  resizeRaster?(size: RasterSize): Promise<void>;
}

/** Backing size of a raster canvas, in pixels. */
export interface RasterSize {
  width: number;
  height: number;
}

/** Which raster draws the spikes: the engine's WebGPU raster or the page's Canvas 2D one. */
export type RasterKind = 'webgpu' | 'canvas2d';

/** Outcome of {@link Simulator.attachRaster}. */
export type RasterAttachResult =
  | { ok: true }
  | {
      ok: false;
      reason: string;
      /**
       * The model's device was lost while the raster was set up (some browsers lose it when a
       * `webgpu` canvas is presented): the loaded model cannot run any more; load it again.
       */
      deviceLost?: boolean;
    };

/** A placeholder engine that runs nothing and says so. */
export function unavailableSimulator(reason: string): Simulator {
  const fail = (): Promise<never> => Promise.reject(new Error(reason));
  return { available: false, unavailableReason: reason, load: fail, step: fail, reset: fail, dispose() {} };
}

/** Kinds of input source. */
export type InputKind = 'constant' | 'sine' | 'noise' | 'file' | 'cartpole';

/** Settings of one input source. */
export interface InputSource {
  kind: InputKind;
  /** constant value, sine amplitude, noise maximum. */
  amplitude: number;
  /** sine frequency in Hz (dt in ms). */
  frequency: number;
  offset: number;
  /** file source: values, cycled (one row of `size` per step). */
  data?: Float32Array;
  seed: number;
}

/** Default input source. */
export function defaultInput(): InputSource {
  return { kind: 'constant', amplitude: 0.5, frequency: 2, offset: 0, seed: 1 };
}

/**
 * Values of an input source for steps `[first, first + k)`: `k × size` row-major. Deterministic
 * for a given seed and step range.
 */
export function inputValues(
  src: InputSource,
  size: number,
  first: number,
  k: number,
  dtMs: number,
): Float32Array {
  const out = new Float32Array(k * size);
  for (let s = 0; s < k; s++) {
    const t = ((first + s) * dtMs) / 1000;
    const rnd = mulberry32((src.seed * 2654435761 + first + s) >>> 0);
    for (let i = 0; i < size; i++) {
      let v: number;
      switch (src.kind) {
        case 'constant':
          v = src.amplitude;
          break;
        case 'sine':
          v =
            src.offset +
            src.amplitude * Math.sin(2 * Math.PI * src.frequency * t + (2 * Math.PI * i) / Math.max(1, size));
          break;
        case 'noise':
          v = src.offset + src.amplitude * rnd();
          break;
        case 'file': {
          const d = src.data;
          v = d && d.length > 0 ? (d[((first + s) * size + i) % d.length] ?? 0) : 0;
          break;
        }
        case 'cartpole':
          v = 0;
          break;
      }
      out[s * size + i] = v;
    }
  }
  return out;
}

/** A small CartPole environment (classic control, Euler integration) for closed-loop demos. */
export class CartPole {
  x = 0;
  xDot = 0;
  theta = 0;
  thetaDot = 0;
  steps = 0;
  private readonly rnd: () => number;
  constructor(seed = 1) {
    this.rnd = mulberry32(seed);
    this.reset();
  }
  reset(): void {
    const r = () => (this.rnd() - 0.5) * 0.1;
    this.x = r();
    this.xDot = r();
    this.theta = r();
    this.thetaDot = r();
    this.steps = 0;
  }
  /** Observation scaled to about [-1, 1]: x, ẋ, θ, θ̇. */
  observation(): Float32Array {
    return Float32Array.of(this.x / 2.4, this.xDot / 3, this.theta / 0.21, this.thetaDot / 3);
  }
  /** Applies a force (action > 0 pushes right); returns true when the episode ended (and resets). */
  act(action: number, tau = 0.02): boolean {
    const g = 9.8;
    const mc = 1.0;
    const mp = 0.1;
    const l = 0.5;
    const force = action > 0 ? 10 : -10;
    const ct = Math.cos(this.theta);
    const st = Math.sin(this.theta);
    const temp = (force + mp * l * this.thetaDot ** 2 * st) / (mc + mp);
    const thetaAcc = (g * st - ct * temp) / (l * (4 / 3 - (mp * ct * ct) / (mc + mp)));
    const xAcc = temp - (mp * l * thetaAcc * ct) / (mc + mp);
    this.x += tau * this.xDot;
    this.xDot += tau * xAcc;
    this.theta += tau * this.thetaDot;
    this.thetaDot += tau * thetaAcc;
    this.steps++;
    const done = Math.abs(this.x) > 2.4 || Math.abs(this.theta) > 0.2095 || this.steps >= 500;
    if (done) this.reset();
    return done;
  }
}
