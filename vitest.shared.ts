/**
 * Shared Vitest configuration for every package: a `node` project and a `browser` project
 * (headless Debian Chromium with WebGPU on SwiftShader). Deno tests run separately (`deno test`).
 *
 * Usage: a package's `vitest.config.ts` imports `sparkVitestConfig` from this file (two folders up) and
 * writes `export default sparkVitestConfig();`.
 * Tests in `src/**\/*.test.ts` and `test/*.test.ts` run in both projects (no Node-only APIs there);
 * `test/node/**\/*.test.ts` run in Node only; `test/browser/**\/*.test.ts` in the browser only.
 */

import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/** Shared setup: fixed fast-check seed under CI. */
const SETUP = fileURLToPath(new URL('./vitest.setup.ts', import.meta.url));

/** The SwiftShader Vulkan ICD shipped by Debian's `chromium` package (stack.md §3.2). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** System Chromium (Debian). Playwright never downloads its own browser here. */
export const CHROMIUM = process.env.SPARK_CHROMIUM ?? '/usr/bin/chromium';

/** Headless Chromium flags that give WebGPU on SwiftShader as root without network (stack.md §6). */
export const CHROMIUM_WEBGPU_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-gl=angle',
  '--use-angle=swiftshader-webgl',
  '--enable-unsafe-swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/**
 * The same, for pages that present WebGPU canvases (the studio's WebGPU raster): with
 * `--use-angle=swiftshader-webgl` headless Chromium destroys the WebGPU device the first time a
 * `webgpu` canvas is presented ("Device was destroyed"); ANGLE on SwiftShader Vulkan
 * (`--use-angle=swiftshader --use-vulkan=swiftshader`) presents it, and WebGL2 (gpu.js) still works.
 */
export const CHROMIUM_WEBGPU_CANVAS_ARGS = [
  ...CHROMIUM_WEBGPU_ARGS.filter((a) => a !== '--use-angle=swiftshader-webgl'),
  '--use-angle=swiftshader',
  '--use-vulkan=swiftshader',
];

export interface SparkVitestOptions {
  /** Globs (relative to the package) for tests that run in Node and in the browser. */
  shared?: string[];
  /** Globs for Node-only tests. */
  node?: string[];
  /** Globs for browser-only tests. */
  browser?: string[];
  /** Run the browser project at all (default true). */
  withBrowser?: boolean;
  /** Per-test timeout in ms (default 60 s: software adapters are slow). */
  testTimeout?: number;
}

/** Builds the two-project Vitest config used by every package. */
export function sparkVitestConfig(options: SparkVitestOptions = {}): ViteUserConfig {
  const shared = options.shared ?? ['src/**/*.test.ts', 'test/*.test.ts'];
  const nodeOnly = options.node ?? ['test/node/**/*.test.ts'];
  const browserOnly = options.browser ?? ['test/browser/**/*.test.ts'];
  const testTimeout = options.testTimeout ?? 60_000;
  const setupFiles = [SETUP];
  const provide = { sparkCi: Boolean(process.env.CI) };
  const projects: NonNullable<NonNullable<ViteUserConfig['test']>['projects']> = [
    {
      test: {
        name: 'node',
        provide,
        include: [...shared, ...nodeOnly],
        environment: 'node',
        setupFiles,
        env: { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? SWIFTSHADER_ICD },
        testTimeout,
        hookTimeout: testTimeout,
      },
    },
  ];
  if (options.withBrowser !== false) {
    projects.push({
      test: {
        name: 'browser',
        provide,
        include: [...shared, ...browserOnly],
        setupFiles,
        testTimeout,
        hookTimeout: testTimeout,
        browser: {
          enabled: true,
          headless: true,
          screenshotFailures: false,
          provider: playwright({
            launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_WEBGPU_ARGS },
          }),
          instances: [{ browser: 'chromium' }],
        },
      },
    });
  }
  return defineConfig({ test: { projects, passWithNoTests: false } });
}
