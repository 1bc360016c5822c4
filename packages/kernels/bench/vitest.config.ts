import { defineConfig } from 'vitest/config';

// `pnpm bench`: kernel microbenchmarks (Node, Dawn on SwiftShader where no GPU exists).
export default defineConfig({
  test: {
    include: ['bench/**/*.bench.test.ts'],
    env: { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? '/usr/lib/chromium/vk_swiftshader_icd.json' },
    testTimeout: 600_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
