/**
 * Entry point of the `spark` command (Node: `bin/spark.mjs`; Deno: `deno run -A src/main.ts`).
 *
 * @module
 */
import process from 'node:process';
import { runCli } from './cli.ts';
import { processIo } from './io.ts';

const code = await runCli(process.argv.slice(2), processIo());
// Let pending writes drain, then leave with the code (GPU handles may keep the loop alive).
process.exitCode = code;
setTimeout(() => process.exit(code), 0).unref?.();
