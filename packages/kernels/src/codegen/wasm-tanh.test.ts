import { describe, expect, it } from 'vitest';
import { lcg } from '../lang/testing.ts';
import { mathNatives } from './wasm.ts';
import { nativeTanhAgrees, tanhModuleBytes, tanhProbes } from './wasm-tanh.ts';

// The WebAssembly tanh is fdlibm's as Node 20's V8 has it (equal for all 2^32 float32 arguments:
// docs/decisions.md). Chromium's newer V8 computes Math.tanh otherwise: there the probes disagree
// and modules keep the import — both cases are asserted below.
const node20 = (
  globalThis as { process?: { versions?: { node?: string } } }
).process?.versions?.node?.startsWith('20.');

describe('WebAssembly tanh (fdlibm, as V8 in Node 20)', () => {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(tanhModuleBytes() as Uint8Array<ArrayBuffer>));
  const tanh = inst.exports.tanh as (x: number) => number;

  it("modules call it exactly where it equals this engine's Math.tanh on the probes (always in Node 20)", () => {
    const agrees = [...tanhProbes()].every((x) => Object.is(tanh(x), Math.tanh(x)));
    expect(nativeTanhAgrees()).toBe(agrees);
    expect(mathNatives((name) => name === 'tanh').tanh).toBe(agrees);
    expect(mathNatives(() => false).tanh).toBe(false);
    if (node20) expect(agrees).toBe(true);
  });

  it('where modules call it: equal to Math.tanh bit for bit on 2^20 random float32 bit patterns', () => {
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    const next = lcg(7);
    const xs: number[] = [];
    for (let n = 0; n < 1 << 20; n++) {
      u[0] = Math.floor(next() * 2 ** 32) >>> 0;
      xs.push(f[0] as number);
    }
    const bad = xs.filter((x) => !Object.is(tanh(x), Math.tanh(x)));
    // an engine whose Math.tanh differs must not have been given it
    if (bad.length > 0) expect(nativeTanhAgrees()).toBe(false);
    else expect(xs.length).toBe(1 << 20);
    if (node20) expect(bad).toEqual([]);
  });

  it('covers the branches: ±0, tiny, |x| ≥ 22, ±∞ and NaN', () => {
    for (const [x, y] of [
      [0, 0],
      [-0, -0],
      [2 ** -30, 2 ** -30],
      [-(2 ** -40), -(2 ** -40)],
      [30, 1],
      [-30, -1],
      [Number.POSITIVE_INFINITY, 1],
      [Number.NEGATIVE_INFINITY, -1],
    ] as const)
      expect(Object.is(tanh(x), y), `tanh(${x})`).toBe(true);
    expect(tanh(Number.NaN)).toBeNaN();
    for (const x of [0.2, 0.5, 0.9, 1, 1.5, 3, 10, 19.5]) {
      expect(Math.abs(tanh(x) - Math.tanh(x))).toBeLessThanOrEqual(2 ** -52);
      expect(tanh(-x)).toBe(-tanh(x));
    }
  });
});
