/**
 * Philox4x32 blocks in bulk: block b of a stream is `philox(counter (b, c1, c2, c3), key (k0, k1))`,
 * words 4b … 4b + 3 of the result — bit for bit core's `philoxInto`, in WebAssembly where the engine
 * has it (a 32 × 32 → 64-bit product is one `i64.mul` there, four 16-bit products and their carries in
 * JavaScript: ≈ 5× fewer instructions per block). The host draws initializers of half a million
 * synapses with it at load (`lang/evaluate.ts`).
 *
 * @module
 */

import { PHILOX_M0, PHILOX_M1, PHILOX_W0, PHILOX_W1, philoxInto } from '@spark-snn/core';
import { Code, ModuleBuilder, Op } from './wasm-emit.ts';

/** A stream: the counter's words 1–3, the key and the rounds. */
type Stream = [c1: number, c2: number, c3: number, k0: number, k1: number, rounds: number];
type Fill = (blocks: number, first: number, ...stream: Stream) => void;

interface Made {
  readonly fill: Fill;
  readonly memory: WebAssembly.Memory;
}
/** The module's function and memory (null: no WebAssembly here; undefined: not made yet). */
let made: Made | null | undefined;

const PAGE = 65536;
/** Blocks per call (64 KiB of words). */
const CHUNK = 4096;

/** Words 0 … 4·blocks − 1 of a Philox stream: block b's four words at 4b (counter (b, c1, c2, c3)). */
export function philoxStream(blocks: number, ...stream: Stream): Uint32Array {
  const [c1, c2, c3, k0, k1, rounds] = stream;
  const out = new Uint32Array(4 * blocks);
  const m = philoxModule();
  if (m === null) {
    const x = new Uint32Array(4);
    for (let b = 0; b < blocks; b++) {
      philoxInto(b, c1, c2, c3, k0, k1, rounds, x);
      out.set(x, 4 * b);
    }
    return out;
  }
  const bytes = 16 * Math.min(blocks, CHUNK);
  const have = m.memory.buffer.byteLength;
  if (bytes > have) m.memory.grow(Math.ceil((bytes - have) / PAGE));
  // In calls of CHUNK blocks: V8 first runs a function as baseline code and compiles it optimised in
  // the background once it has run a while, and a call stays in the code it started with.
  for (let b = 0; b < blocks; b += CHUNK) {
    const n = Math.min(CHUNK, blocks - b);
    m.fill(n, b, c1 | 0, c2 | 0, c3 | 0, k0 | 0, k1 | 0, rounds);
    out.set(new Uint32Array(m.memory.buffer, 0, 4 * n), 4 * b);
  }
  return out;
}

/** Whether {@link philoxStream} runs as WebAssembly here (else core's `philoxInto`, block by block). */
export function philoxStreamEngine(): 'wasm' | 'js' {
  return philoxModule() === null ? 'js' : 'wasm';
}

function philoxModule(): Made | null {
  if (made !== undefined) return made;
  try {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(philoxBytes() as Uint8Array<ArrayBuffer>), {
      env: { memory },
    });
    made = { fill: inst.exports.fill as Fill, memory };
  } catch {
    made = null;
  }
  return made;
}

/**
 * `fill(blocks, first, c1, c2, c3, k0, k1, rounds)`: blocks first … first + blocks − 1, block
 * first + b at byte 16·b of the imported memory.
 */
function philoxBytes(): Uint8Array {
  // params 0 blocks, 1 first, 2 c1, 3 c2, 4 c3, 5 k0, 6 k1, 7 rounds; locals from 8
  const [B, X0, X1, X2, X3, A, K, R, N0, N2] = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  const [P0, P1] = [18, 19];
  const c = new Code();
  const loopWhile = (iv: number, end: number, body: () => void) => {
    c.i32(0).set(iv);
    c.open(Op.block).open(Op.loop);
    c.get(iv).get(end).op(Op.i32GeU).opU(Op.brIf, 1);
    body();
    c.get(iv).i32(1).op(Op.i32Add).set(iv).opU(Op.br, 0);
    c.op(Op.end).op(Op.end);
  };
  loopWhile(B, 0, () => {
    c.get(B)
      .get(1)
      .op(Op.i32Add)
      .set(X0)
      .get(2)
      .set(X1)
      .get(3)
      .set(X2)
      .get(4)
      .set(X3)
      .get(5)
      .set(A)
      .get(6)
      .set(K);
    loopWhile(R, 7, () => {
      c.i64(BigInt(PHILOX_M0)).get(X0).op(Op.i64ExtendI32U).op(Op.i64Mul).set(P0);
      c.i64(BigInt(PHILOX_M1)).get(X2).op(Op.i64ExtendI32U).op(Op.i64Mul).set(P1);
      // x0 = hi1 ^ x1 ^ a; x1 = lo1; x2 = hi0 ^ x3 ^ b; x3 = lo0 (then the key's Weyl step)
      c.get(P1).i64(32n).op(Op.i64ShrU).op(Op.i32WrapI64).get(X1).op(Op.i32Xor).get(A).op(Op.i32Xor).set(N0);
      c.get(P0).i64(32n).op(Op.i64ShrU).op(Op.i32WrapI64).get(X3).op(Op.i32Xor).get(K).op(Op.i32Xor).set(N2);
      c.get(P1).op(Op.i32WrapI64).set(X1);
      c.get(P0).op(Op.i32WrapI64).set(X3);
      c.get(N0).set(X0).get(N2).set(X2);
      c.get(A)
        .i32(PHILOX_W0 | 0)
        .op(Op.i32Add)
        .set(A);
      c.get(K)
        .i32(PHILOX_W1 | 0)
        .op(Op.i32Add)
        .set(K);
    });
    [X0, X1, X2, X3].forEach((x, w) => {
      c.get(B)
        .i32(4)
        .op(Op.i32Shl)
        .get(x)
        .mem(Op.i32Store, 2, 4 * w);
    });
  });
  const mb = new ModuleBuilder();
  mb.importMemory({ module: 'env', name: 'memory', minPages: 1, shared: false });
  const fn = mb.addFunction(
    ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
    [],
    ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i64', 'i64'],
    c,
  );
  mb.exportFunction('fill', fn);
  return mb.toBytes();
}
