/**
 * The recording writer of `spark run`: recordings arrive in chunks (a brain run streams them) and
 * are written as they come — `.npy` files are streamed to disk (header first, then each chunk's
 * rows), so a run of any length holds one chunk in memory. `recording.npz` and
 * `recording.safetensors` need whole arrays and are built in memory, within the memory budget. The
 * summary (spike counts, rates, min/max/mean) is computed on the fly; the plots keep a bounded part
 * (spike events up to {@link MAX_PLOT_EVENTS}, the first {@link MAX_TRACE_STEPS} steps of up to 8
 * traces per port) and say when they show less than the whole run.
 *
 * @module
 */
import { join } from 'node:path';
import { encodeNpyHeader, encodeNpz, encodeSafetensors, Tensor } from '@spark-snn/core';
import { CliError } from './errors.ts';
import type { DenseSeries, EventSeries, PlotSeries } from './formats/svg.ts';
import { type FileSink, type Io, resolvePath } from './io.ts';

/** How recordings are written. */
export type RecordingFormat = 'npy' | 'npz' | 'safetensors';

/** One recorded port. */
export interface SeriesSpec {
  readonly port: string;
  /** Shape of one step. */
  readonly shape: readonly number[];
  /** Known to be a spike train (else decided from the name and the values). */
  readonly spikes?: boolean;
}

/** Per-series numbers of the CSV summary. */
export interface SeriesSummary {
  port: string;
  kind: 'spikes' | 'trace';
  steps: number;
  shape: number[];
  size: number;
  spikes: number | null;
  meanRateHz: number | null;
  min: number;
  max: number;
  mean: number;
  file: string;
}

/** Spike events kept for the raster, all ports together. */
export const MAX_PLOT_EVENTS = 2_000_000;
/** Steps of each trace kept for the trace plot. */
export const MAX_TRACE_STEPS = 100_000;
/** Units of a trace port drawn (the trace plot draws 8). */
const TRACE_UNITS = 8;

/** A file-system-safe name for a port (`pool.out_spikes` stays as is; `a/b/c` → `a_b_c`). */
export function portFileName(port: string): string {
  return port.replace(/[^\w.-]+/g, '_');
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Bytes of the recorded values: `steps × Σ sizes × bytesPerValue`. */
export function recordingBytes(steps: number, series: readonly SeriesSpec[], bytesPerValue: number): number {
  return steps * series.reduce((n, s) => n + sizeOf(s.shape), 0) * bytesPerValue;
}

interface Track {
  readonly spec: SeriesSpec;
  readonly size: number;
  sink?: FileSink;
  whole?: Float32Array | Float64Array;
  min: number;
  max: number;
  sum: number;
  nonzero: number;
  /** Every value seen is 0, 1 or −1. */
  spikeValues: boolean;
  eventSteps: number[];
  eventUnits: number[];
  trace: number[];
}

/** What {@link RecordingWriter.finish} returns. */
export interface WrittenRecording {
  readonly summary: SeriesSummary[];
  /** Spike series for the raster (events) and trace series for the trace plot. */
  readonly spikes: PlotSeries[];
  readonly traces: DenseSeries[];
  /** Steps the raster shows (fewer than the run when its events were capped). */
  readonly rasterSteps: number;
  /** Steps the traces show. */
  readonly traceSteps: number;
  readonly files: string[];
}

/** Writes one run's recordings chunk by chunk. */
export class RecordingWriter {
  private readonly tracks: Track[];
  private readonly io: Io;
  private readonly outDir: string;
  private readonly format: RecordingFormat;
  private readonly steps: number;
  private readonly float64: boolean;
  private readonly files: string[] = [];
  private done = 0;
  private events = 0;
  private rasterSteps: number | undefined;

  private constructor(
    io: Io,
    outDir: string,
    format: RecordingFormat,
    steps: number,
    series: readonly SeriesSpec[],
    float64: boolean,
  ) {
    this.io = io;
    this.outDir = outDir;
    this.format = format;
    this.steps = steps;
    this.float64 = float64;
    this.tracks = series.map((spec) => ({
      spec,
      size: sizeOf(spec.shape),
      min: Number.POSITIVE_INFINITY,
      max: Number.NEGATIVE_INFINITY,
      sum: 0,
      nonzero: 0,
      spikeValues: true,
      eventSteps: [],
      eventUnits: [],
      trace: [],
    }));
  }

  /**
   * Opens the writer: `.npy` files are created with their headers (shape `[steps, ...shape]`);
   * the in-memory formats allocate their arrays. `float64`: the values are float64 (NIR traces).
   */
  static async open(
    io: Io,
    outDir: string,
    format: RecordingFormat,
    steps: number,
    series: readonly SeriesSpec[],
    float64 = false,
  ): Promise<RecordingWriter> {
    const w = new RecordingWriter(io, outDir, format, steps, series, float64);
    for (const t of w.tracks) {
      if (format === 'npy') {
        const name = join(outDir, `${portFileName(t.spec.port)}.npy`);
        t.sink = await openSink(io, name);
        w.files.push(name);
        const like = float64 ? new Float64Array(0) : new Float32Array(0);
        await t.sink.write(encodeNpyHeader(like, [steps, ...t.spec.shape]));
      } else {
        t.whole = float64 ? new Float64Array(steps * t.size) : new Float32Array(steps * t.size);
      }
    }
    return w;
  }

  /** Appends `count` steps (`series[port]`: `count × size` values, row t = step `done + t`). */
  async append(count: number, series: Readonly<Record<string, Float32Array | Float64Array>>): Promise<void> {
    const start = this.done;
    for (const t of this.tracks) {
      const data = series[t.spec.port];
      if (!data || data.length < count * t.size)
        throw new CliError(t.spec.port, `the run delivered ${data?.length ?? 0} values for ${count} steps`);
      this.observe(t, data, start, count);
      const n = count * t.size;
      if (t.sink) {
        const values = this.float64
          ? Float64Array.from(data.subarray(0, n))
          : Float32Array.from(data.subarray(0, n));
        await t.sink.write(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
      } else {
        t.whole!.set(data.subarray(0, n), start * t.size);
      }
    }
    this.done += count;
  }

  private observe(t: Track, data: ArrayLike<number>, start: number, count: number): void {
    const size = t.size;
    const traceUnits = Math.min(size, TRACE_UNITS);
    for (let s = 0; s < count; s++) {
      const step = start + s;
      const keepTrace = step < MAX_TRACE_STEPS;
      const keepEvents = this.rasterSteps === undefined;
      for (let i = 0; i < size; i++) {
        const v = data[s * size + i]!;
        if (v < t.min) t.min = v;
        if (v > t.max) t.max = v;
        t.sum += v;
        if (v !== 0) {
          t.nonzero++;
          if (keepEvents) {
            t.eventSteps.push(step);
            t.eventUnits.push(i);
            this.events++;
          }
        }
        if (v !== 0 && v !== 1 && v !== -1) t.spikeValues = false;
        if (keepTrace && i < traceUnits) t.trace.push(v);
      }
      if (keepEvents && this.events > MAX_PLOT_EVENTS) this.rasterSteps = step;
    }
  }

  /** True when a track is a spike train (declared, or named `*spike*` with values in {−1, 0, 1}). */
  private isSpikes(t: Track): boolean {
    return t.spec.spikes ?? (/spike/i.test(t.spec.port) && t.spikeValues);
  }

  /** Closes the files (writing the in-memory formats) and returns the summary and the plot data. */
  async finish(dtMs: number, metadata: Record<string, string>): Promise<WrittenRecording> {
    if (this.done !== this.steps)
      throw new CliError('--steps', `the run delivered ${this.done} of ${this.steps} steps`);
    for (const t of this.tracks) await t.sink?.close();
    const fileOf = (port: string): string => {
      if (this.format === 'npz') return `recording.npz:${port}.npy`;
      if (this.format === 'safetensors') return `recording.safetensors:${port}`;
      return `${portFileName(port)}.npy`;
    };
    if (this.format === 'npz') {
      const arrays: Record<string, { data: Float32Array | Float64Array; shape: number[] }> = {};
      for (const t of this.tracks)
        arrays[t.spec.port] = { data: t.whole!, shape: [this.steps, ...t.spec.shape] };
      await this.put('recording.npz', encodeNpz(arrays));
    } else if (this.format === 'safetensors') {
      // core's tensors stop at float32: NIR's float64 traces are narrowed here (NPY keeps them)
      const tensors: [string, Tensor][] = this.tracks.map((t) => [
        t.spec.port,
        Tensor.fromArray('float32', Float32Array.from(t.whole!), [this.steps, ...t.spec.shape]),
      ]);
      await this.put('recording.safetensors', encodeSafetensors(tensors, { metadata }));
    }
    const secs = (this.steps * dtMs) / 1000;
    const summary: SeriesSummary[] = this.tracks.map((t) => {
      const spikes = this.isSpikes(t);
      const n = this.steps * t.size;
      return {
        port: t.spec.port,
        kind: spikes ? 'spikes' : 'trace',
        steps: this.steps,
        shape: [...t.spec.shape],
        size: t.size,
        spikes: spikes ? t.nonzero : null,
        meanRateHz: spikes ? (t.size > 0 && secs > 0 ? t.nonzero / t.size / secs : 0) : null,
        min: n > 0 ? t.min : 0,
        max: n > 0 ? t.max : 0,
        mean: n > 0 ? t.sum / n : 0,
        file: fileOf(t.spec.port),
      };
    });
    const rasterSteps = this.rasterSteps ?? this.steps;
    const traceSteps = Math.min(this.steps, MAX_TRACE_STEPS);
    const spikes: EventSeries[] = [];
    const traces: DenseSeries[] = [];
    for (const t of this.tracks) {
      if (this.isSpikes(t)) {
        let k = t.eventSteps.length;
        while (k > 0 && t.eventSteps[k - 1]! >= rasterSteps) k--;
        spikes.push({
          name: t.spec.port,
          steps: rasterSteps,
          size: t.size,
          events: { steps: t.eventSteps.slice(0, k), units: t.eventUnits.slice(0, k) },
        });
      } else {
        traces.push({
          name: t.spec.port,
          steps: traceSteps,
          size: Math.min(t.size, TRACE_UNITS),
          data: Float32Array.from(t.trace),
        });
      }
    }
    return { summary, spikes, traces, rasterSteps, traceSteps, files: [...this.files] };
  }

  /** Writes a whole file into the output directory and lists it. */
  async put(name: string, data: Uint8Array | string): Promise<string> {
    const path = join(this.outDir, name);
    await writeWhole(this.io, path, data);
    this.files.push(path);
    return path;
  }
}

async function openSink(io: Io, path: string): Promise<FileSink> {
  try {
    return await io.openWrite(resolvePath(io, path));
  } catch (e) {
    throw new CliError(path, `cannot write: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function writeWhole(io: Io, path: string, data: Uint8Array | string): Promise<void> {
  try {
    await io.writeFile(resolvePath(io, path), data);
  } catch (e) {
    throw new CliError(path, `cannot write: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Creates the output directory before anything runs, so an unwritable path (`/proc/x`, a file, a
 * read-only mount) fails at once with the reason.
 */
export async function prepareOutDir(io: Io, outDir: string): Promise<void> {
  try {
    await io.mkdirp(resolvePath(io, outDir));
  } catch (e) {
    throw new CliError(
      outDir,
      `cannot create the output directory: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
