import { defineConfig } from 'vitest/config';

// Minimal local config until the shared `vitest.shared.ts` lands at the repo root.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['src/**/*.test.ts', 'test/node/**/*.test.ts'],
          environment: 'node',
        },
      },
    ],
  },
});
