/**
 * Messages between the CartPole page and its worker (the agent trains in the worker so the page
 * stays responsive).
 *
 * @module
 */
import type { CurveRow } from '../src/cartpole/curve.ts';
import type { TrainingSetup } from '../src/cartpole/training.ts';

/** Page → worker. Every command carries the setup; a different setup starts a fresh agent. */
export type ToWorker =
  | {
      readonly type: 'train';
      readonly setup: TrainingSetup;
      readonly episodes: number;
      readonly drawEvery: number;
    }
  | { readonly type: 'watch'; readonly setup: TrainingSetup; readonly episodes: number }
  | { readonly type: 'stop' }
  | { readonly type: 'reset' }
  | { readonly type: 'save' }
  | { readonly type: 'load'; readonly setup: TrainingSetup; readonly bytes: Uint8Array };

/** One drawn environment step. */
export interface StepMessage {
  readonly type: 'step';
  readonly mode: 'train' | 'watch';
  /** 1-based episode. */
  readonly episode: number;
  readonly envStep: number;
  readonly state: Float64Array;
  readonly action: number;
  /** Brain steps of this env step (rows of the spike arrays). */
  readonly brainSteps: number;
  /** Per spiking module: brainSteps × units values (−1/0/+1). */
  readonly spikes: Readonly<Record<string, Int8Array>>;
}

/** Worker → page. */
export type FromWorker =
  | { readonly type: 'ready'; readonly backend: string; readonly reason: string; readonly episodes: number }
  | StepMessage
  | { readonly type: 'episode'; readonly row: CurveRow; readonly envStepsPerSecond: number }
  | { readonly type: 'watched'; readonly episode: number; readonly steps: number; readonly outcome: string }
  | {
      readonly type: 'idle';
      readonly mode: 'train' | 'watch' | 'load' | 'reset' | 'save';
      readonly stopped: boolean;
    }
  | {
      readonly type: 'checkpoint';
      readonly bytes: Uint8Array;
      readonly network: string;
      readonly episodes: number;
    }
  | { readonly type: 'loaded'; readonly episodes: number; readonly ema: number }
  | { readonly type: 'error'; readonly message: string };
