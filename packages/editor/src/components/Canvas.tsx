/**
 * The graph canvas (@xyflow/react) over the editor store.
 *
 * @module
 */
import {
  Background,
  Controls,
  type Edge,
  type EdgeChange,
  type Connection as FlowConnection,
  Handle,
  Position as HandlePosition,
  MiniMap,
  type Node,
  type NodeChange,
  type NodeProps,
  ReactFlow,
  type ReactFlowInstance,
  useStore as useFlowStore,
  useNodesInitialized,
  useReactFlow,
} from '@xyflow/react';
import { memo, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type NodePort, nodePorts } from '../model/ports.ts';
import { labelOf } from '../model/registry.ts';
import type { DocNode, EditorDocument, PayloadType, Position } from '../model/types.ts';
import { PAYLOAD_CLASS_NAMES } from '../model/types.ts';
import { useEditor, useEditorContext } from './context.tsx';
import { PAYLOAD_COLOURS, PortGlyph, ROLE_COLOURS } from './glyphs.tsx';

/** Data carried by a canvas node. */
export interface SparkNodeData extends Record<string, unknown> {
  node: DocNode;
  ports: NodePort[];
  connected: string[];
  label: string;
}

/** A canvas node as xyflow holds it. */
export type SparkFlowNode = Node<SparkNodeData, 'spark'>;

function PortRow(props: {
  port: NodePort;
  side: 'left' | 'right';
  connected: boolean;
  nodeId: string;
}): ReactNode {
  const { port, side, connected } = props;
  const isProp = port.role === 'property' || port.role === 'effect';
  const base = isProp ? ROLE_COLOURS.property : port.optional ? ROLE_COLOURS.optional : ROLE_COLOURS.required;
  const missing = port.role === 'input' && !port.optional && !connected;
  const fill = missing ? '#2a2a2a' : base;
  const stroke = missing ? ROLE_COLOURS.missing : base;
  const payloadName = port.payload ? PAYLOAD_CLASS_NAMES[port.payload] : 'unknown';
  const title = `${port.name}: ${payloadName}${port.role === 'effect' ? ' (settable property)' : port.role === 'property' ? ' (property)' : ''}${missing ? ' — not connected' : ''}`;
  return (
    <div className={`spark-port spark-port-${side}`} data-port={port.handle} title={title}>
      <Handle
        type={side === 'left' ? 'target' : 'source'}
        position={side === 'left' ? HandlePosition.Left : HandlePosition.Right}
        id={port.handle}
        className="spark-handle"
        data-payload={port.payload ?? 'unknown'}
        aria-label={`${props.nodeId} ${side === 'left' ? 'input' : 'output'} ${port.name} (${payloadName})`}
      >
        <PortGlyph payload={port.payload} fill={fill} stroke={stroke} />
      </Handle>
      <span className="spark-port-label">
        {port.role === 'property' || port.role === 'effect' ? <i>{port.name}</i> : port.name}
      </span>
    </div>
  );
}

const KIND_LABEL: Record<DocNode['kind'], string> = {
  module: '',
  source: 'Source',
  sink: 'Sink',
  property: 'Property',
};

function SparkNodeView(props: NodeProps<SparkFlowNode>): ReactNode {
  const { node, ports, connected, label } = props.data;
  const left = ports.filter((p) => p.role === 'input' || p.role === 'effect');
  const right = ports.filter((p) => p.role === 'output' || p.role === 'property');
  const units =
    node.kind === 'module' && Array.isArray(node.config.units)
      ? `[${(node.config.units as number[]).join('×')}]`
      : '';
  return (
    <div
      className={`spark-node spark-node-${node.kind}${props.selected ? ' selected' : ''}`}
      data-testid={`node-${node.id}`}
      data-node-type={node.type || node.kind}
    >
      <div className="spark-node-header">
        <span className="spark-node-name">{node.id}</span>
        <span className="spark-node-type">
          {node.kind === 'module' ? label : KIND_LABEL[node.kind]} {units}
        </span>
      </div>
      <div className="spark-node-ports">
        <div className="spark-node-col">
          {left.map((p) => (
            <PortRow
              key={p.handle}
              port={p}
              side="left"
              connected={connected.includes(p.handle)}
              nodeId={node.id}
            />
          ))}
        </div>
        <div className="spark-node-col spark-node-col-right">
          {right.map((p) => (
            <PortRow
              key={p.handle}
              port={p}
              side="right"
              connected={connected.includes(p.handle)}
              nodeId={node.id}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

const nodeTypes = { spark: memo(SparkNodeView) };

function sourceHandle(doc: EditorDocument, e: EditorDocument['edges'][number]): string {
  const src = doc.nodes.find((n) => n.id === e.source);
  if (src?.kind === 'source') return 'out:value';
  if (src?.kind === 'property') return 'prop:value';
  return e.sourceIsProperty ? `prop:${e.sourcePort}` : `out:${e.sourcePort}`;
}

/** Props of {@link GraphCanvas}. */
export interface GraphCanvasProps {
  /** Show the minimap inside the canvas (default false: {@link CanvasMinimap} shows it elsewhere). */
  minimap?: boolean;
  /** A file dropped on the canvas (`.scfg` / `.sge`). */
  onDropFile?: (file: File) => void;
  /** Called with the instance once the canvas is ready. */
  onReady?: (instance: ReactFlowInstance<SparkFlowNode, Edge>) => void;
  className?: string;
}

function CanvasInner(props: GraphCanvasProps): ReactNode {
  const { store, registry, openPalette } = useEditorContext();
  const doc = useEditor((s) => s.doc);
  const selection = useEditor((s) => s.selection);
  const selectedEdges = useEditor((s) => s.selectedEdges);
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  const flow = useReactFlow<SparkFlowNode, Edge>();
  const wrapper = useRef<HTMLDivElement>(null);

  const nodes: SparkFlowNode[] = useMemo(() => {
    const connected = new Map<string, string[]>();
    const add = (id: string, h: string) => connected.set(id, [...(connected.get(id) ?? []), h]);
    for (const e of doc.edges) {
      add(e.target, e.kind === 'effect' ? `effect:${e.targetPort}` : `in:${e.targetPort}`);
      add(e.source, sourceHandle(doc, e));
    }
    return doc.nodes.map((n) => {
      const m = measured[n.id];
      const flowNode: SparkFlowNode = {
        id: n.id,
        type: 'spark',
        position: n.position,
        selected: selection.includes(n.id),
        ariaLabel: `${n.kind === 'module' ? n.type : n.kind} node ${n.id}`,
        data: {
          node: n,
          ports: nodePorts(n, doc, registry),
          connected: connected.get(n.id) ?? [],
          label: registry.get(n.type)?.label ?? labelOf(n.type),
        },
      };
      if (m) flowNode.measured = m;
      return flowNode;
    });
  }, [doc, selection, measured, registry]);

  const edges: Edge[] = useMemo(
    () =>
      doc.edges.map((e) => {
        const src = doc.nodes.find((n) => n.id === e.source);
        const payload: PayloadType | null | undefined =
          src &&
          (nodePorts(src, doc, registry).find((p) => p.handle === sourceHandle(doc, e))?.payload ?? null);
        const colour = payload ? PAYLOAD_COLOURS[payload] : '#9aa0a6';
        return {
          id: e.id,
          source: e.source,
          sourceHandle: sourceHandle(doc, e),
          target: e.target,
          targetHandle: e.kind === 'effect' ? `effect:${e.targetPort}` : `in:${e.targetPort}`,
          selected: selectedEdges.includes(e.id),
          style: {
            stroke: colour,
            strokeWidth: 1.6,
            strokeDasharray: e.kind === 'effect' || e.sourceIsProperty ? '5 4' : undefined,
          },
          ariaLabel: `edge ${e.source}.${e.sourcePort} to ${e.target}.${e.targetPort}`,
        } satisfies Edge;
      }),
    [doc, selectedEdges, registry],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<SparkFlowNode>[]) => {
      const positions: Record<string, Position> = {};
      let dragging = false;
      let finished = false;
      let sel: string[] | undefined;
      const dims: Record<string, { width: number; height: number }> = {};
      for (const c of changes) {
        if (c.type === 'position' && c.position) {
          positions[c.id] = c.position;
          if (c.dragging) dragging = true;
          else finished = true;
        } else if (c.type === 'position' && c.dragging === false) {
          finished = true;
        } else if (c.type === 'select') {
          sel ??= [...store.getState().selection];
          if (c.selected && !sel.includes(c.id)) sel.push(c.id);
          if (!c.selected) sel = sel.filter((x) => x !== c.id);
        } else if (c.type === 'dimensions' && c.dimensions) {
          dims[c.id] = c.dimensions;
        }
      }
      if (Object.keys(positions).length > 0) store.getState().moveNodes(positions, dragging && !finished);
      else if (finished) store.getState().moveNodes({}, false);
      if (sel) store.getState().select(sel, store.getState().selectedEdges);
      if (Object.keys(dims).length > 0) setMeasured((m) => ({ ...m, ...dims }));
    },
    [store],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      let sel: string[] | undefined;
      for (const c of changes) {
        if (c.type === 'select') {
          sel ??= [...store.getState().selectedEdges];
          if (c.selected && !sel.includes(c.id)) sel.push(c.id);
          if (!c.selected) sel = sel.filter((x) => x !== c.id);
        }
      }
      if (sel) store.getState().select(store.getState().selection, sel);
    },
    [store],
  );

  const onConnect = useCallback(
    (c: FlowConnection) => {
      store.getState().connect({
        source: c.source,
        sourceHandle: c.sourceHandle ?? '',
        target: c.target,
        targetHandle: c.targetHandle ?? '',
      });
    },
    [store],
  );

  const onPaneContextMenu = useCallback(
    (event: MouseEvent | React.MouseEvent) => {
      event.preventDefault();
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      openPalette?.(at);
    },
    [flow, openPalette],
  );

  useEffect(() => {
    if (props.onReady) props.onReady(flow);
  }, [flow, props.onReady]);

  // A new document (New, Open, Import, a neuron's inside) is shown whole once its nodes are measured;
  // an empty one at zoom 1.
  const docVersion = useEditor((s) => s.docVersion);
  const initialized = useNodesInitialized();
  const fitPending = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new document is the trigger
  useEffect(() => {
    fitPending.current = true;
  }, [docVersion]);
  useEffect(() => {
    if (!fitPending.current) return;
    if (doc.nodes.length === 0) {
      fitPending.current = false;
      void flow.setViewport({ x: 0, y: 0, zoom: 1 });
    } else if (initialized) {
      fitPending.current = false;
      void flow.fitView({ padding: 0.08, maxZoom: 1.25 });
    }
  }, [initialized, doc.nodes.length, flow]);
  const [dropping, setDropping] = useState(false);
  // Text stays readable when the view is zoomed out to show a large graph: below zoom 0.8 the node
  // text grows (up to 1.6×, in steps of 0.1) so that it keeps about its size on screen.
  const zoom = useFlowStore((s) => s.transform[2]);
  const textScale = Math.min(1.6, Math.max(1, Math.round((0.8 / zoom) * 10) / 10));

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target for files; every action also has a menu entry
    <div
      className={`spark-canvas ${props.className ?? ''}${dropping ? ' dropping' : ''}`}
      style={{ '--node-text-scale': textScale } as React.CSSProperties}
      ref={wrapper}
      data-testid="canvas"
      onDragOver={(e) => {
        if (!props.onDropFile || ![...e.dataTransfer.types].includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDropping(true);
      }}
      onDragLeave={() => setDropping(false)}
      onDrop={(e) => {
        const f = e.dataTransfer.files[0];
        setDropping(false);
        if (!props.onDropFile || !f) return;
        e.preventDefault();
        props.onDropFile(f);
      }}
    >
      {doc.nodes.length === 0 ? (
        <div className="spark-canvas-hint" data-testid="canvas-hint">
          <p>
            <strong>An empty canvas.</strong>
          </p>
          <p>
            Right-click or press <kbd>A</kbd> to add a module; drop a <code>.scfg</code> model or a{' '}
            <code>.sge</code> session here to open it.
          </p>
        </div>
      ) : null}
      <ReactFlow<SparkFlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onPaneContextMenu={onPaneContextMenu}
        deleteKeyCode={null}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        selectionKeyCode="Shift"
        minZoom={0.05}
        maxZoom={4}
        proOptions={{ hideAttribution: true }}
        colorMode="dark"
        onlyRenderVisibleElements
        ariaLabelConfig={{
          'node.a11yDescription.default':
            'Press Enter or Space to select a node, Delete to remove it, arrow keys to move it.',
        }}
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} aria-label="Canvas zoom controls" />
        {props.minimap === true ? <Minimap /> : null}
      </ReactFlow>
    </div>
  );
}

function Minimap(props: { className?: string }): ReactNode {
  return (
    <MiniMap
      pannable
      zoomable
      ariaLabel="Minimap"
      {...(props.className ? { className: props.className } : {})}
      nodeColor={(n) => miniColour((n as SparkFlowNode).data.node)}
    />
  );
}

/**
 * The canvas minimap, for a place outside the canvas where it hides no node (the studio puts it
 * under the node list). Must be inside the same {@link EditorProvider} as the canvas.
 */
export function CanvasMinimap(): ReactNode {
  return (
    <div className="spark-minimap-dock" data-testid="minimap">
      <Minimap className="spark-minimap" />
    </div>
  );
}

function miniColour(n: DocNode): string {
  if (n.kind === 'source') return '#81c995';
  if (n.kind === 'sink') return '#f28b82';
  if (n.kind === 'property') return '#c58af9';
  return n.subregistry === 'NEURONS' ? '#f5c542' : '#8ab4f8';
}

/** The graph canvas. Must be inside an {@link EditorProvider}. */
export function GraphCanvas(props: GraphCanvasProps): ReactNode {
  return <CanvasInner {...props} />;
}
