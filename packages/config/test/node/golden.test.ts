import { golden, goldenFiles } from '@spark-snn/testing/fixtures';
import { describe, expect, it } from 'vitest';
import { registerAlifModNeuron } from '../../examples/alif_mod_neuron.ts';
import {
  createRegistry,
  documentFromJson,
  documentToJson,
  encodeBody,
  parseModuleConfig,
  validateDocument,
} from '../../src/index.ts';

const files = goldenFiles();

describe('golden fixtures (spark-golden/*.json)', () => {
  const registry = createRegistry();
  registerAlifModNeuron(registry);

  it('covers all fixture files', () => {
    expect(files.length).toBeGreaterThanOrEqual(26);
  });

  for (const file of files) {
    it(`${file}: config parses with zero errors and round-trips`, () => {
      const g = golden(file);
      if (g.module === 'brain') {
        const r = documentFromJson(g.config, { registry });
        expect(r.issues).toEqual([]);
        if (!r.ok) return;
        expect(validateDocument(r.document, registry)).toEqual([]);
        expect(JSON.parse(JSON.stringify(documentToJson(r.document, registry)))).toEqual(g.config);
        return;
      }
      const p = parseModuleConfig(g.module, g.config, registry);
      expect(p.issues).toEqual([]);
      expect(p.ok).toBe(true);
      // every given value survives parse → encode (dtype strings become Spark dtype objects)
      const enc = JSON.parse(
        JSON.stringify(encodeBody(registry.get(g.module), p.config, registry)),
      ) as Record<string, unknown>;
      for (const [k, v] of Object.entries(g.config)) {
        if (k === 'dtype') expect(enc[k]).toEqual({ __type__: 'dtype', name: v });
        else expect(enc[k]).toEqual(v);
      }
      // and the zod schema accepts the parsed config too
      expect(registry.get(g.module)!.schema.safeParse(p.config).success).toBe(true);
    });
  }
});
