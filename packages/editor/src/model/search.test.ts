import { describe, expect, it } from 'vitest';
import { createConfigRegistry } from '../config-bridge.ts';
import { rankEntry, type SearchEntry } from './search.ts';

const registry = createConfigRegistry();
const entries: SearchEntry[] = [
  { label: 'Source Node', name: 'source', keywords: ['Controller I/O', 'input'] },
  { label: 'Sink Node', name: 'sink', keywords: ['Controller I/O', 'output'] },
  ...[...registry.modules.values()].map((d) => ({ label: d.label, name: d.name, keywords: d.path })),
];
const best = (q: string) =>
  entries
    .map((e) => ({ e, r: rankEntry(q, e) }))
    .filter((x) => x.r > 0)
    .sort((a, b) => b.r - a.r)
    .map((x) => x.e.name);

describe('palette ranking', () => {
  it('puts the exact name first: "lif" is the LIF neuron, "source" the Source node', () => {
    expect(best('lif')[0]).toBe('lif_neuron');
    expect(best('LIF')[0]).toBe('lif_neuron');
    expect(best('lif_neuron')[0]).toBe('lif_neuron');
    expect(best('Source')[0]).toBe('source');
    expect(best('Source').indexOf('quadruplet_rule_tensor')).toBe(-1);
  });
  it('then prefixes, then words, then the palette path', () => {
    expect(best('leaky')[0]).toBe('leaky_soma');
    expect(best('leaky').slice(0, 3)).toContain('refractory_leaky_soma');
    expect(best('poisson').slice(0, 2).sort()).toEqual(['poisson_drive', 'poisson_spiker']);
    expect(best('somas')).toContain('izhikevich_soma');
    expect(best('zzz')).toEqual([]);
  });
});
