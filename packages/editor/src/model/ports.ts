/**
 * Ports of document nodes and Spark's connection rules (spark-reference §4.3).
 *
 * @module
 */
import type { EditorRegistry, ModuleDescriptor } from './registry.ts';
import { customNeuronDescriptor, neuronPortsFromConfig } from './registry.ts';
import type { DocEdge, DocNode, EditorDocument, PayloadType } from './types.ts';
import { PAYLOAD_CLASS_NAMES } from './types.ts';

/** Where a port sits on a node and what it does. */
export type PortRole = 'input' | 'output' | 'property' | 'effect';

/** A port of a node on the canvas. */
export interface NodePort {
  name: string;
  role: PortRole;
  payload: PayloadType | null;
  optional: boolean;
  /** Handle id used on the canvas: `in:x`, `out:x`, `prop:x`, `effect:x`. */
  handle: string;
}

/** Handle id of a port. */
export function handleId(role: PortRole, name: string): string {
  const prefix =
    role === 'input' ? 'in' : role === 'output' ? 'out' : role === 'property' ? 'prop' : 'effect';
  return `${prefix}:${name}`;
}

/** Parses a handle id. */
export function parseHandle(handle: string): { role: PortRole; name: string } | undefined {
  const m = /^(in|out|prop|effect):(.+)$/.exec(handle);
  if (!m?.[1] || !m[2]) return undefined;
  const role: PortRole =
    m[1] === 'in' ? 'input' : m[1] === 'out' ? 'output' : m[1] === 'prop' ? 'property' : 'effect';
  return { role, name: m[2] };
}

/** The descriptor of a module node: registry, then the document's custom neurons, then its own config. */
export function describeNode(
  node: DocNode,
  doc: Pick<EditorDocument, 'customNeurons'>,
  registry: EditorRegistry,
): ModuleDescriptor | undefined {
  if (node.kind !== 'module') return undefined;
  const known = registry.get(node.type);
  if (known) return known;
  const custom = doc.customNeurons[node.type];
  if (custom) return customNeuronDescriptor(node.type, custom, registry);
  if (node.subregistry === 'NEURONS' && neuronPortsFromConfig(node.config, registry))
    return customNeuronDescriptor(node.type, node.config, registry);
  return undefined;
}

/** All ports of a node, inputs first. */
export function nodePorts(
  node: DocNode,
  doc: Pick<EditorDocument, 'customNeurons'> & { edges?: readonly DocEdge[] },
  registry: EditorRegistry,
): NodePort[] {
  const port = (name: string, role: PortRole, payload: PayloadType | null, optional = false): NodePort => ({
    name,
    role,
    payload,
    optional,
    handle: handleId(role, name),
  });
  switch (node.kind) {
    case 'source':
    case 'property':
      return [port('value', node.kind === 'source' ? 'output' : 'property', node.spec?.payload ?? null)];
    case 'sink':
      return [port('value', 'input', node.spec?.payload ?? null)];
    case 'module': {
      const d = describeNode(node, doc, registry);
      if (!d) {
        // Unknown module class: show the ports its connections use, untyped.
        const out: NodePort[] = [];
        for (const e of doc.edges ?? []) {
          if (e.target === node.id) {
            const role: PortRole = e.kind === 'effect' ? 'effect' : 'input';
            if (!out.some((p) => p.role === role && p.name === e.targetPort))
              out.push(port(e.targetPort, role, null));
          }
          if (e.source === node.id) {
            const role: PortRole = e.sourceIsProperty ? 'property' : 'output';
            if (!out.some((p) => p.role === role && p.name === e.sourcePort))
              out.push(port(e.sourcePort, role, null));
          }
        }
        return out;
      }
      return [
        ...d.inputs.map((p) => port(p.name, 'input', p.payload, p.optional ?? false)),
        ...d.properties.filter((p) => p.settable).map((p) => port(p.name, 'effect', p.payload)),
        ...d.outputs.map((p) => port(p.name, 'output', p.payload)),
        ...d.properties.map((p) => port(p.name, 'property', p.payload)),
      ];
    }
  }
}

/** A proposed connection between two handles. */
export interface Connection {
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

/** Result of checking a connection. */
export type ConnectionCheck =
  | { ok: true; edge: DocEdge; adopt?: { node: string; payload: PayloadType | null } }
  | { ok: false; message: string };

/** Stable edge id. */
export function edgeId(source: string, sourcePort: string, target: string, targetPort: string): string {
  return `${source}.${sourcePort}->${target}.${targetPort}`;
}

/**
 * Checks a connection against Spark's rules: anything into a sink (one edge per sink; the sink
 * adopts the payload), the first edge out of a source (the source adopts the payload), otherwise
 * exactly equal payload types.
 */
export function checkConnection(
  doc: EditorDocument,
  registry: EditorRegistry,
  c: Connection,
): ConnectionCheck {
  const src = doc.nodes.find((n) => n.id === c.source);
  const dst = doc.nodes.find((n) => n.id === c.target);
  if (!src || !dst)
    return { ok: false, message: `Cannot connect: unknown node "${!src ? c.source : c.target}".` };
  const from = nodePorts(src, doc, registry).find((p) => p.handle === c.sourceHandle);
  const to = nodePorts(dst, doc, registry).find((p) => p.handle === c.targetHandle);
  const label = `${c.source}.${parseHandle(c.sourceHandle)?.name ?? c.sourceHandle} to ${c.target}.${parseHandle(c.targetHandle)?.name ?? c.targetHandle}`;
  if (!from || (from.role !== 'output' && from.role !== 'property'))
    return {
      ok: false,
      message: `Tried to connect ${label} but ${c.source} has no output port "${c.sourceHandle}".`,
    };
  if (!to || (to.role !== 'input' && to.role !== 'effect'))
    return {
      ok: false,
      message: `Tried to connect ${label} but ${c.target} has no input port "${c.targetHandle}".`,
    };
  const edge: DocEdge = {
    id: edgeId(src.id, from.name, dst.id, to.name),
    source: src.id,
    sourcePort: from.name,
    sourceIsProperty: from.role === 'property',
    target: dst.id,
    targetPort: to.name,
    kind: to.role === 'effect' ? 'effect' : 'input',
  };
  if (doc.edges.some((e) => e.id === edge.id))
    return { ok: false, message: `${label} are already connected.` };
  if (dst.kind === 'sink') {
    if (doc.edges.some((e) => e.target === dst.id))
      return {
        ok: false,
        message: `Tried to connect ${label} but sink "${dst.id}" accepts only one connection.`,
      };
    if (src.kind !== 'module')
      return { ok: false, message: `Tried to connect ${label} but a sink must be fed by a module.` };
    return { ok: true, edge, adopt: { node: dst.id, payload: from.payload } };
  }
  if (src.kind === 'source' && !doc.edges.some((e) => e.source === src.id)) {
    return { ok: true, edge, adopt: { node: src.id, payload: to.payload } };
  }
  if (from.payload !== to.payload) {
    const a = from.payload ? PAYLOAD_CLASS_NAMES[from.payload] : 'unknown';
    const b = to.payload ? PAYLOAD_CLASS_NAMES[to.payload] : 'unknown';
    return {
      ok: false,
      message: `Tried to connect ${label} but they have different payload types: ${a} vs ${b}.`,
    };
  }
  return { ok: true, edge };
}
