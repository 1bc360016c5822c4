/**
 * The CartPole page: the ab_brain agent learning CartPole-v1 in the browser (backend `auto`:
 * WebGPU where the browser has it, then gpu.js, then cpu), drawing the cart and a spike raster.
 *
 * URL parameters (all optional): `backend`, `episodes`, `brainSteps`, `maxSteps`, `autostart=1`.
 * The page reports its progress on `document.body.dataset` (`state`, `episodes`, `backend`) for the
 * smoke test.
 */
import { createRegistry } from '@spark-snn/config';
import type { BackendChoice } from '@spark-snn/core';
import abBrainUrl from '../assets/ab_brain.scfg?url';
import {
  AB_BRAIN_SPIKE_PORTS,
  CartPoleAgent,
  type EpisodeResult,
  loadAbBrain,
  type StepView,
  summarise,
} from '../src/cartpole/agent.ts';
import { CARTPOLE, CartPole } from '../src/cartpole/env.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const backendSel = $<HTMLSelectElement>('backend');
const episodesIn = $<HTMLInputElement>('episodes');
const brainStepsIn = $<HTMLInputElement>('brainSteps');
const drawEveryIn = $<HTMLInputElement>('drawEvery');
const startBtn = $<HTMLButtonElement>('start');
const stopBtn = $<HTMLButtonElement>('stop');
const status = $<HTMLDivElement>('status');
const log = $<HTMLDivElement>('log');
const cart = $<HTMLCanvasElement>('cart').getContext('2d')!;
const chart = $<HTMLCanvasElement>('chart').getContext('2d')!;
const rasterCanvas = $<HTMLCanvasElement>('raster');
const raster = rasterCanvas.getContext('2d')!;

backendSel.value = params.get('backend') ?? 'auto';
episodesIn.value = params.get('episodes') ?? episodesIn.value;
brainStepsIn.value = params.get('brainSteps') ?? brainStepsIn.value;
const maxSteps = Number(params.get('maxSteps') ?? CARTPOLE.maxEpisodeSteps);
document.body.dataset.state = 'idle';

let stopRequested = false;
let bytes: Uint8Array | undefined;

function say(text: string): void {
  log.textContent += `${text}\n`;
  log.scrollTop = log.scrollHeight;
}

/** Gymnasium's human rendering, roughly: 4.8 m of track across the canvas. */
function drawCart(state: ArrayLike<number>, action: number): void {
  const { width: W, height: H } = cart.canvas;
  const scale = W / (2 * CARTPOLE.xThreshold * 1.0);
  const y = H * 0.7;
  const x = W / 2 + state[0]! * scale;
  const theta = state[2]!;
  cart.fillStyle = '#000';
  cart.fillRect(0, 0, W, H);
  cart.strokeStyle = '#555';
  cart.beginPath();
  cart.moveTo(0, y + 15);
  cart.lineTo(W, y + 15);
  cart.stroke();
  cart.fillStyle = action === 1 ? '#4a8' : '#48a';
  cart.fillRect(x - 25, y - 15, 50, 30);
  const len = 2 * CARTPOLE.length * scale;
  cart.strokeStyle = '#ca7';
  cart.lineWidth = 8;
  cart.beginPath();
  cart.moveTo(x, y - 15);
  cart.lineTo(x + len * Math.sin(theta), y - 15 - len * Math.cos(theta));
  cart.stroke();
  cart.lineWidth = 1;
  cart.fillStyle = '#ddd';
  cart.fillText(action === 1 ? 'push →' : '← push', x - 18, y + 35);
}

/** Scrolls the raster left by the new brain steps and draws them at the right edge. */
function drawRaster(spikes: Readonly<Record<string, Float32Array>>, steps: number): void {
  const { width: W, height: H } = rasterCanvas;
  const sizes = AB_BRAIN_SPIKE_PORTS.map((p) => spikes[p]!.length / steps);
  const total = sizes.reduce((a, b) => a + b, 0);
  const image = raster.getImageData(steps, 0, W - steps, H);
  raster.putImageData(image, 0, 0);
  raster.fillStyle = '#000';
  raster.fillRect(W - steps, 0, steps, H);
  let row0 = 0;
  AB_BRAIN_SPIKE_PORTS.forEach((port, k) => {
    const size = sizes[k]!;
    const data = spikes[port]!;
    for (let t = 0; t < steps; t++) {
      for (let i = 0; i < size; i++) {
        const s = data[t * size + i]!;
        if (s === 0) continue;
        raster.fillStyle = s < 0 ? '#f55' : k === 0 ? '#888' : '#fff';
        raster.fillRect(W - steps + t, Math.floor(((row0 + i) * H) / total), 1, 1);
      }
    }
    row0 += size;
    raster.fillStyle = '#333';
    raster.fillRect(W - steps, Math.floor((row0 * H) / total), steps, 1);
  });
}

function drawChart(results: readonly EpisodeResult[]): void {
  const { width: W, height: H } = chart.canvas;
  chart.fillStyle = '#000';
  chart.fillRect(0, 0, W, H);
  const n = Math.max(Number(episodesIn.value), results.length, 1);
  const bw = W / n;
  for (const r of results) {
    chart.fillStyle = r.truncated ? '#4c4' : r.outOfBounds ? '#c84' : '#68c';
    const h = (r.steps / maxSteps) * (H - 10);
    chart.fillRect(r.episode * bw, H - h, Math.max(1, bw - 1), h);
  }
  chart.fillStyle = '#aaa';
  chart.fillText(`episode length (max ${maxSteps})`, 4, 10);
}

async function train(): Promise<void> {
  stopRequested = false;
  startBtn.disabled = true;
  stopBtn.disabled = false;
  document.body.dataset.state = 'running';
  try {
    bytes ??= new Uint8Array(await (await fetch(abBrainUrl)).arrayBuffer());
    const registry = createRegistry();
    const doc = loadAbBrain(bytes, registry);
    status.textContent = 'compiling ab_brain…';
    const agent = await CartPoleAgent.create(doc, {
      backend: backendSel.value as BackendChoice,
      registry,
      brainStepsPerEnvStep: Number(brainStepsIn.value),
    });
    const picked = agent.brain.backend;
    document.body.dataset.backend = picked?.kind ?? 'unknown';
    say(`backend: ${picked?.kind} — ${picked?.reason}`);
    const env = new CartPole({ seed: 42, suttonBartoReward: true, maxEpisodeSteps: maxSteps });
    await agent.prime(env);
    const episodes = Number(episodesIn.value);
    const drawEvery = Math.max(1, Number(drawEveryIn.value));
    const t0 = performance.now();
    const results: EpisodeResult[] = [];
    for (let e = 0; e < episodes && !stopRequested; e++) {
      const onStep = async (v: StepView) => {
        if (v.envStep % drawEvery === 0) {
          drawCart(v.state, v.action);
          if (v.spikes) drawRaster(v.spikes, agent.stepsPerEnvStep);
          status.textContent = `episode ${e + 1}, step ${v.envStep} (${picked?.kind})`;
          await new Promise((r) => requestAnimationFrame(() => r(undefined)));
        }
      };
      const r = await agent.runEpisode(env, { onStep, recordSpikes: true });
      results.push(r);
      document.body.dataset.episodes = String(results.length);
      drawChart(results);
      say(
        `episode ${String(e + 1).padStart(3)}: ${String(r.steps).padStart(3)} steps ` +
          `(${r.truncated ? 'cap' : r.outOfBounds ? 'out of bounds' : 'pole fell'}), EMA ${r.ema.toFixed(1)}, ` +
          `${((r.steps * 1000) / r.ms).toFixed(2)} env-steps/s`,
      );
    }
    const s = summarise(results, performance.now() - t0, maxSteps);
    say(
      `${s.episodes} episodes, ${s.envSteps} env steps, ${s.envStepsPerSecond.toFixed(2)} env-steps/s, ` +
        `${s.msPerBrainStep.toFixed(2)} ms per brain step; ` +
        (s.firstCap === null
          ? `cap not reached (best ${s.best})`
          : `first reached the cap in episode ${s.firstCap}`),
    );
    status.textContent = `done on ${picked?.kind}`;
    agent.destroy();
    document.body.dataset.state = 'done';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    status.textContent = `error: ${message}`;
    say(`error: ${message}`);
    document.body.dataset.state = 'error';
  } finally {
    startBtn.disabled = false;
    stopBtn.disabled = true;
  }
}

startBtn.addEventListener('click', () => void train());
stopBtn.addEventListener('click', () => {
  stopRequested = true;
});
status.textContent = 'ready: press start';
if (params.get('autostart') === '1') void train();
