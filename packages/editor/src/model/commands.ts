/**
 * Commands: pure functions `document → document` (the input is never mutated). The store applies
 * them and records history; tests call them directly.
 *
 * @module
 */
import type { Connection } from './ports.ts';
import { checkConnection, describeNode } from './ports.ts';
import type { EditorRegistry } from './registry.ts';
import type {
  DocEdge,
  DocNode,
  EditorDocument,
  FieldPath,
  IoSpec,
  Json,
  JsonObject,
  NodeKind,
  PayloadType,
  Position,
} from './types.ts';
import { cloneJson, formatPath, isObject, parsePath, randomSeed } from './types.ts';

/** Result of a command that may be refused. */
export type CommandResult<T = undefined> =
  | { ok: true; doc: EditorDocument; value: T; message?: string }
  | { ok: false; doc: EditorDocument; message: string };

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks a node name (it becomes a ModuleSpecs name or a controller port name). */
export function checkName(doc: EditorDocument, name: string, except?: string): string | undefined {
  if (!NAME_RE.test(name))
    return `The name "${name}" is not valid: use letters, digits and _ (not starting with a digit).`;
  if (name.startsWith('__')) return `The name "${name}" is reserved.`;
  if (doc.nodes.some((n) => n.id === name && n.id !== except)) return `The name "${name}" is already in use.`;
  return undefined;
}

/** `lif_neuron` → `LifNeuron` (Spark's node name prefix is the class name). */
export function className(type: string): string {
  return type
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** First free `<base>_<n>` name. */
export function uniqueName(doc: EditorDocument, base: string): string {
  const taken = new Set(doc.nodes.map((n) => n.id));
  for (let i = 1; ; i++) {
    const name = `${base}_${i}`;
    if (!taken.has(name)) return name;
  }
}

/** Room a node takes on the canvas when it is placed (about its box, with a gap). */
const PLACE = { width: 200, height: 110 } as const;

/**
 * `p`, or the first place to its right (then on the rows below) where a new node's box overlaps no
 * other node's, so new nodes never stack.
 */
export function freePosition(doc: EditorDocument, p: Position): Position {
  const taken = (q: Position) =>
    doc.nodes.some(
      (n) => Math.abs(n.position.x - q.x) < PLACE.width && Math.abs(n.position.y - q.y) < PLACE.height,
    );
  for (let i = 0; i < 400; i++) {
    const q = { x: p.x + (i % 4) * PLACE.width, y: p.y + Math.floor(i / 4) * PLACE.height };
    if (!taken(q)) return q;
  }
  return p;
}

function withDoc(doc: EditorDocument, patch: Partial<EditorDocument>): EditorDocument {
  return { ...doc, ...patch };
}

/** Adds a module node with the registry's default config. */
export function addModule(
  doc: EditorDocument,
  registry: EditorRegistry,
  type: string,
  position: Position,
  name?: string,
): CommandResult<DocNode> {
  const custom = doc.customNeurons[type];
  const desc = registry.get(type);
  if (!desc && !custom)
    return { ok: false, doc, message: `There is no module with name "${type}" in the registry.` };
  const id = name ?? uniqueName(doc, className(type));
  const bad = checkName(doc, id);
  if (bad) return { ok: false, doc, message: bad };
  let config = withDefaultUnits(
    desc ? desc.defaults() : { ...cloneJson(custom as JsonObject), seed: randomSeed() },
    type,
    registry,
  );
  const links = defaultLinks(config);
  const node: DocNode = {
    id,
    kind: 'module',
    type,
    subregistry: desc?.subregistry ?? 'NEURONS',
    config,
    position: freePosition(doc, position),
    ...(links.length > 0 ? { links } : {}),
  };
  // Spark links dt and units of a neuron's children from the start: the children take the neuron's values.
  for (const l of links)
    config = propagateLinks(node, config, parsePath(l), getAt(config, parsePath(l)) ?? null);
  node.config = config;
  return {
    ok: true,
    doc: withDoc(doc, { nodes: [...doc.nodes, node] }),
    value: node,
    message: `Node ${id} created.`,
  };
}

/**
 * Spark's editor creates nodes with `_create_partial(_s_units=(1,))`: every config level that has
 * a `units` field (the node itself and a neuron's components) starts with units `[1]`.
 */
export function withDefaultUnits(body: JsonObject, type: string, registry: EditorRegistry): JsonObject {
  const hasUnits = (t: string, b: JsonObject): boolean =>
    'units' in b || (registry.get(t)?.fields.some((f) => f.name === 'units') ?? false);
  const fill = (b: JsonObject, t: string): JsonObject => {
    const out: JsonObject = { ...b };
    if (
      hasUnits(t, b) &&
      (out.units === undefined || out.units === null || (Array.isArray(out.units) && out.units.length === 0))
    )
      out.units = [1];
    if (Array.isArray(out.modules_specs)) {
      out.modules_specs = out.modules_specs.map((s) => {
        if (!isObject(s) || !isObject(s.__data__)) return s;
        const d = s.__data__;
        const cls = isObject(d.module_cls) ? d.module_cls : {};
        const ct = typeof cls.__module_type__ === 'string' ? cls.__module_type__ : '';
        return isObject(d.config) ? { ...s, __data__: { ...d, config: fill(d.config, ct) } } : s;
      });
    }
    return out;
  };
  return fill(body, type);
}

const IO_DEFAULT: Record<Exclude<NodeKind, 'module'>, IoSpec> = {
  source: { payload: 'float_array', shape: [1], dtype: 'float16', description: 'Model input port.' },
  sink: { payload: null, shape: null, dtype: null, description: 'Model output port.' },
  property: { payload: 'boolean_mask', shape: null, dtype: null, description: 'Controller property.' },
};

/** Adds a Source, Sink or Property node. */
export function addIoNode(
  doc: EditorDocument,
  kind: Exclude<NodeKind, 'module'>,
  position: Position,
  name?: string,
): CommandResult<DocNode> {
  const base = kind === 'source' ? 'input' : kind === 'sink' ? 'output' : 'property';
  const id = name ?? uniqueName(doc, base);
  const bad = checkName(doc, id);
  if (bad) return { ok: false, doc, message: bad };
  const node: DocNode = {
    id,
    kind,
    type: '',
    config: {},
    position: freePosition(doc, position),
    spec: { ...IO_DEFAULT[kind] },
  };
  return {
    ok: true,
    doc: withDoc(doc, { nodes: [...doc.nodes, node] }),
    value: node,
    message: `Node ${id} created.`,
  };
}

/** Removes nodes and every edge touching them. */
export function removeNodes(doc: EditorDocument, ids: readonly string[]): EditorDocument {
  const gone = new Set(ids);
  return withDoc(doc, {
    nodes: doc.nodes.filter((n) => !gone.has(n.id)),
    edges: doc.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
  });
}

/** Removes edges. */
export function removeEdges(doc: EditorDocument, ids: readonly string[]): EditorDocument {
  const gone = new Set(ids);
  return withDoc(doc, { edges: doc.edges.filter((e) => !gone.has(e.id)) });
}

function adoptPayload(doc: EditorDocument, nodeId: string, payload: PayloadType | null): EditorDocument {
  return withDoc(doc, {
    nodes: doc.nodes.map((n) => (n.id === nodeId && n.spec ? { ...n, spec: { ...n.spec, payload } } : n)),
  });
}

/** Connects two ports following Spark's typing rules; refused connections return a message. */
export function connect(
  doc: EditorDocument,
  registry: EditorRegistry,
  c: Connection,
): CommandResult<DocEdge> {
  const check = checkConnection(doc, registry, c);
  if (!check.ok) return { ok: false, doc, message: check.message };
  let next = withDoc(doc, { edges: [...doc.edges, check.edge] });
  if (check.adopt && check.adopt.payload !== null)
    next = adoptPayload(next, check.adopt.node, check.adopt.payload);
  return { ok: true, doc: next, value: check.edge };
}

/** Moves nodes. */
export function moveNodes(
  doc: EditorDocument,
  positions: Readonly<Record<string, Position>>,
): EditorDocument {
  return withDoc(doc, {
    nodes: doc.nodes.map((n) => {
      const p = positions[n.id];
      return p ? { ...n, position: { x: p.x, y: p.y } } : n;
    }),
  });
}

/** Renames a node and every reference to it. */
export function renameNode(doc: EditorDocument, from: string, to: string): CommandResult {
  if (from === to) return { ok: true, doc, value: undefined };
  const bad = checkName(doc, to, from);
  if (bad) return { ok: false, doc, message: bad };
  if (!doc.nodes.some((n) => n.id === from))
    return { ok: false, doc, message: `There is no node "${from}".` };
  const edges = doc.edges.map((e) => {
    const source = e.source === from ? to : e.source;
    const target = e.target === from ? to : e.target;
    return { ...e, source, target, id: `${source}.${e.sourcePort}->${target}.${e.targetPort}` };
  });
  return {
    ok: true,
    doc: withDoc(doc, { nodes: doc.nodes.map((n) => (n.id === from ? { ...n, id: to } : n)), edges }),
    value: undefined,
    message: `Node ${from} renamed to ${to}.`,
  };
}

/** Reads a value at a path. */
export function getAt(root: Json | undefined, path: FieldPath): Json | undefined {
  let cur: Json | undefined = root;
  for (const key of path) {
    if (typeof key === 'number') cur = Array.isArray(cur) ? cur[key] : undefined;
    else cur = isObject(cur) ? cur[key] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Returns a copy of `root` with `value` written at `path` (intermediate containers are copied). */
export function setAt(root: JsonObject, path: FieldPath, value: Json): JsonObject {
  if (path.length === 0) return isObject(value) ? value : root;
  const write = (cur: Json | undefined, i: number): Json => {
    const key = path[i] as string | number;
    const last = i === path.length - 1;
    if (typeof key === 'number') {
      const arr = Array.isArray(cur) ? [...cur] : [];
      arr[key] = last ? value : write(arr[key], i + 1);
      return arr;
    }
    const obj: JsonObject = isObject(cur) ? { ...cur } : {};
    obj[key] = last ? value : write(obj[key], i + 1);
    return obj;
  };
  return write(root, 0) as JsonObject;
}

const RESERVED = new Set([
  '__config_delimiter__',
  '__shared_config_delimiter__',
  '__metadata__',
  '__graph_editor_metadata__',
  '__class_ref__',
]);

/** True for a nested typed config (`{"__type__": "x_config", "__cfg__": {…}}`). */
export function isTypedConfig(v: unknown): v is { __type__: string; __cfg__: JsonObject } {
  return isObject(v) && typeof v.__type__ === 'string' && isObject(v.__cfg__);
}

/** True for an initializer config value. */
export function isInitializer(v: unknown): boolean {
  return isTypedConfig(v) && /initializer_config$/.test(v.__type__);
}

/** The child config bodies of a config body, with their paths (initializers excluded). */
export function childConfigs(
  body: JsonObject,
): Array<{ path: (string | number)[]; body: JsonObject; name: string }> {
  const out: Array<{ path: (string | number)[]; body: JsonObject; name: string }> = [];
  for (const [k, v] of Object.entries(body)) {
    if (RESERVED.has(k)) continue;
    if (k === 'modules_specs' && Array.isArray(v)) {
      v.forEach((s, i) => {
        const d = isObject(s) && isObject(s.__data__) ? s.__data__ : undefined;
        if (d && isObject(d.config))
          out.push({
            path: ['modules_specs', i, '__data__', 'config'],
            body: d.config,
            name: typeof d.name === 'string' ? d.name : `#${i}`,
          });
      });
    } else if (isTypedConfig(v) && !isInitializer(v)) {
      out.push({ path: [k, '__cfg__'], body: v.__cfg__, name: k });
    }
  }
  return out;
}

/**
 * Paths (relative to `body`) of every descendant field named `name`: the targets of
 * "link similar child variables".
 */
export function similarChildFields(body: JsonObject, name: string): (string | number)[][] {
  const out: (string | number)[][] = [];
  for (const c of childConfigs(body)) {
    if (name in c.body) out.push([...c.path, name]);
    for (const p of similarChildFields(c.body, name)) out.push([...c.path, ...p]);
  }
  return out;
}

/** True when the field at `path` can link its children (never `seed`: every module keeps its own). */
export function canLink(config: JsonObject, path: FieldPath): boolean {
  const name = path[path.length - 1];
  if (typeof name !== 'string' || name === 'seed') return false;
  const parent = getAt(config, path.slice(0, -1));
  return isObject(parent) && similarChildFields(parent, name).length > 0;
}

/**
 * Fields Spark's inspector links when it opens a node (spark-reference §4.6): `dt` and `units`,
 * where some child config has the same field (a neuron's components).
 */
export const SPARK_DEFAULT_LINKS = ['dt', 'units'] as const;

/** The links a node starts with: {@link SPARK_DEFAULT_LINKS} that can link in `config`. */
export function defaultLinks(config: JsonObject): string[] {
  return SPARK_DEFAULT_LINKS.filter((k) => canLink(config, [k]));
}

/** True when `links` are the default ones of `config` (files then carry no link metadata). */
export function hasDefaultLinks(config: JsonObject, links: readonly string[]): boolean {
  const d = defaultLinks(config);
  return d.length === links.length && d.every((k) => links.includes(k));
}

/** Absolute paths of the fields that receive a linked field's value. */
export function linkTargets(config: JsonObject, path: FieldPath): (string | number)[][] {
  if (!canLink(config, path)) return [];
  const parentPath = path.slice(0, -1);
  const parent = getAt(config, parentPath) as JsonObject;
  return similarChildFields(parent, path[path.length - 1] as string).map((p) => [...parentPath, ...p]);
}

/** Fields of a node that are locked because a linked ancestor drives them (formatted paths). */
export function receivingFields(node: DocNode): Set<string> {
  const out = new Set<string>();
  for (const l of node.links ?? [])
    for (const p of linkTargets(node.config, parsePath(l))) out.add(formatPath(p));
  return out;
}

function propagateLinks(node: DocNode, config: JsonObject, path: FieldPath, value: Json): JsonObject {
  let next = config;
  const key = formatPath(path);
  if (!(node.links ?? []).includes(key)) return next;
  for (const p of linkTargets(next, path)) {
    next = setAt(next, p, cloneJson(value));
    // A receiving field may itself be linked further down.
    next = propagateLinks(node, next, p, value);
  }
  return next;
}

/**
 * Sets a config field of a module node (`nodeId`) or of the controller (`nodeId === null`).
 * A field linked with "link similar child variables" forwards the value to its children.
 */
export function setField(
  doc: EditorDocument,
  nodeId: string | null,
  path: FieldPath,
  value: Json,
): CommandResult {
  if (nodeId === null) {
    return {
      ok: true,
      doc: withDoc(doc, { controller: setAt(doc.controller, path, value) }),
      value: undefined,
    };
  }
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) return { ok: false, doc, message: `There is no node "${nodeId}".` };
  if (receivingFields(node).has(formatPath(path)))
    return {
      ok: false,
      doc,
      message: `${nodeId}: ${formatPath(path)} is linked to its parent field; unlink the parent to edit it.`,
    };
  let config = setAt(node.config, path, value);
  config = propagateLinks(node, config, path, value);
  return {
    ok: true,
    doc: withDoc(doc, { nodes: doc.nodes.map((n) => (n.id === nodeId ? { ...n, config } : n)) }),
    value: undefined,
  };
}

/** Turns "link similar child variables" on or off for a field; turning it on copies the value down. */
export function setLink(doc: EditorDocument, nodeId: string, path: FieldPath, on: boolean): CommandResult {
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) return { ok: false, doc, message: `There is no node "${nodeId}".` };
  const key = formatPath(path);
  if (on && !canLink(node.config, path))
    return {
      ok: false,
      doc,
      message:
        path[path.length - 1] === 'seed'
          ? 'Seeds are never linked: every module keeps its own.'
          : `${key} has no child field with the same name.`,
    };
  const links = new Set(node.links ?? []);
  if (on) links.add(key);
  else links.delete(key);
  const updated: DocNode = { ...node };
  // An empty list is kept where it differs from the default (all of a neuron's links turned off).
  if (links.size > 0 || defaultLinks(node.config).length > 0) updated.links = [...links].sort();
  else delete updated.links;
  if (on) updated.config = propagateLinks(updated, node.config, path, getAt(node.config, path) ?? null);
  return {
    ok: true,
    doc: withDoc(doc, { nodes: doc.nodes.map((n) => (n.id === nodeId ? updated : n)) }),
    value: undefined,
  };
}

/** Updates an I/O node's payload type, shape or dtype. */
export function setIoSpec(doc: EditorDocument, nodeId: string, spec: Partial<IoSpec>): CommandResult {
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node?.spec) return { ok: false, doc, message: `"${nodeId}" is not a source, sink or property node.` };
  const merged: IoSpec = { ...node.spec, ...spec };
  return {
    ok: true,
    doc: withDoc(doc, { nodes: doc.nodes.map((n) => (n.id === nodeId ? { ...n, spec: merged } : n)) }),
    value: undefined,
  };
}

/** Clipboard content: the selected nodes and the edges between them, as JSON. */
export interface Clipboard {
  format: 'spark-snn/editor-selection';
  version: 1;
  nodes: DocNode[];
  edges: DocEdge[];
}

/** Serialises the selected nodes (and the edges among them). */
export function copySelection(doc: EditorDocument, ids: readonly string[]): Clipboard {
  const set = new Set(ids);
  return {
    format: 'spark-snn/editor-selection',
    version: 1,
    nodes: cloneJson(doc.nodes.filter((n) => set.has(n.id))),
    edges: cloneJson(doc.edges.filter((e) => set.has(e.source) && set.has(e.target))),
  };
}

/** Parses clipboard text; undefined when it is not an editor selection. */
export function parseClipboard(text: string): Clipboard | undefined {
  try {
    const v: unknown = JSON.parse(text);
    if (
      isObject(v) &&
      v.format === 'spark-snn/editor-selection' &&
      Array.isArray(v.nodes) &&
      Array.isArray(v.edges)
    )
      return v as unknown as Clipboard;
  } catch {
    /* not JSON */
  }
  return undefined;
}

/**
 * Pastes a clipboard: nodes get fresh names where taken (`X` → `X_copy`, `X_copy_2`, …) and fresh
 * seeds, positions are shifted by `offset`. Returns the new node ids.
 */
export function paste(
  doc: EditorDocument,
  clip: Clipboard,
  offset: Position = { x: 40, y: 40 },
): CommandResult<string[]> {
  let next = doc;
  const rename = new Map<string, string>();
  const taken = new Set(doc.nodes.map((n) => n.id));
  const nodes: DocNode[] = [];
  for (const n of clip.nodes) {
    let id = n.id;
    if (taken.has(id)) {
      id = `${n.id}_copy`;
      for (let i = 2; taken.has(id); i++) id = `${n.id}_copy_${i}`;
    }
    taken.add(id);
    rename.set(n.id, id);
    const config = cloneJson(n.config);
    if (n.kind === 'module' && typeof config.seed === 'number') config.seed = randomSeed();
    const copy: DocNode = {
      ...cloneJson(n),
      id,
      config,
      position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
    };
    nodes.push(copy);
  }
  const edges: DocEdge[] = clip.edges.map((e) => {
    const source = rename.get(e.source) ?? e.source;
    const target = rename.get(e.target) ?? e.target;
    return { ...e, source, target, id: `${source}.${e.sourcePort}->${target}.${e.targetPort}` };
  });
  next = withDoc(next, { nodes: [...next.nodes, ...nodes], edges: [...next.edges, ...edges] });
  return { ok: true, doc: next, value: nodes.map((n) => n.id), message: `Pasted ${nodes.length} node(s).` };
}

/** Module nodes whose class is unknown to the registry and the document. */
export function unknownModules(doc: EditorDocument, registry: EditorRegistry): DocNode[] {
  return doc.nodes.filter((n) => n.kind === 'module' && !describeNode(n, doc, registry));
}
