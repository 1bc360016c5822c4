/**
 * Runs a {@link Simulator} in a Web Worker so the page stays responsive: {@link exposeSimulator}
 * inside the worker, {@link workerSimulator} on the page.
 *
 * @module
 */
import type { JsonObject } from '../model/types.ts';
import type {
  LoadedModel,
  LoadOptions,
  LoadProgress,
  RasterAttachResult,
  RasterSize,
  Simulator,
  StepResult,
} from './simulator.ts';

/** The simulator methods a worker serves. */
export type WorkerMethod = 'load' | 'step' | 'reset' | 'unload' | 'attachRaster' | 'resizeRaster';
/** A call posted to the simulator worker. */
export interface WorkerRequest {
  /** Call id, echoed in the response. */
  id: number;
  /** The simulator method. */
  method: WorkerMethod;
  /** Its arguments. */
  args: unknown[];
}
interface Response {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
  /** A progress report of a `load` still running (the call is not answered yet). */
  progress?: LoadProgress;
}

/** Minimal worker-side scope (DedicatedWorkerGlobalScope). */
export interface WorkerScope {
  addEventListener(type: 'message', fn: (e: MessageEvent<WorkerRequest>) => void): void;
  postMessage(message: unknown, transfer?: Transferable[]): void;
}

function transferables(r: StepResult): Transferable[] {
  return [
    ...Object.values(r.spikes).map((a) => a.buffer),
    ...Object.values(r.traces).map((a) => a.buffer),
  ] as Transferable[];
}

/** Serves `sim` to the page through `scope` (call it in the worker module). */
export function exposeSimulator(sim: Simulator, scope: WorkerScope): void {
  scope.addEventListener('message', async (e) => {
    const { id, method, args } = e.data;
    try {
      let value: unknown;
      if (method === 'load') {
        const opts = args[1] as Omit<LoadOptions, 'onProgress'>;
        value = await sim.load(args[0] as JsonObject, {
          ...opts,
          onProgress: (progress) => scope.postMessage({ id, ok: true, progress } satisfies Response),
        });
      } else if (method === 'unload') value = await sim.unload?.();
      else if (method === 'step')
        value = await sim.step(args[0] as number, args[1] as Record<string, Float32Array>);
      else if (method === 'attachRaster')
        value = sim.attachRaster
          ? await sim.attachRaster(args[0] as OffscreenCanvas | undefined, args[1] as RasterSize)
          : ({ ok: false, reason: 'this engine draws no raster' } satisfies RasterAttachResult);
      else if (method === 'resizeRaster') value = await sim.resizeRaster?.(args[0] as RasterSize);
      else value = await sim.reset();
      scope.postMessage(
        { id, ok: true, value } satisfies Response,
        method === 'step' ? transferables(value as StepResult) : [],
      );
    } catch (err) {
      scope.postMessage({
        id,
        ok: false,
        error: err instanceof Error ? err.message : String(err),
      } satisfies Response);
    }
  });
}

/** A simulator whose engine runs in `worker`. */
export function workerSimulator(worker: Worker): Simulator {
  let next = 0;
  const pending = new Map<
    number,
    { resolve(v: unknown): void; reject(e: Error): void; progress?: (p: LoadProgress) => void }
  >();
  worker.addEventListener('message', (e: MessageEvent<Response>) => {
    const p = pending.get(e.data.id);
    if (!p) return;
    if (e.data.progress) {
      p.progress?.(e.data.progress);
      return;
    }
    pending.delete(e.data.id);
    if (e.data.ok) p.resolve(e.data.value);
    else p.reject(new Error(e.data.error ?? 'simulation worker failed'));
  });
  worker.addEventListener('error', (e) => {
    for (const p of pending.values()) p.reject(new Error(`simulation worker error: ${e.message}`));
    pending.clear();
  });
  const call = <T>(
    method: WorkerMethod,
    args: unknown[],
    transfer: Transferable[] = [],
    progress?: (p: LoadProgress) => void,
  ): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        ...(progress ? { progress } : {}),
      });
      worker.postMessage({ id, method, args } satisfies WorkerRequest, transfer);
    });
  return {
    available: true,
    load: (config, { onProgress, ...options }) =>
      call<LoadedModel>('load', [config, options], [], onProgress),
    unload: () => call<void>('unload', []),
    step: (k, inputs) =>
      call<StepResult>(
        'step',
        [k, inputs],
        Object.values(inputs).map((a) => a.buffer as ArrayBuffer),
      ),
    reset: () => call<void>('reset', []),
    dispose: () => worker.terminate(),
    // The canvas is transferred to the worker; the engine draws into it with its own device.
    attachRaster: (canvas, size) =>
      call<RasterAttachResult>('attachRaster', [canvas, size], canvas ? [canvas] : []),
    resizeRaster: (size) => call<void>('resizeRaster', [size]),
  };
}
