/**
 * A {@link Simulator} backed by `@spark-snn/nn`'s Brain (compiled once, run `k` steps per call on
 * webgpu, gpujs or cpu). Custom neurons used by the model are registered first, as Spark requires.
 * On webgpu it can draw the spike raster itself ({@link Simulator.attachRaster}): a
 * {@link WebGpuRaster} on the brain's device appends every step's spikes from the brain's spike
 * buffers right after the step's submission (`Brain.run`'s `onStep`) and draws once per `step` call.
 *
 * @module
 */
import { documentFromJson, type Registry } from '@spark-snn/config';
import { Brain, portSize } from '@spark-snn/nn';
import { registryWithNeuronsOf } from '../config-bridge.ts';
import type { JsonObject } from '../model/types.ts';
import { isObject } from '../model/types.ts';
import type {
  LoadedModel,
  PopulationInfo,
  RasterAttachResult,
  RasterSize,
  Simulator,
  StepResult,
} from './simulator.ts';
import { WebGpuRaster } from './webgpu-raster.ts';

/** Options of {@link nnSimulator}. */
export interface NnSimulatorOptions {
  /** Base module registry (default: config's default registry). */
  registry?: Registry;
  /** Steps the WebGPU raster keeps on screen (default 600). */
  rasterHistory?: number;
  /**
   * Shapes of the brain inputs, overriding the shapes stored on the Source nodes (files written by
   * Spark's editor often store `[1]`).
   */
  inputShapes?: Readonly<Record<string, readonly number[]>>;
}

const SPIKE_PORTS = ['spikes', 'out_spikes'] as const;

/** Outputs wider than this are traced by their mean (one line instead of one per element). */
const MAX_TRACE_ELEMENTS = 8;

function traceNames(o: { name: string; size: number }): string[] {
  if (o.size === 1) return [o.name];
  if (o.size > MAX_TRACE_ELEMENTS) return [`${o.name} (mean)`];
  return Array.from({ length: o.size }, (_, i) => `${o.name}[${i}]`);
}

/** Shapes stored on the Source nodes of a model's editor metadata. */
export function sourceShapes(json: JsonObject): Record<string, number[]> {
  const cfg = isObject(json.__cfg__) ? json.__cfg__ : {};
  const gem = isObject(cfg.__graph_editor_metadata__) ? cfg.__graph_editor_metadata__ : {};
  const out: Record<string, number[]> = {};
  for (const [name, e] of Object.entries(gem)) {
    if (!isObject(e) || e.type !== 'source') continue;
    const d = isObject(e.spec) && isObject(e.spec.__data__) ? e.spec.__data__ : {};
    if (Array.isArray(d.shape) && d.shape.every((x) => typeof x === 'number'))
      out[name] = d.shape as number[];
  }
  return out;
}

/** A simulator running `@spark-snn/nn` in the current thread (use it inside a Worker in apps). */
export function nnSimulator(options: NnSimulatorOptions = {}): Simulator {
  let brain: Brain | undefined;
  let populations: (PopulationInfo & { port: string })[] = [];
  let outputs: { name: string; size: number }[] = [];
  let first = 0;
  let raster: WebGpuRaster | undefined;
  let rasterCanvas: OffscreenCanvas | undefined;
  const detach = () => {
    raster?.destroy();
    raster = undefined;
  };
  return {
    available: true,
    async load(json, { backend, keepState, onProgress, validated }): Promise<LoadedModel> {
      detach();
      // The running state, to carry over to the new model when the structure is the same.
      const previous = keepState && brain?.built ? await brain.split().catch(() => undefined) : undefined;
      const previousFirst = first;
      brain?.destroy();
      brain = undefined;
      const { registry } = registryWithNeuronsOf(json, options.registry);
      const r = documentFromJson(json, { registry });
      if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
      // Overrides apply only to inputs this model has (the worker serves any model).
      const shapes: Record<string, readonly number[]> = sourceShapes(json);
      for (const [name, shape] of Object.entries(options.inputShapes ?? {}))
        if (name in shapes) shapes[name] = shape;
      const b = await Brain.fromConfig(r.document, {
        backend,
        registry,
        ...(onProgress ? { onProgress } : {}),
        ...(validated ? { skipValidation: true } : {}),
      });
      // An input whose Source node has no shape (a file without editor metadata) gets Spark's
      // default Source spec, shape (1,).
      for (const name of Object.keys(b.inputPayloads)) shapes[name] ??= [1];
      await b.build(shapes);
      brain = b;
      first = 0;
      let continued = false;
      if (previous) {
        try {
          await b.merge(previous.state);
          first = previousFirst;
          continued = true;
        } catch {
          // Another structure (a shape changed): the model starts from its initial state.
          await b.reset();
        }
      }
      const compiled = b.compiledBrain;
      if (!compiled) throw new Error('the brain did not compile');
      populations = [];
      for (const [name, m] of compiled.modules) {
        const port = SPIKE_PORTS.find((p) => m.outputs[p] !== undefined);
        const v = port ? m.outputs[port] : undefined;
        if (port && v) populations.push({ name, size: portSize(v), port });
      }
      outputs = Object.entries(compiled.outputs).map(([name, v]) => ({ name, size: portSize(v) }));
      const inputs = [...compiled.inputs.values()].map((i) => ({
        name: i.name,
        size: i.shape.reduce((a, x) => a * x, 1),
      }));
      const traces = outputs.flatMap((o) => traceNames(o));
      const info = b.backend;
      return {
        backend: info?.kind ?? 'cpu',
        reason: info?.reason ?? '',
        continued,
        firstStep: first,
        populations: populations.map(({ name, size }) => ({ name, size })),
        inputs,
        traces,
      };
    },
    async step(k, inputs): Promise<StepResult> {
      if (!brain) throw new Error('no model loaded');
      // With the WebGPU raster the spikes stay on the device: the raster appends each step's flags
      // right after the step's submission, and nothing but the outputs is read back.
      const r = raster;
      const record = [
        ...(r ? [] : populations.map((p) => `${p.name}.${p.port}`)),
        ...outputs.map((o) => o.name),
      ];
      const rec = await brain.run({ steps: k, inputs, record, ...(r ? { onStep: () => r.append() } : {}) });
      r?.draw();
      const spikes: Record<string, Uint8Array> = {};
      for (const p of r ? [] : populations) {
        const data = rec.series[`${p.name}.${p.port}`]?.data ?? new Float32Array(k * p.size);
        const u = new Uint8Array(data.length);
        for (let i = 0; i < data.length; i++) u[i] = data[i] !== 0 ? 1 : 0;
        spikes[p.name] = u;
      }
      const traces: Record<string, Float32Array> = {};
      for (const o of outputs) {
        const data = rec.series[o.name]?.data ?? new Float32Array(k * o.size);
        if (o.size > MAX_TRACE_ELEMENTS) {
          // Wide outputs are traced by their mean.
          const t = new Float32Array(k);
          for (let s = 0; s < k; s++) {
            let sum = 0;
            for (let j = 0; j < o.size; j++) sum += data[s * o.size + j] ?? 0;
            t[s] = sum / o.size;
          }
          traces[`${o.name} (mean)`] = t;
          continue;
        }
        for (let j = 0; j < o.size; j++) {
          const t = new Float32Array(k);
          for (let s = 0; s < k; s++) t[s] = data[s * o.size + j] ?? 0;
          traces[o.size === 1 ? o.name : `${o.name}[${j}]`] = t;
        }
      }
      const result: StepResult = { firstStep: first, steps: k, spikes, traces };
      first += k;
      return result;
    },
    async reset() {
      await brain?.reset();
      first = 0;
      raster?.clear();
      raster?.draw();
    },
    async unload() {
      detach();
      brain?.destroy();
      brain = undefined;
      first = 0;
    },
    dispose() {
      detach();
      brain?.destroy();
      brain = undefined;
    },
    async attachRaster(canvas, size): Promise<RasterAttachResult> {
      if (canvas) rasterCanvas = canvas;
      detach();
      if (!brain?.built) return { ok: false, reason: 'no model is loaded' };
      if (!rasterCanvas) return { ok: false, reason: 'no canvas was given' };
      try {
        // Throws a BackendError when the device is lost or the program gone.
        const dev = brain.deviceSpikeBuffers();
        if (!dev)
          return {
            ok: false,
            reason: `the model runs on ${brain.backend?.kind ?? 'no backend'}, not webgpu`,
          };
        const sources = brain.spikeBuffers().map((s) => ({ name: s.module, view: dev.buffers[s.module]! }));
        resize(rasterCanvas, size);
        const created = new WebGpuRaster(dev.device, rasterCanvas, {
          sources,
          ...(options.rasterHistory ? { history: options.rasterHistory } : {}),
        });
        raster = created;
        // A lost device ends the raster (the next step reports the loss).
        let lost: string | undefined;
        void dev.device.lost.then((info) => {
          lost = `${info.reason ?? 'unknown'}: ${info.message}`;
          if (raster === created) detach();
        });
        // The first frame is presented now: some browsers lose the device here (headless Chromium
        // with ANGLE on SwiftShader-WebGL does), which the page must know to fall back.
        created.draw();
        await dev.device.queue.onSubmittedWorkDone().catch(() => {});
        await new Promise((r) => setTimeout(r, 0));
        if (lost !== undefined)
          return {
            ok: false,
            reason: `presenting the canvas lost the WebGPU device (${lost})`,
            deviceLost: true,
          };
        return { ok: true };
      } catch (e) {
        detach();
        return { ok: false, reason: e instanceof Error ? e.message : String(e) };
      }
    },
    async resizeRaster(size) {
      if (!rasterCanvas) return;
      resize(rasterCanvas, size);
      raster?.draw();
    },
  };
}

function resize(canvas: OffscreenCanvas, size: RasterSize): void {
  canvas.width = Math.max(1, Math.floor(size.width));
  canvas.height = Math.max(1, Math.floor(size.height));
}
