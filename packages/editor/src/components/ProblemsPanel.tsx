/**
 * The Problems panel: the document's problems as you edit (the editor's graph checks and config's
 * full validation, each once, in words, with module and field). Clicking one selects its node and
 * focuses the field in the inspector.
 *
 * @module
 */
import { type ReactNode, useMemo } from 'react';
import { listProblems, type Problem } from '../model/problems.ts';
import { useEditor, useEditorContext } from './context.tsx';

/** The current problems of the document (recomputed as it changes and as validation reports). */
export function useProblems(): Problem[] {
  const { registry } = useEditorContext();
  const doc = useEditor((s) => s.doc);
  const issues = useEditor((s) => s.issues);
  return useMemo(() => listProblems(doc, registry, issues), [doc, registry, issues]);
}

/** The Problems panel. */
export function ProblemsPanel(): ReactNode {
  const { store } = useEditorContext();
  const problems = useProblems();
  if (problems.length === 0)
    return (
      <p className="spark-problems-none" data-testid="problems-panel">
        No problems: the model is valid.
      </p>
    );
  return (
    <ul className="spark-problems" data-testid="problems-panel" aria-label="Problems">
      {problems.map((p) => (
        <li key={p.key} className={`spark-level-${p.level}`} data-level={p.level}>
          <span className="spark-dot" aria-hidden="true" />
          <button
            type="button"
            className="spark-problem"
            title={
              p.field
                ? `Select ${p.nodeId ?? 'the controller'} and show ${p.field}`
                : p.nodeId
                  ? `Select ${p.nodeId}`
                  : ''
            }
            onClick={() => {
              if (p.field !== undefined || p.nodeId === undefined)
                store.getState().focusField(p.nodeId ?? null, p.field ?? '');
              else store.getState().select([p.nodeId]);
            }}
          >
            <span className="spark-problem-where">{p.where.join(' › ')}</span>
            <span className="spark-problem-message">{p.message}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
