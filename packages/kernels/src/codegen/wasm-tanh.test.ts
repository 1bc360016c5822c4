import { describe, expect, it } from 'vitest';
import { lcg } from '../lang/testing.ts';
import { nativeTanhAgrees, tanhModuleBytes, tanhProbes } from './wasm-tanh.ts';

describe('WebAssembly tanh (fdlibm, as V8)', () => {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(tanhModuleBytes() as Uint8Array<ArrayBuffer>));
  const tanh = inst.exports.tanh as (x: number) => number;

  it("agrees with this engine's Math.tanh on the probes (so modules call it)", () => {
    expect(nativeTanhAgrees()).toBe(true);
  });

  it('equals Math.tanh bit for bit on every probe and on 2^20 random float32 bit patterns', () => {
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    const next = lcg(7);
    const xs = [...tanhProbes()];
    for (let n = 0; n < 1 << 20; n++) {
      u[0] = Math.floor(next() * 2 ** 32) >>> 0;
      xs.push(f[0] as number);
    }
    const bad = xs.filter((x) => !Object.is(tanh(x), Math.tanh(x)));
    expect(bad).toEqual([]);
  });

  it('covers the branches: ±0, tiny, the expm1 reductions, |x| ≥ 22, ±∞ and NaN', () => {
    for (const [x, y] of [
      [0, 0],
      [-0, -0],
      [2 ** -30, 2 ** -30],
      [30, 1],
      [-30, -1],
      [Number.POSITIVE_INFINITY, 1],
      [Number.NEGATIVE_INFINITY, -1],
    ] as const)
      expect(Object.is(tanh(x), y), `tanh(${x})`).toBe(true);
    expect(tanh(Number.NaN)).toBeNaN();
    for (const x of [0.2, 0.5, 0.9, 1, 1.5, 3, 10, 19.5, -0.7, -2.5]) expect(tanh(x)).toBe(Math.tanh(x));
  });
});
