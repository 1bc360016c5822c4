import { createHash } from 'node:crypto';
import { readFixture } from '@spark-snn/testing/fixtures';
import { describe, expect, it } from 'vitest';
import { registerAlifModNeuron } from '../../examples/alif_mod_neuron.ts';
import {
  createRegistry,
  readScfg,
  scfgText,
  validateDocument,
  writeScfg,
  xzDecompress,
} from '../../src/index.ts';

const AB_BRAIN = readFixture('spark/ab_brain.scfg');

describe('ab_brain.scfg', () => {
  const registry = createRegistry();
  registerAlifModNeuron(registry);

  it('is the byte-exact upstream fixture', () => {
    expect(createHash('sha256').update(AB_BRAIN).digest('hex')).toBe(
      '88828fa41c0aba73939e30ea219cdc4ec186ab234835656fbff14482d26a4aed',
    );
  });

  it('reads and validates with zero errors', () => {
    const r = readScfg(AB_BRAIN, { registry });
    expect(r.issues).toEqual([]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.document.type).toBe('brain_config');
    expect(r.document.provenance).toBe('spark');
    expect(r.document.behaviour).toBe('spark');
    expect(r.document.compressed).toBe(true);
    const issues = validateDocument(r.document, registry);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('round-trips to structurally identical JSON', () => {
    const r = readScfg(AB_BRAIN, { registry });
    if (!r.ok) throw new Error('read failed');
    const original = new TextDecoder().decode(xzDecompress(AB_BRAIN));
    const written = scfgText(r.document, registry);
    expect(JSON.parse(written)).toEqual(JSON.parse(original));
  });

  it('round-trips byte for byte (Spark json.dump formatting)', () => {
    const r = readScfg(AB_BRAIN, { registry });
    if (!r.ok) throw new Error('read failed');
    const original = new TextDecoder().decode(xzDecompress(AB_BRAIN));
    expect(scfgText(r.document, registry)).toBe(original);
  });

  it('writes an XZ file that reads back identically', () => {
    const r = readScfg(AB_BRAIN, { registry });
    if (!r.ok) throw new Error('read failed');
    const bytes = writeScfg(r.document, { registry });
    expect([...bytes.subarray(0, 6)]).toEqual([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
    const again = readScfg(bytes, { registry });
    expect(again.ok && again.document.config).toEqual(r.document.config);
  });
});
