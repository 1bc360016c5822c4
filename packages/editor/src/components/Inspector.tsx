/**
 * The inspector panel: the selected node's name, class, connections and config sections
 * (generated from `@spark-snn/config`'s field descriptors), or the controller's fields when nothing
 * is selected. A focus request from the store (Problems panel) scrolls to and focuses one field.
 *
 * @module
 */
import { type ReactNode, useEffect, useMemo, useRef } from 'react';
import { receivingFields } from '../model/commands.ts';
import { buildSections, controllerFields, moduleSections, registryFields } from '../model/fields.ts';
import { isNeuronNode } from '../model/neuron.ts';
import { labelOf } from '../model/registry.ts';
import { useEditor, useEditorContext } from './context.tsx';
import { Connections } from './inspector/Connections.tsx';
import { IoEditor } from './inspector/IoEditor.tsx';
import { NameEditor } from './inspector/NameEditor.tsx';
import { Section } from './inspector/Section.tsx';

/** Props of {@link Inspector}. */
export interface InspectorProps {
  className?: string;
}

/** Focuses the row of `path` inside `root` once it is rendered. */
function focusRow(root: HTMLElement, path: string): void {
  const row = root.querySelector<HTMLElement>(`[data-field="${CSS.escape(path)}"]`);
  if (!row) return;
  for (let d = row.closest('details'); d; d = d.parentElement?.closest('details') ?? null) d.open = true;
  row.scrollIntoView?.({ block: 'center' });
  row.querySelector<HTMLElement>('input, select, button')?.focus();
}

/** The inspector panel. */
export function Inspector(props: InspectorProps): ReactNode {
  const { store, registry } = useEditorContext();
  const selection = useEditor((s) => s.selection);
  const nodes = useEditor((s) => s.doc.nodes);
  const controller = useEditor((s) => s.doc.controller);
  const mode = useEditor((s) => s.doc.mode);
  const inNeuron = useEditor((s) => s.neuronStack.length > 0);
  const focus = useEditor((s) => s.focus);
  const root = useRef<HTMLElement>(null);
  const lookup = useMemo(() => registryFields(registry), [registry]);
  const node = selection.length === 1 ? nodes.find((n) => n.id === selection[0]) : undefined;
  const sections = useMemo(
    () => (node?.kind === 'module' ? moduleSections(node.config, node.type, lookup) : undefined),
    [node, lookup],
  );
  const controllerSection = useMemo(
    () =>
      selection.length === 0
        ? buildSections(controller, controllerFields(mode), lookup, mode === 'brain' ? 'Brain' : 'Neuron')
        : undefined,
    [controller, selection.length, lookup, mode],
  );
  const receiving = useMemo(() => (node ? receivingFields(node) : new Set<string>()), [node]);
  const focusHere =
    focus !== null && (focus.nodeId === null ? selection.length === 0 : node?.id === focus.nodeId);
  useEffect(() => {
    if (focus && root.current) focusRow(root.current, focus.path);
  }, [focus]);

  let body: ReactNode;
  if (selection.length > 1) body = <p className="spark-muted">Multi-selection not supported.</p>;
  else if (!node) {
    body = (
      <>
        <p className="spark-muted">Select a node to inspect. {inNeuron ? 'Editing a neuron inside.' : ''}</p>
        {controllerSection ? (
          <Section node={null} section={controllerSection} receiving={new Set()} showAdvanced={focusHere} />
        ) : null}
      </>
    );
  } else {
    body = (
      <>
        <NameEditor node={node} />
        <div className="spark-inspector-type">
          {node.kind === 'module'
            ? `${registry.get(node.type)?.label ?? labelOf(node.type)} · ${node.type}`
            : `${node.kind[0]?.toUpperCase()}${node.kind.slice(1)} node`}
        </div>
        {isNeuronNode(node) ? (
          <button type="button" onClick={() => store.getState().enterNeuron(node.id)}>
            Edit neuron inside (Neuron mode)
          </button>
        ) : null}
        {node.kind === 'module' ? <Connections node={node} /> : <IoEditor node={node} />}
        {sections ? (
          <Section node={node} section={sections} receiving={receiving} showAdvanced={focusHere} />
        ) : null}
      </>
    );
  }
  return (
    <aside
      ref={root}
      className={`spark-panel spark-inspector ${props.className ?? ''}`}
      aria-label="Inspector"
    >
      {body}
    </aside>
  );
}
