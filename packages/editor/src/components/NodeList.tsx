/**
 * The node list: every node by name; clicking selects it on the canvas.
 *
 * @module
 */
import type { ReactNode } from 'react';
import { useEditor, useEditorContext } from './context.tsx';

/** The node list panel. */
export function NodeList(): ReactNode {
  const { store } = useEditorContext();
  const nodes = useEditor((s) => s.doc.nodes);
  const selection = useEditor((s) => s.selection);
  return (
    <nav className="spark-panel spark-node-list" aria-label="Nodes">
      <ul>
        {nodes.map((n) => (
          <li key={n.id}>
            <button
              type="button"
              className={selection.includes(n.id) ? 'active' : ''}
              aria-pressed={selection.includes(n.id)}
              onClick={() => store.getState().select([n.id])}
              data-testid={`nodelist-${n.id}`}
              title={`${n.id} (${n.kind === 'module' ? n.type : n.kind})`}
            >
              <span className={`spark-dot spark-dot-${n.kind}`} aria-hidden="true" />
              <span className="spark-node-list-name">{n.id}</span>
              <span className="spark-node-list-type">{n.kind === 'module' ? n.type : n.kind}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
