// The CartPole page runs an episode in headless Chromium (system /usr/bin/chromium, WebGPU on
// SwiftShader) with backend 'auto', served by Vite from web/.
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_WEBGPU_ARGS } from '../../../../vitest.shared.ts';

let server: ViteDevServer;
let base = '';

beforeAll(async () => {
  server = await createServer({
    configFile: fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url)),
    server: { port: 0, open: false, host: '127.0.0.1' },
    logLevel: 'error',
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('no server address');
  base = `http://127.0.0.1:${address.port}`;
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('web/cartpole.html', () => {
  it('trains in a worker with backend auto, draws cart, raster and curve, saves a checkpoint, loads it back and watches the agent', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_WEBGPU_ARGS,
      headless: true,
    });
    try {
      const page = await browser.newPage({ acceptDownloads: true });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const state = (wanted: string) =>
        page.waitForFunction(
          (w) => document.body.dataset.state === w || document.body.dataset.state === 'error',
          wanted,
          { timeout: 150_000 },
        );
      const logText = () => page.evaluate(() => document.getElementById('log')?.textContent ?? '');
      await page.goto(`${base}/cartpole.html?backend=auto&episodes=2&brainSteps=3&maxSteps=3&autostart=1`);
      await state('done');
      const info = await page.evaluate(() => ({
        state: document.body.dataset.state,
        episodes: document.body.dataset.episodes,
        backend: document.body.dataset.backend,
        // something was drawn on the raster: count non-black pixels
        lit: (() => {
          const c = document.getElementById('raster') as HTMLCanvasElement;
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i]! + d[i + 1]! + d[i + 2]! > 0) n++;
          return n;
        })(),
        markers: document.querySelectorAll('#curve svg use[x]').length,
        lines: document.querySelectorAll('#curve svg polyline').length,
      }));
      console.log(`page ran on ${info.backend}: ${(await logText()).trim().split('\n').join(' | ')}`);
      expect(errors).toEqual([]);
      expect(await logText()).toMatch(/episode {3}2:/);
      expect(info.state).toBe('done');
      expect(info.episodes).toBe('2');
      expect(['webgpu', 'gpujs', 'cpu']).toContain(info.backend);
      expect(info.lit).toBeGreaterThan(0);
      expect(info.lines).toBe(2); // the live learning curve: lengths and EMA
      expect(info.markers).toBe(2 + 3); // one marker per episode, three in the legend

      // Save the trained state as a file, forget the agent, load the file back.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save')]);
      expect(download.suggestedFilename()).toBe('cartpole-file-2-episodes.safetensors');
      const file = await download.path();
      await state('done');
      await page.click('#reset');
      await state('done');
      await page.setInputFiles('#load', file);
      await page.waitForFunction(
        () => document.body.dataset.loaded === '2' || document.body.dataset.state === 'error',
        undefined,
        {
          timeout: 150_000,
        },
      );
      expect(await logText()).toMatch(/checkpoint loaded: 2 episodes trained/);

      // Watch the trained agent: one episode, plasticity off.
      await state('done');
      await page.click('#watch');
      await page.waitForFunction(
        () => document.body.dataset.watched === '1' || document.body.dataset.state === 'error',
        undefined,
        {
          timeout: 150_000,
        },
      );
      await state('done');
      expect(await logText()).toMatch(
        /watched episode 1: \d steps \((pole fell|out of bounds|truncated)\), plasticity off/,
      );
      // Training continues from the loaded state: episode 3 follows; stop ends a long run.
      await page.fill('#episodes', '1000');
      await page.click('#train');
      await page.waitForFunction(
        () => /episode {3}3:/.test(document.getElementById('log')?.textContent ?? ''),
        undefined,
        {
          timeout: 150_000,
        },
      );
      await page.click('#stop');
      await state('done');
      expect(errors).toEqual([]);
      expect(await logText()).not.toMatch(/error/);
    } finally {
      await browser.close();
    }
  }, 600_000);
});
