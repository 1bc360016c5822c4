import { PHILOX_ROUNDS, philoxInto } from '@spark-snn/core';
import { describe, expect, it } from 'vitest';
import { lcg } from '../lang/testing.ts';
import { philoxStream, philoxStreamEngine } from './philox.ts';

describe('philoxStream', () => {
  it("equals core's philoxInto block by block (random counters and keys, 10 and 7 rounds)", () => {
    expect(philoxStreamEngine()).toBe('wasm');
    const next = lcg(20261206);
    const u32 = () => Math.floor(next() * 2 ** 32) >>> 0;
    const x = new Uint32Array(4);
    for (const rounds of [PHILOX_ROUNDS, 7]) {
      for (let t = 0; t < 20; t++) {
        const [c1, c2, c3, k0, k1] = [u32(), u32(), u32(), u32(), u32()];
        const blocks = 1 + (u32() % 5000);
        const s = philoxStream(blocks, c1, c2, c3, k0, k1, rounds);
        expect(s.length).toBe(4 * blocks);
        for (const b of [0, 1, blocks >> 1, blocks - 1]) {
          philoxInto(b, c1, c2, c3, k0, k1, rounds, x);
          expect([...s.subarray(4 * b, 4 * b + 4)]).toEqual([...x]);
        }
      }
    }
  });

  it('grows its memory for a long stream (2^20 blocks) and keeps every block', () => {
    const s = philoxStream(1 << 20, 3, 4, 5, 6, 7, PHILOX_ROUNDS);
    const x = new Uint32Array(4);
    for (const b of [0, 12345, (1 << 20) - 1]) {
      philoxInto(b, 3, 4, 5, 6, 7, PHILOX_ROUNDS, x);
      expect([...s.subarray(4 * b, 4 * b + 4)]).toEqual([...x]);
    }
  });
});
