/**
 * Live simulation panel: backend choice, run/pause/step/reset, input sources, a spike raster of
 * every population and traces (uPlot). It drives any {@link Simulator}; with an unavailable engine
 * it says so and runs nothing.
 *
 * The raster: when the model runs on webgpu and the engine can draw
 * ({@link Simulator.attachRaster}), a second canvas is transferred to the engine
 * (`transferControlToOffscreen`) and the engine's {@link WebGpuRaster} draws it on the simulator's
 * own device from its spike buffers; otherwise (cpu, gpujs, no OffscreenCanvas, or the attach
 * failed) {@link RasterCanvas} draws with Canvas 2D from the spikes of each step result. The
 * section's `data-raster` attribute (`webgpu` or `canvas2d`) says which one is active.
 *
 * @module
 */
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import { documentToSpark } from '../model/spark-json.ts';
import {
  type BackendChoice,
  CartPole,
  defaultInput,
  type InputKind,
  type InputSource,
  inputValues,
  type LoadedModel,
  type RasterKind,
  type RasterSize,
  type Simulator,
  type StepResult,
} from '../sim/simulator.ts';
import { useEditor, useEditorContext } from './context.tsx';

/** Backing height of the raster canvases in pixels (their CSS height). */
const RASTER_HEIGHT = 120;

/** Rolling spike raster on a 2-D canvas: one band per population, time runs left to right. */
export class RasterCanvas {
  private readonly ctx: CanvasRenderingContext2D;
  private col = 0;
  readonly canvas: HTMLCanvasElement;
  private populations: { name: string; size: number }[];
  constructor(canvas: HTMLCanvasElement, populations: { name: string; size: number }[]) {
    this.canvas = canvas;
    this.populations = populations;
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('Canvas 2D is not available.');
    this.ctx = ctx;
    this.clear();
  }
  setPopulations(p: { name: string; size: number }[]): void {
    this.populations = p;
    this.clear();
  }
  /** Resizes the canvas (backing pixels) and clears it. */
  resize(width: number, height: number): void {
    if (this.canvas.width === width && this.canvas.height === height) return;
    this.canvas.width = width;
    this.canvas.height = height;
    this.clear();
  }
  clear(): void {
    this.ctx.fillStyle = '#111';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.col = 0;
  }
  /** Draws `r.steps` new columns. */
  push(r: StepResult): void {
    const { width, height } = this.canvas;
    const total = this.populations.reduce((a, p) => a + p.size, 0) || 1;
    const ctx = this.ctx;
    for (let s = 0; s < r.steps; s++) {
      const x = this.col % width;
      ctx.fillStyle = '#111';
      ctx.fillRect(x, 0, 2, height);
      let row = 0;
      this.populations.forEach((p, pi) => {
        const spikes = r.spikes[p.name];
        ctx.fillStyle = pi % 2 === 0 ? '#f5c542' : '#8ab4f8';
        if (spikes) {
          for (let i = 0; i < p.size; i++) {
            if (spikes[s * p.size + i])
              ctx.fillRect(
                x,
                Math.floor(((row + i) / total) * height),
                1,
                Math.max(1, Math.ceil(height / total)),
              );
          }
        }
        row += p.size;
      });
      this.col++;
    }
  }
}

function TracePlot(props: {
  names: string[];
  data: { t: number[]; series: Record<string, number[]> };
}): ReactNode {
  const host = useRef<HTMLElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    if (!host.current) return;
    const opts: uPlot.Options = {
      width: host.current.clientWidth || 400,
      height: 110,
      series: [
        {},
        ...props.names.map((n, i) => ({
          label: n,
          stroke: ['#81c995', '#f28b82', '#8ab4f8', '#fdd663'][i % 4] ?? '#fff',
        })),
      ],
      scales: { x: { time: false } },
      axes: [{ stroke: '#aaa', label: 'step' }, { stroke: '#aaa' }],
      legend: { show: true },
    };
    plot.current = new uPlot(opts, [[], ...props.names.map(() => [])], host.current);
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, [props.names]);
  useEffect(() => {
    plot.current?.setData([props.data.t, ...props.names.map((n) => props.data.series[n] ?? [])]);
  }, [props.data, props.names]);
  return <figure ref={host} className="spark-traces" aria-label="Traces" />;
}

/** Props of {@link SimulationPanel}. */
export interface SimulationPanelProps {
  simulator: Simulator;
  /** Steps per engine call (default: adaptive, about 50 ms of engine time per call). */
  stepsPerFrame?: number;
  /** Start running as soon as the model is loaded. */
  autoRun?: boolean;
  /**
   * `'auto'` (default): the engine's WebGPU raster when the model runs on webgpu, Canvas 2D
   * otherwise; `'canvas2d'`: always Canvas 2D (spikes then travel in the step results).
   */
  raster?: 'auto' | 'canvas2d';
}

/** The live simulation panel. */
export function SimulationPanel(props: SimulationPanelProps): ReactNode {
  const { store, registry } = useEditorContext();
  const sim = props.simulator;
  const [backend, setBackend] = useState<BackendChoice>('auto');
  const [model, setModel] = useState<LoadedModel | null>(null);
  const [running, setRunning] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState(0);
  const [inputs, setInputs] = useState<Record<string, InputSource>>({});
  const [traceData, setTraceData] = useState<{ t: number[]; series: Record<string, number[]> }>({
    t: [],
    series: {},
  });
  const canvas = useRef<HTMLCanvasElement>(null);
  const raster = useRef<RasterCanvas | null>(null);
  const gpuCanvas = useRef<HTMLCanvasElement>(null);
  /** Whether `gpuCanvas` was transferred to the engine (a canvas can be transferred once). */
  const transferred = useRef(false);
  /** The WebGPU raster lost its device once (the browser cannot present it): Canvas 2D from then on. */
  const gpuRasterBroken = useRef(false);
  const rasterHost = useRef<HTMLDivElement>(null);
  const [rasterKind, setRasterKind] = useState<RasterKind>('canvas2d');
  const rasterKindRef = useRef<RasterKind>('canvas2d');
  rasterKindRef.current = rasterKind;
  const stepRef = useRef(0);
  const env = useRef(new CartPole(1));
  const busy = useRef(false);

  /** Size of the raster canvases: the host's width, the CSS height. */
  const rasterSize = useCallback((): RasterSize => {
    const host = rasterHost.current;
    const width = Math.max(1, Math.round((host?.clientWidth ?? 616) - 16));
    return { width: Math.min(width, 4096), height: RASTER_HEIGHT };
  }, []);

  /**
   * After a load: the engine's WebGPU raster when the model runs on webgpu, else Canvas 2D. `lost`:
   * the device was lost while the raster was set up (the model must be loaded again).
   */
  const attachRaster = useCallback(
    async (m: LoadedModel): Promise<{ kind: RasterKind; lost?: boolean }> => {
      const el = gpuCanvas.current;
      const canvas2d = { kind: 'canvas2d' as const };
      if (
        props.raster === 'canvas2d' ||
        gpuRasterBroken.current ||
        m.backend !== 'webgpu' ||
        !sim.attachRaster ||
        !el
      )
        return canvas2d;
      if (!transferred.current && typeof el.transferControlToOffscreen !== 'function') {
        store.getState().report('info', 'Raster: OffscreenCanvas is not available; drawing with Canvas 2D.');
        return canvas2d;
      }
      try {
        let off: OffscreenCanvas | undefined;
        if (!transferred.current) {
          off = el.transferControlToOffscreen();
          transferred.current = true;
        }
        const r = await sim.attachRaster(off, rasterSize());
        if (r.ok) return { kind: 'webgpu' };
        if (r.deviceLost) {
          // Not again in this session: the model is loaded again and drawn with Canvas 2D.
          gpuRasterBroken.current = true;
          store
            .getState()
            .report('warning', `Raster: ${r.reason}; loading the model again and drawing with Canvas 2D.`);
          return { kind: 'canvas2d', lost: true };
        }
        store
          .getState()
          .report(
            'warning',
            `Raster: the WebGPU raster is not available (${r.reason}); drawing with Canvas 2D.`,
          );
      } catch (e) {
        store
          .getState()
          .report(
            'warning',
            `Raster: the WebGPU raster failed (${e instanceof Error ? e.message : String(e)}); drawing with Canvas 2D.`,
          );
      }
      return canvas2d;
    },
    [sim, store, rasterSize, props.raster],
  );

  const load = useCallback(async (): Promise<boolean> => {
    if (!sim.available) return false;
    setLoading(true);
    setError(null);
    try {
      const json = documentToSpark(store.getState().doc, registry);
      // 'auto' falls back to the reference cpu backend when a faster one fails to load.
      const loadModel = async (): Promise<LoadedModel> => {
        try {
          return await sim.load(json, { backend });
        } catch (e) {
          if (backend !== 'auto') throw e;
          store
            .getState()
            .report(
              'warning',
              `Simulation: the automatic backend failed (${e instanceof Error ? e.message : String(e)}); trying cpu.`,
            );
          return await sim.load(json, { backend: 'cpu' });
        }
      };
      let m = await loadModel();
      const attached = await attachRaster(m);
      // The device was lost setting up the WebGPU raster: load again (Canvas 2D from now on).
      if (attached.lost) m = await loadModel();
      const kind = attached.kind;
      setModel(m);
      setInputs(
        Object.fromEntries(
          m.inputs.map((i) => [
            i.name,
            i.name === 'signal' ? { ...defaultInput(), kind: 'cartpole' as InputKind } : defaultInput(),
          ]),
        ),
      );
      stepRef.current = 0;
      setStep(0);
      if (canvas.current) {
        raster.current ??= new RasterCanvas(canvas.current, m.populations);
        raster.current.setPopulations(m.populations);
      }
      setRasterKind(kind);
      rasterKindRef.current = kind;
      store
        .getState()
        .report(
          'info',
          `Simulation loaded on ${m.backend} (${m.reason}); raster: ${kind === 'webgpu' ? 'WebGPU' : 'Canvas 2D'}.`,
        );
      return true;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      setError(msg);
      store.getState().report('error', `Simulation failed to load: ${msg}`);
      return false;
    } finally {
      setLoading(false);
    }
  }, [sim, store, registry, backend, attachRaster]);

  const advance = useCallback(
    async (k: number) => {
      if (!model || busy.current) return;
      busy.current = true;
      try {
        const dt = Number(store.getState().doc.controller.dt ?? 1) || 1;
        const feed: Record<string, Float32Array> = {};
        for (const i of model.inputs) {
          const src = inputs[i.name] ?? defaultInput();
          if (src.kind === 'cartpole') {
            const obs = env.current.observation();
            const v = new Float32Array(k * i.size);
            for (let s = 0; s < k; s++)
              for (let j = 0; j < i.size; j++) v[s * i.size + j] = obs[j % obs.length] ?? 0;
            feed[i.name] = v;
          } else feed[i.name] = inputValues(src, i.size, stepRef.current, k, dt);
        }
        const r = await sim.step(k, feed);
        // Closed loop: the CartPole environment reads the brain's action (two integrator outputs,
        // push right when the second is larger; or one output around 0.5).
        const a0 = r.traces['action[0]'];
        const a1 = r.traces['action[1]'];
        const a = r.traces.action;
        if (a0 && a1 && a0.length > 0) env.current.act((a1[a1.length - 1] ?? 0) - (a0[a0.length - 1] ?? 0));
        else if (a && a.length > 0) env.current.act((a[a.length - 1] ?? 0) - 0.5);
        if (rasterKindRef.current === 'canvas2d') raster.current?.push(r);
        stepRef.current += r.steps;
        setStep(stepRef.current);
        setTraceData((d) => {
          const t = [...d.t];
          const series: Record<string, number[]> = { ...d.series };
          for (let s = 0; s < r.steps; s++) t.push(r.firstStep + s);
          for (const [name, v] of Object.entries(r.traces)) series[name] = [...(series[name] ?? []), ...v];
          const keep = 2000;
          return {
            t: t.slice(-keep),
            series: Object.fromEntries(Object.entries(series).map(([k2, v]) => [k2, v.slice(-keep)])),
          };
        });
      } catch (e) {
        setRunning(false);
        const msg = e instanceof Error ? e.message : String(e);
        setError(msg);
        if (rasterKindRef.current === 'webgpu') {
          // The engine's device is gone (or the run failed): the next load draws with what it gets.
          store
            .getState()
            .report('error', `Simulation stopped: ${msg}. Load the model again (auto falls back to cpu).`);
          setRasterKind('canvas2d');
          rasterKindRef.current = 'canvas2d';
        }
      } finally {
        busy.current = false;
      }
    },
    [model, inputs, sim, store],
  );

  // Resize: both rasters follow the host's width (the WebGPU one through the engine).
  useEffect(() => {
    const host = rasterHost.current;
    if (!host || typeof ResizeObserver === 'undefined') return;
    let last = '';
    const ro = new ResizeObserver(() => {
      const size = rasterSize();
      const key = `${size.width}x${size.height}`;
      if (key === last) return;
      last = key;
      raster.current?.resize(size.width, size.height);
      if (rasterKindRef.current === 'webgpu') void sim.resizeRaster?.(size).catch(() => {});
      else if (canvas.current && !raster.current) {
        canvas.current.width = size.width;
        canvas.current.height = size.height;
      }
    });
    ro.observe(host);
    return () => ro.disconnect();
  }, [sim, rasterSize]);

  useEffect(() => {
    if (!running) return;
    let id = 0;
    // Steps per call adapt so one call takes about a frame budget of 50 ms (the engine runs in a
    // worker or on the GPU; the page only draws).
    let k = props.stepsPerFrame ?? 1;
    // When frames come late (the machine is busy) the engine waits a little before its next call,
    // so drawing and panning keep priority over simulation throughput.
    let last = performance.now();
    let skipped = 0;
    const frame = (now: number): void => {
      const late = now - last > 45;
      last = now;
      if (late && skipped < 2) skipped++;
      else if (!busy.current) {
        skipped = 0;
        const t0 = performance.now();
        void advance(k).then(() => {
          const dt = performance.now() - t0;
          if (props.stepsPerFrame === undefined)
            k = Math.max(1, Math.min(100, Math.round((k * 50) / Math.max(dt, 1))));
        });
      }
      id = requestAnimationFrame(frame);
    };
    id = requestAnimationFrame(frame);
    return () => cancelAnimationFrame(id);
  }, [running, advance, props.stepsPerFrame]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: load once, when the panel mounts
  useEffect(() => {
    if (props.autoRun && sim.available)
      void load().then((ok) => {
        if (ok) setRunning(true);
      });
    // load once on mount
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => () => sim.dispose(), [sim]);

  const neuronMode = useEditor((s) => s.doc.mode === 'neuron');
  const disabled = !sim.available || neuronMode;
  return (
    <section className="spark-panel spark-sim" aria-label="Simulation" data-raster={rasterKind}>
      <div className="spark-sim-bar">
        <h2>Simulation</h2>
        <label>
          Backend{' '}
          <select
            value={backend}
            onChange={(e) => setBackend(e.target.value as BackendChoice)}
            disabled={disabled}
            aria-label="Simulation backend"
          >
            <option value="auto">auto</option>
            <option value="webgpu">webgpu</option>
            <option value="gpujs">gpujs</option>
            <option value="cpu">cpu</option>
          </select>
        </label>
        <button
          type="button"
          disabled={disabled || loading}
          onClick={() => void load()}
          aria-label="Load the model into the simulator"
        >
          Load
        </button>
        <button
          type="button"
          disabled={disabled || !model}
          onClick={() => setRunning((r) => !r)}
          aria-label={running ? 'Pause' : 'Run'}
        >
          {running ? 'Pause' : 'Run'}
        </button>
        <button
          type="button"
          disabled={disabled || !model || running}
          onClick={() => void advance(1)}
          aria-label="Step"
        >
          Step
        </button>
        <button
          type="button"
          disabled={disabled || !model}
          aria-label="Reset"
          onClick={() => {
            setRunning(false);
            void sim.reset().then(() => {
              stepRef.current = 0;
              setStep(0);
              raster.current?.clear();
              setTraceData({ t: [], series: {} });
              env.current.reset();
            });
          }}
        >
          Reset
        </button>
        <span className="spark-sim-status" data-testid="sim-status">
          {!sim.available
            ? `Simulation engine not available yet: ${sim.unavailableReason ?? 'no engine'}`
            : neuronMode
              ? 'Brains are simulated; return to the brain to run it.'
              : loading
                ? 'Compiling the model…'
                : model
                  ? `Active backend: ${model.backend} (${model.reason}) · raster: ${rasterKind === 'webgpu' ? 'WebGPU' : 'Canvas 2D'} · step ${step}${running ? ' · running' : ''}`
                  : 'Not loaded'}
        </span>
      </div>
      {error ? <p className="spark-field-error">{error}</p> : null}
      {model ? (
        <details className="spark-sim-inputs">
          <summary>
            Inputs (
            {model.inputs.map((i) => `${i.name}: ${(inputs[i.name] ?? defaultInput()).kind}`).join(', ')})
          </summary>
          {model.inputs.map((i) => {
            const src = inputs[i.name] ?? defaultInput();
            const set = (patch: Partial<InputSource>) =>
              setInputs((x) => ({ ...x, [i.name]: { ...src, ...patch } }));
            return (
              <fieldset key={i.name}>
                <legend>
                  {i.name} [{i.size}]
                </legend>
                <select
                  aria-label={`Input source of ${i.name}`}
                  value={src.kind}
                  onChange={(e) => set({ kind: e.target.value as InputKind })}
                >
                  <option value="constant">constant</option>
                  <option value="sine">sine</option>
                  <option value="noise">noise</option>
                  <option value="file">file</option>
                  <option value="cartpole">CartPole environment</option>
                </select>
                <label>
                  amplitude{' '}
                  <input
                    type="number"
                    step={0.1}
                    value={src.amplitude}
                    onChange={(e) => set({ amplitude: Number(e.target.value) })}
                  />
                </label>
                {src.kind === 'sine' ? (
                  <label>
                    Hz{' '}
                    <input
                      type="number"
                      step={0.5}
                      value={src.frequency}
                      onChange={(e) => set({ frequency: Number(e.target.value) })}
                    />
                  </label>
                ) : null}
                {src.kind === 'file' ? (
                  <input
                    type="file"
                    accept=".csv,.txt"
                    aria-label={`CSV values for ${i.name}`}
                    onChange={async (e) => {
                      const f = e.target.files?.[0];
                      if (!f) return;
                      const nums = (await f.text())
                        .split(/[\s,;]+/)
                        .filter(Boolean)
                        .map(Number)
                        .filter(Number.isFinite);
                      set({ data: Float32Array.from(nums) });
                    }}
                  />
                ) : null}
              </fieldset>
            );
          })}
        </details>
      ) : null}
      <div ref={rasterHost} className="spark-raster-host" data-raster={rasterKind}>
        <canvas
          ref={canvas}
          width={600}
          height={RASTER_HEIGHT}
          className="spark-raster"
          aria-label="Spike raster"
          data-testid="raster"
          data-raster="canvas2d"
          hidden={rasterKind !== 'canvas2d'}
        />
        <canvas
          ref={gpuCanvas}
          width={600}
          height={RASTER_HEIGHT}
          className="spark-raster"
          aria-label="Spike raster (WebGPU)"
          data-testid="raster-webgpu"
          data-raster="webgpu"
          hidden={rasterKind !== 'webgpu'}
        />
      </div>
      {model && model.traces.length > 0 ? <TracePlot names={model.traces} data={traceData} /> : null}
    </section>
  );
}
