/**
 * The child process of the harness: `node --import tsx src/child.ts '<job JSON>'` runs one job
 * (`jobs.ts`) and prints its answer as one line `@@bench-result {…}` on stdout. The harness starts
 * one per sample, in this checkout or in another one (A/B mode), so that every runner is timed in a
 * process of its own.
 *
 * @module
 */
import { type Job, RESULT_MARK, runJob } from './jobs.ts';

const arg = process.argv[2];
if (!arg) {
  process.stderr.write("usage: node --import tsx src/child.ts '<job JSON>'\n");
  process.exit(2);
}
const result = await runJob(JSON.parse(arg) as Job);
process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
process.exit(0);
