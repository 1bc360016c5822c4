import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The CartPole page: `pnpm --filter @spark-snn/examples web` serves it, `build:web` writes web/dist/.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    rolldownOptions: { input: { cartpole: fileURLToPath(new URL('cartpole.html', import.meta.url)) } },
  },
  server: { host: '127.0.0.1', port: 5183, open: '/cartpole.html' },
  preview: { host: '127.0.0.1', port: 5183 },
});
