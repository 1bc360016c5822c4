/**
 * The spike raster with real axes (uPlot): one band per population, labelled with its module name
 * in the band's colour, time in ms along the bottom, newest step at the right edge (both rasters
 * scroll the same way), and a readout of the unit and step under the pointer.
 *
 * The spikes are drawn either here from the step results (Canvas 2D, `kind="canvas2d"`), or by the
 * engine's WebGPU raster into a canvas laid exactly over uPlot's plot area (`kind="webgpu"`); uPlot
 * draws the axes, labels and band lines in both cases.
 *
 * @module
 */
import { type ReactNode, type RefObject, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { PopulationInfo, RasterKind, StepResult } from '../../sim/simulator.ts';
import {
  neuronAtRow,
  RASTER_COLOURS,
  RASTER_HISTORY,
  type RasterLayout,
  rasterLayout,
} from '../../sim/webgpu-raster.ts';
import { PIXEL_COLOURS, paintSpikes } from './raster-pixels.ts';

/** Smallest height of the raster (axes included) in CSS pixels. */
const MIN_HEIGHT = 120;

const css = (c: readonly number[]) => `rgb(${c.map((x) => Math.round(x * 255)).join(',')})`;
/** Band colours: the WebGPU raster's, alternating by population. */
export const BAND_COLOURS = [css(RASTER_COLOURS.even), css(RASTER_COLOURS.odd)] as const;

/** The last {@link RASTER_HISTORY} steps' spikes: per step, the rows (over all populations) that fired. */
class SpikeHistory {
  readonly rows: Uint32Array[] = [];
  /** Index of the step after the newest one held. */
  end = 0;
  clear(step: number): void {
    this.rows.length = 0;
    this.end = step;
  }
  push(r: StepResult, populations: readonly PopulationInfo[]): void {
    for (let s = 0; s < r.steps; s++) {
      const fired: number[] = [];
      let row = 0;
      for (const p of populations) {
        const spikes = r.spikes[p.name];
        if (spikes) for (let i = 0; i < p.size; i++) if (spikes[s * p.size + i]) fired.push(row + i);
        row += p.size;
      }
      this.rows.push(Uint32Array.from(fired));
      if (this.rows.length > RASTER_HISTORY) this.rows.shift();
    }
    this.end = r.firstStep + r.steps;
  }
}

/** Props of {@link RasterPlot}. */
export interface RasterPlotProps {
  populations: readonly PopulationInfo[];
  /** Step length in ms (time axis). */
  dt: number;
  /** Index of the next step (the right edge). */
  step: number;
  kind: RasterKind;
  /** Changes when the drawing must be cleared. */
  generation: number;
  /** Subscribes to step results (Canvas 2D drawing). */
  subscribe(fn: (r: StepResult) => void): () => void;
  /** The canvas the engine's WebGPU raster draws into; laid over the plot area here. */
  gpuCanvas: RefObject<HTMLCanvasElement | null>;
  /** Called with the plot area's size in device pixels whenever it changes (the WebGPU canvas). */
  onPlotSize?(size: { width: number; height: number }): void;
}

/** The raster. */
export function RasterPlot(props: RasterPlotProps): ReactNode {
  const host = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLSpanElement>(null);
  const plot = useRef<uPlot | null>(null);
  const history = useRef(new SpikeHistory());
  const live = useRef(props);
  live.current = props;

  const populations = props.populations;
  // The plot: rebuilt when the populations change.
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const layout: RasterLayout = rasterLayout(populations.map((p) => p.size));
    const rows = Math.max(1, layout.vstarts.at(-1) ?? 1);
    /** Canvas y of virtual row `v` (row 0 at the top). */
    const rowY = (u: uPlot, v: number) => u.valToPos(rows - v, 'y', true);
    /** Band and virtual rows of a neuron. */
    const rowsOf = (n: number): { band: number; top: number; k: number } => {
      let b = 0;
      while (b + 2 < layout.starts.length && n >= (layout.starts[b + 1] ?? Infinity)) b++;
      const k = layout.stretch[b] ?? 1;
      return { band: b, top: (layout.vstarts[b] ?? 0) + (n - (layout.starts[b] ?? 0)) * k, k };
    };
    const neurons = layout.starts.at(-1) ?? 0;
    const rowTop = new Int32Array(neurons);
    const rowHeight = new Int32Array(neurons);
    const rowColour = new Uint32Array(neurons);
    let image: ImageData | undefined;
    const drawBands = (u: uPlot) => {
      const ctx = u.ctx;
      const { left, top, width, height } = u.bbox;
      ctx.save();
      if (live.current.kind === 'canvas2d') {
        // Into pixels, then one putImageData: a Canvas call (and a colour parse) per spike made the
        // page's main thread the bottleneck once the engine ran ab_brain at ~100 steps/s.
        const w = Math.max(1, Math.round(width));
        const h = Math.max(1, Math.round(height));
        if (image?.width !== w || image.height !== h) image = ctx.createImageData(w, h);
        const rowH = height / rows;
        const y0 = Math.round(top);
        for (let n = 0; n < neurons; n++) {
          const { band, top: v, k } = rowsOf(n);
          rowTop[n] = Math.floor(rowY(u, v)) - y0;
          rowHeight[n] = Math.max(1, Math.round(k * rowH));
          rowColour[n] = PIXEL_COLOURS[band % 2] ?? 0;
        }
        paintSpikes(new Uint32Array(image.data.buffer), w, h, history.current.rows, {
          top: rowTop,
          height: rowHeight,
          colour: rowColour,
        });
        ctx.putImageData(image, Math.round(left), y0);
      }
      // Band boundaries.
      ctx.strokeStyle = '#ffffff30';
      ctx.lineWidth = 1;
      for (const v of layout.vstarts.slice(1, -1)) {
        const y = Math.round(rowY(u, v)) + 0.5;
        ctx.beginPath();
        ctx.moveTo(left, y);
        ctx.lineTo(left + width, y);
        ctx.stroke();
      }
      ctx.restore();
      // The time window (ms) for readers of the page: the axis itself is drawn on the canvas.
      el.dataset.timeMin = String(u.scales.x?.min ?? 0);
      el.dataset.timeMax = String(u.scales.x?.max ?? 0);
    };
    /** Band labels: text in the band's colour (the key), centred on the band, left of the plot. */
    const labelBox = document.createElement('div');
    labelBox.className = 'spark-raster-bands';
    const labels = populations.map((p, i) => {
      const l = document.createElement('span');
      l.textContent = p.name;
      l.title = `${p.name}: ${p.size} units`;
      l.style.color = BAND_COLOURS[i % 2] ?? '';
      labelBox.append(l);
      return l;
    });
    const placeLabels = (u: uPlot) => {
      const over = u.over;
      labelBox.style.top = `${over.offsetTop}px`;
      labelBox.style.width = `${Math.max(0, over.offsetLeft - 6)}px`;
      labels.forEach((l, i) => {
        const mid = ((layout.vstarts[i] ?? 0) + (layout.vstarts[i + 1] ?? 0)) / 2;
        l.style.top = `${u.valToPos(rows - mid, 'y')}px`;
      });
    };
    const placeGpuCanvas = (u: uPlot) => {
      placeLabels(u);
      const c = live.current.gpuCanvas.current;
      const over = u.over;
      if (c) {
        c.style.left = `${over.offsetLeft}px`;
        c.style.top = `${over.offsetTop}px`;
        c.style.width = `${over.clientWidth}px`;
        c.style.height = `${over.clientHeight}px`;
      }
      live.current.onPlotSize?.({
        width: Math.max(1, Math.round(over.clientWidth * devicePixelRatio)),
        height: Math.max(1, Math.round(over.clientHeight * devicePixelRatio)),
      });
    };
    const dtOf = () => live.current.dt || 1;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: Math.max(MIN_HEIGHT, el.clientHeight),
      legend: { show: false },
      cursor: { y: true, x: true, points: { show: false }, drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: () => xRange(live.current.step, dtOf()) },
        y: { range: [0, rows] },
      },
      axes: [
        {
          stroke: '#c8c8c8',
          grid: { stroke: '#ffffff14' },
          ticks: { stroke: '#ffffff30' },
          label: 'time (ms)',
          labelSize: 16,
          labelGap: 2,
          size: 26,
          incrs: [
            1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 1e5, 2e5, 5e5, 1e6,
          ],
          values: (_u, splits) => splits.map((v) => (v < 0 ? '' : String(Math.round(v)))),
        },
        {
          stroke: '#c8c8c8',
          grid: { show: false },
          ticks: { show: false },
          size: 110,
          gap: 6,
          splits: () =>
            populations.map((_, i) => rows - ((layout.vstarts[i] ?? 0) + (layout.vstarts[i + 1] ?? 0)) / 2),
          // The names are HTML labels (placeLabels), so they can be read, coloured and tested.
          values: () => populations.map(() => ''),
        },
      ],
      series: [{}, { show: false }],
      hooks: {
        draw: [drawBands],
        ready: [placeGpuCanvas],
        setSize: [placeGpuCanvas],
        setCursor: [
          (u) => {
            const out = readout.current;
            if (!out) return;
            const { left, top } = u.cursor;
            if (left === undefined || top === undefined || left < 0 || top < 0) {
              out.textContent = 'Point at the raster to read a unit and a step.';
              return;
            }
            const t = u.posToVal(left, 'x');
            const v = Math.floor(rows - u.posToVal(top, 'y'));
            const step = Math.floor(t / dtOf());
            const { band, neuron } = neuronAtRow(layout, Math.min(Math.max(v, 0), rows - 1));
            const pop = populations[band];
            const unit = neuron - (layout.starts[band] ?? 0);
            if (!pop || step < 0 || v < 0 || v >= rows) {
              out.textContent = '';
              return;
            }
            out.textContent = `${pop.name} · unit ${unit} of ${pop.size} · step ${step} (${(step * dtOf()).toFixed(dtOf() < 1 ? 1 : 0)} ms)`;
          },
        ],
      },
    };
    const u = new uPlot(
      opts,
      [
        [0, 1],
        [null, null],
      ],
      el,
    );
    plot.current = u;
    // The band labels in their band's colour: the key.
    el.append(labelBox);
    placeLabels(u);
    const ro =
      typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver(() => {
            const w = Math.max(200, el.clientWidth);
            const h = Math.max(MIN_HEIGHT, el.clientHeight);
            if (Math.abs(w - u.width) > 1 || Math.abs(h - u.height) > 1) u.setSize({ width: w, height: h });
          });
    ro?.observe(el);
    return () => {
      ro?.disconnect();
      u.destroy();
      labelBox.remove();
      plot.current = null;
    };
  }, [populations]);

  // Spikes from the step results (Canvas 2D).
  useEffect(
    () =>
      props.subscribe((r) => {
        if (live.current.kind === 'canvas2d') history.current.push(r, live.current.populations);
      }),
    [props.subscribe],
  );

  // A new generation clears the drawing.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the generation is the trigger
  useEffect(() => {
    history.current.clear(live.current.step);
    plot.current?.redraw(false);
  }, [props.generation, props.populations]);

  // Redraw at most once per frame as the steps advance.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new step or raster kind is the trigger
  useEffect(() => {
    const u = plot.current;
    if (!u) return;
    const id = requestAnimationFrame(() => u.setScale('x', { min: 0, max: 1 }));
    return () => cancelAnimationFrame(id);
  }, [props.step, props.kind]);

  return (
    <div className="spark-raster-plot" data-raster={props.kind}>
      <div ref={host} className="spark-raster-uplot" data-testid="raster-plot">
        <canvas
          ref={props.gpuCanvas}
          className="spark-raster spark-raster-gpu"
          aria-label="Spike raster (WebGPU)"
          data-testid="raster-webgpu"
          data-raster="webgpu"
          hidden={props.kind !== 'webgpu'}
        />
      </div>
      <span ref={readout} className="spark-raster-readout" aria-live="off" data-testid="raster-readout">
        Point at the raster to read a unit and a step.
      </span>
    </div>
  );
}

/** The time window shown: the last {@link RASTER_HISTORY} steps, newest at the right edge. */
export function xRange(step: number, dt: number): [number, number] {
  return [(step - RASTER_HISTORY) * dt, step * dt];
}
