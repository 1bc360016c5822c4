/**
 * Entry point of the `spark` command (Node: `bin/spark.mjs`; Deno: `deno run -A src/main.ts`).
 *
 * @module
 */
import process from 'node:process';
import { runCli } from './cli.ts';
import { processIo } from './io.ts';

// `spark validate … | head` closes the pipe early: stop quietly instead of dying with EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on?.('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const code = await runCli(process.argv.slice(2), processIo());
// Leave with the code once pending writes are flushed, even if a GPU handle keeps the loop alive.
process.exitCode = code;
setTimeout(() => process.exit(code), 0).unref?.();
