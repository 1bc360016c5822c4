// Exhaustive check of the WebAssembly loop's float16 stores: every one of the 2^32 float32 bit
// patterns, stored to a float16 output, gives the half bits the JavaScript loop stores (core's
// rounding to nearest even; NaN → 0x7e00). A few minutes on one core; the test suite samples the
// same property (codegen/wasm.test.ts). Run with `pnpm bench` (BENCH_QUICK=1: every 256th block).
import { expect, it } from 'vitest';
import { expectedHalfBits, float16Conversion } from '../test/common/wasm-float16.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const BLOCK = 1 << 22;

it('float16 stores in WebAssembly: all 2^32 float32 patterns round as core does', () => {
  const g = float16Conversion(BLOCK);
  if ('unsupported' in g) {
    console.log(`float16 exhaustive check skipped: ${g.unsupported}`);
    return;
  }
  const t0 = performance.now();
  let checked = 0;
  const bad: string[] = [];
  for (let hi = 0; hi < 2 ** 32 / BLOCK; hi += QUICK ? 256 : 1) {
    const base = hi * BLOCK;
    for (let i = 0; i < BLOCK; i++) g.xBits[i] = base + i;
    g.run();
    for (let i = 0; i < BLOCK; i++) {
      const want = expectedHalfBits(base + i);
      if (g.o[i] !== want && bad.length < 8)
        bad.push(`${(base + i).toString(16)}: ${g.o[i]?.toString(16)} vs ${want.toString(16)}`);
    }
    checked += BLOCK;
  }
  console.log(
    `float16 stores: ${checked} float32 patterns checked in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  expect(bad).toEqual([]);
});
