import {
  createBrainConfig,
  documentFromJson,
  FORMAT_NAME,
  FORMAT_VERSION,
  moduleSpecs,
  PROVENANCE_KEY,
} from '@spark-snn/config';
import { Brain } from '@spark-snn/nn';
import { describe, expect, it } from 'vitest';
import { createConfigRegistry, validateSparkJson } from '../../src/config-bridge.ts';
import { createEditorStore } from '../../src/model/store.ts';
import { SPARK_SNN_MARKER } from '../../src/model/types.ts';

const SEED = 1234;
const UNITS = 16;
const STEPS = 60;

/** The model as a new user builds it in the studio: source → Poisson spiker → LIF pool → sink. */
function buildInEditor() {
  const registry = createConfigRegistry();
  const store = createEditorStore({
    registry,
    validate: (j) => validateSparkJson(j),
    mirrorToConsole: false,
  });
  const s = store.getState();
  s.newDocument('brain');
  s.setField(null, ['seed'], SEED);
  s.addIoNode('source', { x: 0, y: 0 }, 'obs');
  s.addModule('poisson_spiker', { x: 200, y: 0 }, 'enc');
  s.addModule('lif_neuron', { x: 400, y: 0 }, 'pool');
  s.addIoNode('sink', { x: 600, y: 0 }, 'out');
  expect(
    s.connect({ source: 'obs', sourceHandle: 'out:value', target: 'enc', targetHandle: 'in:signal' }),
  ).toBe(true);
  expect(
    s.connect({ source: 'enc', sourceHandle: 'out:spikes', target: 'pool', targetHandle: 'in:in_spikes' }),
  ).toBe(true);
  expect(
    s.connect({ source: 'pool', sourceHandle: 'out:out_spikes', target: 'out', targetHandle: 'in:value' }),
  ).toBe(true);
  s.setIoSpec('obs', { shape: [8] });
  // Inspector edits: units linked to every component, each seed set by hand (seeds never link).
  s.setField('enc', ['seed'], SEED);
  s.setField('enc', ['max_freq'], 200);
  expect(s.setLink('pool', ['units'], true)).toBe(true);
  s.setField('pool', ['units'], [UNITS]);
  s.setField('pool', ['seed'], SEED);
  const pool = store.getState().doc.nodes.find((n) => n.id === 'pool');
  const specs = pool?.config.modules_specs as Array<{ __data__: { name: string } }>;
  specs.forEach((m, i) => {
    s.setField('pool', ['modules_specs', i, '__data__', 'config', 'seed'], SEED);
    if (m.__data__.name === 'synapses')
      s.setField('pool', ['modules_specs', i, '__data__', 'config', 'kernel', '__cfg__', 'scale'], 3000);
  });
  const r = store.getState().exportModel();
  expect(r.diagnostics.filter((d) => d.level === 'error').map((d) => d.message)).toEqual([]);
  if (!r.json) throw new Error('export failed');
  return r.json;
}

/** The same model written in code with the config package. */
function buildInCode() {
  const enc = moduleSpecs('enc', 'poisson_spiker', {
    inputs: { signal: ['__call__.obs'] },
    config: { seed: SEED, max_freq: 200 },
  });
  const pool = moduleSpecs('pool', 'lif_neuron', {
    inputs: { in_spikes: ['enc.spikes'] },
    config: { _s_units: [UNITS], _s_seed: SEED, synapses__kernel__scale: 3000 },
    outputs: { out: 'out_spikes' },
  });
  expect([...enc.issues, ...pool.issues].filter((i) => i.severity === 'error')).toEqual([]);
  return createBrainConfig([enc.specs, pool.specs], { seed: SEED, dt: 1 });
}

async function run(doc: Parameters<typeof Brain.fromConfig>[0]) {
  const brain = await Brain.fromConfig(doc, { backend: 'cpu', inputShapes: { obs: [8] } });
  const signal = new Float32Array(STEPS * 8);
  for (let t = 0; t < STEPS; t++)
    for (let i = 0; i < 8; i++) signal[t * 8 + i] = 0.5 + 0.5 * Math.sin(t / 5 + i);
  const rec = await brain.run({
    steps: STEPS,
    inputs: { obs: signal },
    record: ['enc.spikes', 'pool.out_spikes'],
  });
  brain.destroy();
  return rec.series;
}

describe('a model exported from the editor runs in nn as the same model built in code', () => {
  it('uses the provenance marker of @spark-snn/config', () => {
    expect(SPARK_SNN_MARKER).toEqual({
      [PROVENANCE_KEY]: { name: FORMAT_NAME, format_version: FORMAT_VERSION },
    });
  });

  it('gives identical spikes step by step on the cpu backend', async () => {
    const exported = buildInEditor();
    const fromEditor = documentFromJson(exported, {});
    if (!fromEditor.ok) throw new Error(JSON.stringify(fromEditor.issues));
    expect(fromEditor.document.provenance).toBe('spark-snn');
    const a = await run(fromEditor.document);
    const b = await run(buildInCode());
    expect(a['enc.spikes']?.data.reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
    expect(a['pool.out_spikes']?.data.reduce((x, y) => x + Math.abs(y), 0)).toBeGreaterThan(0);
    expect(Array.from(a['enc.spikes']?.data ?? [])).toEqual(Array.from(b['enc.spikes']?.data ?? []));
    expect(Array.from(a['pool.out_spikes']?.data ?? [])).toEqual(
      Array.from(b['pool.out_spikes']?.data ?? []),
    );
  }, 120_000);
});
