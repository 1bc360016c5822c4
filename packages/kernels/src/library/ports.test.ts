// One description per module (issue 18 item 1): the library's port documentation says what
// `@spark-snn/config` declares — the same names and payloads — and is read from config when asked,
// so a table that drifts, or a copy that does not follow config, fails here.
import { defaultRegistry } from '@spark-snn/config';
import { describe, expect, it } from 'vitest';
import { LIBRARY } from './registry.ts';

/** Ports documented under another name on purpose: Spark's list input, one port per element. */
const LIST_INPUT = 'inputs_0 … inputs_k';

const entries = Object.entries(LIBRARY).filter(([, e]) => e.category !== 'initializer');

describe('library ports agree with the config registry', () => {
  it('covers every module of the library', () => {
    expect(entries.length).toBeGreaterThan(30);
    for (const [name] of entries) expect(defaultRegistry.get(name), name).toBeDefined();
  });

  it.each(entries.map(([name]) => name))('%s: inputs and outputs as config declares them', (name) => {
    const entry = LIBRARY[name]!;
    const spec = defaultRegistry.get(name)!;
    const pairs = (ps: readonly { name: string; payload: string }[]) => ps.map((p) => [p.name, p.payload]);
    expect(pairs(entry.outputs)).toEqual(pairs(spec.ports.outputs));
    // Optional inputs (a soma's inhibition_mask) are the lowering's, not the fragment's.
    const mandatory = spec.ports.inputs.filter((p) => !p.optional);
    const documented = entry.inputs.map((p) => (p.name === LIST_INPUT ? { ...p, name: 'inputs' } : p));
    expect(pairs(documented)).toEqual(pairs(mandatory));
  });

  it.each(
    entries.map(([name]) => name).filter((name) => LIBRARY[name]!.notes[0]?.startsWith('spark-snn') !== true),
  )('%s: ports follow a change in config (no copy in the library)', (name) => {
    const spec = defaultRegistry.get(name)!;
    const ports = [...spec.ports.inputs.filter((p) => !p.optional), ...spec.ports.outputs];
    const saved = ports.map((p) => [p.name, p.payload] as const);
    try {
      for (const p of ports) {
        p.name = `${p.name}_renamed`;
        p.payload = 'BooleanMask';
      }
      const entry = LIBRARY[name]!;
      for (const p of [...entry.inputs, ...entry.outputs]) {
        expect(p.name, `${name}.${p.name}`).toMatch(/_renamed/);
        expect(p.payload, `${name}.${p.name}`).toBe('BooleanMask');
      }
    } finally {
      ports.forEach((p, i) => {
        p.name = saved[i]![0];
        p.payload = saved[i]![1];
      });
    }
  });
});
