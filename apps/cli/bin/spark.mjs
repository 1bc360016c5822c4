#!/usr/bin/env node
// The `spark` command. Inside the monorepo every @spark-snn package exports TypeScript sources, so
// the CLI runs from `src/`: natively where Node strips types (Node ≥ 22.18), else through
// TypeScript-transpiling module hooks (Node 20; `typescript` is a dev dependency). An installed
// build without TypeScript available runs the compiled `dist/main.js` (`pnpm build`).
import { register } from 'node:module';
import process from 'node:process';

const source = new URL('../src/main.ts', import.meta.url);
if (process.features?.typescript) {
  await import(source.href);
} else {
  let hooks = true;
  try {
    import.meta.resolve('typescript'); // resolve only: the hooks load it on a cache miss
  } catch {
    hooks = false;
  }
  if (hooks) {
    register('./ts-hooks.mjs', import.meta.url);
    await import(source.href);
  } else {
    await import(new URL('../dist/main.js', import.meta.url).href);
  }
}
