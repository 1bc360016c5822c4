/**
 * Neuron mode: editing the inside of a Neuron controller and saving it as a custom neuron.
 *
 * @module
 */
import type { EditorRegistry } from './registry.ts';
import type { LoadResult } from './spark-json.ts';
import { documentFromSpark, documentToSpark } from './spark-json.ts';
import type { DocNode, EditorDocument, JsonObject } from './types.ts';
import { isObject } from './types.ts';

/** True when a node is a neuron controller whose inside can be edited. */
export function isNeuronNode(node: DocNode | undefined): boolean {
  return (
    node?.kind === 'module' && node.subregistry === 'NEURONS' && Array.isArray(node.config.modules_specs)
  );
}

/** The document of a neuron node's inside (Neuron mode). */
export function neuronDocument(
  node: DocNode,
  registry: EditorRegistry,
  customNeurons: Record<string, JsonObject> = {},
): LoadResult {
  const r = documentFromSpark({ __type__: 'neuron_config', __cfg__: node.config }, registry);
  r.doc.customNeurons = { ...customNeurons };
  return r;
}

/** The neuron config body (model form) of a Neuron-mode document. */
export function neuronConfigBody(doc: EditorDocument, registry: EditorRegistry): JsonObject {
  const json = documentToSpark({ ...doc, mode: 'neuron' }, registry);
  return isObject(json.__cfg__) ? json.__cfg__ : {};
}

/** `ALIFMod` / `alif mod` → `alif_mod_neuron` (Spark's registry name normalisation). */
export function neuronRegistryName(name: string): string {
  const snake = name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
  return snake.endsWith('_neuron') ? snake : `${snake}_neuron`;
}
