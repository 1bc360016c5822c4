/**
 * The Spark tutorials re-told in TypeScript, one command each.
 *
 * Usage: pnpm --filter @spark-snn/examples tutorial <name> [--backend cpu|webgpu|gpujs|auto]
 *        pnpm --filter @spark-snn/examples tutorial graph-editor [FILE.scfg] [--input name=4 ...]
 *        deno run -A apps/examples/src/tutorials/main.ts <name> [...]
 * names: modules-components, neurons, brains, execution, graph-editor, all
 */
import { readFileSync } from 'node:fs';
import type { BackendChoice } from '@spark-snn/core';
import { brains, RASTER_PORTS, textRaster } from './brains.ts';
import { execution } from './execution.ts';
import { exportScfg, runScfg } from './graph-editor.ts';
import { modulesAndComponents } from './modules-components.ts';
import { neurons } from './neurons.ts';

const NAMES = ['modules-components', 'neurons', 'brains', 'execution', 'graph-editor'] as const;
type Name = (typeof NAMES)[number];

const argv = process.argv.slice(2);
const name = argv.shift() ?? 'all';
let backend: BackendChoice = 'cpu';
let file: string | undefined;
const shapes: Record<string, number[]> = {};
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  if (a === '--backend') backend = argv[++i] as BackendChoice;
  else if (a === '--input') {
    const [k, v] = (argv[++i] ?? '').split('=');
    if (!k || !v) throw new Error('--input: expected name=size (e.g. signal=4)');
    shapes[k] = v.split('x').map(Number);
  } else if (!a.startsWith('--')) file = a;
  else throw new Error(`unknown flag ${a}`);
}
if (name !== 'all' && !NAMES.includes(name as Name))
  throw new Error(`unknown tutorial "${name}" (one of ${NAMES.join(', ')}, all)`);

const fmt = (xs: ArrayLike<number>, digits = 2) => Array.from(xs, (x) => x.toFixed(digits)).join(', ');

async function run(which: Name): Promise<void> {
  console.log(`\n=== ${which} (${backend}) ===`);
  switch (which) {
    case 'modules-components': {
      const r = await modulesAndComponents({ backend });
      console.log(`LeakySoma, currents 0/100/400: ${r.somaSpikes.join('/')} spikes in 100 steps`);
      console.log(`  potential at steps 1..5 of unit 2: ${fmt(r.potential.slice(0, 5).map((p) => p[2]!))}`);
      console.log(
        `PoissonSpiker, rates 0/0.25/0.5/1 of 200 Hz: ${r.poissonSpikes.join('/')} spikes in 100 ms`,
      );
      console.log(
        `TracedSynapses, kernel ${r.kernelShape.join('×')}: last currents ${fmt(r.currents.at(-1)!)}`,
      );
      break;
    }
    case 'neurons': {
      const r = await neurons({ backend });
      console.log(`ALIFNeuron ${r.units} units ← ${r.inputs} Poisson inputs, 200 steps`);
      console.log(
        `  spikes per unit: ${r.spikesPerUnit.join(' ')}; inhibitory units: ${r.inhibitoryUnits.join(' ') || 'none fired'}`,
      );
      console.log(`  ${r.msPerStep.toFixed(3)} ms per controller call`);
      for (let u = 0; u < r.units; u++)
        console.log(
          `  ${String(u).padStart(2)} ${r.raster
            .map((row) => (row.includes(u) ? '|' : ' '))
            .join('')
            .slice(0, 100)}`,
        );
      break;
    }
    case 'brains': {
      const r = await brains({ backend });
      console.log(
        `PoissonSpiker 64 → ALIF 256 → ALIF 128 (recurrent) → integrator 3, ${r.steps} steps on ${r.backend} in ${r.ms.toFixed(0)} ms`,
      );
      for (const p of RASTER_PORTS) {
        const s = r.raster[p];
        const n = s.data.reduce((a, v) => a + Math.abs(v), 0);
        console.log(`${p} (${s.size} units, ${n} spikes; '.' excitatory, '#' dense, '-' inhibitory)`);
        for (const line of textRaster(s, r.steps)) console.log(`  |${line}|`);
      }
      console.log(`action probabilities at the last step: ${fmt(r.actionProbabilities.slice(-3), 3)}`);
      console.log(`read_state of the last step equals the recording: ${r.lastStepMatches}`);
      break;
    }
    case 'execution': {
      const r = await execution({ backend });
      console.log(`split(): ${r.stateLeaves} state leaves (${r.samplePaths.join(', ')}, …)`);
      console.log(`merge(state) replays the next 45 steps exactly: ${r.replayAfterMerge}`);
      console.log(
        `loadCheckpoint(${r.checkpointBytes} bytes) replays them exactly: ${r.replayAfterCheckpoint}`,
      );
      console.log(
        `reset() replays the first 45 steps exactly: ${r.replayAfterReset} (${r.spikes} spikes per window)`,
      );
      console.log(
        `one call per step: ${r.msPerStepSingle.toFixed(3)} ms/step; one call for 450 steps: ${r.msPerStepBatched.toFixed(3)} ms/step`,
      );
      break;
    }
    case 'graph-editor': {
      let bytes: Uint8Array;
      let what: string;
      if (file) {
        bytes = new Uint8Array(readFileSync(file));
        what = file;
      } else {
        // No file given: the bundled ab_brain.scfg (drawn in Spark's editor), signal of 4 values.
        bytes = new Uint8Array(readFileSync(new URL('../../assets/ab_brain.scfg', import.meta.url)));
        what = 'assets/ab_brain.scfg';
        shapes.signal ??= [4];
      }
      const r = await runScfg(bytes, { backend, shapes, steps: 100 });
      console.log(`${what}: ${r.provenance} file, modules ${r.modules.join(', ')}`);
      console.log(
        `  inputs ${Object.entries(r.inputs)
          .map(([k, v]) => `${k}[${v}]`)
          .join(' ')}; ${r.steps} steps on ${r.backend} in ${r.ms.toFixed(0)} ms`,
      );
      console.log(
        `  spikes: ${Object.entries(r.spikes)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
      console.log(
        `  outputs: ${Object.entries(r.outputs)
          .map(([k, v]) => `${k} [${fmt(v, 3)}]`)
          .join(' ')}`,
      );
      // A model exported by spark-snn (as the studio does) loads the same way.
      const { brainsTutorialConfig } = await import('./brains.ts');
      const own = await runScfg(exportScfg(brainsTutorialConfig()), {
        backend,
        shapes: { signal: [64] },
        steps: 100,
      });
      console.log(
        `brains tutorial exported as .scfg and loaded back: ${own.provenance} file, spikes ${Object.entries(
          own.spikes,
        )
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
      break;
    }
  }
}

for (const n of name === 'all' ? NAMES : [name as Name]) await run(n);
