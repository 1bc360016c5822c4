/**
 * The node name box of the inspector (applied on Enter or blur; names are checked by the store).
 *
 * @module
 */
import { type ReactNode, useId, useState } from 'react';
import type { DocNode } from '../../model/types.ts';
import { useEditorContext } from '../context.tsx';

/** Renames a node. */
export function NameEditor(props: { node: DocNode }): ReactNode {
  const { store } = useEditorContext();
  const [draft, setDraft] = useState<string | null>(null);
  const id = useId();
  const commit = (): void => {
    if (draft !== null && draft !== props.node.id) store.getState().renameNode(props.node.id, draft.trim());
    setDraft(null);
  };
  return (
    <div className="spark-inspector-name">
      <label htmlFor={id}>Name</label>
      <input
        id={id}
        value={draft ?? props.node.id}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setDraft(null);
        }}
      />
    </div>
  );
}
