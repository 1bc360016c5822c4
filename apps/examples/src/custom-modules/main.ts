/**
 * The custom-modules tutorial (docs/custom-modules.md) as one runnable program:
 * define a quadratic integrate-and-fire soma, a nearest-spike STDP rule and a rate-coded input,
 * wire them into a brain, run it on every backend available here, export it as one self-contained
 * `.scfg` file and load that file back.
 *
 * Usage: pnpm --filter @spark-snn/examples custom-modules [OUT_DIR]
 *        deno run -A apps/examples/src/custom-modules/main.ts [OUT_DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeScfg } from '@spark-snn/config';
import { attachModules, Brain, loadModel } from '@spark-snn/nn';
import { customBrain, registerCustomModules } from './network.ts';

const outDir = process.argv[2] ?? 'out';
const steps = 500;
const rates = Float32Array.from({ length: 20 }, (_, i) => (i + 1) / 20);

const setup = registerCustomModules();
console.log(`defined: ${setup.modules.map((m) => `${m.name} (${m.kind})`).join(', ')}`);

for (const backend of ['cpu', 'webgpu', 'gpujs'] as const) {
  try {
    const brain = await Brain.fromConfig(customBrain(setup), {
      backend,
      registry: setup.registry,
      lowerings: setup.lowerings,
      inputShapes: { rates: [20] },
    });
    const t0 = performance.now();
    const rec = await brain.run({ steps, inputs: { rates }, record: ['pool.out_spikes'] });
    const ms = performance.now() - t0;
    const total = rec.series['pool.out_spikes']!.data.reduce((a, b) => a + b, 0);
    console.log(
      `${backend.padEnd(6)} ${total} spikes in ${steps} steps (${(ms / steps).toFixed(3)} ms/step) — ${brain.backend?.reason}`,
    );
    brain.destroy();
  } catch (e) {
    console.log(
      `${backend.padEnd(6)} not available here: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
    );
  }
}

const doc = attachModules(customBrain(setup), setup.modules, {
  neurons: setup.neurons,
  registry: setup.registry,
});
mkdirSync(outDir, { recursive: true });
const file = join(outDir, 'custom-model.scfg');
writeFileSync(file, writeScfg(doc, { registry: setup.registry }));
const loaded = loadModel(new Uint8Array(writeScfg(doc, { registry: setup.registry })));
console.log(`wrote ${file}; it carries ${loaded.modules.length} module definitions and loads on its own`);
