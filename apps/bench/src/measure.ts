/**
 * How every runner is timed, the same way for all: **process CPU time** (user + system, every
 * thread of the process: GC helpers, workers, a software adapter's threads) and **wall time**,
 * both read around the same code (the step loop, or the load), plus the process's peak resident
 * memory. Our runners and the naive loop run in a child process of their own per sample
 * (`child.ts`), so each row's peak memory is its own and no runner warms another's JIT; the Python
 * peers measure the same three figures around their own loops (`getrusage`, `perf_counter`).
 *
 * @module
 */
import { readFileSync } from 'node:fs';

/** A point in time: wall seconds and process CPU seconds. */
export interface Clock {
  readonly wall: number;
  readonly cpu: number;
}

/** A duration: wall seconds and process CPU seconds. */
export type Timing = Clock;

interface NodeProcess {
  cpuUsage?: () => { user: number; system: number };
  resourceUsage?: () => { maxRSS: number };
  memoryUsage?: () => { rss: number };
}
const proc = (globalThis as { process?: NodeProcess }).process;

/** Process CPU seconds (user + system) so far; NaN where the runtime cannot tell. */
export function cpuSeconds(): number {
  const u = proc?.cpuUsage?.();
  return u ? (u.user + u.system) / 1e6 : Number.NaN;
}

/** Now. */
export function clock(): Clock {
  return { wall: performance.now() / 1000, cpu: cpuSeconds() };
}

/** Time elapsed since `t0`. */
export function since(t0: Clock): Timing {
  const t = clock();
  return { wall: t.wall - t0.wall, cpu: t.cpu - t0.cpu };
}

/** Times an async function. */
export async function timeAsync<T>(fn: () => Promise<T>): Promise<{ value: T; time: Timing }> {
  const t0 = clock();
  const value = await fn();
  return { value, time: since(t0) };
}

/** `VmHWM` of `/proc/self/status` in MiB (Linux), or undefined. */
function vmHwmMiB(): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Peak resident set size of this process so far (MiB): Linux's `VmHWM` (this process's own memory
 * map; `getrusage`'s `ru_maxrss` would carry over the forking parent's RSS), else the runtime's
 * `maxRSS`, else the current RSS.
 */
export function peakRssMiB(): number {
  const hwm = vmHwmMiB();
  if (hwm !== undefined) return hwm;
  const ru = proc?.resourceUsage?.();
  if (ru) return ru.maxRSS / 1024;
  const m = proc?.memoryUsage?.();
  return m ? m.rss / 2 ** 20 : Number.NaN;
}

/** Current resident set size (MiB). */
export function rssMiB(): number {
  const m = proc?.memoryUsage?.();
  return m ? m.rss / 2 ** 20 : Number.NaN;
}

/** Median of a list (NaN for an empty one). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * The order in which `runners` run for round `round` (0-based): rotated by one each round, so that
 * runners and seeds interleave (A B C, B C A, C A B, …) and no runner always runs first or last
 * under a load that drifts.
 */
export function interleave<T>(runners: readonly T[], round: number): T[] {
  const k = runners.length === 0 ? 0 : round % runners.length;
  return [...runners.slice(k), ...runners.slice(0, k)];
}
