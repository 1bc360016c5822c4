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
  it('loads ab_brain, picks a backend with auto and runs a short episode, drawing the cart and the raster', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_WEBGPU_ARGS,
      headless: true,
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}/cartpole.html?backend=auto&episodes=1&brainSteps=3&maxSteps=3&autostart=1`);
      await page.waitForFunction(
        () => document.body.dataset.state === 'done' || document.body.dataset.state === 'error',
        undefined,
        { timeout: 150_000 },
      );
      const info = await page.evaluate(() => ({
        state: document.body.dataset.state,
        episodes: document.body.dataset.episodes,
        backend: document.body.dataset.backend,
        log: document.getElementById('log')?.textContent ?? '',
        // something was drawn on the raster: count non-black pixels
        lit: (() => {
          const c = document.getElementById('raster') as HTMLCanvasElement;
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i]! + d[i + 1]! + d[i + 2]! > 0) n++;
          return n;
        })(),
      }));
      console.log(`page ran on ${info.backend}: ${info.log.trim().split('\n').join(' | ')}`);
      expect(errors).toEqual([]);
      expect(info.log).toMatch(/episode {3}1:/);
      expect(info.state).toBe('done');
      expect(info.episodes).toBe('1');
      expect(['webgpu', 'gpujs', 'cpu']).toContain(info.backend);
      expect(info.lit).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  }, 180_000);
});
