/**
 * The console: timestamped info/success/warning/error lines with level filters; a line that
 * names a node selects it when clicked.
 *
 * @module
 */
import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { LogLevel } from '../model/types.ts';
import { useEditor, useEditorContext } from './context.tsx';

const LEVELS: LogLevel[] = ['info', 'success', 'warning', 'error'];

function hhmmss(t: number): string {
  const d = new Date(t);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((x) => String(x).padStart(2, '0')).join(':');
}

/** The console panel. */
export function ConsolePanel(): ReactNode {
  const { store } = useEditorContext();
  const log = useEditor((s) => s.log);
  const [shown, setShown] = useState<Record<LogLevel, boolean>>({
    info: true,
    success: true,
    warning: true,
    error: true,
  });
  const end = useRef<HTMLLIElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll to the end whenever a line is added
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'nearest' });
  }, [log.length]);
  return (
    <section className="spark-panel spark-console" aria-label="Console">
      <div className="spark-console-bar">
        {LEVELS.map((l) => (
          <label key={l} className={`spark-console-filter spark-level-${l}`}>
            <input
              type="checkbox"
              checked={shown[l]}
              onChange={(e) => setShown({ ...shown, [l]: e.target.checked })}
            />
            {l[0]?.toUpperCase()}
            {l.slice(1)}
          </label>
        ))}
        <button type="button" onClick={() => store.getState().clearLog()}>
          Clear
        </button>
      </div>
      <ul className="spark-console-lines" aria-live="polite" data-testid="console">
        {log
          .filter((e) => shown[e.level])
          .map((e) => (
            <li key={e.id} className={`spark-level-${e.level}`} data-level={e.level}>
              <span className="spark-dot" aria-hidden="true" />
              <span className="spark-console-time">[{hhmmss(e.time)}]</span>{' '}
              {e.nodeId !== undefined ? (
                <button
                  type="button"
                  className="spark-console-link"
                  title={`Select ${e.nodeId}`}
                  onClick={() => store.getState().select([e.nodeId as string])}
                >
                  {e.path ?? e.nodeId}
                </button>
              ) : null}{' '}
              <span className="spark-console-msg">{e.message}</span>
            </li>
          ))}
        <li ref={end} aria-hidden="true" />
      </ul>
    </section>
  );
}
