// Deno: the package's main entry (no Node-only imports) reads, validates and re-writes ab_brain.scfg.
import { readFixture } from '@spark-snn/testing/fixtures';
import { registerAlifModNeuron } from '../../examples/alif_mod_neuron.ts';
import {
  createRegistry,
  readScfg,
  scfgText,
  validateDocument,
  writeScfg,
  xzDecompress,
} from '../../src/index.ts';

declare const Deno: {
  test(name: string, fn: () => void | Promise<void>): void;
};

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

Deno.test('ab_brain.scfg decodes (XZ), validates and round-trips in Deno', () => {
  const bytes = readFixture('spark/ab_brain.scfg');
  const registry = createRegistry();
  registerAlifModNeuron(registry);
  const r = readScfg(bytes, { registry });
  assert(r.ok, `read failed: ${JSON.stringify(r.issues)}`);
  assert(r.issues.length === 0, `decode issues: ${JSON.stringify(r.issues)}`);
  const errors = validateDocument(r.document, registry).filter((i) => i.severity === 'error');
  assert(errors.length === 0, `validation errors: ${JSON.stringify(errors)}`);
  const original = new TextDecoder().decode(xzDecompress(bytes));
  assert(scfgText(r.document, registry) === original, 'round trip is not byte-identical');
  const again = readScfg(writeScfg(r.document, { registry }), { registry });
  assert(
    again.ok && JSON.stringify(again.document.config) === JSON.stringify(r.document.config),
    'XZ write/read changed the config',
  );
});
