import { defineConfig } from 'vite';

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// A static site: `vite build` writes dist/, `vite preview` serves it.
export default defineConfig({
  base: './',
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      onLog(level, log, handler) {
        // Radix (via cmdk) ships "use client" directives, meaningless in a client-only bundle.
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  // Module workers (the simulation engine); ES format allows code splitting inside the worker.
  worker: { format: 'es' },
  // Cross-origin isolation (COOP/COEP), so the engine may use SharedArrayBuffer and worker threads.
  preview: { host: '127.0.0.1', headers: ISOLATION },
  server: { host: '127.0.0.1', headers: ISOLATION },
});
