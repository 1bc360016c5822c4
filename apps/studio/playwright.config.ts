import { defineConfig } from '@playwright/test';
import { CHROMIUM, CHROMIUM_WEBGPU_ARGS, CHROMIUM_WEBGPU_CANVAS_ARGS } from '../../vitest.shared.ts';

/**
 * End-to-end specs against the BUILT studio (`vite build` first; `vite preview` serves dist/).
 * System Chromium with the WebGPU-on-SwiftShader flags; never downloads a browser. Two projects:
 * `chromium` (the spec's flags: there presenting a `webgpu` canvas loses the device, so the studio
 * falls back to the Canvas 2D raster) runs every spec but the WebGPU raster one; `webgpu-canvas`
 * (`CHROMIUM_WEBGPU_CANVAS_ARGS`: ANGLE on SwiftShader Vulkan, which presents WebGPU canvases but
 * composites every frame in software Vulkan, several times slower) runs `raster.spec.ts` and the
 * perf cases that need it.
 */
/**
 * The frame-rate spec (`e2e/perf.spec.ts`) measures timing, so it runs on its own (`pnpm test:perf`,
 * SPARK_E2E_PERF=1) and not inside the parallel `pnpm test` run, where other suites share the
 * two cores and would make its numbers (and the test) depend on what runs beside it.
 */
const runPerf = process.env.SPARK_E2E_PERF === '1';
if (!runPerf && process.env.TEST_WORKER_INDEX === undefined)
  console.log(
    'e2e: perf.spec.ts and first-frame.spec.ts (timings) are left out of this run; run them alone with `pnpm --filter @spark-snn/studio test:perf` / `test:first-frame`.',
  );

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/artifacts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [
    ['list'],
    ['json', { outputFile: runPerf ? 'test-results/perf-playwright.json' : 'test-results/playwright.json' }],
  ],
  use: {
    baseURL: 'http://127.0.0.1:4391/',
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: ['**/raster.spec.ts', ...(runPerf ? [] : ['**/perf.spec.ts', '**/first-frame.spec.ts'])],
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_WEBGPU_ARGS },
      },
    },
    {
      name: 'webgpu-canvas',
      testMatch: ['**/raster.spec.ts', ...(runPerf ? ['**/perf.spec.ts'] : [])],
      testIgnore: ['**/first-frame.spec.ts'],
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_WEBGPU_CANVAS_ARGS },
      },
    },
  ],
  webServer: {
    command: 'vite preview --port 4391 --strictPort',
    url: 'http://127.0.0.1:4391/',
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
