/**
 * Export checks: Spark's graph check (spark-reference §4.7) plus the wiring rules the Brain applies
 * when it is built (§1.4.2), which Spark's editor leaves to run time.
 *
 * @module
 */
import { unknownModules } from './commands.ts';
import { describeNode } from './ports.ts';
import type { EditorRegistry } from './registry.ts';
import type { Diagnostic, EditorDocument } from './types.ts';

/** Weakly connected components of the document graph (node ids). */
export function components(doc: EditorDocument): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) ?? r;
    parent.set(x, r);
    return r;
  };
  for (const n of doc.nodes) parent.set(n.id, n.id);
  for (const e of doc.edges) {
    if (!parent.has(e.source) || !parent.has(e.target)) continue;
    parent.set(find(e.source), find(e.target));
  }
  const groups = new Map<string, string[]>();
  for (const n of doc.nodes) {
    const r = find(n.id);
    groups.set(r, [...(groups.get(r) ?? []), n.id]);
  }
  return [...groups.values()];
}

/** Spark's graph check plus wiring checks. Every problem is an error unless stated. */
export function checkGraph(doc: EditorDocument, registry: EditorRegistry): Diagnostic[] {
  const out: Diagnostic[] = [];
  // A brain without source nodes is fine when one of its modules drives itself (config's rule).
  const selfDriven = doc.nodes.some(
    (n) => n.kind === 'module' && registry.get(n.type)?.drivesItself === true,
  );
  if (!doc.nodes.some((n) => n.kind === 'source') && !selfDriven)
    out.push({ level: 'error', message: 'No source node was found.' });
  if (!doc.nodes.some((n) => n.kind === 'sink'))
    out.push({ level: 'error', message: 'No sink node was found.' });
  const comps = components(doc);
  if (comps.length > 1)
    out.push({
      level: 'error',
      message: `Multiple connected components are not currently supported but found ${comps.length} connected components.`,
    });
  for (const n of unknownModules(doc, registry))
    out.push({
      level: 'error',
      message: `${n.id}: there is no module with name "${n.type}" in the registry.`,
      nodeId: n.id,
    });
  const modules = doc.nodes.filter((n) => n.kind === 'module');
  modules.forEach((n, i) => {
    const d = describeNode(n, doc, registry);
    if (!d) return;
    for (const p of d.inputs) {
      if (!doc.edges.some((e) => e.target === n.id && e.kind === 'input' && e.targetPort === p.name))
        out.push({
          level: 'error',
          message: `not connected${p.optional ? ' (an optional input must be connected inside a controller)' : ''}.`,
          nodeId: n.id,
          path: `modules_specs[${i}].inputs.${p.name}`,
        });
    }
  });
  for (const n of doc.nodes)
    if (n.kind === 'source' && !doc.edges.some((e) => e.source === n.id))
      out.push({ level: 'warning', message: `Source ${n.id} is not connected.`, nodeId: n.id });
  return out;
}
