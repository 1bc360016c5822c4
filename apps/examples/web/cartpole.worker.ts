/**
 * The CartPole page's worker: owns the agent (brain + environment), trains it, plays it with
 * plasticity off ("watch"), saves and loads its checkpoint, and posts what the page draws.
 *
 * @module
 */

import startsUrl from '../../../fixtures/cartpole/gymnasium_seed42_initial_states.json?url';
import goldenUrl from '../../../fixtures/spark-golden/brain_ab_float32.json?url';
import abBrainUrl from '../assets/ab_brain.scfg?url';
import { AB_BRAIN_SPIKE_PORTS, type CartPoleAgent, type StepView } from '../src/cartpole/agent.ts';
import { episodeRow, outcomeOf } from '../src/cartpole/curve.ts';
import { CartPole } from '../src/cartpole/env.ts';
import { type NetworkSources, setUpTraining, type TrainingSetup } from '../src/cartpole/training.ts';
import type { FromWorker, StepMessage, ToWorker } from './protocol.ts';

const post = (m: FromWorker, transfer: Transferable[] = []) => self.postMessage(m, { transfer });

const fetchBytes = async (url: string) => {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`cannot fetch ${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
};
const fetchJson = async (url: string) =>
  JSON.parse(new TextDecoder().decode(await fetchBytes(url))) as unknown;
const sources: NetworkSources = {
  abBrain: () => fetchBytes(abBrainUrl),
  sparkGolden: () => fetchJson(goldenUrl),
  gymnasiumStarts: () => fetchJson(startsUrl),
};

let current: { key: string; setup: TrainingSetup; agent: CartPoleAgent; env: CartPole } | undefined;
let busy: string | undefined;
let stopRequested = false;

class Stopped extends Error {}

/** The agent of `setup`, reusing the current one when the setup is the same. */
async function agentFor(setup: TrainingSetup) {
  const key = JSON.stringify(setup);
  if (current?.key === key) return current;
  current?.agent.destroy();
  current = undefined;
  const { agent, env } = await setUpTraining(setup, sources);
  current = { key, setup, agent, env };
  const b = agent.brain.backend;
  post({
    type: 'ready',
    backend: b?.kind ?? 'unknown',
    reason: b?.reason ?? '',
    episodes: agent.progress.episodes,
  });
  return current;
}

function stepMessage(
  mode: 'train' | 'watch',
  episode: number,
  v: StepView,
  brainSteps: number,
): { message: StepMessage; transfer: Transferable[] } {
  const spikes: Record<string, Int8Array> = {};
  for (const port of AB_BRAIN_SPIKE_PORTS) {
    const data = v.spikes?.[port];
    if (data) spikes[port] = Int8Array.from(data);
  }
  return {
    message: {
      type: 'step',
      mode,
      episode,
      envStep: v.envStep,
      state: Float64Array.from(v.state),
      action: v.action,
      brainSteps,
      spikes,
    },
    transfer: Object.values(spikes).map((s) => s.buffer),
  };
}

/** Lets queued messages (stop) in between steps. */
const breathe = () => new Promise((r) => setTimeout(r, 0));

async function train(setup: TrainingSetup, episodes: number, drawEvery: number) {
  const { agent, env } = await agentFor(setup);
  for (let e = 0; e < episodes; e++) {
    const episode = agent.progress.episodes + 1;
    const t0 = performance.now();
    const r = await agent.runEpisode(env, {
      recordSpikes: true,
      onStep: async (v) => {
        if (v.envStep % drawEvery === 0) {
          const { message, transfer } = stepMessage('train', episode, v, agent.stepsPerEnvStep);
          post(message, transfer);
        }
        await breathe();
        if (stopRequested) throw new Stopped();
      },
    });
    post({
      type: 'episode',
      row: episodeRow(setup.seed, r),
      envStepsPerSecond: (r.steps * 1000) / (performance.now() - t0),
    });
  }
}

/** Plays the trained agent with plasticity off, at most in real time (τ = 20 ms per env step). */
async function watch(setup: TrainingSetup, episodes: number) {
  const { agent } = await agentFor(setup);
  // Watching draws from the environment's own seed stream, not the training one.
  const env = new CartPole({
    seed: setup.seed + 1_000_000,
    suttonBartoReward: true,
    maxEpisodeSteps: setup.maxSteps,
  });
  await agent.setLearning(false);
  try {
    for (let e = 0; e < episodes; e++) {
      let last = performance.now();
      const r = await agent.runEpisode(env, {
        learn: false,
        recordSpikes: true,
        onStep: async (v) => {
          const { message, transfer } = stepMessage('watch', e + 1, v, agent.stepsPerEnvStep);
          post(message, transfer);
          const wait = 20 - (performance.now() - last);
          await new Promise((res) => setTimeout(res, Math.max(0, wait)));
          last = performance.now();
          if (stopRequested) throw new Stopped();
        },
      });
      post({ type: 'watched', episode: e + 1, steps: r.steps, outcome: outcomeOf(r) });
    }
  } finally {
    await agent.setLearning(true);
  }
}

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const m = event.data;
  if (m.type === 'stop') {
    stopRequested = true;
    return;
  }
  if (busy) {
    post({ type: 'error', message: `cannot ${m.type} while the agent is busy (${busy}): stop it first` });
    return;
  }
  busy = m.type;
  stopRequested = false;
  let mode: Extract<FromWorker, { type: 'idle' }>['mode'] = 'reset';
  try {
    switch (m.type) {
      case 'train':
        mode = 'train';
        await train(m.setup, m.episodes, Math.max(1, m.drawEvery));
        break;
      case 'watch':
        mode = 'watch';
        await watch(m.setup, m.episodes);
        break;
      case 'reset':
        current?.agent.destroy();
        current = undefined;
        break;
      case 'save': {
        if (!current) throw new Error('nothing to save: train or load an agent first');
        const bytes = await current.agent.saveCheckpoint(current.setup.network);
        mode = 'save';
        post(
          {
            type: 'checkpoint',
            bytes,
            network: current.setup.network,
            episodes: current.agent.progress.episodes,
          },
          [bytes.buffer],
        );
        break;
      }
      case 'load': {
        mode = 'load';
        const { agent } = await agentFor(m.setup);
        const p = await agent.loadCheckpoint(m.bytes, m.setup.network);
        post({ type: 'loaded', episodes: p.episodes, ema: p.ema });
        break;
      }
    }
    post({ type: 'idle', mode, stopped: false });
  } catch (e) {
    if (e instanceof Stopped) post({ type: 'idle', mode, stopped: true });
    else post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  } finally {
    busy = undefined;
  }
};
