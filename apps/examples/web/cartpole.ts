/**
 * The CartPole page: the ab_brain agent learning CartPole-v1 in a worker (backend `auto`: WebGPU
 * on a hardware GPU, else cpu), drawing the cart, a spike raster and
 * the live learning curve (the notebook's plot). "train" continues training, "watch" plays the
 * trained agent with plasticity off, the trained state is saved as a checkpoint file and loaded back.
 *
 * URL parameters (all optional): `network` (file|spark), `backend`, `episodes`, `brainSteps`,
 * `maxSteps`, `seed`, `drawEvery`, `autostart=1` (train at once). The page reports its progress on
 * `document.body.dataset` (`state`, `episodes`, `backend`, `watched`, `loaded`) for the smoke test.
 */
import type { BackendChoice } from '@spark-snn/core';
import { AB_BRAIN_SPIKE_PORTS } from '../src/cartpole/agent.ts';
import { type CurveRow, curveSvg } from '../src/cartpole/curve.ts';
import { CARTPOLE } from '../src/cartpole/env.ts';
import type { CartPoleNetwork, TrainingSetup } from '../src/cartpole/training.ts';
import type { FromWorker, StepMessage, ToWorker } from './protocol.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const networkSel = $<HTMLSelectElement>('network');
const backendSel = $<HTMLSelectElement>('backend');
const episodesIn = $<HTMLInputElement>('episodes');
const brainStepsIn = $<HTMLInputElement>('brainSteps');
const drawEveryIn = $<HTMLInputElement>('drawEvery');
const buttons = {
  train: $<HTMLButtonElement>('train'),
  watch: $<HTMLButtonElement>('watch'),
  stop: $<HTMLButtonElement>('stop'),
  reset: $<HTMLButtonElement>('reset'),
  save: $<HTMLButtonElement>('save'),
  load: $<HTMLInputElement>('load'),
};
const status = $<HTMLDivElement>('status');
const log = $<HTMLDivElement>('log');
const curve = $<HTMLDivElement>('curve');
const cart = $<HTMLCanvasElement>('cart').getContext('2d')!;
const rasterCanvas = $<HTMLCanvasElement>('raster');
const raster = rasterCanvas.getContext('2d')!;

networkSel.value = params.get('network') ?? 'file';
backendSel.value = params.get('backend') ?? 'auto';
episodesIn.value = params.get('episodes') ?? episodesIn.value;
brainStepsIn.value = params.get('brainSteps') ?? brainStepsIn.value;
drawEveryIn.value = params.get('drawEvery') ?? drawEveryIn.value;
const maxSteps = Number(params.get('maxSteps') ?? CARTPOLE.maxEpisodeSteps);
const seed = Number(params.get('seed') ?? 42);
document.body.dataset.state = 'idle';

const worker = new Worker(new URL('./cartpole.worker.ts', import.meta.url), { type: 'module' });
const send = (m: ToWorker, transfer: Transferable[] = []) => worker.postMessage(m, { transfer });
let rows: CurveRow[] = [];
let backend = '';

const setup = (): TrainingSetup => ({
  network: networkSel.value as CartPoleNetwork,
  seed,
  backend: backendSel.value as BackendChoice,
  brainSteps: Number(brainStepsIn.value),
  maxSteps,
});

function say(text: string): void {
  log.textContent += `${text}\n`;
  log.scrollTop = log.scrollHeight;
}

function busy(on: boolean, what = ''): void {
  for (const b of [buttons.train, buttons.watch, buttons.reset, buttons.save]) b.disabled = on;
  buttons.load.disabled = on;
  networkSel.disabled = on;
  backendSel.disabled = on;
  brainStepsIn.disabled = on;
  buttons.stop.disabled = !on;
  document.body.dataset.state = on ? 'running' : 'done';
  if (on) status.textContent = what;
}

/** Gymnasium's human rendering, roughly: 4.8 m of track across the canvas. */
function drawCart(state: ArrayLike<number>, action: number, caption: string): void {
  const { width: W, height: H } = cart.canvas;
  const scale = W / (2 * CARTPOLE.xThreshold);
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
  cart.fillText(caption, 8, 16);
}

/** Scrolls the raster left by the new brain steps and draws them at the right edge. */
function drawRaster(spikes: Readonly<Record<string, Int8Array>>, steps: number): void {
  const { width: W, height: H } = rasterCanvas;
  const sizes = AB_BRAIN_SPIKE_PORTS.map((p) => (spikes[p]?.length ?? 0) / steps);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total === 0) return;
  raster.putImageData(raster.getImageData(steps, 0, W - steps, H), 0, 0);
  raster.fillStyle = '#000';
  raster.fillRect(W - steps, 0, steps, H);
  let row0 = 0;
  AB_BRAIN_SPIKE_PORTS.forEach((port, k) => {
    const size = sizes[k]!;
    const data = spikes[port];
    if (!data) return;
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

function drawCurve(): void {
  curve.innerHTML = curveSvg([{ label: `spark-snn · ${networkSel.value} network`, rows }], {
    cap: maxSteps,
    episodes: Math.max(Number(episodesIn.value), rows.at(-1)?.episode ?? 0),
    width: 600,
    panelHeight: 220,
  });
}

function drawStep(m: StepMessage): void {
  drawCart(
    m.state,
    m.action,
    `${m.mode === 'watch' ? 'watching' : 'training'} · episode ${m.episode} · step ${m.envStep}`,
  );
  drawRaster(m.spikes, m.brainSteps);
  status.textContent = `${m.mode === 'watch' ? 'watching' : 'training'}: episode ${m.episode}, step ${m.envStep} (${backend})`;
}

// Steps arrive faster than frames: draw the latest once per animation frame.
let pending: StepMessage | undefined;
const frame = () => {
  if (pending) drawStep(pending);
  pending = undefined;
  requestAnimationFrame(frame);
};
requestAnimationFrame(frame);

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'ready':
      backend = m.backend;
      document.body.dataset.backend = m.backend;
      say(`backend: ${m.backend} — ${m.reason}`);
      break;
    case 'step':
      if (pending) drawRaster(pending.spikes, pending.brainSteps); // keep every raster column
      pending = m;
      break;
    case 'episode': {
      rows.push(m.row);
      document.body.dataset.episodes = String(rows.length);
      drawCurve();
      const r = m.row;
      say(
        `episode ${String(r.episode).padStart(3)}: ${String(r.steps).padStart(3)} steps (${r.outcome.replace(/_/g, ' ')}), ` +
          `EMA ${r.ema.toFixed(1)}, ${m.envStepsPerSecond.toFixed(2)} env-steps/s, ` +
          `${((r.ms! * 1000) / r.brainSteps!).toFixed(0)} µs/brain step`,
      );
      break;
    }
    case 'watched':
      document.body.dataset.watched = String(m.episode);
      say(`watched episode ${m.episode}: ${m.steps} steps (${m.outcome.replace(/_/g, ' ')}), plasticity off`);
      break;
    case 'checkpoint': {
      const blob = new Blob([m.bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `cartpole-${m.network}-${m.episodes}-episodes.safetensors`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      say(`checkpoint saved: ${a.download} (${(m.bytes.length / 1e6).toFixed(1)} MB)`);
      break;
    }
    case 'loaded':
      rows = [];
      drawCurve();
      document.body.dataset.loaded = String(m.episodes);
      say(`checkpoint loaded: ${m.episodes} episodes trained, EMA ${m.ema.toFixed(1)}`);
      break;
    case 'idle':
      busy(false);
      status.textContent = m.stopped ? `stopped (${backend})` : `ready (${backend || 'no agent yet'})`;
      break;
    case 'error':
      say(`error: ${m.message}`);
      status.textContent = `error: ${m.message}`;
      busy(false);
      document.body.dataset.state = 'error';
      break;
  }
};
worker.onerror = (e) => {
  say(`worker error: ${e.message}`);
  document.body.dataset.state = 'error';
};

function train(): void {
  busy(true, 'compiling ab_brain…');
  send({
    type: 'train',
    setup: setup(),
    episodes: Number(episodesIn.value),
    drawEvery: Math.max(1, Number(drawEveryIn.value)),
  });
}
buttons.train.addEventListener('click', train);
buttons.watch.addEventListener('click', () => {
  busy(true, 'watching the trained agent…');
  send({ type: 'watch', setup: setup(), episodes: 1 });
});
buttons.stop.addEventListener('click', () => send({ type: 'stop' }));
buttons.reset.addEventListener('click', () => {
  rows = [];
  drawCurve();
  busy(true, 'resetting…');
  send({ type: 'reset' });
});
buttons.save.addEventListener('click', () => {
  busy(true, 'saving the checkpoint…');
  send({ type: 'save' });
});
buttons.load.addEventListener('change', async () => {
  const file = buttons.load.files?.[0];
  if (!file) return;
  busy(true, `loading ${file.name}…`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  send({ type: 'load', setup: setup(), bytes }, [bytes.buffer]);
  buttons.load.value = '';
});
drawCurve();
status.textContent = 'ready: press train';
if (params.get('autostart') === '1') train();
