/**
 * Writes examples/alif_mod_neuron.scfg (XZ, Spark's format) from examples/alif_mod_neuron.ts.
 * Run: `deno run --allow-read --allow-write scripts/gen-examples.ts` (from packages/config).
 */
import { alifModNeuronDocument } from '../examples/alif_mod_neuron.ts';
import { writeScfg } from '../src/index.ts';

declare const Deno: { writeFileSync(path: URL, data: Uint8Array): void };

Deno.writeFileSync(
  new URL('../examples/alif_mod_neuron.scfg', import.meta.url),
  writeScfg(alifModNeuronDocument()),
);
console.log('wrote examples/alif_mod_neuron.scfg');
