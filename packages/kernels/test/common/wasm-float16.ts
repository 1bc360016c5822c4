// The float16 conversions of the WebAssembly loop in isolation: a one-member group that stores a
// float32 input `x` into a float16 output `o` and loads a float16 input `h` into a float32 output
// `y`. Used by the sampled property test (codegen/wasm.test.ts) and the exhaustive check over all
// 2^32 float32 patterns (bench/wasm-float16.bench.test.ts).
import { float32BitsToFloat16Bits } from '@spark-snn/core';
import { createJsKernel } from '../../src/codegen/js.ts';
import { createWasmGroup } from '../../src/codegen/wasm.ts';
import { HostMemory } from '../../src/codegen/wasm-memory.ts';
import { compileDefinition } from '../../src/lang/compile.ts';
import { parseDefinition } from '../../src/lang/parser.ts';

const CONVERT = compileDefinition(
  parseDefinition(
    [
      'module convert over unit',
      'input x: FloatArray f32',
      'input h: FloatArray f32 as float16',
      'output o: FloatArray f32 as float16',
      'output y: FloatArray f32',
      'o = x',
      'y = h',
    ].join('\n'),
  ),
);

/** The group's arrays (views of its memory) and one step of it. */
export interface Float16Conversion {
  /** float32 in, stored to {@link o} (write its bit patterns through `xBits`). */
  readonly x: Float32Array;
  readonly xBits: Uint32Array;
  readonly o: Uint16Array;
  /** half bits in, loaded to {@link y}. */
  readonly h: Uint16Array;
  readonly y: Float32Array;
  run(): void;
}

/** The group over `n` elements, or the reason the engine cannot run it (no SIMD). */
export function float16Conversion(n: number): Float16Conversion | { unsupported: string } {
  const js = createJsKernel(CONVERT);
  const mem = new HostMemory(12 * n + (1 << 16));
  const io = js.ioNames.map((name) =>
    name === 'input:h' || name === 'output:o' ? mem.array('float16', n) : mem.array('float32', n),
  );
  const at = (name: string) => io[js.ioNames.indexOf(name)];
  const g = createWasmGroup(
    [
      {
        compiled: CONVERT,
        uniform: new Set(),
        names: js,
        args: {
          n,
          nPre: 1,
          k0: 0,
          k1: 0,
          streamBase: 0,
          dt: 1,
          scalars: new Float64Array(js.scalarNames.length),
          arrays: [],
          io,
        },
      },
    ],
    mem,
  );
  if ('unsupported' in g) return g;
  const x = at('input:x') as Float32Array;
  return {
    x,
    xBits: new Uint32Array(x.buffer, x.byteOffset, n),
    o: at('output:o') as Uint16Array,
    h: at('input:h') as Uint16Array,
    y: at('output:y') as Float32Array,
    run: () => g.run(0),
  };
}

/**
 * The half bits the JavaScript loop stores for a float32 bit pattern: core's conversion, with every
 * NaN as 0x7e00 (`toFloat16Bits` of a JS NaN, whose sign and payload JavaScript does not keep).
 */
export function expectedHalfBits(f32bits: number): number {
  const nan = (f32bits & 0x7f800000) === 0x7f800000 && (f32bits & 0x7fffff) !== 0;
  return nan ? 0x7e00 : float32BitsToFloat16Bits(f32bits >>> 0);
}
