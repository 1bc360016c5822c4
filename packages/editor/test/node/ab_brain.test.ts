import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fixturePath } from '@spark-snn/testing/fixtures';
import { describe, expect, it } from 'vitest';
import {
  createConfigRegistry,
  readSparkFile,
  validateSparkJson,
  writeSparkFile,
} from '../../src/config-bridge.ts';
import { documentFromSpark, documentToSpark } from '../../src/model/spark-json.ts';
import { createEditorStore } from '../../src/model/store.ts';

const FIXTURE = fixturePath('spark/ab_brain.scfg');
const STUDIO_COPY = fileURLToPath(
  new URL('../../../../apps/studio/public/examples/ab_brain.scfg', import.meta.url),
);
const SHA = '88828fa41c0aba73939e30ea219cdc4ec186ab234835656fbff14482d26a4aed';

function load(path: string) {
  const bytes = readFileSync(path);
  const r = readSparkFile(new Uint8Array(bytes));
  if (!r.ok) throw new Error(r.message);
  return { bytes, json: r.json };
}

describe('ab_brain.scfg', () => {
  it('the fixture and the studio example copy are byte-exact', () => {
    for (const p of [FIXTURE, STUDIO_COPY])
      expect(createHash('sha256').update(readFileSync(p)).digest('hex')).toBe(SHA);
  });

  const registry = createConfigRegistry();

  it('opens with its 6 modules, 6 I/O nodes and the right wiring', () => {
    const { json } = load(FIXTURE);
    const { doc, diagnostics } = documentFromSpark(json, registry);
    expect(diagnostics.filter((d) => d.level === 'error')).toEqual([]);
    const modules = doc.nodes.filter((n) => n.kind === 'module');
    expect(modules.map((n) => `${n.id}:${n.type}`)).toEqual([
      'A_excitatory:alif_mod_neuron',
      'B_excitatory:alif_mod_neuron',
      'A_inhibitory:alif_mod_neuron',
      'B_inhibitory:alif_mod_neuron',
      'spiker:topological_linear_spiker',
      'integrator:exponential_integrator',
    ]);
    expect(
      doc.nodes
        .filter((n) => n.kind === 'source')
        .map((n) => n.id)
        .sort(),
    ).toEqual(['mod_a_ex', 'mod_a_in', 'mod_b_ex', 'mod_b_in', 'signal'].sort());
    expect(doc.nodes.filter((n) => n.kind === 'sink').map((n) => n.id)).toEqual(['action']);
    const into = (id: string, port: string) =>
      doc.edges.filter((e) => e.target === id && e.targetPort === port).map((e) => e.source);
    expect(into('A_excitatory', 'in_spikes')).toEqual(['spiker', 'A_excitatory', 'B_inhibitory']);
    expect(into('B_excitatory', 'in_spikes')).toEqual(['spiker', 'B_excitatory', 'A_inhibitory']);
    expect(into('A_inhibitory', 'in_spikes')).toEqual(['A_excitatory', 'spiker']);
    expect(into('B_inhibitory', 'in_spikes')).toEqual(['B_excitatory', 'spiker']);
    expect(into('A_excitatory', 'modulation')).toEqual(['mod_a_ex']);
    expect(into('spiker', 'signal')).toEqual(['signal']);
    expect(into('integrator', 'spikes')).toEqual(['A_excitatory', 'B_excitatory']);
    expect(into('action', 'value')).toEqual(['integrator']);
    expect(doc.edges).toHaveLength(18);
  });

  it('exports back to an equivalent file (same JSON value)', () => {
    const { json } = load(FIXTURE);
    const { doc } = documentFromSpark(json, registry);
    const out = documentToSpark(doc, registry);
    expect(out).toEqual(json);
    // and through the compressed container
    const again = readSparkFile(writeSparkFile(out));
    expect(again.ok && again.json).toEqual(json);
  });

  it('exports through the store with full config validation', () => {
    const { json } = load(FIXTURE);
    const s = createEditorStore({ registry, validate: (j) => validateSparkJson(j), mirrorToConsole: false });
    s.getState().load(json, { fileName: 'ab_brain.scfg', kind: 'model' });
    const r = s.getState().exportModel();
    const errors = r.diagnostics.filter((d) => d.level === 'error');
    // Report config problems in the failure message if any.
    expect(errors.map((d) => d.message)).toEqual([]);
    expect(r.json).toEqual(json);
  });
});
