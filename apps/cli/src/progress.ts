/**
 * A progress bar with ETA on stderr, drawn only when stdout is a terminal (never in pipes, files
 * or `--json` mode).
 *
 * @module
 */
import type { Io } from './io.ts';

/** Formats seconds as `12s`, `3m04s`, `1h02m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The bar line for `done` of `total` after `elapsed` seconds. */
export function progressLine(
  label: string,
  done: number,
  total: number,
  elapsed: number,
  width: number,
): string {
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const eta = done > 0 ? (elapsed / done) * (total - done) : Number.NaN;
  const tail = ` ${String(Math.floor(frac * 100)).padStart(3)}% ${done}/${total} ${label} ${done >= total ? `in ${formatDuration(elapsed)}` : `ETA ${formatDuration(eta)}`}`;
  const barW = Math.max(10, Math.min(40, width - tail.length - 3));
  const filled = Math.round(frac * barW);
  return `[${'#'.repeat(filled)}${'.'.repeat(barW - filled)}]${tail}`;
}

/** A progress reporter; a no-op unless enabled. */
export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

/** A progress bar on stderr when `io.isTTY` and `enabled`, else nothing. */
export function createProgress(io: Io, label: string, enabled: boolean): Progress {
  if (!enabled || !io.isTTY) return { update: () => {}, finish: () => {} };
  const start = io.now();
  let last = -1;
  let drawn = false;
  return {
    update(done, total) {
      const now = io.now();
      if (done < total && now - last < 100) return;
      last = now;
      drawn = true;
      io.stderr.write(`\r${progressLine(label, done, total, (now - start) / 1000, io.columns)}\x1b[K`);
    },
    finish() {
      if (drawn) io.stderr.write('\n');
    },
  };
}
