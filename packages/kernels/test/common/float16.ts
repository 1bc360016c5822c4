// A plan that exercises every path a float16 buffer takes on a backend: a module with float16
// state, input (streamed per step) and output, a `copy` and a `concat` of float16 buffers, odd
// buffer lengths (half rows that end mid-word), a chunked run, and write/read of a float16 buffer.
// Values cover ties (round to nearest even), subnormals and overflow to ±∞. Used by the Node,
// browser and Deno tests; on Deno (lavapipe has `shader-f16`) the native path runs.
import type { Backend, Plan, TypedArray } from '@spark-snn/core';
import { toFloat16Array, toFloat16Bits } from '@spark-snn/core';
import { parseDefinition } from '../../src/lang/parser.ts';
import { instantiateModule } from '../../src/ops.ts';

/** Elements of the float16 module (odd on purpose). */
export const F16_SIZE = 33;
/** Steps of the run. */
export const F16_STEPS = 7;

const HALF = parseDefinition(
  [
    'module half',
    'param tau: f32 = 7 [ms] positive',
    'param g: f32 per unit = 1',
    'state v: f32 = 0.1 as float16',
    'input I: FloatArray f32 as float16',
    'output o: FloatArray f32 as float16',
    'v = v * exp(-dt / tau) + I * g',
    'o = v * 3',
  ].join('\n'),
);

/** Input values (float32) whose products with `g` hit ties, subnormals and overflow after rounding. */
function inputValues(): Float32Array {
  const x = new Float32Array(F16_STEPS * F16_SIZE);
  let s = 99;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    x[i] = ((s >>> 8) / 2 ** 24 - 0.5) * 2 ** ((s % 30) - 18);
  }
  // A few exact values: the largest half, a value that overflows, the smallest subnormal, 1 + ulp/2.
  x.set([65504, 70000, 2 ** -24, 2 ** -25, 1 + 2 ** -11, -3 * 2 ** -26, 2049], 0);
  return x;
}

/** Per-unit gains: 1, except factors that turn inputs into ties and subnormals. */
function gains(): number[] {
  return Array.from({ length: F16_SIZE }, (_, i) =>
    i % 5 === 0 ? 1 + 2 ** -11 : i % 7 === 0 ? 2 ** -14 : 1,
  );
}

/** The plan: `h` (the module), `c` = copy of `h.o`, `cat` = concat of `h.v` and `c`. */
export function float16Plan(): Plan {
  const { buffers, op } = instantiateModule(HALF, {
    prefix: 'h',
    size: F16_SIZE,
    dt: 1,
    params: { g: gains() },
  });
  return {
    dt: 1,
    seed: 0,
    buffers: [
      ...buffers,
      { name: 'c', dtype: 'float16', shape: [F16_SIZE] },
      { name: 'cat', dtype: 'float16', shape: [2 * F16_SIZE] },
    ],
    ops: [
      op,
      { op: 'copy', name: 'copy', bindings: { src: 'h.o', dst: 'c' } },
      {
        op: 'concat',
        name: 'cat',
        attrs: { sizes: [F16_SIZE, F16_SIZE] },
        bindings: { in0: 'h.v', in1: 'c', out: 'cat' },
      },
    ],
  };
}

/** Everything a run of {@link float16Plan} produces (half bits), plus the program itself. */
export interface Float16Run {
  readonly records: Record<string, Uint16Array>;
  readonly reads: Record<string, Uint16Array>;
}

/**
 * Writes a start state to `h.v` (odd length, includes a tie and a subnormal), runs
 * {@link F16_STEPS} steps in chunks of 3 with the input streamed, records `h.v`, `h.o`, `cat`, and
 * reads `h.v` and `cat` back.
 */
export async function runFloat16Plan(
  backend: Backend,
  onProgram?: (p: unknown) => void,
): Promise<Float16Run> {
  const p = await backend.load(float16Plan());
  try {
    onProgram?.(p);
    const start = new Float32Array(F16_SIZE).map((_, i) => (i - 16) / 8);
    start[1] = 2 ** -20;
    start[2] = 1 + 2 ** -11;
    await p.write('h.v', toFloat16Array(start));
    const I = toFloat16Array(inputValues());
    const res = await p.run({
      steps: F16_STEPS,
      chunk: 3,
      inputs: { 'h.I': I },
      record: ['h.v', 'h.o', 'cat'],
    });
    const records: Record<string, Uint16Array> = {};
    for (const [k, v] of Object.entries(res.records)) records[k] = v as Uint16Array;
    const reads: Record<string, Uint16Array> = {};
    for (const k of ['h.v', 'cat']) reads[k] = (await p.read(k)) as Uint16Array;
    return { records, reads };
  } finally {
    p.destroy();
  }
}

/** Differences between two runs: exact half bits (`maxUlp` 0) or within `maxUlp` units of the last place. */
export function compareFloat16Runs(a: Float16Run, b: Float16Run, maxUlp = 0): string[] {
  const out: string[] = [];
  const cmp = (what: string, x: TypedArray | undefined, y: TypedArray | undefined): void => {
    if (x === undefined || y === undefined || x.length !== y.length) {
      out.push(`${what}: lengths ${x?.length} vs ${y?.length}`);
      return;
    }
    for (let i = 0; i < x.length && out.length < 10; i++) {
      const d = Math.abs((x[i] as number) - (y[i] as number));
      if (d > maxUlp)
        out.push(`${what}[${i}]: 0x${(x[i] as number).toString(16)} vs 0x${(y[i] as number).toString(16)}`);
    }
  };
  for (const k of Object.keys(a.records)) cmp(`records.${k}`, a.records[k], b.records[k]);
  for (const k of Object.keys(a.reads)) cmp(`read ${k}`, a.reads[k], b.reads[k]);
  return out;
}

/** The half bits of +∞, for checks that the overflow case was reached. */
export const HALF_INFINITY = toFloat16Bits(Number.POSITIVE_INFINITY);
