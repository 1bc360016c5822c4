#!/usr/bin/env node
// `deno test` for the packages' test:deno scripts (same arguments), with one known runtime fault
// handled: Deno's WebGPU (wgpu on lavapipe) sometimes aborts with a glibc heap check
// ("malloc_consolidate(): unaligned fastbin chunk detected", "corrupted size vs. prev_size in
// fastbins", "corrupted double-linked list") while the process tears down its devices, after every test has run and the JUnit
// report is written. Seen in about 1 of 4 loaded CI runs of the kernels suite, never during a test.
//
// Only that case passes: the exit status is non-zero, stderr names a glibc heap abort, and the JUnit
// report (--junit-path) lists at least one test with 0 failures and 0 errors. Then a warning is
// printed and the run counts as passed (its results come from the report, as for every runtime).
// Any other non-zero exit — a failed test, a crash without a complete report — fails as before.
// Decision: docs/decisions.md, "Deno teardown aborts".
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const args = process.argv.slice(2);
const junit = args.find((a) => a.startsWith('--junit-path='))?.slice('--junit-path='.length);
if (junit) rmSync(junit, { force: true });

const child = spawn('deno', ['test', ...args], { stdio: ['inherit', 'inherit', 'pipe'] });
let stderr = '';
child.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  stderr += chunk.toString();
  if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19));
});
child.on('close', (code, signal) => {
  const status = code ?? 1;
  if (status === 0 && !signal) process.exit(0);
  const heapAbort =
    /malloc_consolidate\(\)|fastbin|corrupted size vs\. prev_size|corrupted double-linked list|double free or corruption/.test(
      stderr,
    );
  if (heapAbort && junit && existsSync(junit)) {
    const head = /<testsuites[^>]*\btests="(\d+)"[^>]*\bfailures="(\d+)"[^>]*\berrors="(\d+)"/.exec(
      readFileSync(junit, 'utf8'),
    );
    if (head && Number(head[1]) > 0 && head[2] === '0' && head[3] === '0') {
      console.warn(
        `deno-test: Deno aborted during teardown (glibc heap check, exit ${signal ?? status}) after all ${head[1]} tests passed (${junit}); counted as passed — see docs/decisions.md "Deno teardown aborts"`,
      );
      process.exit(0);
    }
  }
  process.exit(status === 0 ? 1 : status);
});
