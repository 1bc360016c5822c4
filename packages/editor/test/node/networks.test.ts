// The benchmark network files of apps/examples/networks open in the editor like any .scfg: no error
// diagnostics, the agreed modules and wires, and export back to the same JSON value (plus the node
// positions the editor lays out).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createConfigRegistry, readSparkFile, validateSparkJson } from '../../src/config-bridge.ts';
import { documentFromSpark, documentToSpark } from '../../src/model/spark-json.ts';
import { createEditorStore } from '../../src/model/store.ts';

const dir = (name: string) =>
  fileURLToPath(new URL(`../../../../apps/examples/networks/${name}.scfg`, import.meta.url));

/** The JSON without `__graph_editor_metadata__` (the editor adds node positions the files lack). */
function withoutLayout(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutLayout);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => k !== '__graph_editor_metadata__')
      .map(([k, x]) => [k, withoutLayout(x)]),
  );
}

describe('benchmark network files in the editor', () => {
  const registry = createConfigRegistry();
  for (const [name, soma, extra] of [
    ['cuba', 'cuba_lif', []],
    ['coba', 'coba_lif', []],
    ['brunel', 'brunel_lif', ['drive:poisson_drive']],
  ] as const) {
    it(`${name}.scfg opens with its modules and wires, validates, and exports to the same JSON (plus node positions)`, () => {
      const r = readSparkFile(new Uint8Array(readFileSync(dir(name))));
      if (!r.ok) throw new Error(r.message);
      const { doc, diagnostics } = documentFromSpark(r.json, registry);
      expect(diagnostics.filter((d) => d.level === 'error')).toEqual([]);
      expect(
        doc.nodes
          .filter((n) => n.kind === 'module')
          .map((n) => `${n.id}:${n.type}`)
          .sort(),
      ).toEqual([`neurons:${soma}`, 'exc:sparse_synapses', 'inh:sparse_synapses', ...extra].sort());
      const into = (id: string, port: string) =>
        doc.edges.filter((e) => e.target === id && e.targetPort === port).map((e) => e.source);
      expect(into('exc', 'spikes')).toEqual(['neurons']);
      expect(into('inh', 'spikes')).toEqual(['neurons']);
      if (name === 'brunel') {
        expect(into('neurons', 'current')).toEqual(['exc', 'inh']);
        expect(into('neurons', 'external')).toEqual(['drive']);
      } else {
        expect(into('neurons', 'exc')).toEqual(['exc']);
        expect(into('neurons', 'inh')).toEqual(['inh']);
      }
      expect(withoutLayout(documentToSpark(doc, registry))).toEqual(withoutLayout(r.json));
      const s = createEditorStore({
        registry,
        validate: (j) => validateSparkJson(j),
        mirrorToConsole: false,
      });
      s.getState().load(r.json, { fileName: `${name}.scfg`, kind: 'model' });
      const out = s.getState().exportModel();
      expect(out.diagnostics.filter((d) => d.level === 'error').map((d) => d.message)).toEqual([]);
      expect(withoutLayout(out.json)).toEqual(withoutLayout(r.json));
    });
  }
});
