/**
 * The inspector's connection editor: every input (and settable property) of a module with what
 * feeds it, a button to disconnect each edge and a list of compatible outputs to connect from —
 * every port can be wired from the keyboard.
 *
 * @module
 */
import type { ReactNode } from 'react';
import { checkConnection, nodePorts } from '../../model/ports.ts';
import type { DocNode } from '../../model/types.ts';
import { PAYLOAD_CLASS_NAMES } from '../../model/types.ts';
import { useEditor, useEditorContext } from '../context.tsx';

/** The connections of one module node. */
export function Connections(props: { node: DocNode }): ReactNode {
  const { store, registry } = useEditorContext();
  const doc = useEditor((s) => s.doc);
  const ports = nodePorts(props.node, doc, registry).filter((p) => p.role === 'input' || p.role === 'effect');
  if (ports.length === 0) return null;
  const candidates = doc.nodes.flatMap((n) =>
    nodePorts(n, doc, registry)
      .filter((p) => p.role === 'output' || p.role === 'property')
      .map((p) => ({ node: n.id, handle: p.handle, name: p.name })),
  );
  return (
    <details className="spark-section" open data-section="Connections">
      <summary>Connections</summary>
      {ports.map((p) => {
        const edges = doc.edges.filter(
          (e) =>
            e.target === props.node.id &&
            (p.role === 'effect' ? e.kind === 'effect' : e.kind === 'input') &&
            e.targetPort === p.name,
        );
        const ok = candidates.filter(
          (c) =>
            checkConnection(doc, registry, {
              source: c.node,
              sourceHandle: c.handle,
              target: props.node.id,
              targetHandle: p.handle,
            }).ok,
        );
        return (
          <div key={p.handle} className="spark-connection" data-port={p.handle}>
            <div className="spark-connection-port">
              {p.role === 'effect' ? <i>{p.name}</i> : p.name}{' '}
              <span className="spark-muted">{p.payload ? PAYLOAD_CLASS_NAMES[p.payload] : ''}</span>
            </div>
            <ul>
              {edges.map((e) => (
                <li key={e.id}>
                  {e.source}.{e.sourcePort}{' '}
                  <button
                    type="button"
                    className="spark-icon-button"
                    aria-label={`Disconnect ${e.source}.${e.sourcePort} from ${props.node.id}.${p.name}`}
                    onClick={() => store.getState().removeEdges([e.id])}
                  >
                    ✕
                  </button>
                </li>
              ))}
            </ul>
            <select
              aria-label={`Connect an output to ${props.node.id}.${p.name}`}
              value=""
              onChange={(e) => {
                const [node, handle] = e.target.value.split('|');
                if (node && handle)
                  store.getState().connect({
                    source: node,
                    sourceHandle: handle,
                    target: props.node.id,
                    targetHandle: p.handle,
                  });
              }}
            >
              <option value="">Connect from…</option>
              {ok.map((c) => (
                <option key={`${c.node}|${c.handle}`} value={`${c.node}|${c.handle}`}>
                  {c.node}.{c.name}
                </option>
              ))}
            </select>
          </div>
        );
      })}
    </details>
  );
}
