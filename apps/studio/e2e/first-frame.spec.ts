// Time to the first simulated frame: a new page opens the studio with ab_brain on a backend and
// runs it; measured from navigation (performance.timeOrigin) to the first animation frame that
// shows a simulated step, five times per backend, each in a fresh browser context (nothing cached
// but what the HTTP cache keeps), the backends interleaved run by run. Also the model check and
// build (the worker's compile progress), frames/s and steps/s while it runs, the share of real
// time (ab_brain's dt is 1 ms, so 1,000 steps/s is real time) and the CPU time of the browser's
// processes (the page, its worker and the GPU process) over each phase. Timing only: it runs
// alone (`pnpm test:first-frame`), is not part of `pnpm test`, and asserts nothing about speed.
//
// SPARK_FIRST_FRAME_RUNS sets the runs per backend (default 5); SPARK_FIRST_FRAME_BACKENDS picks the
// backends (comma-separated, default `cpu`): `cpu`, `auto`
// (the engine's rule; cpu on a machine without a hardware GPU) and `webgpu` (whatever adapter the
// browser has: with the spec's flags a software one, so its figures are an overhead, not a GPU
// speed; measured with the Canvas 2D raster, which is what the studio falls back to under them).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { simPanel, simReady, simStep } from './helpers.ts';

const RUNS = Number(process.env.SPARK_FIRST_FRAME_RUNS ?? 5);
/** ab_brain's dt in ms (`fixtures/spark/ab_brain.scfg`): real time is 1000 / DT_MS steps per second. */
const DT_MS = 1;
const RUNNING_S = 10;
const QUERIES: Record<string, string> = {
  cpu: 'backend=cpu',
  auto: 'backend=auto',
  webgpu: 'backend=webgpu&raster=canvas2d',
};
const BACKENDS = (process.env.SPARK_FIRST_FRAME_BACKENDS ?? 'cpu').split(',').map((b) => b.trim());

interface Run {
  backend: string;
  /** The status line once it runs (which backend, and why). */
  status: string;
  /** ms from navigation: the document's nodes are on the canvas. */
  canvas: number;
  /** ms from navigation: the first compile progress report. */
  compileStart: number;
  /** ms from navigation: the model is loaded (Run enabled). */
  ready: number;
  /** ms from navigation: the first frame showing a simulated step. */
  firstFrame: number;
  /** CPU seconds of the browser's threads from just before navigation to the first frame. */
  firstFrameCpuS: number;
  /** Running for RUNNING_S s: simulated steps per second, frames per second, CPU cores busy. */
  stepsPerSecond: number;
  framesPerSecond: number;
  cpuPerWallWhileRunning: number;
  /** The same for the page's main thread alone. */
  pageCpuPerWallWhileRunning: number;
  /** The same for the simulation worker's thread alone, and its CPU ms per simulated step. */
  workerCpuPerWallWhileRunning: number;
  workerCpuMsPerStep: number;
  /** Seconds per second the worker was ready to run but waited for a core (the rest of its time is idle). */
  workerWaitingPerWallWhileRunning: number;
  /** Steps per second as a percentage of real time. */
  realTimePercent: number;
  loadavg1: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0
    ? Number.NaN
    : n % 2
      ? (s[(n - 1) / 2] as number)
      : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
};

interface Thread {
  /** CPU seconds, user + system. */
  seconds: number;
  /** Seconds spent runnable but waiting for a core (`schedstat`). */
  waiting: number;
  /** A dedicated worker's thread (the studio's simulation runs in one). */
  worker: boolean;
  /** A renderer's main thread (the page: React, the plots, the worker's messages). */
  page: boolean;
}

/** CPU seconds (user + system) of every thread of every process below this test worker (the browser it launched), by thread. */
function cpuSnapshot(): Map<string, Thread> {
  const tick = 100; // USER_HZ on Linux
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we read
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p))
      if (p === process.pid) return true;
    return false;
  };
  const threads = new Map<string, Thread>();
  for (const pid of parent.keys()) {
    if (!below(pid)) continue;
    try {
      const renderer = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer');
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const wait = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1];
        threads.set(`${pid}/${tid}`, {
          seconds: (Number(f[11]) + Number(f[12])) / tick,
          waiting: Number(wait) / 1e9,
          worker: comm.startsWith('DedicatedWorker'),
          page: renderer && tid === String(pid),
        });
      }
    } catch {
      // the process ended while we read
    }
  }
  return threads;
}

/**
 * CPU seconds spent between two snapshots by the threads alive at the second (all, and the page's
 * workers), and the seconds the workers were ready to run but waited for a core (the machine's load).
 */
function cpuSpent(
  a: Map<string, Thread>,
  b: Map<string, Thread>,
): { total: number; worker: number; workerWaiting: number; page: number } {
  let total = 0;
  let page = 0;
  let worker = 0;
  let workerWaiting = 0;
  for (const [k, t] of b) {
    const d = t.seconds - (a.get(k)?.seconds ?? 0);
    total += d;
    if (t.page) page += d;
    if (t.worker) {
      worker += d;
      workerWaiting += t.waiting - (a.get(k)?.waiting ?? 0);
    }
  }
  return { total, worker, workerWaiting, page };
}

test(`ab_brain on ${BACKENDS.join(', ')}: navigation → first simulated frame (median of ${RUNS}), then frames/s and steps/s`, async ({
  browser,
}, info) => {
  for (const b of BACKENDS)
    if (!(b in QUERIES)) throw new Error(`SPARK_FIRST_FRAME_BACKENDS: unknown backend "${b}"`);
  test.setTimeout(RUNS * BACKENDS.length * 240_000);
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++)
    for (const backend of BACKENDS) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.addInitScript(() => {
        const marks: Record<string, number> = {};
        (window as unknown as { marks: Record<string, number> }).marks = marks;
        new MutationObserver(() => {
          const now = performance.now();
          if (marks.canvas === undefined && document.querySelector('.react-flow__node')) marks.canvas = now;
          const status = document.querySelector('[data-testid="sim-status"]')?.textContent ?? '';
          if (marks.compileStart === undefined && status.startsWith('Compiling')) marks.compileStart = now;
          const panel = document.querySelector('section.spark-sim');
          if (marks.ready === undefined && panel?.getAttribute('data-status') === 'ready') marks.ready = now;
          if (marks.firstFrame === undefined && Number(panel?.getAttribute('data-step') ?? 0) > 0)
            // The step is in the DOM: the frame that paints it is the next one.
            requestAnimationFrame(() => {
              marks.firstFrame ??= performance.now();
            });
        }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      });
      const cpu0 = cpuSnapshot();
      await page.goto(`./?example=1&${QUERIES[backend]}`);
      await simReady(page, 180_000);
      await expect.poll(() => simStep(page), { timeout: 120_000 }).toBeGreaterThan(0);
      await page.waitForFunction(
        () => (window as unknown as { marks: { firstFrame?: number } }).marks.firstFrame,
      );
      const cpu1 = cpuSpent(cpu0, cpuSnapshot());
      const marks = await page.evaluate(() => (window as unknown as { marks: Record<string, number> }).marks);
      // Running: steps, frames and CPU time over RUNNING_S s.
      const s0 = await simStep(page);
      const c0 = cpuSnapshot();
      const t0 = Date.now();
      const frames = await page.evaluate(
        (seconds) =>
          new Promise<number>((resolve) => {
            let n = 0;
            const end = performance.now() + seconds * 1000;
            const tick = () => {
              n++;
              if (performance.now() < end) requestAnimationFrame(tick);
              else resolve(n);
            };
            requestAnimationFrame(tick);
          }),
        RUNNING_S,
      );
      const s1 = await simStep(page);
      const c1 = cpuSpent(c0, cpuSnapshot());
      const wall = (Date.now() - t0) / 1000;
      const status = (await page.getByTestId('sim-status').textContent()) ?? '';
      const stepsPerSecond = (s1 - s0) / wall;
      runs.push({
        backend,
        status: status.replace(/ · step .*/, ''),
        canvas: Math.round(marks.canvas ?? Number.NaN),
        compileStart: Math.round(marks.compileStart ?? Number.NaN),
        ready: Math.round(marks.ready ?? Number.NaN),
        firstFrame: Math.round(marks.firstFrame ?? Number.NaN),
        firstFrameCpuS: Math.round(cpu1.total * 100) / 100,
        stepsPerSecond: Math.round(stepsPerSecond * 10) / 10,
        framesPerSecond: Math.round((frames / RUNNING_S) * 10) / 10,
        cpuPerWallWhileRunning: Math.round((c1.total / wall) * 100) / 100,
        pageCpuPerWallWhileRunning: Math.round((c1.page / wall) * 100) / 100,
        workerCpuPerWallWhileRunning: Math.round((c1.worker / wall) * 100) / 100,
        workerWaitingPerWallWhileRunning: Math.round((c1.workerWaiting / wall) * 100) / 100,
        workerCpuMsPerStep: Math.round(((c1.worker * 1000) / Math.max(s1 - s0, 1)) * 10) / 10,
        realTimePercent: Math.round(((stepsPerSecond * DT_MS) / 1000) * 1000) / 10,
        loadavg1: Math.round((loadavg()[0] ?? Number.NaN) * 100) / 100,
      });
      console.log(JSON.stringify(runs.at(-1)));
      await expect(simPanel(page)).toHaveAttribute('data-status', 'ready');
      await context.close();
    }
  const keys = [
    'canvas',
    'compileStart',
    'ready',
    'firstFrame',
    'firstFrameCpuS',
    'stepsPerSecond',
    'framesPerSecond',
    'cpuPerWallWhileRunning',
    'pageCpuPerWallWhileRunning',
    'workerCpuPerWallWhileRunning',
    'workerCpuMsPerStep',
    'workerWaitingPerWallWhileRunning',
    'realTimePercent',
    'loadavg1',
  ] as const;
  const medians = Object.fromEntries(
    BACKENDS.map((b) => {
      const mine = runs.filter((r) => r.backend === b);
      return [b, Object.fromEntries(keys.map((k) => [k, median(mine.map((r) => r[k]))]))];
    }),
  );
  const summary = {
    runs,
    median: medians,
    project: info.project.name,
    cores: cpus().length,
    loadavg: loadavg(),
  };
  const dir = join(import.meta.dirname, '..', 'test-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `first-frame-${info.project.name}.json`), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(JSON.stringify(summary.median), 'loadavg', summary.loadavg.map((x) => x.toFixed(1)).join(' '));
  expect(runs.every((r) => r.firstFrame > 0)).toBe(true);
});
