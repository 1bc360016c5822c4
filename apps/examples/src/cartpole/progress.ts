/**
 * A one-line progress bar with ETA for the terminal (drawn only when the stream is a TTY, so logs
 * and pipes get the plain episode lines).
 *
 * @module
 */

/** The part of a Node/Deno write stream the bar uses. */
export interface BarStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

/** `h:mm:ss` or `m:ss`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The bar's text for `done` of `total` after `elapsed` seconds (ETA from the mean rate so far). */
export function progressLine(
  done: number,
  total: number,
  elapsed: number,
  label: string,
  width = 30,
): string {
  const f = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(f * width);
  const eta = done > 0 ? (elapsed / done) * (total - done) : Number.NaN;
  return (
    `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} ${Math.floor(f * 100)}% ` +
    `${formatDuration(elapsed)} elapsed, ETA ${formatDuration(eta)}${label ? `  ${label}` : ''}`
  );
}

/** A progress bar on `stream` (stderr) that keeps out of the way of lines printed to `out` (stdout). */
export class ProgressBar {
  private readonly t0 = performance.now();
  private drawn = false;
  private done = 0;
  private label = '';

  private readonly total: number;
  private readonly stream: BarStream;
  private readonly out: BarStream;

  constructor(total: number, stream: BarStream, out: BarStream) {
    this.total = total;
    this.stream = stream;
    this.out = out;
  }

  /** Whether the bar is drawn (the stream is a terminal). */
  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  /** Sets progress and redraws. */
  update(done: number, label = this.label): void {
    this.done = done;
    this.label = label;
    this.draw();
  }

  /** Prints a line to `out` above the bar. */
  log(line: string): void {
    this.clear();
    this.out.write(`${line}\n`);
    this.draw();
  }

  /** Removes the bar (at the end of the run). */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(): void {
    if (!this.enabled) return;
    const line = progressLine(this.done, this.total, (performance.now() - this.t0) / 1000, this.label);
    const cols = this.stream.columns ?? 100;
    this.stream.write(`\r\x1b[2K${line.slice(0, Math.max(10, cols - 1))}`);
    this.drawn = true;
  }
}
