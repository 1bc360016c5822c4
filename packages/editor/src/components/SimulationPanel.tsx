/**
 * Live simulation panel: it always shows the document on the canvas (a {@link SimulationSession}
 * reloads the model as the document changes), with the backend choice (applied at once), run /
 * pause / step / reset, a status line in plain words (which backend runs and why, build progress,
 * why nothing runs), the input sources, a labelled spike raster and the output traces.
 *
 * The raster: when the model runs on webgpu and the engine can draw
 * ({@link Simulator.attachRaster}), a canvas is transferred to the engine
 * (`transferControlToOffscreen`) and the engine's {@link WebGpuRaster} draws the spikes on the
 * simulator's own device, under the axes of the page; otherwise (cpu, gpujs, no OffscreenCanvas,
 * or the attach failed) the page draws them from the step results. The section's `data-raster`
 * attribute (`webgpu` or `canvas2d`) says which one is active.
 *
 * @module
 */
import { type ReactNode, useCallback, useEffect, useMemo, useRef } from 'react';
import { useStore } from 'zustand';
import { problemText } from '../model/problems.ts';
import { createSimulationSession, type SessionState, type SimulationSession } from '../sim/session.ts';
import type { BackendChoice, LoadedModel, RasterKind, RasterSize, Simulator } from '../sim/simulator.ts';
import { useEditor, useEditorContext } from './context.tsx';
import { InputsEditor } from './simulation/InputsEditor.tsx';
import { RasterPlot } from './simulation/RasterPlot.tsx';
import { TracePlot } from './simulation/TracePlot.tsx';

/** Props of {@link SimulationPanel}. */
export interface SimulationPanelProps {
  simulator: Simulator;
  /** Steps per engine call (default: adaptive, about 50 ms of engine time per call). */
  stepsPerFrame?: number;
  /** Start running as soon as a valid model is loaded. */
  autoRun?: boolean;
  /**
   * `'auto'` (default): the engine's WebGPU raster when the model runs on webgpu, Canvas 2D
   * otherwise; `'canvas2d'`: always Canvas 2D (spikes then travel in the step results).
   */
  raster?: 'auto' | 'canvas2d';
  /** The backend to start with (default `auto`); the dropdown changes it. */
  backend?: BackendChoice;
}

const NO_POPULATIONS: LoadedModel['populations'] = [];

const BACKENDS: { value: BackendChoice; label: string }[] = [
  { value: 'auto', label: 'auto (the engine picks)' },
  { value: 'cpu', label: 'cpu' },
  { value: 'webgpu', label: 'webgpu' },
  { value: 'gpujs', label: 'gpujs (WebGL)' },
];

/** The status line, in words. */
export function statusText(s: SessionState, sim: Simulator): string {
  switch (s.status) {
    case 'unavailable':
      return `The simulation engine is not available: ${sim.unavailableReason ?? 'no engine'}`;
    case 'neuron-mode':
      return 'Editing a neuron: brains are simulated, return to the brain to run it.';
    case 'empty':
      return 'Nothing to simulate yet: add modules to the canvas.';
    case 'invalid':
      return `The model has ${s.problems.length} problem${s.problems.length === 1 ? '' : 's'} to fix before it can run.`;
    case 'loading': {
      const p = s.progress;
      if (!p) return 'Checking the model…';
      if (p.stage === 'compile') return `Compiling the model: ${p.done} / ${p.total} modules…`;
      return `Loading the model on ${s.backend === 'auto' ? 'the backend' : s.backend}…`;
    }
    case 'failed':
      return `The simulation stopped: ${s.error ?? 'unknown error'}`;
    case 'ready': {
      const m = s.model;
      if (!m) return '';
      // The engine's reason may start with the backend's name ("cpu: no GPU on this machine").
      const reason = m.reason.replace(new RegExp(`^${m.backend}:\\s*`), '');
      const why = s.backend === 'auto' ? `picked automatically${reason ? `: ${reason}` : ''}` : 'as chosen';
      const speed =
        s.running && s.stepsPerSecond > 0 ? ` · ${s.stepsPerSecond.toLocaleString('en-US')} steps/s` : '';
      return `Running on ${m.backend} (${why}) · step ${s.step.toLocaleString('en-US')}${speed}${s.running ? '' : ' · paused'}`;
    }
  }
}

/** Sets up the engine's WebGPU raster after each load; Canvas 2D where it cannot. */
function useWebGpuRaster(
  session: SimulationSession,
  sim: Simulator,
  mode: 'auto' | 'canvas2d',
  canvas: React.RefObject<HTMLCanvasElement | null>,
  size: React.RefObject<RasterSize>,
): void {
  const { store } = useEditorContext();
  /** The canvas element last transferred to the engine (a canvas can be transferred once). */
  const transferred = useRef<HTMLCanvasElement | null>(null);
  /** Presenting lost the device once: Canvas 2D from then on. */
  const broken = useRef(false);
  useEffect(() => {
    if (mode === 'canvas2d' || !sim.attachRaster) {
      session.setRasterHook(undefined);
      return;
    }
    const report = (m: string) => store.getState().report('warning', m);
    session.setRasterHook(async (m: LoadedModel): Promise<{ kind: RasterKind; lost?: boolean }> => {
      const el = canvas.current;
      if (broken.current || m.backend !== 'webgpu' || !el || !sim.attachRaster) return { kind: 'canvas2d' };
      if (transferred.current !== el && typeof el.transferControlToOffscreen !== 'function') {
        report('Raster: OffscreenCanvas is not available; drawing with Canvas 2D.');
        return { kind: 'canvas2d' };
      }
      try {
        let off: OffscreenCanvas | undefined;
        if (transferred.current !== el) {
          off = el.transferControlToOffscreen();
          transferred.current = el;
        }
        const r = await sim.attachRaster(off, size.current);
        if (r.ok) return { kind: 'webgpu' };
        if (r.deviceLost) {
          broken.current = true;
          report(`Raster: ${r.reason}; loading the model again and drawing with Canvas 2D.`);
          return { kind: 'canvas2d', lost: true };
        }
        report(`Raster: the WebGPU raster is not available (${r.reason}); drawing with Canvas 2D.`);
      } catch (e) {
        report(
          `Raster: the WebGPU raster failed (${e instanceof Error ? e.message : String(e)}); drawing with Canvas 2D.`,
        );
      }
      return { kind: 'canvas2d' };
    });
    return () => session.setRasterHook(undefined);
  }, [session, sim, mode, canvas, size, store]);
}

/** The live simulation panel. */
export function SimulationPanel(props: SimulationPanelProps): ReactNode {
  const { store, registry, showProblems } = useEditorContext();
  const sim = props.simulator;
  /** Read once: the session lives as long as its engine and document store. */
  const first = useRef({
    autoRun: props.autoRun === true,
    stepsPerFrame: props.stepsPerFrame,
    backend: props.backend ?? 'auto',
  });
  const session = useMemo(
    () =>
      createSimulationSession({
        simulator: sim,
        store,
        registry,
        autoRun: first.current.autoRun,
        backend: first.current.backend,
        ...(first.current.stepsPerFrame !== undefined ? { stepsPerCall: first.current.stepsPerFrame } : {}),
      }),
    [sim, store, registry],
  );
  const s = useStore(session.state);
  const gpuCanvas = useRef<HTMLCanvasElement | null>(null);
  const plotSize = useRef<RasterSize>({ width: 600, height: 150 });
  useWebGpuRaster(session, sim, props.raster ?? 'auto', gpuCanvas, plotSize);
  const dt = useEditor((st) => Number(st.doc.controller.dt ?? 1) || 1);

  useEffect(() => {
    void session.sync();
    return () => session.dispose();
  }, [session]);
  useEffect(() => () => sim.dispose(), [sim]);

  const onPlotSize = useCallback(
    (size: RasterSize) => {
      plotSize.current = size;
      if (session.state.getState().raster === 'webgpu') void sim.resizeRaster?.(size).catch(() => {});
    },
    [session, sim],
  );
  const subscribe = useCallback(
    (fn: Parameters<SimulationSession['onStep']>[0]) => session.onStep(fn),
    [session],
  );

  const ready = s.status === 'ready';
  const disabled = !sim.available || s.status === 'neuron-mode';
  return (
    <section
      className="spark-panel spark-sim"
      aria-label="Simulation"
      data-raster={s.raster}
      data-status={s.status}
      data-step={s.step}
      data-steps-per-second={s.stepsPerSecond}
      data-frames-per-second={s.framesPerSecond}
    >
      <div className="spark-sim-bar">
        <label>
          Backend{' '}
          <select
            value={s.backend}
            onChange={(e) => session.setBackend(e.target.value as BackendChoice)}
            disabled={disabled}
            aria-label="Simulation backend"
          >
            {BACKENDS.map((b) => (
              <option key={b.value} value={b.value}>
                {b.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={disabled || !ready}
          onClick={() => (s.running ? session.pause() : session.run())}
          aria-label={s.running ? 'Pause' : 'Run'}
        >
          {s.running ? '❚❚ Pause' : '▶ Run'}
        </button>
        <button
          type="button"
          disabled={disabled || !ready || s.running}
          onClick={() => void session.stepOnce()}
          aria-label="Step"
        >
          Step
        </button>
        <button
          type="button"
          disabled={disabled || !ready}
          onClick={() => void session.reset()}
          aria-label="Reset"
        >
          Reset
        </button>
        <span className={`spark-sim-status spark-sim-${s.status}`} data-testid="sim-status" role="status">
          {statusText(s, sim)}
        </span>
        {s.status === 'loading' && s.progress ? (
          <progress
            className="spark-sim-progress"
            value={s.progress.stage === 'compile' ? s.progress.done : s.progress.total + s.progress.done}
            max={s.progress.stage === 'compile' ? s.progress.total + 1 : s.progress.total + 1}
            aria-label="Build progress"
          />
        ) : null}
      </div>
      {s.status === 'invalid' ? (
        <div className="spark-sim-problems">
          <ul>
            {s.problems.slice(0, 4).map((p) => (
              <li key={p.key}>
                <button
                  type="button"
                  className="spark-console-link"
                  onClick={() => store.getState().focusField(p.nodeId ?? null, p.field ?? '')}
                >
                  {problemText(p)}
                </button>
              </li>
            ))}
          </ul>
          {showProblems ? (
            <button type="button" onClick={showProblems}>
              Show all problems
            </button>
          ) : null}
        </div>
      ) : null}
      {s.model ? (
        <InputsEditor
          inputs={s.model.inputs}
          sources={s.inputs}
          onChange={(n, p) => session.setInput(n, p)}
        />
      ) : null}
      {s.model || s.status === 'loading' ? (
        <div className="spark-sim-plots">
          <RasterPlot
            populations={s.model?.populations ?? NO_POPULATIONS}
            dt={dt}
            step={s.step}
            kind={s.raster}
            generation={s.generation}
            subscribe={subscribe}
            gpuCanvas={gpuCanvas}
            onPlotSize={onPlotSize}
          />
          {s.model && s.model.traces.length > 0 ? (
            <TracePlot names={s.model.traces} dt={dt} generation={s.generation} subscribe={subscribe} />
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
