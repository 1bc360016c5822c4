/**
 * Spark tutorial #5, "Graph editor", in TypeScript: a model drawn in the editor (the studio) is
 * exported as a `.scfg` file; code loads that file and runs it. Custom neurons the file uses must be
 * registered first (ab_brain needs `alif_mod_neuron`). Input shapes come from the editor's I/O
 * nodes (`__graph_editor_metadata__`) unless given explicitly — Spark's own ab_brain.scfg saves
 * `signal` as shape [1] although the CartPole signal has 4 values, so the caller overrides it.
 *
 * @module
 */
import {
  type ConfigDocument,
  createRegistry,
  type Registry,
  readScfg,
  registerAlifModNeuron,
  validateDocument,
  writeScfg,
} from '@spark-snn/config';
import { type BackendChoice, CounterRng } from '@spark-snn/core';
import { Brain } from '@spark-snn/nn';

/** Shapes of the brain inputs as the editor's source nodes declare them. */
export function editorInputShapes(doc: ConfigDocument): Record<string, number[]> {
  const md = doc.config.__graph_editor_metadata__ as
    | Record<string, { type?: string; spec?: { __data__?: { shape?: number[] | null } } }>
    | undefined;
  const shapes: Record<string, number[]> = {};
  for (const [name, node] of Object.entries(md ?? {})) {
    const shape = node.spec?.__data__?.shape;
    if (node.type === 'source' && Array.isArray(shape)) shapes[name] = shape;
  }
  return shapes;
}

/** What loading and running a file gives. */
export interface GraphEditorResult {
  readonly provenance: string;
  readonly modules: string[];
  readonly inputs: Record<string, number[]>;
  readonly outputs: Record<string, number[]>;
  /** Spikes per spiking module over the run. */
  readonly spikes: Record<string, number>;
  readonly steps: number;
  readonly ms: number;
  readonly backend: string;
}

/**
 * Loads a `.scfg` (bytes), validates it, compiles it and runs it for `steps` steps with random
 * inputs in [0, 1) (the shapes from the editor nodes, overridden by `shapes`).
 */
export async function runScfg(
  bytes: Uint8Array,
  options: {
    steps?: number;
    backend?: BackendChoice;
    shapes?: Record<string, number[]>;
    registry?: Registry;
  } = {},
): Promise<GraphEditorResult> {
  const registry = options.registry ?? createRegistry();
  registerAlifModNeuron(registry); // harmless when the file does not use it
  const read = readScfg(bytes, { registry });
  if (!read.ok) throw new Error(read.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const problems = validateDocument(read.document, registry).filter((i) => i.severity === 'error');
  if (problems.length > 0) throw new Error(problems.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const inputs = { ...editorInputShapes(read.document), ...(options.shapes ?? {}) };
  const brain = await Brain.fromConfig(read.document, {
    backend: options.backend ?? 'cpu',
    registry,
    inputShapes: inputs,
  });
  const steps = options.steps ?? 100;
  const rng = new CounterRng(9);
  const streams: Record<string, Float32Array> = {};
  Object.entries(inputs).forEach(([name, shape], k) => {
    const n = shape.reduce((a, b) => a * b, 1);
    streams[name] = Float32Array.from({ length: n }, (_, i) => rng.uniform(k, 0, i));
  });
  const modules = (read.document.config.modules_specs as { name: string }[]).map((m) => m.name);
  const spiking = Object.keys(await brain.spikes());
  const spikePort = (m: string) =>
    brain.compiledBrain!.modules.get(m)!.outputs.spikes !== undefined ? `${m}.spikes` : `${m}.out_spikes`;
  const outNames = Object.keys(brain.compiledBrain!.outputs);
  const t0 = performance.now();
  const rec = await brain.run({
    steps,
    inputs: streams,
    record: [...spiking.map(spikePort), ...outNames],
  });
  const ms = performance.now() - t0;
  const spikes: Record<string, number> = {};
  for (const m of spiking) {
    const series = rec.series[spikePort(m)];
    spikes[m] = series ? series.data.reduce((a, v) => a + Math.abs(v), 0) : 0;
  }
  const outputs: Record<string, number[]> = {};
  for (const o of outNames) {
    const d = rec.series[o]!.data;
    const n = d.length / steps;
    outputs[o] = Array.from(d.slice((steps - 1) * n));
  }
  const backend = brain.backend?.kind ?? 'unknown';
  brain.destroy();
  return { provenance: read.document.provenance, modules, inputs, outputs, spikes, steps, ms, backend };
}

/** "Exports" a document the way the studio does (XZ-compressed `.scfg`). */
export function exportScfg(doc: ConfigDocument, registry?: Registry): Uint8Array {
  return writeScfg(doc, registry ? { registry } : {});
}
