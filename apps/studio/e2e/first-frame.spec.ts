// Time to the first simulated frame: a new page opens the studio with ab_brain on the cpu backend
// and runs it; measured from navigation (performance.timeOrigin) to the first animation frame
// that shows a simulated step, five times, each in a fresh browser context (nothing cached but
// what the HTTP cache keeps). Also the model check and build (the worker's compile progress),
// frames/s and steps/s while it runs. Timing only: it runs alone (`pnpm test:first-frame`), is
// not part of `pnpm test`, and asserts nothing about speed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { simPanel, simReady, simStep } from './helpers.ts';

const RUNS = 5;

interface Run {
  /** ms from navigation: the document's nodes are on the canvas. */
  canvas: number;
  /** ms from navigation: the first compile progress report. */
  compileStart: number;
  /** ms from navigation: the model is loaded (Run enabled). */
  ready: number;
  /** ms from navigation: the first frame showing a simulated step. */
  firstFrame: number;
  /** Running for 10 s: simulated steps per second and frames per second. */
  stepsPerSecond: number;
  framesPerSecond: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

test('ab_brain on cpu: navigation → first simulated frame (median of 5), then frames/s and steps/s', async ({
  browser,
}, info) => {
  test.setTimeout(RUNS * 240_000);
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
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
    await page.goto('./?example=1&backend=cpu');
    await simReady(page, 180_000);
    await expect.poll(() => simStep(page), { timeout: 120_000 }).toBeGreaterThan(0);
    await page.waitForFunction(
      () => (window as unknown as { marks: { firstFrame?: number } }).marks.firstFrame,
    );
    const marks = await page.evaluate(() => (window as unknown as { marks: Record<string, number> }).marks);
    // Running: steps and frames over 10 s.
    const s0 = await simStep(page);
    const f0 = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let frames = 0;
          const end = performance.now() + 10_000;
          const tick = () => {
            frames++;
            if (performance.now() < end) requestAnimationFrame(tick);
            else resolve(frames / 10);
          };
          requestAnimationFrame(tick);
        }),
    );
    const s1 = await simStep(page);
    runs.push({
      canvas: Math.round(marks.canvas ?? Number.NaN),
      compileStart: Math.round(marks.compileStart ?? Number.NaN),
      ready: Math.round(marks.ready ?? Number.NaN),
      firstFrame: Math.round(marks.firstFrame ?? Number.NaN),
      stepsPerSecond: Math.round((s1 - s0) / 10),
      framesPerSecond: Math.round(f0),
    });
    await expect(simPanel(page)).toHaveAttribute('data-status', 'ready');
    await context.close();
  }
  const summary = {
    runs,
    median: {
      canvas: median(runs.map((r) => r.canvas)),
      compileStart: median(runs.map((r) => r.compileStart)),
      ready: median(runs.map((r) => r.ready)),
      firstFrame: median(runs.map((r) => r.firstFrame)),
      stepsPerSecond: median(runs.map((r) => r.stepsPerSecond)),
      framesPerSecond: median(runs.map((r) => r.framesPerSecond)),
    },
    project: info.project.name,
    cores: (await import('node:os')).cpus().length,
    loadavg: (await import('node:os')).loadavg(),
  };
  const dir = join(import.meta.dirname, '..', 'test-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `first-frame-${info.project.name}.json`), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(JSON.stringify(summary.median), 'loadavg', summary.loadavg.map((x) => x.toFixed(1)).join(' '));
  expect(runs.every((r) => r.firstFrame > 0)).toBe(true);
});
