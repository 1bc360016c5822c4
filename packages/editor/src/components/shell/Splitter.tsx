/**
 * A splitter between two panels: drag it (or focus it and use the arrow keys) to resize the panel
 * it belongs to.
 *
 * @module
 */
import { type ReactNode, useRef } from 'react';

/** Props of {@link Splitter}. */
export interface SplitterProps {
  /** `vertical`: a vertical bar resizing a width; `horizontal`: a horizontal bar resizing a height. */
  orientation: 'vertical' | 'horizontal';
  /** What it resizes, for screen readers (`Resize the inspector`). */
  label: string;
  value: number;
  min: number;
  max: number;
  /** +1 when moving right/down grows the panel, −1 when it shrinks it. */
  direction: 1 | -1;
  /** Called while dragging; `done` on release. */
  onResize(size: number, done: boolean): void;
}

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));

/** A resize handle. */
export function Splitter(props: SplitterProps): ReactNode {
  const start = useRef<{ at: number; size: number } | null>(null);
  const pos = (e: { clientX: number; clientY: number }) =>
    props.orientation === 'vertical' ? e.clientX : e.clientY;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable separator is the ARIA pattern for a splitter (no HTML element exists)
    <div
      role="separator"
      tabIndex={0}
      aria-label={props.label}
      aria-orientation={props.orientation}
      aria-valuenow={Math.round(props.value)}
      aria-valuemin={props.min}
      aria-valuemax={props.max}
      className={`spark-splitter spark-splitter-${props.orientation}`}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = { at: pos(e), size: props.value };
      }}
      onPointerMove={(e) => {
        const s = start.current;
        if (!s) return;
        props.onResize(clamp(s.size + props.direction * (pos(e) - s.at), props.min, props.max), false);
      }}
      onPointerUp={(e) => {
        const s = start.current;
        start.current = null;
        if (s) props.onResize(clamp(s.size + props.direction * (pos(e) - s.at), props.min, props.max), true);
      }}
      onKeyDown={(e) => {
        const grow =
          props.orientation === 'vertical' ? ['ArrowRight', 'ArrowLeft'] : ['ArrowDown', 'ArrowUp'];
        const i = grow.indexOf(e.key);
        if (i < 0) return;
        e.preventDefault();
        const step = (i === 0 ? 1 : -1) * props.direction * 16;
        props.onResize(clamp(props.value + step, props.min, props.max), true);
      }}
    />
  );
}
