/**
 * Loads a model file that carries its custom modules and runs it — used to prove that a model file
 * is self-contained (a fresh process knows nothing of the definitions).
 *
 * Usage: node --import tsx src/custom-modules/load.ts MODEL.scfg [STEPS]
 */
import { readFileSync } from 'node:fs';
import { Brain, loadModel } from '@spark-snn/nn';

const [file, stepsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: load.ts MODEL.scfg [STEPS]');
  process.exit(2);
}
const steps = Number(stepsArg ?? 100);
const model = loadModel(new Uint8Array(readFileSync(file)));
const brain = await Brain.fromConfig(model.document, {
  backend: 'cpu',
  registry: model.registry,
  lowerings: model.lowerings,
  inputShapes: { rates: [20] },
});
const rates = Float32Array.from({ length: 20 }, (_, i) => (i + 1) / 20);
const rec = await brain.run({ steps, inputs: { rates }, record: ['pool.out_spikes'] });
const data = rec.series['pool.out_spikes']!.data;
const perUnit = Array.from({ length: 16 }, (_, i) => {
  let n = 0;
  for (let t = 0; t < steps; t++) n += data[t * 16 + i]!;
  return n;
});
console.log(JSON.stringify({ modules: model.modules.map((m) => m.name), steps, perUnit }));
brain.destroy();
