/**
 * Editor document ↔ Spark's `.scfg`/`.sge` JSON (spark-reference §3.3–3.4, §3.7, §4.7).
 *
 * Loading never throws: a broken or partial file still gives a document plus a list of problems.
 *
 * @module
 */

import { defaultLinks, hasDefaultLinks } from './commands.ts';
import { autoLayout } from './layout.ts';
import { describeNode, edgeId } from './ports.ts';
import type { EditorRegistry } from './registry.ts';
import type {
  DocEdge,
  DocNode,
  EditorDocument,
  IoSpec,
  Json,
  JsonObject,
  NodeKind,
  PayloadType,
  Position,
} from './types.ts';
import { cloneJson, type Diagnostic, isObject, isPayloadType } from './types.ts';

/** A short JSON rendering of a value for messages (`"oops"`, `{"a": 1, …}`). */
function short(v: unknown): string {
  const t = v === undefined ? 'nothing' : JSON.stringify(v);
  return t.length > 40 ? `${t.slice(0, 37)}…` : t;
}

/** Result of loading a Spark JSON document. */
export interface LoadResult {
  doc: EditorDocument;
  diagnostics: Diagnostic[];
}

const RESERVED = [
  '__config_delimiter__',
  '__shared_config_delimiter__',
  '__metadata__',
  '__graph_editor_metadata__',
];

function readSpec(v: unknown): IoSpec {
  const d = isObject(v) && isObject(v.__data__) ? v.__data__ : isObject(v) ? v : {};
  const pt = isObject(d.payload_type) ? d.payload_type.__payload_type__ : d.payload_type;
  const dt = isObject(d.dtype) ? d.dtype.name : d.dtype;
  return {
    payload: isPayloadType(pt) ? pt : null,
    shape: Array.isArray(d.shape) ? d.shape.filter((x): x is number => typeof x === 'number') : null,
    dtype: typeof dt === 'string' ? dt : null,
    description: typeof d.description === 'string' ? d.description : null,
  };
}

/** `PortSpecs` in wire form. */
export function writeSpec(s: IoSpec): JsonObject {
  return {
    __type__: 'port_specs',
    __data__: {
      payload_type: { __payload_type__: s.payload === 'any' ? null : s.payload },
      shape: s.shape,
      dtype: s.dtype === null ? null : { __type__: 'dtype', name: s.dtype },
      description: s.description,
    },
  };
}

function readPos(v: unknown): Position | undefined {
  if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'number') return { x: v[0], y: v[1] };
  return undefined;
}

interface PortMapJson {
  origin: string;
  port: string;
  isProperty: boolean;
}

function readPortMaps(list: unknown, path: string, diags: Diagnostic[], nodeId: string): PortMapJson[] {
  if (!Array.isArray(list)) {
    diags.push({
      level: 'error',
      message: `${short(list)} is not a list of connections: left out`,
      nodeId,
      path,
    });
    return [];
  }
  const out: PortMapJson[] = [];
  list.forEach((pm, i) => {
    const d = isObject(pm) && isObject(pm.__data__) ? pm.__data__ : isObject(pm) ? pm : undefined;
    if (!d || typeof d.origin !== 'string' || typeof d.port !== 'string') {
      diags.push({
        level: 'error',
        message: `connection ${i + 1} (${short(pm)}) is not a port map: left out`,
        nodeId,
        path: `${path}[${i}]`,
      });
      return;
    }
    out.push({ origin: d.origin, port: d.port, isProperty: d.is_property === true });
  });
  return out;
}

/**
 * Reads a Spark typed config (`{"__type__": "brain_config" | "neuron_config", "__cfg__": …}`, or
 * the `{"__version__", "__data__"}` envelope) into an editor document.
 */
export function documentFromSpark(json: unknown, registry: EditorRegistry): LoadResult {
  const diags: Diagnostic[] = [];
  let top = json;
  if (isObject(top) && '__version__' in top && '__data__' in top) {
    if (top.__version__ !== '1.0')
      diags.push({ level: 'warning', message: `Unknown file version "${String(top.__version__)}".` });
    top = top.__data__;
  }
  const type = isObject(top) ? top.__type__ : undefined;
  const cfg = isObject(top) && isObject(top.__cfg__) ? top.__cfg__ : undefined;
  const doc: EditorDocument = { mode: 'brain', controller: {}, nodes: [], edges: [], customNeurons: {} };
  if (!cfg) {
    diags.push({
      level: 'error',
      message: 'Not a Spark config file: expected {"__type__": …, "__cfg__": {…}}.',
    });
    return { doc, diagnostics: diags };
  }
  if (type === 'neuron_config') doc.mode = 'neuron';
  else if (type !== 'brain_config')
    diags.push({
      level: 'warning',
      message: `Top-level config is "${String(type)}"; opening it as a brain.`,
    });

  for (const [k, v] of Object.entries(cfg)) {
    if (
      k === 'modules_specs' ||
      k === '__graph_editor_metadata__' ||
      k === '__config_delimiter__' ||
      k === '__shared_config_delimiter__'
    )
      continue;
    doc.controller[k] = cloneJson(v);
  }
  const meta = isObject(cfg.__metadata__) ? cfg.__metadata__ : {};
  const custom = meta.spark_snn_custom_neurons;
  if (isObject(custom)) {
    for (const [k, v] of Object.entries(custom)) if (isObject(v)) doc.customNeurons[k] = cloneJson(v);
    const m = doc.controller.__metadata__;
    if (isObject(m)) delete m.spark_snn_custom_neurons;
  }

  // I/O nodes from the controller's editor metadata.
  const gem = isObject(cfg.__graph_editor_metadata__) ? cfg.__graph_editor_metadata__ : {};
  const ioNames = new Set<string>();
  for (const [name, entry] of Object.entries(gem)) {
    if (!isObject(entry)) continue;
    const kind = entry.type;
    if (kind !== 'source' && kind !== 'sink' && kind !== 'property') continue;
    const node: DocNode = {
      id: name,
      kind: kind as NodeKind,
      type: '',
      config: {},
      position: readPos(entry.pos) ?? { x: Number.NaN, y: Number.NaN },
      spec: readSpec(entry.spec),
    };
    doc.nodes.push(node);
    ioNames.add(name);
  }

  // Module nodes.
  const specs = Array.isArray(cfg.modules_specs) ? cfg.modules_specs : [];
  if (!Array.isArray(cfg.modules_specs))
    diags.push({
      level: doc.mode === 'brain' ? 'error' : 'warning',
      message:
        cfg.modules_specs === undefined
          ? 'the file has no modules_specs: no module was read'
          : `modules_specs is ${short(cfg.modules_specs)}, not a list of modules: no module was read`,
      path: 'modules_specs',
    });
  interface Pending {
    node: DocNode;
    index: number;
    inputs: Record<string, PortMapJson[]>;
    outputs: Record<string, string>;
    effects: Record<string, PortMapJson[]>;
  }
  const pending: Pending[] = [];
  specs.forEach((s, index) => {
    const path = `modules_specs[${index}]`;
    const d = isObject(s) && isObject(s.__data__) ? s.__data__ : undefined;
    if (!d || typeof d.name !== 'string' || d.name === '') {
      diags.push({
        level: 'error',
        message: `module ${index + 1} of modules_specs (${short(s)}) is not a module_specs entry with a name: it was left out`,
        path,
      });
      return;
    }
    const name = d.name;
    if (doc.nodes.some((n) => n.id === name)) {
      diags.push({
        level: 'error',
        message: `a second node named "${name}" was left out (the name is already in use)`,
        path: `${path}.name`,
      });
      return;
    }
    const cls = isObject(d.module_cls) ? d.module_cls : {};
    const typeName = typeof cls.__module_type__ === 'string' ? cls.__module_type__ : '';
    const sub = cls.__subregistry__ === 'NEURONS' ? 'NEURONS' : 'MODULES';
    const config = isObject(d.config) ? cloneJson(d.config) : {};
    if (!isObject(d.config))
      diags.push({
        level: 'warning',
        message: `${path}.config: missing; using an empty config.`,
        nodeId: name,
        path: `${path}.config`,
      });
    const nodeMeta = isObject(config.__graph_editor_metadata__) ? config.__graph_editor_metadata__ : {};
    // Without link metadata a node has Spark's default links (dt and units of a neuron's children).
    const links = Array.isArray(nodeMeta.spark_snn_links)
      ? nodeMeta.spark_snn_links.filter((x): x is string => typeof x === 'string')
      : defaultLinks(config);
    const position = readPos(nodeMeta.pos) ?? { x: Number.NaN, y: Number.NaN };
    // The position and links live on the node; they are written back on export.
    if (isObject(config.__graph_editor_metadata__)) {
      delete config.__graph_editor_metadata__.pos;
      delete config.__graph_editor_metadata__.spark_snn_links;
    }
    const node: DocNode = { id: name, kind: 'module', type: typeName, subregistry: sub, config, position };
    if (links.length > 0 || Array.isArray(nodeMeta.spark_snn_links)) node.links = links;
    if (!typeName)
      diags.push({
        level: 'error',
        message: `${path}.module_cls: missing module type.`,
        nodeId: name,
        path: `${path}.module_cls`,
      });
    doc.nodes.push(node);
    const inputs: Record<string, PortMapJson[]> = {};
    for (const [port, list] of Object.entries(isObject(d.inputs) ? d.inputs : {}))
      inputs[port] = readPortMaps(list, `${path}.inputs.${port}`, diags, name);
    const effects: Record<string, PortMapJson[]> = {};
    for (const [port, list] of Object.entries(isObject(d.effects) ? d.effects : {}))
      effects[port] = readPortMaps(list, `${path}.effects.${port}`, diags, name);
    const outputs: Record<string, string> = {};
    for (const [k, v] of Object.entries(isObject(d.outputs) ? d.outputs : {}))
      if (typeof v === 'string') outputs[k] = v;
    pending.push({ node, index, inputs, outputs, effects });
  });
  for (const p of pending) {
    if (p.node.type && !describeNode(p.node, doc, registry))
      diags.push({
        level: 'warning',
        message: `modules_specs[${p.index}]: "${p.node.type}" is not a registered module; its ports are taken from its connections.`,
        nodeId: p.node.id,
        path: `modules_specs[${p.index}].module_cls`,
      });
  }

  const ensureIo = (name: string, kind: NodeKind, payload: PayloadType | null): DocNode => {
    let n = doc.nodes.find((x) => x.id === name);
    if (!n) {
      n = {
        id: name,
        kind,
        type: '',
        config: {},
        position: { x: Number.NaN, y: Number.NaN },
        spec: { payload, shape: null, dtype: null, description: null },
      };
      doc.nodes.push(n);
    }
    return n;
  };
  const payloadOfInput = (node: DocNode, port: string): PayloadType | null => {
    const d = describeNode(node, doc, registry);
    return (
      d?.inputs.find((x) => x.name === port)?.payload ??
      d?.properties.find((x) => x.name === port)?.payload ??
      null
    );
  };
  const addEdge = (e: Omit<DocEdge, 'id'>): void => {
    const id = edgeId(e.source, e.sourcePort, e.target, e.targetPort);
    if (doc.edges.some((x) => x.id === id)) return;
    doc.edges.push({ id, ...e });
  };
  const moduleNames = new Set(pending.map((p) => p.node.id));
  for (const p of pending) {
    for (const [kind, maps] of [
      ['input', p.inputs],
      ['effect', p.effects],
    ] as const) {
      for (const [port, list] of Object.entries(maps)) {
        list.forEach((pm, i) => {
          const path = `modules_specs[${p.index}].${kind === 'input' ? 'inputs' : 'effects'}.${port}[${i}]`;
          if (pm.origin === '__call__') {
            ensureIo(pm.port, 'source', payloadOfInput(p.node, port));
            addEdge({
              source: pm.port,
              sourcePort: 'value',
              sourceIsProperty: false,
              target: p.node.id,
              targetPort: port,
              kind,
            });
          } else if (pm.origin === '__self__') {
            ensureIo(pm.port, 'property', 'boolean_mask');
            addEdge({
              source: pm.port,
              sourcePort: 'value',
              sourceIsProperty: true,
              target: p.node.id,
              targetPort: port,
              kind,
            });
          } else if (ioNames.has(pm.origin) && !moduleNames.has(pm.origin)) {
            // Session form: the PortMap names the editor's source/property node.
            addEdge({
              source: pm.origin,
              sourcePort: 'value',
              sourceIsProperty: pm.isProperty,
              target: p.node.id,
              targetPort: port,
              kind,
            });
          } else if (moduleNames.has(pm.origin)) {
            addEdge({
              source: pm.origin,
              sourcePort: pm.port,
              sourceIsProperty: pm.isProperty,
              target: p.node.id,
              targetPort: port,
              kind,
            });
          } else {
            diags.push({
              level: 'error',
              message: `the connection from "${pm.origin}" was left out: there is no module named "${pm.origin}"`,
              nodeId: p.node.id,
              path,
            });
          }
        });
      }
    }
    for (const [out, port] of Object.entries(p.outputs)) {
      const d = describeNode(p.node, doc, registry);
      const isProp = !!d?.properties.some((x) => x.name === port) && !d.outputs.some((x) => x.name === port);
      const payload =
        d?.outputs.find((x) => x.name === port)?.payload ??
        d?.properties.find((x) => x.name === port)?.payload ??
        null;
      const sink = ensureIo(out, 'sink', payload);
      if (doc.edges.some((e) => e.target === sink.id)) {
        diags.push({
          level: 'error',
          message: `modules_specs[${p.index}].outputs.${out}: controller output "${out}" is already produced by another module.`,
          nodeId: p.node.id,
          path: `modules_specs[${p.index}].outputs.${out}`,
        });
        continue;
      }
      addEdge({
        source: p.node.id,
        sourcePort: port,
        sourceIsProperty: isProp,
        target: out,
        targetPort: 'value',
        kind: 'input',
      });
    }
  }
  // Spark lays out a file whose nodes all lack positions (spring layout); we use the layered layout.
  if (doc.nodes.length > 0 && doc.nodes.every((n) => !Number.isFinite(n.position.x))) {
    const pos = autoLayout(doc);
    for (const n of doc.nodes) n.position = pos[n.id] ?? n.position;
  }
  placeUnpositioned(doc);
  return { doc, diagnostics: diags };
}

/** Gives nodes without a stored position a place on a grid (a layout can be run afterwards). */
export function placeUnpositioned(doc: EditorDocument): void {
  const missing = doc.nodes.filter((n) => !Number.isFinite(n.position.x) || !Number.isFinite(n.position.y));
  if (missing.length === 0) return;
  const placed = doc.nodes.filter((n) => !missing.includes(n));
  const maxY = placed.reduce((m, n) => Math.max(m, n.position.y), -Infinity);
  const y0 = Number.isFinite(maxY) ? maxY + 200 : 0;
  missing.forEach((n, i) => {
    n.position = { x: (i % 4) * 260, y: y0 + Math.floor(i / 4) * 180 };
  });
}

/** Options of {@link documentToSpark}. */
export interface ExportOptions {
  /**
   * Session form (`.sge`): source/property references keep the editor node name, and custom
   * neurons travel in `__metadata__`. Model form (default) writes `__call__` / `__self__`.
   */
  session?: boolean;
}

function portMap(origin: string, port: string, isProperty: boolean): JsonObject {
  return { __type__: 'port_map', __data__: { origin, port, is_property: isProperty } };
}

/** Writes the document as a Spark typed config (`brain_config` or `neuron_config`). */
export function documentToSpark(
  doc: EditorDocument,
  registry: EditorRegistry,
  options: ExportOptions = {},
): JsonObject {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const gem: JsonObject = {};
  for (const n of doc.nodes) {
    if (n.kind === 'module') continue;
    gem[n.id] = {
      type: n.kind,
      pos: [n.position.x, n.position.y],
      spec: writeSpec(n.spec ?? { payload: null, shape: null, dtype: null, description: null }),
    };
  }
  const origin = (e: DocEdge): JsonObject => {
    const src = byId.get(e.source);
    if (src?.kind === 'source')
      return options.session ? portMap(src.id, 'value', false) : portMap('__call__', src.id, false);
    if (src?.kind === 'property')
      return options.session ? portMap(src.id, 'value', true) : portMap('__self__', src.id, true);
    return portMap(e.source, e.sourcePort, e.sourceIsProperty);
  };
  const specs: Json[] = [];
  for (const n of doc.nodes) {
    if (n.kind !== 'module') continue;
    const desc = describeNode(n, doc, registry);
    const incoming = doc.edges.filter((e) => e.target === n.id);
    const group = (kind: 'input' | 'effect', order: string[]): JsonObject => {
      const out: JsonObject = {};
      const ports = [...order, ...incoming.filter((e) => e.kind === kind).map((e) => e.targetPort)];
      for (const port of ports) {
        if (port in out) continue;
        const list = incoming.filter((e) => e.kind === kind && e.targetPort === port);
        if (list.length > 0) out[port] = list.map(origin);
      }
      return out;
    };
    const outputs: JsonObject = {};
    for (const e of doc.edges)
      if (e.source === n.id && byId.get(e.target)?.kind === 'sink') outputs[e.target] = e.sourcePort;
    const config = cloneJson(n.config);
    const meta = isObject(config.__graph_editor_metadata__) ? config.__graph_editor_metadata__ : {};
    meta.pos = [n.position.x, n.position.y];
    if (n.links && !hasDefaultLinks(n.config, n.links)) meta.spark_snn_links = [...n.links];
    else delete meta.spark_snn_links;
    config.__graph_editor_metadata__ = meta;
    specs.push({
      __type__: 'module_specs',
      __data__: {
        name: n.id,
        module_cls: { __module_type__: n.type, __subregistry__: n.subregistry ?? 'MODULES' },
        inputs: group('input', desc?.inputs.map((p) => p.name) ?? []),
        config,
        outputs,
        effects: group('effect', desc?.properties.filter((p) => p.settable).map((p) => p.name) ?? []),
      },
    });
  }
  const body: JsonObject = {
    __config_delimiter__: '__',
    __shared_config_delimiter__: '_s_',
    __metadata__: isObject(doc.controller.__metadata__) ? cloneJson(doc.controller.__metadata__) : {},
    __graph_editor_metadata__: gem,
    modules_specs: specs,
  };
  for (const [k, v] of Object.entries(doc.controller)) if (!RESERVED.includes(k)) body[k] = cloneJson(v);
  if (options.session && Object.keys(doc.customNeurons).length > 0) {
    const m = body.__metadata__ as JsonObject;
    m.spark_snn_custom_neurons = cloneJson(doc.customNeurons);
  }
  return { __type__: doc.mode === 'neuron' ? 'neuron_config' : 'brain_config', __cfg__: body };
}

/** Python-style `json.dump(indent=4)` text (what Spark writes). */
export function toSparkJsonText(json: Json): string {
  return JSON.stringify(json, null, 4);
}
