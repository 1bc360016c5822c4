/**
 * Auto-layout with dagre (left to right, sources first).
 *
 * @module
 */
import { Graph, layout } from '@dagrejs/dagre';
import type { EditorDocument, Position } from './types.ts';

/** Approximate node box used for layout (the canvas measures the real one). */
export const NODE_SIZE = { width: 220, height: 120 } as const;

/** Computes new positions for every node (top-left corners, as the canvas stores them). */
export function autoLayout(
  doc: EditorDocument,
  sizes: Readonly<Record<string, { width: number; height: number }>> = {},
): Record<string, Position> {
  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of doc.nodes) {
    const s = sizes[n.id] ?? NODE_SIZE;
    g.setNode(n.id, { width: s.width, height: s.height });
  }
  for (const e of doc.edges) {
    // Self-loops and back edges are fine for dagre (it reverses cycles internally).
    if (e.source === e.target) continue;
    g.setEdge(e.source, e.target, {}, e.id);
  }
  layout(g);
  const out: Record<string, Position> = {};
  for (const n of doc.nodes) {
    const p = g.node(n.id) as { x: number; y: number; width: number; height: number } | undefined;
    if (p) out[n.id] = { x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2) };
  }
  return out;
}
