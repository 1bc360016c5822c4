import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { genericModule, lif, linear, sequential } from './hw/builders.ts';
import { bag, channelInfo, connect, getModule, type HwGraph, merge } from './hw/graph.ts';
import { fromDict, toDict } from './nir/dict.ts';
import { inferTypes } from './nir/infer.ts';
import { type NirNode, nirGraph } from './nir/types.ts';
import { roundHalfEven, tensor, tensorEquals, zeros } from './tensor.ts';

/** Every module's channels are registered on the channels, and every registration points back. */
function consistent(g: HwGraph): boolean {
  for (const m of g.modules.values()) {
    for (const c of m.inputs) if (!channelInfo(g, c).sinks.includes(m.id)) return false;
    for (const c of m.outputs) if (!channelInfo(g, c).sources.includes(m.id)) return false;
  }
  for (const [c, info] of g.channels) {
    for (const s of info.sources) if (!g.modules.get(s)?.outputs.includes(c)) return false;
    for (const s of info.sinks) if (!g.modules.get(s)?.inputs.includes(c)) return false;
  }
  return true;
}

describe('properties', () => {
  it('roundHalfEven is the nearest integer, ties to even', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
        const r = roundHalfEven(x);
        expect(Number.isInteger(r)).toBe(true);
        expect(Math.abs(r - x)).toBeLessThanOrEqual(0.5);
        if (Math.abs(r - x) === 0.5) expect(r % 2 === 0).toBe(true);
      }),
    );
    fc.assert(fc.property(fc.integer({ min: -1000, max: 1000 }), (k) => roundHalfEven(k + 0.5) % 2 === 0));
  });

  it('sequential chains stay consistent and bag counts add up', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 6 }), (sizes) => {
        const parts: HwGraph[] = [];
        for (let i = 0; i + 1 < sizes.length; i++) {
          parts.push(linear(zeros([sizes[i]!, sizes[i + 1]!])));
          parts.push(lif({ n: sizes[i + 1]!, tauMem: 0.02, tauSyn: 0.01, dt: 0.001 }));
        }
        const g = sequential(...parts);
        expect(consistent(g)).toBe(true);
        const b = bag(g);
        expect(b.modules).toHaveLength(parts.length);
        // channels: the first input, then per layer the weights' outputs (= the neurons' inputs) and the neurons' outputs
        const expected = sizes[0]! + 2 * sizes.slice(1).reduce((a, s) => a + s, 0);
        expect(b.channels).toHaveLength(expected);
      }),
    );
  });

  it('partial connects keep the graph consistent and wire the chosen channels', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 1000 }),
        (a, b, k0, seed) => {
          const k = Math.min(k0, a, b);
          const src = Array.from({ length: a }, (_, i) => i)
            .sort((x, y) => ((x * 7919 + seed) % 13) - ((y * 7919 + seed) % 13))
            .slice(0, k);
          const dst = Array.from({ length: b }, (_, i) => i)
            .sort((x, y) => ((x * 104729 + seed) % 11) - ((y * 104729 + seed) % 11))
            .slice(0, k);
          const base = merge(genericModule(1, a, 'A'), genericModule(b, 1, 'C')).graph;
          const g = connect(base, 'A', 'C', src, dst);
          expect(consistent(g)).toBe(true);
          const A = getModule(g, 'A');
          const C = getModule(g, 'C');
          src.forEach((si, i) => {
            expect(C.inputs[dst[i]!]).toBe(A.outputs[si]);
          });
          expect(new Set(C.inputs).size).toBe(b);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('NIR dict round trip of random Affine/LIF nodes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.double({ noNaN: true, min: -10, max: 10 }), { minLength: 25, maxLength: 25 }),
        (o, i, vals) => {
          const node: NirNode = {
            type: 'Affine',
            weight: tensor(vals.slice(0, o * i), { shape: [o, i], dtype: 'float32' }),
            bias: tensor(vals.slice(0, o), { shape: [o] }),
          };
          const back = fromDict(toDict(node)).node;
          expect(back?.type).toBe('Affine');
          if (back?.type !== 'Affine') return;
          expect(tensorEquals(back.weight, node.weight)).toBe(true);
          expect(tensorEquals(back.bias, node.bias)).toBe(true);
          const g = inferTypes(nirGraph({ a: node }, []));
          expect(g.diagnostics).toEqual([]);
          expect(g.types.get('a')).toEqual({ input: [i], output: [o] });
        },
      ),
    );
  });
});
