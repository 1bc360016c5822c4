/**
 * The editor document: a framework-free description of what is on the canvas.
 *
 * Module configs are kept in Spark's wire form (the `ConfigBody` JSON of a `.scfg` file, nested
 * typed configs as `{"__type__", "__cfg__"}`), so a file that is opened and exported again is
 * unchanged apart from what the user edited.
 *
 * @module
 */

import { defaultRegistry } from '@spark-snn/config';
import {
  PAYLOAD_TYPES as CORE_PAYLOAD_TYPES,
  PAYLOAD_REGISTRY_NAMES,
  PAYLOAD_TYPES_INFO,
  type PayloadRegistryName,
} from '@spark-snn/core';

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/**
 * Spark payload registry names (spark-reference §1.3.1), as the wire form writes them, plus `any` for
 * `SparkPayload`-typed ports: `@spark-snn/core`'s payload types under the names Spark's files use.
 */
export const PAYLOAD_TYPES: readonly PayloadType[] = [
  ...CORE_PAYLOAD_TYPES.flatMap((t) => (t === 'AnyPayload' ? [] : [PAYLOAD_REGISTRY_NAMES[t]])),
  'any',
];

/** A payload registry name (`spike_array`). `any` stands for Spark's abstract `SparkPayload`. */
export type PayloadType = PayloadRegistryName | 'any';

/** Human-readable payload class names, as Spark prints them in its messages (`SparkPayload` for `any`). */
export const PAYLOAD_CLASS_NAMES: Readonly<Record<PayloadType, string>> = Object.fromEntries(
  Object.values(PAYLOAD_TYPES_INFO).map((i) => [i.registryName ?? 'any', i.sparkClass]),
) as Record<PayloadType, string>;

/** True when `v` is one of {@link PAYLOAD_TYPES}. */
export function isPayloadType(v: unknown): v is PayloadType {
  return typeof v === 'string' && (PAYLOAD_TYPES as readonly string[]).includes(v);
}

/** Kind of node on the canvas. */
export type NodeKind = 'module' | 'source' | 'sink' | 'property';

/** Spark sub-registry of a module class. */
export type Subregistry = 'MODULES' | 'NEURONS';

/** Payload type, shape and dtype of a controller I/O node (Spark's `PortSpecs`). */
export interface IoSpec {
  payload: PayloadType | null;
  shape: number[] | null;
  dtype: string | null;
  description: string | null;
}

/** A 2-D canvas position. */
export interface Position {
  x: number;
  y: number;
}

/** One node of the document. */
export interface DocNode {
  /** Unique name: the ModuleSpecs name or the controller port name. */
  id: string;
  kind: NodeKind;
  /** Module registry name (`leaky_soma`, `alif_neuron`, …); empty for I/O nodes. */
  type: string;
  /** Module sub-registry; only for module nodes. */
  subregistry?: Subregistry;
  /** The module's config body in Spark's wire form (module nodes only; `{}` for I/O nodes). */
  config: JsonObject;
  position: Position;
  /** I/O node spec (source, sink and property nodes only). */
  spec?: IoSpec;
  /**
   * Fields that forward their value to every same-named child field ("link similar child
   * variables"). Paths in {@link FieldPath} string form.
   */
  links?: string[];
}

/** How an edge is used by the controller. */
export type EdgeKind = 'input' | 'effect';

/**
 * One edge. The order of the edges that enter one port is the PortMap order (the concatenation
 * order of a multi-source input).
 */
export interface DocEdge {
  id: string;
  source: string;
  /** Output (or property) port of the source node; `value` for I/O nodes. */
  sourcePort: string;
  /** True when the source port is a property (`PortMap.is_property`). */
  sourceIsProperty: boolean;
  target: string;
  /** Input (or settable property) port of the target node; `value` for sinks. */
  targetPort: string;
  kind: EdgeKind;
}

/** Editor mode: editing a Brain or the inside of a Neuron controller (a custom neuron). */
export type EditorMode = 'brain' | 'neuron';

/** The whole editor document. */
export interface EditorDocument {
  mode: EditorMode;
  /**
   * Controller fields other than `modules_specs` (seed, dt, and for neurons units and
   * inhibitory_rate), plus `__metadata__`, in Spark's wire form and field order.
   */
  controller: JsonObject;
  nodes: DocNode[];
  edges: DocEdge[];
  /**
   * Custom neurons saved from Neuron mode (registry name → neuron config body). They travel with
   * the session so a brain using them stays loadable.
   */
  customNeurons: Record<string, JsonObject>;
}

/** Console severity, as in Spark's editor console. */
export type LogLevel = 'info' | 'success' | 'warning' | 'error';

/** A problem or message attached to a place in the document. */
export interface Diagnostic {
  level: LogLevel;
  message: string;
  /** Node the message is about (clicking it selects the node). */
  nodeId?: string;
  /** Path in the node's config or in the controller config (`modules_specs[2].config.tau`). */
  path?: string;
}

/** A path into a config body: keys and list indices. */
export type FieldPath = ReadonlyArray<string | number>;

/** Formats a {@link FieldPath} as `a.b[2].c`. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? p : `.${p}`;
  }
  return out;
}

/** Parses a path written by {@link formatPath}. */
export function parsePath(text: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

/** True for a plain JSON object. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep copy of a JSON value. */
export function cloneJson<T>(v: T): T {
  return structuredClone(v);
}

/**
 * The marker `@spark-snn/config` writes into `__metadata__` of files made by spark-snn
 * (`PROVENANCE_KEY`, `FORMAT_NAME`, `FORMAT_VERSION`): such files get spark-snn's corrected
 * behaviour for Spark's documented quirks. Documents opened from Spark files keep their metadata.
 */
export const SPARK_SNN_MARKER: JsonObject = { spark_snn: { name: 'spark-snn', format_version: 1 } };

/** The default `@spark-snn/config` declares for a controller's field (`dt`, `inhibitory_rate`). */
function controllerDefault(controller: 'brain' | 'neuron', field: string): Json {
  return cloneJson(defaultRegistry.get(controller)?.fields.find((f) => f.name === field)?.default as Json);
}

/** An empty brain document (made by spark-snn: it carries the provenance marker). */
export function emptyDocument(mode: EditorMode = 'brain'): EditorDocument {
  const meta = (): JsonObject => cloneJson(SPARK_SNN_MARKER);
  const controller: JsonObject =
    mode === 'brain'
      ? { __metadata__: meta(), seed: randomSeed(), dt: controllerDefault('brain', 'dt') }
      : {
          __metadata__: meta(),
          seed: randomSeed(),
          dt: controllerDefault('neuron', 'dt'),
          units: [1],
          inhibitory_rate: controllerDefault('neuron', 'inhibitory_rate'),
        };
  return { mode, controller, nodes: [], edges: [], customNeurons: {} };
}

/** A random 31-bit seed (Spark draws seeds from os.urandom; files always store them). */
export function randomSeed(): number {
  const a = new Uint32Array(1);
  globalThis.crypto.getRandomValues(a);
  return (a[0] ?? 1) >>> 1;
}
