/**
 * Traces of the brain's outputs (uPlot): time in ms along the bottom, values with a labelled axis,
 * and a legend above the plot that reads every line's value under the pointer.
 *
 * @module
 */
import { type ReactNode, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { StepResult } from '../../sim/simulator.ts';

/** Points kept per trace. */
const KEEP = 2000;
const COLOURS = ['#81c995', '#f28b82', '#8ab4f8', '#fdd663', '#c58af9', '#78d9ec'];

/** The plot's height: what the figure leaves after the legend (at least 100 px). */
function plotHeight(el: HTMLElement): number {
  const legend = el.querySelector<HTMLElement>('.u-legend')?.offsetHeight ?? 24;
  return Math.max(100, el.clientHeight - legend - 4);
}

/** Props of {@link TracePlot}. */
export interface TracePlotProps {
  names: readonly string[];
  dt: number;
  generation: number;
  subscribe(fn: (r: StepResult) => void): () => void;
}

/** The trace plot. */
export function TracePlot(props: TracePlotProps): ReactNode {
  const host = useRef<HTMLElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useRef<{ t: number[]; series: number[][] }>({ t: [], series: [] });
  const dirty = useRef(false);
  const dtRef = useRef(props.dt);
  dtRef.current = props.dt || 1;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    data.current = { t: [], series: props.names.map(() => []) };
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: plotHeight(el),
      series: [
        { label: 'time (ms)', value: (_u, v) => (v === null ? '–' : `${Math.round(v)} ms`) },
        ...props.names.map((n, i) => ({
          label: n,
          stroke: COLOURS[i % COLOURS.length] ?? '#fff',
          width: 1.5,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : v.toPrecision(3)),
        })),
      ],
      scales: {
        x: { time: false },
        y: {
          range: (_u, min, max) =>
            min === max || !Number.isFinite(min) ? [min - 1, max + 1] : uPlot.rangeNum(min, max, 0.1, true),
        },
      },
      axes: [
        {
          stroke: '#c8c8c8',
          grid: { stroke: '#ffffff14' },
          label: 'time (ms)',
          labelSize: 16,
          labelGap: 2,
          size: 26,
          values: (_u, splits) => {
            el.dataset.timeMax = String(splits.at(-1) ?? 0);
            return splits.map((v) => String(Math.round(v)));
          },
          incrs: [
            1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 1e5, 2e5, 5e5, 1e6,
          ],
        },
        {
          stroke: '#c8c8c8',
          grid: { stroke: '#ffffff14' },
          label: 'output',
          labelSize: 16,
          size: 56,
          values: (_u, splits) => {
            const out = splits.map((v) =>
              Math.abs(v) >= 1000 ? v.toExponential(1) : String(+v.toPrecision(3)),
            );
            // The tick labels are drawn on the canvas; the page can read them here.
            el.dataset.yTicks = out.join(' ');
            return out;
          },
        },
      ],
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
    };
    const u = new uPlot(opts, [[], ...props.names.map(() => [])], el);
    plot.current = u;
    const ro =
      typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver(() => {
            const w = Math.max(200, el.clientWidth);
            const h = plotHeight(el);
            if (Math.abs(w - u.width) > 1 || Math.abs(h - u.height) > 1) u.setSize({ width: w, height: h });
          });
    ro?.observe(el);
    return () => {
      ro?.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [props.names]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the generation is the trigger
  useEffect(() => {
    data.current = { t: [], series: props.names.map(() => []) };
    plot.current?.setData([[], ...props.names.map(() => [])]);
  }, [props.generation]);

  useEffect(
    () =>
      props.subscribe((r) => {
        const d = data.current;
        for (let s = 0; s < r.steps; s++) d.t.push((r.firstStep + s + 1) * dtRef.current);
        props.names.forEach((n, i) => {
          const v = r.traces[n];
          const series = d.series[i] ?? [];
          for (let s = 0; s < r.steps; s++) series.push(v?.[s] ?? Number.NaN);
          d.series[i] = series;
        });
        if (d.t.length > KEEP) {
          const drop = d.t.length - KEEP;
          d.t.splice(0, drop);
          for (const x of d.series) x.splice(0, drop);
        }
        dirty.current = true;
      }),
    [props.subscribe, props.names],
  );

  // Redraw at most once per frame.
  useEffect(() => {
    let id = 0;
    const tick = () => {
      if (dirty.current && plot.current) {
        dirty.current = false;
        plot.current.setData([data.current.t, ...data.current.series]);
      }
      id = requestAnimationFrame(tick);
    };
    id = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(id);
  }, []);

  return <figure ref={host} className="spark-traces" aria-label="Traces" data-testid="traces" />;
}
