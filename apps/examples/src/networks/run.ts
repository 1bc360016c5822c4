/**
 * Runs a benchmark network from its BrainConfig (any backend), counts the spikes of its
 * excitatory and inhibitory populations, and returns the population rates and the spikes as events
 * (for the raster plot).
 *
 * @module
 */
import type { BackendChoice } from '@spark-snn/core';
import { Brain } from '@spark-snn/nn';
import type { NetworkInfo } from './configs.ts';

/** Options of {@link runNetwork}. */
export interface RunOptions {
  /** Simulated time in milliseconds (default: the network's `defaultMs`). */
  readonly ms?: number;
  /** Backend (default `'cpu'`). */
  readonly backend?: BackendChoice;
  /** Steps per `Brain.run` call (the spike recording of one chunk is `chunk × N` floats). Default 500. */
  readonly chunk?: number;
  /** Time excluded from the rates (benchmarks.md: the first 200 ms). Default min(200, ms / 2). */
  readonly skipMs?: number;
  /** Keep every spike as an event (for plots). Default true. */
  readonly events?: boolean;
}

/** Spikes of one population as events. */
export interface PopulationEvents {
  readonly name: string;
  readonly size: number;
  readonly steps: number[];
  readonly units: number[];
}

/** What {@link runNetwork} measured. */
export interface NetworkRun {
  readonly steps: number;
  readonly dt: number;
  /** Mean rates (Hz) after `skipMs`: excitatory, inhibitory and all units (for W4a, E = all). */
  readonly rates: { readonly e: number; readonly i: number; readonly all: number };
  readonly skipMs: number;
  /** Wall-clock µs per step of `Brain.run` (recording included, counting excluded). */
  readonly usPerStep: number;
  /** Compile and load time (ms). */
  readonly buildMs: number;
  readonly backend: string;
  /** Per population (E, then I when the network has one). */
  readonly populations: readonly PopulationEvents[];
}

/** Runs `info.document` and measures its population rates. */
export async function runNetwork(info: NetworkInfo, o: RunOptions = {}): Promise<NetworkRun> {
  const dt = typeof info.document.config.dt === 'number' ? info.document.config.dt : 1;
  const ms = o.ms ?? info.defaultMs;
  const steps = Math.max(1, Math.round(ms / dt));
  const skipMs = o.skipMs ?? Math.min(200, ms / 2);
  const skip = Math.round(skipMs / dt);
  const chunk = o.chunk ?? 500;
  const keep = o.events ?? true;
  const inputShapes = Object.fromEntries(Object.entries(info.inputs ?? {}).map(([k, v]) => [k, [v.length]]));
  const t0 = performance.now();
  const brain = await Brain.fromConfig(info.document, { backend: o.backend ?? 'cpu', inputShapes });
  const buildMs = performance.now() - t0;
  const { n, nE } = info;
  const split = nE < n;
  const pops: PopulationEvents[] = [
    { name: split ? 'excitatory' : 'neurons', size: nE, steps: [], units: [] },
    ...(split ? [{ name: 'inhibitory', size: n - nE, steps: [], units: [] }] : []),
  ];
  const counts = [0, 0];
  let runMs = 0;
  try {
    for (let done = 0; done < steps; done += chunk) {
      const count = Math.min(chunk, steps - done);
      const t1 = performance.now();
      const rec = await brain.run({
        steps: count,
        record: [info.spikes],
        ...(info.inputs ? { inputs: info.inputs } : {}),
        chunk: count,
      });
      runMs += performance.now() - t1;
      const data = rec.series[info.spikes]!.data;
      for (let t = 0; t < count; t++) {
        const step = done + t;
        const row = t * n;
        for (let k = 0; k < n; k++) {
          if (data[row + k] === 0) continue;
          const p = k < nE ? 0 : 1;
          if (step >= skip) counts[p]! += 1;
          if (keep) {
            pops[p]!.steps.push(step);
            pops[p]!.units.push(p === 0 ? k : k - nE);
          }
        }
      }
    }
  } finally {
    brain.destroy();
  }
  const seconds = ((steps - skip) * dt) / 1000;
  const e = counts[0]! / nE / seconds;
  const i = split ? counts[1]! / (n - nE) / seconds : e;
  return {
    steps,
    dt,
    rates: { e, i, all: (counts[0]! + counts[1]!) / n / seconds },
    skipMs,
    usPerStep: (runMs * 1000) / steps,
    buildMs,
    backend: brain.backend?.kind ?? String(o.backend ?? 'cpu'),
    populations: pops,
  };
}

/** The expectation check of a run: `undefined` when the network has no rate criterion. */
export function checkRates(
  info: NetworkInfo,
  rates: { readonly e: number; readonly i: number },
): { ok: boolean; lo: number; hi: number } | undefined {
  if (!info.expected) return undefined;
  const { rate, tolerance } = info.expected;
  const lo = rate * (1 - tolerance);
  const hi = rate * (1 + tolerance);
  const ok = [rates.e, rates.i].every((r) => r >= lo && r <= hi);
  return { ok, lo, hi };
}
