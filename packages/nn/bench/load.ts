/**
 * ab_brain load benchmark (issue 16, item 6): from the bytes of a file to the first step done, on
 * cpu, in a fresh Node process each time (nothing cached) — from Spark's `.scfg` (the CartPole
 * brain, `alif_mod_neuron` registered first; kernels and delays drawn) and from the golden's
 * explicit-array document (`brain_ab_float32.json`). Runs alternate between the two sources; the
 * figures are medians of process CPU time (user + system) and wall time.
 *
 * Usage: pnpm --filter @spark-snn/nn exec node --import tsx bench/load.ts [--runs 7]
 * One child: `node --import tsx bench/load.ts --child scfg|golden` prints one JSON line.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type ConfigDocument,
  defaultRegistry,
  documentFromJson,
  readScfg,
  registerNeuronFromConfigFile,
} from '@spark-snn/config';
import { Brain } from '../src/brain.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, child: { type: 'string' } },
});

interface Phase {
  cpuMs: number;
  wallMs: number;
}
interface ChildResult {
  source: string;
  /** Bytes → document (decompress/parse, decode, registry). */
  read: Phase;
  /** Document → brain built (validation, compile, backend load). */
  build: Phase;
  /** The first step. */
  firstStep: Phase;
  /** Everything: bytes → first step done. */
  total: Phase;
}

function clock() {
  const c = process.cpuUsage();
  const w = performance.now();
  return (): Phase => {
    const d = process.cpuUsage(c);
    return { cpuMs: (d.user + d.system) / 1000, wallMs: performance.now() - w };
  };
}

async function child(source: 'scfg' | 'golden'): Promise<ChildResult> {
  const neuronBytes = new Uint8Array(readFileSync(join(here, '../../config/examples/alif_mod_neuron.scfg')));
  const bytes =
    source === 'scfg'
      ? new Uint8Array(readFileSync(join(here, '../../../fixtures/spark/ab_brain.scfg')))
      : readFileSync(join(here, '../../../fixtures/spark-golden/brain_ab_float32.json'), 'utf8');
  const total = clock();
  const read = clock();
  const registry = defaultRegistry.clone();
  registerNeuronFromConfigFile('ALIFModNeuron', neuronBytes, registry);
  let doc: ConfigDocument;
  if (typeof bytes === 'string') {
    const r = documentFromJson((JSON.parse(bytes) as { config: unknown }).config, { registry });
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
    doc = r.document;
  } else {
    const r = readScfg(bytes, { registry });
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
    doc = r.document;
  }
  const readPhase = read();
  const build = clock();
  const brain = await Brain.fromConfig(doc, {
    backend: 'cpu',
    registry,
    inputShapes: { signal: [4], mod_a_ex: [1], mod_b_ex: [1], mod_a_in: [1], mod_b_in: [1] },
  });
  const buildPhase = build();
  const first = clock();
  await brain.step({
    signal: [0.1, -0.2, 0.3, 0],
    mod_a_ex: [0],
    mod_b_ex: [0],
    mod_a_in: [0],
    mod_b_in: [0],
  });
  const firstPhase = first();
  const all = total();
  brain.destroy();
  return { source, read: readPhase, build: buildPhase, firstStep: firstPhase, total: all };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

if (values.child === 'scfg' || values.child === 'golden') {
  console.log(JSON.stringify(await child(values.child)));
} else {
  const runs = Number(values.runs);
  const results: ChildResult[] = [];
  const load0 = loadavg()[0];
  for (let r = 0; r < runs; r++) {
    for (const source of ['scfg', 'golden']) {
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', source],
        {
          encoding: 'utf8',
        },
      );
      results.push(JSON.parse(out.trim().split('\n').at(-1) as string) as ChildResult);
    }
  }
  const load1 = loadavg()[0];
  console.log(
    `ab_brain load → first step on cpu, Node ${process.version}, ${runs} fresh processes per source (interleaved), load average ${load0?.toFixed(1)} → ${load1?.toFixed(1)}; medians, ms`,
  );
  console.log('| source | read CPU | build CPU | first step CPU | total CPU | total wall |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const source of ['scfg', 'golden']) {
    const rs = results.filter((r) => r.source === source);
    const m = (f: (r: ChildResult) => number) => median(rs.map(f)).toFixed(0);
    console.log(
      `| ${source === 'scfg' ? 'ab_brain.scfg' : 'brain_ab_float32.json'} | ${m((r) => r.read.cpuMs)} | ${m((r) => r.build.cpuMs)} | ${m((r) => r.firstStep.cpuMs)} | ${m((r) => r.total.cpuMs)} | ${m((r) => r.total.wallMs)} |`,
    );
  }
}
