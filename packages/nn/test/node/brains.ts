/**
 * The CartPole brain of the Spark goldens for Node-only tests, read through the shared fixture loader
 * (`@spark-snn/testing/fixtures`): the registry with its custom neuron and the golden run's document.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ConfigBody,
  type ConfigDocument,
  defaultRegistry,
  documentFromJson,
  type ModuleSpecs,
  type Registry,
  registerNeuronFromConfigFile,
} from '@spark-snn/config';
import { golden, REPO_DIR } from '@spark-snn/testing/fixtures';

/** A registry with the CartPole brain's custom `alif_mod_neuron` registered (Spark's tutorial step 1). */
export function cartpoleRegistry(): Registry {
  const registry = defaultRegistry.clone();
  const bytes = readFileSync(join(REPO_DIR, 'packages', 'config', 'examples', 'alif_mod_neuron.scfg'));
  const r = registerNeuronFromConfigFile('ALIFModNeuron', new Uint8Array(bytes), registry);
  if (!r.ok) throw new Error(`cannot register alif_mod_neuron: ${r.issues.map((i) => i.message).join('; ')}`);
  return registry;
}

/** The frozen ab_brain config of the golden run, as a document. */
export function goldenBrainDocument(registry: Registry): ConfigDocument {
  const g = golden<{ config: unknown }>('brain_ab_float32.json');
  const r = documentFromJson(g.config, { registry });
  if (!r.ok)
    throw new Error(
      `cannot read the golden brain: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  return r.document;
}

/** Sets `dtype: float16` (Spark's default) on every module that has a dtype, children included. */
function toFloat16(modules: ModuleSpecs[]): void {
  for (const m of modules) {
    const c = m.config as ConfigBody;
    if ('dtype' in c) c.dtype = 'float16';
    if (Array.isArray(c.modules_specs)) toFloat16(c.modules_specs as ModuleSpecs[]);
  }
}

/** The golden brain's document with every module in float16 (as `ab_brain.scfg` ships). */
export function goldenBrainDocumentFloat16(registry: Registry): ConfigDocument {
  const doc = goldenBrainDocument(registry);
  toFloat16(doc.config.modules_specs as ModuleSpecs[]);
  return doc;
}
