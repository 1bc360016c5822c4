/**
 * A collapsible dock: a title bar with a collapse button (and optional tools), and its content
 * while open. Collapsed it keeps only its title bar, so it can be opened again where it was.
 *
 * @module
 */
import type { ReactNode } from 'react';

/** Props of {@link Dock}. */
export interface DockProps {
  title: ReactNode;
  /** Accessible name of the dock (`Inspector`). */
  name: string;
  open: boolean;
  onToggle(): void;
  /** Side docks collapse to a narrow vertical strip. */
  side?: 'left' | 'right';
  /** Controls shown in the title bar while open. */
  tools?: ReactNode;
  className?: string;
  children: ReactNode;
}

/** A dock. */
export function Dock(props: DockProps): ReactNode {
  const arrow =
    props.side === 'left'
      ? props.open
        ? '◂'
        : '▸'
      : props.side === 'right'
        ? props.open
          ? '▸'
          : '◂'
        : props.open
          ? '▾'
          : '▴';
  return (
    <section
      className={`spark-dock${props.side ? ` spark-dock-${props.side}` : ''}${props.open ? '' : ' collapsed'} ${props.className ?? ''}`}
      aria-label={props.name}
      data-dock={props.name}
    >
      <header className="spark-dock-bar">
        <button
          type="button"
          className="spark-dock-toggle"
          aria-expanded={props.open}
          aria-label={`${props.open ? 'Collapse' : 'Expand'} ${props.name}`}
          title={`${props.open ? 'Collapse' : 'Expand'} ${props.name}`}
          onClick={props.onToggle}
        >
          <span aria-hidden="true">{arrow}</span> <span className="spark-dock-title">{props.title}</span>
        </button>
        {props.open ? props.tools : null}
      </header>
      {props.open ? <div className="spark-dock-body">{props.children}</div> : null}
    </section>
  );
}
